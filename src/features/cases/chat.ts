// What the chat says for the case services' results: an officer's actions (view, claim, close, reply) as flow
// outcomes, with her words given back when they could not be used. The thin layer between the use cases (service.ts,
// relay.ts) and the conversation: a CLI or a web console calls the services and renders the same results its own way.
import type { FlowOutcome, Said, Translate } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import { openedByMember } from '../../domain/cases.ts';
import type { Language, Member } from '../../domain/member.ts';
import type { CaseTypeHandlers } from './caseTypes.ts';
import type { CaseDetail, CloseStatus, OfficerAction } from './policy.ts';
import type { CasePresenter } from './presenter.ts';
import type { CaseRelay } from './relay.ts';
import type { CaseService } from './service.ts';

export function createCaseChat(deps: {
  service: CaseService;
  relay: CaseRelay;
  presenter: CasePresenter;
  translator: (language: Language) => Translate;
  /** The case types other features show themselves (the listing of a product case): added after the card. */
  caseTypes?: CaseTypeHandlers;
}) {
  const { service, presenter } = deps;
  const stay = (say: Said[]): FlowOutcome => ({ say, next: { to: 'stay' } });
  /** For an officer whose message or note could not be used: her own words back, so she can send them elsewhere. */
  const notSent = (words: string | null): Said[] => (words ? [text('cases:relay.notSent', { message: words })] : []);
  /** What the feature owning the case's type shows after the card (the listing with its photos and buttons). */
  const extra = async (detail: CaseDetail, viewer: Member): Promise<Said[]> =>
    (await deps.caseTypes?.[detail.case.type]?.view(detail.case, viewer)) ?? [];

  return {
    /** The refusal of this action on case `id` in her words, or null when she may do it now. */
    async refusal(actor: Member, id: number, action: OfficerAction): Promise<Said | null> {
      const refusal = await service.refusal(actor, id, action);
      return refusal ? presenter.refusal(refusal, actor, id) : null;
    },

    /**
     * What an officer should know before writing to the member of a case she may reply on: whether a chat message
     * reaches her now (Zalo's window, a blocked bot), with her phone number when it does not. Empty when it does.
     */
    async replyNotice(actor: Member, id: number): Promise<Said[]> {
      const lines = presenter.reachLines(await service.memberOf(id), actor, true);
      return lines.length > 0 ? [{ raw: lines.join('\n') }] : [];
    },

    /** The case with its whole conversation and the buttons this officer may use. */
    async view(actor: Member, id: number): Promise<FlowOutcome> {
      const result = await service.view(actor, id);
      if (!result.ok) return stay([presenter.refusal(result.refusal, actor, id)]);
      return stay([presenter.card(result.detail, actor), ...(await extra(result.detail, actor))]);
    },

    /** Claims the case; the winner sees it with "you took #id" (or as it is, when it was hers already). */
    async claim(actor: Member, id: number): Promise<FlowOutcome> {
      const result = await service.claim(actor, id);
      if (!result.ok) return stay([presenter.refusal(result.refusal, actor, id)]);
      const heading = result.already ? undefined : deps.translator(actor.language)('cases:claimed', { id });
      return stay([presenter.card(result.detail, actor, heading), ...(await extra(result.detail, actor))]);
    },

    /**
     * A generic decision (approve / reject / done) on a case whose type another feature decides (a product case): the
     * feature's own decision runs instead (or its refusal), after the usual check that she may act on the case. Null
     * when the type is the cases feature's own.
     */
    async decidedElsewhere(
      actor: Member,
      id: number,
      action: 'approve' | 'reject' | 'done',
    ): Promise<FlowOutcome | null> {
      const found = await service.check(actor, id, 'view');
      if (!found.ok) return null;
      const handler = deps.caseTypes?.[found.case.type];
      if (!handler?.replacesDecisions.includes(action)) return null;
      return handler.decide(found.case, actor, action);
    },

    /** Closes the case: she is told and goes home; refused, she stays with her note given back. */
    async close(actor: Member, id: number, status: CloseStatus, note: string | null): Promise<FlowOutcome> {
      const told = await this.tellsMember(actor, id);
      const result = await service.close(actor, id, status, note);
      if (!result.ok) return stay([presenter.refusal(result.refusal, actor, id), ...notSent(note)]);
      return { say: [text(told ? `cases:closed.${status}` : 'cases:closed.internal', { id })], next: { to: 'home' } };
    },

    /**
     * Whether the case's member hears of its handling: false for a case filed about her rather than by her (a
     * problem someone reported with her listing: domain/cases.ts ABOUT_MEMBER). True when the case cannot be read
     * (the refusal is said by whatever follows).
     */
    async tellsMember(actor: Member, id: number): Promise<boolean> {
      const found = await service.check(actor, id, 'view');
      return !found.ok || openedByMember(found.case.type);
    },

    /**
     * An officer's message to the member. Relayed: `next` is "stay" (she may write more), and she is told when it
     * could not reach the member at once (the member gets it when she next writes), with the member's phone number.
     * Refused: "home", with her text given back.
     */
    async relayFromOfficer(actor: Member, id: number, message: string): Promise<FlowOutcome> {
      const result = await deps.relay.fromOfficer(actor, id, message);
      if (!result.ok) {
        return { say: [presenter.refusal(result.refusal, actor, id), ...notSent(message)], next: { to: 'home' } };
      }
      if (result.delivery === 'sent') return stay([text('cases:relay.sent')]);
      const notice = presenter.reachLines(result.member, actor, true);
      const ta = deps.translator(actor.language);
      if (notice.length === 0) notice.push(ta('cases:reach.phone', { phone: presenter.phoneOf(result.member, ta) }));
      return stay([{ raw: [ta('cases:relay.stored', { id }), ...notice].join('\n') }]);
    },
  };
}

export type CaseChat = ReturnType<typeof createCaseChat>;
