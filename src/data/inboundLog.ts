// Which inbound updates were already handled, so a platform's redelivery has exactly one effect.
import type { InboundLog } from '../domain/member.ts';
import { isPrismaError, type PrismaClient } from './database.ts';

export function createInboundLog(prisma: PrismaClient): InboundLog {
  return {
    async claim(channel, messageId) {
      // Insert-or-fail rather than check-then-insert: the primary key decides atomically, even across processes. As
      // the first statement of a turn's transaction it also takes SQLite's write lock before anything is read, so two
      // processes queue for the lock (busy timeout) instead of failing on a stale snapshot.
      try {
        await prisma.processedInbound.create({ data: { channel, messageId } });
        return true;
      } catch (error) {
        if (isPrismaError(error, 'P2002')) return false;
        throw error;
      }
    },

    async pruneOlderThan(date) {
      const { count } = await prisma.processedInbound.deleteMany({ where: { createdAt: { lt: date } } });
      return count;
    },
  };
}
