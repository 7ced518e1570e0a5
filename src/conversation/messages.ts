// The one inbound and one outbound message shape shared by every channel.
// Channels translate platform updates into InboundMessage and render OutboundMessage their own way
// (inline keyboard, Zalo button template, numbered text). Nothing here knows about a platform.

// The channel names and the outbound shape are domain types (a notification stores rendered messages; a member
// belongs to a channel): they live in src/domain/channels.ts, and are re-exported here for the channels.
export { CHANNELS, MAX_CHOICE_DATA_BYTES } from '../domain/channels.ts';
export type { ChannelName, OutboundChoice, OutboundMessage } from '../domain/channels.ts';
import type { ChannelName, OutboundMessage } from '../domain/channels.ts';

/** A member's address on one channel. */
export interface ChannelUser {
  channel: ChannelName;
  /** The platform's stable user id (Telegram chat id, Zalo user id, ...), as a string. */
  userId: string;
}

export type InboundContent =
  /** Typed text (possibly empty or very long: the engine validates it). */
  | { kind: 'text'; text: string }
  /** A tap on a choice button: `data` is exactly what the engine put in OutboundChoice.data. */
  | { kind: 'choice'; data: string }
  /**
   * Photos as the channel received them, one message for a whole album: each ref is whatever the channel needs to
   * fetch the photo (Telegram file_id, Zalo URL). The gateway stores them only at a step that asks for a photo
   * (becoming `storedPhotos`); flows never see a platform ref.
   */
  | { kind: 'photo'; refs: string[]; caption?: string }
  /** Never from a channel: the member's photos as the gateway stored them (checked, cleaned; FileStore ids). */
  | { kind: 'storedPhotos'; fileIds: string[]; caption?: string }
  /** Never from a channel: what she sent was refused (not an image, too large...); `reason` is an i18n key. */
  | { kind: 'refused'; reason: string; vars?: Record<string, unknown> }
  /** Anything else the platform can send (sticker, voice, location, file...). */
  | { kind: 'unsupported'; what: string }
  /** The member opened the chat / followed the account (Telegram /start, Zalo follow). */
  | { kind: 'start' };

export interface InboundMessage extends ChannelUser {
  /** Unique per channel; a message delivered twice carries the same id and is handled once. */
  messageId: string;
  content: InboundContent;
  /** Platform language hint (e.g. Telegram language_code), used only for a brand-new member. */
  languageHint?: string;
  /** The platform's id of this message when replies should quote it (Zalo OA: a quoted answer is a free reply). */
  quote?: string;
  receivedAt: Date;
}

/** What a channel needs from the bot: hand it a message, get the replies for the same member. */
export interface MessageHandler {
  handle(message: InboundMessage): Promise<OutboundMessage[]>;
}

/**
 * The bot as the channels see it. `handle` never throws: a failure becomes a localized apology. The replies it
 * returns have already been queued in the outbox and sent through the channel's Delivery (see `connect`): a channel
 * never sends them itself; the returned list is for callers that want to see them (tests, the terminal's transcript).
 */
export interface BotGateway extends MessageHandler {
  /** A channel hands over how to send to its members; from then on everything for them goes out through it. */
  connect(channel: ChannelName, delivery: Delivery): void;
  /** The platform says this member cannot be reached (blocked the bot, unfollowed): remember it, stop sending. */
  markUnreachable(user: ChannelUser): Promise<void>;
  /**
   * The member asked the platform to erase their data (Zalo user_withdraw): erase it as "delete my data" does.
   * `requestedAt` (the platform's time of the request): a member who wrote after it came back, and is not erased
   * by a late or replayed request.
   */
  erase(user: ChannelUser, requestedAt?: Date): Promise<void>;
}

export type PushResult =
  /** On its way now. */
  | 'sent'
  /** The channel cannot deliver now (console, Zalo outside its window): kept until the member next writes. */
  | 'later'
  /** The member cannot be reached on this channel (blocked the bot): kept, and said so to the officer. */
  | 'unreachable';

/** Where a message goes: the member's chat, her last message time (Zalo's window) and the message a reply quotes. */
export interface DeliveryTarget extends ChannelUser {
  /** 'reply': an answer to what she just wrote; 'push': sent on the bot's own initiative. */
  kind: 'reply' | 'push';
  lastInboundAt: Date | null;
  /** The platform id of the message this answers (Zalo OA quotes it), when known. */
  quote?: string;
  /** The outbox row being sent, for the channel's log lines (absent for a send outside the outbox). */
  outboxRow?: string;
  /**
   * Zalo OA only: send as a promotion message ("tin truyền thông", /v3.0/oa/message/promotion) instead of a
   * consultation message; a broadcast to a member outside the messaging window (REFERENCE.md). Other channels ignore it.
   */
  via?: 'promotion';
}

/**
 * What one attempt to send one message gave. The channel only reports; the outbox (src/app/outbox) decides what
 * happens next, so no channel sleeps or retries on its own.
 */
export type DeliveryResult =
  | { kind: 'sent' }
  /** The platform asked to wait (Telegram 429 retry_after): that chat only waits this long (ms). */
  | { kind: 'retryAfter'; ms: number }
  /** Worth another try later (5xx, network, timeout, a token being renewed): retried with backoff. */
  | { kind: 'failed'; reason: string }
  /**
   * She blocked the bot / unfollowed / Zalo refuses (-230...): marked unreachable, held until she writes. `window`:
   * the platform says its messaging window is closed (the row says so).
   */
  | { kind: 'unreachable'; reason: string; window?: boolean }
  /** Cannot be sent now but nothing is wrong (Zalo's window closed, a terminal that is not hers): held. */
  | { kind: 'later'; reason: string }
  /** Will never go through as it is (a malformed request): given up at once with the reason. */
  | { kind: 'refused'; reason: string };

/**
 * The one delivery path every channel shares: a channel renders and sends one outbound message to one chat, and says
 * how it went. Replies and pushes both go through it, from the outbox, never directly from the channel.
 * Reasons are short codes (an HTTP status, a platform error code): never texts or personal data.
 */
export interface Delivery {
  deliver(to: DeliveryTarget, message: OutboundMessage): Promise<DeliveryResult>;
}

/** How the gateway fetches a photo a member sent, by the ref its channel gave (Telegram getFile, a Zalo image URL). */
export interface MediaSource {
  /**
   * The file's bytes, or 'tooLarge' as soon as it is known to be over `maxBytes` (its declared size, or while reading:
   * never more than `maxBytes` are read). Throws when the platform cannot give it (an expired ref, the network).
   */
  download(ref: string, maxBytes: number): Promise<Uint8Array | 'tooLarge'>;
}

/**
 * How a channel reads a photo the project stored, to send it (an outbound photo whose ref is "stored:<StoredFile id>",
 * STORED_PHOTO_REF in flow.ts: a listing's photo shown to the officers reviewing it). Implemented in src/app/files.
 */
export interface StoredPhotos {
  /** The stored bytes and their MIME type, or null when the file is gone (erased, purged, an unknown id). */
  read(fileId: string): Promise<{ bytes: Uint8Array; mime: string } | null>;
}

/** One part of a message a platform sends in pieces (a photo of a Telegram album). */
export interface PendingPart {
  channel: ChannelName;
  userId: string;
  /** The platform's group id (Telegram media_group_id). */
  groupId: string;
  /** The part's own message id; a redelivered part carries the same. */
  messageId: string;
  ref: string;
  caption?: string;
  languageHint?: string;
  receivedAt: Date;
}

/**
 * Where a channel keeps the parts of a message until the group is complete (durable: a restart loses none). Parts
 * handed to the bot are marked done and forgotten a day later, so a late redelivery of one is still recognised.
 */
export interface PendingPartStore {
  /** Keeps a part; false when this part (channel + messageId) was kept before (a redelivery). */
  add(part: PendingPart): Promise<boolean>;
  /** The parts of a group not handed over yet, in arrival order. */
  open(channel: ChannelName, groupId: string): Promise<PendingPart[]>;
  /** Groups of a channel with parts not handed over yet (after a restart), with their last arrival. */
  openGroups(channel: ChannelName): Promise<{ groupId: string; userId: string; lastAt: Date }[]>;
  /** Marks parts as handed to the bot (their ref and caption are cleared). */
  done(channel: ChannelName, messageIds: readonly string[], at: Date): Promise<void>;
  /** Forgets parts handed over before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}
