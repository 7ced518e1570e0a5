// The hostile-input suite's bot (issue 15): the real runtime (everything main.ts wires) on a fresh database, the three
// webhooks (Telegram, Zalo OA signed, Zalo Bot secret) on the real HTTP server (src/http/server.ts, the production body
// limit), fake platforms on loopback, the real logger (pino at debug level) captured line by line, and every
// unhandled rejection or uncaught exception of the process captured too.
import { Writable } from 'node:stream';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/index.ts';
import { createZaloBotChannel, type ZaloBotChannel } from '../../src/channels/zalo/bot/index.ts';
import { createZaloOaChannel, type ZaloOaChannel } from '../../src/channels/zalo/oa/index.ts';
import type { Clock } from '../../src/conversation/ports.ts';
import { createCredentialStore } from '../../src/data/credentialStore.ts';
import { createInboundEventStore } from '../../src/data/inboundEventStore.ts';
import { zaloOaCredentialId } from '../../src/domain/credentials.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/wiring.ts';
import type { TurnSettings } from '../../src/app/turnQueue.ts';
import { FakeBotApi, TOKEN as TELEGRAM_TOKEN } from '../channels/telegram/fake-bot-api.ts';
import { FakeZaloBot, TOKEN as ZALO_BOT_TOKEN } from '../channels/zalo/bot/fake-zalo-bot.ts';
import { APP_ID, APP_SECRET, FakeZalo, OA_SECRET } from '../channels/zalo/oa/fake-zalo.ts';
import { AREAS_FILE, HOUR, TestClock, UNLIMITED_RATES } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase, type Provider } from '../helpers/database.ts';
import { tempFilesDir } from '../helpers/photos.ts';

export const TELEGRAM_SECRET = 'Hostile-telegram_webhook-secret-42';
export const ZALO_BOT_SECRET = 'Hostile-zalobot_webhook-secret-43';
export const PATHS = { telegram: '/telegram/webhook', zalobot: '/zalo/bot/webhook', oa: '/zalo/oa/webhook' } as const;
export const BODY_LIMIT = 1024 * 1024;

/** Every secret the suite's bot knows: none may appear in a log line. */
export const SECRETS = [TELEGRAM_TOKEN, ZALO_BOT_TOKEN, OA_SECRET, APP_SECRET, TELEGRAM_SECRET, ZALO_BOT_SECRET];

/** The seed of a run: HOSTILE_SEED replays one; printed either way. */
export function hostileSeed(label: string): number {
  const seed = Number(process.env.HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`hostile suite ${label}: seed ${seed} (replay with HOSTILE_SEED=${seed})`);
  return seed;
}

export interface HostileBot {
  db: FreshDatabase;
  runtime: Runtime;
  telegramApi: FakeBotApi;
  zaloBotApi: FakeZaloBot;
  zaloOa: FakeZalo;
  telegram: TelegramChannel;
  zaloBot: ZaloBotChannel;
  oa: ZaloOaChannel;
  /** Base URL of the real HTTP server. */
  url: string;
  port: number;
  /** Every log line written so far (JSON, as pino wrote it). */
  lines: string[];
  /** Unhandled rejections and uncaught exceptions seen since the start. */
  crashes: unknown[];
  close(): Promise<void>;
}

export async function startHostileBot(
  provider: Provider,
  options: { clock?: Clock; turns?: TurnSettings; accessToken?: (token: string) => void } = {},
): Promise<HostileBot> {
  const lines: string[] = [];
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(line);
      done();
    },
  });
  const logger = createLogger('debug', sink);
  const clock = options.clock ?? new TestClock(new Date());
  const db = await freshDatabase(provider);
  const runtime = createRuntime({
    prisma: db.prisma,
    logger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: 24 * HOUR,
    caseEscalationMs: 2 * HOUR,
    invitationTtlHours: 72,
    clock,
    files: { dir: tempFilesDir() },
    outbox: { rates: UNLIMITED_RATES },
    ...(options.turns ? { turns: options.turns } : {}),
  });
  const [telegramApi, zaloBotApi, zaloOa] = await Promise.all([
    FakeBotApi.start(),
    FakeZaloBot.start(),
    FakeZalo.start(),
  ]);
  const telegram = createTelegramChannel({
    token: TELEGRAM_TOKEN,
    apiRoot: telegramApi.apiRoot,
    mode: 'webhook',
    webhook: { secret: TELEGRAM_SECRET, path: PATHS.telegram },
    gateway: runtime.bot,
    logger,
    clock,
  });
  const zaloBot = createZaloBotChannel({
    token: ZALO_BOT_TOKEN,
    apiBase: zaloBotApi.apiBase,
    mode: 'webhook',
    webhook: { secret: ZALO_BOT_SECRET, path: PATHS.zalobot },
    gateway: runtime.bot,
    logger,
  });
  const pair = zaloOa.issuePair();
  options.accessToken?.(pair.accessToken);
  await createCredentialStore(db.prisma).swap(
    zaloOaCredentialId(APP_ID),
    { ...pair, accessExpiresAt: new Date(Date.now() + 25 * HOUR), refreshExpiresAt: null },
    0,
  );
  const oa = createZaloOaChannel({
    appId: APP_ID,
    oaSecretKey: OA_SECRET,
    appSecret: APP_SECRET,
    webhookPath: PATHS.oa,
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
  const server: HttpServer = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: BODY_LIMIT,
    logger,
    routes: [telegram.route!, zaloBot.route!, oa.route],
    health: async () => ({ ok: true }),
  });
  const { port } = await server.start();
  return {
    db,
    runtime,
    telegramApi,
    zaloBotApi,
    zaloOa,
    telegram,
    zaloBot,
    oa,
    url: `http://127.0.0.1:${port}`,
    port,
    lines,
    crashes,
    async close() {
      await server.close();
      await Promise.all([telegram.stop(), zaloBot.stop(), oa.stop()]);
      await Promise.all([telegramApi.close(), zaloBotApi.close(), zaloOa.close()]);
      await db.close();
      process.off('unhandledRejection', onCrash);
      process.off('uncaughtException', onCrash);
    },
  };
}

/** POSTs raw bytes; resolves with the status (or 0 when the connection was cut). */
export async function postRaw(url: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
