// The log scan: every webhook (Telegram, Zalo Bot Platform, Zalo OA) is fed seeded, fuzzed payloads full of personal
// data — names and phone numbers in every field, event names, chat types and ids, keys named after them, a 1 MB
// message_id — through the real bot on SQLite and the real logger (pino, as in production, at debug level). Then
// every log line is read back: nothing personal in any line, no line over 4 KB, and an error's type is visible.
// The seed is printed; LOG_FUZZ_SEED=<seed> replays a run.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../src/channels/telegram/index.ts';
import { createZaloBotChannel, type ZaloBotChannel } from '../src/channels/zalo/bot/index.ts';
import { createZaloOaChannel, type ZaloOaChannel } from '../src/channels/zalo/oa/index.ts';
import { createCredentialStore } from '../src/data/credentialStore.ts';
import { createInboundEventStore } from '../src/data/inboundEventStore.ts';
import { zaloOaCredentialId } from '../src/domain/credentials.ts';
import type { WebhookRoute } from '../src/http/routes.ts';
import { createLogger } from '../src/logger.ts';
import { FakeBotApi, TOKEN as TELEGRAM_TOKEN } from './channels/telegram/fake-bot-api.ts';
import { FakeZaloBot, TOKEN as ZALO_BOT_TOKEN } from './channels/zalo/bot/fake-zalo-bot.ts';
import { APP_ID, APP_SECRET, FakeZalo, OA_SECRET, sign } from './channels/zalo/oa/fake-zalo.ts';
import { realRuntime, TestClock } from './helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from './helpers/database.ts';
import { prng } from './helpers/random.ts';

const SEED = Number(process.env.LOG_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = 40; // per channel
const MAX_LINE_BYTES = 4096;

/** What must never reach a log line (compared case-insensitively, and the phone's digits on their own). */
const PERSONAL = ['Nguyễn Thị Lan', 'Nguyen Thi Lan', '0912 345 678', '0912345678', '912345678', 'xóm Đồng Bẩm'];
const MARKERS = [
  'Nguyễn Thị Lan',
  'Nguyen Thi Lan',
  '0912 345 678',
  '0912345678',
  '+84912345678',
  'xóm Đồng Bẩm',
  '0912 345 678 Nguyen Thi Lan',
  'nguyen.thi.lan',
  'Nguyen_Thi_Lan_0912345678',
];

const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const HUGE = `${'Nguyen Thi Lan 0912345678 '.repeat(40_000)}`; // ~1 MB

/** A fuzzed value: personal text, a huge string, a wrong type, or a structure carrying personal data. */
function fuzzValue(): unknown {
  return pick<() => unknown>([
    () => pick(MARKERS),
    () => pick(MARKERS),
    () => HUGE,
    () => 912345678,
    () => null,
    () => ({ name: pick(MARKERS), [pick(MARKERS)]: pick(MARKERS) }),
    () => [pick(MARKERS), { phone: pick(MARKERS) }],
    () => `${pick(MARKERS)}\u0000\n"}{`,
  ])();
}

/** Sets a fuzzed value at a random path of `target` (existing or new), a few times; sometimes adds a key named after a person. */
function mutate(target: Record<string, unknown>, paths: string[][]): Record<string, unknown> {
  const copy = structuredClone(target);
  const times = 1 + Math.floor(random() * 3);
  for (let i = 0; i < times; i++) {
    const path = pick(paths);
    let node: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path.at(-1) as string] = fuzzValue();
  }
  if (random() < 0.3) copy[pick(MARKERS)] = pick(MARKERS);
  return copy;
}

let lines: string[] = [];
let db: FreshDatabase;
let telegramApi: FakeBotApi;
let zaloBotApi: FakeZaloBot;
let zaloOa: FakeZalo;
let telegram: TelegramChannel;
let zaloBot: ZaloBotChannel;
let oa: ZaloOaChannel;

beforeAll(async () => {
  console.log(`log scan: fuzz seed ${SEED} (replay with LOG_FUZZ_SEED=${SEED})`);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  const logger = createLogger('debug', sink);
  db = await freshDatabase();
  const runtime = realRuntime(db.prisma, new TestClock(new Date()), { logger });
  [telegramApi, zaloBotApi, zaloOa] = await Promise.all([FakeBotApi.start(), FakeZaloBot.start(), FakeZalo.start()]);
  telegram = createTelegramChannel({
    token: TELEGRAM_TOKEN,
    apiRoot: telegramApi.apiRoot,
    mode: 'webhook',
    webhook: { secret: 'S3cret-token_for-webhook', path: '/telegram/webhook' },
    gateway: runtime.bot,
    logger,
  });
  zaloBot = createZaloBotChannel({
    token: ZALO_BOT_TOKEN,
    apiBase: zaloBotApi.apiBase,
    mode: 'webhook',
    webhook: { secret: 'S3cret-token_for-zalo-webhook', path: '/zalo/bot/webhook' },
    gateway: runtime.bot,
    logger,
  });
  const pair = zaloOa.issuePair();
  await createCredentialStore(db.prisma).swap(
    zaloOaCredentialId(APP_ID),
    { ...pair, accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null },
    0,
  );
  oa = createZaloOaChannel({
    appId: APP_ID,
    oaSecretKey: OA_SECRET,
    appSecret: APP_SECRET,
    webhookPath: '/zalo/oa/webhook',
    apiBase: zaloOa.baseUrl,
    oauthBase: zaloOa.baseUrl,
    credentials: createCredentialStore(db.prisma),
    gateway: runtime.bot,
    logger,
    sleep: async () => undefined,
    events: createInboundEventStore(db.prisma),
    processing: { pollMs: 50, backoffMs: 10, maxAttempts: 2 },
  });
  await Promise.all([telegram.start(), zaloBot.start(), oa.start()]);
});

afterAll(async () => {
  await Promise.all([telegram.stop(), zaloBot.stop(), oa.stop()]);
  await Promise.all([telegramApi.close(), zaloBotApi.close(), zaloOa.close()]);
  await db.close();
});

async function post(route: WebhookRoute, headers: Record<string, string>, body: unknown): Promise<number> {
  const rawBody = Buffer.from(JSON.stringify(body));
  return (await route.handle({ headers, rawBody })).status;
}

describe('the log scan (seeded fuzzing of every webhook)', () => {
  it('finds nothing personal and no line over 4 KB, and error types stay visible', async () => {
    lines = lines.slice(0, 0);
    for (let i = 0; i < ROUNDS; i++) {
      // Telegram: a member's text update, fuzzed.
      const update = {
        update_id: 100_000 + i,
        message: {
          message_id: i + 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 555_000 + (i % 5), type: 'private', first_name: 'Lan' },
          from: { id: 555_000 + (i % 5), is_bot: false, first_name: 'Lan', language_code: 'vi' },
          text: pick(MARKERS),
        },
      };
      await post(
        telegram.route!,
        { 'x-telegram-bot-api-secret-token': 'S3cret-token_for-webhook' },
        mutate(update, [
          ['message', 'text'],
          ['message', 'chat', 'type'],
          ['message', 'from', 'first_name'],
          ['message', 'from', 'language_code'],
          ['message', 'media_group_id'],
          ['message', 'caption'],
          ['callback_query', 'data'],
          ['my_chat_member', 'new_chat_member', 'status'],
          [pick(MARKERS)],
        ]),
      );

      // Zalo Bot Platform.
      const event = {
        ok: true,
        result: {
          event_name: 'message.text.received',
          message: {
            message_id: `zb-${i}`,
            date: Date.now(),
            chat: { id: `zb-chat-${i % 5}`, chat_type: 'PRIVATE' },
            from: { id: `zb-chat-${i % 5}`, display_name: 'Lan', is_bot: false },
            text: pick(MARKERS),
          },
        },
      };
      await post(
        zaloBot.route!,
        { 'x-bot-api-secret-token': 'S3cret-token_for-zalo-webhook' },
        mutate(event, [
          ['result', 'event_name'],
          ['result', 'message', 'message_id'],
          ['result', 'message', 'chat', 'chat_type'],
          ['result', 'message', 'chat', 'id'],
          ['result', 'message', 'from', 'display_name'],
          ['result', 'message', 'text'],
          ['result', 'message', 'photo_url'],
        ]),
      );

      // Zalo OA, signed as Zalo signs (the fuzzing is of the content, not of the signature).
      const oaEvent = mutate(
        {
          app_id: APP_ID,
          event_name: pick(['user_send_text', 'user_send_image', 'follow', 'user_withdraw', 'user_send_sticker']),
          timestamp: String(Date.now()),
          sender: { id: `oa-user-${i % 5}` },
          follower: { id: `oa-user-${i % 5}` },
          recipient: { id: 'oa-579' },
          message: {
            msg_id: `oa-${i}`,
            text: pick(MARKERS),
            attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg' } }],
          },
        },
        [
          ['event_name'],
          ['sender', 'id'],
          ['message', 'msg_id'],
          ['message', 'text'],
          ['message', 'attachments'],
          ['user_id_by_app'],
          ['follower', 'id'],
        ],
      );
      const timestamp = typeof oaEvent.timestamp === 'string' ? oaEvent.timestamp : String(Date.now());
      const raw = JSON.stringify(oaEvent);
      await oa.route.handle({ headers: { 'x-zevent-signature': sign(raw, timestamp) }, rawBody: Buffer.from(raw) });
    }
    await oa.idle();

    expect(lines.length).toBeGreaterThan(ROUNDS);
    for (const line of lines) {
      expect(
        Buffer.byteLength(line),
        `a line of ${Buffer.byteLength(line)} bytes: ${line.slice(0, 200)}`,
      ).toBeLessThanOrEqual(MAX_LINE_BYTES);
      const lower = line.toLowerCase();
      for (const personal of PERSONAL)
        expect(lower, `seed ${SEED}: ${line.slice(0, 300)}`).not.toContain(personal.toLowerCase());
      const parsed = JSON.parse(line) as { err?: { name?: string } };
      if (parsed.err !== undefined) expect(parsed.err.name).not.toBe('[redacted]');
    }
    // No oversized value became a database key.
    const keys = await db.prisma.processedInbound.findMany({ select: { messageId: true } });
    expect(keys.every((k) => k.messageId.length <= 200)).toBe(true);
    const events = await db.prisma.inboundEvent.findMany({ select: { eventKey: true, userId: true } });
    expect(events.every((e) => e.eventKey.length <= 200 && e.userId.length <= 64)).toBe(true);
    // Seeded fuzzing through three webhooks and the real bot: seconds alone, longer on a loaded 2-core machine.
  }, 60_000);

  it('a redelivered message whose id is a phone number: the duplicate is logged without the id', async () => {
    lines = lines.slice(0, 0);
    const event = {
      ok: true,
      result: {
        event_name: 'message.text.received',
        message: {
          message_id: 987654321, // unlike the fuzzed ids above: its first delivery is new
          date: Date.now(),
          chat: { id: 'zb-chat-dup', chat_type: 'PRIVATE' },
          from: { id: 'zb-chat-dup', display_name: 'Lan', is_bot: false },
          text: 'xin chao',
        },
      },
    };
    const headers = { 'x-bot-api-secret-token': 'S3cret-token_for-zalo-webhook' };
    expect(await post(zaloBot.route!, headers, event)).toBe(200);
    expect(await post(zaloBot.route!, headers, event)).toBe(200);
    const duplicate = lines.filter((line) => line.includes('duplicate delivery ignored'));
    expect(duplicate).toHaveLength(1);
    for (const line of lines) expect(line).not.toContain('987654321');
  });

  it('an error is logged with its type and code, never its message', () => {
    lines = lines.slice(0, 0);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger('info', sink);
    const error = Object.assign(new Error('Unique constraint failed: Nguyen Thi Lan 0912345678'), { code: 'P2002' });
    error.name = 'PrismaClientKnownRequestError';
    logger.error({ err: error, name: 'Nguyen Thi Lan', member: { name: 'Nguyen Thi Lan' } }, 'a failure');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line.err).toMatchObject({ name: 'PrismaClientKnownRequestError', code: 'P2002' });
    expect(lines[0]).not.toContain('Nguyen Thi Lan');
    expect(lines[0]).not.toContain('0912345678');
  });
});
