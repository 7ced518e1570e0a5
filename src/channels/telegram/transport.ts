// Calling the Bot API: 429 retry_after, 403 = unreachable, "message is not modified" ignored, everything else logged.
// Logs carry the method, error code, Telegram's description, the update id and a hash of the chat id — never texts,
// names or phone numbers (so never the error object itself: telegraf's TelegramError holds the request payload).
import { createHash } from 'node:crypto';
import { TelegramError } from 'telegraf';
import type { Logger } from '../../conversation/ports.ts';
import type { TelegramCall } from './render.ts';

/** The one thing the channel needs from telegraf: a way to call a Bot API method. */
export interface BotApi {
  call(method: string, payload: Record<string, unknown>): Promise<unknown>;
}

export type Sleep = (ms: number) => Promise<void>;

export const defaultSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  /** Attempts per call, the first included (429 only). Default 4. */
  maxAttempts: number;
  /** A 429 asking to wait longer than this is not retried (seconds). Default 30. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, maxRetryAfterSeconds: 30 };

export type CallOutcome =
  | { ok: true; result: unknown }
  /** 403: the member blocked the bot or deleted the account. */
  | { ok: false; reason: 'unreachable' }
  /** An edit that would not change anything (e.g. a redelivered tap). */
  | { ok: false; reason: 'not-modified' }
  | { ok: false; reason: 'failed' };

/** Log context: which update and (hashed) chat a call was for. */
export interface CallContext {
  updateId: number | null;
  chatId?: string;
}

export interface TelegramSender {
  call(
    call: TelegramCall | { method: string; payload: Record<string, unknown> },
    context: CallContext,
  ): Promise<CallOutcome>;
}

export function createSender(deps: {
  api: BotApi;
  logger: Logger;
  sleep?: Sleep;
  retry?: Partial<RetryPolicy>;
}): TelegramSender {
  const { api, logger } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...deps.retry };
  return {
    async call({ method, payload }, context) {
      const where = {
        updateId: context.updateId,
        ...(context.chatId === undefined ? {} : { chat: chatRef(context.chatId) }),
        method,
      };
      for (let attempt = 1; ; attempt++) {
        try {
          return { ok: true, result: await api.call(method, payload) };
        } catch (error) {
          const info = describeError(error);
          if (info.code === 429) {
            const waitSeconds = Math.max(0, info.retryAfter ?? 1);
            if (attempt < retry.maxAttempts && waitSeconds <= retry.maxRetryAfterSeconds) {
              logger.warn(
                { ...where, errCode: 429, retryAfter: waitSeconds, attempt },
                'telegram rate limit, retrying',
              );
              await sleep(waitSeconds * 1000);
              continue;
            }
            logger.error(
              { ...where, errCode: 429, retryAfter: waitSeconds, attempt },
              'telegram rate limit, giving up',
            );
            return { ok: false, reason: 'failed' };
          }
          if (info.code === 403) {
            logger.info({ ...where, errCode: 403, description: info.description }, 'telegram chat unreachable');
            return { ok: false, reason: 'unreachable' };
          }
          if (info.code === 400 && /message is not modified/i.test(info.description ?? '')) {
            logger.debug({ ...where, errCode: 400 }, 'telegram message not modified');
            return { ok: false, reason: 'not-modified' };
          }
          logger.error(
            { ...where, errCode: info.code, errName: info.name, description: info.description },
            'telegram call failed',
          );
          return { ok: false, reason: 'failed' };
        }
      }
    },
  };
}

interface ErrorInfo {
  name: string;
  /** Bot API error_code (HTTP-like) or a network error code such as ECONNREFUSED. */
  code?: number | string;
  description?: string;
  retryAfter?: number;
}

/** Only fields that cannot contain message texts (a TelegramError's `on.payload` does). */
export function describeError(error: unknown): ErrorInfo {
  if (error instanceof TelegramError) {
    const info: ErrorInfo = { name: 'TelegramError', code: error.code };
    if (typeof error.description === 'string') info.description = error.description.slice(0, 200);
    const retryAfter = error.parameters?.retry_after;
    if (typeof retryAfter === 'number') info.retryAfter = retryAfter;
    return info;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' || typeof code === 'number' ? { name: error.name, code } : { name: error.name };
  }
  return { name: typeof error };
}

/** A stable, non-reversible-at-a-glance reference to a chat for logs. */
export function chatRef(chatId: string): string {
  return createHash('sha256').update(`telegram:${chatId}`).digest('hex').slice(0, 12);
}
