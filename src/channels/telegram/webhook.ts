// The Telegram webhook endpoint: secret check (constant time), JSON parse, then the update is processed before
// answering 200. A failure while processing still answers 200, so Telegram does not redeliver a poison update forever.
import type { Logger } from '../../conversation/ports.ts';
import type { WebhookRoute } from '../../http/routes.ts';
import { secretMatcher } from '../shared/secret.ts';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Telegram's rule for secret_token: 1-256 characters, A-Z a-z 0-9 _ and -. */
const SECRET_FORMAT = /^[A-Za-z0-9_-]{1,256}$/;

export function isValidWebhookSecret(secret: string): boolean {
  return SECRET_FORMAT.test(secret);
}

export function createWebhookRoute(options: {
  path: string;
  secret: string;
  logger: Logger;
  processUpdate: (update: unknown) => Promise<void>;
}): WebhookRoute {
  const { logger, processUpdate } = options;
  if (!isValidWebhookSecret(options.secret)) {
    throw new Error('Telegram webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ or -');
  }
  if (!options.path.startsWith('/')) throw new Error('Telegram webhook path must start with "/"');
  const matches = secretMatcher(options.secret); // constant time

  return {
    method: 'POST',
    path: options.path,
    async handle({ headers, rawBody }) {
      const given = headers[SECRET_HEADER];
      if (!matches(typeof given === 'string' ? given : undefined)) {
        logger.warn({ present: given !== undefined }, 'telegram webhook: wrong or missing secret token');
        return { status: 401, body: { error: 'unauthorized' } };
      }
      let update: unknown;
      try {
        update = JSON.parse(rawBody.toString('utf8'));
      } catch {
        logger.warn({ bytes: rawBody.length }, 'telegram webhook: malformed JSON');
        return { status: 400, body: { error: 'malformed JSON' } };
      }
      if (
        typeof update !== 'object' ||
        update === null ||
        typeof (update as { update_id?: unknown }).update_id !== 'number'
      ) {
        logger.warn({ bytes: rawBody.length }, 'telegram webhook: not an update');
        return { status: 400, body: { error: 'not an update' } };
      }
      try {
        await processUpdate(update);
      } catch (error) {
        logger.error(
          {
            updateId: (update as { update_id: number }).update_id,
            errName: error instanceof Error ? error.name : typeof error,
          },
          'telegram webhook: update failed',
        );
      }
      // Empty body: a JSON body with a "method" field would be executed by Telegram as an API call.
      return { status: 200 };
    },
  };
}
