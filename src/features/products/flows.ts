// The products feature in the member's chat, assembled: the report (./report.ts: new report, draft offered back,
// editing after "ask for changes"), "Sản phẩm của tôi" (./mine.ts), a problem report on a published listing
// (./problem.ts), its buttons and typed commands (./actions.ts), the menu entries and the intents members reach them
// with in their own words ("em muốn bán mật ong", "gửi sản phẩm", "sp của em duyệt chưa"), whose examples are in
// locales/<lng>/products.json "intents". The module (./index.ts) takes them from here.
import type { ActionHandler, Flow, FlowNext, Json, Said } from '../../conversation/flow.ts';
import type { Member } from '../../domain/member.ts';
import { text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { MenuEntry } from '../menu/flow.ts';
import type { IntentDeclaration } from '../understanding.ts';
import { createProductChatActions, PRODUCT_CHAT_ACTIONS } from './actions.ts';
import type { ProductService } from './contract.ts';
import { createMineFlows, MY_PRODUCTS_FLOW } from './mine.ts';
import { createProblemFlows, PRODUCT_PROBLEM_FLOW } from './problem.ts';
import { buyingSaid } from './buyer.ts';
import { asksToBuy, createReportFlows, groupIn, groupWords, PRODUCT_REPORT_FLOW } from './report.ts';

export { PRODUCT_CHAT_ACTIONS };

/** What the member's chat needs from the feature's parts (ProductFeatureParts provides it). */
export interface ProductChatParts {
  service: ProductService;
  deps: {
    areas: AreaDirectory;
    /** Every language's phrases of a locales list key (group words, typed command words). */
    phrases: (key: string) => string[];
    /** The public catalogue's address, told to buyers (unset: not told). */
    catalogueUrl?: string | undefined;
  };
}

/** The member's product flows: report, draft, form, my products and its pages, problem report. */
export function createProductFlows(parts: ProductChatParts): Flow[] {
  const deps = {
    service: parts.service,
    areas: parts.deps.areas,
    phrases: parts.deps.phrases,
    catalogueUrl: parts.deps.catalogueUrl,
  };
  return [...createReportFlows(deps), ...createMineFlows(deps), ...createProblemFlows(deps)];
}

/** Its entries in the main menu, in menu order: none (products came later, see productMenuAtEnd). */
export const productMenuEntries: MenuEntry[] = [];

/**
 * Entries added after the others (FeatureModule.menuAtEnd: the numbers members learnt keep their items): "Gửi sản
 * phẩm" and "Sản phẩm của tôi" (members who consented), "Báo sai thông tin sản phẩm" (everyone: any bot user may
 * report a problem with a published listing).
 */
export const productMenuAtEnd: MenuEntry[] = [
  { flowId: PRODUCT_REPORT_FLOW, label: text('products:menu.report'), audience: 'consented' },
  { flowId: MY_PRODUCTS_FLOW, label: text('products:menu.mine'), audience: 'consented' },
  { flowId: PRODUCT_PROBLEM_FLOW, label: text('products:menu.problem'), audience: 'everyone' },
];

/** What members ask for in their own words that products do (examples in locales products.json "intents"). */
export function productIntents(parts: ProductChatParts): IntentDeclaration[] {
  const words = groupWords(parts.deps.phrases);
  const buying = parts.deps.phrases('products:typed.buying');
  return [
    {
      // "em muốn bán mật ong": the report, with the group read from her words (confirmed at its step). A question
      // about buying ("co ai ban mat ong ko") is no report: the flow's start tells her so and asks nothing.
      id: 'productReport',
      namespace: 'products',
      flowId: PRODUCT_REPORT_FLOW,
      read: (input): Record<string, Json> => {
        if (asksToBuy(input, buying)) return { buying: 'yes' };
        const group = groupIn(input, words);
        return group ? { group } : {};
      },
    },
    { id: 'myProducts', namespace: 'products', flowId: MY_PRODUCTS_FLOW },
    { id: 'productProblem', namespace: 'products', flowId: PRODUCT_PROBLEM_FLOW },
  ];
}

/**
 * Her answer at the menu to a question about buying ("co ai ban mat ong ko", "ai bán mật ong không": words of
 * products:typed.buying), before any intent is read: the bot helps members put their own products forward and is no
 * shop, so she is told where to look instead — never asked for a consent or started on a report.
 */
export function productMenuAnswer(parts: ProductChatParts): (input: string) => Said[] | null {
  const buying = parts.deps.phrases('products:typed.buying');
  return (input) => (asksToBuy(input, buying) ? buyingSaid(parts.deps.catalogueUrl) : null);
}

/** The member's product buttons and typed commands (lmedit, lpr), with their action names. */
export function createProductChatActionHandler(parts: ProductChatParts): ActionHandler & {
  names: readonly string[];
} {
  const handler = createProductChatActions({
    service: parts.service,
    words: {
      edit: parts.deps.phrases('products:typed.edit'),
      problem: parts.deps.phrases('products:typed.problem'),
    },
  });
  return { names: PRODUCT_CHAT_ACTIONS, ...handler };
}

/**
 * Where she goes back to when her conversation expired or was reset (FeatureModule.onReturn): her unfinished report,
 * which offers to continue it or start again ("Chị đang gửi dở sản phẩm «…»"); null without a draft.
 */
export function productOnReturn(parts: ProductChatParts): (member: Member) => Promise<FlowNext | null> {
  return async (member) => {
    if (member.consentAt === null) return null;
    const draft = await parts.service.draftOf(member);
    return draft ? { to: 'flow', flowId: PRODUCT_REPORT_FLOW } : null;
  };
}
