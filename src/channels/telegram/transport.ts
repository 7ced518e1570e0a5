// Calling the Bot API: one attempt per call, its outcome sorted for the caller — 429 retry_after (reported, never slept
// on here: the outbox delays that chat's messages and the others keep flowing), 403 = unreachable, "message is not
// modified" ignored, 400 refused, anything else (5xx, network) a transient failure.
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

export type CallOutcome =
  | { ok: true; result: unknown }
  /** 403: the member blocked the bot or deleted the account. */
  | { ok: false; reason: 'unreachable' }
  /** An edit that would not change anything (e.g. a redelivered tap). */
  | { ok: false; reason: 'not-modified' }
  /** 429: Telegram asks to wait this long before the next message to this chat. */
  | { ok: false; reason: 'retryAfter'; ms: number }
  /** 400 (other than not-modified): the request will not get through as it is. */
  | { ok: false; reason: 'refused'; code: string }
  /** 5xx, network, timeout: worth another try later. */
  | { ok: false; reason: 'failed'; code: string };

/**
 * Log context: what a call was for — the update being handled (`updateId`), or the outbox row being sent (`outboxRow`,
 * a send after the turn); and the chat (logged hashed). Fields not known are left out of the log line, never null.
 */
export interface CallContext {
  updateId?: number | null;
  outboxRow?: string;
  chatId?: string;
}

export interface TelegramSender {
  call(
    call: TelegramCall | { method: string; payload: Record<string, unknown> },
    context: CallContext,
  ): Promise<CallOutcome>;
}

export function createSender(deps: { api: BotApi; logger: Logger }): TelegramSender {
  const { api, logger } = deps;
  return {
    async call({ method, payload }, context) {
      const where = {
        ...(context.updateId == null ? {} : { updateId: context.updateId }),
        ...(context.outboxRow === undefined ? {} : { outboxRow: context.outboxRow }),
        ...(context.chatId === undefined ? {} : { chat: chatRef(context.chatId) }),
        method,
      };
      try {
        return { ok: true, result: await api.call(method, payload) };
      } catch (error) {
        const info = describeError(error);
        if (info.code === 429) {
          const waitSeconds = Math.max(1, info.retryAfter ?? 1);
          logger.warn({ ...where, errCode: 429, retryAfter: waitSeconds }, 'telegram rate limit');
          return { ok: false, reason: 'retryAfter', ms: waitSeconds * 1000 };
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
        const code = String(info.code ?? info.name);
        return info.code === 400 ? { ok: false, reason: 'refused', code } : { ok: false, reason: 'failed', code };
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
