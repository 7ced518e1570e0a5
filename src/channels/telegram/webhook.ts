// The Telegram webhook endpoint: secret check (constant time), JSON parse, then the update is processed before
// answering 200. A failure while processing still answers 200, so Telegram does not redeliver a poison update forever.
import type { Logger } from '../../conversation/ports.ts';
import type { WebhookRoute } from '../../http/routes.ts';
import { createSecretWebhookRoute } from '../shared/secretWebhook.ts';

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
  if (!isValidWebhookSecret(options.secret)) {
    throw new Error('Telegram webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ or -');
  }
  return createSecretWebhookRoute({
    name: 'telegram',
    path: options.path,
    header: SECRET_HEADER,
    secret: options.secret,
    logger: options.logger,
    accepts: (body) => typeof (body as { update_id?: unknown }).update_id === 'number',
    notAccepted: 'not an update',
    process: options.processUpdate,
    // Empty body: a JSON body with a "method" field would be executed by Telegram as an API call.
    ok: { status: 200 },
    logFields: (body) => ({ updateId: (body as { update_id: number }).update_id }),
  });
}
