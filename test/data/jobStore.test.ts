// The job table on both providers: claims across two clients on one database (as two processes) never hand one run
// to two claimants; dedupe keys and recurring declarations make one row however many callers race.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../src/data/database.ts';
import { createJobStore } from '../../src/data/jobStore.ts';
import type { Job, JobStore } from '../../src/domain/jobs.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const NOW = new Date('2026-12-03T00:00:00Z');
const LEASE = new Date(NOW.getTime() + 60_000);

describeEachProvider('job store', (provider) => {
  let db: FreshDatabase;
  let other: OpenDatabase;
  let a: JobStore;
  let b: JobStore;

  beforeEach(async () => {
    db = await freshDatabase(provider);
    other = await openDatabase(db.url);
    a = createJobStore(db.prisma);
    b = createJobStore(other.prisma);
  });
  afterEach(async () => {
    await other.close();
    await db.close();
  });

  it('hands each due job to exactly one of many concurrent claimants on two clients', async () => {
    for (let i = 0; i < 12; i++) await a.enqueue({ kind: 'remind', payload: { i }, runAt: NOW, maxAttempts: 3 });
    await a.enqueue({ kind: 'remind', payload: { later: true }, runAt: LEASE, maxAttempts: 3 });
    await a.enqueue({ kind: 'other', payload: {}, runAt: NOW, maxAttempts: 3 });
    const claimed: Job[] = [];
    const claimant = async (store: JobStore, name: string) => {
      for (;;) {
        const job = await store.claim({ kinds: ['remind'], now: NOW, lockedBy: name, lockedUntil: LEASE });
        if (job === null) return;
        claimed.push(job);
      }
    };
    await Promise.all([claimant(a, 'a1'), claimant(b, 'b1'), claimant(a, 'a2'), claimant(b, 'b2')]);
    expect(claimed.map((j) => j.id).sort((x, y) => x - y)).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(claimed.every((j) => j.status === 'running' && j.attempts === 1)).toBe(true);
    // The claim is a lease: nobody gets them again before it expires; then exactly one does.
    expect(await b.claim({ kinds: ['remind'], now: NOW, lockedBy: 'b3', lockedUntil: LEASE })).toBeNull();
    const late = new Date(LEASE.getTime() + 1);
    const again = await Promise.all(
      [a, b, a, b].map((store, i) =>
        store.claim({
          kinds: ['remind'],
          now: late,
          lockedBy: `late${i}`,
          lockedUntil: new Date(late.getTime() + 60_000),
        }),
      ),
    );
    const taken = again.filter((job): job is Job => job !== null);
    expect(taken).toHaveLength(4); // four of the 12 expired leases (and the later job), one each
    expect(new Set(taken.map((j) => j.id)).size).toBe(4);
  });

  it('a runner that lost its claim changes nothing', async () => {
    await a.enqueue({ kind: 'remind', payload: {}, runAt: NOW, maxAttempts: 3 });
    const mine = await a.claim({ kinds: ['remind'], now: NOW, lockedBy: 'a', lockedUntil: LEASE });
    const late = new Date(LEASE.getTime() + 1);
    const theirs = await b.claim({
      kinds: ['remind'],
      now: late,
      lockedBy: 'b',
      lockedUntil: new Date(late.getTime() + 60_000),
    });
    expect(theirs).toMatchObject({ id: mine?.id, attempts: 2, lockedBy: 'b' });
    expect(await a.succeed(mine!, late, null)).toBe(false);
    expect(await a.fail(mine!, 'Error', late, null)).toBe(false);
    expect(await a.retry(mine!, 'Error', late, late)).toBe(false);
    expect(await b.succeed(theirs!, late, null)).toBe(true);
    expect(await a.list()).toMatchObject([{ status: 'done', lockedBy: null }]);
  });

  it('makes one job per dedupe key and one row per recurring job, however many callers race', async () => {
    const results = await Promise.all(
      [a, b, a, b].map((store) =>
        store.enqueue({
          kind: 'remind',
          payload: { member: 12 },
          runAt: NOW,
          maxAttempts: 3,
          key: 'remind:12:2026-12-03',
        }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    await Promise.all(
      [a, b, a, b].map((store) =>
        store.declareRecurring({ kind: 'cases.digest', schedule: 'daily 07:00', firstRunAt: NOW, maxAttempts: 5 }),
      ),
    );
    expect((await a.list()).map((j) => j.key).sort()).toEqual(['recurring:cases.digest', 'remind:12:2026-12-03']);
  });
});
