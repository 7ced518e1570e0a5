// The one job runner: every piece of work the bot does on its own (escalation, the digest, pruning, the Zalo token
// refresh, and one-off jobs such as reminders) is a row in the Job table, run by whichever instance claims it first.
//
// - Exactly once: a due job is claimed atomically (src/data/jobStore.ts: FOR UPDATE SKIP LOCKED on PostgreSQL, a
//   conditional update on SQLite); the claim is a lease. A recurring job is one row moved to its next occurrence in
//   the same statement that records the run, so a restart or a second instance finds nothing left to do.
// - A crash mid-run: the lease expires (JOBS_LEASE_SECONDS) and another instance, or this one restarted, runs the job
//   again. That is the only case where a run repeats, which is why handlers are idempotent.
// - Failures: retried with a growing pause (30 s, 1 min, 2 min... at most 1 h); after maxAttempts tries the job is
//   kept as failed with its redacted error (a recurring job keeps a failed record of that run and goes on with its
//   schedule). Nothing is dropped silently; /healthz counts failed and overdue jobs.
// - Only kinds registered in this process are claimed, so instances with different channels (or versions) can share
//   one database.
import { randomUUID } from 'node:crypto';
import { loggableError, type Clock, type Logger, type Metrics } from '../../conversation/ports.ts';
import {
  describeSchedule,
  type Job,
  type JobContext,
  type JobDefinition,
  type JobQueue,
  type JobStore,
  type ScheduledJob,
  recurringKey,
} from '../../domain/jobs.ts';
import { redactError } from './redact.ts';
import { firstOccurrence, nextOccurrence } from './schedule.ts';

export interface JobRunnerOptions {
  store: JobStore;
  clock: Clock;
  logger: Logger;
  /** IANA zone of "daily at HH:MM" (TIME_ZONE). */
  timeZone: string;
  /** Job kinds this process runs; more can be added with `define` before `start`. */
  jobs?: readonly JobDefinition[];
  /** Pause between two looks for due jobs when none is due (JOBS_POLL_MS). Default 5000. */
  pollMs?: number;
  /** Tries before a job is kept as failed, unless its definition says otherwise (JOBS_MAX_ATTEMPTS). Default 5. */
  maxAttempts?: number;
  /**
   * How long a claim holds (JOBS_LEASE_SECONDS): past it, the job is taken to be abandoned (its instance died) and
   * runs again. Also the longest a run may take: a run still going then counts as failed. Default 10 min.
   */
  leaseMs?: number;
  /** Pause before try `attempt + 1` after try `attempt` failed. Default 30 s × 2^(attempt − 1), at most 1 h. */
  backoffMs?: (attempt: number) => number;
  /** Names this process in `lockedBy` (with a random part per claim). Default: a random id. */
  instance?: string;
  /** Counts every run by job kind and outcome (GET /metrics); default none. */
  metrics?: Pick<Metrics, 'jobRun'>;
}

export interface JobHealth {
  failed: number;
  overdue: number;
}

export interface JobRunner extends JobQueue {
  /** Registers a job kind (before `start` for a recurring one). A kind registered twice is a programming error. */
  define(definition: JobDefinition): void;
  /**
   * Declares the recurring jobs (and retires those no longer declared), then looks for due jobs every `pollMs`
   * until `stop`. Resolves once the recurring jobs are declared. `poll: false` (tests): only `runDue` runs jobs.
   */
  start(options?: { poll?: boolean }): Promise<void>;
  /** Claims and runs due jobs one after the other until none is due or `stop` was called; returns how many ran. */
  runDue(): Promise<number>;
  /** Claims nothing more, lets the job in progress finish, and resolves. Safe to call twice. */
  stop(): Promise<void>;
  /** Failed jobs, and jobs more than OVERDUE_AFTER_MS late (no runner is taking them). */
  health(): Promise<JobHealth>;
}

/** A job this late (or a lease expired this long ago) is reported overdue: above any poll interval or retry pause. */
export const OVERDUE_AFTER_MS = 5 * 60_000;

const DEFAULTS = { pollMs: 5_000, maxAttempts: 5, leaseMs: 10 * 60_000 };

/** 30 s, 1 min, 2 min, 4 min... at most 1 h. */
export function defaultBackoffMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

class JobTimeout extends Error {
  override name = 'JobTimeout';
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, clock, logger, timeZone } = options;
  const pollMs = options.pollMs ?? DEFAULTS.pollMs;
  const defaultMaxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  const leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const instance = options.instance ?? randomUUID().slice(0, 8);
  const definitions = new Map<string, JobDefinition>();
  for (const definition of options.jobs ?? []) define(definition);

  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let started = false;
  /** The batch of runs in progress (one job at a time), so `stop` can wait for it. */
  let running: Promise<number> | undefined;

  function define(definition: JobDefinition): void {
    if (definitions.has(definition.kind)) throw new Error(`Job kind ${definition.kind} is defined twice`);
    definitions.set(definition.kind, definition);
  }

  const maxAttemptsOf = (definition: JobDefinition) => definition.maxAttempts ?? defaultMaxAttempts;

  async function declareRecurring(): Promise<void> {
    const now = clock.now();
    const recurring = [...definitions.values()].filter((d) => d.schedule !== undefined);
    for (const definition of recurring) {
      const schedule = definition.schedule!;
      await store.declareRecurring({
        kind: definition.kind,
        schedule: describeSchedule(schedule),
        firstRunAt: firstOccurrence(schedule, now, timeZone),
        maxAttempts: maxAttemptsOf(definition),
      });
    }
    const retired = await store.retireRecurring(recurring.map((d) => d.kind));
    if (retired > 0) logger.info({ retired }, 'recurring jobs no longer declared were removed');
  }

  /** The next occurrence of a recurring job's run (null for a one-off job). */
  function nextRun(job: Job, definition: JobDefinition | undefined): Date | null {
    if (definition?.schedule === undefined || job.key !== recurringKey(job.kind)) return null;
    return nextOccurrence(definition.schedule, job.runAt, clock.now(), timeZone);
  }

  async function runOne(job: Job): Promise<void> {
    const definition = definitions.get(job.kind);
    const fields = { job: job.id, kind: job.kind, attempt: job.attempts };
    // The previous try was claimed and never reported back (its instance died): counted, and the last one allowed.
    if (job.attempts > job.maxAttempts || definition === undefined) {
      const error =
        definition === undefined
          ? 'UnknownJobKind: no handler for this kind'
          : 'LeaseExpired: the instance running the last try stopped before it finished';
      await finalFailure(job, error, nextRun(job, definition), fields);
      return;
    }
    const payload = definition.payload.safeParse(job.payload);
    if (!payload.success) {
      // Retrying cannot make a payload valid: failed at once. Issue paths and codes only (values may be personal).
      const issues = payload.error.issues.map((i) => `${i.path.join('.') || '(payload)'} ${i.code}`).join(', ');
      await finalFailure(job, `InvalidPayload: ${issues}`, nextRun(job, definition), fields);
      return;
    }
    const context: JobContext = { id: job.id, kind: job.kind, attempt: job.attempts, dueAt: job.runAt };
    const startedAt = Date.now();
    try {
      await withTimeout(definition.run(payload.data, context), leaseMs);
    } catch (error) {
      const stored = redactError(error);
      if (job.attempts < job.maxAttempts) {
        const retryAt = new Date(clock.now().getTime() + backoffMs(job.attempts));
        options.metrics?.jobRun(job.kind, 'failed');
        const kept = await store.retry(job, stored, clock.now(), retryAt);
        logger.warn({ ...fields, err: loggableError(error), retryAt: retryAt.toISOString() }, 'job failed, will retry');
        if (!kept) lostClaim(fields);
      } else {
        await finalFailure(job, stored, nextRun(job, definition), { ...fields, err: loggableError(error) });
      }
      return;
    }
    options.metrics?.jobRun(job.kind, 'ok');
    const next = nextRun(job, definition);
    const kept = await store.succeed(job, clock.now(), next);
    if (!kept) lostClaim(fields);
    else
      logger.debug(
        // `due`: the slot this run was for (a recurring job runs once per slot, whichever instance claims it).
        {
          ...fields,
          due: job.runAt.toISOString(),
          ms: Date.now() - startedAt,
          ...(next ? { next: next.toISOString() } : {}),
        },
        'job done',
      );
  }

  async function finalFailure(job: Job, error: string, next: Date | null, fields: object): Promise<void> {
    options.metrics?.jobRun(job.kind, 'dead');
    const kept = await store.fail(job, error, clock.now(), next);
    if (!kept) lostClaim(fields);
    else
      logger.error({ ...fields, ...(next ? { next: next.toISOString() } : {}) }, 'job failed for good, kept as failed');
  }

  function lostClaim(fields: object): void {
    logger.warn(fields, 'job finished after its lease expired and another runner took it over; result not stored');
  }

  async function runBatch(): Promise<number> {
    let ran = 0;
    const kinds = [...definitions.keys()];
    while (!stopping && kinds.length > 0) {
      const now = clock.now();
      const job = await store.claim({
        kinds,
        now,
        lockedBy: `${instance}:${randomUUID().slice(0, 8)}`,
        lockedUntil: new Date(now.getTime() + leaseMs),
      });
      if (job === null) break;
      await runOne(job);
      ran++;
    }
    return ran;
  }

  function runDue(): Promise<number> {
    // One batch at a time per process: a poll that comes while a batch runs joins it.
    running ??= runBatch().finally(() => {
      running = undefined;
    });
    return running;
  }

  function poll(delay: number): void {
    if (stopping) return;
    timer = setTimeout(() => {
      runDue()
        .catch((error: unknown) => logger.error({ err: loggableError(error) }, 'job runner poll failed'))
        .finally(() => poll(pollMs));
    }, delay);
    timer.unref();
  }

  return {
    define,

    async start({ poll: polling = true } = {}) {
      if (started) return;
      started = true;
      await declareRecurring();
      if (!polling) return;
      logger.info({ kinds: [...definitions.keys()], pollMs }, 'job runner started');
      poll(0);
    },

    runDue,

    async stop() {
      stopping = true;
      clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },

    async health() {
      return store.counts(new Date(clock.now().getTime() - OVERDUE_AFTER_MS));
    },

    async schedule(kind, payload, runAt, scheduleOptions = {}): Promise<ScheduledJob> {
      const definition = definitions.get(kind);
      if (definition === undefined) throw new Error(`Job kind ${kind} is not defined`);
      if (definition.schedule !== undefined) throw new Error(`Job kind ${kind} is recurring; it is not scheduled`);
      const checked = definition.payload.parse(payload);
      const { job, created } = await store.enqueue({
        kind,
        payload: checked,
        runAt,
        maxAttempts: maxAttemptsOf(definition),
        ...(scheduleOptions.key === undefined ? {} : { key: scheduleOptions.key }),
        ...(scheduleOptions.memberId === undefined ? {} : { memberId: scheduleOptions.memberId }),
      });
      return { id: job.id, created };
    },

    cancel: (key) => store.cancel(key),
  };
}

/** The run's promise, or a JobTimeout after `ms` (the run itself cannot be cancelled; its result is then ignored). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobTimeout(`the run took longer than ${Math.round(ms / 1000)}s`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
