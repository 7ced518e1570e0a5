// Small helpers shared by the bench parts (test/bench/run.ts runs each part as its own process): settings from the
// environment, seeded randomness, statistics, the BENCH_JSON line, free ports, process memory from /proc.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** BENCH_QUICK=1: every part shrinks so that the whole bench runs in about a minute (a smoke test). */
export const QUICK = process.env.BENCH_QUICK === '1';

/** A positive number from the environment (the quick default when BENCH_QUICK=1); a bad value stops the part. */
export function setting(name: string, fallback: number, quick = fallback): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return QUICK ? quick : fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`${name} must be a positive number, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

/** The run's seed: BENCH_SEED, else a random one (printed by the caller for a replay). */
export function seedFromEnv(): number {
  const raw = process.env.BENCH_SEED;
  return raw !== undefined && raw !== '' ? Number(raw) >>> 0 : Math.floor(Math.random() * 2 ** 31);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile (p in 0..100) of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** p50/p99/max of latencies in ms, rounded to 0.1 ms. */
export function latencySummary(latencies: number[]): { p50_ms: number; p99_ms: number; max_ms: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.at(-1) ?? NaN),
  };
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : NaN);

/** The part's result: the last stdout line `BENCH_JSON {...}`, read by test/bench/run.ts. */
export function emitBenchJson(part: string, figures: Record<string, unknown>): void {
  console.log(`BENCH_JSON ${JSON.stringify({ part, ...figures })}`);
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resident memory of a process in MB (VmRSS of /proc/<pid>/status), NaN when it is gone. */
export async function rssMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return round(kb / 1024);
  } catch {
    return NaN;
  }
}

/** Runs `work` but fails with a clear message after `ms`. */
export async function bounded<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
