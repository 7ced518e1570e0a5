// The Bot Platform webhook as a framework-free route (mounted by src/http/server.ts).
// Zalo sends the secret given to setWebhook in X-Bot-Api-Secret-Token: compared in constant time; missing or wrong
// → 401 and no effect. Malformed JSON → 400. Anything else → 200 (an event we don't handle is ignored and counted
// by the channel, so Zalo does not redeliver it, and setWebhook's own test request passes). Bodies over the server's
// limit get 413 before reaching this route. Nothing here logs the body or the header's value.
import type { Logger } from '../../../conversation/ports.ts';
import { headerValue, type WebhookRoute } from '../../../http/routes.ts';
import { secretMatcher } from '../../shared/secret.ts';

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
  const { logger, processBody } = options;
  if (!isValidWebhookSecret(options.secret)) {
    throw new Error('Zalo Bot Platform webhook secret must be 8-256 visible ASCII characters');
  }
  if (!options.path.startsWith('/')) throw new Error('Zalo Bot Platform webhook path must start with "/"');
  const matches = secretMatcher(options.secret); // constant time

  return {
    method: 'POST',
    path: options.path,
    async handle({ headers, rawBody }) {
      const given = headerValue(headers, SECRET_HEADER);
      if (!matches(given)) {
        logger.warn({ present: given !== undefined }, 'zalo bot webhook: wrong or missing secret token');
        return { status: 401, body: { error: 'unauthorized' } };
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        logger.warn({ bytes: rawBody.length }, 'zalo bot webhook: malformed JSON');
        return { status: 400, body: { error: 'malformed JSON' } };
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        logger.warn({ bytes: rawBody.length }, 'zalo bot webhook: not an event object');
        return { status: 400, body: { error: 'not an event' } };
      }
      try {
        await processBody(body);
      } catch (error) {
        logger.error(
          { errName: error instanceof Error ? error.name : typeof error },
          'zalo bot webhook: event handling failed',
        );
      }
      return { status: 200, body: { ok: true } };
    },
  };
}
