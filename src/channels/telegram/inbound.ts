// Telegram update → what the channel should do with it. Pure: no I/O, no telegraf.
// Updates are validated with zod (only the fields we read; unknown fields are kept, not rejected).
import { z } from 'zod';
import type { InboundContent, InboundMessage } from '../../conversation/messages.ts';

/** The update types the bot asks Telegram for (setWebhook / getUpdates `allowed_updates`). */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

const ChatSchema = z.looseObject({ id: z.number().int(), type: z.string() });
const UserSchema = z.looseObject({ id: z.number().int(), language_code: z.string().optional() });
const PhotoSizeSchema = z.looseObject({ file_id: z.string(), width: z.number(), height: z.number() });
const InlineButtonSchema = z.looseObject({ text: z.string(), callback_data: z.string().optional() });
export const InlineKeyboardMarkupSchema = z.looseObject({ inline_keyboard: z.array(z.array(InlineButtonSchema)) });
const MessageSchema = z.looseObject({
  message_id: z.number().int(),
  chat: ChatSchema,
  from: UserSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(PhotoSizeSchema).optional(),
  reply_markup: InlineKeyboardMarkupSchema.optional(),
});
const CallbackQuerySchema = z.looseObject({
  id: z.string(),
  from: UserSchema,
  /** Absent for buttons under inline-mode messages; an "inaccessible message" (date 0, no text) when too old. */
  message: MessageSchema.optional(),
  /** Absent for game buttons. */
  data: z.string().optional(),
});
const ChatMemberUpdatedSchema = z.looseObject({
  chat: ChatSchema,
  new_chat_member: z.looseObject({ status: z.string() }),
});
export const UpdateSchema = z.looseObject({
  update_id: z.number().int(),
  message: MessageSchema.optional(),
  callback_query: CallbackQuerySchema.optional(),
  my_chat_member: ChatMemberUpdatedSchema.optional(),
});

export type InlineKeyboardMarkup = z.infer<typeof InlineKeyboardMarkupSchema>;

/** The bot's own message under which a button was tapped (as Telegram sent it back with the tap). */
export interface TappedMessage {
  messageId: number;
  text?: string;
  replyMarkup?: InlineKeyboardMarkup;
}

export type TelegramEvent =
  /** A message from a member in a private chat. */
  | { kind: 'message'; updateId: number; chatId: string; message: InboundMessage }
  /** A button tap in a private chat (the callback query must be answered). */
  | {
      kind: 'tap';
      updateId: number;
      chatId: string;
      callbackQueryId: string;
      data: string;
      tapped?: TappedMessage;
      message: InboundMessage;
    }
  /** The member blocked the bot (my_chat_member → kicked in a private chat). */
  | { kind: 'blocked'; updateId: number; chatId: string }
  /** Nothing to hand to the bot; a callback query in it must still be answered. */
  | { kind: 'ignored'; updateId: number | null; reason: string; callbackQueryId?: string };

/**
 * Message fields that mean "a kind of content the bot does not read", checked in this order
 * (an animation also carries `document`, so it comes first).
 */
const UNSUPPORTED_CONTENT = [
  'sticker',
  'voice',
  'video_note',
  'animation',
  'video',
  'audio',
  'document',
  'location',
  'venue',
  'contact',
  'poll',
  'dice',
  'game',
  'story',
  'paid_media',
  'invoice',
] as const;

const START_COMMAND = /^\/start(?:@\w+)?(?:\s|$)/;

/** `messageId` for an update: a redelivered update carries the same update_id, so the gateway sees it twice. */
export function messageIdFor(updateId: number): string {
  return `u${updateId}`;
}

export function parseUpdate(raw: unknown, receivedAt: Date): TelegramEvent {
  const parsed = UpdateSchema.safeParse(raw);
  if (!parsed.success) {
    const updateId = isRecord(raw) && typeof raw.update_id === 'number' ? raw.update_id : null;
    const callbackQueryId =
      isRecord(raw) && isRecord(raw.callback_query) && typeof raw.callback_query.id === 'string'
        ? raw.callback_query.id
        : undefined;
    return {
      kind: 'ignored',
      updateId,
      reason: 'unrecognised update shape',
      ...(callbackQueryId === undefined ? {} : { callbackQueryId }),
    };
  }
  const update = parsed.data;
  const updateId = update.update_id;
  const messageId = messageIdFor(updateId);

  if (update.message) {
    const msg = update.message;
    if (msg.chat.type !== 'private') return { kind: 'ignored', updateId, reason: `message in a ${msg.chat.type} chat` };
    const chatId = String(msg.chat.id);
    return {
      kind: 'message',
      updateId,
      chatId,
      message: inbound(chatId, messageId, contentOf(msg), msg.from?.language_code, receivedAt),
    };
  }

  if (update.callback_query) {
    const query = update.callback_query;
    const callbackQueryId = query.id;
    if (query.message === undefined)
      return { kind: 'ignored', updateId, reason: 'tap without a chat message', callbackQueryId };
    if (query.message.chat.type !== 'private') {
      return { kind: 'ignored', updateId, reason: `tap in a ${query.message.chat.type} chat`, callbackQueryId };
    }
    if (query.data === undefined) return { kind: 'ignored', updateId, reason: 'tap without data', callbackQueryId };
    const chatId = String(query.message.chat.id);
    const tapped: TappedMessage = { messageId: query.message.message_id };
    if (query.message.text !== undefined) tapped.text = query.message.text;
    if (query.message.reply_markup !== undefined) tapped.replyMarkup = query.message.reply_markup;
    return {
      kind: 'tap',
      updateId,
      chatId,
      callbackQueryId,
      data: query.data,
      tapped,
      message: inbound(chatId, messageId, { kind: 'choice', data: query.data }, query.from.language_code, receivedAt),
    };
  }

  if (update.my_chat_member) {
    const change = update.my_chat_member;
    if (change.chat.type === 'private' && change.new_chat_member.status === 'kicked') {
      return { kind: 'blocked', updateId, chatId: String(change.chat.id) };
    }
    return {
      kind: 'ignored',
      updateId,
      reason: `membership change to ${change.new_chat_member.status} in a ${change.chat.type} chat`,
    };
  }

  const type = Object.keys(update).find((key) => key !== 'update_id') ?? 'empty';
  return { kind: 'ignored', updateId, reason: `update type ${type}` };
}

function contentOf(msg: z.infer<typeof MessageSchema>): InboundContent {
  if (msg.text !== undefined) {
    return START_COMMAND.test(msg.text) ? { kind: 'start' } : { kind: 'text', text: msg.text };
  }
  if (msg.photo !== undefined && msg.photo.length > 0) {
    const largest = msg.photo.reduce((best, size) =>
      size.width * size.height >= best.width * best.height ? size : best,
    );
    return msg.caption === undefined
      ? { kind: 'photo', ref: largest.file_id }
      : { kind: 'photo', ref: largest.file_id, caption: msg.caption };
  }
  const what = UNSUPPORTED_CONTENT.find((key) => msg[key] !== undefined) ?? 'other';
  return { kind: 'unsupported', what };
}

function inbound(
  chatId: string,
  messageId: string,
  content: InboundContent,
  languageHint: string | undefined,
  receivedAt: Date,
): InboundMessage {
  const message: InboundMessage = { channel: 'telegram', userId: chatId, messageId, content, receivedAt };
  if (languageHint !== undefined && languageHint !== '') message.languageHint = languageHint;
  return message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
