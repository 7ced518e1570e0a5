// Cases: something an officer must handle. Later features (credit leads, course registrations, product reports)
// open cases through the case service; this module holds their shape and the storage port.
import type { OutboundMessage } from '../conversation/messages.ts';

export const CASE_TYPES = ['talk', 'credit_lead', 'course_registration', 'product_report'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATUSES = ['open', 'claimed', 'done', 'approved', 'rejected'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const isClosed = (status: CaseStatus): boolean =>
  status === 'done' || status === 'approved' || status === 'rejected';

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
}

export type NotificationKind = 'case' | 'caseUpdate' | 'relay' | 'digest' | 'escalation' | 'memberUpdate';

export interface Notification {
  id: string;
  recipientId: string;
  caseId: number | null;
  kind: NotificationKind;
  messages: OutboundMessage[];
  status: 'pending' | 'sent' | 'failed';
  createdAt: Date;
}

/** The outbox. */
export interface NotificationRepository {
  enqueue(input: {
    recipientId: string;
    caseId: number | null;
    kind: NotificationKind;
    messages: OutboundMessage[];
  }): Promise<Notification>;
  /** Pending notifications of a recipient, oldest first. */
  pendingFor(recipientId: string): Promise<Notification[]>;
  markSent(ids: readonly string[], now: Date): Promise<void>;
  markAttempt(id: string, error: string): Promise<void>;
  countPending(): Promise<number>;
}

/** Once-only scheduled work across instances: true for the first caller of (name, period). */
export interface ScheduleLock {
  acquire(name: string, period: string): Promise<boolean>;
}
