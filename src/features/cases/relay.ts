// Messages between a member and the officers on her case, both ways. Every message is stored on the case
// (CaseMessage) before anyone is told, so nothing is lost when nobody can be told yet, and whoever takes the case sees
// the whole conversation.
import type { Clock } from '../../conversation/ports.ts';
import type { CaseRepository } from '../../domain/cases.ts';
import { isClosed } from '../../domain/cases.ts';
import type { Member, MemberRepository } from '../../domain/member.ts';
import type { CaseNotices } from './notices.ts';
import type { CaseResult, Delivery, MemberRelay } from './policy.ts';
import type { CaseRouting } from './routing.ts';
import type { CaseService } from './service.ts';

export function createCaseRelay(deps: {
  cases: CaseRepository;
  members: Pick<MemberRepository, 'findById'>;
  service: Pick<CaseService, 'check'>;
  routing: CaseRouting;
  notices: CaseNotices;
  clock: Clock;
}) {
  const { cases, notices } = deps;
  return {
    /**
     * A member's message on her case, of any type: stored on the case first, then passed to the officer who took it
     * (or, while nobody has, to the officers who would be notified of it). "stored" = nobody could be told yet: the
     * officer who takes it will read it with the case. "closed" = the case is over (or not hers): nothing is stored,
     * and the caller offers her a new request with her text.
     */
    async fromMember(member: Member, id: number, message: string): Promise<MemberRelay> {
      const c = await cases.get(id);
      if (c?.memberId !== member.id || isClosed(c.status)) return 'closed';
      await cases.addMessage({
        caseId: id,
        author: 'member',
        authorId: null,
        text: message,
        createdAt: deps.clock.now(),
      });
      const claimer = c.claimedById ? await deps.members.findById(c.claimedById) : null;
      const targets = claimer ? [claimer] : (await deps.routing.recipientsFor(c.communeCode)).map((o) => o.member);
      await notices.fromMember(targets, c, member, message);
      return targets.length > 0 ? 'sent' : 'stored';
    },

    /**
     * An officer's message to the member of a case she took, stored on the case and sent with an "answer" button.
     * `delivery` says whether it reached the member at once ('later': Zalo's window, 'unreachable': a blocked bot;
     * she gets it when she next writes). Refused when she may not reply on the case (or its member is gone).
     */
    async fromOfficer(
      actor: Member,
      id: number,
      message: string,
    ): Promise<CaseResult<{ member: Member; delivery: Delivery }>> {
      const found = await deps.service.check(actor, id, 'reply');
      if (!found.ok) return found;
      const member = await deps.members.findById(found.case.memberId);
      if (!member) return { ok: false, refusal: { reason: 'notFound' } };
      await cases.addMessage({
        caseId: id,
        author: 'officer',
        authorId: actor.id,
        text: message,
        createdAt: deps.clock.now(),
      });
      const delivery = await notices.fromOfficer(member, found.case, actor, message);
      return { ok: true, member, delivery };
    },
  };
}

export type CaseRelay = ReturnType<typeof createCaseRelay>;
