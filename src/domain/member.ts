// A member as the core sees it: a plain object, no ORM types.
import type { ChannelName } from './channels.ts';

export const ROLES = ['member', 'officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Member {
  id: string;
  channel: ChannelName;
  channelUserId: string;
  displayName: string | null;
  language: Language;
  communeCode: string | null;
  /** E.164, e.g. +84912345678 */
  phone: string | null;
  /** Year of birth as she gave it (the courses' working-age rule reads it); null when not given. */
  birthYear: number | null;
  consentAt: Date | null;
  optedOutAt: Date | null;
  role: Role;
  unreachableAt: Date | null;
  lastInboundAt: Date | null;
  createdAt: Date;
}

/** Fields a flow may change on a member. */
export type MemberPatch = Partial<
  Pick<
    Member,
    | 'displayName'
    | 'language'
    | 'communeCode'
    | 'phone'
    | 'birthYear'
    | 'consentAt'
    | 'optedOutAt'
    | 'role'
    | 'unreachableAt'
    | 'lastInboundAt'
  >
>;

export interface MemberRepository {
  findByChannelUser(channel: ChannelName, channelUserId: string): Promise<Member | null>;
  findById(id: string): Promise<Member | null>;
  /** Creates the member, or returns the existing one if another process created it first. */
  create(input: { channel: ChannelName; channelUserId: string; language: Language; role?: Role }): Promise<Member>;
  update(id: string, patch: MemberPatch): Promise<Member>;
  /**
   * Updates the member of this channel user and returns her as updated, or null when there is none (nothing written):
   * finding and updating her in one statement (a turn's first touch of her row).
   */
  updateByChannelUser(channel: ChannelName, channelUserId: string, patch: MemberPatch): Promise<Member | null>;
  /** Erases the member row and everything that hangs on it (conversation state, ...). Returns false if already gone. */
  delete(id: string): Promise<boolean>;
}

/** Engine-owned conversation state, stored as JSON. */
export interface StoredConversation {
  flowId: string | null;
  data: unknown;
  /** Optimistic-concurrency version: save() succeeds only if the stored version is still this one. */
  version: number;
  updatedAt: Date;
}

export interface ConversationRepository {
  load(memberId: string): Promise<StoredConversation | null>;
  /**
   * Saves state if the stored version equals `expectedVersion` (0 = no row yet) and returns the new version;
   * returns null when another process saved in between (the caller reloads and retries).
   */
  save(
    memberId: string,
    state: { flowId: string | null; data: unknown },
    expectedVersion: number,
  ): Promise<number | null>;
  clear(memberId: string): Promise<void>;
}

/**
 * The message being handled was handled already (a redelivery, or another process handling the same update at this
 * instant). Thrown inside a turn's transaction so that it rolls back: on PostgreSQL the failed insert of the handled
 * mark has aborted the transaction, so the turn cannot simply carry on or commit.
 */
export class DuplicateDeliveryError extends Error {
  constructor() {
    super('message already handled');
    this.name = 'DuplicateDeliveryError';
  }
}

export interface InboundLog {
  /** Records a message id; returns false if it was already recorded (a redelivery). Atomic across processes. */
  claim(channel: ChannelName, messageId: string): Promise<boolean>;
  /** Forgets ids older than the date (platforms only redeliver for a day or so). Returns how many. */
  pruneOlderThan(date: Date): Promise<number>;
}
