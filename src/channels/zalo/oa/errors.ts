// Zalo OA API error codes (the `error` field of an answer), sorted into the three kinds of src/channels/zalo/http.ts.
// Codes from Zalo's OA API documentation; an unknown code is treated as "retry later" (the retry is bounded).
import { ZaloApiError, type ZaloErrorKind } from '../http.ts';

/** This member cannot be messaged now: mark her unreachable, do not retry. */
const UNREACHABLE = new Map<number, string>([
  [-213, 'the user does not follow the OA'],
  [-217, 'the user blocked the OA'],
  [-218, 'the sending limit for this user is reached'],
  [-227, 'the user is banned or inactive for more than 45 days'],
  [-230, 'the user has not interacted with the OA in the past 7 days'],
  [-232, 'the user has not interacted with the OA, or the interaction expired'],
  [-244, 'the user refuses this kind of message from the OA'],
]);

/** Out of reach only for now: outside the messaging window, or this member's sending limit reached. */
export const WINDOW_ERROR_CODES: ReadonlySet<number> = new Set([-218, -230, -232]);

/** The access token is bad: refresh it (once) and try again. */
export const TOKEN_ERROR_CODES: ReadonlySet<number> = new Set([-124, -216, -220]);

/** Temporary: rate limit, quota, Zalo busy. */
const RETRY = new Map<number, string>([
  [-32, 'rate limit reached'],
  [-200, 'sending failed'],
  [-211, 'out of quota'],
  [-214, 'still processing'],
]);

/** Our side is wrong (app, OA, permissions, payload, billing): an admin must act. */
const CONFIG = new Map<number, string>([
  [-100, 'attachment id expired'],
  [-124, 'access token invalid'],
  [-201, 'a parameter is invalid'],
  [-204, 'the OA is disabled'],
  [-205, 'the OA does not exist'],
  [-209, 'API not supported (app not activated)'],
  [-210, 'a parameter exceeds its limit'],
  [-212, 'the app has not registered this API'],
  [-216, 'access token invalid'],
  [-219, 'the app is removed or disabled'],
  [-220, 'access token expired or revoked'],
  [-221, 'the OA must be verified for this feature'],
  [-223, 'the OA has not granted this permission to the app'],
  [-224, 'the OA service package must be upgraded'],
  [-233, 'message type invalid or not supported'],
  [-235, 'API not available for this kind of OA'],
  [-240, 'the v2 message API is shut down'],
  [-242, 'appsecret_proof invalid'],
  [-248, 'content violates platform standards'],
  [-320, 'the app needs a Zalo Cloud Account'],
  [-321, 'the Zalo Cloud Account is out of money'],
]);

export function classifyOaError(code: number): { kind: ZaloErrorKind; reason: string } {
  const unreachable = UNREACHABLE.get(code);
  if (unreachable !== undefined) return { kind: 'unreachable', reason: unreachable };
  const config = CONFIG.get(code);
  if (config !== undefined) return { kind: 'config', reason: config };
  return { kind: 'retry', reason: RETRY.get(code) ?? 'unknown Zalo error' };
}

/** The error Zalo's answer `{error: code, message}` stands for. Zalo's own message is not kept: it may echo input. */
export function oaError(call: string, code: number): ZaloApiError {
  const { kind, reason } = classifyOaError(code);
  return new ZaloApiError(kind, call, code, `Zalo error ${code}: ${reason}`);
}

/** A send failed because of the access token (expired early, revoked): worth one refresh and one more try. */
export function isTokenError(error: unknown): error is ZaloApiError {
  return (
    error instanceof ZaloApiError &&
    error.kind === 'config' &&
    typeof error.code === 'number' &&
    TOKEN_ERROR_CODES.has(error.code)
  );
}
