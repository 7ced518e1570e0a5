// The job runner on a real database, on both providers: two runner instances (two clients on one database, as two
// processes would have) run each job exactly once; a restart runs nothing twice; a failing job is retried with a
// growing pause and then kept as failed with its error, redacted; a run whose instance died is taken over once its
// lease expired. The clock is injected: nothing sleeps beyond a few milliseconds.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { createJobRunner, type JobRunner, type JobRunnerOptions } from '../../../src/app/jobs/index.ts';
import type { Logger } from '../../../src/conversation/ports.ts';
import { openDatabase, type OpenDatabase } from '../../../src/data/database.ts';
import { createJobStore } from '../../../src/data/jobStore.ts';
import {
  dailyAt,
  defineJob,
  everyMinutes,
  type JobContext,
  type JobDefinition,
  type JobStore,
} from '../../../src/domain/jobs.ts';
import { TestClock } from '../../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../../helpers/database.ts';

const MINUTE = 60_000;
const ZONE = 'Asia/Ho_Chi_Minh';
/** 06:30 in Vietnam (UTC+7). */
const START = new Date('2026-12-02T23:30:00Z');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class MemoryLogger implements Logger {
  readonly lines: { level: string; msg: string | undefined }[] = [];
  debug() {}
  info() {}
  warn(_obj: object, msg?: string) {
    this.lines.push({ level: 'warn', msg });
  }
  error(_obj: object, msg?: string) {
    this.lines.push({ level: 'error', msg });
  }
}

/** What the handlers did: one entry per run, "<kind>@<local due time>" or "<kind>#<payload id>". */
let runs: string[];
let clock: TestClock;
let logger: MemoryLogger;

/** The jobs of these tests; each run takes a few ms so that two instances really overlap. */
function definitions(overrides: { failing?: () => void } = {}): JobDefinition[] {
  return [
    defineJob({
      kind: 'tick',
      schedule: everyMinutes(1),
      payload: z.object({}),
      async run(_payload, context: JobContext) {
        await sleep(3);
        runs.push(`tick@${context.dueAt.toISOString()}`);
      },
    }),
    defineJob({
      kind: 'morning',
      schedule: dailyAt('07:00'),
      payload: z.object({}),
      async run(_payload, context) {
        await sleep(3);
        runs.push(`morning@${context.dueAt.toISOString()}`);
      },
    }),
    defineJob({
      kind: 'remind',
      payload: z.object({ member: z.number().int() }),
      async run(payload) {
        await sleep(3);
        overrides.failing?.();
        runs.push(`remind#${payload.member}`);
      },
    }),
  ];
}

describeEachProvider('job runner', (provider) => {
  let db: FreshDatabase;
  const others: OpenDatabase[] = [];
  const runners: JobRunner[] = [];

  beforeEach(async () => {
    db = await freshDatabase(provider);
    runs = [];
    clock = new TestClock(START);
    logger = new MemoryLogger();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await Promise.all(others.splice(0).map((o) => o.close()));
    await db.close();
  });

  /** Another process on the same database: its own client. */
  async function otherStore(): Promise<JobStore> {
    const other = await openDatabase(db.url);
    others.push(other);
    return createJobStore(other.prisma);
  }

  /** A started runner that does not poll by itself: the test calls runDue. */
  async function runner(store: JobStore, options: Partial<JobRunnerOptions> = {}): Promise<JobRunner> {
    const created = createJobRunner({
      store,
      clock,
      logger,
      timeZone: ZONE,
      jobs: definitions(),
      backoffMs: () => MINUTE,
      ...options,
    });
    runners.push(created);
    await created.start({ poll: false }); // the test drives the runs itself
    return created;
  }

  it('two instances run a recurring job and one-off jobs exactly once', async () => {
    const storeA = createJobStore(db.prisma);
    const storeB = await otherStore();
    const [a, b] = await Promise.all([runner(storeA), runner(storeB)]);
    for (let member = 1; member <= 6; member++) {
      await (member % 2 ? a : b).schedule('remind', { member }, new Date(START.getTime() + 30_000));
    }
    // Both instances look for due jobs at the same moments, three times per minute, for five minutes.
    for (let step = 0; step < 15; step++) {
      await Promise.all([a.runDue(), b.runDue()]);
      clock.advance(20_000);
    }
    const ticks = runs.filter((r) => r.startsWith('tick@'));
    expect(ticks).toHaveLength(5);
    expect(new Set(ticks).size).toBe(5);
    expect(runs.filter((r) => r.startsWith('remind#')).sort()).toEqual([1, 2, 3, 4, 5, 6].map((m) => `remind#${m}`));
    expect(await storeA.list({ statuses: ['done'] })).toHaveLength(6);
    expect(await storeA.list({ statuses: ['running', 'failed'] })).toEqual([]);
  });

  it('a daily job runs once at 07:00 local time with two instances, then the next day', async () => {
    const [a, b] = await Promise.all([runner(createJobStore(db.prisma)), runner(await otherStore())]);
    // 06:30: not yet. 07:00 and after: once.
    await Promise.all([a.runDue(), b.runDue()]);
    expect(runs.filter((r) => r.startsWith('morning'))).toEqual([]);
    for (let step = 0; step < 4; step++) {
      clock.advance(30 * MINUTE);
      await Promise.all([a.runDue(), b.runDue()]);
    }
    clock.advance(24 * 60 * MINUTE);
    await Promise.all([a.runDue(), b.runDue(), a.runDue()]);
    expect(runs.filter((r) => r.startsWith('morning'))).toEqual([
      'morning@2026-12-03T00:00:00.000Z', // 07:00 on 3 Dec in Vietnam
      'morning@2026-12-04T00:00:00.000Z',
    ]);
  });

  it('runs nothing twice across a restart, and keeps the recurring jobs where they were', async () => {
    const first = await runner(createJobStore(db.prisma));
    await first.schedule('remind', { member: 12 }, START, { key: 'remind:12' });
    expect(await first.runDue()).toBe(2); // the minute tick (due at once) and the reminder
    const before = await createJobStore(db.prisma).list();
    await first.stop();

    // The process restarts (another client, the same database) a few seconds later.
    clock.advance(5_000);
    const second = await runner(await otherStore());
    expect(await second.runDue()).toBe(0);
    expect(await createJobStore(db.prisma).list()).toEqual(before);
    // Scheduling the same reminder again (same key) adds nothing.
    expect(await second.schedule('remind', { member: 12 }, START, { key: 'remind:12' })).toMatchObject({
      created: false,
    });
    clock.advance(MINUTE);
    expect(await second.runDue()).toBe(1);
    expect(runs).toEqual(['tick@2026-12-02T23:30:00.000Z', 'remind#12', 'tick@2026-12-02T23:31:00.000Z']);
  });

  it('retries a failing job with a growing pause, then keeps it as failed with its error redacted', async () => {
    let failures = 0;
    const failing = () => {
      failures++;
      // What a careless handler might throw: a name, a phone number and a quoted text.
      throw new Error('send to Nguyễn Thị Hoa +84 912 345 678 failed: "chị ơi"');
    };
    const store = createJobStore(db.prisma);
    const pauses: number[] = [];
    const r = await runner(store, {
      jobs: definitions({ failing }),
      maxAttempts: 3,
      backoffMs: (attempt) => {
        pauses.push(attempt);
        return attempt * MINUTE;
      },
    });
    await r.schedule('remind', { member: 7 }, START);
    await r.runDue();
    expect(failures).toBe(1);
    expect(await store.list({ statuses: ['queued'] })).toContainEqual(
      expect.objectContaining({ kind: 'remind', attempts: 1, runAt: new Date(START.getTime() + MINUTE) }),
    );
    // Not before its pause is over.
    clock.advance(MINUTE - 1000);
    await r.runDue();
    expect(failures).toBe(1);
    clock.advance(1000);
    await r.runDue();
    expect(failures).toBe(2);
    clock.advance(2 * MINUTE);
    await r.runDue();
    expect(failures).toBe(3);
    expect(pauses).toEqual([1, 2]);
    // Spent: kept as failed, never run again.
    clock.advance(60 * MINUTE);
    await r.runDue();
    expect(failures).toBe(3);
    const [failed] = await store.list({ statuses: ['failed'] });
    expect(failed).toMatchObject({ kind: 'remind', payload: { member: 7 }, attempts: 3, status: 'failed' });
    expect(failed?.lastError).toBe('Error: send to […] [number] failed: […]');
    expect(failed?.lastError).not.toMatch(/Hoa|912|chị/);
    expect(await r.health()).toEqual({ failed: 1, overdue: 0 });
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('a recurring job that keeps failing keeps a failed record of that run and goes on with its schedule', async () => {
    let fail = true;
    const store = createJobStore(db.prisma);
    const r = await runner(store, {
      maxAttempts: 2,
      jobs: [
        defineJob({
          kind: 'tick',
          schedule: everyMinutes(10),
          payload: z.object({}),
          async run(_payload, context) {
            if (fail) throw new TypeError('boom');
            runs.push(`tick@${context.dueAt.toISOString()}`);
          },
        }),
      ],
    });
    await r.runDue(); // first try fails, retried in a minute
    clock.advance(MINUTE);
    await r.runDue(); // second try fails: spent
    const failed = await store.list({ statuses: ['failed'] });
    expect(failed).toMatchObject([{ kind: 'tick', attempts: 2, lastError: 'TypeError: boom', schedule: 'every 600s' }]);
    const [recurring] = await store.list({ statuses: ['queued'] });
    expect(recurring).toMatchObject({
      key: 'recurring:tick',
      attempts: 0,
      runAt: new Date(START.getTime() + 11 * MINUTE), // ten minutes after the last try,
    });
    fail = false;
    clock.advance(10 * MINUTE);
    await r.runDue();
    expect(runs).toEqual(['tick@2026-12-02T23:41:00.000Z']);
  });

  it('takes over a run whose instance died once its lease expired, and the dead run stores nothing', async () => {
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const slow = (extra: Partial<JobRunnerOptions>) => ({
      jobs: [
        defineJob({
          kind: 'remind',
          payload: z.object({ member: z.number() }),
          async run(payload) {
            started++;
            if (started === 1) await hanging; // the first instance "dies" here
            runs.push(`remind#${payload.member}`);
          },
        }),
      ],
      leaseMs: 10 * MINUTE,
      ...extra,
    });
    const a = await runner(createJobStore(db.prisma), slow({}));
    const b = await runner(await otherStore(), slow({}));
    await a.schedule('remind', { member: 3 }, START);
    const dead = a.runDue(); // never finishes on its own
    await expect.poll(() => started).toBe(1);
    expect(await b.runDue()).toBe(0); // still leased
    clock.advance(10 * MINUTE + 1);
    expect(await b.health()).toEqual({ failed: 0, overdue: 0 });
    expect(await b.runDue()).toBe(1);
    expect(runs).toEqual(['remind#3']);
    release();
    await dead;
    expect(runs).toEqual(['remind#3', 'remind#3']); // the dead instance's handler ran to its end...
    const [job] = await createJobStore(db.prisma).list();
    expect(job).toMatchObject({ status: 'done', attempts: 2 }); // ...but the job was run and recorded once, by B
    expect(logger.lines.map((l) => l.msg)).toContain(
      'job finished after its lease expired and another runner took it over; result not stored',
    );
  });

  it('a job whose instance died on its last try is kept as failed', async () => {
    const store = createJobStore(db.prisma);
    const r = await runner(store, { maxAttempts: 1, leaseMs: MINUTE });
    await r.schedule('remind', { member: 4 }, START);
    // An instance claims it and dies.
    await store.claim({
      kinds: ['remind'],
      now: clock.now(),
      lockedBy: 'dead',
      lockedUntil: new Date(START.getTime() + MINUTE),
    });
    clock.advance(2 * MINUTE);
    await r.runDue();
    expect(runs.filter((x) => x.startsWith('remind'))).toEqual([]);
    expect(await store.list({ statuses: ['failed'] })).toMatchObject([
      { kind: 'remind', lastError: 'LeaseExpired: the instance running the last try stopped before it finished' },
    ]);
  });

  it('checks payloads: refused when scheduling, and a stored bad payload fails at once without retries', async () => {
    const store = createJobStore(db.prisma);
    const r = await runner(store);
    await expect(r.schedule('remind', { member: 'Hoa' }, START)).rejects.toThrow(z.ZodError);
    await expect(r.schedule('unknown', {}, START)).rejects.toThrow('Job kind unknown is not defined');
    await store.enqueue({ kind: 'remind', payload: { member: 'Hoa' }, runAt: START, maxAttempts: 5 });
    await r.runDue();
    expect(await store.list({ statuses: ['failed'] })).toMatchObject([
      { attempts: 1, lastError: 'InvalidPayload: member invalid_type' },
    ]);
  });

  it('claims only the kinds it knows, and reports jobs nobody runs as overdue', async () => {
    const store = createJobStore(db.prisma);
    const r = await runner(store, { jobs: definitions().filter((d) => d.kind === 'remind') });
    await store.enqueue({ kind: 'courses.reminder', payload: {}, runAt: START, maxAttempts: 5 });
    expect(await r.runDue()).toBe(0);
    expect(await r.health()).toEqual({ failed: 0, overdue: 0 });
    clock.advance(6 * MINUTE);
    expect(await r.health()).toEqual({ failed: 0, overdue: 1 });
    expect((await store.attention(new Date(clock.now().getTime() - 5 * MINUTE), 10)).map((j) => j.kind)).toEqual([
      'courses.reminder',
    ]);
  });

  it('a cancelled reminder does not run; declaring a changed schedule moves the job, a retired one is removed', async () => {
    const store = createJobStore(db.prisma);
    const r = await runner(store);
    await r.schedule('remind', { member: 5 }, START, { key: 'remind:5' });
    expect(await r.cancel('remind:5')).toBe(true);
    expect(await r.cancel('remind:5')).toBe(false);
    expect(await r.runDue()).toBe(1); // the tick only
    expect(runs).toEqual(['tick@2026-12-02T23:30:00.000Z']);

    // Restarted with the daily job at 08:00 and without the minute tick.
    const changed = definitions()
      .filter((d) => d.kind !== 'tick')
      .map((d) => (d.kind === 'morning' ? { ...d, schedule: dailyAt('08:00') } : d));
    await runner(await otherStore(), { jobs: changed });
    const recurring = await store.list({ statuses: ['queued'] });
    expect(recurring).toMatchObject([
      { key: 'recurring:morning', schedule: 'daily 08:00', runAt: new Date('2026-12-03T01:00:00Z') },
    ]);
  });

  it('polls by itself, and stop() lets the job in progress finish and claims nothing more', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const store = createJobStore(db.prisma);
    const r = createJobRunner({
      store,
      clock,
      logger,
      timeZone: ZONE,
      pollMs: 5,
      jobs: [
        defineJob({
          kind: 'remind',
          payload: z.object({ member: z.number() }),
          async run(payload) {
            if (payload.member === 1) await gate;
            runs.push(`remind#${payload.member}`);
          },
        }),
      ],
    });
    runners.push(r);
    await r.start();
    await r.schedule('remind', { member: 1 }, START);
    await r.schedule('remind', { member: 2 }, new Date(START.getTime() + 1));
    await expect.poll(async () => (await store.list({ statuses: ['running'] })).length).toBe(1);
    const stopped = r.stop();
    release();
    await stopped;
    expect(runs).toEqual(['remind#1']);
    clock.advance(MINUTE);
    await sleep(30);
    expect(runs).toEqual(['remind#1']);
    expect(await store.list({ statuses: ['done'] })).toHaveLength(1);
  });
});
