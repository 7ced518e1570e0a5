// The InboundEvent table (see src/conversation/inboundEvents.ts for the rules).
// Claiming works the same on both providers: the earliest open event of each member (GROUP BY userId, MIN(id)) is
// read, then each is taken with a conditional UPDATE (… WHERE id = ? AND status = 'pending' AND runAt <= now, or
// running with an expired lease). On SQLite one writer runs at a time; on PostgreSQL the second UPDATE of a row waits
// for the first and re-checks its WHERE after it commits: either way exactly one claimant sees its update count 1.
// Every later change of a claimed event is conditional on the claim (`lockedBy`), so an instance that lost its lease
// changes nothing. Give it the ambient client (data/transactions.ts) and call it outside a unit: on SQLite each
// statement is then a transaction of its own, queued behind any open turn, so an event acknowledged to Zalo never
// depends on someone else's turn (committed with it, or rolled back with it).
import type { ChannelName } from '../conversation/messages.ts';
import {
  INBOUND_EVENT_STATUSES,
  type InboundEvent,
  type InboundEventStatus,
  type InboundEventStore,
} from '../conversation/inboundEvents.ts';
import { isPrismaError, type PrismaClient } from './database.ts';

type Row = Awaited<ReturnType<PrismaClient['inboundEvent']['findUniqueOrThrow']>>;

function toEvent(row: Row): InboundEvent {
  const status = (INBOUND_EVENT_STATUSES as readonly string[]).includes(row.status)
    ? (row.status as InboundEventStatus)
    : 'failed';
  return {
    id: row.id,
    channel: row.channel as ChannelName,
    eventKey: row.eventKey,
    userId: row.userId,
    payload: row.payload,
    occurredAt: row.occurredAt,
    receivedAt: row.receivedAt,
    status,
    attempts: row.attempts,
    lockedBy: row.lockedBy,
  };
}

/** How many members' head events are read per claim beyond the limit: room for those another instance takes. */
const EXTRA_CANDIDATES = 8;

export function createInboundEventStore(prisma: PrismaClient): InboundEventStore {
  const claimed = (event: InboundEvent) => ({ id: event.id, status: 'running', lockedBy: event.lockedBy });

  return {
    async add(event) {
      // Insert-or-fail on (channel, eventKey): a redelivery is recognised atomically, across instances.
      try {
        await prisma.inboundEvent.create({
          data: {
            channel: event.channel,
            eventKey: event.eventKey,
            userId: event.userId,
            payload: event.payload,
            occurredAt: event.occurredAt,
            receivedAt: event.receivedAt,
            runAt: event.receivedAt,
          },
        });
        return true;
      } catch (error) {
        if (isPrismaError(error, 'P2002')) return false;
        throw error;
      }
    },

    claim({ channel, now, lockedBy, lockedUntil, limit }) {
      if (limit <= 0) return Promise.resolve([]);
      return claimIn(prisma, { channel, now, lockedBy, lockedUntil, limit });
    },

    async release(channel, lockedBy, now) {
      const { count } = await prisma.inboundEvent.updateMany({
        where: { channel, status: 'running', lockedBy },
        data: { status: 'pending', runAt: now, lockedBy: null, lockedUntil: null },
      });
      return count;
    },

    async renew(event, lockedUntil) {
      const { count } = await prisma.inboundEvent.updateMany({ where: claimed(event), data: { lockedUntil } });
      return count === 1;
    },

    async done(event, now) {
      await prisma.inboundEvent.updateMany({
        where: claimed(event),
        data: { status: 'done', payload: '', lockedBy: null, lockedUntil: null, lastError: null, finishedAt: now },
      });
    },

    async retry(event, error, retryAt) {
      await prisma.inboundEvent.updateMany({
        where: claimed(event),
        data: { status: 'pending', runAt: retryAt, lockedBy: null, lockedUntil: null, lastError: error },
      });
    },

    async fail(event, error, now) {
      await prisma.inboundEvent.updateMany({
        where: claimed(event),
        data: { status: 'failed', lockedBy: null, lockedUntil: null, lastError: error, finishedAt: now },
      });
    },

    async prune(before) {
      const { count } = await prisma.inboundEvent.deleteMany({
        where: { status: { in: ['done', 'failed'] }, finishedAt: { lt: before } },
      });
      return count;
    },

    async counts(channel) {
      const [waiting, failed] = await Promise.all([
        prisma.inboundEvent.count({ where: { channel, status: { in: ['pending', 'running'] } } }),
        prisma.inboundEvent.count({ where: { channel, status: 'failed' } }),
      ]);
      return { waiting, failed };
    },
  };
}

/** See the file comment: the heads of the members' queues, each taken with a conditional update. */
async function claimIn(
  prisma: PrismaClient,
  { channel, now, lockedBy, lockedUntil, limit }: Parameters<InboundEventStore['claim']>[0],
): Promise<InboundEvent[]> {
  // The earliest open event of each member: later ones wait for it (order per member).
  const heads = await prisma.inboundEvent.groupBy({
    by: ['userId'],
    where: { channel, status: { in: ['pending', 'running'] } },
    _min: { id: true },
    orderBy: { _min: { id: 'asc' } },
    take: limit + EXTRA_CANDIDATES,
  });
  const ids = heads.flatMap((h) => (h._min.id === null ? [] : [h._min.id]));
  if (ids.length === 0) return [];
  const candidates = await prisma.inboundEvent.findMany({
    where: {
      id: { in: ids },
      OR: [
        { status: 'pending', runAt: { lte: now } },
        { status: 'running', lockedUntil: { lt: now } },
      ],
    },
    orderBy: { id: 'asc' },
    select: { id: true, status: true, lockedBy: true },
  });
  const taken: InboundEvent[] = [];
  for (const candidate of candidates) {
    if (taken.length >= limit) break;
    const still =
      candidate.status === 'pending'
        ? { status: 'pending', runAt: { lte: now } }
        : { status: 'running', lockedBy: candidate.lockedBy, lockedUntil: { lt: now } };
    const { count } = await prisma.inboundEvent.updateMany({
      where: { id: candidate.id, ...still },
      data: { status: 'running', lockedBy, lockedUntil, attempts: { increment: 1 } },
    });
    if (count !== 1) continue;
    const row = await prisma.inboundEvent.findUnique({ where: { id: candidate.id } });
    if (row) taken.push(toEvent(row));
  }
  return taken;
}
