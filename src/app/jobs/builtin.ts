// The bot's own recurring jobs that belong to no feature: purging unkept photos, pruning expired records (every kind
// of the personal-data registry, the outbox's sent messages among them), and keeping the Zalo OA access token fresh.
// Each is a plain definition for the runner; the work itself stays where it belongs (the registry's kinds, the
// channel). Features declare their own jobs in their module (escalation and the digest: src/features/cases/jobs.ts).
// Sending is no job: the outbox's dispatcher (src/app/outbox) runs its own loop, woken by each commit.
import { z } from 'zod';
import type { Clock, Logger } from '../../conversation/ports.ts';
import { dailyAt, defineJob, everyMinutes, type JobDefinition } from '../../domain/jobs.ts';
import { pruneExpired, type PersonalDataKind } from '../../features/privacy/registry.ts';

/** Recurring jobs take no payload. */
const noPayload = z.object({}).strict();

/**
 * Every hour: every kind of the personal-data registry with a retention loses its records older than its days
 * (RETENTION_*_DAYS, OUTBOX_RETENTION_DAYS, INBOUND_ID_RETENTION_DAYS, JOBS_RETENTION_DAYS...). Only counts by kind
 * are logged.
 */
export function pruneJob(deps: {
  kinds: () => readonly PersonalDataKind[];
  clock: Clock;
  logger: Logger;
}): JobDefinition {
  return defineJob({
    kind: 'maintenance.prune',
    schedule: everyMinutes(60),
    payload: noPayload,
    async run() {
      const counts = await pruneExpired(deps.kinds(), deps.clock.now());
      const pruned = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
      if (Object.keys(pruned).length > 0) deps.logger.info({ pruned }, 'expired records pruned');
    },
  });
}

/**
 * Every hour: the Zalo OA access token is refreshed when it expires within the margin, so the single-use refresh
 * token never lapses even when nobody writes. `check` throws when the refresh fails (then retried by the runner).
 */
export function zaloOaTokenJob(check: () => Promise<void>): JobDefinition {
  return defineJob({
    kind: 'zalo-oa.token',
    schedule: everyMinutes(60),
    payload: noPayload,
    run: () => check(),
  });
}

/** Daily at 03:00 in TIME_ZONE: photos no record keeps, older than FILES_ORPHAN_DAYS, are deleted (bytes and row). */
export function filesPurgeJob(purgeOrphanFiles: (now: Date) => Promise<number>, logger: Logger): JobDefinition {
  return defineJob({
    kind: 'files.purge',
    schedule: dailyAt('03:00'),
    payload: noPayload,
    async run(_payload, context) {
      const removed = await purgeOrphanFiles(context.dueAt);
      if (removed > 0) logger.info({ removed }, 'unkept photos purged');
    },
  });
}
