// Broadcast announcements (issue 14): what an admin sends to many members, who gets it, and how each recipient's
// delivery ends. Plain types, the rules that need no storage (quiet hours, the Zalo promotion rules, language
// fallback) and the two storage ports: the broadcasts with their audiences (src/data/broadcastRepository.ts) and the
// deliveries the dispatcher claims (src/data/broadcastDeliveryStore.ts). Figures (hours, quotas, limits) are
// settings (src/config.ts, BROADCAST_* and ZALO_PROMOTION_*), from ../shared/domain/REFERENCE.md "Channels and their
// rules"; none is written here.
import type { ChannelName } from './channels.ts';
import type { Language } from './member.ts';

/**
 * Where a broadcast stands.
 * - draft: composed, not confirmed (the chat flow keeps its answers; a CLI draft is confirmed at once);
 * - awaitingApproval: confirmed, its audience is over the threshold and a second admin must approve it;
 * - scheduled: confirmed (and approved) with a start time in the future;
 * - preparing: its deliveries are being written, in batches (a job; resumes after a crash from `cursor`);
 * - sending: every delivery is written; the dispatcher sends them;
 * - done: no delivery is pending or sending any more (the final report was sent to its admin);
 * - cancelled: stopped by an admin before or while sending (pending deliveries become `cancelled`);
 * - rejected: the second admin refused it.
 */
export const BROADCAST_STATUSES = [
  'draft',
  'awaitingApproval',
  'scheduled',
  'preparing',
  'sending',
  'done',
  'cancelled',
  'rejected',
] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/**
 * How one recipient's delivery ends (or stands).
 * - pending: to send (at `nextAttemptAt`: a 429, a backoff, quiet hours);
 * - sending: claimed and its platform call under way (committed before the call); found so after a restart it is
 *   marked `uncertain` and sent again once (the documented policy: a duplicate is better than a missed storm warning);
 * - sent: the platform accepted it;
 * - failed: given up after BROADCAST_MAX_ATTEMPTS transient failures, or refused as malformed (`reason`);
 * - unreachable: she blocked the bot / unfollowed (403, Zalo -230...), now or before; not retried;
 * - notNow: not reachable now (Zalo window closed and no promotion send; promotion quota or hours or one-a-day rule);
 * - optedOut: she stopped announcements (or withdrew the consent) after the audience was written;
 * - cancelled: the broadcast was cancelled before her turn;
 * - shown: she could not be sent it, but was shown it when she next wrote, while it was current.
 */
export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'unreachable',
  'notNow',
  'optedOut',
  'cancelled',
  'shown',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Who gets a broadcast: every given segment must hold (an empty spec = everyone). Always limited to members whose
 * "announcements" consent is given now (opted-out members are never in an audience), and to plain members' chats
 * that exist (erased members are gone).
 * - communes: statistics codes of communes/wards (areas data);
 * - channels, languages: her channel, her language;
 * - course: registrants (registered/confirmed/attended...) or the waiting list of one course, or both;
 * - creditInquiry: members with an open credit case (a credit inquiry whose case is not closed);
 * - products: members with a pending and/or approved listing.
 */
export interface AudienceSpec {
  communes?: string[];
  channels?: ChannelName[];
  languages?: Language[];
  course?: { courseId: number; who: 'registrants' | 'waitingList' | 'both' };
  creditInquiry?: boolean;
  products?: Array<'pending' | 'approved'>;
}

/**
 * The optional action button under a broadcast: which flow a tap starts (the label is the locale text of its
 * target, in her language: "Đăng ký lớp này", "Kiểm tra khả năng vay"...). Taps are counted.
 */
export type BroadcastButton =
  | { target: 'courseRegister'; courseId: number }
  | { target: 'courses' }
  | { target: 'credit' }
  | { target: 'productReport' };

/** What the admin wrote: at least one language's text (≤ BROADCAST_MAX_TEXT characters each). */
export type BroadcastTexts = Partial<Record<Language, string>>;

export interface Broadcast {
  id: number;
  status: BroadcastStatus;
  texts: BroadcastTexts;
  photoFileId: string | null;
  button: BroadcastButton | null;
  audience: AudienceSpec;
  urgent: boolean;
  zaloOutsideWindow: 'skip' | 'promotion';
  scheduledAt: Date | null;
  expiresAt: Date;
  createdById: string | null;
  needsApproval: boolean;
  approvedById: string | null;
  decidedAt: Date | null;
  note: string | null;
  audienceSize: number | null;
  cursor: string | null;
  taps: number;
  progressAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelledAt: Date | null;
  createdAt: Date;
}

/** What an admin sets when composing (chat or CLI); the service validates it and fills in the defaults. */
export interface BroadcastInput {
  texts: BroadcastTexts;
  photoFileId?: string | null;
  button?: BroadcastButton | null;
  audience: AudienceSpec;
  urgent?: boolean;
  zaloOutsideWindow?: 'skip' | 'promotion';
  /** Not before (default: at once). */
  scheduledAt?: Date | null;
  /** Still current until (default: BROADCAST_EXPIRY_DAYS after the start). */
  expiresAt?: Date | null;
}

/**
 * The audience as the admin sees it before confirming: how many members, per channel, and how many are out of reach
 * now (blocked the bot / unfollowed; Zalo OA members outside the 7-day window, of whom `promotionEligible` could get a
 * promotion message if the admin chooses it), and how many stopped announcements (not in the audience, said for her
 * information).
 */
export interface AudienceSize {
  total: number;
  perChannel: Partial<Record<ChannelName, number>>;
  unreachable: number;
  zaloWindowClosed: number;
  optedOut: number;
}

/** The report's counts, read from the deliveries (per status), plus the uncertain ones and the taps. */
export interface BroadcastCounts {
  total: number;
  byStatus: Record<DeliveryStatus, number>;
  /** Sends that were in flight when a dispatcher died (sent again once; see DeliveryStatus.sending). */
  uncertain: number;
  /** Sent as Zalo promotion messages. */
  promotion: number;
  taps: number;
}

/** Live progress: the counts, the rate over the last minutes (messages/minute) and the estimated time left. */
export interface BroadcastProgress {
  broadcast: Broadcast;
  counts: BroadcastCounts;
  ratePerMinute: number;
  /** null when nothing is pending or no rate is known yet. */
  etaMs: number | null;
}

/** One line of the failures CSV: who (her channel and a masked id, never a name or phone), the status and reason. */
export interface DeliveryFailure {
  memberId: string;
  channel: ChannelName;
  status: Extract<DeliveryStatus, 'failed' | 'unreachable' | 'notNow' | 'optedOut' | 'cancelled'>;
  reason: string | null;
  attempts: number;
  uncertain: boolean;
  updatedAt: Date;
}

/** A delivery as the dispatcher claims it (everything needed to render and send without another read). */
export interface ClaimedDelivery {
  id: string;
  broadcastId: number;
  memberId: string;
  channel: ChannelName;
  language: Language;
  status: 'pending' | 'sending';
  attempts: number;
  uncertain: boolean;
  via: 'cs' | 'promotion' | null;
}

/** The broadcasts and their audiences (src/data/broadcastRepository.ts). */
export interface BroadcastRepository {
  create(
    input: Omit<
      Broadcast,
      | 'id'
      | 'taps'
      | 'progressAt'
      | 'startedAt'
      | 'finishedAt'
      | 'cancelledAt'
      | 'createdAt'
      | 'cursor'
      | 'audienceSize'
      | 'decidedAt'
      | 'approvedById'
      | 'note'
    > & {
      /** The audience size when it was confirmed (shown "≈ N" until its deliveries are written); null when unknown. */
      audienceSize?: number | null;
    },
  ): Promise<Broadcast>;
  find(id: number): Promise<Broadcast | null>;
  /** Newest first; `statuses` filters. */
  list(input: { statuses?: readonly BroadcastStatus[]; limit: number; offset?: number }): Promise<Broadcast[]>;
  /** Updates where the status is `from` (a compare-and-set: two admins deciding at once, one wins); null when not. */
  transition(
    id: number,
    from: readonly BroadcastStatus[],
    patch: Partial<Omit<Broadcast, 'id'>>,
  ): Promise<Broadcast | null>;
  update(id: number, patch: Partial<Omit<Broadcast, 'id'>>): Promise<Broadcast>;
  /** The audience's size now (one grouped query; never loads the members). */
  audienceSize(spec: AudienceSpec, now: Date, zaloWindowMs: number): Promise<AudienceSize>;
  /**
   * Writes the next batch of deliveries (members of the audience with id > `after`, by id, at most `limit`), skipping
   * members who already have one; returns the last member id written, or null when the audience is exhausted.
   */
  prepareBatch(broadcast: Broadcast, after: string | null, limit: number, now: Date): Promise<string | null>;
  counts(broadcastId: number): Promise<BroadcastCounts>;
  /** Deliveries that ended otherwise than sent/shown, by member id, a page at a time (keyset: after `cursor`). */
  failures(broadcastId: number, after: string | null, limit: number): Promise<DeliveryFailure[]>;
  /**
   * The most frequent reasons of deliveries that ended otherwise than sent/shown (failed, unreachable, notNow,
   * optedOut; not cancelled), most frequent first, at most `limit` (the final report). A null reason counts as "".
   */
  failureReasons(broadcastId: number, limit: number): Promise<Array<{ reason: string; count: number }>>;
  /** Sent in the last `sinceMs` (the progress rate). */
  sentSince(broadcastId: number, since: Date): Promise<number>;
  /** Pending deliveries of a cancelled broadcast become `cancelled`, a batch at a time; returns how many. */
  cancelPending(broadcastId: number, limit: number): Promise<number>;
  /** Her deliveries for "my data": how many announcements she was sent and shown (and the last one's time). */
  deliveriesOf(memberId: string): Promise<{ sent: number; shown: number; lastAt: Date | null }>;
  /** Deletes her deliveries (erasure of her data); returns how many. */
  eraseDeliveriesOf(memberId: string): Promise<number>;
  /**
   * Deletes the deliveries of broadcasts that ended (done: finishedAt; cancelled: cancelledAt) before `before`, a
   * batch at a time; returns how many (the retention of her deliveries).
   */
  pruneDeliveries(before: Date): Promise<number>;
  /** Broadcasts in `sending` with nothing pending or sending left (to finish), and scheduled ones due. */
  dueScheduled(now: Date, limit: number): Promise<Broadcast[]>;
  finishedSending(limit: number): Promise<Broadcast[]>;
}

/** A member's own broadcast deliveries (src/data/memberBroadcasts.ts): shown when she writes, her taps. */
export interface MemberBroadcastRepository {
  /**
   * Hers that she could not be sent (notNow, unreachable), of broadcasts still current (expiresAt > now, not
   * cancelled), oldest first: shown when she next writes.
   */
  waitingFor(memberId: string, now: Date): Promise<Array<{ delivery: { id: string }; broadcast: Broadcast }>>;
  markShown(deliveryIds: readonly string[], now: Date): Promise<void>;
  /** Her first tap on a broadcast's button: sets tappedAt and counts it once; false when already counted or not hers. */
  recordTap(broadcastId: number, memberId: string, now: Date): Promise<boolean>;
  /** One broadcast by id, whatever its status (a tap on its button), or null. */
  broadcastById(id: number): Promise<Broadcast | null>;
}

/** The deliveries as the dispatcher works on them (src/data/broadcastDeliveryStore.ts). */
export interface BroadcastDeliveryStore {
  /**
   * Claims due pending deliveries of broadcasts in `sending` (and `sending` ones whose lease expired: a dead
   * dispatcher's in-flight sends, returned with uncertain = true and marked so), for `channels`, urgent ones first
   * inside quiet hours only (`urgentOnly`), oldest broadcast first, at most `limit`. Two dispatchers never get one row.
   */
  claim(input: {
    now: Date;
    leaseUntil: Date;
    token: string;
    limit: number;
    channels: readonly ChannelName[];
    urgentOnly: boolean;
  }): Promise<ClaimedDelivery[]>;
  /**
   * Marks claimed rows `sending` (committed before their platform calls), under the token, only while their broadcast
   * is still `sending` (a cancel wins); returns the ids marked (only those may be sent). `sent`: the previous group's
   * rows whose calls went through, marked `sent` (as markSent) in the same commit — one commit per group instead of two,
   * and still never more than one group `sending` at a time.
   */
  markSending(
    ids: readonly string[],
    token: string,
    via: ReadonlyMap<string, 'cs' | 'promotion'>,
    sent?: { ids: readonly string[]; at: Date },
  ): Promise<string[]>;
  markSent(ids: readonly string[], token: string, now: Date): Promise<void>;
  /** Ends or delays one: a final status with its reason, or back to pending at `nextAttemptAt` (attempt counted). */
  settle(
    id: string,
    token: string,
    update:
      | { status: Extract<DeliveryStatus, 'failed' | 'unreachable' | 'notNow' | 'optedOut'>; reason: string }
      | { retryAt: Date; reason: string; countAttempt: boolean },
  ): Promise<void>;
  /** Drops this token's lease on rows not sent (a stopping dispatcher lets them go). */
  release(ids: readonly string[], token: string): Promise<void>;
  /** Rows an earlier run of this instance claimed and never finished (it died): `sending` ones become uncertain. */
  releaseAbandoned(instancePrefix: string, currentPrefix: string): Promise<number>;
  /** Zalo promotion messages sent since `since` (the daily quota), and whether she got one since then. */
  promotionsSince(since: Date): Promise<number>;
  promotionSentTo(memberId: string, since: Date): Promise<boolean>;
  /** The members of a claimed batch, by id, in one query (erased ones are missing): checked at send time. */
  recipients(memberIds: readonly string[]): Promise<Map<string, BroadcastRecipient>>;
  /** The broadcasts of a claimed batch, by id (what the dispatcher checks and renders). */
  broadcasts(ids: readonly number[]): Promise<Map<number, BroadcastToSend>>;
}

/** A recipient as the dispatcher checks her at send time. */
export interface BroadcastRecipient {
  id: string;
  channel: ChannelName;
  channelUserId: string;
  language: Language;
  lastInboundAt: Date | null;
  unreachableAt: Date | null;
  /** Her `announcements` consent is given now (not withdrawn). */
  announcements: boolean;
}

/** What the dispatcher needs of a broadcast to check and render it. */
export type BroadcastToSend = Pick<
  Broadcast,
  'id' | 'status' | 'texts' | 'photoFileId' | 'button' | 'urgent' | 'zaloOutsideWindow' | 'expiresAt'
>;

// —— Rules without storage ——

/** A wall-clock window in TIME_ZONE, "HH:MM" each; start < end (a window over midnight is not needed here). */
export interface DailyWindow {
  start: { hour: number; minute: number };
  end: { hour: number; minute: number };
}
