// Broadcast dispatch figure (`npm run bench`, issue 14 "Performance"): the real dispatcher (src/app/broadcasts) and the
// real Telegram channel, rate limits off, sending a broadcast to BENCH_BROADCAST_RECIPIENTS (default 100,000) members
// through a loopback HTTP server that answers every sendMessage as Telegram does. Prints messages/s and the peak RSS;
// asserts nothing about timing. Exits 1 only when the work was not done (a delivery not sent, a chat not reached).
// Runs on a new SQLite file in a temp folder, deleted at the end (not a vitest file, as conversation.bench.ts).
// Settings: BENCH_BROADCAST_RECIPIENTS, BENCH_BROADCAST_CONCURRENCY (BROADCAST_CONCURRENCY, default 8),
// BENCH_BROADCAST_BATCH (BROADCAST_BATCH_SIZE, default 500).
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

async function main(): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-bc-bench-'));
  // The loopback "Telegram": counts sendMessage per chat, answers ok (only counts are kept: its memory stays flat).
  const perChat = new Map<number, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { chat_id?: number | string };
      const chat = Number(body.chat_id);
      perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: chat } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `file:${path.join(dir, 'bench.db')}`;
  await applyMigrations(url);
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
    const seedStart = performance.now();
    const now = new Date();
    const firstChat = 9_000_000;
    const ids = await seedMembers(
      prisma,
      Array.from({ length: RECIPIENTS }, (_, i) => ({ channelUserId: String(firstChat + i) })),
      now,
    );
    const broadcastId = await seedBroadcast(prisma, ids, now, { texts: { vi: 'Thông báo họp xét duyệt vốn vay' } });
    const seedMs = performance.now() - seedStart;

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
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
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
    console.log(`  RSS: ${mb(startRss)} MB at the start of sending, peak ${mb(peakRss)} MB`);
    console.log(
      '  (seeded in this process with bulk SQL before sending: the RSS at the start includes what seeding left)',
    );
    figures = {
      part: 'broadcast',
      provider: 'sqlite',
      recipients: RECIPIENTS,
      batch: BATCH,
      concurrency: CONCURRENCY,
      limitsOffMsgPerSec: Math.round((sent / ms) * 1000),
      rssStartMb: Math.round(startRss / 1024 / 1024),
      rssPeakMb: Math.round(peakRss / 1024 / 1024),
      seededInProcess: true,
      limitOnAchievedPerSec: null,
      limitOnConfiguredPerSec: null,
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

process.exitCode = await main();
