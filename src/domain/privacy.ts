// Personal data rules (Law 91/2025/QH15 on personal data protection, Decree 356/2025): consent is given per purpose,
// each purpose says what is stored and why, and a member may withdraw any of them. This file is the catalogue of
// purposes (plain data: i18n keys, no sentences) and the port that stores her decisions.

/**
 * One purpose a member's data may be processed for. Every key is an i18n key (locales/<lang>/consent.json):
 * - `name`: a short name ("Lưu ảnh chị gửi"), used in lists (settings, "my data");
 * - `stores`: what is stored ("ảnh chị gửi (đã xóa vị trí và thông tin máy chụp)");
 * - `why`: what for, worded to follow "Để …" ("cán bộ xem được giấy tờ chị gửi kèm yêu cầu");
 * - `who`: who can see it, truthfully for this purpose (officers only, or the public once approved: products);
 * - `withoutIt`: what she can still do when she declines it.
 * `firstContact` purposes are the ones the first-contact consent question covers (its text names them); any other
 * purpose is asked once, when she first enters a flow that declares it (Flow.purposes).
 */
export interface ConsentPurpose {
  id: ConsentPurposeId;
  name: string;
  stores: string;
  why: string;
  who: string;
  withoutIt: string;
  firstContact?: boolean;
}

export const CONSENT_PURPOSE_IDS = [
  'profile',
  'photos',
  'announcements',
  'followUp',
  'courseSupport',
  'courseSensitive',
  'productPublishing',
  'buyerEnquiry',
] as const;
export type ConsentPurposeId = (typeof CONSENT_PURPOSE_IDS)[number];

const purpose = (id: ConsentPurposeId, firstContact = false): ConsentPurpose => ({
  id,
  name: `consent:purposes.${id}.name`,
  stores: `consent:purposes.${id}.stores`,
  why: `consent:purposes.${id}.why`,
  who: `consent:purposes.${id}.who`,
  withoutIt: `consent:purposes.${id}.withoutIt`,
  ...(firstContact ? { firstContact } : {}),
});

/**
 * Every purpose, in the order settings and "my data" list them. `profile` is the basic consent of first contact
 * (name, commune, phone, her requests: to pass them to the Union's officers); Member.consentAt mirrors it.
 * A feature that needs a new purpose adds it here and its five texts to locales vi and en.
 */
export const CONSENT_PURPOSES: readonly ConsentPurpose[] = [
  purpose('profile', true),
  purpose('photos'),
  // A first-contact purpose since issue 14: the first yes covers the Union's announcements too (the question says so);
  // members who consented before are asked once, at the menu (features/broadcasts/member.ts).
  purpose('announcements', true),
  purpose('followUp'),
  purpose('courseSupport'),
  // Asked inside a course registration before the questions on disability and ethnic minority (special-category
  // data, Decree 356/2025): only the resulting support level is stored, never the answers.
  purpose('courseSensitive'),
  purpose('productPublishing'),
  // Asked inside a buyer's enquiry about a product (features/products/buyer.ts): her question and phone go to the
  // officers of the seller's commune as a case.
  purpose('buyerEnquiry'),
];

export function consentPurpose(id: string): ConsentPurpose | undefined {
  return CONSENT_PURPOSES.find((p) => p.id === id);
}

export const isConsentPurposeId = (id: unknown): id is ConsentPurposeId =>
  typeof id === 'string' && (CONSENT_PURPOSE_IDS as readonly string[]).includes(id);

/** A member's decision on one purpose: given (givenAt set, withdrawnAt null), or declined / withdrawn. */
export interface ConsentDecision {
  purpose: ConsentPurposeId;
  /** When she (last) gave it; kept after a withdrawal, so "my data" can say when. */
  givenAt: Date | null;
  /** When she declined it (givenAt null) or withdrew it; null while given. */
  withdrawnAt: Date | null;
}

export type ConsentState = 'given' | 'declined' | 'undecided';

export function consentState(decision: ConsentDecision | undefined): ConsentState {
  // A row with neither date: she was asked and has not answered (ConsentRepository.markAsked).
  if (!decision || (decision.givenAt === null && decision.withdrawnAt === null)) return 'undecided';
  return decision.givenAt !== null && decision.withdrawnAt === null ? 'given' : 'declined';
}

/** Where the decisions are stored (src/data/consentRepository.ts). */
export interface ConsentRepository {
  /** Her decisions, one per purpose she decided on (undecided purposes have none). */
  decisionsOf(memberId: string): Promise<ConsentDecision[]>;
  /** Stores "given" at `at` (again, after a withdrawal). */
  give(memberId: string, purpose: ConsentPurposeId, at: Date): Promise<void>;
  /** Stores "declined" (never given) or "withdrawn" (given before) at `at`. */
  withdraw(memberId: string, purpose: ConsentPurposeId, at: Date): Promise<void>;
  /**
   * Records that she was asked about a purpose she has not decided on (a row with neither date; a decision already
   * stored is kept as it is): a question asked once (the announcements asked of members who consented before) is
   * then never asked again, whatever she does with it.
   */
  markAsked(memberId: string, purpose: ConsentPurposeId): Promise<void>;
}

/** How many records, and the dates of the oldest and newest (for "my data": counts and dates, never contents). */
export interface RecordsSummary {
  count: number;
  first: Date | null;
  last: Date | null;
}

/**
 * The record-level operations the personal-data registry needs for the kinds that have no repository method of
 * their own: her records' summary, erasure / anonymisation, and retention pruning. Every `prune*` deletes the rows
 * older than `before` and returns how many (reports keep counts only). Implemented in src/data/personalRecords.ts.
 */
export interface PersonalRecords {
  /** Her conversation in progress (the engine's state row), if any. */
  conversationOf(memberId: string): Promise<{ flowId: string | null; updatedAt: Date } | null>;
  /** Conversation states nobody moved since `before` (the engine starts such a conversation over anyway). */
  pruneConversations(before: Date): Promise<number>;
  /** Cases closed before `before`, with their messages and notifications; files they kept become unkept. */
  pruneClosedCases(before: Date): Promise<number>;
  pruneCreditInquiries(before: Date): Promise<number>;
  /** Audit entries where she is the actor or the subject. */
  auditOf(memberId: string): Promise<RecordsSummary>;
  /** Replaces her id by ERASED_ID in the audit log and in invitations she made or used; returns rows changed. */
  anonymiseAccountability(memberId: string): Promise<number>;
  pruneAudit(before: Date): Promise<number>;
  /** Invitations that expired before `before` (used or not). */
  pruneInvitations(before: Date): Promise<number>;
  /** One-off jobs about her (Job.memberId), e.g. reminders. */
  jobsOf(memberId: string): Promise<RecordsSummary>;
  /** Deletes every job about her, whatever its state (a running one then finds its row gone and has no effect). */
  deleteJobsOf(memberId: string): Promise<number>;
  /** Album parts she sent that wait (or waited) to be put together, by her platform id. */
  pendingPartsOf(channel: string, userId: string): Promise<RecordsSummary>;
  erasePendingParts(channel: string, userId: string): Promise<number>;
  prunePendingParts(before: Date): Promise<number>;
  /**
   * Her stored inbound events (InboundEvent: what the Zalo OA webhook stored before answering), by her platform id:
   * how many, received when, and how many were kept as failed (their payload, what she wrote, still stored).
   */
  inboundEventsOf(channel: string, userId: string): Promise<RecordsSummary & { failed: number }>;
  /**
   * Deletes her inbound events that are handled or failed. Open ones stay: the one being handled (the erasure
   * itself, perhaps) and what she sent after it, which the processor still has to handle (in order, after it).
   */
  eraseInboundEvents(channel: string, userId: string): Promise<number>;
}

/** What an erased member's id becomes in records kept for accountability (audit log, invitations). */
export const ERASED_ID = 'erased';
