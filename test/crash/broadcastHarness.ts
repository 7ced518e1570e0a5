// The broadcast crash test (issue 14, "How it is checked"). The real bot (`node --import tsx src/main.ts`, Telegram
// webhook mode, a fresh database) runs as a child process — one, or two on one PostgreSQL database — against the fake
// Bot API on loopback, with the rate limits raised (OUTBOX_TELEGRAM_RATE 2,000/s; the rate itself is checked with an
// injected clock in test/app/broadcastDispatcher.test.ts) and quiet hours off. A broadcast already in `sending` with one
// delivery per recipient is written before the start. A process is killed with SIGKILL once a seeded number of sends
// has reached the fake API (CRASH_SEED replays; the seed is printed), then started again. At the end:
// - every delivery is `sent` and every recipient received the message (nobody skipped);
// - a recipient received it twice only if her delivery is marked uncertain (its send was in flight at the kill), and
//   there are at most BROADCAST_CONCURRENCY uncertain deliveries per kill.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { FakeBotApi, TOKEN } from '../channels/telegram/fake-bot-api.ts';
import { freshDatabase, type Provider } from '../helpers/database.ts';
import { seedBroadcast, seedMembers } from '../helpers/dispatchSeed.ts';
import { prng } from '../helpers/random.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const START_WAIT_MS = 45_000;
const FINISH_WAIT_MS = 60_000;
/** BROADCAST_CONCURRENCY of the processes: the most sends in flight at a kill (so, uncertain) per process. */
const CONCURRENCY = 16;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

class BotProcess {
  private child: ChildProcess | undefined;
  private log = '';
  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const state = { started: false };
    const onData = (d: Buffer) => {
      const text = d.toString();
      this.log = (this.log + text).slice(-20_000);
      if (text.includes('"msg":"bot started"')) state.started = true;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const deadline = Date.now() + START_WAIT_MS;
    while (!state.started) {
      if (child.exitCode !== null) throw new Error(`the bot exited at start:\n${this.log}`);
      if (Date.now() > deadline) throw new Error(`the bot did not start in time:\n${this.log}`);
      await sleep(20);
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child?.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(10_000)]);
  }

  tail(): string {
    return this.log.slice(-4000);
  }
}

export interface BroadcastCrashSettings {
  seed: number;
  recipients: number;
  /** Dispatcher processes on the database (the killed one is the first). */
  processes: number;
}

/** CRASH_SEED and BROADCAST_CRASH_RECIPIENTS (default 5,000) from the environment; the seed printed for a replay. */
export function broadcastCrashSettings(label: string, processes: number): BroadcastCrashSettings {
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const recipients = Number(process.env.BROADCAST_CRASH_RECIPIENTS ?? 5000);
  console.log(
    `broadcast crash test ${label}: seed ${seed}, ${recipients} recipients, ${processes} process(es) (replay: CRASH_SEED=${seed})`,
  );
  return { seed, recipients, processes };
}

export async function broadcastCrashTest(provider: Provider, settings: BroadcastCrashSettings): Promise<void> {
  const random = prng(settings.seed);
  const api = await FakeBotApi.start();
  // A short pause per call, so that sends are in flight when the kill comes (as on a real network).
  api.delay('sendMessage', 1);
  const db = await freshDatabase(provider);
  const filesDir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-bc-crash-'));
  const bots: BotProcess[] = [];
  try {
    const seeding = Date.now();
    const now = new Date();
    const firstChat = 8_000_000;
    const ids = await seedMembers(
      db.prisma,
      Array.from({ length: settings.recipients }, (_, i) => ({ channelUserId: String(firstChat + i) })),
      now,
    );
    const broadcastId = await seedBroadcast(db.prisma, ids, now, { texts: { vi: 'Cảnh báo bão số 3' } });
    if (process.env.CRASH_TIMING) console.log(`seeded: ${Date.now() - seeding} ms`);
    for (let p = 0; p < settings.processes; p++) {
      const port = await freePort();
      bots.push(
        new BotProcess({
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          DATABASE_URL: db.url,
          FILES_DIR: filesDir,
          HTTP_HOST: '127.0.0.1',
          HTTP_PORT: String(port),
          SHUTDOWN_TIMEOUT_MS: '2000',
          LOG_LEVEL: 'info',
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_MODE: 'webhook',
          TELEGRAM_WEBHOOK_SECRET: 'broadcast-crash-secret',
          TELEGRAM_API_ROOT: api.apiRoot,
          // Limits raised so the test stays short; quiet hours off (the test runs at any hour).
          OUTBOX_TELEGRAM_RATE: '2000',
          OUTBOX_POLL_MS: '100',
          BROADCAST_HOURS: '00:00-24:00',
          BROADCAST_CONCURRENCY: String(CONCURRENCY),
        }),
      );
    }
    const sends = () => api.requests.length;
    const t0 = Date.now();
    const mark = (what: string) => process.env.CRASH_TIMING && console.log(`${what}: ${Date.now() - t0} ms`);
    await Promise.all(bots.map((bot) => bot.start()));
    mark('started');
    // The kill: once a seeded share (10–80 %) of the recipients has been sent to.
    const killAfter = Math.floor(settings.recipients * (0.1 + 0.7 * random()));
    const deadline = Date.now() + FINISH_WAIT_MS;
    while (sends() < killAfter) {
      if (Date.now() > deadline) throw new Error(`only ${sends()} sends before the kill point ${killAfter}`);
      await sleep(2);
    }
    mark('kill point');
    await bots[0]!.kill();
    const inFlight = await db.prisma.broadcastDelivery.count({ where: { broadcastId, status: 'sending' } });
    console.log(
      `broadcast crash test: killed after ${killAfter} sends (seed ${settings.seed}); ${inFlight} delivery(ies) sending`,
    );
    await bots[0]!.start();
    mark('restarted');
    for (;;) {
      const left = await db.prisma.broadcastDelivery.count({
        where: { broadcastId, status: { in: ['pending', 'sending'] } },
      });
      if (left === 0) break;
      if (Date.now() > deadline) throw new Error(`${left} deliveries still not sent (seed ${settings.seed})`);
      await sleep(50);
    }

    mark('all sent');
    // Every delivery sent, every recipient reached.
    const rows = await db.prisma.broadcastDelivery.findMany({
      where: { broadcastId },
      select: { status: true, uncertain: true, member: { select: { channelUserId: true } } },
    });
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const perChat = new Map<string, number>();
    for (const call of api.calls('sendMessage')) {
      const chat = String(call['chat_id']);
      perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
    }
    expect(perChat.size, `recipients reached (seed ${settings.seed})`).toBe(settings.recipients);
    // Twice only where uncertain; at most BROADCAST_CONCURRENCY uncertain per dispatcher killed.
    const uncertain = new Set(rows.filter((r) => r.uncertain).map((r) => r.member.channelUserId));
    const twice = [...perChat].filter(([, n]) => n > 1).map(([chat]) => chat);
    for (const chat of twice)
      expect(uncertain.has(chat), `chat ${chat} got it twice (seed ${settings.seed})`).toBe(true);
    expect(Math.max(...perChat.values())).toBeLessThanOrEqual(2);
    expect(uncertain.size).toBeLessThanOrEqual(CONCURRENCY);
    console.log(
      `broadcast crash test: ${settings.recipients} sent, ${uncertain.size} uncertain, ${twice.length} received twice (seed ${settings.seed})`,
    );
  } catch (error) {
    for (const [n, bot] of bots.entries())
      console.error(`process ${n} log tail (seed ${settings.seed}):\n${bot.tail()}`);
    throw error;
  } finally {
    await Promise.all(bots.map((bot) => bot.kill()));
    await api.close();
    await db.close();
    await rm(filesDir, { recursive: true, force: true });
  }
}
