// Long polling for development: getUpdates in a loop until stop(). The platform hands out one update per call and has
// no offset (an update is consumed once returned), so each update is processed before the next call — in order, and
// never dropped at shutdown: stop() aborts the call in flight and waits for the update being processed.
// Failures back off exponentially (an injectable sleep, interrupted by stop()).
import type { Logger } from '../../../conversation/ports.ts';
import type { ZaloBotClient } from './client.ts';
import { describeFailure, type Sleep } from './sender.ts';

export interface PollingOptions {
  client: ZaloBotClient;
  /** Handles one raw update; must not throw. */
  processUpdate: (update: unknown) => Promise<void>;
  logger: Logger;
  sleep: Sleep;
  /** How long one getUpdates call may wait for an update (seconds). Default 30. */
  timeoutSeconds?: number;
  /** Backoff after a failed call: first pause and cap (ms). Defaults 1000 and 30000. */
  backoff?: { firstMs?: number; maxMs?: number };
}

export interface Poller {
  /** Starts the loop in the background (no-op when running). */
  start(): void;
  /** Ends the loop: aborts the call in flight, waits for the update being processed. */
  stop(): Promise<void>;
}

export const DEFAULT_POLL_TIMEOUT_SECONDS = 30;

export function createPoller(options: PollingOptions): Poller {
  const { client, logger, sleep } = options;
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
  const firstMs = options.backoff?.firstMs ?? 1000;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  let running: { controller: AbortController; stopped: () => void; loop: Promise<void> } | undefined;

  async function loop(signal: AbortSignal, whenStopped: Promise<void>): Promise<void> {
    let failures = 0;
    // A function, not a property read: the compiler would otherwise assume it cannot change inside the loop.
    const aborted = (): boolean => signal.aborted;
    while (!aborted()) {
      let update: Record<string, unknown> | null;
      try {
        update = await client.getUpdates({ timeoutSeconds, signal });
        failures = 0;
      } catch (error) {
        if (aborted()) break;
        failures++;
        const delayMs = Math.min(maxMs, firstMs * 2 ** (failures - 1));
        const info = describeFailure(error);
        if (info.kind === 'config') logger.error({ ...info, failures, delayMs }, 'zalo bot getUpdates refused');
        else logger.warn({ ...info, failures, delayMs }, 'zalo bot getUpdates failed, backing off');
        await Promise.race([sleep(delayMs), whenStopped]);
        continue;
      }
      // Processed even when stop() came meanwhile: the platform will not hand this update out again.
      if (update === null) continue;
      try {
        await options.processUpdate(update);
      } catch (error) {
        logger.error({ errName: error instanceof Error ? error.name : typeof error }, 'zalo bot update failed');
      }
    }
  }

  return {
    start() {
      if (running !== undefined) return;
      const controller = new AbortController();
      let stopped: () => void = () => {};
      const whenStopped = new Promise<void>((resolve) => (stopped = resolve));
      running = { controller, stopped, loop: loop(controller.signal, whenStopped) };
      logger.info({ timeoutSeconds }, 'zalo bot long polling started');
    },
    async stop() {
      const current = running;
      if (current === undefined) return;
      current.controller.abort();
      current.stopped();
      await current.loop;
      if (running === current) running = undefined;
      logger.info({}, 'zalo bot long polling stopped');
    },
  };
}
