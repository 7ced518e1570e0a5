// Cases and the officers who handle them: the use cases, as the chat, the admin CLI and (later) a web console call
// them. Opening a case notifies the officers of the member's commune (routing.ts); the first claim wins; closing tells
// the member. Every check is made here, on the server, for every action: a forged button cannot claim or close
// anything. Results are domain values (policy.ts: ok with the record, or a refusal with its reason); what the chat
// says about them is chat.ts and presenter.ts. Relaying messages is relay.ts; escalation and the digest are jobs.ts.
import type { Clock } from '../../conversation/ports.ts';
import type { Case, CaseRepository, CaseType } from '../../domain/cases.ts';
import { isClosed } from '../../domain/cases.ts';
import type { Member, MemberRepository } from '../../domain/member.ts';
import { covers, type AuditLog, type OfficerRepository } from '../../domain/officers.ts';
import type { CaseNotices } from './notices.ts';
import {
  blocked,
  closingAction,
  isStaff,
  type CaseDetail,
  type CaseResult,
  type CloseStatus,
  type OfficerAction,
} from './policy.ts';
import type { CaseRouting } from './routing.ts';

export type { CloseStatus, MemberRelay, OfficerAction } from './policy.ts';

export interface CaseServiceDeps {
  cases: CaseRepository;
  officers: OfficerRepository;
  members: MemberRepository;
  audit: AuditLog;
  routing: CaseRouting;
  notices: CaseNotices;
  clock: Clock;
}

export function createCaseService(deps: CaseServiceDeps) {
  const { cases, officers, members, audit, notices } = deps;

  /** Loads a case and checks the actor may act on it: an officer or admin, and the case in her areas. */
  async function authorised(actor: Member, id: number): Promise<CaseResult<{ case: Case }>> {
    if (!isStaff(actor)) return { ok: false, refusal: { reason: 'notOfficer' } };
    const c = Number.isSafeInteger(id) ? await cases.get(id) : null;
    if (!c) return { ok: false, refusal: { reason: 'notFound' } };
    if (actor.role !== 'admin' && !covers(await officers.areasOf(actor.id), c.communeCode)) {
      return { ok: false, refusal: { reason: 'notYourArea' } };
    }
    return { ok: true, case: c };
  }

  /** The case when the actor may do this action on it now; otherwise why not. */
  async function check(actor: Member, id: number, action: OfficerAction): Promise<CaseResult<{ case: Case }>> {
    const found = await authorised(actor, id);
    if (!found.ok) return found;
    const why = blocked(found.case, actor, action);
    if (why === null) return found;
    if (why !== 'claimedByOther') return { ok: false, refusal: { reason: why } };
    const by = found.case.claimedById ? await members.findById(found.case.claimedById) : null;
    return { ok: false, refusal: { reason: 'claimedByOther', by } };
  }

  /** The case with its member, its messages and their authors, as `viewer` may see it. */
  async function detail(c: Case, viewer: Member): Promise<CaseDetail> {
    const member = await members.findById(c.memberId);
    const messages = await cases.messages(c.id);
    const authors = new Map<string, Member | null>();
    for (const m of messages) {
      if (m.author === 'officer' && m.authorId !== null && !authors.has(m.authorId)) {
        authors.set(m.authorId, await members.findById(m.authorId));
      }
    }
    return { case: c, member, messages, authors, full: c.claimedById === viewer.id || viewer.role === 'admin' };
  }

  /** The case with its whole conversation, for an officer who may see it. */
  async function view(actor: Member, id: number): Promise<CaseResult<{ detail: CaseDetail }>> {
    const found = await check(actor, id, 'view');
    if (!found.ok) return found;
    return { ok: true, detail: await detail(found.case, actor) };
  }

  return {
    check,

    /**
     * Why this actor may not do this action on this case now, or null when she may. Asked before any input is
     * requested from her (a note, a reason, a message).
     */
    async refusal(actor: Member, id: number, action: OfficerAction) {
      const found = await check(actor, id, action);
      return found.ok ? null : found.refusal;
    },

    /** The member of a case (null: no such case, or the member was erased). */
    async memberOf(id: number): Promise<Member | null> {
      const c = await cases.get(id);
      return c ? members.findById(c.memberId) : null;
    },

    /**
     * Opens a case and notifies; `notified` = how many officers heard of it (0: nobody is there yet to do so). The
     * case is routed by the member's commune, or by `opts.communeCode` when given (a buyer's enquiry goes to the
     * officers of the seller's commune, not the buyer's).
     */
    async open(
      member: Member,
      type: CaseType,
      details: Record<string, string>,
      opts: { communeCode?: string | null } = {},
    ): Promise<{ case: Case; notified: number }> {
      const communeCode = opts.communeCode === undefined ? member.communeCode : opts.communeCode;
      const c = await cases.create({
        type,
        memberId: member.id,
        communeCode,
        details,
        createdAt: deps.clock.now(),
      });
      const recipients = await deps.routing.recipientsFor(communeCode);
      await notices.caseFor(recipients, c, member, false);
      return { case: c, notified: recipients.length };
    },

    view,

    /**
     * The first claim wins; the winner gets the case with its conversation so far (and the member's phone number).
     * `already`: the case was hers already, nothing changed.
     */
    async claim(actor: Member, id: number): Promise<CaseResult<{ detail: CaseDetail; already: boolean }>> {
      const found = await check(actor, id, 'claim');
      if (!found.ok) {
        // Her own case already: show it rather than refuse.
        const c = await cases.get(id);
        if (c && !isClosed(c.status) && c.claimedById === actor.id) {
          const shown = await view(actor, id);
          return shown.ok ? { ...shown, already: true } : shown;
        }
        return found;
      }
      if (!(await cases.claim(id, actor.id, deps.clock.now()))) {
        // Someone was faster (or closed it) between the check and the claim.
        const again = await check(actor, id, 'claim');
        return again.ok ? { ok: false, refusal: { reason: 'closed' } } : again;
      }
      await audit.record({ actor: actor.id, action: 'case.claimed', subject: String(id) });
      const c = (await cases.get(id))!;
      await notices.claimed(c, actor);
      return { ok: true, detail: await detail(c, actor), already: false };
    },

    /**
     * done / approved / rejected; `note` is the officer's note or the reason of a rejection. Checked again here (the
     * case may have changed since she was asked for the note).
     */
    async close(actor: Member, id: number, status: CloseStatus, note: string | null): Promise<CaseResult> {
      const found = await check(actor, id, closingAction(status));
      if (!found.ok) return found;
      if (!(await cases.close(id, status, note, deps.clock.now(), actor.id))) {
        return { ok: false, refusal: { reason: 'closed' } };
      }
      await audit.record({
        actor: actor.id,
        action: `case.${status}`,
        subject: String(id),
        details: note ? { note: true } : {},
      });
      await notices.closed(found.case, status, note);
      return { ok: true };
    },

    /** A member's own case as she may write on it: "open" (not closed), "closed", or null (no such case of hers). */
    async memberCase(member: Member, id: number): Promise<'open' | 'closed' | null> {
      const c = Number.isSafeInteger(id) ? await cases.get(id) : null;
      if (c?.memberId !== member.id) return null;
      return isClosed(c.status) ? 'closed' : 'open';
    },

    /** Cases of the officer's areas that are not closed (all of them for admins), oldest first. */
    async active(actor: Member): Promise<Case[]> {
      if (!isStaff(actor)) return [];
      return cases.listActive(actor.role === 'admin' ? ['*'] : await officers.areasOf(actor.id));
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
