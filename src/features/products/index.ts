// The products feature, assembled: the service (the one place of the rules: report, review, my products, drafts,
// problem reports, publishing), the notices it sends through the outbox, the jobs (draft purge, OCOP expiry notice,
// reporter keys forgotten), the personal-data kind of her listings and draft; the member's chat (flows, menu entries
// at the end, intents) from ./flows.ts and the officers' review (buttons lok / lchg / lrej / lview and their flows)
// from ./review.ts. Built once per runtime.
import type { FeatureModule } from '../module.ts';
import { createCaseRouting } from '../cases/routing.ts';
import { productJobDefinitions, createProductJobs } from './jobs.ts';
import { createProductNotices } from './notices.ts';
import type { ProductFeatureParts, ProductsModuleDeps } from './parts.ts';
import { listingsDataKind } from './personalData.ts';
import { placeholderChat, placeholderReview } from './placeholders.ts';
import { createProductService } from './service.ts';

// The chat helper replaces this line with: import { createProductFlows, productMenuAtEnd, productIntents } from './flows.ts';
const { createProductFlows, productMenuAtEnd, productIntents } = placeholderChat;
// The review helper replaces this line with: import { PRODUCT_REVIEW_ACTIONS, createProductReviewActions, createProductReviewFlows } from './review.ts';
const { PRODUCT_REVIEW_ACTIONS, createProductReviewActions, createProductReviewFlows } = placeholderReview;

export type { ProductFeatureParts, ProductsModuleDeps };

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
  const module: FeatureModule = {
    name: 'products',
    flows: [...createProductFlows(parts), ...createProductReviewFlows(parts)],
    menuAtEnd: productMenuAtEnd,
    ...(PRODUCT_REVIEW_ACTIONS.length > 0
      ? { actions: { names: PRODUCT_REVIEW_ACTIONS, ...createProductReviewActions(parts) } }
      : {}),
    jobs: productJobDefinitions(jobs, {
      ocopHour: deps.listingOcopHour ?? LISTING_DEFAULTS.ocopHour,
      timeZone: deps.timeZone,
      logger: deps.logger,
    }),
    personalData: [listingsDataKind(service)],
    intents: productIntents(parts),
  };
  return { module, service, jobs, notices };
}

export type ProductsFeature = ReturnType<typeof productsFeature>;
