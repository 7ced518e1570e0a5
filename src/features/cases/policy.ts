// The rules of who may do what to a case, and the results the case services return. Pure: no repository, no text.
// The same rules decide the buttons an officer is shown (presenter.ts) and the refusal she gets (service.ts).
import type { Case, CaseMessage } from '../../domain/cases.ts';
import { DECIDABLE, isClosed } from '../../domain/cases.ts';
import type { Member } from '../../domain/member.ts';

export type CloseStatus = 'done' | 'approved' | 'rejected';

/** What an officer (or admin) can do to a case. */
export type OfficerAction = 'claim' | 'view' | 'reply' | 'done' | 'approve' | 'reject';

/** Why an action cannot be done now on a case, from the case and the actor alone. */
export type Blocked = 'closed' | 'claimFirst' | 'claimedByOther' | 'wrongAction';

/**
 * Why a case service refused: the actor is no officer, the case does not exist (or is not hers, for a member),
 * it is outside her areas, or the case's state does not allow it (Blocked; `by` is the officer who holds it).
 */
export type CaseRefusal =
  | { reason: 'notOfficer' | 'notFound' | 'notYourArea' | 'closed' | 'wrongAction' | 'claimFirst' }
  | { reason: 'claimedByOther'; by: Member | null };

/** A case as an officer opens it: the member, the messages on it and their authors, and how much she may see. */
export interface CaseDetail {
  case: Case;
  member: Member | null;
  /** Oldest first. */
  messages: CaseMessage[];
  /** The officers who wrote on it, by member id (null: no longer known). */
  authors: ReadonlyMap<string, Member | null>;
  /** The officer who took it, or an admin: adds the member's phone number and whether a chat reply reaches her. */
  full: boolean;
}

/** A case service's answer: done (with what it produced) or refused with the reason. */
export type CaseResult<T extends object = object> = ({ ok: true } & T) | { ok: false; refusal: CaseRefusal };

/** What a member's message on a case became: passed to officers, stored for whoever takes it, or refused. */
export type MemberRelay = 'sent' | 'stored' | 'closed';

/**
 * How a message to a member went: 'sent' (on its way), 'later' (she gets it when she next writes: the console, Zalo
 * outside its window), 'unreachable' (her channel reported her unreachable). Same values as the outbox's PushResult.
 */
export type Delivery = 'sent' | 'later' | 'unreachable';

export const isStaff = (m: Member): boolean => m.role === 'officer' || m.role === 'admin';

/**
 * Whether `actor` may do `action` on `c` in its present state (her area is checked separately). The same rules decide
 * the buttons she is shown and the refusal she gets, and they are checked before she is asked for any input (a note,
 * a reason, a message), so nobody types something only to be told it cannot be sent.
 */
export function blocked(c: Case, actor: Member, action: OfficerAction): Blocked | null {
  if (action === 'view') return null;
  if (isClosed(c.status)) return 'closed';
  switch (action) {
    case 'claim':
      return c.status === 'open' ? null : 'claimedByOther';
    case 'reply':
      // Only the officer who took the case writes to the member, so the member hears one voice.
      if (c.status === 'open') return 'claimFirst';
      return c.claimedById === actor.id ? null : 'claimedByOther';
    case 'done':
    case 'approve':
    case 'reject': {
      const decidable = DECIDABLE.includes(c.type);
      if ((action === 'done') === decidable) return 'wrongAction';
      // An open case may be closed directly; a taken one by the officer who took it, or an admin.
      if (c.status === 'claimed' && c.claimedById !== actor.id && actor.role !== 'admin') return 'claimedByOther';
      return null;
    }
  }
}

/** The action that closes a case with this status. */
export const closingAction = (status: CloseStatus): OfficerAction =>
  status === 'approved' ? 'approve' : status === 'rejected' ? 'reject' : 'done';
