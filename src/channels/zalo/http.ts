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
  /**
   * APIs that answer errors with a JSON envelope under an HTTP error status (the Bot Platform's
   * `{ok:false, error_code, description}`): for 401, 403, 429 and 5xx, a body that is JSON and matches `schema` is
   * returned for the caller to classify; anything else still throws by HTTP status. Default false.
   */
  readErrorBody?: boolean;
}

/** Performs one request and returns the validated JSON body; throws ZaloApiError (never a raw fetch error). */
export async function requestJson<S extends z.ZodType>(options: RequestOptions<S>): Promise<z.infer<S>> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  // The caller's own signal (e.g. a stopping poller) is honoured as well as the timeout.
  const callerSignal = options.init.signal ?? undefined;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = callerSignal === undefined ? timeout : AbortSignal.any([callerSignal, timeout]);
  try {
    response = await doFetch(options.url, { ...options.init, signal });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const reason = callerSignal?.aborted === true ? 'aborted' : timedOut ? 'timed out' : 'network error';
    throw new ZaloApiError('retry', options.call, undefined, reason);
  }
  if (options.readErrorBody === true && isErrorStatus(response.status)) {
    const envelope = await readEnvelope(response, options.schema);
    if (envelope.ok) return envelope.data;
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

function isErrorStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 401 || status === 403;
}

async function readEnvelope<S extends z.ZodType>(
  response: Response,
  schema: S,
): Promise<{ ok: true; data: z.infer<S> } | { ok: false }> {
  try {
    const parsed = schema.safeParse(await response.json());
    return parsed.success ? { ok: true, data: parsed.data } : { ok: false };
  } catch {
    return { ok: false };
  }
}
