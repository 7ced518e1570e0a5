// Broadcasts and their audiences in the database (Prisma, SQLite and PostgreSQL), handed to the core as domain objects
// (src/domain/broadcasts.ts). `texts`, `button` and `audience` are JSON columns, checked on the way out (an invalid
// stored value fails loudly). The audience is ONE Member `where` built from the AudienceSpec (every segment must hold,
// always limited to plain members whose "announcements" consent is given now): the size is a few grouped counts and
// the deliveries are written by keyset pages over Member.id, so neither loads the audience into memory. Status
// changes are compare-and-set (`transition`: UPDATE ... WHERE id = ? AND status IN (...)): SQLite runs one writer at a
// time and PostgreSQL locks the row, so of two admins deciding at once exactly one changes it. Everything runs in the
// caller's (ambient) transaction when there is one (src/data/transactions.ts); `prepareBatch` is one transaction.
import { z } from 'zod';
import {
  BROADCAST_STATUSES,
  DELIVERY_STATUSES,
  type AudienceSpec,
  type Broadcast,
  type BroadcastCounts,
  type BroadcastRepository,
  type DeliveryFailure,
  type DeliveryStatus,
} from '../domain/broadcasts.ts';
import { CHANNELS } from '../domain/channels.ts';
import { SEAT_HOLDING } from '../domain/courses.ts';
import { LANGUAGES } from '../domain/member.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from './database.ts';

const audienceSchema = z.object({
  communes: z.array(z.string()).optional(),
  channels: z.array(z.enum(CHANNELS)).optional(),
  languages: z.array(z.enum(LANGUAGES)).optional(),
  course: z.object({ courseId: z.number().int(), who: z.enum(['registrants', 'waitingList', 'both']) }).optional(),
  creditInquiry: z.boolean().optional(),
  products: z.array(z.enum(['pending', 'approved'])).optional(),
});

const buttonSchema = z.discriminatedUnion('target', [
  z.object({ target: z.literal('courseRegister'), courseId: z.number().int() }),
  z.object({ target: z.literal('courses') }),
  z.object({ target: z.literal('credit') }),
  z.object({ target: z.literal('productReport') }),
]);

const storedBroadcast = z.object({
  status: z.enum(BROADCAST_STATUSES),
  texts: z.object({ vi: z.string().optional(), en: z.string().optional() }),
  button: buttonSchema.nullable(),
  audience: audienceSchema,
  zaloOutsideWindow: z.enum(['skip', 'promotion']),
});

type BroadcastRow = Omit<Broadcast, 'status' | 'texts' | 'button' | 'audience' | 'zaloOutsideWindow'> & {
  status: string;
  texts: unknown;
  button: unknown;
  audience: unknown;
  zaloOutsideWindow: string;
  updatedAt?: Date;
};

/** A stored broadcast as the core sees it (throws on an invalid stored value). */
export function toBroadcast(row: BroadcastRow): Broadcast {
  const parsed = storedBroadcast.safeParse(row);
  if (!parsed.success)
    throw new Error(`Broadcast ${row.id} has an invalid stored value: ${z.prettifyError(parsed.error)}`);
  const texts: Broadcast['texts'] = {};
  if (parsed.data.texts.vi !== undefined) texts.vi = parsed.data.texts.vi;
  if (parsed.data.texts.en !== undefined) texts.en = parsed.data.texts.en;
  return {
    id: row.id,
    status: parsed.data.status,
    texts,
    photoFileId: row.photoFileId,
    button: parsed.data.button,
    audience: parsed.data.audience,
    urgent: row.urgent,
    zaloOutsideWindow: parsed.data.zaloOutsideWindow,
    scheduledAt: row.scheduledAt,
    expiresAt: row.expiresAt,
    createdById: row.createdById,
    needsApproval: row.needsApproval,
    approvedById: row.approvedById,
    decidedAt: row.decidedAt,
    note: row.note,
    audienceSize: row.audienceSize,
    cursor: row.cursor,
    taps: row.taps,
    progressAt: row.progressAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    cancelledAt: row.cancelledAt,
    createdAt: row.createdAt,
  };
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

/** A patch as the columns take it: the JSON fields as JSON (a null button as the database null). */
function columns(patch: Partial<Omit<Broadcast, 'id'>>): Prisma.BroadcastUpdateManyMutationInput {
  const { texts, button, audience, createdById, approvedById, ...rest } = patch;
  const data: Prisma.BroadcastUpdateManyMutationInput & { createdById?: string | null; approvedById?: string | null } =
    { ...rest };
  if (texts !== undefined) data.texts = json(texts);
  if (audience !== undefined) data.audience = json(audience);
  if (button !== undefined) data.button = button === null ? Prisma.DbNull : json(button);
  if (createdById !== undefined) data.createdById = createdById;
  if (approvedById !== undefined) data.approvedById = approvedById;
  return data;
}

/** Her "announcements" consent purpose is given now (given, not withdrawn). */
const ANNOUNCEMENTS_GIVEN = { purpose: 'announcements', givenAt: { not: null }, withdrawnAt: null };
/** She withdrew the "announcements" purpose (she stopped announcements). */
const ANNOUNCEMENTS_WITHDRAWN = { purpose: 'announcements', withdrawnAt: { not: null } };
/** A credit case that is still open (src/domain/cases.ts isClosed: done / approved / rejected close it). */
const OPEN_CASE_STATUSES = ['open', 'claimed'];
const WAITING_LIST = ['waiting'];

/**
 * The segments of an AudienceSpec as Member conditions (every one must hold), without the consent condition:
 * communes, channels, languages, a course's registrants (seat-holding statuses, SEAT_HOLDING in src/domain/courses.ts)
 * and/or waiting list, an open credit case (a credit_lead case not closed, with a credit inquiry of hers), a pending
 * or approved listing. Only plain members (role "member"): officers and admins are not an audience.
 */
export function segmentsWhere(spec: AudienceSpec): Prisma.MemberWhereInput[] {
  const and: Prisma.MemberWhereInput[] = [{ role: 'member' }];
  if (spec.communes) and.push({ communeCode: { in: [...spec.communes] } });
  if (spec.channels) and.push({ channel: { in: [...spec.channels] } });
  if (spec.languages) and.push({ language: { in: [...spec.languages] } });
  if (spec.course) {
    const statuses =
      spec.course.who === 'registrants'
        ? [...SEAT_HOLDING]
        : spec.course.who === 'waitingList'
          ? WAITING_LIST
          : [...SEAT_HOLDING, ...WAITING_LIST];
    and.push({ courseRegistrations: { some: { courseId: spec.course.courseId, status: { in: statuses } } } });
  }
  if (spec.creditInquiry) {
    and.push({ creditInquiries: { some: {} } });
    and.push({ cases: { some: { type: 'credit_lead', status: { in: OPEN_CASE_STATUSES } } } });
  }
  if (spec.products && spec.products.length > 0)
    and.push({ listings: { some: { status: { in: [...spec.products] } } } });
  return and;
}

/** The audience: the segments, and her announcements consent given now. */
export const audienceWhere = (spec: AudienceSpec): Prisma.MemberWhereInput => ({
  AND: [...segmentsWhere(spec), { consents: { some: ANNOUNCEMENTS_GIVEN } }],
});

/** Deliveries deleted per statement when pruning. */
const PRUNE_BATCH = 1000;
const FAILURE_STATUSES = ['failed', 'unreachable', 'notNow', 'optedOut', 'cancelled'] as const;

export function createBroadcastRepository(prisma: PrismaClient): BroadcastRepository {
  const find = async (id: number) => {
    if (!Number.isSafeInteger(id)) return null;
    const row = await prisma.broadcast.findUnique({ where: { id } });
    return row === null ? null : toBroadcast(row);
  };

  return {
    async create(input) {
      const { texts, button, audience, ...rest } = input;
      const row = await prisma.broadcast.create({
        data: {
          ...rest,
          texts: json(texts),
          audience: json(audience),
          ...(button ? { button: json(button) } : {}),
        },
      });
      return toBroadcast(row);
    },

    find,

    async list({ statuses, limit, offset }) {
      const rows = await prisma.broadcast.findMany({
        where: statuses ? { status: { in: [...statuses] } } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
        skip: offset ?? 0,
      });
      return rows.map(toBroadcast);
    },

    async transition(id, from, patch) {
      const { count } = await prisma.broadcast.updateMany({
        where: { id, status: { in: [...from] } },
        data: columns(patch),
      });
      return count === 0 ? null : find(id);
    },

    async update(id, patch) {
      await prisma.broadcast.updateMany({ where: { id }, data: columns(patch) });
      const found = await find(id);
      if (!found) throw new Error(`Broadcast ${id} not found`);
      return found;
    },

    async audienceSize(spec, now, zaloWindowMs) {
      const where = audienceWhere(spec);
      const windowStart = new Date(now.getTime() - zaloWindowMs);
      const [groups, unreachable, zaloWindowClosed, optedOut] = await Promise.all([
        prisma.member.groupBy({ by: ['channel'], where, _count: { _all: true } }),
        prisma.member.count({ where: { AND: [where, { unreachableAt: { not: null } }] } }),
        prisma.member.count({
          where: {
            AND: [
              where,
              { channel: 'zalo', unreachableAt: null },
              { OR: [{ lastInboundAt: null }, { lastInboundAt: { lte: windowStart } }] },
            ],
          },
        }),
        prisma.member.count({
          where: { AND: [...segmentsWhere(spec), { consents: { some: ANNOUNCEMENTS_WITHDRAWN } }] },
        }),
      ]);
      const perChannel: Record<string, number> = {};
      let total = 0;
      for (const g of groups) {
        perChannel[g.channel] = g._count._all;
        total += g._count._all;
      }
      return { total, perChannel, unreachable, zaloWindowClosed, optedOut };
    },

    async prepareBatch(broadcast, after, limit, now) {
      return prisma.$transaction(async (tx) => {
        const members = await tx.member.findMany({
          where: {
            AND: [
              audienceWhere(broadcast.audience),
              ...(after === null ? [] : [{ id: { gt: after } }]),
              { broadcastDeliveries: { none: { broadcastId: broadcast.id } } },
            ],
          },
          orderBy: { id: 'asc' },
          take: limit,
          select: { id: true, channel: true, language: true, unreachableAt: true },
        });
        const last = members.at(-1)?.id ?? null;
        if (members.length > 0) {
          await tx.broadcastDelivery.createMany({
            data: members.map((m) => ({
              broadcastId: broadcast.id,
              memberId: m.id,
              channel: m.channel,
              language: m.language,
              // Known unreachable before the send (blocked the bot, unfollowed): not sent, counted; shown if she writes.
              ...(m.unreachableAt === null
                ? { status: 'pending', nextAttemptAt: now }
                : { status: 'unreachable', reason: 'unreachable', nextAttemptAt: now }),
            })),
          });
        }
        // audienceSize holds the size estimated at confirmation until the first batch, then the recipients written.
        // From the start (no cursor) every row there is counted (this batch's, and a preparation's started again);
        // after it the batch's rows are added (they are new: a member with a delivery is never taken twice).
        const written =
          after === null
            ? await tx.broadcastDelivery.count({ where: { broadcastId: broadcast.id } })
            : ((await tx.broadcast.findUnique({ where: { id: broadcast.id }, select: { audienceSize: true } }))
                ?.audienceSize ?? 0) + members.length;
        await tx.broadcast.update({
          where: { id: broadcast.id },
          data: { ...(last === null ? {} : { cursor: last }), audienceSize: written },
        });
        return last;
      });
    },

    async counts(broadcastId) {
      const [groups, uncertain, promotion, broadcast] = await Promise.all([
        prisma.broadcastDelivery.groupBy({ by: ['status'], where: { broadcastId }, _count: { _all: true } }),
        prisma.broadcastDelivery.count({ where: { broadcastId, uncertain: true } }),
        prisma.broadcastDelivery.count({ where: { broadcastId, via: 'promotion', status: 'sent' } }),
        prisma.broadcast.findUnique({ where: { id: broadcastId }, select: { taps: true } }),
      ]);
      const byStatus = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
      let total = 0;
      for (const g of groups) {
        const status = z.enum(DELIVERY_STATUSES).parse(g.status);
        byStatus[status] = g._count._all;
        total += g._count._all;
      }
      return { total, byStatus, uncertain, promotion, taps: broadcast?.taps ?? 0 } satisfies BroadcastCounts;
    },

    async failures(broadcastId, after, limit) {
      const rows = await prisma.broadcastDelivery.findMany({
        where: {
          broadcastId,
          status: { in: [...FAILURE_STATUSES] },
          ...(after === null ? {} : { memberId: { gt: after } }),
        },
        orderBy: { memberId: 'asc' },
        take: limit,
      });
      return rows.map((r): DeliveryFailure => ({
        memberId: r.memberId,
        channel: z.enum(CHANNELS).parse(r.channel),
        status: z.enum(FAILURE_STATUSES).parse(r.status),
        reason: r.reason,
        attempts: r.attempts,
        uncertain: r.uncertain,
        updatedAt: r.updatedAt,
      }));
    },

    async failureReasons(broadcastId, limit) {
      const groups = await prisma.broadcastDelivery.groupBy({
        by: ['reason'],
        where: { broadcastId, status: { in: ['failed', 'unreachable', 'notNow', 'optedOut'] } },
        _count: { _all: true },
      });
      return groups
        .map((g) => ({ reason: g.reason ?? '', count: g._count._all }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
        .slice(0, limit);
    },

    sentSince: (broadcastId, since) =>
      prisma.broadcastDelivery.count({ where: { broadcastId, status: 'sent', sentAt: { gte: since } } }),

    async cancelPending(broadcastId, limit) {
      const rows = await prisma.broadcastDelivery.findMany({
        where: { broadcastId, status: 'pending' },
        select: { id: true },
        take: limit,
      });
      if (rows.length === 0) return 0;
      const { count } = await prisma.broadcastDelivery.updateMany({
        where: { id: { in: rows.map((r) => r.id) }, status: 'pending' },
        data: { status: 'cancelled', reason: 'cancelled', leaseToken: null, leaseUntil: null },
      });
      return count;
    },

    async deliveriesOf(memberId) {
      const [sent, shown, last] = await Promise.all([
        prisma.broadcastDelivery.count({ where: { memberId, status: 'sent' } }),
        prisma.broadcastDelivery.count({ where: { memberId, status: 'shown' } }),
        prisma.broadcastDelivery.findFirst({
          where: { memberId, status: { in: ['sent', 'shown'] } },
          orderBy: { updatedAt: 'desc' },
          select: { sentAt: true, shownAt: true, updatedAt: true },
        }),
      ]);
      return { sent, shown, lastAt: last ? (last.shownAt ?? last.sentAt ?? last.updatedAt) : null };
    },

    eraseDeliveriesOf: async (memberId) => (await prisma.broadcastDelivery.deleteMany({ where: { memberId } })).count,

    async pruneDeliveries(before) {
      const ended = await prisma.broadcast.findMany({
        where: {
          OR: [
            { status: 'done', finishedAt: { lt: before } },
            {
              status: { in: ['cancelled', 'rejected'] },
              OR: [{ cancelledAt: { lt: before } }, { decidedAt: { lt: before } }],
            },
          ],
          deliveries: { some: {} },
        },
        select: { id: true },
      });
      let total = 0;
      for (const { id } of ended) {
        for (;;) {
          const rows = await prisma.broadcastDelivery.findMany({
            where: { broadcastId: id },
            select: { id: true },
            take: PRUNE_BATCH,
          });
          if (rows.length === 0) break;
          const { count } = await prisma.broadcastDelivery.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
          total += count;
        }
      }
      return total;
    },

    async dueScheduled(now, limit) {
      const rows = await prisma.broadcast.findMany({
        where: { status: 'scheduled', scheduledAt: { lte: now } },
        orderBy: [{ scheduledAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map(toBroadcast);
    },

    async finishedSending(limit) {
      const rows = await prisma.broadcast.findMany({
        where: { status: 'sending', deliveries: { none: { status: { in: ['pending', 'sending'] } } } },
        orderBy: { id: 'asc' },
        take: limit,
      });
      return rows.map(toBroadcast);
    },
  };
}
