// The broadcast deliveries as the dispatcher works on them (table BroadcastDelivery; src/app/broadcasts/dispatcher.ts).
// Claims are conditional updates, as in the outbox store (notificationRepository.ts): a batch of candidate ids is read
// through the `status, nextAttemptAt` index (LIMIT, never the whole table), then one UPDATE stamps a fresh token on
// those still claimable (status, due, lease free or expired, broadcast still `sending`). On SQLite one writer runs at
// a time; on PostgreSQL a concurrent UPDATE of the same row waits for the first, re-checks its WHERE and no longer
// matches: exactly one claimant wins each row on both. Every later change is conditional on the token.
import { z } from 'zod';
import type { ChannelName } from '../domain/channels.ts';
import type {
  Broadcast,
  BroadcastDeliveryStore,
  BroadcastRecipient,
  BroadcastToSend,
  ClaimedDelivery,
  DeliveryStatus,
} from '../domain/broadcasts.ts';
import { LANGUAGES, type Language } from '../domain/member.ts';
import { sqliteFileOf, type PrismaClient } from './database.ts';

/** Longest reason kept (reasons are short codes; a platform's text could be long). */
const MAX_REASON_LENGTH = 200;

/** How often SQLite's statistics of the table are refreshed at most while a large broadcast is sent (ms). */
const ANALYZE_EVERY_MS = 10 * 60_000;

const CHANNELS = ['telegram', 'zalo', 'zalobot', 'console'] as const satisfies readonly ChannelName[];

interface DeliveryRow {
  id: string;
  broadcastId: number;
  memberId: string;
  channel: string;
  language: string;
  status: string;
  attempts: number;
  uncertain: boolean;
  via: string | null;
}

function toClaimed(row: DeliveryRow): ClaimedDelivery {
  return {
    id: row.id,
    broadcastId: row.broadcastId,
    memberId: row.memberId,
    channel: z.enum(CHANNELS).parse(row.channel),
    language: (LANGUAGES as readonly string[]).includes(row.language) ? (row.language as Language) : 'vi',
    status: row.status === 'sending' ? 'sending' : 'pending',
    attempts: row.attempts,
    uncertain: row.uncertain,
    via: row.via === 'cs' || row.via === 'promotion' ? row.via : null,
  };
}

const CLAIM_COLUMNS = {
  id: true,
  broadcastId: true,
  memberId: true,
  channel: true,
  language: true,
  status: true,
  attempts: true,
  uncertain: true,
  via: true,
} as const;

const texts = z.record(z.string(), z.string());
const button = z
  .union([
    z.object({ target: z.literal('courseRegister'), courseId: z.number().int() }),
    z.object({ target: z.enum(['courses', 'credit', 'productReport']) }),
  ])
  .nullable();

/** The BroadcastDeliveryStore on Prisma (SQLite and PostgreSQL alike). */
export function createBroadcastDeliveryStore(prisma: PrismaClient): BroadcastDeliveryStore {
  /** Rows not under a live lease (none, or expired). */
  const leaseFree = (now: Date) => ({ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] });

  async function claimSome(input: {
    now: Date;
    leaseUntil: Date;
    token: string;
    limit: number;
    channels: readonly ChannelName[];
    urgent: boolean | undefined;
  }): Promise<string[]> {
    const broadcast = {
      is: { status: 'sending', ...(input.urgent === undefined ? {} : { urgent: input.urgent }) },
    };
    const channel = { in: [...input.channels] };
    // Due pending rows (index status, nextAttemptAt).
    const due = {
      status: 'pending',
      nextAttemptAt: { lte: input.now },
      channel,
      broadcast,
      ...leaseFree(input.now),
    };
    // Ordered by nextAttemptAt alone: the index gives that order and LIMIT stops the scan (a tie-break on id made
    // SQLite sort every due row of the table, each pass: the rate fell with the audience size).
    const pending = await prisma.broadcastDelivery.findMany({
      where: due,
      orderBy: [{ nextAttemptAt: 'asc' }],
      take: input.limit,
      select: { id: true },
    });
    const candidates = pending.map((p) => p.id);
    if (pending.length > 0) {
      await prisma.broadcastDelivery.updateMany({
        where: { ...due, id: { in: candidates } },
        data: { leaseUntil: input.leaseUntil, leaseToken: input.token },
      });
    }
    const room = input.limit - pending.length;
    if (room <= 0) return candidates;
    // `sending` rows whose lease expired: their dispatcher died during the platform call. Sent again once, marked so.
    const abandoned = {
      status: 'sending',
      leaseUntil: { lt: input.now },
      channel,
      broadcast,
    };
    const dead = await prisma.broadcastDelivery.findMany({
      where: abandoned,
      orderBy: [{ leaseUntil: 'asc' }, { id: 'asc' }],
      take: room,
      select: { id: true },
    });
    if (dead.length > 0) {
      await prisma.broadcastDelivery.updateMany({
        where: { ...abandoned, id: { in: dead.map((d) => d.id) } },
        data: { status: 'pending', uncertain: true, leaseUntil: input.leaseUntil, leaseToken: input.token },
      });
      candidates.push(...dead.map((d) => d.id));
    }
    return candidates;
  }

  // SQLite plans by its statistics (sqlite_stat1): without them it takes `status = ?` on the [status, nextAttemptAt]
  // index as selective and every update "WHERE id IN (...) AND status = ..." walked all pending rows of the table
  // (each pass O(audience): the rate fell with the audience). With them it takes the primary key. Refreshed while a
  // large broadcast is under way (a full batch claimed), at most every ANALYZE_EVERY_MS; ANALYZE of one table of
  // 100,000 rows takes about 0.1 s. PostgreSQL's autovacuum keeps its own statistics.
  const sqlite = sqliteFileOf(prisma) !== undefined;
  let analyzedAt: number | undefined;
  async function keepStatistics(fullBatch: boolean): Promise<void> {
    if (!sqlite || !fullBatch) return;
    const at = Date.now();
    if (analyzedAt !== undefined && at - analyzedAt < ANALYZE_EVERY_MS) return;
    analyzedAt = at;
    await prisma.$executeRawUnsafe('ANALYZE "BroadcastDelivery"');
  }

  /** The rows of `ids` still `sending` under `token` become `sent` (a statement, for a batch transaction). */
  const markSentStatement = (ids: readonly string[], token: string, now: Date) =>
    prisma.broadcastDelivery.updateMany({
      where: { id: { in: [...ids] }, leaseToken: token, status: 'sending' },
      data: { status: 'sent', sentAt: now, reason: null, leaseUntil: null, leaseToken: null },
    });

  return {
    async claim({ now, leaseUntil, token, limit, channels, urgentOnly }) {
      if (channels.length === 0 || limit <= 0) return [];
      // Urgent broadcasts first; outside quiet hours the others after them.
      const urgent = await claimSome({ now, leaseUntil, token, limit, channels, urgent: true });
      const candidates =
        !urgentOnly && urgent.length < limit
          ? [
              ...urgent,
              ...(await claimSome({ now, leaseUntil, token, limit: limit - urgent.length, channels, urgent: false })),
            ]
          : urgent;
      if (candidates.length === 0) return [];
      await keepStatistics(candidates.length >= limit);
      // By the candidates' ids (primary key), not by the token: leaseToken has no index.
      const rows = await prisma.broadcastDelivery.findMany({
        where: { id: { in: candidates }, leaseToken: token, status: 'pending' },
        orderBy: [{ broadcastId: 'asc' }, { id: 'asc' }],
        select: CLAIM_COLUMNS,
      });
      return rows.map(toClaimed);
    },

    async markSending(ids, token, via, sent) {
      const sentIds = sent?.ids ?? [];
      if (ids.length === 0 && sentIds.length === 0) return [];
      // Grouped by `via` (one UPDATE each); only rows of a broadcast still `sending`: a cancel wins over a claim. The
      // previous group's sent rows are marked in the same batch transaction (one commit).
      const groups = new Map<string | null, string[]>();
      for (const id of ids) {
        const v = via.get(id) ?? null;
        groups.set(v, [...(groups.get(v) ?? []), id]);
      }
      const statements = [
        ...(sent === undefined || sentIds.length === 0 ? [] : [markSentStatement(sentIds, token, sent.at)]),
        ...[...groups].map(([v, group]) =>
          prisma.broadcastDelivery.updateMany({
            where: {
              id: { in: group },
              leaseToken: token,
              status: 'pending',
              broadcast: { is: { status: 'sending' } },
            },
            data: { status: 'sending', ...(v === null ? {} : { via: v }) },
          }),
        ),
      ];
      const results = await prisma.$transaction(statements);
      const count = results.slice(sentIds.length === 0 ? 0 : 1).reduce((n, r) => n + r.count, 0);
      if (count === ids.length) return [...ids];
      const marked = await prisma.broadcastDelivery.findMany({
        where: { id: { in: [...ids] }, leaseToken: token, status: 'sending' },
        select: { id: true },
      });
      return marked.map((m) => m.id);
    },

    async markSent(ids, token, now) {
      if (ids.length === 0) return;
      await markSentStatement(ids, token, now);
    },

    async settle(id, token, update) {
      const mine = { id, leaseToken: token, status: { in: ['pending', 'sending'] } };
      if ('status' in update) {
        await prisma.broadcastDelivery.updateMany({
          where: mine,
          data: {
            status: update.status,
            reason: update.reason.slice(0, MAX_REASON_LENGTH),
            ...(update.status === 'failed' ? { attempts: { increment: 1 } } : {}),
            leaseUntil: null,
            leaseToken: null,
          },
        });
        return;
      }
      await prisma.broadcastDelivery.updateMany({
        where: mine,
        data: {
          status: 'pending',
          nextAttemptAt: update.retryAt,
          reason: update.reason.slice(0, MAX_REASON_LENGTH),
          ...(update.countAttempt ? { attempts: { increment: 1 } } : {}),
          leaseUntil: null,
          leaseToken: null,
        },
      });
    },

    async release(ids, token) {
      if (ids.length === 0) return;
      await prisma.broadcastDelivery.updateMany({
        where: { id: { in: [...ids] }, leaseToken: token, status: 'pending' },
        data: { leaseUntil: null, leaseToken: null },
      });
    },

    async releaseAbandoned(instancePrefix, currentPrefix) {
      const earlier = {
        leaseToken: { startsWith: instancePrefix },
        NOT: { leaseToken: { startsWith: currentPrefix } },
      };
      // In flight when it died: it may or may not have arrived (the uncertain policy: sent again once).
      const sending = await prisma.broadcastDelivery.updateMany({
        where: { ...earlier, status: 'sending' },
        data: { status: 'pending', uncertain: true, leaseUntil: null, leaseToken: null },
      });
      const claimed = await prisma.broadcastDelivery.updateMany({
        where: { ...earlier, status: 'pending' },
        data: { leaseUntil: null, leaseToken: null },
      });
      return sending.count + claimed.count;
    },

    async promotionsSince(since) {
      return prisma.broadcastDelivery.count({
        where: {
          via: 'promotion',
          OR: [{ status: 'sending' }, { status: 'sent', sentAt: { gte: since } }],
        },
      });
    },

    async promotionSentTo(memberId, since) {
      const row = await prisma.broadcastDelivery.findFirst({
        where: {
          memberId,
          via: 'promotion',
          OR: [{ status: 'sending' }, { status: 'sent', sentAt: { gte: since } }],
        },
        select: { id: true },
      });
      return row !== null;
    },

    async recipients(memberIds) {
      const rows = await prisma.member.findMany({
        where: { id: { in: [...new Set(memberIds)] } },
        select: {
          id: true,
          channel: true,
          channelUserId: true,
          language: true,
          lastInboundAt: true,
          unreachableAt: true,
          consents: { where: { purpose: 'announcements' }, select: { givenAt: true, withdrawnAt: true } },
        },
      });
      const result = new Map<string, BroadcastRecipient>();
      for (const row of rows) {
        const consent = row.consents[0];
        result.set(row.id, {
          id: row.id,
          channel: z.enum(CHANNELS).parse(row.channel),
          channelUserId: row.channelUserId,
          language: (LANGUAGES as readonly string[]).includes(row.language) ? (row.language as Language) : 'vi',
          lastInboundAt: row.lastInboundAt,
          unreachableAt: row.unreachableAt,
          announcements: consent !== undefined && consent.givenAt !== null && consent.withdrawnAt === null,
        });
      }
      return result;
    },

    async broadcasts(ids) {
      const rows = await prisma.broadcast.findMany({
        where: { id: { in: [...new Set(ids)] } },
        select: {
          id: true,
          status: true,
          texts: true,
          photoFileId: true,
          button: true,
          urgent: true,
          zaloOutsideWindow: true,
          expiresAt: true,
        },
      });
      const result = new Map<number, BroadcastToSend>();
      for (const row of rows) {
        result.set(row.id, {
          id: row.id,
          status: row.status as Broadcast['status'],
          texts: texts.parse(row.texts),
          photoFileId: row.photoFileId,
          button: button.parse(row.button ?? null),
          urgent: row.urgent,
          zaloOutsideWindow: row.zaloOutsideWindow === 'promotion' ? 'promotion' : 'skip',
          expiresAt: row.expiresAt,
        });
      }
      return result;
    },
  };
}

/** For the compiler: the statuses this store writes are the domain's. */
const _written: readonly DeliveryStatus[] = [
  'pending',
  'sending',
  'sent',
  'failed',
  'unreachable',
  'notNow',
  'optedOut',
];
void _written;
