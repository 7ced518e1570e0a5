// A typed client for the Zalo Bot Platform API: POST https://<apiBase>/bot<TOKEN>/<method> with a JSON body, answers
// {ok, result, error_code, description} validated with zod. The URL carries the token, so it never leaves this file:
// errors name the method only (ZaloApiError.call = "bot/<method>") and Zalo's descriptions are scrubbed of the token.
import { z } from 'zod';
import { requestJson, ZaloApiError, type FetchFn } from '../http.ts';
import { classifyFailure, scrubToken } from './errors.ts';

export const DEFAULT_API_BASE = 'https://bot-api.zaloplatforms.com';
/** Default timeout of one call (getUpdates gets its long-polling time on top). */
export const DEFAULT_TIMEOUT_MS = 10_000;

const IdSchema = z.union([z.string(), z.number()]).transform(String);
const CodeSchema = z
  .union([z.number(), z.string()])
  .transform((code) => (typeof code === 'number' ? code : Number.parseInt(code, 10)))
  .transform((code) => (Number.isFinite(code) ? code : undefined));

const EnvelopeSchema = z.looseObject({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: CodeSchema.optional(),
  description: z.string().optional(),
});

const BotInfoSchema = z.looseObject({
  id: IdSchema,
  account_name: z.string().optional(),
  account_type: z.string().optional(),
});

const WebhookInfoSchema = z
  .looseObject({
    url: z.string().optional(),
    /** setWebhook: Zalo calls the URL once and reports how that went. */
    verification: z
      .looseObject({ ok: z.boolean().optional(), outcome: z.string().optional(), hint: z.string().optional() })
      .optional(),
  })
  .nullish();

/** One update, read by inbound.ts; absent when the long poll ended empty. */
const UpdateSchema = z.record(z.string(), z.unknown()).nullish();

const SentSchema = z.looseObject({ message_id: IdSchema.optional() }).nullish();

export type BotInfo = z.infer<typeof BotInfoSchema>;
export type WebhookInfo = NonNullable<z.infer<typeof WebhookInfoSchema>>;

export interface ZaloBotClientOptions {
  token: string;
  /** e.g. https://bot-api.zaloplatforms.com (no trailing path), or a proxy / a test fake. */
  apiBase?: string;
  timeoutMs?: number;
  fetch?: FetchFn;
}

export interface ZaloBotClient {
  getMe(): Promise<BotInfo>;
  /**
   * One long poll: the next update (raw, for inbound.ts to read) or null when none arrived in `timeoutSeconds`.
   * The platform returns one update per call and has no offset: an update is consumed once returned.
   */
  getUpdates(options: { timeoutSeconds: number; signal?: AbortSignal }): Promise<Record<string, unknown> | null>;
  setWebhook(url: string, secretToken: string): Promise<WebhookInfo>;
  deleteWebhook(): Promise<void>;
  sendMessage(chatId: string, text: string): Promise<void>;
  sendPhoto(chatId: string, photo: string, caption?: string): Promise<void>;
}

export function createZaloBotClient(options: ZaloBotClientOptions): ZaloBotClient {
  const { token } = options;
  if (token === '' || /[\s/?#]/.test(token)) throw new Error('Zalo Bot Platform token is empty or malformed');
  const base = apiBaseUrl(options.apiBase ?? DEFAULT_API_BASE);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call<S extends z.ZodType>(
    method: string,
    payload: Record<string, unknown>,
    schema: S,
    extra: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<z.infer<S>> {
    const init: RequestInit = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    };
    if (extra.signal !== undefined) init.signal = extra.signal;
    // requestJson's own errors name the call, never the URL.
    const envelope = await requestJson({
      call: `bot/${method}`,
      url: `${base}/bot${token}/${method}`,
      init,
      schema: EnvelopeSchema,
      timeoutMs: extra.timeoutMs ?? timeoutMs,
      readErrorBody: true,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    if (!envelope.ok) {
      const description = envelope.description === undefined ? undefined : scrubToken(envelope.description, token);
      throw classifyFailure(method, envelope.error_code, description);
    }
    const result = schema.safeParse(envelope.result);
    if (!result.success) throw new ZaloApiError('retry', `bot/${method}`, undefined, 'result has an unexpected shape');
    return result.data;
  }

  return {
    getMe: () => call('getMe', {}, BotInfoSchema),

    async getUpdates({ timeoutSeconds, signal }) {
      try {
        const update = await call('getUpdates', { timeout: String(timeoutSeconds) }, UpdateSchema, {
          timeoutMs: timeoutSeconds * 1000 + timeoutMs,
          ...(signal === undefined ? {} : { signal }),
        });
        return update ?? null;
      } catch (error) {
        // 408: the long poll ended without an update (the normal case when nobody writes).
        if (error instanceof ZaloApiError && error.code === 408) return null;
        throw error;
      }
    },

    async setWebhook(url, secretToken) {
      return (await call('setWebhook', { url, secret_token: secretToken }, WebhookInfoSchema)) ?? {};
    },

    async deleteWebhook() {
      await call('deleteWebhook', {}, WebhookInfoSchema);
    },

    async sendMessage(chatId, text) {
      await call('sendMessage', { chat_id: chatId, text }, SentSchema);
    },

    async sendPhoto(chatId, photo, caption) {
      const payload = caption === undefined ? { chat_id: chatId, photo } : { chat_id: chatId, photo, caption };
      // Zalo downloads the photo before answering: allow it more time than a text.
      await call('sendPhoto', payload, SentSchema, { timeoutMs: timeoutMs * 3 });
    },
  };
}

function apiBaseUrl(apiBase: string): string {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    throw new Error('Zalo Bot Platform API base is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('Zalo Bot Platform API base must be an http(s) URL');
  }
  if (url.search !== '' || url.hash !== '') throw new Error('Zalo Bot Platform API base must not have a query');
  return url.toString().replace(/\/+$/, '');
}
