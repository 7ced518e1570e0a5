// A member's own broadcast deliveries (issue 14, the member's side): the broadcasts she could not be sent, shown when
// she next writes, and her taps on a broadcast's button. The same Prisma code serves SQLite and PostgreSQL (both
// clients are generated from one schema; `texts`, `button` and `audience` are Json on both).
import type { BroadcastStatus, MemberBroadcastRepository } from '../domain/broadcasts.ts';
import { toBroadcast } from './broadcastRepository.ts';
import type { PrismaClient } from './database.ts';

/** Deliveries she could not be sent, which she is shown when she next writes (DeliveryStatus). */
const WAITING = ['notNow', 'unreachable'];
/** Broadcasts no longer current whatever their expiry: stopped or refused by an admin. */
const NOT_CURRENT: BroadcastStatus[] = ['cancelled', 'rejected', 'draft', 'awaitingApproval'];

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
        select: { id: true, broadcastId: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        // A member away for long is shown at most five, oldest first, not a flood (expiry keeps this small anyway);
        // the rest are shown when she next writes.
        take: 5,
      });
      // Nearly every turn finds none: one statement then (an `include` would read the broadcasts too, even for none).
      if (rows.length === 0) return [];
      const broadcasts = await prisma.broadcast.findMany({ where: { id: { in: rows.map((r) => r.broadcastId) } } });
      const byId = new Map(broadcasts.map((b) => [b.id, b]));
      return rows.flatMap((row) => {
        const broadcast = byId.get(row.broadcastId);
        return broadcast === undefined ? [] : [{ delivery: { id: row.id }, broadcast: toBroadcast(broadcast) }];
      });
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
