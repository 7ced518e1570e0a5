// The officers' side of product listings in the chat: the decision buttons of a listing under review — approve
// (`lok:<id>`), ask for changes (`lchg:<id>`: which fields — a stable numbered list, ✓ on the picked ones, several
// numbers or names in one message — then the message to the member), reject (`lrej:<id>`: the
// reason) — and `lview:<id>` (the listing again, with its photos); typed on channels without buttons ("duyet sp 12",
// "sua sp 12", "tu choi sp 12", "xem sp 12": locales productReview:words / typed). And how the products' cases show in
// the officer's case view (cases/caseTypes.ts): a review case shows the listing with its photos and its three
// buttons instead of the generic approve / reject; a problem report shows the listing, the kind and the reporter's text.
// Every check is the service's (contract.ts): canReview before she is asked anything, review again at the end; a
// refusal is said in her words and nothing changes. Texts: locales/<lng>/productReview.json.
import type {
  ActionHandler,
  ActionMessage,
  Answers,
  Flow,
  FlowOutcome,
  Json,
  Said,
  Text,
  Translate,
} from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Case } from '../../domain/cases.ts';
import { LISTING_FIELDS, type Listing, type ListingField } from '../../domain/listings.ts';
import type { Language, Member, MemberRepository } from '../../domain/member.ts';
import { fold } from '../../domain/text.ts';
import type { CaseTypeHandlers } from '../cases/caseTypes.ts';
import type { ListingRefusal, ListingView, ProductService } from './contract.ts';
import { listingSummary } from './presenter.ts';

export const PRODUCT_APPROVE = 'lok';
export const PRODUCT_CHANGES = 'lchg';
export const PRODUCT_REJECT = 'lrej';
export const PRODUCT_VIEW = 'lview';
/** The action names of the officers' listing buttons ("lok:12"...), owned by the products feature. */
export const PRODUCT_REVIEW_ACTIONS = [PRODUCT_APPROVE, PRODUCT_CHANGES, PRODUCT_REJECT, PRODUCT_VIEW] as const;
type ReviewAction = (typeof PRODUCT_REVIEW_ACTIONS)[number];

/** The officer's "ask for changes" (the fields, one pick at a time, then her message) and "reject" (the reason). */
export const PRODUCT_CHANGES_FLOW = 'productChanges';
export const PRODUCT_REJECT_FLOW = 'productReject';

/** Her texts to the member: short chat messages, as the service allows (≤ 1,000 characters). */
const MESSAGE_MAX = 1000;
const DONE = 'done';
const WORD_KEY: Record<ReviewAction, string> = {
  lok: 'approve',
  lchg: 'changes',
  lrej: 'reject',
  lview: 'view',
};
const TYPED = /^(.+?)\s*#?\s*(\d{1,9})$/;

/**
 * What the officers' side is built from: the products service, the members (the name of the officer who decided
 * first), every language's phrases of a locales list (the typed words) and the translator.
 */
export interface ProductReviewParts {
  service: ProductService;
  deps: {
    members: MemberRepository;
    phrases: (key: string) => string[];
    translator: (language: Language) => Translate;
    /** Commune names in the listing's summary. */
    areas: AreaDirectory;
  };
}

const stay = (say: Said[]): FlowOutcome => ({ say, next: { to: 'stay' } });
const listingIdOf = (answers: Answers) => Number(answerText(answers['listingId']));
const fieldsOf = (answers: Answers): ListingField[] => {
  const value: Json | undefined = answers['fields'];
  return Array.isArray(value) ? LISTING_FIELDS.filter((f) => value.includes(f)) : [];
};

/** What the officers see and are told about listings: the card, its buttons, the service's refusals in words. */
export function createReviewPresenter(parts: ProductReviewParts) {
  const { service, deps } = parts;

  /** The decision buttons of a pending listing (none otherwise: it is decided, withdrawn or waiting for her). */
  const decisionButtons = (listing: Listing): ActionMessage['actions'] =>
    listing.status !== 'pending'
      ? []
      : [
          { label: text('productNotices:buttons.approve'), action: `${PRODUCT_APPROVE}:${listing.id}` },
          { label: text('productNotices:buttons.changes'), action: `${PRODUCT_CHANGES}:${listing.id}` },
          { label: text('productNotices:buttons.reject'), action: `${PRODUCT_REJECT}:${listing.id}` },
        ];

  /**
   * The listing as an officer reviews it: its title and status, the summary every reader of a listing sees
   * (presenter.ts), then its photos (one message each) and, while it waits for a decision, the three buttons.
   */
  function card(view: ListingView, reader: Member): Said[] {
    const { listing } = view;
    const t = deps.translator(reader.language);
    const photos = [...view.photos].sort((a, b) => a.position - b.position);
    const lines = [
      t('productReview:card.title', { id: listing.id, name: listing.name }),
      t('productReview:card.status', { status: t(`productNotices:statuses.${listing.status}`) }),
      ...(listing.caseId === null ? [] : [t('productReview:card.case', { caseId: listing.caseId })]),
      listingSummary({ ...listing, photos: photos.length }, { t, language: reader.language, areas: deps.areas }),
      ...(photos.length === 0 ? [t('productReview:card.noPhotos')] : []),
    ];
    const shown: Said[] = photos.map((p, i) => ({
      photo: p.fileId,
      caption: text('productReview:card.photos', { n: i + 1, count: photos.length, id: listing.id }),
    }));
    const buttons = decisionButtons(listing);
    const summary: Text = { raw: lines.join('\n') };
    return buttons.length === 0 ? [summary, ...shown] : [...shown, { text: summary, actions: buttons }];
  }

  /** A refusal of the service about listing `id`, in the actor's words (who decided first, when she may know). */
  async function refusal(refusal: ListingRefusal, actor: Member, id: number): Promise<Said> {
    const t = deps.translator(actor.language);
    switch (refusal.reason) {
      case 'notOfficer':
      case 'notYourArea':
      case 'notFound':
        return text(`productReview:errors.${refusal.reason}`, { id });
      case 'wrongStatus': {
        const status = t(`productNotices:statuses.${refusal.status}`);
        const seen = await service.forReview(actor, id);
        const by = seen.ok && seen.listing.reviewedById ? await deps.members.findById(seen.listing.reviewedById) : null;
        if (by && refusal.status !== 'withdrawn') {
          return text('productReview:errors.decidedBy', { id, status, name: by.displayName ?? t('cases:anOfficer') });
        }
        return text('productReview:errors.wrongStatus', { id, status });
      }
      case 'invalid':
        return text('productReview:errors.invalid', { field: t(`productReview:fields.${refusal.field}`) });
      default:
        return text('productReview:errors.other', { id });
    }
  }

  return { card, refusal, decisionButtons };
}

export type ReviewPresenter = ReturnType<typeof createReviewPresenter>;

/** The handler of `lok`, `lchg`, `lrej`, `lview` and their typed forms (FeatureActions with PRODUCT_REVIEW_ACTIONS). */
export function createProductReviewActions(parts: ProductReviewParts): ActionHandler {
  const { service, deps } = parts;
  const presenter = createReviewPresenter(parts);
  const words = Object.fromEntries(
    PRODUCT_REVIEW_ACTIONS.map((a) => [a, deps.phrases(`productReview:words.${WORD_KEY[a]}`).map(fold)]),
  ) as Record<ReviewAction, string[]>;

  return {
    parseTyped(input) {
      const m = TYPED.exec(fold(input).trim());
      if (!m) return null;
      const verb = m[1]!.replace(/\s+/g, ' ');
      const name = PRODUCT_REVIEW_ACTIONS.find((a) => words[a].includes(verb));
      return name ? { name, arg: m[2]! } : null;
    },

    typedFor(action, t) {
      const [name = '', arg = ''] = action.split(':');
      return (PRODUCT_REVIEW_ACTIONS as readonly string[]).includes(name)
        ? t(`productReview:typed.${WORD_KEY[name as ReviewAction]}`, { id: arg })
        : undefined;
    },

    async run({ member }, name, arg) {
      const id = Number(arg);
      // A made-up or mangled argument: the same answer as an old button, nothing looked up.
      if (!/^\d{1,9}$/.test(arg) || !Number.isSafeInteger(id) || id <= 0) {
        return stay([text('common:errors.staleButton')]);
      }
      switch (name as ReviewAction) {
        case PRODUCT_VIEW: {
          const seen = await service.forReview(member, id);
          if (!seen.ok) return stay([await presenter.refusal(seen.refusal, member, id)]);
          return stay(presenter.card(seen, member));
        }
        case PRODUCT_APPROVE: {
          const result = await service.review(member, id, { kind: 'approve' });
          if (!result.ok) return stay([await presenter.refusal(result.refusal, member, id)]);
          return stay([text('productReview:done.approved', { id })]);
        }
        case PRODUCT_CHANGES:
        case PRODUCT_REJECT: {
          // Checked before she is asked for anything: nobody types a message or a reason in vain.
          const allowed = await service.canReview(member, id);
          if (!allowed.ok) return stay([await presenter.refusal(allowed.refusal, member, id)]);
          const flowId = name === PRODUCT_CHANGES ? PRODUCT_CHANGES_FLOW : PRODUCT_REJECT_FLOW;
          return { say: [], next: { to: 'flow', flowId, answers: { listingId: String(id), fields: [] } } };
        }
        default:
          return stay([text('common:errors.staleButton')]);
      }
    },
  };
}

/** The officer's "ask for changes" and "reject" conversations (reached only through lchg / lrej, after canReview). */
export function createProductReviewFlows(parts: ProductReviewParts): Flow[] {
  const { service } = parts;
  const presenter = createReviewPresenter(parts);
  const fieldList = (fields: readonly ListingField[], t: Translate) =>
    fields.map((f) => t(`productReview:fields.${f}`)).join(', ');
  /** The decision as the service took it: done, or refused with her words given back (she may send them elsewhere). */
  async function decided(
    member: Member,
    id: number,
    outcome: Awaited<ReturnType<ProductService['review']>>,
    doneKey: string,
    words: string,
  ): Promise<FlowOutcome> {
    if (outcome.ok) return { say: [text(doneKey, { id })], next: { to: 'home' } };
    return {
      say: [await presenter.refusal(outcome.refusal, member, id), text('cases:relay.notSent', { message: words })],
      next: { to: 'home' },
    };
  }

  /**
   * Several parts typed in one message: numbers of the (stable) list and / or their names, with "và", commas and
   * the like between them ("5, 7", "5 7", "5 và 7", "giá và ảnh"). The parts, in list order, when at least two are
   * named and nothing else is typed; null otherwise (one part is an ordinary pick).
   */
  const severalFields = (input: string, t: Translate): ListingField[] | null => {
    let rest = ` ${fold(input)} `;
    const named = new Set<ListingField>();
    const label = (f: ListingField) => ` ${fold(t(`productReview:fields.${f}`))} `;
    for (const f of [...LISTING_FIELDS].sort((a, b) => label(b).length - label(a).length)) {
      if (!rest.includes(label(f))) continue;
      named.add(f);
      rest = rest.replace(label(f), ' ');
    }
    const fillers = new Set(fold(t('productReview:changes.severalFillers')).split(' '));
    for (const word of rest.split(' ').filter((w) => w !== '')) {
      if (fillers.has(word)) continue;
      const field = /^\d{1,2}$/.test(word) ? LISTING_FIELDS[Number(word) - 1] : undefined;
      if (!field) return null;
      named.add(field);
    }
    return named.size >= 2 ? LISTING_FIELDS.filter((f) => named.has(f)) : null;
  };

  const changes: Flow = {
    id: PRODUCT_CHANGES_FLOW,
    access: 'officer',
    steps: [
      {
        id: 'pick',
        prompt: ({ answers, t }) => {
          const picked = fieldsOf(answers);
          return picked.length === 0
            ? text('productReview:changes.askFields', { id: listingIdOf(answers) })
            : text('productReview:changes.askMoreFields', { fields: fieldList(picked, t) });
        },
        input: {
          kind: 'choice',
          // Every part, always in the same order (the numbers she learnt keep their part); a picked one is marked
          // and picking it again unpicks it. "Done" comes last, once something is picked.
          options: ({ answers, t }) => {
            const picked = fieldsOf(answers);
            return [
              ...LISTING_FIELDS.map((f) => ({
                value: f,
                label: picked.includes(f)
                  ? text('productReview:changes.pickedLabel', { field: t(`productReview:fields.${f}`) })
                  : text(`productReview:fields.${f}`),
                synonyms: [t(`productReview:fields.${f}`)],
              })),
              ...(picked.length > 0 ? [{ value: DONE, label: text('productReview:actions.done') }] : []),
            ];
          },
          several: (input, { t }) => severalFields(input, t),
        },
      },
      {
        id: 'message',
        when: (answers) => answers['pick'] === DONE,
        prompt: ({ answers, t }) =>
          text('productReview:changes.askMessage', { fields: fieldList(fieldsOf(answers), t) }),
        input: { kind: 'text', maxLength: MESSAGE_MAX },
        // Her words for the member: never read as a request for another feature.
        message: true,
      },
    ],
    finish: async ({ member, answers }): Promise<FlowOutcome> => {
      const id = listingIdOf(answers);
      const picked = fieldsOf(answers);
      const pickValue = answers['pick'];
      if (pickValue !== DONE) {
        // Several at once are added; one part is toggled (picked again: unpicked). The same question again.
        const several = Array.isArray(pickValue) ? pickValue : null;
        const one = answerText(pickValue);
        const fields = LISTING_FIELDS.filter((f) =>
          several ? picked.includes(f) || several.includes(f) : picked.includes(f) !== (f === one),
        );
        return {
          say: [],
          next: { to: 'flow', flowId: PRODUCT_CHANGES_FLOW, answers: { listingId: String(id), fields } },
        };
      }
      const message = answerText(answers['message']);
      const outcome = await service.review(member, id, { kind: 'changes', fields: picked, message });
      return decided(member, id, outcome, 'productReview:done.changes', message);
    },
  };

  const reject: Flow = {
    id: PRODUCT_REJECT_FLOW,
    access: 'officer',
    steps: [
      {
        id: 'reason',
        prompt: ({ answers }) => text('productReview:reject.askReason', { id: listingIdOf(answers) }),
        input: { kind: 'text', maxLength: MESSAGE_MAX },
        message: true,
      },
    ],
    finish: async ({ member, answers }): Promise<FlowOutcome> => {
      const id = listingIdOf(answers);
      const reason = answerText(answers['reason']);
      const outcome = await service.review(member, id, { kind: 'reject', reason });
      return decided(member, id, outcome, 'productReview:done.rejected', reason);
    },
  };

  return [changes, reject];
}

/**
 * The listing a product case is about: its details name it (`listingId`, or any whole number in them that is a
 * listing whose review case this is / that the problem report names), as the officer may see it; null otherwise.
 */
async function listingOfCase(service: ProductService, c: Case, viewer: Member): Promise<ListingView | null> {
  const details = c.details as Record<string, unknown>;
  const named = ['listingId', 'listing'].map((k) => details[k]);
  const candidates = [...named, ...Object.values(details)]
    .map((v) =>
      typeof v === 'number'
        ? v
        : typeof v === 'string' && /^#?\d{1,9}$/.test(v.trim())
          ? Number(v.trim().replace('#', ''))
          : NaN,
    )
    .filter((n, i, all) => Number.isSafeInteger(n) && n > 0 && all.indexOf(n) === i);
  for (const id of candidates) {
    const seen = await service.forReview(viewer, id);
    if (!seen.ok) continue;
    if (c.type === 'product_report' && seen.listing.caseId !== null && seen.listing.caseId !== c.id) {
      // A resubmission opens a new case; an older case of the same listing still shows it.
      if (!named.includes(id) && !named.includes(String(id))) continue;
    }
    return { listing: seen.listing, photos: seen.photos };
  }
  return null;
}

/**
 * How the products' cases show in the officer's case view (cases/caseTypes.ts): a review case shows the listing with
 * its photos and Approve / Ask for changes / Reject (the generic approve / reject route there); a problem report
 * shows the listing (name, id, status), the kind and the reporter's text, with "done" kept and a way to open it.
 */
export function createProductCaseTypes(parts: ProductReviewParts): CaseTypeHandlers {
  const { service, deps } = parts;
  const presenter = createReviewPresenter(parts);
  const tr = (m: Member) => deps.translator(m.language);
  return {
    product_report: {
      replacesDecisions: ['approve', 'reject'],
      async view(c, viewer) {
        const found = await listingOfCase(service, c, viewer);
        return found ? presenter.card(found, viewer) : [];
      },
      async decide(c, actor, action) {
        const found = await listingOfCase(service, c, actor);
        if (!found) return stay([text('productReview:errors.noListing', { caseId: c.id })]);
        const id = found.listing.id;
        if (action === 'approve') {
          const result = await service.review(actor, id, { kind: 'approve' });
          if (!result.ok) return stay([await presenter.refusal(result.refusal, actor, id)]);
          return stay([text('productReview:done.approved', { id })]);
        }
        const allowed = await service.canReview(actor, id);
        if (!allowed.ok) return stay([await presenter.refusal(allowed.refusal, actor, id)]);
        return {
          say: [],
          next: { to: 'flow', flowId: PRODUCT_REJECT_FLOW, answers: { listingId: String(id), fields: [] } },
        };
      },
    },
    listing_problem: {
      replacesDecisions: [],
      async view(c, viewer) {
        const t = tr(viewer);
        const found = await listingOfCase(service, c, viewer);
        const details = c.details as Record<string, unknown>;
        const kind = typeof details['kind'] === 'string' ? details['kind'] : '';
        const said = typeof details['text'] === 'string' && details['text'].trim() !== '' ? details['text'] : null;
        const lines = [
          found
            ? t('productReview:problem.title', {
                id: found.listing.id,
                name: found.listing.name,
                status: t(`productNotices:statuses.${found.listing.status}`),
              })
            : t('productReview:problem.listingGone', { id: answerText((details['listingId'] ?? '') as Json) }),
          ...(kind === '' ? [] : [t('productReview:problem.kind', { kind: t(`productNotices:problems.${kind}`) })]),
          said === null ? t('productReview:problem.noText') : t('productReview:problem.text', { text: said }),
        ];
        const open = found
          ? [
              {
                label: text('productReview:actions.view', { id: found.listing.id }),
                action: `${PRODUCT_VIEW}:${found.listing.id}`,
              },
            ]
          : [];
        return open.length === 0 ? [{ raw: lines.join('\n') }] : [{ text: { raw: lines.join('\n') }, actions: open }];
      },
      decide: async () => stay([text('common:errors.staleButton')]),
    },
  };
}
