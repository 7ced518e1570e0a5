// The one way this project calls Zalo's HTTP APIs (Official Account API, OAuth, Bot Platform): Node's fetch with a
// timeout, the answer validated with zod, and every failure sorted into three kinds the rest of the code can act on.
import type { z } from 'zod';

/**
 * - `retry`: try again later (network, timeout, 5xx, rate or quota limits).
 * - `unreachable`: this member cannot be messaged now (outside the messaging window, blocked, unfollowed): mark, don't retry.
 * - `config`: our side is wrong (bad or expired token, wrong app id or secret): alert an admin, don't retry.
 */
export type ZaloErrorKind = 'retry' | 'unreachable' | 'config';

export class ZaloApiError extends Error {
  constructor(
    readonly kind: ZaloErrorKind,
    /** Which call failed, e.g. "oa/message/cs" (never the URL: it may carry a token). */
    readonly call: string,
    /** Zalo's own error code (or HTTP status), kept for logs. */
    readonly code: number | string | undefined,
    message: string,
  ) {
    super(`${call}: ${message}`);
    this.name = 'ZaloApiError';
  }
}

export type FetchFn = typeof fetch;

export interface RequestOptions<S extends z.ZodType> {
  call: string;
  url: string;
  init: RequestInit;
  schema: S;
  timeoutMs: number;
  fetch?: FetchFn;
}

/** Performs one request and returns the validated JSON body; throws ZaloApiError (never a raw fetch error). */
export async function requestJson<S extends z.ZodType>(options: RequestOptions<S>): Promise<z.infer<S>> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(options.url, { ...options.init, signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new ZaloApiError('retry', options.call, undefined, timedOut ? 'timed out' : 'network error');
  }
  if (response.status >= 500 || response.status === 429) {
    throw new ZaloApiError('retry', options.call, response.status, `HTTP ${response.status}`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new ZaloApiError('config', options.call, response.status, `HTTP ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ZaloApiError('retry', options.call, response.status, 'answer is not JSON');
  }
  const parsed = options.schema.safeParse(body);
  if (!parsed.success) {
    throw new ZaloApiError('retry', options.call, response.status, 'answer has an unexpected shape');
  }
  return parsed.data;
}
