// Sending one call to a member: transient failures (network, timeout, 5xx, 429) are retried a few times with a
// growing pause; a member out of reach and a configuration problem are reported at once, never retried.
// Logs carry the method, the error kind and code, Zalo's description and a hash of the chat id: never the text.
import { createHash } from 'node:crypto';
import type { Logger } from '../../../conversation/ports.ts';
import { ZaloApiError } from '../http.ts';
import { DEFAULT_RETRY, withRetries, type RetryPolicy, type Sleep } from '../retry.ts';
import type { ZaloBotClient } from './client.ts';
import type { ZaloBotCall } from './render.ts';

export type { RetryPolicy, Sleep } from '../retry.ts';
export { defaultSleep, DEFAULT_RETRY } from '../retry.ts';

export type SendOutcome = 'sent' | 'unreachable' | 'config' | 'failed';

export interface ZaloBotSender {
  send(call: ZaloBotCall): Promise<SendOutcome>;
}

export function createSender(deps: {
  client: ZaloBotClient;
  logger: Logger;
  sleep: Sleep;
  retry?: Partial<RetryPolicy>;
}): ZaloBotSender {
  const { client, logger, sleep } = deps;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...deps.retry };

  function perform(call: ZaloBotCall): Promise<void> {
    switch (call.method) {
      case 'sendMessage':
        return client.sendMessage(call.payload.chat_id, call.payload.text);
      case 'sendPhoto':
        return client.sendPhoto(call.payload.chat_id, call.payload.photo, call.payload.caption);
    }
  }

  return {
    async send(call) {
      const where = { method: call.method, chat: chatRef(call.payload.chat_id) };
      let attempt = 1;
      try {
        await withRetries(() => perform(call), {
          policy: retry,
          sleep,
          onRetry: (error, failed) => {
            attempt = failed + 1;
            logger.warn({ ...where, ...describeFailure(error), attempt: failed }, 'zalo bot: send failed, retrying');
          },
        });
        return 'sent';
      } catch (error) {
        const info = describeFailure(error);
        const fields = { ...where, ...info, attempt };
        if (info.kind === 'unreachable') {
          logger.info(fields, 'zalo bot: member out of reach');
          return 'unreachable';
        }
        if (info.kind === 'config') {
          logger.error(fields, 'zalo bot: call refused (token or request problem)');
          return 'config';
        }
        logger.error(fields, 'zalo bot: send failed, giving up');
        return 'failed';
      }
    },
  };
}

/** Log fields of a failure: kind, code and Zalo's description (ZaloApiError never carries the URL or payload). */
export function describeFailure(error: unknown): { kind: string; errCode?: number | string; description?: string } {
  if (error instanceof ZaloApiError) {
    const description = error.message.slice(error.call.length + 2);
    return error.code === undefined
      ? { kind: error.kind, description }
      : { kind: error.kind, errCode: error.code, description };
  }
  return { kind: 'unexpected', description: error instanceof Error ? error.name : typeof error };
}

/** A stable, non-reversible-at-a-glance reference to a chat for logs. */
export function chatRef(chatId: string): string {
  return createHash('sha256').update(`zalobot:${chatId}`).digest('hex').slice(0, 12);
}
