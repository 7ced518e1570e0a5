// The Overview's figures (src/domain/consoleStats.ts) from the database, on SQLite and PostgreSQL alike: every number
// is a COUNT computed by the database (Prisma count / groupBy), never rows loaded and counted here, and the number of
// queries is fixed by the number of buckets (12 weeks, 4 ages, 12 months...), not by the data. Dates are compared as
// instants (the buckets' bounds come from the domain, in TIME_ZONE), so nothing depends on how a provider stores them.
// Reads only, on the ambient client (outside any turn).
import { z } from 'zod';
import type {
  BroadcastReach,
  CommuneSeries,
  ConsoleStats,
  CourseActivity,
  OpenCasesByAge,
  StatsScope,
  TimeBucket,
} from '../domain/consoleStats.ts';
import { COURSE_STATUSES, type CourseStatus } from '../domain/courses.ts';
import type { DeliveryStatus } from '../domain/broadcasts.ts';
import { LISTING_STATUSES, type ListingStatus } from '../domain/listings.ts';
import type { PrismaClient } from './database.ts';

const HOUR_MS = 3_600_000;

/** `{ communeCode: { in: [...] } }` for a list of communes, nothing for the whole province. */
function inScope(scope: StatsScope): { communeCode?: { in: string[] } } {
  return scope.communes === null ? {} : { communeCode: { in: [...scope.communes] } };
}

const between = (bucket: TimeBucket) => ({ gte: bucket.start, lt: bucket.end });

/** The delivery statuses of each group of BroadcastReach. */
const REACH_GROUPS: Record<
  Exclude<keyof BroadcastReach, 'id' | 'text' | 'startedAt' | 'audience'>,
  DeliveryStatus[]
> = {
  delivered: ['sent', 'shown'],
  waiting: ['pending', 'sending'],
  notSent: ['notNow', 'optedOut', 'cancelled'],
  failed: ['failed', 'unreachable'],
};

const textsSchema = z.object({ vi: z.string().optional(), en: z.string().optional() });

/** Counts per status, every known status present (0 when none). Unknown stored statuses are left out. */
function byStatus<S extends string>(
  statuses: readonly S[],
  groups: readonly { status: string; _count: { _all: number } }[],
): Record<S, number> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
  for (const group of groups) {
    if ((statuses as readonly string[]).includes(group.status)) counts[group.status as S] += group._count._all;
  }
  return counts;
}

export function createConsoleStats(prisma: PrismaClient): ConsoleStats {
  return {
    async casesPerCommune(scope, buckets) {
      // One grouped count per bucket: the rows never leave the database.
      const perBucket = await Promise.all(
        buckets.map((bucket) =>
          prisma.case.groupBy({
            by: ['communeCode'],
            where: { createdAt: between(bucket), ...inScope(scope) },
            _count: { _all: true },
          }),
        ),
      );
      const series = new Map<string | null, CommuneSeries>();
      perBucket.forEach((groups, index) => {
        for (const group of groups) {
          let row = series.get(group.communeCode);
          if (!row) {
            row = { communeCode: group.communeCode, counts: buckets.map(() => 0) };
            series.set(group.communeCode, row);
          }
          row.counts[index] = group._count._all;
        }
      });
      return [...series.values()];
    },

    async openCasesByAge(scope, now, limitsHours): Promise<OpenCasesByAge> {
      const at = now.getTime();
      // Bucket i: opened in (now - limits[i], now - limits[i-1]]; the first has no lower age, the last no upper one.
      const ranges = [...limitsHours, null].map((limit, i) => {
        const youngest = i === 0 ? null : limitsHours[i - 1]!;
        return {
          ...(limit === null ? {} : { gt: new Date(at - limit * HOUR_MS) }),
          ...(youngest === null ? {} : { lte: new Date(at - youngest * HOUR_MS) }),
        };
      });
      const groups = await Promise.all(
        ranges.map((createdAt) =>
          prisma.case.groupBy({
            by: ['status'],
            where: { status: { in: ['open', 'claimed'] }, createdAt, ...inScope(scope) },
            _count: { _all: true },
          }),
        ),
      );
      const count = (status: string) =>
        groups.map((bucket) => bucket.find((g) => g.status === status)?._count._all ?? 0);
      return { open: count('open'), claimed: count('claimed') };
    },

    async courseActivity(scope, buckets): Promise<CourseActivity> {
      const course = { course: inScope(scope) };
      const [registrations, completions] = await Promise.all([
        Promise.all(
          buckets.map((bucket) =>
            // "referred" rows are an alert to the officer about a minor, not a registration.
            prisma.courseRegistration.count({
              where: { createdAt: between(bucket), status: { not: 'referred' }, ...course },
            }),
          ),
        ),
        Promise.all(
          buckets.map((bucket) =>
            prisma.courseRegistration.count({ where: { completedAt: between(bucket), ...course } }),
          ),
        ),
      ]);
      return { registrations, completions };
    },

    async coursesByStatus(scope): Promise<Record<CourseStatus, number>> {
      const groups = await prisma.course.groupBy({ by: ['status'], where: inScope(scope), _count: { _all: true } });
      return byStatus(COURSE_STATUSES, groups);
    },

    async listingsByStatus(scope): Promise<Record<ListingStatus, number>> {
      const groups = await prisma.listing.groupBy({ by: ['status'], where: inScope(scope), _count: { _all: true } });
      return byStatus(LISTING_STATUSES, groups);
    },

    async broadcastReach(scope, limit): Promise<BroadcastReach[]> {
      const broadcasts = await prisma.broadcast.findMany({
        where: { startedAt: { not: null } },
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        take: limit,
        select: { id: true, texts: true, startedAt: true },
      });
      if (broadcasts.length === 0) return [];
      const groups = await prisma.broadcastDelivery.groupBy({
        by: ['broadcastId', 'status'],
        where: {
          broadcastId: { in: broadcasts.map((b) => b.id) },
          ...(scope.communes === null ? {} : { member: inScope(scope) }),
        },
        _count: { _all: true },
      });
      return broadcasts.map((broadcast) => {
        const mine = groups.filter((g) => g.broadcastId === broadcast.id);
        const sum = (statuses: readonly string[]) =>
          mine.filter((g) => statuses.includes(g.status)).reduce((total, g) => total + g._count._all, 0);
        const texts = textsSchema.safeParse(broadcast.texts);
        return {
          id: broadcast.id,
          text: texts.success ? (texts.data.vi ?? texts.data.en ?? '') : '',
          startedAt: broadcast.startedAt,
          audience: sum(mine.map((g) => g.status)),
          delivered: sum(REACH_GROUPS.delivered),
          waiting: sum(REACH_GROUPS.waiting),
          notSent: sum(REACH_GROUPS.notSent),
          failed: sum(REACH_GROUPS.failed),
        };
      });
    },

    async activeCommunes(scope) {
      const where = inScope(scope);
      const [cases, courses, listings] = await Promise.all([
        prisma.case.groupBy({ by: ['communeCode'], where }),
        prisma.course.groupBy({ by: ['communeCode'], where }),
        prisma.listing.groupBy({ by: ['communeCode'], where }),
      ]);
      const codes = new Set<string>();
      for (const row of [...cases, ...courses, ...listings]) if (row.communeCode !== null) codes.add(row.communeCode);
      return [...codes];
    },
  };
}
