// The broadcasts' jobs (run by src/app/jobs):
// - `broadcasts.prepare` (one-off, payload { id }, key broadcast:<id>:prepare): writes a starting broadcast's
//   deliveries, one batch (BROADCAST_BATCH_SIZE members, one transaction) after the other from the stored cursor, then
//   sets it `sending`. Memory is bounded by a batch; a run killed midway runs again after its lease and resumes from
//   the cursor (a member who already has a delivery is skipped: never two).
// - `broadcasts.tick` (every 15 s): starts the scheduled broadcasts that are due, sends the live progress to the
//   composer every BROADCAST_PROGRESS_MINUTES, finishes sending ones with nothing pending or in flight (status done,
//   the final report) and cancels the rest of a cancelled broadcast's pending deliveries.
import { z } from 'zod';
import type { Logger } from '../../conversation/ports.ts';
import { defineJob, everySeconds, type JobDefinition } from '../../domain/jobs.ts';
import type { BroadcastService } from './contract.ts';
import { PREPARE_JOB } from './service.ts';

/** The tick's period (seconds). */
export const TICK_SECONDS = 15;

export function broadcastJobDefinitions(service: BroadcastService, logger: Logger): JobDefinition[] {
  return [
    defineJob({
      kind: PREPARE_JOB,
      payload: z.object({ id: z.number().int() }),
      async run({ id }) {
        let batches = 0;
        while (await service.prepareNext(id)) batches += 1;
        logger.info({ broadcast: id, batches }, 'broadcast deliveries prepared');
      },
    }),
    defineJob({
      kind: 'broadcasts.tick',
      schedule: everySeconds(TICK_SECONDS),
      payload: z.object({}).strict(),
      run: () => service.tick(),
    }),
  ];
}
