// Jobs: work the bot does on its own, at a time, stored in the database. The types every layer shares — what a job
// is, how a feature declares one (a kind, a zod schema for its payload, a handler, optionally a schedule), the port
// for scheduling one-off jobs, and the store the runner (src/app/jobs) works on (src/data/jobStore.ts implements it).
// They live in the domain because features declare jobs and schedule them, and the data layer implements the store.
import type { z } from 'zod';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
/** queued: waits for `runAt`; running: claimed by a runner until `lockedUntil`; done; failed: gave up, error kept. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * When a recurring job runs: every `every` milliseconds (at least one second), or each day at `daily` (a wall-clock
 * time in TIME_ZONE). Build them with `everySeconds`, `everyMinutes` and `dailyAt`.
 */
export type Schedule = { every: number } | { daily: { hour: number; minute: number } };

/** Every `n` seconds (n ≥ 1). */
export function everySeconds(n: number): Schedule {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`everySeconds: ${n} is not a whole number of seconds ≥ 1`);
  return { every: n * 1000 };
}

/** Every `n` minutes (n ≥ 1). */
export function everyMinutes(n: number): Schedule {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`everyMinutes: ${n} is not a whole number of minutes ≥ 1`);
  return { every: n * 60_000 };
}

/** Each day at "HH:MM" (24-hour clock) in TIME_ZONE. Throws RangeError on anything else. */
export function dailyAt(time: string): Schedule {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time.trim());
  if (!match) throw new RangeError(`dailyAt: "${time}" is not a time of day such as 07:00`);
  return { daily: { hour: Number(match[1]), minute: Number(match[2]) } };
}

/** The stored, human-readable form of a schedule: "every 60s", "daily 07:00". */
export function describeSchedule(schedule: Schedule): string {
  if ('every' in schedule) return `every ${Math.round(schedule.every / 1000)}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `daily ${pad(schedule.daily.hour)}:${pad(schedule.daily.minute)}`;
}

/** What a handler knows about the run it is doing. */
export interface JobContext {
  id: number;
  kind: string;
  /** 1 on the first try, 2 on the first retry... */
  attempt: number;
  /** When this run was due (the row's `runAt` when it was claimed), e.g. to know which day a digest is for. */
  dueAt: Date;
}

/**
 * A kind of job, registered with the runner by its `kind` (a stable name: it is stored in every row). The payload
 * is stored as JSON and checked with `payload` before each run; a payload the schema refuses fails the job at once,
 * without retries. With a `schedule` the job is recurring: one row per kind, run on that schedule with the payload
 * `{}` (the schema must accept it). Without one, jobs of this kind are scheduled one by one (`JobQueue.schedule`).
 * `run` throws to fail: the runner retries with a growing pause and, after `maxAttempts` (default JOBS_MAX_ATTEMPTS)
 * tries, keeps the job as failed with its error. Never put personal data in an error message (it is stored, though
 * redacted as a second line of defence). A run may happen again after a crash (the lease expired before the result
 * was stored), so handlers are idempotent: atomic marks, dedupe keys.
 */
export interface JobDefinition<P = unknown> {
  kind: string;
  payload: z.ZodType<P>;
  run(payload: P, context: JobContext): Promise<void>;
  schedule?: Schedule;
  maxAttempts?: number;
}

/** Declares a job with its payload type inferred from the schema. */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

/** Where features schedule one-off jobs ("remind member 12 on 2026-12-03 07:00"). The runner implements it. */
export interface JobQueue {
  /**
   * Stores a job of a registered `kind` to run at `runAt` (at once when it is past). The payload is checked against
   * the kind's schema first (a ZodError is thrown). With a `key` (an idempotency key such as "reminder:12:2026-12-03")
   * a second call with the same key adds nothing and returns the first job's id with `created: false`, whatever
   * became of that job (queued, done or failed). Keys and payloads hold ids, never names, phones or texts: the admin
   * CLI shows keys as they are.
   */
  schedule(
    kind: string,
    payload: unknown,
    runAt: Date,
    /**
     * `memberId`: the member the job is about (a reminder to her): erasing her data deletes the job (Job.memberId;
     * the personal-data registry's "jobs" kind). Set it for every job whose payload names or concerns a member.
     */
    options?: { key?: string; memberId?: string },
  ): Promise<ScheduledJob>;
  /** Removes the queued one-off job with this key (a reminder no longer needed); false when there is none. */
  cancel(key: string): Promise<boolean>;
}

export interface ScheduledJob {
  id: number;
  created: boolean;
}

/** A stored job. */
export interface Job {
  id: number;
  kind: string;
  /** "recurring:<kind>" for a recurring job; the dedupe key of a one-off job; null otherwise. */
  key: string | null;
  payload: unknown;
  /** describeSchedule() of a recurring job (also kept on the record of a failed run of one); null for one-offs. */
  schedule: string | null;
  status: JobStatus;
  runAt: Date;
  /** Tries so far, the current one included while running. */
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  /** The last error, redacted (see src/app/jobs/redact.ts). */
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** The key of a recurring job's row. */
export const recurringKey = (kind: string): string => `recurring:${kind}`;

/**
 * The jobs table. Every change a runner makes to a claimed job is conditional on its claim (`lockedBy`): a runner
 * whose lease expired and was taken over by another instance changes nothing (the methods then return false).
 */
export interface JobStore {
  /** Adds a one-off job; with a `key` already in the table, adds nothing and returns that job, created: false. */
  enqueue(job: {
    kind: string;
    payload: unknown;
    runAt: Date;
    maxAttempts: number;
    key?: string;
    /** The member the job is about; her erasure deletes it. */
    memberId?: string;
  }): Promise<{ job: Job; created: boolean }>;
  /**
   * Makes sure the recurring job of `kind` exists (key "recurring:<kind>"), first due at `firstRunAt`. Several
   * instances declaring it at once make one row. When it exists with another schedule, the schedule is replaced and
   * (unless it is running) the job moved to `firstRunAt`; `maxAttempts` is updated either way.
   */
  declareRecurring(job: { kind: string; schedule: string; firstRunAt: Date; maxAttempts: number }): Promise<Job>;
  /** Deletes the queued recurring jobs whose kind is not in `kinds` (no longer declared); returns how many. */
  retireRecurring(kinds: readonly string[]): Promise<number>;
  /** Deletes the queued job with this key; true when there was one. */
  cancel(key: string): Promise<boolean>;
  /**
   * Atomically claims the next due job of one of `kinds` — queued with `runAt` ≤ now, or running with a lease that
   * expired before now — for `lockedBy` until `lockedUntil`, counting one more attempt. Earliest `runAt` first. At most
   * one claimant gets a given run, across processes. null when nothing is due.
   */
  claim(options: { kinds: readonly string[]; now: Date; lockedBy: string; lockedUntil: Date }): Promise<Job | null>;
  /** The claimed run succeeded: a one-off job is done; a recurring one (next ≠ null) is queued for `next`. */
  succeed(job: Job, now: Date, next: Date | null): Promise<boolean>;
  /** The claimed run failed and is tried again at `retryAt`, keeping `error`. */
  retry(job: Job, error: string, now: Date, retryAt: Date): Promise<boolean>;
  /**
   * The claimed run failed for good: a one-off job stays as failed with `error`. For a recurring job (next ≠ null) a
   * failed record of this run is added with the error, and the job itself is queued for `next` (in one transaction).
   */
  fail(job: Job, error: string, now: Date, next: Date | null): Promise<boolean>;
  /** For /healthz: failed jobs, and jobs due (or whose lease expired) before `overdueBefore` that nobody has run. */
  counts(overdueBefore: Date): Promise<{ failed: number; overdue: number }>;
  /** What needs a look (admin CLI): the failed jobs, latest failure first, then the overdue ones, oldest first. */
  attention(overdueBefore: Date, limit: number): Promise<Job[]>;
  /** Jobs with these statuses (all when omitted), by `runAt`. */
  list(options?: { statuses?: readonly JobStatus[]; limit?: number }): Promise<Job[]>;
  /** Deletes done and failed jobs that finished before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}
