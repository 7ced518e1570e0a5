// Sending to Zalo with the policy the channel needs:
// - every call gets a valid access token; a token Zalo rejects is renewed once and the call tried again;
// - 'retry' errors (network, 5xx, rate limit, quota) are retried a bounded number of times with a growing pause;
// - 'unreachable' (outside the messaging window, unfollowed, blocked) is reported at once, never retried;
// - 'config' is logged as an error for an admin.
// Logs carry the call, Zalo's error code, the attempt and a hash of the user id: never texts, names or tokens.
import { createHash } from 'node:crypto';
import type { Logger } from '../../../conversation/ports.ts';
import { ZaloApiError } from '../http.ts';
import { DEFAULT_RETRY, defaultSleep, withRetries, type RetryPolicy, type Sleep } from '../retry.ts';
import { isTokenError } from './errors.ts';
import type { TokenManager } from './tokens.ts';

export type { RetryPolicy, Sleep } from '../retry.ts';

export type SendOutcome<T> =
  { ok: true; result: T } | { ok: false; reason: 'unreachable' | 'config' | 'failed'; code?: number | string };

export interface CallContext {
  /** The event being answered (its name), for logs. */
  event: string;
  userId: string;
}

export interface OaSender {
  /** Runs `call` with an access token under the policy above. Never throws. */
  call<T>(name: string, call: (accessToken: string) => Promise<T>, context: CallContext): Promise<SendOutcome<T>>;
}

export function createOaSender(deps: {
  tokens: TokenManager;
  logger: Logger;
  sleep?: Sleep;
  retry?: Partial<RetryPolicy>;
}): OaSender {
  const { tokens, logger } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...deps.retry };

  async function withToken<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    const token = await tokens.accessToken();
    try {
      return await call(token);
    } catch (error) {
      if (!isTokenError(error)) throw error;
      return await call(await tokens.renew(token));
    }
  }

  return {
    async call(name, call, context) {
      const where = { event: context.event, user: userRef(context.userId), call: name };
      let attempt = 1;
      try {
        const result = await withRetries(() => withToken(call), {
          policy: retry,
          sleep,
          onRetry: (error, failed, delayMs) => {
            attempt = failed + 1;
            logger.warn(
              { ...where, errCall: error.call, errCode: error.code, attempt: failed, delayMs },
              'zalo call failed, retrying',
            );
          },
        });
        return { ok: true, result };
      } catch (error) {
        if (!(error instanceof ZaloApiError)) {
          logger.error({ ...where, errName: error instanceof Error ? error.name : typeof error }, 'zalo call failed');
          return { ok: false, reason: 'failed' };
        }
        const fields = { ...where, errCall: error.call, errCode: error.code, attempt };
        if (error.kind === 'unreachable') {
          logger.info(fields, 'zalo member out of reach');
          return { ok: false, reason: 'unreachable', ...code(error) };
        }
        if (error.kind === 'config') {
          logger.error({ ...fields, reason: error.message }, 'zalo call refused: configuration or token problem');
          return { ok: false, reason: 'config', ...code(error) };
        }
        logger.error({ ...fields, reason: error.message }, 'zalo call failed, giving up');
        return { ok: false, reason: 'failed', ...code(error) };
      }
    },
  };
}

function code(error: ZaloApiError): { code?: number | string } {
  return error.code === undefined ? {} : { code: error.code };
}

/** A stable, not-reversible-at-a-glance reference to a Zalo user for logs. */
export function userRef(userId: string): string {
  return createHash('sha256').update(`zalo:${userId}`).digest('hex').slice(0, 12);
}
