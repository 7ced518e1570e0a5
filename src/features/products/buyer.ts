// A buyer asks about a published product through the bot (the catalogue tells buyers whose seller kept her phone
// private to "message the bot with product number N"): typed "mua sản phẩm 12", "hỏi mua sp 12", "sp12" (also the
// Telegram deep link /start sp12, passed on by the channel as the text "sp12"), "buy product 12" — the typed words
// are data: locales products.json typed.buy. Any bot user may ask, member or not.
//
// 1. The action (lbuy:<id>) shows the product's summary (name, price, commune when published, available or sold out);
//    a product not published now (unknown, pending, withdrawn, owner's consent withdrawn) gets a polite answer.
// 2. BUYER_FLOW asks her consent to store her question and phone for this purpose (consent purpose buyerEnquiry,
//    asked each time until she gives it: declining stores nothing and she may ask again later), her question (her
//    words, a `message` step) and a phone to reach her (optional; only when her profile has none).
// 3. The request becomes a case `buyer_enquiry` filed under HER (the officer's replies reach her through the relay)
//    but routed to the officers of the SELLER's commune (CaseService.open's communeCode). The seller is never given
//    her data by the bot (the officer decides what to pass on); she never gets the seller's unpublished phone.
import type { ActionHandler, Flow, FlowOutcome, Said, Translate } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { PublicListing } from '../../domain/listings.ts';
import type { Member, MemberRepository } from '../../domain/member.ts';
import { fold } from '../../domain/text.ts';
import type { CaseService } from '../cases/service.ts';
import { TALK_MORE_FLOW } from '../cases/flows.ts';
import type { ConsentService } from '../consent/purposes.ts';
import { communeName } from '../courses/presenter.ts';
import type { ProductService } from './contract.ts';
import { formatPrice } from './presenter.ts';

export const BUYER_FLOW = 'productEnquiry';
/** A buyer's enquiry about a published listing: lbuy:<id>. */
export const LISTING_BUY = 'lbuy';
/** Most characters of her question (a chat message to an officer). */
export const BUYER_QUESTION_MAX = 1000;

/** "… số 12", "… #12", "sp12": the words before the number, then the number. */
const TYPED = /^(.+?)\s*(?:so|#)?\s*#?\s*(\d{1,9})$/;

/**
 * The listing's number when her words ask to buy it ("mua sp so 12", "muon mua san pham #12", "sp12", "buy product
 * 12"), else null. `words`: products:typed.buy in every language, compared folded (no marks, lower case).
 */
export function buyRequestIn(input: string, words: readonly string[]): number | null {
  const folded = words.map((w) => fold(w).trim());
  const m = TYPED.exec(fold(input).trim().replace(/\s+/g, ' '));
  if (!m) return null;
  const verb = (m[1] ?? '').replace(/\s*(so|#)$/, '').trim();
  if (!folded.includes(verb)) return null;
  const id = Number(m[2]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The product as a buyer reads it: name, price per unit, commune when published, available or sold out. */
export function buyerSummary(listing: PublicListing, member: Member, t: Translate, areas: AreaDirectory): string {
  const price = formatPrice(listing.priceVnd, member.language, t);
  return [
    t('products:buyer.summary.name', { id: listing.id, name: listing.name }),
    t('products:buyer.summary.price', { price, unit: listing.unit }),
    listing.communeCode === null
      ? t('products:buyer.summary.province')
      : t('products:buyer.summary.commune', { commune: communeName(listing.communeCode, areas, t) }),
    t(listing.available ? 'products:buyer.summary.available' : 'products:buyer.summary.soldOut'),
  ].join('\n');
}

/**
 * The answer to a question about buying without a product number ("co ai ban mat ong ko"): this is where members put
 * their own products forward; buyers find products in the public catalogue (its address when known) and ask about one
 * here with its number ("mua sp 12").
 */
export function buyingSaid(catalogueUrl: string | undefined): Said[] {
  return [
    text('products:report.buying'),
    text(
      catalogueUrl ? 'products:buyer.howToCatalogue' : 'products:buyer.howTo',
      catalogueUrl ? { url: catalogueUrl } : {},
    ),
  ];
}

export interface BuyerDeps {
  service: Pick<ProductService, 'enquiryTarget'>;
  cases: Pick<CaseService, 'open'>;
  consent: Pick<ConsentService, 'stateOf' | 'decide'>;
  members: Pick<MemberRepository, 'update'>;
  areas: AreaDirectory;
  /** products:typed.buy in every language. */
  words: readonly string[];
}

/** The typed request and its action (lbuy:<id>), run outside her current question. */
export function createBuyerActions(deps: BuyerDeps): ActionHandler {
  return {
    parseTyped(input) {
      const id = buyRequestIn(input, deps.words);
      return id === null ? null : { name: LISTING_BUY, arg: String(id) };
    },
    typedFor(action, t) {
      const [name = '', arg = ''] = action.split(':');
      return name === LISTING_BUY ? t('products:typed.buyAs', { id: arg }) : undefined;
    },
    async run({ member, t }, name, arg): Promise<FlowOutcome> {
      const id = Number(arg);
      if (name !== LISTING_BUY || !Number.isSafeInteger(id) || id <= 0) {
        return { say: [text('common:errors.staleButton')], next: { to: 'stay' } };
      }
      const found = await deps.service.enquiryTarget(id);
      if (!found) return { say: [text('products:buyer.notPublished', { id })], next: { to: 'home' } };
      const consented = (await deps.consent.stateOf(member, 'buyerEnquiry')) === 'given';
      return {
        say: [{ raw: buyerSummary(found.listing, member, t, deps.areas) }],
        next: {
          to: 'flow',
          flowId: BUYER_FLOW,
          answers: { listingId: id, name: found.listing.name, consented, hasPhone: member.phone !== null },
        },
      };
    },
  };
}

/** The enquiry's questions: consent (until given), her question, a phone to reach her (optional). */
export function createBuyerFlow(deps: BuyerDeps): Flow {
  return {
    id: BUYER_FLOW,
    steps: [
      {
        id: 'consent',
        prompt: text('products:buyer.askConsent'),
        input: { kind: 'yesno', yesLabel: text('privacy:agree'), noLabel: text('privacy:decline') },
        when: (a) => a['consented'] !== true,
      },
      {
        id: 'question',
        prompt: ({ answers }) => text('products:buyer.askQuestion', { name: answerText(answers['name']) }),
        input: { kind: 'text', maxLength: BUYER_QUESTION_MAX },
        // Her words for a person: never read as a request for another feature.
        message: true,
        when: (a) => a['consented'] === true || a['consent'] === 'yes',
      },
      {
        id: 'phone',
        prompt: text('products:buyer.askPhone'),
        input: { kind: 'phone' },
        optional: true,
        when: (a) => (a['consented'] === true || a['consent'] === 'yes') && a['hasPhone'] !== true,
      },
    ],
    finish: async ({ member, answers, now }): Promise<FlowOutcome> => {
      if (answers['consented'] !== true && answers['consent'] !== 'yes') {
        await deps.consent.decide(member, 'buyerEnquiry', false, now);
        return { say: [text('products:buyer.declined')], next: { to: 'home' } };
      }
      const id = Number(answers['listingId']);
      const question = answerText(answers['question']);
      // Checked again: the listing may have left the catalogue while she was typing. Her words are given back.
      const found = await deps.service.enquiryTarget(id);
      if (!found) {
        return {
          say: [text('products:buyer.notPublished', { id }), text('products:buyer.yourText', { text: question })],
          next: { to: 'home' },
        };
      }
      let updated = member;
      if (answers['consented'] !== true) updated = await deps.consent.decide(member, 'buyerEnquiry', true, now);
      const phone = answers['phone'];
      // The officer who takes the case sees her phone (as on any case); never the seller, never the other officers.
      if (typeof phone === 'string' && phone !== '') updated = await deps.members.update(member.id, { phone });
      const { case: c, notified } = await deps.cases.open(
        updated,
        'buyer_enquiry',
        { listingId: String(id), product: found.listing.name, question },
        { communeCode: found.sellerCommune },
      );
      return {
        say: [text(notified > 0 ? 'products:buyer.sent' : 'products:buyer.sentNobody', { id: c.id })],
        // Like a request to an officer: what she writes next goes to the case; the officer's reply reaches her here.
        next: { to: 'flow', flowId: TALK_MORE_FLOW, answers: { caseId: String(c.id) } },
        member: updated,
      };
    },
  };
}
