// The web console's Data page (issue 16): trying a failed job again. The job store (src/data/jobStore.ts) keeps a
// one-off job that gave up as `failed` with its error; putting it back in the queue lets the runner try it again
// with its full number of attempts. A recurring job's failed run is only a record (the job itself stays on its
// schedule), so it is never re-queued.
import type { PrismaClient } from './database.ts';

/**
 * Queues the failed one-off job `id` again, due at `now`, its attempts counted from zero (its last error is kept
 * until the next run replaces it). False, and nothing changed, when it is not a failed one-off job (already retried,
 * pruned, a recurring run's record): a conditional update, so two admins pressing at once queue it once.
 */
export async function retryFailedJob(prisma: PrismaClient, id: number, now: Date): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: { id, status: 'failed', schedule: null },
    data: { status: 'queued', runAt: now, attempts: 0, lockedBy: null, lockedUntil: null, finishedAt: null },
  });
  return count === 1;
}
