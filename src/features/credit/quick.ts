// Quick questions typed at the menu ("lãi suất bao nhiêu", "vay nuoc sach duoc bao nhieu"), and the "Xem chi tiết"
// button of a short answer.
//
// A question about many programmes gets one short line per programme and an action button "Xem chi tiết"
// (action "creditMore:<figure letters>", e.g. "creditMore:r"); its handler shows every programme in full and leaves
// the member where she was. On channels without buttons the button shows the words to type instead
// ("[chi tiet lai suat] Xem chi tiết"): those words are themselves a quick question asking for the detail (a detail
// word of the data and a figure word), so typing them at the menu gives the same answer. The handler never reads
// typed text itself, so it cannot take over a member's answer to another question.
import type { ActionHandler, FlowContext, FlowOutcome, Said, Translate } from '../../conversation/flow.ts';
import type { ProgrammeData } from '../../domain/credit/index.ts';
import { answerQuickQuestion, quickAnswerFor } from '../../domain/credit/index.ts';
import { localIsoDate } from '../../domain/time.ts';
import { CREDIT_MORE_ACTION, figuresOfAction, quickAnswerMessages } from './format.ts';

/** The menu's answer to typed text that is no menu item: a quick question's answer, or null. */
export function creditQuickAnswer(programmes: ProgrammeData) {
  return (input: string, ctx: FlowContext): Said[] | null => {
    const answer = answerQuickQuestion(input, localIsoDate(ctx.now, ctx.timeZone), programmes, ctx.member.communeCode);
    return answer ? quickAnswerMessages(answer, ctx.member.language, ctx.t) : null;
  };
}

/**
 * `other` (the officers' case actions, invitations) with the credit actions added: "creditMore:<letters>" runs here,
 * everything else there.
 */
export function withCreditActions(other: ActionHandler, programmes: ProgrammeData): ActionHandler {
  return {
    parseTyped: (input) => other.parseTyped(input),

    typedFor(action: string, t: Translate) {
      const [name = '', arg = ''] = action.split(':');
      if (name !== CREDIT_MORE_ACTION) return other.typedFor(action, t);
      const figures = figuresOfAction(arg).map((f) => t(`credit:quick.typedFigure.${f}`));
      return t('credit:quick.typedDetail', { figures: figures.join(' ') });
    },

    async run(ctx, name, arg): Promise<FlowOutcome> {
      if (name !== CREDIT_MORE_ACTION) return other.run(ctx, name, arg);
      const answer = quickAnswerFor(
        figuresOfAction(arg),
        null,
        localIsoDate(ctx.now, ctx.timeZone),
        programmes,
        ctx.member.communeCode,
        true,
      );
      return { say: quickAnswerMessages(answer, ctx.member.language, ctx.t), next: { to: 'stay' } };
    },
  };
}
