// Counts for the scrape-time gauges of GET /metrics (src/http/metrics.ts): how much the outbox and the broadcast
// dispatcher have waiting. Counts and dates only, no row's content. Each method is one query on an index
// (Notification @@index([status, createdAt]), BroadcastDelivery @@index([status, nextAttemptAt])); the metrics adapter
// caches the answers, so scrapes cannot load the database. Run on the ambient client outside any turn.
import type { PrismaClient } from './database.ts';

/** Outbox rows waiting, by state: 'due' (to send) or why held ('unreachable', 'window', 'channel'). */
export interface OutboxWaitingRow {
  state: string;
  count: number;
  /** Seconds since the oldest of them was queued, at `now`. */
  oldestSeconds: number;
}

export function createOperationalStats(prisma: PrismaClient, now: () => Date = () => new Date()) {
  return {
    /** One grouped query over the pending rows (status index): count and oldest creation time per state. */
    async outboxWaiting(): Promise<OutboxWaitingRow[]> {
      const groups = await prisma.notification.groupBy({
        by: ['held'],
        where: { status: 'pending' },
        _count: { _all: true },
        _min: { createdAt: true },
      });
      const at = now().getTime();
      return groups.map((group) => ({
        state: group.held ?? 'due',
        count: group._count._all,
        oldestSeconds: group._min.createdAt === null ? 0 : Math.max(0, (at - group._min.createdAt.getTime()) / 1000),
      }));
    },
    /** Broadcast deliveries still to send (status pending, index [status, nextAttemptAt]). */
    broadcastDeliveriesWaiting: (): Promise<number> => prisma.broadcastDelivery.count({ where: { status: 'pending' } }),
  };
}
