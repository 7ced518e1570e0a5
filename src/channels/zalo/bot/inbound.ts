// A Bot Platform event (webhook body or getUpdates result) → what the channel should do with it. Pure: no I/O.
// Events are validated with zod (only the fields we read; unknown fields are kept, not rejected). The platform has no
// update_id: the message's own message_id is the de-duplication key.
import { startContent } from '../../shared/start.ts';
import { z } from 'zod';
import { platformId } from '../../shared/ids.ts';
import type { InboundContent, InboundMessage } from '../../../conversation/messages.ts';

export const TEXT_EVENT = 'message.text.received';
export const IMAGE_EVENT = 'message.image.received';
/** Zalo's docs: a message from a protected user (e.g. a child) whose content is withheld. */
export const WITHHELD_EVENT = 'message.unsupported.received';

/**
 * Ids become database keys (the handled mark): a string of at most 64 characters without control characters
 * (PostgreSQL refuses a NUL in text) or a safe integer, else refused.
 */
const IdSchema = z.union([platformId, z.number().int().safe()]).transform(String);

const MessageSchema = z.looseObject({
  message_id: IdSchema,
  chat: z.looseObject({ id: IdSchema, chat_type: z.string().max(32).optional() }),
  from: z.looseObject({ id: IdSchema.optional(), is_bot: z.boolean().optional() }).optional(),
  text: z.string().optional(),
  /** Image events: the picture's URL (photo_url in current payloads, photo in older ones). */
  photo_url: z.string().max(2048).optional(),
  photo: z.unknown().optional(),
  caption: z.string().optional(),
});

const EventSchema = z.looseObject({
  event_name: z.string().max(100).optional(),
  message: MessageSchema.optional(),
});

type ZaloBotMessage = z.infer<typeof MessageSchema>;

export type ZaloBotEvent =
  /** A message from a member in a private chat, ready for the gateway. */
  | { kind: 'message'; eventName: string; chatId: string; message: InboundMessage }
  /** Nothing to hand to the bot (counted by event name). */
  | { kind: 'ignored'; eventName: string; reason: string };

const START_COMMAND = /^\/start(?:\s|$)/i;
const MESSAGE_EVENT = /^message\.([a-z0-9_]+)\.received$/;

/** The event inside a body: webhooks and getUpdates wrap it as {ok:true, result:{...}}; some deliveries don't. */
export function unwrapEvent(body: unknown): unknown {
  if (isRecord(body) && body.ok === true && isRecord(body.result)) return body.result;
  return body;
}

/**
 * `eventName` of the result is the platform's own string (the channel turns an unknown one into "other" with
 * `eventLabel` before logging or counting it); `reason` is always one of this file's fixed phrases.
 */
export function parseEvent(body: unknown, receivedAt: Date): ZaloBotEvent {
  const raw = unwrapEvent(body);
  const rawName = isRecord(raw) && typeof raw.event_name === 'string' ? raw.event_name : undefined;
  const parsed = EventSchema.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'ignored', eventName: rawName ?? 'unknown', reason: 'unrecognised event shape' };
  }
  const { message } = parsed.data;
  const eventName = parsed.data.event_name ?? (message === undefined ? 'unknown' : inferEventName(message));
  if (message === undefined) return { kind: 'ignored', eventName, reason: 'event without a message' };
  if (message.chat.chat_type !== undefined && message.chat.chat_type.toUpperCase() !== 'PRIVATE') {
    const group = message.chat.chat_type.toUpperCase() === 'GROUP';
    return { kind: 'ignored', eventName, reason: group ? 'message in a group chat' : 'message in a non-private chat' };
  }
  if (message.from?.is_bot === true) return { kind: 'ignored', eventName, reason: 'message from a bot' };
  if (eventName === WITHHELD_EVENT) {
    // Zalo withholds the content of messages from protected users; the bot does not engage them in its flows.
    return { kind: 'ignored', eventName, reason: 'content withheld by Zalo' };
  }
  const content = contentOf(eventName, message);
  if (content === null) return { kind: 'ignored', eventName, reason: 'not a message event' };
  const chatId = message.chat.id;
  return {
    kind: 'message',
    eventName,
    chatId,
    message: { channel: 'zalobot', userId: chatId, messageId: message.message_id, content, receivedAt },
  };
}

function contentOf(eventName: string, message: ZaloBotMessage): InboundContent | null {
  if (eventName === TEXT_EVENT) {
    const text = message.text ?? '';
    const start = START_COMMAND.exec(text.trim());
    return start ? startContent(text.trim().slice(start[0].length)) : { kind: 'text', text };
  }
  if (eventName === IMAGE_EVENT) {
    const ref = imageUrl(message);
    if (ref === undefined) return { kind: 'unsupported', what: 'image without a URL' };
    const caption = message.caption?.trim() ?? '';
    return caption === '' ? { kind: 'photo', refs: [ref] } : { kind: 'photo', refs: [ref], caption };
  }
  // Stickers, voice messages and whatever Zalo adds next: the member gets the bot's "text and photos only" answer.
  const kind = MESSAGE_EVENT.exec(eventName)?.[1];
  return kind === undefined ? null : { kind: 'unsupported', what: kind };
}

function imageUrl(message: ZaloBotMessage): string | undefined {
  const candidates = [message.photo_url, typeof message.photo === 'string' ? message.photo : undefined];
  return candidates.map((url) => url?.trim()).find((url): url is string => url !== undefined && url !== '');
}

/** Event names the Bot Platform documents (and the message kinds it may add): logged as they are. */
const KNOWN_EVENT =
  /^message\.(text|image|sticker|voice|audio|video|file|gif|link|location|contact|unsupported)\.received$/;

/** An event name fit for logs and counters: a documented one as it is, anything else (platform-supplied) "other". */
export function eventLabel(eventName: string): string {
  return eventName === 'unknown' || KNOWN_EVENT.test(eventName) ? eventName : 'other';
}

/** getUpdates examples show results without event_name: name the event from the message's content. */
function inferEventName(message: ZaloBotMessage): string {
  if (message.text !== undefined) return TEXT_EVENT;
  if (message.photo_url !== undefined || message.photo !== undefined) return IMAGE_EVENT;
  return 'unknown';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
