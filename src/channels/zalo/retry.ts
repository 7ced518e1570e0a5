// The retry policy both Zalo modes use: only a 'retry' failure (network, timeout, 5xx, rate or quota limit) is tried
// again, a bounded number of times with a doubling pause; 'unreachable' and 'config' come back at once.
import { ZaloApiError } from './http.ts';

export type Sleep = (ms: number) => Promise<void>;

export const defaultSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  /** Attempts per call, the first included ('retry' failures only). Default 3. */
  maxAttempts: number;
  /** Pause before the second attempt, doubled before each further one (ms). Default 1000. */
  firstDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, firstDelayMs: 1000 };

/** Runs `run` under the policy; throws the last error when it gives up (or at once for anything not retryable). */
export async function withRetries<T>(
  run: () => Promise<T>,
  options: {
    policy: RetryPolicy;
    sleep: Sleep;
    onRetry: (error: ZaloApiError, attempt: number, delayMs: number) => void;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ZaloApiError) || error.kind !== 'retry' || attempt >= options.policy.maxAttempts) {
        throw error;
      }
      const delayMs = options.policy.firstDelayMs * 2 ** (attempt - 1);
      options.onRetry(error, attempt, delayMs);
      await options.sleep(delayMs);
    }
  }
}
