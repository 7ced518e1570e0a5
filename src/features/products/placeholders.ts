// Stand-ins for the member's chat (./flows.ts, helper "chat") and the officers' review (./review.ts, helper
// "review") until they land: the same names and shapes, doing nothing. Each helper replaces its one line in
// ./index.ts with the import of its real module, then this file goes when neither line uses it.
import type { ActionHandler, Flow } from '../../conversation/flow.ts';
import type { MenuEntry } from '../menu/flow.ts';
import { NO_ACTIONS } from '../module.ts';
import type { IntentDeclaration } from '../understanding.ts';
import type { ProductFeatureParts } from './parts.ts';

export const placeholderChat = {
  createProductFlows: (_parts: ProductFeatureParts): Flow[] => [],
  productMenuAtEnd: [] as readonly MenuEntry[],
  productIntents: (_parts: ProductFeatureParts): IntentDeclaration[] => [],
};

export const placeholderReview = {
  PRODUCT_REVIEW_ACTIONS: [] as readonly string[],
  createProductReviewActions: (_parts: ProductFeatureParts): ActionHandler => NO_ACTIONS,
  createProductReviewFlows: (_parts: ProductFeatureParts): Flow[] => [],
};
