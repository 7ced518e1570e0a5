// Buttons and typed commands that act outside the member's current question: an officer's case actions
// (claim, view, reply, done, approve, reject), a member's "answer" to an officer, and invitation codes.
// On channels without buttons the same action is typed: "nhan 12", "xong 12", "claim 12", "HV-7KQ2-MX4P".
import type { ActionHandler, Answers, FlowOutcome, Translate } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import { fold } from '../../domain/text.ts';
import { CASE_DONE_FLOW, CASE_REJECT_FLOW, OFFICER_REPLY_FLOW, TALK_MORE_FLOW, TALK_REOPEN_FLOW } from './flows.ts';
import { INVITATION_PATTERN, redeemOutcome, type InvitationService } from './invitations.ts';
import type { CaseChat } from './chat.ts';
import type { CaseService } from './service.ts';

/** The action an invitation code typed anywhere runs. */
export const REDEEM_ACTION = 'redeem';

export const CASE_ACTIONS = ['claim', 'view', 'reply', 'done', 'approve', 'reject', 'answer'] as const;
type CaseAction = (typeof CASE_ACTIONS)[number];

/** The words for each action, in every language, folded (from locales: cases:typed.<action>). */
export type ActionWords = Record<CaseAction, readonly string[]>;

const TYPED = /^(.+?)\s*#?\s*(\d{1,9})$/;

export function createActionHandler(deps: {
  cases: CaseService;
  /** The officers' actions as the chat says them. */
  chat: CaseChat;
  invitations: InvitationService;
  words: ActionWords;
}): ActionHandler {
  const stay = (say: FlowOutcome['say']): FlowOutcome => ({ say, next: { to: 'stay' } });

  return {
    parseTyped(input) {
      if (INVITATION_PATTERN.test(input)) return { name: REDEEM_ACTION, arg: input.trim() };
      const m = TYPED.exec(fold(input));
      if (!m) return null;
      const verb = m[1]!;
      const name = CASE_ACTIONS.find((a) => deps.words[a].includes(verb));
      return name ? { name, arg: m[2]! } : null;
    },

    typedFor(action: string, t: Translate) {
      const [name = '', arg = ''] = action.split(':');
      return (CASE_ACTIONS as readonly string[]).includes(name) ? t(`cases:typed.${name}`, { id: arg }) : undefined;
    },

    async run({ member }, name, arg) {
      if (name === REDEEM_ACTION) return redeemOutcome(await deps.invitations.redeem(member, arg));
      const id = Number(arg);
      if (!Number.isSafeInteger(id) || id <= 0) return stay([text('common:errors.staleButton')]);
      const action = name as CaseAction;
      if (action === 'approve' || action === 'reject' || action === 'done') {
        // A case another feature decides (a product's review): its own decision, never a bare close of the case.
        const elsewhere = await deps.chat.decidedElsewhere(member, id, action);
        if (elsewhere) return elsewhere;
      }
      switch (action) {
        case 'claim':
          return deps.chat.claim(member, id);
        case 'view':
          return deps.chat.view(member, id);
        case 'approve':
          return deps.chat.close(member, id, 'approved', null);
        case 'done':
        case 'reject':
        case 'reply': {
          // Authorisation AND the case's state are checked before asking for a note, a reason or a message: an
          // officer who may not do this now is told so (with the button that helps, e.g. "claim") and types nothing
          // in vain.
          const refusal = await deps.chat.refusal(member, id, action);
          if (refusal) return stay([refusal]);
          const flowId =
            action === 'done' ? CASE_DONE_FLOW : action === 'reject' ? CASE_REJECT_FLOW : OFFICER_REPLY_FLOW;
          // Before she writes to the member: whether a chat message reaches her now, and her phone if not.
          const notice = action === 'reply' ? await deps.chat.replyNotice(member, id) : [];
          // A note on a case about a member she did not open (a problem report on her listing) is for officers only.
          const internal = action === 'done' && !(await deps.chat.tellsMember(member, id));
          const answers: Answers = internal ? { caseId: String(id), internal: true } : { caseId: String(id) };
          return { say: notice, next: { to: 'flow', flowId, answers } };
        }
        case 'answer':
          // A member answering an officer: only on her own case while it is open; otherwise she is told it is over
          // and offered a new request, before she types anything.
          switch (await deps.cases.memberCase(member, id)) {
            case 'open':
              return { say: [], next: { to: 'flow', flowId: TALK_MORE_FLOW, answers: { caseId: String(id) } } };
            case 'closed':
              return { say: [], next: { to: 'flow', flowId: TALK_REOPEN_FLOW, answers: { caseId: String(id) } } };
            case null:
              return stay([text('cases:errors.notFound', { id })]);
          }
          break;
        default:
          return stay([text('common:errors.staleButton')]);
      }
    },
  };
}
