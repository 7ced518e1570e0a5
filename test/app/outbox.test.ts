// The outbox (src/app/outbox, issue 9 point 2 and issue 10 point 4): a chat's 429 delays that chat only, in webhook
// and polling mode; a failed reply is delivered afterwards, in order; pushes respect the per-chat and per-channel
// limits (clock injected); two dispatchers on one database never send a row twice (SQLite and PostgreSQL); a stop
// during a pass lets the chats it has not started go at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutbox, type Outbox } from '../../src/app/outbox/index.ts';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/index.ts';
import type { Delivery, DeliveryResult, OutboundMessage } from '../../src/conversation/messages.ts';
import { openDatabase } from '../../src/data/database.ts';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import { createNotificationRepository } from '../../src/data/notificationRepository.ts';
import { ambientTransactions } from '../../src/data/transactions.ts';
import type { Member } from '../../src/domain/member.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLocalisation } from '../../src/i18n/i18n.ts';
import type { Runtime } from '../../src/wiring.ts';
import { FakeBotApi, TOKEN, tooManyRequests, type ApiReply } from '../channels/telegram/fake-bot-api.ts';
import { AREAS_FILE, silentLogger, TestClock, UNLIMITED_RATES } from '../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { createRuntime } from '../../src/wiring.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const A = 1001;
const B = 2002;
const SECRET = 'outbox-test-secret-0123456789';
const PATH = '/telegram/webhook';
const badGateway: ApiReply = { ok: false, error_code: 502, description: 'Bad Gateway' };

function update(updateId: number, chatId: number, text: string) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId + 10_000,
      date: 1_750_000_000,
      from: { id: chatId, is_bot: false, first_name: 'M', language_code: 'vi' },
      chat: { id: chatId, type: 'private', first_name: 'M' },
      text,
    },
  };
}

function runtime(db: FreshDatabase, clock: TestClock, rates = UNLIMITED_RATES): Runtime {
  return createRuntime({
    prisma: db.prisma,
    logger: silentLogger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: 86_400_000,
    clock,
    files: { dir: mkdtempSync(path.join(tmpdir(), 'outbox-files-')) },
    outbox: { rates },
  });
}

const textsTo = (api: FakeBotApi, chatId: number) =>
  api
    .calls('sendMessage')
    .filter((c) => c['chat_id'] === chatId)
    .map((c) => String(c['text']));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Telegram through the outbox', () => {
  let db: FreshDatabase;
  let api: FakeBotApi;
  let clock: TestClock;
  let rt: Runtime;
  let channel: TelegramChannel | undefined;
  let server: HttpServer | undefined;

  beforeEach(async () => {
    db = await freshDatabase();
    api = await FakeBotApi.start();
    clock = new TestClock(new Date('2026-12-01T03:00:00Z'));
    rt = runtime(db, clock);
  });
  afterEach(async () => {
    await server?.close();
    await channel?.stop();
    server = undefined;
    channel = undefined;
    await rt.outbox.stop();
    await api.close();
    await db.close();
  });

  async function webhook(): Promise<(body: object) => Promise<number>> {
    channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: api.apiRoot,
      mode: 'webhook',
      webhook: { secret: SECRET, path: PATH },
      gateway: rt.bot,
      logger: silentLogger,
    });
    server = createHttpServer({
      host: '127.0.0.1',
      port: 0,
      bodyLimitBytes: 64 * 1024,
      logger: silentLogger,
      routes: [channel.route!],
      health: async () => ({ ok: true }),
    });
    const base = `http://127.0.0.1:${(await server.start()).port}`;
    return async (body) =>
      (
        await fetch(base + PATH, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(body),
        })
      ).status;
  }

  it(
    'webhook: chat A in a 20 s retry_after does not delay chat B, and A gets everything afterwards, in order',
    {
      timeout: 15_000,
    },
    async () => {
      const post = await webhook();
      api.replyForChat('sendMessage', A, tooManyRequests(20), 5);
      expect(await post(update(1, A, 'alo'))).toBe(200);
      expect(await post(update(2, B, 'alo'))).toBe(200);
      // B: greeted and asked her language at once; A: one refused attempt, nothing slept, the rest waits.
      expect(textsTo(api, B)).toHaveLength(2);
      expect(textsTo(api, A)).toHaveLength(1);
      const waiting = await db.prisma.notification.findFirstOrThrow({ where: { kind: 'reply', status: 'pending' } });
      expect(waiting.nextAttemptAt.getTime() - clock.now().getTime()).toBe(20_000);

      // A push to B while A waits goes out at once too.
      const b = (await rt.members.findByChannelUser('telegram', String(B)))!;
      expect(await rt.outbox.send(b, [{ raw: 'Thông báo cho B' }], { kind: 'digest' })).toBe('sent');
      expect(textsTo(api, B).at(-1)).toBe('Thông báo cho B');

      expect(await rt.outbox.dispatch()).toBe(0); // not before retry_after
      clock.advance(20_000);
      api.replyForChat('sendMessage', A, { ok: true, result: { message_id: 1, date: 0, chat: { id: A } } }, 0);
      // The rest of the 429 script would still refuse: clear it by letting the fake answer normally from now on.
      (api as unknown as { scriptedForChat: Map<string, unknown> }).scriptedForChat.clear();
      expect(await rt.outbox.dispatch()).toBe(1);
      expect(textsTo(api, A).slice(1)).toEqual(textsTo(api, B).slice(0, 2));
      expect(await db.prisma.notification.count({ where: { status: 'pending' } })).toBe(0);
    },
  );

  it(
    'polling: one getUpdates batch with A in a 20 s retry_after and B: B is answered at once',
    {
      timeout: 15_000,
    },
    async () => {
      channel = createTelegramChannel({
        token: TOKEN,
        apiRoot: api.apiRoot,
        mode: 'polling',
        gateway: rt.bot,
        logger: silentLogger,
      });
      api.replyForChat('sendMessage', A, tooManyRequests(20), 5);
      api.pushUpdates(update(11, A, 'alo'), update(12, B, 'alo'));
      await channel.start();
      await until(() => textsTo(api, B).length === 2);
      expect(textsTo(api, A)).toHaveLength(1);
      await channel.stop();
      channel = undefined;
    },
  );

  it('a turn that rolls back queues nothing: she gets the apology, and no row waits', async () => {
    const post = await webhook();
    expect(await post(update(31, A, 'alo'))).toBe(200);
    const before = await db.prisma.notification.count();
    // Her next turn fails at its very end (the state cannot be saved): rolled back whole.
    await db.prisma.$executeRawUnsafe('DROP TABLE "ConversationState"');
    expect(await post(update(32, A, 'Tiếng Việt'))).toBe(200);
    expect(textsTo(api, A).at(-1)).toContain('Xin lỗi chị, hệ thống đang gặp trục trặc');
    const rows = await db.prisma.notification.findMany({ orderBy: { createdAt: 'asc' } });
    // Only the apology was added (queued after the rollback, and sent).
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ kind: 'reply', status: 'sent' });
    expect(JSON.stringify(rows.at(-1)?.messages)).toContain('Xin lỗi');
  });

  it('a reply answered 502 once is delivered afterwards, in order, and nothing twice', async () => {
    const post = await webhook();
    api.replyForChat('sendMessage', A, badGateway, 1);
    expect(await post(update(21, A, 'alo'))).toBe(200);
    const [greeting] = textsTo(api, A);
    const row = await db.prisma.notification.findFirstOrThrow({ where: { kind: 'reply' } });
    expect(row).toMatchObject({ status: 'pending', attempts: 1, progress: 0, lastError: '502' });
    clock.advance(30_000);
    expect(await rt.outbox.dispatch()).toBe(1);
    const texts = textsTo(api, A);
    expect(texts).toHaveLength(3);
    expect(texts[1]).toBe(greeting);
    expect(texts[2]).toContain('ngôn ngữ');
    expect(await rt.outbox.dispatch()).toBe(0);
    expect(textsTo(api, A)).toHaveLength(3);
  });
});

describe('rate limits (clock injected)', () => {
  let db: FreshDatabase;
  let clock: TestClock;
  let outbox: Outbox;
  let sent: { to: string; text: string }[];
  let members: Member[];

  async function setUp(rate: { overallPerSecond: number; chatPerSecond: number; chatBurst: number }, people: number) {
    db = await freshDatabase();
    clock = new TestClock(new Date('2026-12-01T03:00:00Z'));
    const ambient = ambientTransactions(db.prisma);
    const memberRepo = createMemberRepository(ambient.prisma);
    const localisation = createLocalisation();
    outbox = createOutbox({
      store: createNotificationRepository(ambient.prisma),
      members: memberRepo,
      transactor: ambient.transactor,
      translator: localisation.translator,
      typedFor: () => undefined,
      clock,
      logger: silentLogger,
      settings: { rates: { ...UNLIMITED_RATES, telegram: rate } },
    });
    sent = [];
    const delivery: Delivery = {
      deliver: async (to, message) => {
        sent.push({ to: to.userId, text: message.kind === 'photo' ? '' : message.text });
        return { kind: 'sent' };
      },
    };
    outbox.connect('telegram', delivery);
    members = [];
    for (let i = 0; i < people; i++) {
      members.push(await memberRepo.create({ channel: 'telegram', channelUserId: `p${i}`, language: 'vi' }));
    }
  }
  afterEach(() => db.close());

  const push = (m: Member, text: string) => outbox.send(m, [{ raw: text }], { kind: 'digest' });

  it('one chat: a burst of 3, then 1 message a second', async () => {
    await setUp({ overallPerSecond: 100, chatPerSecond: 1, chatBurst: 3 }, 1);
    for (let i = 1; i <= 5; i++) await push(members[0]!, `m${i}`);
    expect(sent.map((s) => s.text)).toEqual(['m1', 'm2', 'm3']);
    expect(await outbox.dispatch()).toBe(0);
    clock.advance(1000);
    expect(await outbox.dispatch()).toBe(1);
    clock.advance(500);
    expect(await outbox.dispatch()).toBe(0);
    clock.advance(500);
    expect(await outbox.dispatch()).toBe(1);
    expect(sent.map((s) => s.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('the whole channel: at most its overall rate, whatever the chats', async () => {
    await setUp({ overallPerSecond: 2, chatPerSecond: 10, chatBurst: 10 }, 5);
    for (const m of members) await push(m, `to ${m.channelUserId}`);
    expect(sent).toHaveLength(2);
    clock.advance(1000);
    expect(await outbox.dispatch()).toBe(2);
    clock.advance(1000);
    expect(await outbox.dispatch()).toBe(1);
    expect(new Set(sent.map((s) => s.to)).size).toBe(5);
  });

  it('gives a message up after the last attempt, with the reason recorded', async () => {
    await setUp({ overallPerSecond: 100, chatPerSecond: 100, chatBurst: 10 }, 1);
    let tries = 0;
    outbox.connect('telegram', {
      deliver: async (): Promise<DeliveryResult> => {
        tries++;
        return { kind: 'failed', reason: '503' };
      },
    });
    await push(members[0]!, 'x');
    for (let i = 0; i < 6; i++) {
      clock.advance(3_600_000);
      await outbox.dispatch();
    }
    const row = await db.prisma.notification.findFirstOrThrow();
    // OUTBOX_MAX_ATTEMPTS (5) tries in all — the one after the commit and four by the dispatcher —, each counted.
    expect(tries).toBe(5);
    expect(row).toMatchObject({ status: 'failed', lastError: '503', attempts: 5 });
    // What "my data" can show of it, and the retention: gone once older than the retention period.
    expect(await outbox.summaryOf(members[0]!.id)).toMatchObject({ pending: 0, held: 0, sent: 0, failed: 1 });
    expect(await outbox.prune(new Date(row.createdAt.getTime()))).toBe(0);
    expect(await outbox.prune(new Date(row.createdAt.getTime() + 1))).toBe(1);
    expect(await db.prisma.notification.count()).toBe(0);
  });

  it('a member who blocked the bot: her pushes are held with the reason, and go out first when she writes', async () => {
    await setUp({ overallPerSecond: 100, chatPerSecond: 100, chatBurst: 10 }, 1);
    let blocked = true;
    outbox.connect('telegram', {
      deliver: async (to, message): Promise<DeliveryResult> => {
        if (blocked) return { kind: 'unreachable', reason: '403' };
        sent.push({ to: to.userId, text: message.kind === 'photo' ? '' : message.text });
        return { kind: 'sent' };
      },
    });
    await push(members[0]!, 'first');
    const [row] = await db.prisma.notification.findMany();
    expect(row).toMatchObject({ status: 'pending', held: 'unreachable', lastError: '403' });
    expect((await db.prisma.member.findFirstOrThrow()).unreachableAt).not.toBeNull();
    // She writes again: the gateway clears the mark in her turn, then what waited for her is released and sent first.
    blocked = false;
    const back = await createMemberRepository(db.prisma).update(members[0]!.id, { unreachableAt: null });
    expect(await outbox.releaseHeld(back)).toEqual([{ kind: 'text', text: 'first' }]);
    await outbox.deliverNow(back.id);
    expect(sent.map((s) => s.text)).toEqual(['first']);
  });
});

describeEachProvider('two dispatchers on one database', (provider) => {
  it('never send a row twice, and keep each member’s order', { timeout: 30_000 }, async () => {
    const db = await freshDatabase(provider);
    const other = await openDatabase(db.url);
    const clock = new TestClock(new Date('2026-12-01T03:00:00Z'));
    const seen: { to: string; text: string }[] = [];
    const instances = [db.prisma, other.prisma].map((client) => {
      const ambient = ambientTransactions(client);
      const instance = createOutbox({
        store: createNotificationRepository(ambient.prisma),
        members: createMemberRepository(ambient.prisma),
        transactor: ambient.transactor,
        translator: createLocalisation().translator,
        typedFor: () => undefined,
        clock,
        logger: silentLogger,
        settings: { rates: UNLIMITED_RATES, batchSize: 7, concurrency: 3 },
      });
      instance.connect('telegram', {
        deliver: async (to, message: OutboundMessage) => {
          await new Promise((r) => setTimeout(r, 1));
          seen.push({ to: to.userId, text: message.kind === 'photo' ? '' : message.text });
          return { kind: 'sent' };
        },
      });
      return instance;
    });
    try {
      const store = createNotificationRepository(db.prisma);
      const members = createMemberRepository(db.prisma);
      for (let p = 0; p < 8; p++) {
        const m = await members.create({ channel: 'telegram', channelUserId: `m${p}`, language: 'vi' });
        for (let k = 0; k < 5; k++) {
          await store.enqueue({
            recipientId: m.id,
            caseId: null,
            kind: 'digest',
            messages: [{ kind: 'text', text: `m${p}-${k}` }],
            createdAt: new Date(clock.now().getTime() + k),
            nextAttemptAt: clock.now(),
          });
        }
      }
      for (let round = 0; round < 20; round++) {
        await Promise.all(instances.flatMap((i) => [i.dispatch(), i.dispatch()]));
        if ((await db.prisma.notification.count({ where: { status: 'pending' } })) === 0) break;
      }
      expect(await db.prisma.notification.count({ where: { status: 'pending' } })).toBe(0);
      expect(seen).toHaveLength(40);
      expect(new Set(seen.map((s) => s.text)).size).toBe(40);
      for (let p = 0; p < 8; p++) {
        expect(seen.filter((s) => s.to === `m${p}`).map((s) => s.text)).toEqual(
          [0, 1, 2, 3, 4].map((k) => `m${p}-${k}`),
        );
      }
    } finally {
      await other.close();
      await db.close();
    }
  });

  it('an instance without a member’s channel leaves her rows to the one that has it (never holds them)', async () => {
    const db = await freshDatabase(provider);
    const other = await openDatabase(db.url);
    const clock = new TestClock(new Date('2026-12-01T03:00:00Z'));
    const printed: string[] = [];
    const make = (client: typeof db.prisma) => {
      const ambient = ambientTransactions(client);
      return createOutbox({
        store: createNotificationRepository(ambient.prisma),
        members: createMemberRepository(ambient.prisma),
        transactor: ambient.transactor,
        translator: createLocalisation().translator,
        typedFor: () => undefined,
        clock,
        logger: silentLogger,
        settings: { rates: UNLIMITED_RATES },
      });
    };
    // A Zalo bot's instance, and a terminal chat started beside it on the same database.
    const zaloBot = make(db.prisma);
    zaloBot.connect('zalo', { deliver: () => Promise.resolve({ kind: 'sent' }) });
    const terminal = make(other.prisma);
    terminal.connect('console', {
      deliver: (_to, message: OutboundMessage) => {
        printed.push(message.kind === 'photo' ? '' : message.text);
        return Promise.resolve({ kind: 'sent' });
      },
    });
    try {
      const member = await createMemberRepository(db.prisma).create({
        channel: 'console',
        channelUserId: 'local-member',
        language: 'vi',
      });
      await createNotificationRepository(db.prisma).enqueue({
        recipientId: member.id,
        caseId: null,
        kind: 'reply',
        messages: [{ kind: 'text', text: 'Xin chào!' }],
        createdAt: clock.now(),
        nextAttemptAt: clock.now(),
      });
      // The Zalo bot's pass comes first (as between a turn's commit and its fast path): it takes nothing.
      expect(await zaloBot.dispatch()).toBe(0);
      const row = await db.prisma.notification.findFirstOrThrow({ where: { recipientId: member.id } });
      expect(row.held).toBeNull();
      expect(row.leaseToken).toBeNull();
      expect(await terminal.dispatch()).toBe(1);
      expect(printed).toEqual(['Xin chào!']);
    } finally {
      await other.close();
      await db.close();
    }
  });
});

describe('stopping the dispatcher (shutdown)', () => {
  it('a pass under way finishes the chats it started and lets the others go for the next start at once', async () => {
    const db = await freshDatabase();
    const clock = new TestClock(new Date('2026-12-01T03:00:00Z'));
    const make = (deliver: Delivery['deliver']) => {
      const ambient = ambientTransactions(db.prisma);
      const instance = createOutbox({
        store: createNotificationRepository(ambient.prisma),
        members: createMemberRepository(ambient.prisma),
        transactor: ambient.transactor,
        translator: createLocalisation().translator,
        typedFor: () => undefined,
        clock,
        logger: silentLogger,
        settings: { rates: UNLIMITED_RATES, concurrency: 2, pollMs: 60_000 },
      });
      instance.connect('telegram', { deliver });
      return instance;
    };
    try {
      const store = createNotificationRepository(db.prisma);
      const members = createMemberRepository(db.prisma);
      for (let p = 0; p < 6; p++) {
        const m = await members.create({ channel: 'telegram', channelUserId: `s${p}`, language: 'vi' });
        await store.enqueue({
          recipientId: m.id,
          caseId: null,
          kind: 'digest',
          messages: [{ kind: 'text', text: `to s${p}` }],
          createdAt: new Date(clock.now().getTime() + p),
          nextAttemptAt: clock.now(),
        });
      }
      // The first two chats' sends hang until the stop has begun.
      const sent: string[] = [];
      let started = 0;
      let open: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const stopping = make(async (to) => {
        started++;
        await gate;
        sent.push(to.userId);
        return { kind: 'sent' };
      });
      stopping.start();
      await until(() => started === 2);
      const stopped = stopping.stop();
      open();
      await stopped;
      expect(started).toBe(2);
      expect(sent.sort()).toEqual(['s0', 's1']);
      // The four others: waiting, claimed by nobody.
      const left = await db.prisma.notification.findMany({ where: { status: 'pending' } });
      expect(left).toHaveLength(4);
      expect(left.every((row) => row.leaseUntil === null && row.attempts === 0)).toBe(true);
      // The next start sends them at once (the clock has not moved: no lease to wait out).
      const next = make(async (to) => {
        sent.push(to.userId);
        return { kind: 'sent' };
      });
      expect(await next.dispatch()).toBe(4);
      expect(sent.sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
    } finally {
      await db.close();
    }
  });
});
