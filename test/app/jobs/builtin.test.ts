// The bot's own recurring jobs on the runner: escalation every minute, the digest at DIGEST_HOUR on the officers'
// local day, pruning; and the jobs the wired runtime declares.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appDataKinds } from '../../../src/app/personalData.ts';
import { createPersonalRecords } from '../../../src/data/personalRecords.ts';
import { createJobRunner, digestJob, escalationJob, pruneJob } from '../../../src/app/jobs/index.ts';
import { createInboundEventStore } from '../../../src/data/inboundEventStore.ts';
import { createInboundLog } from '../../../src/data/inboundLog.ts';
import { createJobStore } from '../../../src/data/jobStore.ts';
import { realRuntime, silentLogger, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';

const DAY = 86_400_000;
let db: FreshDatabase;

beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(() => db.close());

describe('escalation and digest', () => {
  it('escalates every minute and sends the digest once a day from the digest hour, for the local day', async () => {
    const days: string[] = [];
    let escalations = 0;
    const clock = new TestClock(new Date('2026-03-01T23:30:00Z')); // 06:30 on 2 March in Vietnam
    const runner = createJobRunner({
      store: createJobStore(db.prisma),
      clock,
      logger: silentLogger,
      timeZone: 'Asia/Ho_Chi_Minh',
      jobs: [
        escalationJob(async () => ++escalations, silentLogger),
        digestJob(
          async (day) => {
            days.push(day);
            return 1;
          },
          { hour: 7, timeZone: 'Asia/Ho_Chi_Minh', logger: silentLogger },
        ),
      ],
    });
    await runner.start({ poll: false });
    await runner.runDue();
    expect({ escalations, days }).toEqual({ escalations: 1, days: [] });
    clock.advance(30_000);
    await runner.runDue();
    expect(escalations).toBe(1); // not before the minute is over
    clock.advance(60 * 60_000); // 07:30 local
    await runner.runDue();
    expect({ escalations, days }).toEqual({ escalations: 2, days: ['2026-03-02'] });
    clock.advance(60 * 60_000); // 08:30: the digest is not sent again that day
    await runner.runDue();
    expect(days).toEqual(['2026-03-02']);
    clock.advance(DAY);
    await runner.runDue();
    expect(days).toEqual(['2026-03-02', '2026-03-03']);
  });
});

describe('pruning', () => {
  it('removes handled inbound ids and stored events past their retention and old finished jobs, keeps the rest', async () => {
    const inbound = createInboundLog(db.prisma);
    const jobs = createJobStore(db.prisma);
    await inbound.claim('telegram', 'old');
    const finished = (days: number) => new Date(Date.now() - days * DAY);
    const event = (eventKey: string, status: string, finishedAt: Date | null) => ({
      channel: 'zalo',
      eventKey,
      userId: 'u1',
      payload: status === 'done' ? '' : '{}',
      occurredAt: finished(20),
      receivedAt: finished(20),
      runAt: finished(20),
      status,
      finishedAt,
    });
    await db.prisma.inboundEvent.createMany({
      data: [
        event('handled-long-ago', 'done', finished(1)),
        event('failed-long-ago', 'failed', finished(1)),
        event('handled-lately', 'done', new Date(Date.now() + 2 * DAY)),
        event('still-waiting', 'pending', null),
      ],
    });
    await db.prisma.job.createMany({
      data: [
        { kind: 'remind', payload: {}, runAt: finished(40), maxAttempts: 5, status: 'done', finishedAt: finished(40) },
        {
          kind: 'remind',
          payload: {},
          runAt: finished(40),
          maxAttempts: 5,
          status: 'failed',
          finishedAt: finished(31),
        },
        { kind: 'remind', payload: {}, runAt: finished(2), maxAttempts: 5, status: 'failed', finishedAt: finished(2) },
        { kind: 'remind', payload: {}, runAt: finished(40), maxAttempts: 5, status: 'queued' },
      ],
    });
    const clock = new TestClock(new Date(Date.now() + 8 * DAY));
    const runner = createJobRunner({
      store: jobs,
      clock,
      logger: silentLogger,
      timeZone: 'Asia/Ho_Chi_Minh',
      jobs: [
        pruneJob({
          kinds: () =>
            appDataKinds({
              records: createPersonalRecords(db.prisma),
              inbound,
              inboundEvents: createInboundEventStore(db.prisma),
              jobs,
              retention: { conversationsDays: 30, inboundIdsDays: 7, jobsDays: 30 },
            }),
          clock,
          logger: silentLogger,
        }),
      ],
    });
    await runner.start({ poll: false });
    expect(await runner.runDue()).toBe(1);
    expect(await inbound.claim('telegram', 'old')).toBe(true); // its id was forgotten
    // Stored events handled or failed more than INBOUND_ID_RETENTION_DAYS ago go; a waiting one is never pruned.
    expect((await db.prisma.inboundEvent.findMany({ orderBy: { id: 'asc' } })).map((e) => e.eventKey)).toEqual([
      'handled-lately',
      'still-waiting',
    ]);
    // Left: the recent failure, the queued job, and the prune job itself (queued for its next hour).
    expect((await jobs.list()).map((j) => `${j.kind}:${j.status}`).sort()).toEqual([
      'maintenance.prune:queued',
      'remind:failed',
      'remind:queued',
    ]);
  });
});

describe('the wired runtime', () => {
  it('declares escalation, the digest, the courses’ and products’ jobs, the photo purge and pruning (with the outbox’s rows) once, however many instances start', async () => {
    const clock = new TestClock(new Date('2026-03-01T23:30:00Z'));
    const first = realRuntime(db.prisma, clock);
    const second = realRuntime(db.prisma, clock);
    await Promise.all([first.jobs.start({ poll: false }), second.jobs.start({ poll: false })]);
    const declared = await first.jobStore.list();
    expect(declared.map((j) => [j.kind, j.schedule, j.runAt.toISOString()]).sort()).toEqual([
      ['broadcasts.tick', 'every 15s', '2026-03-01T23:30:00.000Z'],
      ['cases.digest', 'daily 07:00', '2026-03-02T00:00:00.000Z'],
      ['cases.escalate', 'every 60s', '2026-03-01T23:30:00.000Z'],
      ['courses.lapseOffers', 'every 60s', '2026-03-01T23:30:00.000Z'],
      ['courses.officerBatch', 'every 3600s', '2026-03-01T23:30:00.000Z'],
      ['courses.outcomes', 'daily 08:00', '2026-03-02T01:00:00.000Z'],
      ['courses.reminders', 'daily 08:00', '2026-03-02T01:00:00.000Z'],
      ['files.purge', 'daily 03:00', '2026-03-02T20:00:00.000Z'],
      ['maintenance.prune', 'every 3600s', '2026-03-01T23:30:00.000Z'],
      ['products.draftPurge', 'every 3600s', '2026-03-01T23:30:00.000Z'],
      ['products.forgetReporters', 'every 3600s', '2026-03-01T23:30:00.000Z'],
      ['products.ocopExpiry', 'daily 08:00', '2026-03-02T01:00:00.000Z'],
    ]);
    // The outbox's old rows are one kind of the registry the prune job goes through (no job of their own).
    expect(first.personalData.find((k) => k.models.includes('Notification'))?.retention?.variable).toBe(
      'OUTBOX_RETENTION_DAYS',
    );
    // 06:30 local: escalation, pruning, the broadcasts' tick, the courses' and products' minute and hourly jobs are due, the digest, the
    // course reminders and the OCOP notice are not; each runs on one instance only.
    const [ranFirst, ranSecond] = await Promise.all([first.jobs.runDue(), second.jobs.runDue()]);
    expect(ranFirst + ranSecond).toBe(7);
    expect(await first.jobs.health()).toEqual({ failed: 0, overdue: 0 });
    expect((await first.jobStore.list({ statuses: ['queued'] })).map((j) => j.runAt.toISOString()).sort()).toEqual([
      '2026-03-01T23:30:15.000Z',
      '2026-03-01T23:31:00.000Z',
      '2026-03-01T23:31:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-02T00:30:00.000Z',
      '2026-03-02T00:30:00.000Z',
      '2026-03-02T00:30:00.000Z',
      '2026-03-02T00:30:00.000Z',
      '2026-03-02T01:00:00.000Z',
      '2026-03-02T01:00:00.000Z',
      '2026-03-02T01:00:00.000Z',
      '2026-03-02T20:00:00.000Z',
    ]);
  });
});
