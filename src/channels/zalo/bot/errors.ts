// Bot Platform failures ({ok:false, error_code, description}) sorted into the three kinds of ../http.ts.
// Zalo documents these codes: 400 bad request, 401 token expired or invalid, 403 (listed as an internal error),
// 404 not found, 408 request timeout (getUpdates: no update arrived while polling), 426 and 429 call quotas.
import { ZaloApiError } from '../http.ts';

/** Methods that address one member: there a refusal means "this member cannot be messaged", not "we are wrong". */
const MEMBER_METHODS: ReadonlySet<string> = new Set(['sendMessage', 'sendPhoto']);

/** Descriptions that say the recipient is out of reach (blocked the bot, left, never talked to it, unknown chat). */
const OUT_OF_REACH =
  /\b(?:block(?:ed)?|forbidden|unfollow(?:ed)?|not (?:found|allowed|a friend|interact\w*)|cannot send|can't send)\b|chặn/i;

/** The longest description kept (it goes into logs and error messages). */
const MAX_DESCRIPTION = 200;

export function classifyFailure(
  method: string,
  errorCode: number | undefined,
  description: string | undefined,
): ZaloApiError {
  const call = `bot/${method}`;
  const detail = description === undefined || description === '' ? `error ${errorCode ?? 'unknown'}` : description;
  const message = detail.slice(0, MAX_DESCRIPTION);
  if (errorCode === 401) return new ZaloApiError('config', call, errorCode, message);
  if (errorCode === 408 || errorCode === 426 || errorCode === 429 || (errorCode ?? 0) >= 500) {
    return new ZaloApiError('retry', call, errorCode, message);
  }
  // 403 on a send: Zalo's table calls 403 an internal error, but on a Telegram-like API a refusal to deliver is the
  // likelier meaning. Marking a member unreachable is cheap to undo: her next message clears the mark.
  if (MEMBER_METHODS.has(method) && (errorCode === 403 || errorCode === 404 || OUT_OF_REACH.test(detail))) {
    return new ZaloApiError('unreachable', call, errorCode, message);
  }
  // 400 and the rest of 4xx: a request we built wrongly (or a token/bot set-up problem); retrying will not help.
  if (errorCode !== undefined && errorCode >= 400 && errorCode < 500) {
    return new ZaloApiError('config', call, errorCode, message);
  }
  return new ZaloApiError('retry', call, errorCode, message);
}

/** Removes the token from a text that Zalo sent back (it should never echo it; this makes sure). */
export function scrubToken(text: string, token: string): string {
  return token === '' ? text : text.split(token).join('<token>');
}
