// Cases: something an officer must handle. Later features (credit leads, course registrations, product reports)
// open cases through the case service; this module holds their shape and the storage port.
import type { Member } from './member.ts';

export const CASE_TYPES = [
  'talk',
  'credit_lead',
  'course_registration',
  'product_report',
  'listing_problem',
  // A buyer's question about a published product, filed under the buyer and routed to the seller's commune.
  'buyer_enquiry',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATUSES = ['open', 'claimed', 'done', 'approved', 'rejected'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const isClosed = (status: CaseStatus): boolean =>
  status === 'done' || status === 'approved' || status === 'rejected';

/**
 * Case types opened ABOUT a member rather than BY her: a problem someone reported with her listing (the case is filed
 * under the listing's owner so that it goes with her data and the reporter is never stored). They are not among her
 * requests and she is not told when an officer takes or closes them (she never asked); an officer may still write
 * to her on one.
 */
export const ABOUT_MEMBER: readonly CaseType[] = ['listing_problem'];

/** Whether the case's member asked for it herself (see ABOUT_MEMBER). */
export const openedByMember = (type: CaseType): boolean => !ABOUT_MEMBER.includes(type);

/** Case types an officer decides on (approve / reject with a reason) rather than just marks done. */
export const DECIDABLE: readonly CaseType[] = ['product_report', 'course_registration'];

export interface Case {
  id: number;
  type: CaseType;
  memberId: string;
  communeCode: string | null;
  /** Short, type-specific summary values for officers (strings), e.g. { topic: "..." }. */
  details: Record<string, string>;
  status: CaseStatus;
  claimedById: string | null;
  claimedAt: Date | null;
  closedAt: Date | null;
  note: string | null;
  escalatedAt: Date | null;
  createdAt: Date;
}

/** Who wrote a message on a case: the member who opened it, or an officer (or admin) handling it. */
export const CASE_MESSAGE_AUTHORS = ['member', 'officer'] as const;
export type CaseMessageAuthor = (typeof CASE_MESSAGE_AUTHORS)[number];

/** One message of the conversation on a case, as written (NFC text, at most a relayed message's length). */
export interface CaseMessage {
  id: number;
  caseId: number;
  author: CaseMessageAuthor;
  /** The officer who wrote it; null for the member's own messages (she is the case's member), or an erased officer. */
  authorId: string | null;
  text: string;
  createdAt: Date;
}

export interface CaseRepository {
  /** `createdAt` comes from the service's clock: escalation compares it with the same clock. */
  create(input: {
    type: CaseType;
    memberId: string;
    communeCode: string | null;
    details: Record<string, string>;
    createdAt: Date;
  }): Promise<Case>;
  get(id: number): Promise<Case | null>;
  /** open → claimed by this officer; false if someone else claimed (or closed) it first. Atomic. */
  claim(id: number, officerId: string, now: Date): Promise<boolean>;
  /** Closes an open or claimed case; false if it was already closed. */
  close(
    id: number,
    status: Extract<CaseStatus, 'done' | 'approved' | 'rejected'>,
    note: string | null,
    now: Date,
    by: string,
  ): Promise<boolean>;
  /** Open cases created before `before` and never escalated: marks them escalated and returns them. */
  takeOverdue(before: Date, now: Date): Promise<Case[]>;
  /** Not closed, in these communes (or everywhere when the areas include the whole province). */
  listActive(areas: readonly string[]): Promise<Case[]>;
  listByMember(memberId: string): Promise<Case[]>;
  /** Every case, oldest first (for the CSV export). */
  all(): Promise<Case[]>;
  /** Stores a message on the case (`createdAt` from the service's clock). Erased with the case and its member. */
  addMessage(input: Omit<CaseMessage, 'id'>): Promise<CaseMessage>;
  /** The conversation on a case, oldest first. */
  messages(caseId: number): Promise<CaseMessage[]>;
}

// ---- Zalo's messaging window -----------------------------------------------------------------------------------
// Source: /work/shared/domain/REFERENCE.md and README "The messaging window": an Official Account may send up to 8
// free replies within 48 hours of the member's last message; consultation ("cs") messages still go through until 7
// days after it; after 7 days without a message from her, Zalo refuses (-230) and only paid ZNS templates (which the
// bot does not send) reach her. The OA channel applies the same 7 days when it pushes.

/** Free replies within this time of her last message. */
export const ZALO_FREE_REPLY_MS = 48 * 3_600_000;
/** Nothing reaches her on Zalo after this time without a message from her. */
export const ZALO_WINDOW_MS = 7 * 24 * 3_600_000;

/** Whether a chat message from an officer reaches the member now. */
export type ChatReach =
  /** It does (within Zalo's free replies, or a channel without a window). */
  | { kind: 'reachable' }
  /** Zalo: it does until `until` (past the free replies of the first 48 hours). */
  | { kind: 'closing'; lastInboundAt: Date; until: Date }
  /** Zalo: it does not: she has not written for 7 days (or never); it waits until she writes again. */
  | { kind: 'closed'; lastInboundAt: Date | null }
  /** The channel reported her unreachable (blocked the bot, unfollowed the OA); it waits until she writes again. */
  | { kind: 'unreachable' };

/** Whether an officer's chat message would reach this member at `now` (see the window rules above). */
export function chatReach(member: Pick<Member, 'channel' | 'lastInboundAt' | 'unreachableAt'>, now: Date): ChatReach {
  if (member.unreachableAt !== null) return { kind: 'unreachable' };
  if (member.channel !== 'zalo') return { kind: 'reachable' };
  const last = member.lastInboundAt;
  if (last === null || now.getTime() - last.getTime() >= ZALO_WINDOW_MS) return { kind: 'closed', lastInboundAt: last };
  if (now.getTime() - last.getTime() >= ZALO_FREE_REPLY_MS) {
    return { kind: 'closing', lastInboundAt: last, until: new Date(last.getTime() + ZALO_WINDOW_MS) };
  }
  return { kind: 'reachable' };
}

// The outbox's records moved to ./outbox.ts; re-exported for the features that name them here.
export type { Notification, NotificationKind, NotificationRepository } from './outbox.ts';
