// Memory around a hostile burst, one part of `npm run bench` (test/bench/run.ts). The real bot (`npm start`, SQLite,
// Telegram webhook and Zalo OA webhook both on, loopback fakes behind) gets BENCH_HOSTILE_COUNT (default 3,000) hostile
// bodies at each webhook (test/helpers/hostileBodies.ts: mutated valid updates, huge strings, deep nesting, invalid
// UTF-8, not JSON...; seeded, the seed printed), 16 in flight. Telegram bodies carry the right secret token and Zalo
// bodies a signature computed over the body (with its timestamp when it has one), so that the bot reads them.
// RSS of the bot's node process: before (ready, settled), during (the peak, sampled every 50 ms) and after
// BENCH_SETTLE_SECONDS (5) of quiet. Also the answers by status class. Last line: `BENCH_JSON {...}`.
import { performance } from 'node:perf_hooks';
import { hostileBodies } from '../helpers/hostileBodies.ts';
import { sign } from '../channels/zalo/oa/fake-zalo.ts';
import { ChildUnderTest } from './webhook/botProcess.ts';
import { scratchDatabase, storeZaloPair } from './webhook/databases.ts';
import { emitBenchJson, freePort, seedFromEnv, setting, sleep } from './webhook/lib.ts';
import { post, telegramPlatform, TELEGRAM_SECRET, zaloPlatform } from './webhook/platforms.ts';

const COUNT = setting('BENCH_HOSTILE_COUNT', 3_000, 300);
const SETTLE_SECONDS = setting('BENCH_SETTLE_SECONDS', 5, 2);
const IN_FLIGHT = 16;

async function main() {
  const seed = seedFromEnv();
  console.log(`hostile burst: seed ${seed} (replay: BENCH_SEED=${seed}), ${COUNT} bodies per webhook`);
  const db = await scratchDatabase('sqlite');
  const telegram = await telegramPlatform();
  const zalo = await zaloPlatform();
  await storeZaloPair(db.url, zalo);
  const port = await freePort();
  const bot = ChildUnderTest.spawn(
    'the bot (hostile burst)',
    { kind: 'npm-start' },
    {
      DATABASE_URL: db.url,
      FILES_DIR: db.filesDir,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      METRICS_PORT: '0', // several bots in one run: no shared metrics port
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      ...telegram.env,
      ...zalo.env,
    },
  );
  try {
    await bot.waitReady(`http://127.0.0.1:${port}/healthz`, performance.now());
    telegram.quiet();
    zalo.quiet();
    await sleep(2_000);
    const before = await bot.rssMb();
    let peak = before;
    const sampler = setInterval(() => {
      void bot.rssMb().then((mb) => {
        if (mb > peak) peak = mb;
      });
    }, 50);
    const statuses: Record<string, number> = {};
    const started = performance.now();
    for (const [index, platform] of [telegram, zalo].entries()) {
      const valid = [0, 1, 2].map((i) => JSON.parse(platform.update(i, { say: 'Chào em' }).body.toString()) as unknown);
      const bodies = hostileBodies(seed + index, valid, COUNT);
      const worker = async () => {
        for (;;) {
          const next = bodies.next();
          if (next.done === true) return;
          const { body, contentType } = next.value;
          const headers: Record<string, string> = { 'content-type': contentType };
          if (platform.name === 'telegram') headers['x-telegram-bot-api-secret-token'] = TELEGRAM_SECRET;
          else {
            const ts = /"timestamp"\s*:\s*"(\d+)"/.exec(body.toString('latin1'))?.[1] ?? '';
            headers['x-zevent-signature'] = sign(body.toString('utf8'), ts);
          }
          let key: string;
          try {
            key = `${platform.name}_${Math.floor((await post(port, platform.path(), headers, body)) / 100)}xx`;
          } catch {
            key = `${platform.name}_no_answer`;
          }
          statuses[key] = (statuses[key] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    }
    const burstSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, await bot.rssMb());
    await sleep(SETTLE_SECONDS * 1000);
    const after = await bot.rssMb();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    console.log(`\nMemory around a hostile burst (${COUNT} bodies at each webhook, ${burstSeconds.toFixed(1)} s)`);
    console.log(`  bot RSS: before ${before} MB, peak during ${peak} MB, after ${SETTLE_SECONDS} s ${after} MB`);
    console.log(`  answers: ${JSON.stringify(statuses)}; /healthz afterwards: ${health}`);
    emitBenchJson('hostile-memory', {
      seed,
      bodies_per_webhook: COUNT,
      burst_seconds: Number(burstSeconds.toFixed(1)),
      rss_mb_before: before,
      rss_mb_peak: peak,
      rss_mb_after: after,
      settle_seconds: SETTLE_SECONDS,
      answers: statuses,
      healthz_after: health,
    });
  } catch (error) {
    console.error(`bot log tail:\n${bot.tail()}`);
    throw error;
  } finally {
    await bot.stop();
    await telegram.close();
    await zalo.close();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
