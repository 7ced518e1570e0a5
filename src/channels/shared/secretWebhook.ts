// A webhook authenticated by a shared secret header (Telegram, Zalo Bot Platform): the secret is checked in constant
// time (missing or wrong → 401 and no effect), the body must be JSON of the platform's shape (else 400), then it is
// processed before answering 200. A failure while processing is logged and still answered 200, so the platform does
// not redeliver a poison update forever (the bot has already apologised to the member).
import type { Logger } from '../../conversation/ports.ts';
import { headerValue, type RequestHeaders, type WebhookRoute, type WebhookResponse } from '../../http/routes.ts';
import { secretMatcher } from './secret.ts';

export interface SecretWebhookOptions {
  /** For log lines: "telegram", "zalo bot". */
  name: string;
  path: string;
  /** Lower-case header name carrying the secret. */
  header: string;
  secret: string;
  logger: Logger;
  /** Is this parsed body one of the platform's updates? (else 400 with `notAccepted`) */
  accepts: (body: object) => boolean;
  notAccepted: string;
  process: (body: object) => Promise<void>;
  /** What to answer on success (Telegram: nothing, since a body with "method" would be run as an API call). */
  ok: WebhookResponse;
  /** Safe fields to log with a processing failure (ids, never texts). */
  logFields?: (body: object) => object;
}

export function createSecretWebhookRoute(o: SecretWebhookOptions): WebhookRoute {
  if (!o.path.startsWith('/')) throw new Error(`${o.name} webhook path must start with "/"`);
  const matches = secretMatcher(o.secret);
  const refusal = (headers: RequestHeaders): WebhookResponse | undefined => {
    const given = headerValue(headers, o.header);
    if (matches(given)) return undefined;
    o.logger.warn({ present: given !== undefined }, `${o.name} webhook: wrong or missing secret token`);
    return { status: 401, body: { error: 'unauthorized' }, refused: 'secret' };
  };
  return {
    method: 'POST',
    path: o.path,
    family: o.name.replace(/\s+/g, '-'), // "telegram", "zalo-bot"
    // Before the body is read (src/http/server.ts); `handle` checks again for a server that does not call it.
    authorize: refusal,
    async handle({ headers, rawBody }) {
      const refused = refusal(headers);
      if (refused !== undefined) return refused;
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        o.logger.warn({ bytes: rawBody.length }, `${o.name} webhook: malformed JSON`);
        return { status: 400, body: { error: 'malformed JSON' }, refused: 'json' };
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body) || !o.accepts(body)) {
        o.logger.warn({ bytes: rawBody.length }, `${o.name} webhook: ${o.notAccepted}`);
        return { status: 400, body: { error: o.notAccepted }, refused: 'shape' };
      }
      try {
        await o.process(body);
      } catch (error) {
        o.logger.error(
          { ...o.logFields?.(body), errName: error instanceof Error ? error.name : typeof error },
          `${o.name} webhook: processing failed`,
        );
      }
      return o.ok;
    },
  };
}

/** The URL given to setWebhook: `publicUrl`, with `path` appended when publicUrl is a bare origin. */
export function webhookUrl(publicUrl: string, path: string): string {
  const url = new URL(publicUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = path;
  return url.toString();
}
