// The outbox's records and storage port: every message the bot sends, stored (already rendered in the recipient's
// language) before it goes out. The sending logic is in src/app/outbox; the Prisma store in
// src/data/notificationRepository.ts (the table kept its first name, Notification, when it grew from the case
// notifications into the outbox of everything).
import type { OutboundMessage } from './channels.ts';

/** What a row carries: "reply" = a turn's answers to her own message (sent at once, no rate wait); the rest are pushes. */
export type NotificationKind =
  | 'reply'
  | 'case'
  | 'caseUpdate'
  | 'relay'
  | 'digest'
  | 'escalation'
  | 'memberUpdate'
  /** Courses: offers, reminders, changes, the three-month question, and the officers' lists. */
  | 'course'
  /** Products: review decisions to the member, listings to review and problem reports to officers, OCOP expiry. */
  | 'listing'
  /** Broadcasts: approval requests, decisions, progress and final reports to admins (never the announcements). */
  | 'broadcast';

/**
 * Why a pending row waits for the recipient to write instead of being sent: `window` (Zalo's 7-day messaging window
 * is closed), `unreachable` (she blocked the bot / unfollowed; the platform said so), `channel` (no channel in this
 * process can send to her: the terminal).
 */
export type HeldReason = 'window' | 'unreachable' | 'channel';

export interface Notification {
  id: string;
  recipientId: string;
  caseId: number | null;
  kind: NotificationKind;
  messages: OutboundMessage[];
  status: 'pending' | 'sent' | 'failed';
  createdAt: Date;
}

/** A row as the sender sees it: where it stands and how far it got. */
export interface OutboxRow extends Notification {
  /** Messages already sent (a row interrupted midway resumes after them). */
  progress: number;
  held: HeldReason | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  quote: string | null;
}

/** What "my data" shows of a member's outbox rows (counts and dates only: the texts are the bot's own words). */
export interface OutboxSummary {
  pending: number;
  held: number;
  sent: number;
  failed: number;
  oldest: Date | null;
  newest: Date | null;
}

/** The outbox store. Every method is one or a few indexed statements; nothing loads the whole queue. */
export interface NotificationRepository {
  enqueue(input: {
    recipientId: string;
    caseId: number | null;
    kind: NotificationKind;
    messages: OutboundMessage[];
    /** By the bot's clock (retries are timed from it); default the database's now. */
    createdAt?: Date;
    /** Not before this time (default createdAt): a row queued behind her delayed ones waits for them. */
    nextAttemptAt?: Date;
    held?: HeldReason | null;
    quote?: string | null;
    /**
     * Stored already claimed under this token until `leaseUntil` (a turn's replies, sent by the same process right
     * after the commit without a claim round trip; see src/app/outbox/outbox.ts `queueReplies`).
     */
    claim?: { token: string; leaseUntil: Date };
  }): Promise<Notification>;
  /** Pending notifications of a recipient, oldest first. */
  pendingFor(recipientId: string): Promise<Notification[]>;
  markSent(ids: readonly string[], now: Date): Promise<void>;
  markAttempt(id: string, error: string): Promise<void>;
  /**
   * Gives up on a notification after its last try: status failed, `attempts` counting that try too (so it equals the
   * tries made), with the reason (an error name or a result kind, no personal data).
   */
  markFailed(id: string, reason: string): Promise<void>;
  countPending(): Promise<number>;

  /** The latest not-before time among her pending rows that are not held (a new row must not overtake them). */
  latestNotBefore(recipientId: string): Promise<Date | null>;
  /** Her held rows become due now, oldest first, and are returned (she wrote: they go out before her replies). */
  releaseHeld(recipientId: string, now: Date): Promise<OutboxRow[]>;
  /**
   * Claims pending, unheld rows that are due (nextAttemptAt <= now) and not leased by a live claim, until `leaseUntil`,
   * with a fresh token: only the rows this call won are returned, oldest first. `recipientId` limits it to her rows
   * (the fast path); otherwise at most `limit` rows, by due time (the dispatcher's batch). `channels` limits it to
   * recipients on those channels: an instance never takes a row it has no delivery for (another instance, or the
   * turn that wrote it, sends it).
   */
  claim(input: {
    now: Date;
    leaseUntil: Date;
    token: string;
    limit: number;
    recipientId?: string;
    channels?: readonly string[];
  }): Promise<OutboxRow[]>;
  /** Whether she has a pending row older than `id` that is not in `exceptIds` (so `id` must wait its turn). */
  hasOlderPending(recipientId: string, createdAt: Date, id: string, exceptIds: readonly string[]): Promise<boolean>;
  /** Records progress within a row (messages sent so far), under the claim's token. */
  markProgress(id: string, token: string, progress: number): Promise<void>;
  /**
   * Puts a claimed row back with its lease dropped: due at `nextAttemptAt` when given (her later pending rows are then
   * pushed to at least that time: order per member), held when `held` is given (her later rows too), one more attempt
   * counted when `countAttempt`, the error kept when `error` is given. Nothing given: just the lease dropped.
   */
  release(
    row: Pick<OutboxRow, 'id' | 'recipientId'>,
    token: string,
    update: { nextAttemptAt?: Date; held?: HeldReason | null; error?: string; countAttempt?: boolean },
  ): Promise<void>;
  /**
   * Drops the lease of pending rows whose token starts with `instancePrefix` but not with `currentPrefix`: rows an
   * earlier run of this instance claimed and never finished (it died). Returns how many.
   */
  releaseAbandoned(instancePrefix: string, currentPrefix: string): Promise<number>;
  /** Holds every pending row of a recipient (she became unreachable): they wait until she writes. */
  holdAll(recipientId: string, reason: HeldReason): Promise<void>;
  /** Deletes sent and failed rows created before `before`, at most `limit` per call; returns how many. */
  prune(before: Date, limit: number): Promise<number>;
  /** For "my data": what the outbox holds for her. */
  summaryOf(recipientId: string): Promise<OutboxSummary>;
}
