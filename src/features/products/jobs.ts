// The products' work nobody asks for, run by the job runner (app/jobs: each run claimed by one instance):
//   products.draftPurge      every hour: drafts past LISTING_DRAFT_DAYS are deleted with the photos only they kept
//                            (records in the run's transaction, bytes after its commit);
//   products.ocopExpiry      daily at LISTING_OCOP_HOUR (8:00 local): approved listings whose OCOP certificate expires
//                            within OCOP_NOTICE_DAYS (30) are flagged to the member and the commune's officers, once
//                            per expiry date (Listing.ocopFlaggedFor, written with the outbox rows);
//   products.forgetReporters every hour: reporter keys (the problem reports' rate limit) older than a day are cleared.
import { z } from 'zod';
import type { Logger } from '../../conversation/ports.ts';
import { dailyAt, defineJob, everyMinutes, type JobDefinition } from '../../domain/jobs.ts';
import { localIsoDate } from '../../domain/time.ts';
import type { ProductServiceInternals } from './service.ts';

/** Recurring jobs take no payload. */
const noPayload = z.object({}).strict();

export interface ProductJobs {
  purgeDrafts(): Promise<number>;
  /** `today`: the local date of the run (its due time in TIME_ZONE). */
  flagOcop(today: string): Promise<number>;
  forgetReporters(): Promise<number>;
}

export function createProductJobs(service: ProductServiceInternals): ProductJobs {
  return {
    purgeDrafts: () => service.purgeExpiredDrafts(),
    flagOcop: (today) => service.flagOcopExpiring(today),
    forgetReporters: () => service.forgetReporters(),
  };
}

/** The products' recurring jobs (see the head of this file). */
export function productJobDefinitions(
  jobs: ProductJobs,
  options: { ocopHour: number; timeZone: string; logger: Logger },
): JobDefinition[] {
  return [
    defineJob({
      kind: 'products.draftPurge',
      schedule: everyMinutes(60),
      payload: noPayload,
      async run() {
        const purged = await jobs.purgeDrafts();
        if (purged > 0) options.logger.info({ purged }, 'expired listing drafts purged');
      },
    }),
    defineJob({
      kind: 'products.ocopExpiry',
      schedule: dailyAt(`${String(options.ocopHour).padStart(2, '0')}:00`),
      payload: noPayload,
      async run(_payload, context) {
        const flagged = await jobs.flagOcop(localIsoDate(context.dueAt, options.timeZone));
        options.logger.info({ flagged }, 'OCOP certificates near expiry flagged');
      },
    }),
    defineJob({
      kind: 'products.forgetReporters',
      schedule: everyMinutes(60),
      payload: noPayload,
      async run() {
        const cleared = await jobs.forgetReporters();
        if (cleared > 0) options.logger.info({ cleared }, 'problem reporter keys cleared');
      },
    }),
  ];
}
