// The full webhook path, one part of `npm run bench` (test/bench/run.ts runs it as its own process):
//   node --import tsx test/bench/webhook.bench.ts <part>
// Parts: telegram-sqlite, telegram-postgresql, zalo-sqlite, zalo-postgresql (the real bot, started with `npm start`
// in webhook mode on an already migrated scratch database, behind a loopback fake platform API), and telegram-echo,
// zalo-echo (a bare echo bot through the same harness, with BENCH_ECHO_MESSAGES messages per update — run.ts passes
// the bot's count — and again with one).
// The measured turn: members are first brought, un-timed, through first contact, language, consent, name and commune
// to the phone question; then each answers it with a wrong number (a seeded 4-digit number), which the bot answers
// with the refusal and the question again (the count is found, not assumed, and printed). Then a closed loop and an
// open loop (./webhook/load.ts). Prints a readable summary and, last, `BENCH_JSON {...}`.
// Settings: BENCH_WEBHOOK_MEMBERS (32), BENCH_SECONDS (closed loop, 10), BENCH_WARMUP_SECONDS (2), BENCH_RATE (200 updates/s),
// BENCH_OPEN_SECONDS (10), BENCH_SEED, BENCH_LOG_LEVEL (the bot's LOG_LEVEL, default info), BENCH_PROFILE=1 (CPU
// profile of the bot; its path is printed). BENCH_QUICK=1 shrinks the times.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ChildUnderTest, type Command } from './webhook/botProcess.ts';
import { scratchDatabase, storeZaloPair, type BenchProvider } from './webhook/databases.ts';
import { prng } from '../helpers/random.ts';
import { emitBenchJson, freePort, seedFromEnv, setting, sleep } from './webhook/lib.ts';
import { closedLoop, openLoop, type LoadTarget } from './webhook/load.ts';
import { telegramPlatform, zaloPlatform, type Action, type Platform } from './webhook/platforms.ts';

const PARTS = [
  'telegram-sqlite',
  'telegram-postgresql',
  'zalo-sqlite',
  'zalo-postgresql',
  'telegram-echo',
  'zalo-echo',
];
const MEMBERS = setting('BENCH_WEBHOOK_MEMBERS', 32);
const SECONDS = setting('BENCH_SECONDS', 10, 3);
const WARMUP = setting('BENCH_WARMUP_SECONDS', 2, 1);
const RATE = setting('BENCH_RATE', 200);
const OPEN_SECONDS = setting('BENCH_OPEN_SECONDS', 10, 3);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Bounds of the un-timed set-up: one step's replies, the quiet that ends a step. */
const STEP_WAIT_MS = 30_000;
const SETTLE_MS = 300;
/** The quiet that ends the step whose replies are counted (longer: a late second message must not be missed). */
const COUNT_SETTLE_MS = 1_500;

export const TURN = 'a wrong answer at the phone question (a 4-digit number)';

/** The profile up to the phone question (as the crash test's scenario). */
function setupSteps(i: number): Action[] {
  return [
    { say: 'Chào em' },
    { tap: 'Tiếng Việt' },
    { tap: 'Đồng ý' },
    {
      say: `Nguyễn Thị Lan ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}`,
    },
    { say: 'tuc duyen' },
    { tap: 'Có' },
  ];
}

/** Posts one action; waits until new replies came, the next tap's button is there, and the member's chat is quiet. */
async function step(
  platform: Platform,
  port: number,
  i: number,
  action: Action,
  next: Action | undefined,
  settleMs = SETTLE_MS,
) {
  const key = platform.member(i);
  const before = platform.replies.count(key);
  const { headers, body } = platform.update(i, action);
  const { post } = await import('./webhook/platforms.ts');
  const status = await post(port, platform.path(), headers, body);
  if (status !== 200) throw new Error(`member ${i}: the webhook answered ${status} to ${JSON.stringify(action)}`);
  const deadline = Date.now() + STEP_WAIT_MS;
  let seen = -1;
  let since = Date.now();
  for (;;) {
    const count = platform.replies.count(key);
    if (count !== seen) {
      seen = count;
      since = Date.now();
    }
    const asked = next === undefined || !('tap' in next) || platform.replies.buttons.get(key)?.has(next.tap) === true;
    if (count > before && asked && Date.now() - since >= settleMs) return count - before;
    if (Date.now() > deadline) {
      throw new Error(
        `member ${i}: no full reply to ${JSON.stringify(action)} within ${STEP_WAIT_MS} ms (${count - before} message(s))`,
      );
    }
    await sleep(10);
  }
}

function line(label: string, r: { p50_ms: number; p99_ms: number }, rate: string): void {
  console.log(
    `  ${label.padEnd(34)} ${rate.padStart(14)}   p50 ${String(r.p50_ms).padStart(7)} ms   p99 ${String(r.p99_ms).padStart(7)} ms`,
  );
}

async function botPart(part: string, channel: 'telegram' | 'zalo', provider: BenchProvider, seed: number) {
  const random = prng(seed);
  const wrong = Array.from({ length: MEMBERS }, () => String(1000 + Math.floor(random() * 9000)));
  const db = await scratchDatabase(provider);
  const platform = channel === 'telegram' ? await telegramPlatform() : await zaloPlatform();
  let bot: ChildUnderTest | undefined;
  try {
    if (channel === 'zalo') await storeZaloPair(db.url, platform as Awaited<ReturnType<typeof zaloPlatform>>);
    const port = await freePort();
    const command: Command = PROFILE
      ? { kind: 'profile', dir: await mkdtemp(path.join(tmpdir(), 'hoi-vien-profile-')) }
      : { kind: 'npm-start' };
    const started = performance.now();
    bot = ChildUnderTest.spawn(`the bot (${part})`, command, {
      DATABASE_URL: db.url,
      FILES_DIR: db.filesDir,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      METRICS_PORT: '0', // several bots in one run: no shared metrics port
      // Each virtual member posts as fast as her replies come (many a second): flood control would rightly hold her
      // back. The bench measures the turn path, so the flood limit is set out of reach (the suite tests it).
      FLOOD_MESSAGES: '10000',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      ...platform.env,
    });
    const readyMs = await bot.waitReady(`http://127.0.0.1:${port}/healthz`, started);
    const members = Array.from({ length: MEMBERS }, (_, i) => i);
    const setupStart = performance.now();
    await Promise.all(
      members.map(async (i) => {
        const steps = setupSteps(i);
        for (const [s, action] of steps.entries()) await step(platform, port, i, action, steps[s + 1]);
      }),
    );
    // Every member answers the phone question wrongly once (un-timed): the number of messages a wrong answer gets.
    const counts = await Promise.all(
      members.map((i) => step(platform, port, i, { say: wrong[i]! }, undefined, COUNT_SETTLE_MS)),
    );
    // The most common count; a member whose earlier replies trickled in late (a busy machine) shows one more.
    const tally = new Map<number, number>();
    for (const c of counts) tally.set(c, (tally.get(c) ?? 0) + 1);
    const perUpdate = [...tally].sort((a, b) => b[1] - a[1])[0]![0];
    if (tally.size > 1) console.log(`  note: messages per wrong answer in the set-up: ${JSON.stringify([...tally])}`);
    await sleep(1_000); // anything still trickling in is counted before the measured phase
    console.log(
      `  set-up (${MEMBERS} members to the phone question): ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
    );
    platform.quiet();
    const rssBefore = await bot.rssMb();
    const target: LoadTarget = { platform, port, members, text: (i) => wrong[i]!, perUpdate };
    const closed = await closedLoop(target, WARMUP, SECONDS);
    const open = await openLoop(target, RATE, OPEN_SECONDS);
    const rssAfter = await bot.rssMb();
    console.log(`\nFull webhook path: ${channel} → the bot (${provider}), ${TURN}: ${perUpdate} messages back`);
    line(`closed loop, ${MEMBERS} members, ${SECONDS} s`, closed, `${closed.round_trips_per_s} rt/s`);
    line(
      `open loop, ${RATE}/s for ${OPEN_SECONDS} s${open.unfinished > 0 ? ` (${open.unfinished} unfinished)` : ''}`,
      open,
      `${open.completed_per_s} done/s`,
    );
    console.log(
      `  bot RSS: ${rssBefore} MB before the load, ${rssAfter} MB after; ready ${Math.round(readyMs)} ms after spawn`,
    );
    const profile = await bot.stop();
    bot = undefined;
    if (PROFILE)
      console.log(
        `  CPU profile of the bot: ${profile ?? '(none written)'}  (summary: npx tsx test/bench/profile-top.ts <file>)`,
      );
    emitBenchJson(part, {
      channel,
      database: provider,
      turn: TURN,
      messages_per_update: perUpdate,
      seed,
      closed,
      open,
      rss_mb_before_load: rssBefore,
      rss_mb_after_load: rssAfter,
      ...(PROFILE ? { profile } : {}),
    });
  } catch (error) {
    if (bot) console.error(`bot log tail:\n${bot.tail()}`);
    throw error;
  } finally {
    await bot?.stop();
    await platform.close();
    await db.drop();
  }
}

async function echoPart(part: string, channel: 'telegram' | 'zalo', seed: number) {
  const random = prng(seed);
  const texts = Array.from({ length: MEMBERS }, () => String(1000 + Math.floor(random() * 9000)));
  const messages = setting('BENCH_ECHO_MESSAGES', 2);
  const result: Record<string, unknown> = { channel, messages_per_update: messages, seed };
  for (const perUpdate of [messages, 1]) {
    const platform = channel === 'telegram' ? await telegramPlatform() : await zaloPlatform();
    const port = await freePort();
    const file = path.join(
      import.meta.dirname,
      'webhook',
      channel === 'telegram' ? 'echo-telegram.ts' : 'echo-zalo.ts',
    );
    const extra: Record<string, string> =
      channel === 'zalo'
        ? { ZALO_ACCESS_TOKEN: (platform as Awaited<ReturnType<typeof zaloPlatform>>).accessToken }
        : {};
    const echo = ChildUnderTest.spawn(
      `the ${channel} echo`,
      { kind: 'script', file },
      {
        ...platform.env,
        ...extra,
        ECHO_PORT: String(port),
        ECHO_MESSAGES: String(perUpdate),
      },
    );
    try {
      await echo.waitReady(`http://127.0.0.1:${port}/healthz`, performance.now());
      platform.quiet();
      const target: LoadTarget = {
        platform,
        port,
        members: Array.from({ length: MEMBERS }, (_, i) => i),
        text: (i) => texts[i]!,
        perUpdate,
      };
      const closed = await closedLoop(target, WARMUP, SECONDS);
      const open = await openLoop(target, RATE, OPEN_SECONDS);
      console.log(`\nBare ${channel} echo bot, ${perUpdate} message(s) per update`);
      line(`closed loop, ${MEMBERS} members, ${SECONDS} s`, closed, `${closed.round_trips_per_s} rt/s`);
      line(
        `open loop, ${RATE}/s for ${OPEN_SECONDS} s${open.unfinished > 0 ? ` (${open.unfinished} unfinished)` : ''}`,
        open,
        `${open.completed_per_s} done/s`,
      );
      const suffix = perUpdate === messages && perUpdate !== 1 ? '' : '_1';
      if (perUpdate === messages && messages === 1) {
        result.closed = closed;
        result.open = open;
      }
      result[`closed${suffix}`] = closed;
      result[`open${suffix}`] = open;
    } catch (error) {
      console.error(`echo log tail:\n${echo.tail()}`);
      throw error;
    } finally {
      await echo.stop();
      await platform.close();
    }
    if (messages === 1) break;
  }
  emitBenchJson(part, result);
}

async function main() {
  const part = process.argv[2] ?? '';
  if (!PARTS.includes(part)) {
    console.error(`usage: webhook.bench.ts <${PARTS.join('|')}>`);
    process.exit(2);
  }
  const seed = seedFromEnv();
  console.log(`webhook bench ${part}: seed ${seed} (replay: BENCH_SEED=${seed})`);
  const [channel, kind] = part.split('-') as ['telegram' | 'zalo', string];
  if (kind === 'echo') await echoPart(part, channel, seed);
  else await botPart(part, channel, kind as BenchProvider, seed);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
