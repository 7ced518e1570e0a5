// Telegram update → what the channel should do with it. Pure: no I/O, no telegraf.
// Updates are validated with zod (only the fields we read; unknown fields are kept, not rejected).
import { startContent } from '../shared/start.ts';
import { z } from 'zod';
import { platformId } from '../shared/ids.ts';
import type { InboundContent, InboundMessage, PendingPart } from '../../conversation/messages.ts';

/** The update types the bot asks Telegram for (setWebhook / getUpdates `allowed_updates`). */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

// Values that become database keys or stored references (file ids, album ids, language hints) are bounded: an
// update carrying an oversized one is refused here, so it never becomes a key (Telegram's own are far shorter).
const FileId = z.string().min(1).max(256);
const ChatSchema = z.looseObject({ id: z.number().int(), type: z.string().max(32) });
const UserSchema = z.looseObject({ id: z.number().int(), language_code: z.string().max(35).optional() });
const PhotoSizeSchema = z.looseObject({ file_id: FileId, width: z.number(), height: z.number() });
const DocumentSchema = z.looseObject({
  file_id: FileId,
  file_name: z.string().max(1024).optional(),
  mime_type: z.string().max(255).optional(),
});
const InlineButtonSchema = z.looseObject({ text: z.string(), callback_data: z.string().max(64).optional() });
export const InlineKeyboardMarkupSchema = z.looseObject({ inline_keyboard: z.array(z.array(InlineButtonSchema)) });
const MessageSchema = z.looseObject({
  message_id: z.number().int(),
  chat: ChatSchema,
  from: UserSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(PhotoSizeSchema).optional(),
  /** A file sent "as a file" (uncompressed): an image sent this way keeps its EXIF, GPS included. */
  document: DocumentSchema.optional(),
  /** Shared by the photos of an album, each of which comes as its own update (no end marker). */
  // A database key (PendingPart).
  media_group_id: platformId.optional(),
  reply_markup: InlineKeyboardMarkupSchema.optional(),
});
const CallbackQuerySchema = z.looseObject({
  id: z.string().max(64),
  from: UserSchema,
  /** Absent for buttons under inline-mode messages; an "inaccessible message" (date 0, no text) when too old. */
  message: MessageSchema.optional(),
  /** Absent for game buttons. */
  data: z.string().max(64).optional(),
});
const ChatMemberUpdatedSchema = z.looseObject({
  chat: ChatSchema,
  new_chat_member: z.looseObject({ status: z.string().max(32) }),
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
  /** One photo of an album: kept until the album is complete, then handed over as one message (albums.ts). */
  | { kind: 'albumPart'; updateId: number; chatId: string; part: PendingPart }
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
    if (msg.chat.type !== 'private')
      return { kind: 'ignored', updateId, reason: `message in a ${chatKind(msg.chat.type)} chat` };
    const chatId = String(msg.chat.id);
    const content = contentOf(msg);
    if (msg.media_group_id !== undefined && content.kind === 'photo' && content.refs[0] !== undefined) {
      const part: PendingPart = {
        channel: 'telegram',
        userId: chatId,
        groupId: msg.media_group_id,
        messageId,
        ref: content.refs[0],
        receivedAt,
      };
      if (content.caption !== undefined) part.caption = content.caption;
      if (msg.from?.language_code) part.languageHint = msg.from.language_code;
      return { kind: 'albumPart', updateId, chatId, part };
    }
    return {
      kind: 'message',
      updateId,
      chatId,
      message: inbound(chatId, messageId, content, msg.from?.language_code, receivedAt),
    };
  }

  if (update.callback_query) {
    const query = update.callback_query;
    const callbackQueryId = query.id;
    if (query.message === undefined)
      return { kind: 'ignored', updateId, reason: 'tap without a chat message', callbackQueryId };
    if (query.message.chat.type !== 'private') {
      return {
        kind: 'ignored',
        updateId,
        reason: `tap in a ${chatKind(query.message.chat.type)} chat`,
        callbackQueryId,
      };
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
      reason: `membership change to ${memberStatus(change.new_chat_member.status)} in a ${chatKind(change.chat.type)} chat`,
    };
  }

  const type = Object.keys(update).find((key) => key !== 'update_id') ?? 'empty';
  return { kind: 'ignored', updateId, reason: `update type ${updateKind(type)}` };
}

function contentOf(msg: z.infer<typeof MessageSchema>): InboundContent {
  if (msg.text !== undefined) {
    const start = START_COMMAND.exec(msg.text);
    return start ? startContent(msg.text.slice(start[0].length)) : { kind: 'text', text: msg.text };
  }
  if (msg.photo !== undefined && msg.photo.length > 0) {
    const largest = msg.photo.reduce((best, size) =>
      size.width * size.height >= best.width * best.height ? size : best,
    );
    return photo(largest.file_id, msg.caption);
  }
  // An image sent as a file is a photo too (checked by its content later: a PDF renamed .jpg is refused then).
  if (msg.document !== undefined && msg.animation === undefined && looksLikeImage(msg.document)) {
    return photo(msg.document.file_id, msg.caption);
  }
  const what = UNSUPPORTED_CONTENT.find((key) => msg[key] !== undefined) ?? 'other';
  return { kind: 'unsupported', what };
}

const photo = (ref: string, caption: string | undefined): InboundContent =>
  caption === undefined ? { kind: 'photo', refs: [ref] } : { kind: 'photo', refs: [ref], caption };

const IMAGE_NAME = /\.(jpe?g|png|webp|heic|heif)$/i;

/** What the sender's phone says: only a hint of which documents to try as photos, never trusted for the content. */
function looksLikeImage(document: z.infer<typeof DocumentSchema>): boolean {
  return document.mime_type?.startsWith('image/') === true || IMAGE_NAME.test(document.file_name ?? '');
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

/** A chat type fit for a log line: Telegram's documented ones as they are, anything else "other". */
function chatKind(type: string): string {
  return ['private', 'group', 'supergroup', 'channel'].includes(type) ? type : 'other';
}

/** A chat member status fit for a log line (Telegram's documented ones, else "other"). */
function memberStatus(status: string): string {
  return ['creator', 'administrator', 'member', 'restricted', 'left', 'kicked'].includes(status) ? status : 'other';
}

/** An update type fit for a log line: a key Telegram documents for updates, anything else "other". */
function updateKind(type: string): string {
  return /^[a-z_]{1,40}$/.test(type) && KNOWN_UPDATE_TYPES.has(type) ? type : 'other';
}

const KNOWN_UPDATE_TYPES = new Set([
  'empty',
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
]);
