// The OA webhook endpoint. Zalo wants a 200 within 2 seconds and does not redeliver what it got a 200 for, so the
// route stores the event (durably, in the database) before it answers; the bot's work (and its calls to Zalo) happens
// afterwards, from the store (src/conversation/inboundEvents.ts).
//   - no or malformed X-ZEvent-Signature header → 401 before the body is read (`authorize`), no effect
//   - body not JSON / not an event             → 400, no effect (there is no timestamp to check a mac with)
//   - wrong mac                                → 401, no effect
//   - signed, but stamped too long ago or too far ahead (a replayed capture) → 400, no effect, counted
//   - signed event                             → `accept(event)` (stored, or ignored when not for the bot), then 200;
//     a signed event whose fields fail its schema (an id over 64 characters...) is ignored, counted and warned about
//     too, but acknowledged: Zalo would resend a refused event unchanged (channel.ts, `accept`)
//   - the store failed                         → 503 (nothing acknowledged that is not stored)
// Bodies over the server's limit never get here (413). Nothing from the body or headers is logged.
import type { Logger } from '../../../conversation/ports.ts';
import { headerValue, type WebhookRoute } from '../../../http/routes.ts';
import { loggableError } from '../../../conversation/ports.ts';
import { EnvelopeSchema, eventTimestamp } from './inbound.ts';
import { SIGNATURE_HEADER, isWellFormedSignature, verifySignature } from './signature.ts';

export interface WebhookRejections {
  signature: number;
  malformed: number;
  /** Signed events stamped more than the allowed age ago. */
  stale: number;
  /** Signed events stamped further ahead than the allowed clock skew. */
  future: number;
  /** Events that could not be stored (503). */
  unstored: number;
}

/** Zalo's clock may run ahead of ours by this much; an event stamped further ahead is refused. */
export const MAX_FUTURE_SKEW_MS = 2 * 60_000;

export function createOaWebhookRoute(options: {
  path: string;
  appId: string;
  oaSecretKey: string;
  logger: Logger;
  /** Counts refused requests (for /healthz details). */
  rejected: WebhookRejections;
  /** Signed events stamped earlier than this before now are refused (ZALO_OA_EVENT_MAX_AGE_SECONDS), ms. */
  maxEventAgeMs: number;
  now: () => Date;
  /** Takes a signed, fresh event: resolves once it is stored (or known not to be for the bot); throws otherwise. */
  accept: (event: unknown) => Promise<void>;
}): WebhookRoute {
  const { logger, rejected } = options;
  if (!options.path.startsWith('/')) throw new Error('Zalo OA webhook path must start with "/"');
  if (options.appId === '' || options.oaSecretKey === '')
    throw new Error('Zalo OA webhook needs the app id and secret');

  return {
    method: 'POST',
    path: options.path,
    family: 'zalo-oa',
    // Before the body is read (src/http/server.ts): without a well-formed signature the body is never waited for.
    authorize(headers) {
      const signature = headerValue(headers, SIGNATURE_HEADER);
      if (isWellFormedSignature(signature)) return undefined;
      rejected.signature++;
      logger.warn({ present: signature !== undefined }, 'zalo oa webhook: missing or malformed signature');
      return { status: 401, body: { error: 'unauthorized' }, refused: 'signature' };
    },
    async handle({ headers, rawBody }) {
      const signature = headerValue(headers, SIGNATURE_HEADER);
      if (signature === undefined) {
        rejected.signature++;
        logger.warn({ present: false }, 'zalo oa webhook: missing signature');
        return { status: 401, body: { error: 'unauthorized' }, refused: 'signature' };
      }
      let event: unknown;
      try {
        event = JSON.parse(rawBody.toString('utf8'));
      } catch {
        rejected.malformed++;
        logger.warn({ bytes: rawBody.length }, 'zalo oa webhook: malformed JSON');
        return { status: 400, body: { error: 'malformed JSON' }, refused: 'json' };
      }
      const envelope = EnvelopeSchema.safeParse(event);
      if (!envelope.success) {
        rejected.malformed++;
        logger.warn({ bytes: rawBody.length }, 'zalo oa webhook: not an event');
        return { status: 400, body: { error: 'not an event' }, refused: 'shape' };
      }
      const timestamp = String(envelope.data.timestamp);
      if (!verifySignature(signature, options.appId, rawBody, timestamp, options.oaSecretKey)) {
        rejected.signature++;
        logger.warn({ present: true }, 'zalo oa webhook: wrong signature');
        return { status: 401, body: { error: 'unauthorized' }, refused: 'signature' };
      }
      // The signature covers the timestamp: a captured request replayed later keeps its old stamp. Zalo delivers
      // within seconds, so an old stamp is a replay (or a badly delayed delivery, which is as stale for a chat).
      const at = eventTimestamp(event);
      const now = options.now().getTime();
      if (at === null || now - at.getTime() > options.maxEventAgeMs) {
        rejected.stale++;
        logger.warn(
          { ageSeconds: at === null ? null : Math.round((now - at.getTime()) / 1000) },
          'zalo oa webhook: stale event refused',
        );
        return { status: 400, body: { error: 'stale event' }, refused: 'stale' };
      }
      if (at.getTime() - now > MAX_FUTURE_SKEW_MS) {
        rejected.future++;
        logger.warn(
          { aheadSeconds: Math.round((at.getTime() - now) / 1000) },
          'zalo oa webhook: event from the future refused',
        );
        return { status: 400, body: { error: 'event from the future' }, refused: 'future' };
      }
      try {
        await options.accept(event);
      } catch (error) {
        rejected.unstored++;
        logger.error({ err: loggableError(error) }, 'zalo oa webhook: event could not be stored');
        return { status: 503, body: { error: 'unavailable' }, refused: 'unstored' };
      }
      return { status: 200, body: { message: 'ok' } };
    },
  };
}
