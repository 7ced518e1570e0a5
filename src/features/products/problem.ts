// Reporting a problem with a published listing (issue 13, point 3): any bot user, consented or not. By the listing's
// number — typed "báo sai sản phẩm 12" (the action lpr:12), or from the menu, which asks for the number shown in the
// public catalogue —, its name shown to confirm, the kind (wrong information, sold out, suspected unsafe), her own
// words if she wants (≤ 500 characters, a `message` step: never read as a request), then
// ProductService.reportProblem: only the listing, the kind and the text are stored; rate-limited. The limits
// (published now, the rate limit) are checked before anything is asked (mayReportProblem) and again at the end; a
// refusal then gives her words back.
import type { Flow } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import { LISTING_PROBLEMS, type ListingProblem } from '../../domain/listings.ts';
import type { ProductService } from './contract.ts';

export const PRODUCT_PROBLEM_FLOW = 'productProblem';
export const PRODUCT_PROBLEM_FORM_FLOW = 'productProblemForm';

/** Most characters of her words about the problem (ProductService.reportProblem). */
export const PROBLEM_TEXT_MAX = 500;

const refusedSaid = (reason: string) =>
  text(reason === 'rateLimited' ? 'products:problem.rateLimited' : 'products:problem.notPublishedNow');

export function createProblemFlows(deps: { service: ProductService }): Flow[] {
  const ask: Flow = {
    id: PRODUCT_PROBLEM_FLOW,
    steps: [
      {
        id: 'number',
        prompt: text('products:problem.askNumber'),
        input: { kind: 'number', min: 1, max: 2_000_000_000, integer: true },
        when: (a) => typeof a['listingId'] !== 'number',
      },
    ],
    finish: async ({ member, answers }) => {
      const id = typeof answers['listingId'] === 'number' ? answers['listingId'] : Number(answers['number']);
      const listing = await deps.service.publicOne(id);
      if (!listing) return { say: [text('products:problem.notPublished', { id })], next: { to: 'home' } };
      // The limits first: nothing is asked that would be thrown away at the end.
      const may = await deps.service.mayReportProblem(member, listing.id);
      if (!may.ok) return { say: [refusedSaid(may.refusal.reason)], next: { to: 'home' } };
      return {
        say: [],
        next: {
          to: 'flow',
          flowId: PRODUCT_PROBLEM_FORM_FLOW,
          answers: { listingId: listing.id, name: listing.name },
        },
      };
    },
  };

  const form: Flow = {
    id: PRODUCT_PROBLEM_FORM_FLOW,
    steps: [
      {
        id: 'sure',
        prompt: ({ answers }) =>
          text('products:problem.confirm', { name: answerText(answers['name']), id: answers['listingId'] }),
        input: { kind: 'yesno' },
      },
      {
        id: 'kind',
        prompt: text('products:problem.askKind'),
        input: {
          kind: 'choice',
          options: () => LISTING_PROBLEMS.map((p) => ({ value: p, label: text(`products:problem.kinds.${p}`) })),
        },
        when: (a) => a['sure'] === 'yes',
      },
      {
        id: 'text',
        prompt: text('products:problem.askText', { max: PROBLEM_TEXT_MAX }),
        input: { kind: 'text', maxLength: PROBLEM_TEXT_MAX },
        optional: true,
        message: true,
        when: (a) => a['sure'] === 'yes',
      },
    ],
    finish: async ({ member, answers }) => {
      if (answers['sure'] !== 'yes') return { say: [text('products:problem.notThisOne')], next: { to: 'home' } };
      const kind = answers['kind'] as ListingProblem;
      const words = typeof answers['text'] === 'string' ? answers['text'] : null;
      const result = await deps.service.reportProblem(member, Number(answers['listingId']), kind, words);
      if (!result.ok) {
        // Refused meanwhile (checked again): her words are given back, not lost.
        const back = words ? [text('products:problem.yourText', { text: words })] : [];
        return { say: [refusedSaid(result.refusal.reason), ...back], next: { to: 'home' } };
      }
      return { say: [text('products:problem.thanks')], next: { to: 'home' } };
    },
  };
  return [ask, form];
}
