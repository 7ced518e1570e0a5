// The bot's own recurring jobs: escalating unclaimed cases, the officers' daily digest, pruning old records, and
// keeping the Zalo OA access token fresh. Each is a plain definition for the runner; the work itself stays where it
// belongs (the case service, the inbound log, the channel).
import { z } from 'zod';
import type { Clock, Logger } from '../../conversation/ports.ts';
import { dailyAt, defineJob, everyMinutes, type JobDefinition, type JobStore } from '../../domain/jobs.ts';
import type { InboundLog } from '../../domain/member.ts';
import { localIsoDate } from '../../domain/time.ts';

/** Recurring jobs take no payload. */
const noPayload = z.object({}).strict();

/** Every minute: open cases nobody claimed within CASE_ESCALATION_MINUTES go to the province officers. */
export function escalationJob(escalateOverdue: () => Promise<number>, logger: Logger): JobDefinition {
  return defineJob({
    kind: 'cases.escalate',
    schedule: everyMinutes(1),
    payload: noPayload,
    async run() {
      const escalated = await escalateOverdue();
      if (escalated > 0) logger.info({ escalated }, 'overdue cases escalated');
    },
  });
}

/**
 * Each day at DIGEST_HOUR:00 in TIME_ZONE: each officer gets the list of what is still open. The day (the officers'
 * local day of the run that was due) goes to `sendDigests`, which sends at most once per day.
 */
export function digestJob(
  sendDigests: (day: string) => Promise<number>,
  options: { hour: number; timeZone: string; logger: Logger },
): JobDefinition {
  return defineJob({
    kind: 'cases.digest',
    schedule: dailyAt(`${String(options.hour).padStart(2, '0')}:00`),
    payload: noPayload,
    async run(_payload, context) {
      const digests = await sendDigests(localIsoDate(context.dueAt, options.timeZone));
      options.logger.info({ digests }, 'daily digest sent');
    },
  });
}

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

/**
 * Every hour: outbox rows that were sent or given up, older than OUTBOX_RETENTION_DAYS, are deleted (they hold what
 * the bot told a member: personal data). Rows still waiting are kept whatever their age. Sending itself is not a job:
 * the outbox's dispatcher (src/app/outbox) runs its own loop, woken by each commit.
 */
export function outboxPruneJob(
  prune: (before: Date) => Promise<number>,
  retentionMs: number,
  logger: Logger,
): JobDefinition {
  return defineJob({
    kind: 'outbox.prune',
    schedule: everyMinutes(60),
    payload: noPayload,
    async run(_payload, context) {
      const removed = await prune(new Date(context.dueAt.getTime() - retentionMs));
      if (removed > 0) logger.info({ removed }, 'old outbox rows pruned');
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
