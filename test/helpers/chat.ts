// Drives the real bot (engine, flows, repositories on a fresh SQLite database) the way a channel does, and reads
// back what the member would see. Used by the engine, feature and channel tests.
import path from 'node:path';
import { createOutbox } from '../../src/app/outbox/index.ts';
import { createNotificationRepository } from '../../src/data/notificationRepository.ts';
import { createBot } from '../../src/app/bot.ts';
import { createPhotoIntake } from '../../src/app/files/intake.ts';
import type { Flow } from '../../src/conversation/flow.ts';
import type {
  BotGateway,
  ChannelName,
  InboundContent,
  MediaSource,
  OutboundMessage,
} from '../../src/conversation/messages.ts';
import type { Clock, Logger } from '../../src/conversation/ports.ts';
import { createConversationRepository } from '../../src/data/conversationRepository.ts';
import type { PrismaClient } from '../../src/data/database.ts';
import { createImageSanitizer } from '../../src/data/images.ts';
import { createLocalFileStore } from '../../src/data/localFileStore.ts';
import { createStoredFileRepository } from '../../src/data/storedFileRepository.ts';
import { createInboundLog } from '../../src/data/inboundLog.ts';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import type { FileLimits } from '../../src/domain/files.ts';
import type { Member } from '../../src/domain/member.ts';
import { createLocalisation } from '../../src/i18n/i18n.ts';
import { ambientTransactions } from '../../src/data/transactions.ts';
import { createRuntime, DEFAULT_FILE_LIMITS, type Runtime } from '../../src/wiring.ts';
import { fakeMedia, tempFilesDir } from './photos.ts';

export const AREAS_FILE = path.resolve(import.meta.dirname, '../../prisma/data/areas.thai-nguyen-2025.json');

export const silentLogger: Logger & { errors: object[] } = Object.assign(
  {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error(obj: object) {
      silentLogger.errors.push(obj);
    },
  },
  { errors: [] as object[] },
);

export class TestClock implements Clock {
  constructor(private current = new Date('2026-03-02T08:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const HOUR = 3_600_000;

/** Everything main.ts builds (bot, features, push registry), on the given database; photos in a temporary folder. */
const UNLIMITED = { overallPerSecond: Infinity, chatPerSecond: Infinity, chatBurst: 1 };
export const UNLIMITED_RATES = { telegram: UNLIMITED, zalo: UNLIMITED, zalobot: UNLIMITED, console: UNLIMITED };

export function realRuntime(
  prisma: PrismaClient,
  clock: Clock = new TestClock(),
  overrides: { files?: Partial<FileLimits>; timeZone?: string; logger?: Logger; catalogueUrl?: string } = {},
): Runtime {
  return createRuntime({
    prisma,
    logger: overrides.logger ?? silentLogger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: 24 * HOUR,
    caseEscalationMs: 2 * HOUR,
    invitationTtlHours: 72,
    clock,
    ...(overrides.timeZone ? { timeZone: overrides.timeZone } : {}),
    ...(overrides.catalogueUrl ? { catalogueUrl: overrides.catalogueUrl } : {}),
    files: { dir: tempFilesDir(), ...overrides.files },
    // The clock stands still in these tests: pushes must not wait for a rate limit's tokens (test/app/outbox.test.ts
    // checks the limits with a clock that moves).
    outbox: { rates: UNLIMITED_RATES },
  });
}

/** The real bot with every feature, as main.ts builds it. */
export function realBot(prisma: PrismaClient, clock: Clock = new TestClock()): BotGateway {
  return realRuntime(prisma, clock).bot;
}

/**
 * A bot with only the given flows (engine tests), on the real repositories and locales. Photos are stored in a
 * temporary folder; `media` fetches them (default: any ref is a small JPEG).
 */
export function botWithFlows(
  prisma: PrismaClient,
  flows: Flow[],
  home: (m: Member) => string,
  clock: Clock = new TestClock(),
  media: MediaSource = fakeMedia(),
): BotGateway {
  const localisation = createLocalisation();
  const db = ambientTransactions(prisma);
  const members = createMemberRepository(db.prisma);
  const outbox = createOutbox({
    store: createNotificationRepository(db.prisma),
    members,
    transactor: db.transactor,
    translator: localisation.translator,
    typedFor: () => undefined,
    clock,
    logger: silentLogger,
  });
  return createBot({
    outbox,
    members,
    conversations: createConversationRepository(db.prisma),
    inbound: createInboundLog(db.prisma),
    transactor: db.transactor,
    flows,
    home,
    translator: localisation.translator,
    vocabulary: localisation.vocabulary,
    clock,
    logger: silentLogger,
    conversationTimeoutMs: 24 * HOUR,
    defaultLanguage: 'vi',
    photos: createPhotoIntake({
      media: () => media,
      images: createImageSanitizer(),
      store: createLocalFileStore(tempFilesDir()),
      files: createStoredFileRepository(prisma),
      limits: DEFAULT_FILE_LIMITS,
      logger: silentLogger,
    }),
  });
}

let sequence = 0;

/** One member talking to a bot. Keeps the last replies so a test can tap a button by its label. */
export class Chat {
  last: OutboundMessage[] = [];

  constructor(
    public bot: BotGateway,
    readonly userId = `u${++sequence}`,
    readonly channel: ChannelName = 'console',
  ) {}

  async deliver(content: InboundContent, messageId = `m${++sequence}`): Promise<OutboundMessage[]> {
    this.last = await this.bot.handle({
      channel: this.channel,
      userId: this.userId,
      messageId,
      content,
      receivedAt: new Date(),
    });
    return this.last;
  }

  send(text: string): Promise<OutboundMessage[]> {
    return this.deliver({ kind: 'text', text });
  }

  /**
   * Types a global word (menu, hủy, quay lại, giúp) and means it: where the word could also be the answer to a
   * free-text question, the bot asks which was meant, and this taps "do it".
   */
  async command(word: string): Promise<OutboundMessage[]> {
    await this.send(word);
    const doIt = this.buttons().find((label) => COMMAND_CONFIRMATIONS.includes(label));
    return doIt === undefined ? this.last : this.tap(doIt);
  }

  /** Taps the button with this label among the last replies (latest first), as a Telegram inline keyboard would. */
  tap(label: string): Promise<OutboundMessage[]> {
    const choices = this.last.flatMap((m) => (m.kind === 'choices' ? m.choices : [])).reverse();
    const choice = choices.find((c) => c.label === label);
    if (!choice) throw new Error(`no button "${label}" in: ${this.buttons().join(', ')}`);
    return this.deliver({ kind: 'choice', data: choice.data });
  }

  /** The last question with choices the member was shown. */
  question(): Extract<OutboundMessage, { kind: 'choices' }> {
    const q = [...this.last].reverse().find((m) => m.kind === 'choices');
    if (q?.kind !== 'choices') throw new Error(`no question with choices in: ${this.text()}`);
    return q;
  }

  /** Labels of all the buttons in the last replies, in order. */
  buttons(): string[] {
    return this.last.flatMap((m) => (m.kind === 'choices' ? m.choices.map((c) => c.label) : []));
  }

  /** Everything the member was shown in the last replies, as one text. */
  text(): string {
    return this.last.map((m) => (m.kind === 'photo' ? `[photo ${m.ref}]` : m.text)).join('\n---\n');
  }
}

/** The "do it" buttons of the engine's "command or answer?" question (locales common:commandCheck.doIt). */
const COMMAND_CONFIRMATIONS = [
  'Hủy việc đang làm',
  'Quay lại câu trước',
  'Về danh sách chính',
  'Xem hướng dẫn',
  "Cancel what I'm doing",
  'Previous question',
  'Main menu',
  'Show the help',
];
