// The Bot Platform webhook as a framework-free route (mounted by src/http/server.ts).
// Zalo sends the secret given to setWebhook in X-Bot-Api-Secret-Token: compared in constant time; missing or wrong
// → 401 and no effect. Malformed JSON → 400. Anything else → 200 (an event we don't handle is ignored and counted
// by the channel, so Zalo does not redeliver it, and setWebhook's own test request passes). Bodies over the server's
// limit get 413 before reaching this route. Nothing here logs the body or the header's value.
import type { Logger } from '../../../conversation/ports.ts';
import type { WebhookRoute } from '../../../http/routes.ts';
import { createSecretWebhookRoute } from '../../shared/secretWebhook.ts';

export const SECRET_HEADER = 'x-bot-api-secret-token';

/** Zalo's rule for secret_token: 8-256 characters; we also require visible ASCII (it travels in a header). */
const SECRET_FORMAT = /^[\x21-\x7e]{8,256}$/;

export function isValidWebhookSecret(secret: string): boolean {
  return SECRET_FORMAT.test(secret);
}

export function createWebhookRoute(options: {
  path: string;
  secret: string;
  logger: Logger;
  /** Handles one parsed body; should not throw (a throw is logged and still answered 200). */
  processBody: (body: unknown) => Promise<void>;
}): WebhookRoute {
  if (!isValidWebhookSecret(options.secret)) {
    throw new Error('Zalo Bot Platform webhook secret must be 8-256 visible ASCII characters');
  }
  return createSecretWebhookRoute({
    name: 'zalo bot',
    path: options.path,
    header: SECRET_HEADER,
    secret: options.secret,
    logger: options.logger,
    // Any object: an event we don't handle is ignored and counted by the channel, and setWebhook's test passes.
    accepts: () => true,
    notAccepted: 'not an event',
    process: options.processBody,
    ok: { status: 200, body: { ok: true } },
  });
}
