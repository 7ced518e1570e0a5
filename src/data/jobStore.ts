// The Job table (see src/app/jobs/runner.ts). Claiming is the one place that differs between the providers:
// - PostgreSQL: one UPDATE whose subquery picks the earliest due row with FOR UPDATE SKIP LOCKED, so instances polling
//   at once each get a different row without waiting for each other.
// - SQLite: the candidates are read, then each is claimed with a conditional UPDATE (… WHERE id = ? AND status =
//   'queued' AND runAt <= now, or the lease it had expired): SQLite runs one writer at a time, so exactly one
//   claimant sees its update count 1.
// Every later change of a claimed job is conditional on the claim (`lockedBy`), so a runner that lost its lease
// changes nothing.
import { JOB_STATUSES, recurringKey, type Job, type JobStatus, type JobStore } from '../domain/jobs.ts';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-pg/client.ts';
import { isPrismaError, type PrismaClient } from './database.ts';

type Row = Awaited<ReturnType<PrismaClient['job']['findUniqueOrThrow']>>;

function toJob(row: Row): Job {
  const status = (JOB_STATUSES as readonly string[]).includes(row.status) ? (row.status as JobStatus) : 'failed';
  return {
    id: row.id,
    kind: row.kind,
    key: row.key,
    payload: row.payload,
    schedule: row.schedule,
    status,
    runAt: row.runAt,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lockedBy: row.lockedBy,
    lockedUntil: row.lockedUntil,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}

const RECURRING_PREFIX = recurringKey('');

/** How many due rows SQLite reads per claim: enough to get past rows another instance claims at the same moment. */
const SQLITE_CANDIDATES = 8;

export function createJobStore(prisma: PrismaClient): JobStore {
  const postgres = (prisma as unknown) instanceof PostgresPrismaClient;

  /** The claimed job, unless its claim was lost. */
  const claimed = (job: Job) => ({ id: job.id, status: 'running', lockedBy: job.lockedBy });

  async function claimPostgres(kinds: readonly string[], now: Date, lockedBy: string, lockedUntil: Date) {
    const rows = await prisma.$queryRawUnsafe<{ id: number }[]>(
      `UPDATE "Job" SET "status" = 'running', "lockedBy" = $1, "lockedUntil" = $2, "attempts" = "attempts" + 1,
              "updatedAt" = $3
       WHERE "id" = (
         SELECT "id" FROM "Job"
         WHERE "kind" = ANY($4::text[])
           AND (("status" = 'queued' AND "runAt" <= $3) OR ("status" = 'running' AND "lockedUntil" < $3))
         ORDER BY "runAt", "id"
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      lockedBy,
      lockedUntil,
      now,
      [...kinds],
    );
    return rows[0]?.id;
  }

  async function claimSqlite(kinds: readonly string[], now: Date, lockedBy: string, lockedUntil: Date) {
    const due = {
      kind: { in: [...kinds] },
      OR: [
        { status: 'queued', runAt: { lte: now } },
        { status: 'running', lockedUntil: { lt: now } },
      ],
    };
    const candidates = await prisma.job.findMany({
      where: due,
      orderBy: [{ runAt: 'asc' }, { id: 'asc' }],
      take: SQLITE_CANDIDATES,
      select: { id: true, status: true, lockedBy: true },
    });
    for (const candidate of candidates) {
      const still =
        candidate.status === 'queued'
          ? { status: 'queued', runAt: { lte: now } }
          : { status: 'running', lockedBy: candidate.lockedBy, lockedUntil: { lt: now } };
      const { count } = await prisma.job.updateMany({
        where: { id: candidate.id, ...still },
        data: { status: 'running', lockedBy, lockedUntil, attempts: { increment: 1 } },
      });
      if (count === 1) return candidate.id;
    }
    return undefined;
  }

  return {
    async enqueue(job) {
      const data = {
        kind: job.kind,
        payload: job.payload as object,
        runAt: job.runAt,
        maxAttempts: job.maxAttempts,
        ...(job.key === undefined ? {} : { key: job.key }),
        ...(job.memberId === undefined ? {} : { memberId: job.memberId }),
      };
      // Insert-or-fail on the unique key rather than check-then-insert: atomic across instances.
      try {
        return { job: toJob(await prisma.job.create({ data })), created: true };
      } catch (error) {
        if (job.key === undefined || !isPrismaError(error, 'P2002')) throw error;
      }
      const existing = await prisma.job.findUnique({ where: { key: job.key } });
      if (existing === null) return { job: toJob(await prisma.job.create({ data })), created: true }; // just pruned
      return { job: toJob(existing), created: false };
    },

    async declareRecurring(job) {
      const key = recurringKey(job.kind);
      try {
        const row = await prisma.job.create({
          data: {
            kind: job.kind,
            key,
            payload: {},
            schedule: job.schedule,
            runAt: job.firstRunAt,
            maxAttempts: job.maxAttempts,
          },
        });
        return toJob(row);
      } catch (error) {
        if (!isPrismaError(error, 'P2002')) throw error;
      }
      // It exists (declared by an earlier start or another instance): adopt a new schedule, keep its place otherwise.
      await prisma.job.updateMany({
        where: { key, status: 'queued', NOT: { schedule: job.schedule } },
        data: { runAt: job.firstRunAt },
      });
      await prisma.job.updateMany({
        where: { key, OR: [{ NOT: { schedule: job.schedule } }, { NOT: { maxAttempts: job.maxAttempts } }] },
        data: { schedule: job.schedule, maxAttempts: job.maxAttempts },
      });
      return toJob(await prisma.job.findUniqueOrThrow({ where: { key } }));
    },

    async retireRecurring(kinds) {
      const { count } = await prisma.job.deleteMany({
        where: { key: { startsWith: RECURRING_PREFIX }, status: 'queued', kind: { notIn: [...kinds] } },
      });
      return count;
    },

    async cancel(key) {
      const { count } = await prisma.job.deleteMany({ where: { key, status: 'queued' } });
      return count > 0;
    },

    async claim({ kinds, now, lockedBy, lockedUntil }) {
      if (kinds.length === 0) return null;
      const id = postgres
        ? await claimPostgres(kinds, now, lockedBy, lockedUntil)
        : await claimSqlite(kinds, now, lockedBy, lockedUntil);
      if (id === undefined) return null;
      return toJob(await prisma.job.findUniqueOrThrow({ where: { id } }));
    },

    async succeed(job, now, next) {
      const data =
        next === null
          ? { status: 'done', lockedBy: null, lockedUntil: null, finishedAt: now }
          : { status: 'queued', runAt: next, attempts: 0, lockedBy: null, lockedUntil: null, lastError: null };
      const { count } = await prisma.job.updateMany({ where: claimed(job), data });
      return count === 1;
    },

    async retry(job, error, _now, retryAt) {
      const { count } = await prisma.job.updateMany({
        where: claimed(job),
        data: { status: 'queued', runAt: retryAt, lockedBy: null, lockedUntil: null, lastError: error },
      });
      return count === 1;
    },

    async fail(job, error, now, next) {
      if (next === null) {
        const { count } = await prisma.job.updateMany({
          where: claimed(job),
          data: { status: 'failed', lockedBy: null, lockedUntil: null, lastError: error, finishedAt: now },
        });
        return count === 1;
      }
      // A recurring job goes on with its schedule; the failed run is kept as a record of its own.
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.job.updateMany({
          where: claimed(job),
          data: { status: 'queued', runAt: next, attempts: 0, lockedBy: null, lockedUntil: null, lastError: error },
        });
        if (count !== 1) return false;
        await tx.job.create({
          data: {
            kind: job.kind,
            payload: job.payload as object,
            schedule: job.schedule,
            status: 'failed',
            runAt: job.runAt,
            attempts: job.attempts,
            maxAttempts: job.maxAttempts,
            lastError: error,
            finishedAt: now,
          },
        });
        return true;
      });
    },

    async counts(overdueBefore) {
      const [failed, overdue] = await Promise.all([
        prisma.job.count({ where: { status: 'failed' } }),
        prisma.job.count({ where: overdueWhere(overdueBefore) }),
      ]);
      return { failed, overdue };
    },

    async attention(overdueBefore, limit) {
      const failed = await prisma.job.findMany({
        where: { status: 'failed' },
        orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
        take: limit,
      });
      const overdue =
        failed.length < limit
          ? await prisma.job.findMany({
              where: overdueWhere(overdueBefore),
              orderBy: [{ runAt: 'asc' }, { id: 'asc' }],
              take: limit - failed.length,
            })
          : [];
      return [...failed, ...overdue].map(toJob);
    },

    async list(options = {}) {
      const rows = await prisma.job.findMany({
        where: options.statuses === undefined ? {} : { status: { in: [...options.statuses] } },
        orderBy: [{ runAt: 'asc' }, { id: 'asc' }],
        ...(options.limit === undefined ? {} : { take: options.limit }),
      });
      return rows.map(toJob);
    },

    async prune(before) {
      const { count } = await prisma.job.deleteMany({
        where: { status: { in: ['done', 'failed'] }, finishedAt: { lt: before } },
      });
      return count;
    },
  };
}

/** Due (or whose lease expired) before `before`, and still not run. */
function overdueWhere(before: Date) {
  return {
    OR: [
      { status: 'queued', runAt: { lt: before } },
      { status: 'running', lockedUntil: { lt: before } },
    ],
  };
}
