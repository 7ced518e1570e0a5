// The typed client of the Zalo Official Account API v3 calls the bot makes: send a consultation ("cs") message, send a
// promotion message (a broadcast to a follower outside the messaging window) and upload an image. Every request body is checked against Zalo's documented limits before it leaves, and every
// answer is validated with zod; a non-zero `error` becomes a ZaloApiError of the right kind (see errors.ts).
// Requests carry the access token in the `access_token` header, never in the URL.
import { z } from 'zod';
import { requestJson, ZaloApiError, type FetchFn } from '../http.ts';
import { oaError } from './errors.ts';

/** Zalo's limits for a consultation message. */
export const LIMITS = {
  /** Characters of `message.text`. */
  text: 2000,
  /** Buttons in one message. */
  buttons: 5,
  /** Characters of a button title. */
  buttonTitle: 100,
  /** Characters of an `oa.query.*` button payload. */
  buttonPayload: 1000,
  /** Bytes of an uploaded image (jpg or png). */
  imageBytes: 1024 * 1024,
} as const;

/**
 * The button type that answers a choice. Zalo delivers a tap as a `user_send_text` event whose text is the payload.
 * `oa.query.hide` keeps that payload (the engine's opaque choice data, e.g. "4OTSSR-4|vi") out of the member's chat;
 * `oa.query.show` would print it there as if she had typed a code.
 */
export const CHOICE_BUTTON_TYPE = 'oa.query.hide';

const ButtonSchema = z.strictObject({
  title: z.string().min(1).max(LIMITS.buttonTitle),
  type: z.literal(CHOICE_BUTTON_TYPE),
  payload: z.string().min(1).max(LIMITS.buttonPayload),
});

const ImageElementSchema = z.union([
  z.strictObject({ media_type: z.literal('image'), url: z.url({ protocol: /^https?$/ }) }),
  z.strictObject({ media_type: z.literal('image'), attachment_id: z.string().min(1) }),
]);

const TextSchema = z.string().min(1).max(LIMITS.text);

export const OaMessageSchema = z.union([
  /** Plain text. */
  z.strictObject({ text: TextSchema }),
  /** Text with buttons: the text is the message's own `text`, the buttons a template attachment. */
  z.strictObject({
    text: TextSchema,
    attachment: z.strictObject({
      type: z.literal('template'),
      payload: z.strictObject({
        template_type: z.literal('button'),
        buttons: z.array(ButtonSchema).min(1).max(LIMITS.buttons),
      }),
    }),
  }),
  /** An image (by URL or uploaded attachment id), with an optional caption. */
  z.strictObject({
    text: TextSchema.optional(),
    attachment: z.strictObject({
      type: z.literal('template'),
      payload: z.strictObject({ template_type: z.literal('media'), elements: z.tuple([ImageElementSchema]) }),
    }),
  }),
]);

export type OaMessage = z.infer<typeof OaMessageSchema>;
export type OaButton = z.infer<typeof ButtonSchema>;

export const OaRecipientSchema = z.strictObject({
  user_id: z.string().min(1),
  /** The member's message this answers: Zalo then counts it as a (free) reply rather than a proactive message. */
  message_id: z.string().min(1).optional(),
});
export type OaRecipient = z.infer<typeof OaRecipientSchema>;

const SendRequestSchema = z.strictObject({ recipient: OaRecipientSchema, message: OaMessageSchema });
export type SendRequest = z.infer<typeof SendRequestSchema>;

/**
 * Zalo's limits for a promotion message ("tin truyền thông", /v3.0/oa/message/promotion; REFERENCE.md "Channels and
 * their rules"): an element-based body — a banner (an uploaded image), a header, text blocks — and buttons.
 */
export const PROMOTION_LIMITS = {
  /** Characters of the header element. */
  header: 100,
  /** Characters of one text element. */
  text: 1000,
  /** Elements in one message. */
  elements: 5,
  /** Buttons in one message. */
  buttons: 4,
} as const;

const Align = z.enum(['left', 'center', 'right']);
const PromotionElementSchema = z.union([
  z.strictObject({ type: z.literal('banner'), attachment_id: z.string().min(1) }),
  z.strictObject({ type: z.literal('banner'), image_url: z.url({ protocol: /^https?$/ }) }),
  z.strictObject({
    type: z.literal('header'),
    content: z.string().min(1).max(PROMOTION_LIMITS.header),
    align: Align.optional(),
  }),
  z.strictObject({
    type: z.literal('text'),
    content: z.string().min(1).max(PROMOTION_LIMITS.text),
    align: Align.optional(),
  }),
]);
export type PromotionElement = z.infer<typeof PromotionElementSchema>;

const PromotionRequestSchema = z.strictObject({
  recipient: z.strictObject({ user_id: z.string().min(1) }),
  message: z.strictObject({
    attachment: z.strictObject({
      type: z.literal('template'),
      payload: z.strictObject({
        template_type: z.literal('promotion'),
        language: z.enum(['VI', 'EN']).optional(),
        elements: z.array(PromotionElementSchema).min(1).max(PROMOTION_LIMITS.elements),
        buttons: z.array(ButtonSchema).min(1).max(PROMOTION_LIMITS.buttons).optional(),
      }),
    }),
  }),
});
export type PromotionRequest = z.infer<typeof PromotionRequestSchema>;

/** Every OA answer: `{error: 0, message: "Success", data}` or `{error: <negative code>, message}`. */
const Envelope = z.looseObject({
  error: z.number().int(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});
const SendData = z.looseObject({ message_id: z.string().min(1), user_id: z.string().optional() });
const UploadData = z.looseObject({ attachment_id: z.string().min(1) });

export interface OaApiOptions {
  /** Default https://openapi.zalo.me */
  apiBase: string;
  timeoutMs: number;
  fetch?: FetchFn;
}

export interface OaApi {
  /** POST /v3.0/oa/message/cs. Resolves with Zalo's id of the sent message. */
  sendMessage(accessToken: string, request: SendRequest): Promise<{ messageId: string }>;
  /**
   * POST /v3.0/oa/message/promotion: a promotion message to a follower outside the messaging window (the OA's quota,
   * 08:00-22:00, one a day per member: the callers' rules). Resolves with Zalo's id of the sent message.
   */
  sendPromotion(accessToken: string, request: PromotionRequest): Promise<{ messageId: string }>;
  /** POST /v2.0/oa/upload/image (multipart, field `file`, jpg/png ≤ 1 MB). Resolves with the attachment id. */
  uploadImage(
    accessToken: string,
    image: { bytes: Uint8Array; filename: string; contentType: string },
  ): Promise<{ attachmentId: string }>;
}

export const CALLS = {
  send: 'oa/message/cs',
  promotion: 'oa/message/promotion',
  upload: 'oa/upload/image',
} as const;

export function createOaApi(options: OaApiOptions): OaApi {
  const base = options.apiBase.replace(/\/+$/, '');
  const common = { timeoutMs: options.timeoutMs, schema: Envelope, ...(options.fetch ? { fetch: options.fetch } : {}) };

  function unwrap<S extends z.ZodType>(call: string, answer: z.infer<typeof Envelope>, data: S): z.infer<S> {
    if (answer.error !== 0) throw oaError(call, answer.error);
    const parsed = data.safeParse(answer.data);
    if (!parsed.success) throw new ZaloApiError('retry', call, 0, 'answer has an unexpected shape');
    return parsed.data;
  }

  return {
    async sendMessage(accessToken, request) {
      const checked = SendRequestSchema.safeParse(request);
      // Our own bug (render.ts keeps within the limits): refuse before Zalo does, and say which field.
      if (!checked.success) {
        const where = checked.error.issues[0]?.path.join('.') ?? '?';
        throw new ZaloApiError('config', CALLS.send, undefined, `request outside Zalo's limits at ${where}`);
      }
      const answer = await requestJson({
        ...common,
        call: CALLS.send,
        url: `${base}/v3.0/oa/message/cs`,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', access_token: accessToken },
          body: JSON.stringify(checked.data),
        },
      });
      return { messageId: unwrap(CALLS.send, answer, SendData).message_id };
    },

    async sendPromotion(accessToken, request) {
      const checked = PromotionRequestSchema.safeParse(request);
      if (!checked.success) {
        const where = checked.error.issues[0]?.path.join('.') ?? '?';
        throw new ZaloApiError('config', CALLS.promotion, undefined, `request outside Zalo's limits at ${where}`);
      }
      const answer = await requestJson({
        ...common,
        call: CALLS.promotion,
        url: `${base}/v3.0/oa/message/promotion`,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', access_token: accessToken },
          body: JSON.stringify(checked.data),
        },
      });
      return { messageId: unwrap(CALLS.promotion, answer, SendData).message_id };
    },

    async uploadImage(accessToken, image) {
      if (image.bytes.byteLength > LIMITS.imageBytes) {
        throw new ZaloApiError('config', CALLS.upload, undefined, 'image larger than 1 MB');
      }
      const form = new FormData();
      form.append('file', new Blob([image.bytes], { type: image.contentType }), image.filename);
      const answer = await requestJson({
        ...common,
        call: CALLS.upload,
        url: `${base}/v2.0/oa/upload/image`,
        init: { method: 'POST', headers: { access_token: accessToken }, body: form },
      });
      return { attachmentId: unwrap(CALLS.upload, answer, UploadData).attachment_id };
    },
  };
}
