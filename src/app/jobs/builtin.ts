// The bot's own recurring jobs that belong to no feature: retrying the outbox, purging unkept photos, pruning old
// records, and keeping the Zalo OA access token fresh. Each is a plain definition for the runner; the work itself
// stays where it belongs (the outbox, the inbound log, the channel). Features declare their own jobs in their module
// (escalation and the digest: src/features/cases/jobs.ts).
import { z } from 'zod';
import type { Clock, Logger } from '../../conversation/ports.ts';
import { dailyAt, defineJob, everyMinutes, type JobDefinition, type JobStore } from '../../domain/jobs.ts';
import type { InboundLog } from '../../domain/member.ts';

/** Recurring jobs take no payload. */
const noPayload = z.object({}).strict();

/**
 * Every hour: handled inbound message ids older than INBOUND_ID_RETENTION_DAYS (kept only to recognise a platform's
 * redelivery), and done or failed jobs finished more than JOBS_RETENTION_DAYS ago.
 */
export function pruneJob(deps: {
  inbound: InboundLog;
  jobs: JobStore;
  inboundRetentionMs: number;
  jobRetentionMs: number;
  clock: Clock;
  logger: Logger;
}): JobDefinition {
  return defineJob({
    kind: 'maintenance.prune',
    schedule: everyMinutes(60),
    payload: noPayload,
    async run() {
      const now = deps.clock.now().getTime();
      const inboundIds = await deps.inbound.pruneOlderThan(new Date(now - deps.inboundRetentionMs));
      const jobs = await deps.jobs.prune(new Date(now - deps.jobRetentionMs));
      if (inboundIds > 0 || jobs > 0) deps.logger.info({ inboundIds, jobs }, 'old records pruned');
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

/** Every minute: notifications whose push failed (a 5xx, a network error) are pushed again, with backoff. */
export function outboxRetryJob(retryFailed: () => Promise<number>, logger: Logger): JobDefinition {
  return defineJob({
    kind: 'outbox.retry',
    schedule: everyMinutes(1),
    payload: noPayload,
    async run() {
      const pushes = await retryFailed();
      if (pushes > 0) logger.info({ pushes }, 'failed notifications pushed again');
    },
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
