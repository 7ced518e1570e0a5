// Start-up, one part of `npm run bench` (test/bench/run.ts): the time from spawning the README's start command
// (`npm start`) to GET /healthz answering 200, on an already migrated SQLite database, in Telegram webhook mode behind
// the loopback fake Bot API; the median of BENCH_STARTUP_RUNS (3) starts. Then the idle memory: RSS of the node
// process itself (found under npm and sh, /proc/<pid>/status VmRSS) BENCH_IDLE_SECONDS (3) after it was ready.
// Last line: `BENCH_JSON {...}`. Asserts nothing about timing.
import { performance } from 'node:perf_hooks';
import { ChildUnderTest } from './webhook/botProcess.ts';
import { scratchDatabase } from './webhook/databases.ts';
import { emitBenchJson, freePort, percentile, round, setting, sleep } from './webhook/lib.ts';
import { telegramPlatform } from './webhook/platforms.ts';

const RUNS = setting('BENCH_STARTUP_RUNS', 3, 2);
const IDLE_SECONDS = setting('BENCH_IDLE_SECONDS', 3, 2);

async function main() {
  const db = await scratchDatabase('sqlite');
  const platform = await telegramPlatform();
  const ready: number[] = [];
  const idle: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const port = await freePort();
      const spawned = performance.now();
      const bot = ChildUnderTest.spawn(
        'the bot (start-up)',
        { kind: 'npm-start' },
        {
          DATABASE_URL: db.url,
          FILES_DIR: db.filesDir,
          HTTP_HOST: '127.0.0.1',
          HTTP_PORT: String(port),
          METRICS_PORT: '0', // several bots in one run: no shared metrics port
          LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
          ...platform.env,
        },
      );
      try {
        ready.push(await bot.waitReady(`http://127.0.0.1:${port}/healthz`, spawned));
        await sleep(IDLE_SECONDS * 1000);
        idle.push(await bot.rssMb());
      } finally {
        await bot.stop();
      }
      console.log(
        `  start ${run + 1}: ready after ${Math.round(ready.at(-1)!)} ms, idle RSS ${String(idle.at(-1))} MB`,
      );
    }
  } finally {
    await platform.close();
    await db.drop();
  }
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  console.log(
    `\nStart-up (npm start → /healthz 200, SQLite, Telegram webhook): median ${Math.round(median(ready))} ms`,
  );
  console.log(`  idle RSS of the node process ${IDLE_SECONDS} s after ready: median ${median(idle)} MB`);
  emitBenchJson('startup', {
    command: 'npm start',
    runs: RUNS,
    ready_ms_median: Math.round(median(ready)),
    ready_ms: ready.map((ms) => Math.round(ms)),
    idle_seconds: IDLE_SECONDS,
    idle_rss_mb_median: round(median(idle)),
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
