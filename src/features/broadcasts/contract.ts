// The broadcasts feature's use cases, as the admin's chat, the admin CLI, the member's chat and (later) the web
// console call them: one service (service.ts), domain results (ok with the record, or a refusal with its reason),
// never a sentence. Every check is made here, on the server, for every call (an officer's forged button cannot start
// a broadcast). Writes join the caller's unit of work; what admins and members are told goes through the outbox.
import type {
  AudienceSize,
  AudienceSpec,
  Broadcast,
  BroadcastInput,
  BroadcastProgress,
  BroadcastStatus,
  DeliveryFailure,
} from '../../domain/broadcasts.ts';
import type { OutboundMessage } from '../../domain/channels.ts';
import type { Member } from '../../domain/member.ts';

/**
 * Why a call was refused.
 * - notAdmin: the actor is not an admin;
 * - notFound: no such broadcast;
 * - wrongStatus: not allowed in its current status (`status`): approving a sent one, two admins deciding at once;
 * - ownApproval: the admin who composed it cannot approve it herself;
 * - invalid: an input failed the rules (`field`: texts | audience | button | scheduledAt | expiresAt | photo;
 *   `issue`: a short code such as "empty", "tooLong", "past", "unknownCourse", "unknownCommune", "noAudience");
 * - promotionOff: zaloOutsideWindow "promotion" chosen while ZALO_PROMOTION_ENABLED is off.
 */
export type BroadcastRefusal =
  | { reason: 'notAdmin' | 'notFound' | 'ownApproval' | 'promotionOff' }
  | { reason: 'wrongStatus'; status: BroadcastStatus }
  | { reason: 'invalid'; field: string; issue: string };

export type BroadcastResult<T extends object = object> = ({ ok: true } & T) | { ok: false; refusal: BroadcastRefusal };

/** What confirming did: started at once, scheduled, or sent to the other admins for approval. */
export type Confirmation =
  | { kind: 'started' }
  | { kind: 'scheduled'; at: Date }
  | { kind: 'awaitingApproval'; approvers: number }
  /** Over the threshold, but she is the only admin: the approval rule is off (she is told so). */
  | { kind: 'startedSingleAdmin' }
  | { kind: 'scheduledSingleAdmin'; at: Date };

export interface BroadcastService {
  // —— Composing (admins) ——
  /** Validates an input without storing it (each chat step checks its own part; the CLI checks the whole). */
  validate(actor: Member, input: BroadcastInput): Promise<BroadcastResult>;
  /** The audience now: size, per channel, out of reach (see AudienceSize). */
  audienceSize(actor: Member, spec: AudienceSpec): Promise<BroadcastResult<{ size: AudienceSize }>>;
  /** The messages a member in `language` would get (text in her language or the fallback, photo, button): the preview. */
  render(
    broadcast: Pick<Broadcast, 'id' | 'texts' | 'photoFileId' | 'button'>,
    language: Member['language'],
  ): OutboundMessage[];
  /**
   * Stores it and confirms it: starts it (preparing its deliveries in a job), schedules it, or asks the other admins
   * to approve it (audience over BROADCAST_APPROVAL_THRESHOLD and more than one admin: each gets the preview and
   * Approve / Reject buttons). Audited.
   */
  create(
    actor: Member,
    input: BroadcastInput,
  ): Promise<BroadcastResult<{ broadcast: Broadcast; confirmation: Confirmation }>>;
  /** A second admin's decision on one awaiting approval (the first decision wins). The composer is told. Audited. */
  approve(actor: Member, id: number): Promise<BroadcastResult<{ broadcast: Broadcast; confirmation: Confirmation }>>;
  reject(actor: Member, id: number, note: string | null): Promise<BroadcastResult<{ broadcast: Broadcast }>>;
  /**
   * Cancels a draft, one awaiting approval, a scheduled or a running one: no delivery starts after this; the pending
   * ones become cancelled (counted in the report). Sends in flight finish. Audited.
   */
  cancel(actor: Member, id: number): Promise<BroadcastResult<{ broadcast: Broadcast }>>;

  // —— Watching (admins) ——
  list(
    actor: Member,
    input: { statuses?: readonly BroadcastStatus[]; limit: number; offset?: number },
  ): Promise<BroadcastResult<{ items: Broadcast[] }>>;
  progress(actor: Member, id: number): Promise<BroadcastResult<{ progress: BroadcastProgress }>>;
  /** Failures (failed, unreachable, notNow, optedOut, cancelled), keyset pages by member id: the CSV. */
  failures(
    actor: Member,
    id: number,
    after: string | null,
    limit: number,
  ): Promise<BroadcastResult<{ items: DeliveryFailure[] }>>;

  // —— The jobs (src/features/broadcasts/jobs.ts) ——
  /** Writes the next batch of a preparing broadcast's deliveries; true when more remain (the job runs again). */
  prepareNext(id: number): Promise<boolean>;
  /** Starts the scheduled broadcasts that are due; finishes the sending ones with nothing left (final report). */
  tick(): Promise<void>;
}

/**
 * The member's side of announcements (src/features/broadcasts/announcements.ts): her opt-out, her taps, and the
 * broadcasts she could not be sent, shown when she next writes.
 */
export interface MemberAnnouncements {
  /** Whether her announcements consent is given (false: opted out or never asked). */
  receivesAnnouncements(member: Member): Promise<boolean>;
  /** Stops / restarts announcements for her (the announcements consent purpose, withdrawn / given). */
  setAnnouncements(member: Member, on: boolean): Promise<void>;
  /**
   * A tap on a broadcast's button: counted once per member (only a recipient's tap counts), and what to start:
   * the button's target (the caller runs that flow / action), or null when the broadcast is unknown.
   */
  tap(member: Member, broadcastId: number): Promise<{ button: NonNullable<Broadcast['button']> } | null>;
  /**
   * In her turn (the gateway, after the engine): the broadcasts she could not be sent that are still current, rendered
   * in her language, marked shown; nothing when she has stopped announcements.
   */
  waitingFor(member: Member): Promise<OutboundMessage[]>;
}
