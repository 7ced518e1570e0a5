// A member's own broadcast deliveries (issue 14, the member's side): the broadcasts she could not be sent, shown when
// she next writes, and her taps on a broadcast's button. The same Prisma code serves SQLite and PostgreSQL (both
// clients are generated from one schema; `texts`, `button` and `audience` are Json on both).
import type {
  AudienceSpec,
  Broadcast,
  BroadcastButton,
  BroadcastStatus,
  BroadcastTexts,
  MemberBroadcastRepository,
} from '../domain/broadcasts.ts';
import type { PrismaClient } from './database.ts';

/** Deliveries she could not be sent, which she is shown when she next writes (DeliveryStatus). */
const WAITING = ['notNow', 'unreachable'];
/** Broadcasts no longer current whatever their expiry: stopped or refused by an admin. */
const NOT_CURRENT: BroadcastStatus[] = ['cancelled', 'rejected', 'draft', 'awaitingApproval'];

type BroadcastRow = Awaited<ReturnType<PrismaClient['broadcast']['findUniqueOrThrow']>>;

/**
 * A stored broadcast as the domain type. Json columns are trusted as written by the service (validated there); a
 * malformed button reads as none. Replaced by the core repository's mapper once bc-core is merged, if it has one.
 */
export function toBroadcast(row: BroadcastRow): Broadcast {
  return {
    id: row.id,
    status: row.status as BroadcastStatus,
    texts: (row.texts ?? {}) as BroadcastTexts,
    photoFileId: row.photoFileId,
    button: isButton(row.button) ? row.button : null,
    audience: (row.audience ?? {}) as AudienceSpec,
    urgent: row.urgent,
    zaloOutsideWindow: row.zaloOutsideWindow === 'promotion' ? 'promotion' : 'skip',
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

function isButton(value: unknown): value is BroadcastButton {
  if (typeof value !== 'object' || value === null) return false;
  const target = (value as { target?: unknown }).target;
  if (target === 'courseRegister') return Number.isSafeInteger((value as { courseId?: unknown }).courseId);
  return target === 'courses' || target === 'credit' || target === 'productReport';
}

/** The member-side port on Prisma (src/domain/broadcasts.ts MemberBroadcastRepository); joins the turn's transaction. */
export function createMemberBroadcastRepository(prisma: PrismaClient): MemberBroadcastRepository {
  return {
    async waitingFor(memberId, now) {
      const rows = await prisma.broadcastDelivery.findMany({
        where: {
          memberId,
          status: { in: WAITING },
          broadcast: { expiresAt: { gt: now }, status: { notIn: NOT_CURRENT }, cancelledAt: null },
        },
        include: { broadcast: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        // A member away for long is shown at most five, oldest first, not a flood (expiry keeps this small anyway);
        // the rest are shown when she next writes.
        take: 5,
      });
      return rows.map((row) => ({ delivery: { id: row.id }, broadcast: toBroadcast(row.broadcast) }));
    },

    async markShown(deliveryIds, now) {
      if (deliveryIds.length === 0) return;
      // Only rows still waiting: a dispatcher that sent one meanwhile keeps its "sent".
      await prisma.broadcastDelivery.updateMany({
        where: { id: { in: [...deliveryIds] }, status: { in: WAITING } },
        data: { status: 'shown', shownAt: now },
      });
    },

    async broadcastById(id) {
      const row = await prisma.broadcast.findUnique({ where: { id } });
      return row ? toBroadcast(row) : null;
    },

    async recordTap(broadcastId, memberId, now) {
      const first = await prisma.broadcastDelivery.updateMany({
        where: { broadcastId, memberId, tappedAt: null },
        data: { tappedAt: now },
      });
      if (first.count === 0) return false;
      await prisma.broadcast.update({ where: { id: broadcastId }, data: { taps: { increment: 1 } } });
      return true;
    },
  };
}
