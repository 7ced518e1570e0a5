// Zalo OA webhook event → what the channel should do with it. Pure: no I/O.
// Events are validated with zod (only the fields we read; unknown fields are kept, not rejected). Ids are strings.
import { z } from 'zod';
import { platformId } from '../../shared/ids.ts';
import type { InboundContent, InboundMessage } from '../../../conversation/messages.ts';

/** What every event has: its name and Zalo's timestamp (milliseconds, sent as a string). */
export const EnvelopeSchema = z.looseObject({
  event_name: z.string().min(1).max(100),
  timestamp: z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]),
  app_id: z.string().optional(),
});

// Ids become database keys (see platformId).
const Id = platformId;
const UserSendText = z.looseObject({
  sender: z.looseObject({ id: Id }),
  message: z.looseObject({ msg_id: Id, text: z.string() }),
});
const UserSendImage = z.looseObject({
  sender: z.looseObject({ id: Id }),
  message: z.looseObject({
    msg_id: Id,
    text: z.string().optional(),
    attachments: z
      .array(z.looseObject({ type: z.string(), payload: z.looseObject({ url: z.string().min(1).optional() }) }))
      .min(1),
  }),
});
/** Other things a member can send: stickers, voice, files... (answered "I can only read text and photos"). */
const UserSendOther = z.looseObject({ sender: z.looseObject({ id: Id }), message: z.looseObject({ msg_id: Id }) });
const Follow = z.looseObject({ follower: z.looseObject({ id: Id }) });
/** The member asks the OA to delete her data. Zalo names the user as `follower`, `sender` or `user_id`. */
const Withdraw = z
  .looseObject({
    follower: z.looseObject({ id: Id }).optional(),
    sender: z.looseObject({ id: Id }).optional(),
    user_id: Id.optional(),
  })
  .transform((e) => e.follower?.id ?? e.sender?.id ?? e.user_id)
  .pipe(Id);

/** Member messages other than text and image that get the "unsupported" answer, by event name. */
const OTHER_MESSAGES: Record<string, string> = {
  user_send_sticker: 'sticker',
  user_send_gif: 'gif',
  user_send_audio: 'voice',
  user_send_video: 'video',
  user_send_file: 'file',
  user_send_location: 'location',
  user_send_link: 'link',
  user_send_business_card: 'business_card',
};

export type OaEvent =
  /** Something to hand to the bot; `replyTo` is the member's msg_id (replies quote it, so they are free replies). */
  | { kind: 'message'; eventName: string; userId: string; message: InboundMessage; replyTo?: string }
  /** The member unfollowed the OA: she can no longer be messaged. */
  | { kind: 'unfollow'; eventName: string; userId: string; eventId: string }
  /** The member asked for her data to be erased. */
  | { kind: 'withdraw'; eventName: string; userId: string; eventId: string }
  /**
   * Not for the bot (OA-side echoes, delivery/seen receipts, anonymous chats, unknown events...), or (`malformed`) an
   * event the bot handles whose fields fail its schema (a missing field, an id over 64 characters...).
   */
  | { kind: 'ignored'; eventName: string; reason: string; malformed?: true };

/**
 * `raw` has passed the signature check. `recognise` tells a button tap (returns its data) from typed text (null).
 * `now` is used when the event's own timestamp is unusable.
 */
export function parseEvent(
  raw: unknown,
  now: Date,
  recognise: (userId: string, text: string) => string | null,
): OaEvent {
  const envelope = EnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { kind: 'ignored', eventName: 'unknown', reason: 'not an event' };
  const eventName = envelope.data.event_name;
  const timestamp = String(envelope.data.timestamp);
  const at = eventTime(timestamp, now);
  const invalid = (): OaEvent => ({
    kind: 'ignored',
    eventName,
    reason: `${eventName} without the expected fields`,
    malformed: true,
  });

  switch (eventName) {
    case 'user_send_text': {
      const event = UserSendText.safeParse(raw);
      if (!event.success) return invalid();
      const { sender, message } = event.data;
      const data = recognise(sender.id, message.text);
      const content: InboundContent = data === null ? { kind: 'text', text: message.text } : { kind: 'choice', data };
      return messageEvent(eventName, sender.id, message.msg_id, content, at, message.msg_id);
    }
    case 'user_send_image': {
      const event = UserSendImage.safeParse(raw);
      if (!event.success) return invalid();
      const { sender, message } = event.data;
      // Several photos sent together come as one event: one message with all of them.
      const urls = message.attachments.flatMap((a) => (a.payload.url === undefined ? [] : [a.payload.url]));
      if (urls.length === 0) return invalid();
      const caption = message.text?.trim() ?? '';
      const content: InboundContent =
        caption === '' ? { kind: 'photo', refs: urls } : { kind: 'photo', refs: urls, caption };
      return messageEvent(eventName, sender.id, message.msg_id, content, at, message.msg_id);
    }
    case 'follow': {
      const event = Follow.safeParse(raw);
      if (!event.success) return invalid();
      const userId = event.data.follower.id;
      return messageEvent(eventName, userId, stableId(eventName, userId, timestamp), { kind: 'start' }, at);
    }
    case 'unfollow': {
      const event = Follow.safeParse(raw);
      if (!event.success) return invalid();
      const userId = event.data.follower.id;
      return { kind: 'unfollow', eventName, userId, eventId: stableId(eventName, userId, timestamp) };
    }
    case 'user_withdraw': {
      const event = Withdraw.safeParse(raw);
      if (!event.success) return invalid();
      const userId = event.data;
      return { kind: 'withdraw', eventName, userId, eventId: stableId(eventName, userId, timestamp) };
    }
    default: {
      const what = OTHER_MESSAGES[eventName];
      if (what === undefined) return { kind: 'ignored', eventName, reason: 'event not handled' };
      const event = UserSendOther.safeParse(raw);
      if (!event.success) return invalid();
      const { sender, message } = event.data;
      return messageEvent(eventName, sender.id, message.msg_id, { kind: 'unsupported', what }, at, message.msg_id);
    }
  }
}

/** Event names Zalo documents for an OA webhook: logged and counted as they are; any other name as "other". */
const KNOWN_EVENTS = new Set([
  'user_send_text',
  'user_send_image',
  ...Object.keys(OTHER_MESSAGES),
  'follow',
  'unfollow',
  'user_withdraw',
  'user_seen_message',
  'user_received_message',
  'user_reacted_message',
  'user_click_chatnow',
  'user_submit_info',
  'user_asking_product',
  'user_feedback',
  'user_out_of_zalo',
  'user_reply_consent',
  'oa_send_text',
  'oa_send_image',
  'oa_send_gif',
  'oa_send_list',
  'oa_send_file',
  'oa_send_sticker',
  'oa_send_template',
  'oa_send_consent',
  'oa_reacted_message',
  'anonymous_send_text',
  'anonymous_send_image',
  'anonymous_send_file',
  'anonymous_send_sticker',
  'add_user_to_tag',
  'shop_has_order',
  'change_oa_daily_quota',
  'change_oa_template_tags',
  'change_template_quality',
  'change_template_quota',
  'change_template_status',
]);

/** An event name fit for logs and counters: a known one as it is, anything else (platform-supplied text) "other". */
export function eventLabel(eventName: string): string {
  return KNOWN_EVENTS.has(eventName) ? eventName : 'other';
}

/**
 * What is stored of an event until it is handled (InboundEvent.payload): only the fields `parseEvent` reads, so
 * nothing else the platform sends is kept. `parseEvent(minimalEvent(raw))` equals `parseEvent(raw)`.
 */
export function minimalEvent(raw: unknown): Record<string, unknown> {
  const r = record(raw);
  const pickId = (v: unknown) => (record(v).id === undefined ? undefined : { id: record(v).id });
  const message = record(r.message);
  const attachments = Array.isArray(message.attachments)
    ? message.attachments.map((a) => {
        const payload = record(record(a).payload);
        return { type: record(a).type, payload: payload.url === undefined ? {} : { url: payload.url } };
      })
    : undefined;
  const minimal: Record<string, unknown> = {
    event_name: r.event_name,
    timestamp: r.timestamp,
    sender: pickId(r.sender),
    follower: pickId(r.follower),
    user_id: r.user_id,
    message:
      r.message === undefined
        ? undefined
        : { msg_id: message.msg_id, text: message.text, ...(attachments ? { attachments } : {}) },
  };
  return Object.fromEntries(Object.entries(minimal).filter(([, v]) => v !== undefined));
}

/** The platform's time of an event (Zalo's timestamp, ms), or null when it is not a plausible number. */
export function eventTimestamp(raw: unknown): Date | null {
  const ms = Number(record(raw).timestamp);
  return Number.isSafeInteger(ms) && ms > 0 ? new Date(ms) : null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Events without a msg_id (follow, unfollow, withdraw): a redelivery carries the same name, user and timestamp. */
export function stableId(eventName: string, userId: string, timestamp: string): string {
  return `${eventName}:${userId}:${timestamp}`;
}

function messageEvent(
  eventName: string,
  userId: string,
  messageId: string,
  content: InboundContent,
  receivedAt: Date,
  replyTo?: string,
): OaEvent {
  const message: InboundMessage = { channel: 'zalo', userId, messageId, content, receivedAt };
  return replyTo === undefined
    ? { kind: 'message', eventName, userId, message }
    : { kind: 'message', eventName, userId, message, replyTo };
}

/** When the member acted (Zalo's timestamp, so a redelivery an hour later keeps its time); `now` if implausible. */
function eventTime(timestamp: string, now: Date): Date {
  const ms = Number(timestamp);
  const plausible = Number.isSafeInteger(ms) && ms > Date.UTC(2015, 0, 1) && ms < now.getTime() + 86_400_000;
  return plausible ? new Date(ms) : now;
}
