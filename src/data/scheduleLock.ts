// Once-only scheduled work across instances: the (name, period) primary key lets exactly one instance in.
import type { ScheduleLock } from '../domain/cases.ts';
import { isPrismaError, type PrismaClient } from './database.ts';

export function createScheduleLock(prisma: PrismaClient): ScheduleLock {
  return {
    async acquire(name, period) {
      // Insert-or-fail rather than check-then-insert: the primary key decides atomically, even across processes.
      try {
        await prisma.scheduledRun.create({ data: { name, period } });
        return true;
      } catch (error) {
        if (isPrismaError(error, 'P2002')) return false;
        throw error;
      }
    },
  };
}
