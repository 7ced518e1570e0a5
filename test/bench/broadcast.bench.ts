// Broadcast dispatch figure (`npm run bench`, issue 14 "Performance"): the real dispatcher (src/app/broadcasts) and the
// real Telegram channel, rate limits off, sending a broadcast to BENCH_BROADCAST_RECIPIENTS (default 100,000) members
// through a loopback HTTP server that answers every sendMessage as Telegram does. Prints messages/s and the peak RSS;
// asserts nothing about timing. Exits 1 only when the work was not done (a delivery not sent, a chat not reached).
// Runs on new SQLite files in a temp folder, deleted at the end (not a vitest file, as conversation.bench.ts). The
// audiences are seeded by a child process (this file run with BENCH_BROADCAST_SEED_URL set) before the measured part
// starts: the RSS figures are the dispatcher's, not what seeding left.
// Then the Telegram limit on: OUTBOX_TELEGRAM_RATE (default 25/s) with the real dispatcher loop (its waits included)
// for 2 s + BENCH_BROADCAST_LIMIT_SECONDS (default 30); the achieved rate is counted at the fake API, over the whole
// run (with the initial burst: a full bucket, one second's worth) and over the window after the first 2 s (without).
// Settings: BENCH_BROADCAST_RECIPIENTS, BENCH_BROADCAST_CONCURRENCY (BROADCAST_CONCURRENCY, default 8),
// BENCH_BROADCAST_BATCH (BROADCAST_BATCH_SIZE, default 500), BENCH_BROADCAST_LIMIT_SECONDS (0: skip the limit-on part).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBroadcastDispatcher } from '../../src/app/broadcasts/dispatcher.ts';
import { createTelegramChannel } from '../../src/channels/telegram/index.ts';
import type { Logger } from '../../src/conversation/ports.ts';
import { createBroadcastDeliveryStore } from '../../src/data/broadcastDeliveryStore.ts';
import { openDatabase } from '../../src/data/database.ts';
import { applyMigrations } from '../../src/data/migrations.ts';
import { createRuntime } from '../../src/wiring.ts';
import { plainRender, seedBroadcast, seedMembers } from '../helpers/dispatchSeed.ts';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a positive integer, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const RECIPIENTS = positiveInt('BENCH_BROADCAST_RECIPIENTS', 100_000);
const CONCURRENCY = positiveInt('BENCH_BROADCAST_CONCURRENCY', 8);
const BATCH = positiveInt('BENCH_BROADCAST_BATCH', 500);
const LIMIT_SECONDS =
  process.env.BENCH_BROADCAST_LIMIT_SECONDS === '0' ? 0 : positiveInt('BENCH_BROADCAST_LIMIT_SECONDS', 30);
const TELEGRAM_RATE = positiveInt('OUTBOX_TELEGRAM_RATE', 25);
/** The limit-on audience: more than the window can send, so the dispatcher never runs dry. */
const LIMIT_AUDIENCE = Math.ceil(TELEGRAM_RATE * (LIMIT_SECONDS + 2) * 1.5) + 100;
const FIRST_CHAT = 9_000_000;
const TOKEN = '123456:BENCH-token_abcdefghijklmnop';
const UNLIMITED = { overallPerSecond: Infinity, chatPerSecond: Infinity, chatBurst: 1 };

const errors: unknown[] = [];
/** The figures for the final `BENCH_JSON` line (parsed by the `npm run bench` orchestrator). */
let figures: Record<string, unknown> | undefined;
const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (fields) => errors.push(fields),
};

/** Seeds `count` members (chats FIRST_CHAT...) and a broadcast to them into a new database, in a child process. */
async function seedInChild(url: string, count: number): Promise<{ broadcastId: number; seedMs: number }> {
  const child = spawn(process.execPath, [...process.execArgv, import.meta.filename], {
    env: { ...process.env, BENCH_BROADCAST_SEED_URL: url, BENCH_BROADCAST_SEED_COUNT: String(count) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const line = out.split('\n').find((l) => l.startsWith('SEEDED '));
  if (code !== 0 || line === undefined) throw new Error(`seeding process failed (exit ${String(code)}): ${out}`);
  return JSON.parse(line.slice('SEEDED '.length)) as { broadcastId: number; seedMs: number };
}

/** The child's part: migrate, seed, print `SEEDED {...}`. */
async function seedOnly(url: string, count: number): Promise<number> {
  const seedStart = performance.now();
  await applyMigrations(url);
  const database = await openDatabase(url);
  try {
    const now = new Date();
    const ids = await seedMembers(
      database.prisma,
      Array.from({ length: count }, (_, i) => ({ channelUserId: String(FIRST_CHAT + i) })),
      now,
    );
    const broadcastId = await seedBroadcast(database.prisma, ids, now, {
      texts: { vi: 'Thông báo họp xét duyệt vốn vay' },
    });
    console.log(`SEEDED ${JSON.stringify({ broadcastId, seedMs: performance.now() - seedStart })}`);
    return 0;
  } finally {
    await database.close();
  }
}

async function main(): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-bc-bench-'));
  // The loopback "Telegram": counts sendMessage per chat, answers ok (only counts are kept: its memory stays flat).
  const perChat = new Map<number, number>();
  /** Set during the limit-on part: when each send reached the fake API (ms, performance.now()). */
  let limitSends: number[] | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { chat_id?: number | string };
      const chat = Number(body.chat_id);
      if (limitSends === undefined) perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      else limitSends.push(performance.now());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: chat } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const limitUrl = `file:${path.join(dir, 'limit.db')}`;
  const seeded = await seedInChild(`file:${path.join(dir, 'bench.db')}`, RECIPIENTS);
  const limitSeeded = LIMIT_SECONDS > 0 ? await seedInChild(limitUrl, LIMIT_AUDIENCE) : undefined;
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `file:${path.join(dir, 'bench.db')}`;
  const database = await openDatabase(url);
  const problems: string[] = [];
  try {
    const prisma = database.prisma;
    const runtime = createRuntime({
      prisma,
      logger,
      areasFile: path.resolve(import.meta.dirname, '../../prisma/data/areas.thai-nguyen-2025.json'),
      defaultLanguage: 'vi',
      conversationTimeoutMs: 86_400_000,
      files: { dir: path.join(dir, 'files') },
      outbox: { rates: { telegram: UNLIMITED, zalo: UNLIMITED, zalobot: UNLIMITED, console: UNLIMITED } },
    });
    createTelegramChannel({
      token: TOKEN,
      apiRoot,
      mode: 'webhook',
      webhook: { secret: 'bench-secret-0123456789', path: '/telegram/webhook' },
      gateway: runtime.bot,
      logger,
    });
    const { broadcastId, seedMs } = seeded;

    const dispatcher = createBroadcastDispatcher({
      store: createBroadcastDeliveryStore(runtime.db),
      bulk: runtime.outbox.bulk,
      members: runtime.members,
      render: plainRender,
      clock: { now: () => new Date() },
      logger,
      timeZone: 'Asia/Ho_Chi_Minh',
      settings: {
        hours: { start: { hour: 0, minute: 0 }, end: { hour: 24, minute: 0 } },
        batchSize: BATCH,
        concurrency: CONCURRENCY,
      },
    });
    let peakRss = process.memoryUsage().rss;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const use = process.memoryUsage();
      peakRss = Math.max(peakRss, use.rss);
      peakHeap = Math.max(peakHeap, use.heapUsed);
    }, 50);
    const startRss = process.memoryUsage().rss;
    const start = performance.now();
    let sent = 0;
    for (;;) {
      const pass = await dispatcher.dispatchOnce();
      sent += pass.sent;
      if (pass.claimed === 0) break;
    }
    const ms = performance.now() - start;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    console.log('\nBroadcast dispatch (real dispatcher + Telegram channel, limits off, loopback fake API, SQLite)');
    console.log('=================================================================================================');
    console.log(`  recipients: ${RECIPIENTS}, batch ${BATCH}, concurrency ${CONCURRENCY}`);
    console.log(`  seeding (members, consents, deliveries): ${(seedMs / 1000).toFixed(1)} s`);
    console.log(`  sent: ${sent} in ${(ms / 1000).toFixed(1)} s = ${((sent / ms) * 1000).toFixed(0)} messages/s`);
    console.log(
      `  RSS: ${mb(startRss)} MB at the start of sending, peak ${mb(peakRss)} MB (JS heap used: peak ${mb(peakHeap)} MB)`,
    );
    console.log(`  (seeded by a child process before this one opened the database: the RSS is the dispatcher's)`);
    // The Telegram limit on: the real loop (with its waits) on the second database, for 2 s + LIMIT_SECONDS.
    let limitOn: { achieved: number; withBurst: number; sent: number } | undefined;
    if (limitSeeded !== undefined) {
      const limitDb = await openDatabase(limitUrl);
      try {
        const rate = { overallPerSecond: TELEGRAM_RATE, chatPerSecond: 1, chatBurst: 3 };
        const limited = createRuntime({
          prisma: limitDb.prisma,
          logger,
          areasFile: path.resolve(import.meta.dirname, '../../prisma/data/areas.thai-nguyen-2025.json'),
          defaultLanguage: 'vi',
          conversationTimeoutMs: 86_400_000,
          files: { dir: path.join(dir, 'files-limit') },
          outbox: { rates: { telegram: rate, zalo: UNLIMITED, zalobot: UNLIMITED, console: UNLIMITED } },
        });
        createTelegramChannel({
          token: TOKEN,
          apiRoot,
          mode: 'webhook',
          webhook: { secret: 'bench-secret-0123456789', path: '/telegram/webhook' },
          gateway: limited.bot,
          logger,
        });
        const loop = createBroadcastDispatcher({
          store: createBroadcastDeliveryStore(limited.db),
          bulk: limited.outbox.bulk,
          members: limited.members,
          render: plainRender,
          clock: { now: () => new Date() },
          logger,
          timeZone: 'Asia/Ho_Chi_Minh',
          settings: {
            hours: { start: { hour: 0, minute: 0 }, end: { hour: 24, minute: 0 } },
            batchSize: BATCH,
            concurrency: CONCURRENCY,
          },
        });
        const sends: number[] = [];
        limitSends = sends;
        const t0 = performance.now();
        loop.start();
        await new Promise((resolve) => setTimeout(resolve, 2000 + LIMIT_SECONDS * 1000));
        const t1 = performance.now();
        await loop.stop();
        limitSends = undefined;
        const inWindow = sends.filter((t) => t > t0 + 2000 && t <= t1).length;
        const upToEnd = sends.filter((t) => t <= t1).length;
        limitOn = {
          achieved: inWindow / ((t1 - t0 - 2000) / 1000),
          withBurst: upToEnd / ((t1 - t0) / 1000),
          sent: upToEnd,
        };
        console.log(
          `\n  Telegram limit on (OUTBOX_TELEGRAM_RATE ${TELEGRAM_RATE}/s, real loop, ${LIMIT_SECONDS} s after the first 2 s):`,
        );
        console.log(
          `    achieved ${limitOn.achieved.toFixed(2)}/s after the burst (${((limitOn.achieved / TELEGRAM_RATE - 1) * 100).toFixed(1)} %), ` +
            `${limitOn.withBurst.toFixed(2)}/s with it (${limitOn.sent} sends in ${((t1 - t0) / 1000).toFixed(1)} s)`,
        );
      } finally {
        await limitDb.close();
      }
    }

    figures = {
      part: 'broadcast',
      provider: 'sqlite',
      recipients: RECIPIENTS,
      batch: BATCH,
      concurrency: CONCURRENCY,
      limitsOffMsgPerSec: Math.round((sent / ms) * 1000),
      rssStartMb: Math.round(startRss / 1024 / 1024),
      rssPeakMb: Math.round(peakRss / 1024 / 1024),
      heapPeakMb: Math.round(peakHeap / 1024 / 1024),
      seededInProcess: false,
      limitOnAchievedPerSec: limitOn === undefined ? null : Number(limitOn.achieved.toFixed(2)),
      limitOnWithBurstPerSec: limitOn === undefined ? null : Number(limitOn.withBurst.toFixed(2)),
      limitOnConfiguredPerSec: limitOn === undefined ? null : TELEGRAM_RATE,
      limitOnWindowSeconds: limitOn === undefined ? null : LIMIT_SECONDS,
    };

    const notSent = await prisma.broadcastDelivery.count({ where: { broadcastId, status: { not: 'sent' } } });
    if (notSent > 0) problems.push(`${notSent} deliveries not sent`);
    if (perChat.size !== RECIPIENTS) problems.push(`${perChat.size} chats reached, expected ${RECIPIENTS}`);
    const twice = [...perChat.values()].filter((n) => n > 1).length;
    if (twice > 0) problems.push(`${twice} chats got the message more than once`);
    if (errors.length > 0) problems.push(`${errors.length} errors logged, first: ${JSON.stringify(errors[0])}`);
  } catch (error) {
    problems.push(`benchmark crashed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    await database.close();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error('\nWARNING: the broadcast benchmark did not do the work it measured; the figures are not valid:');
    for (const p of problems) console.error(`  - ${p}`);
    return 1;
  }
  console.log('\nOK: every recipient got the broadcast once; temp database deleted.');
  console.log(`BENCH_JSON ${JSON.stringify(figures)}`);
  return 0;
}

const seedUrl = process.env.BENCH_BROADCAST_SEED_URL;
process.exitCode =
  seedUrl === undefined || seedUrl === ''
    ? await main()
    : await seedOnly(seedUrl, positiveInt('BENCH_BROADCAST_SEED_COUNT', 1));
