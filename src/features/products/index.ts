// The products feature, assembled: the service (the one place of the rules: report, review, my products, drafts,
// problem reports, publishing), the notices it sends through the outbox, the jobs (draft purge, OCOP expiry notice,
// reporter keys forgotten), the personal-data kind of her listings and draft; the member's chat (flows, menu entries
// at the end, intents) from ./flows.ts and the officers' review (buttons lok / lchg / lrej / lview and their flows)
// from ./review.ts. Built once per runtime.
import { text } from '../../conversation/flow.ts';
import { composeActions, type FeatureActions, type FeatureModule } from '../module.ts';
import { createCaseRouting } from '../cases/routing.ts';
import { productJobDefinitions, createProductJobs } from './jobs.ts';
import { createProductNotices } from './notices.ts';
import type { ProductFeatureParts, ProductsModuleDeps } from './parts.ts';
import { listingsDataKind } from './personalData.ts';
import {
  createProductChatActionHandler,
  createProductFlows,
  productIntents,
  productMenuAnswer,
  productMenuAtEnd,
  productOnReturn,
} from './flows.ts';
import {
  createProductCaseTypes,
  createProductReviewActions,
  createProductReviewFlows,
  PRODUCT_REVIEW_ACTIONS,
} from './review.ts';
import { createProductService } from './service.ts';
import { createBuyerActions, createBuyerFlow, LISTING_BUY, type BuyerDeps } from './buyer.ts';
import { createConsentService } from '../consent/purposes.ts';

export type { ProductFeatureParts, ProductsModuleDeps };

/** The member's buttons (lmedit, lpr: ./flows.ts) and the officers' (lok, lchg, lrej, lview: ./review.ts), as one. */
function productActions(parts: ProductFeatureParts, buyer: BuyerDeps): FeatureActions {
  const chat = createProductChatActionHandler(parts);
  const review = { names: PRODUCT_REVIEW_ACTIONS, ...createProductReviewActions(parts) };
  const buy = { names: [LISTING_BUY], ...createBuyerActions(buyer) };
  const handler = composeActions([
    { name: 'products-chat', flows: [], actions: chat },
    { name: 'products-review', flows: [], actions: review },
    { name: 'products-buyer', flows: [], actions: buy },
  ]);
  return { names: [...chat.names, ...review.names, ...buy.names], ...handler };
}

/** Defaults of the products' settings (README "Configuration"). */
export const LISTING_DEFAULTS = { draftDays: 7, reportsPerDay: 5, ocopHour: 8 } as const;

/** The products feature's module, with its service (for the CLI, the HTTP catalogue, the tests). */
export function productsFeature(deps: ProductsModuleDeps) {
  const notices = createProductNotices(deps);
  const service = createProductService({
    ...deps,
    routing: createCaseRouting(deps.officers),
    files: deps.files.records,
    fileStore: deps.files.store,
    notices,
    draftDays: deps.listingDraftDays ?? LISTING_DEFAULTS.draftDays,
    reportsPerDay: deps.listingReportsPerDay ?? LISTING_DEFAULTS.reportsPerDay,
    reporterSecret: deps.listingReporterSecret,
  });
  const jobs = createProductJobs(service);
  const parts: ProductFeatureParts = { service, notices, deps };
  // A buyer's enquiry about a published product (./buyer.ts): a case for the officers of the seller's commune.
  const buyer: BuyerDeps = {
    service,
    cases: deps.caseService,
    consent: createConsentService({ consents: deps.consents, members: deps.members }),
    members: deps.members,
    areas: deps.areas,
    words: deps.phrases('products:typed.buy'),
  };
  const module: FeatureModule = {
    name: 'products',
    flows: [...createProductFlows(parts), ...createProductReviewFlows(parts), createBuyerFlow(buyer)],
    menuAtEnd: productMenuAtEnd,
    menuAnswer: productMenuAnswer(parts),
    actions: productActions(parts, buyer),
    // The officer's case view shows the listing of a review case or a problem report (cases/caseTypes.ts).
    caseTypes: createProductCaseTypes(parts),
    jobs: productJobDefinitions(jobs, {
      ocopHour: deps.listingOcopHour ?? LISTING_DEFAULTS.ocopHour,
      timeZone: deps.timeZone,
      logger: deps.logger,
    }),
    personalData: [listingsDataKind(service)],
    intents: productIntents(parts),
    onReturn: productOnReturn(parts),
    // Withdrawing / giving productPublishing takes her approved listings out of / back into the catalogue at once
    // (the catalogue reads her consent now): she is told so, when she has any.
    consentConsequences: {
      productPublishing: async (member, given) => {
        const shown = (await service.mine(member)).filter((v) => v.listing.status === 'approved').length;
        if (shown === 0) return [];
        return [text(given ? 'products:consent.shownAgain' : 'products:consent.hidden', { count: shown })];
      },
    },
  };
  return { module, service, jobs, notices };
}

export type ProductsFeature = ReturnType<typeof productsFeature>;
