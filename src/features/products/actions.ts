// The member's product buttons and typed commands, run outside her current question: "Sửa sản phẩm" on the decision
// message after an officer asked for changes (lmedit:<id>; typed "sửa sản phẩm 12") and a problem report on a
// listing by its number (lpr:<id>; typed "báo sai sản phẩm 12"). The typed words are data: locales
// products.json "typed" (every language's, folded).
import type { ActionHandler, FlowOutcome, Translate } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import { fold } from '../../domain/text.ts';
import type { ProductService } from './contract.ts';
import { PRODUCT_PROBLEM_FLOW } from './problem.ts';
import { changesAnswers, editAnswers, PRODUCT_FORM_FLOW, refusalSaid, SELF_EDITABLE } from './report.ts';

/** Edit a listing after "ask for changes" (the button of the member's decision message). */
export const LISTING_EDIT = 'lmedit';
/** Report a problem with a published listing. */
export const LISTING_PROBLEM = 'lpr';
export const PRODUCT_CHAT_ACTIONS = [LISTING_EDIT, LISTING_PROBLEM] as const;

/** The typed forms, folded: words before the listing's number. */
export interface ProductActionWords {
  edit: readonly string[];
  problem: readonly string[];
}

const TYPED = /^(.+?)\s*(?:so|số|#)?\s*#?\s*(\d{1,9})$/;

export function createProductChatActions(deps: { service: ProductService; words: ProductActionWords }): ActionHandler {
  const stay = (say: FlowOutcome['say']): FlowOutcome => ({ say, next: { to: 'stay' } });
  const edit = deps.words.edit.map((w) => fold(w).trim());
  const problem = deps.words.problem.map((w) => fold(w).trim());
  return {
    parseTyped(input) {
      const m = TYPED.exec(fold(input).trim().replace(/\s+/g, ' '));
      if (!m) return null;
      const verb = (m[1] ?? '').replace(/\s*(so|#)$/, '').trim();
      if (edit.includes(verb)) return { name: LISTING_EDIT, arg: m[2] ?? '' };
      if (problem.includes(verb)) return { name: LISTING_PROBLEM, arg: m[2] ?? '' };
      return null;
    },
    typedFor(action: string, t: Translate) {
      const [name = '', arg = ''] = action.split(':');
      if (name === LISTING_EDIT) return t('products:typed.editAs', { id: arg });
      if (name === LISTING_PROBLEM) return t('products:typed.problemAs', { id: arg });
      return undefined;
    },
    async run({ member, t }, name, arg) {
      const id = Number(arg);
      if (!Number.isSafeInteger(id) || id <= 0) return stay([text('common:errors.staleButton')]);
      if (name === LISTING_PROBLEM) {
        return { say: [], next: { to: 'flow', flowId: PRODUCT_PROBLEM_FLOW, answers: { listingId: id } } };
      }
      if (name !== LISTING_EDIT) return stay([text('common:errors.staleButton')]);
      if (member.consentAt === null) return stay([text('common:notAllowed')]);
      const found = await deps.service.mineOne(member, id);
      if (!found.ok) return stay([refusalSaid(found.refusal, t)]);
      if (SELF_EDITABLE.includes(found.listing.status)) {
        return {
          say: [
            text(found.listing.status === 'pending' ? 'products:edit.ownIntroPending' : 'products:edit.ownIntro', {
              name: found.listing.name,
            }),
          ],
          next: { to: 'flow', flowId: PRODUCT_FORM_FLOW, answers: editAnswers(found.listing, found.photos) },
        };
      }
      if (found.listing.status !== 'changes') {
        return stay([text('products:edit.notNow', { name: found.listing.name })]);
      }
      return {
        say: [text('products:edit.intro', { name: found.listing.name })],
        next: { to: 'flow', flowId: PRODUCT_FORM_FLOW, answers: changesAnswers(found.listing, found.photos) },
      };
    },
  };
}
