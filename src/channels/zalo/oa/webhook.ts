// The OA webhook endpoint. Zalo wants a 200 within 2 seconds and redelivers otherwise, so the route only checks the
// request and hands the event over; the bot's work (and its calls to Zalo) happens after the answer.
//   - no X-ZEvent-Signature header             → 401, no effect
//   - body not JSON / not an event             → 400, no effect (there is no timestamp to check a mac with)
//   - wrong mac                                → 401, no effect
//   - signed event                             → 200, then `accept(event)`
// Bodies over the server's limit never get here (413). Nothing from the body or headers is logged.
import type { Logger } from '../../../conversation/ports.ts';
import { headerValue, type WebhookRoute } from '../../../http/routes.ts';
import { EnvelopeSchema } from './inbound.ts';
import { SIGNATURE_HEADER, isWellFormedSignature, verifySignature } from './signature.ts';

export interface WebhookRejections {
  signature: number;
  malformed: number;
}

export function createOaWebhookRoute(options: {
  path: string;
  appId: string;
  oaSecretKey: string;
  logger: Logger;
  /** Counts refused requests (for /healthz details). */
  rejected: WebhookRejections;
  /** Takes a signed event; must not throw and must not make the request wait. */
  accept: (event: unknown) => void;
}): WebhookRoute {
  const { logger, rejected } = options;
  if (!options.path.startsWith('/')) throw new Error('Zalo OA webhook path must start with "/"');
  if (options.appId === '' || options.oaSecretKey === '')
    throw new Error('Zalo OA webhook needs the app id and secret');

  return {
    method: 'POST',
    path: options.path,
    // Before the body is read (src/http/server.ts): without a well-formed signature the body is never waited for.
    authorize(headers) {
      const signature = headerValue(headers, SIGNATURE_HEADER);
      if (isWellFormedSignature(signature)) return undefined;
      rejected.signature++;
      logger.warn({ present: signature !== undefined }, 'zalo oa webhook: missing or malformed signature');
      return { status: 401, body: { error: 'unauthorized' } };
    },
    async handle({ headers, rawBody }) {
      const signature = headerValue(headers, SIGNATURE_HEADER);
      if (signature === undefined) {
        rejected.signature++;
        logger.warn({ present: false }, 'zalo oa webhook: missing signature');
        return { status: 401, body: { error: 'unauthorized' } };
      }
      let event: unknown;
      try {
        event = JSON.parse(rawBody.toString('utf8'));
      } catch {
        rejected.malformed++;
        logger.warn({ bytes: rawBody.length }, 'zalo oa webhook: malformed JSON');
        return { status: 400, body: { error: 'malformed JSON' } };
      }
      const envelope = EnvelopeSchema.safeParse(event);
      if (!envelope.success) {
        rejected.malformed++;
        logger.warn({ bytes: rawBody.length }, 'zalo oa webhook: not an event');
        return { status: 400, body: { error: 'not an event' } };
      }
      const timestamp = String(envelope.data.timestamp);
      if (!verifySignature(signature, options.appId, rawBody, timestamp, options.oaSecretKey)) {
        rejected.signature++;
        logger.warn({ present: true }, 'zalo oa webhook: wrong signature');
        return { status: 401, body: { error: 'unauthorized' } };
      }
      options.accept(event);
      return { status: 200, body: { message: 'ok' } };
    },
  };
}
