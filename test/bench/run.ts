// `npm run bench`: runs every part of the benchmark, each as its own process (so that one part's memory does not
// colour another's), shows their output as it comes, reads each part's last `BENCH_JSON {...}` line, then prints a
// table of every figure and, as the very last line, one JSON object with all figures, the ratios bot/echo, the date,
// node version, CPU count and model, total memory and the git commit. It asserts nothing about timing: a part fails
// only when it could not do its work (then the run exits 1, after printing what the other parts measured).
// BENCH_ONLY=<comma list of part names> runs a subset; BENCH_QUICK=1 shrinks every part (a smoke test of ~1 minute);
// BENCH_PART_TIMEOUT_S bounds each part (default 300 s, 120 s quick). The parts' own settings are in their files.
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const HERE = import.meta.dirname;
const ROOT = path.resolve(HERE, '../..');
const QUICK = process.env.BENCH_QUICK === '1';

interface Part {
  name: string;
  file: string;
  args?: string[];
  /** Environment for BENCH_QUICK=1 (only where the user set nothing). */
  quick?: Record<string, string>;
  /** Extra environment from the results so far (e.g. the echo's messages per update = the bot's). */
  fromResults?: (results: Map<string, Record<string, unknown>>) => Record<string, string>;
  /** Its own bound in seconds when longer than BENCH_PART_TIMEOUT_S (seeding 100,000 recipients takes a while). */
  timeoutS?: number;
}

const echoMessages =
  (channel: string) =>
  (results: Map<string, Record<string, unknown>>): Record<string, string> => {
    const bot = results.get(`${channel}-sqlite`) ?? results.get(`${channel}-postgresql`);
    const n = bot?.messages_per_update;
    return typeof n === 'number' && process.env.BENCH_ECHO_MESSAGES === undefined
      ? { BENCH_ECHO_MESSAGES: String(n) }
      : {};
  };

/** In running order: the bot parts before their echo (which takes the bot's messages per update). */
const PARTS: Part[] = [
  { name: 'conversation', file: 'conversation.bench.ts', quick: { BENCH_MEMBERS: '40', BENCH_CONCURRENCY: '10' } },
  { name: 'startup', file: 'startup.bench.ts' },
  { name: 'telegram-sqlite', file: 'webhook.bench.ts', args: ['telegram-sqlite'] },
  { name: 'telegram-postgresql', file: 'webhook.bench.ts', args: ['telegram-postgresql'] },
  { name: 'telegram-echo', file: 'webhook.bench.ts', args: ['telegram-echo'], fromResults: echoMessages('telegram') },
  { name: 'zalo-sqlite', file: 'webhook.bench.ts', args: ['zalo-sqlite'] },
  { name: 'zalo-postgresql', file: 'webhook.bench.ts', args: ['zalo-postgresql'] },
  { name: 'zalo-echo', file: 'webhook.bench.ts', args: ['zalo-echo'], fromResults: echoMessages('zalo') },
  { name: 'hostile-memory', file: 'hostile.bench.ts' },
  { name: 'broadcast', file: 'broadcast.bench.ts', quick: { BENCH_BROADCAST_RECIPIENTS: '5000' }, timeoutS: 600 },
];

function selected(): Part[] {
  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (only === undefined || only.length === 0) return PARTS;
  const unknown = only.filter((name) => !PARTS.some((p) => p.name === name));
  if (unknown.length > 0) {
    console.error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.map((p) => p.name).join(', ')}`);
    process.exit(2);
  }
  return PARTS.filter((p) => only.includes(p.name));
}

/** Runs one part; its output goes through; resolves with its last BENCH_JSON object, or the reason it has none. */
function runPart(part: Part, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Record<string, unknown> | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, part.file), ...(part.args ?? [])], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last: Record<string, unknown> | undefined;
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('BENCH_JSON ')) continue;
        try {
          last = JSON.parse(line.slice('BENCH_JSON '.length)) as Record<string, unknown>;
        } catch {
          // a broken line: reported below as no result
        }
      }
    });
    const timer = setTimeout(() => {
      console.error(`\n[bench] ${part.name}: no end within ${timeoutMs / 1000} s, stopped`);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL'); // whatever it left behind (a bot it started)
      } catch {
        // nothing left
      }
      if (code === 0 && last !== undefined) resolve(last);
      else resolve(`exit ${String(code ?? signal)}${last === undefined ? ', no BENCH_JSON line' : ''}`);
    });
  });
}

/** Nested figures as dotted keys, for the table. */
function flatten(value: unknown, prefix = '', into: [string, unknown][] = []): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, into);
  } else into.push([prefix, value]);
  return into;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const get = (o: Record<string, unknown> | undefined, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((acc, k) => (acc as Record<string, unknown> | undefined)?.[k], o);

/** Throughput ratios bot/echo (closed loop), against the echo with as many messages and with one. */
function ratios(results: Map<string, Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const channel of ['telegram', 'zalo']) {
    const echo = results.get(`${channel}-echo`);
    for (const provider of ['sqlite', 'postgresql']) {
      const bot = results.get(`${channel}-${provider}`);
      const rate = num(get(bot, 'closed.round_trips_per_s'));
      if (rate === undefined) continue;
      const same = num(get(echo, 'closed.round_trips_per_s'));
      const one = num(get(echo, 'closed_1.round_trips_per_s'));
      if (same !== undefined) out[`${channel}_${provider}_vs_echo`] = Number((rate / same).toFixed(3));
      if (one !== undefined) out[`${channel}_${provider}_vs_echo_1_message`] = Number((rate / one).toFixed(3));
    }
  }
  return out;
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const parts = selected();
  const timeoutMs = Number(process.env.BENCH_PART_TIMEOUT_S ?? (QUICK ? 120 : 300)) * 1000;
  const results = new Map<string, Record<string, unknown>>();
  const failed: Record<string, string> = {};
  const started = performance.now();
  for (const part of parts) {
    console.log(`\n[bench] ${part.name} …`);
    const env: NodeJS.ProcessEnv = { ...process.env, ...part.fromResults?.(results) };
    if (QUICK) for (const [k, v] of Object.entries(part.quick ?? {})) env[k] ??= v;
    const t = performance.now();
    const result = await runPart(part, env, QUICK ? timeoutMs : Math.max(timeoutMs, (part.timeoutS ?? 0) * 1000));
    console.log(`[bench] ${part.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    if (typeof result === 'string') failed[part.name] = result;
    else results.set(part.name, result);
  }
  const ratio = ratios(results);

  const rows: [string, string, string][] = [];
  for (const [name, figures] of results) {
    for (const [key, value] of flatten(figures)) {
      if (key === 'part' || key === 'turn') continue;
      rows.push([name, key, typeof value === 'string' ? value : JSON.stringify(value)]);
    }
  }
  for (const [key, value] of Object.entries(ratio)) rows.push(['ratio', key, String(value)]);
  for (const [name, why] of Object.entries(failed)) rows.push([name, 'FAILED', why]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length), 4));
  console.log('\nHội viên bot: benchmark figures (measured in this run; nothing is asserted)');
  console.log('==========================================================================');
  for (const [part, key, value] of rows)
    console.log(`  ${part.padEnd(widths[0]!)}  ${key.padEnd(widths[1]!)}  ${value}`);
  const turn = [...results.values()].map((r) => r.turn).find((t) => typeof t === 'string');
  if (turn !== undefined) console.log(`  (webhook turn measured: ${String(turn)})`);

  const cpus = os.cpus();
  const summary = {
    bench: 'hoi-vien-bot',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus.length,
    cpu_model: cpus[0]?.model ?? 'unknown',
    memory_gib: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    load_average_1m: Number(os.loadavg()[0]!.toFixed(2)),
    commit: gitCommit(),
    quick: QUICK,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    parts: Object.fromEntries(results),
    ratios: ratio,
    failed,
  };
  console.log(JSON.stringify(summary));
  return Object.keys(failed).length > 0 ? 1 : 0;
}

process.exitCode = await main();
