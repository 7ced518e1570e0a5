// Putting a product forward from the member's chat (issue 13, point 1), and editing it after an officer asked for
// changes (point 2). Fields and OCOP facts: ../shared/domain/REFERENCE.md ("Product listings").
//
// 1. PRODUCT_REPORT_FLOW (menu "Gửi sản phẩm", the intent productReport): members who consented, purpose
//    productPublishing (the consent feature's gate asks it once, or explains a declined one; the photo step adds
//    'photos' by itself). No question: it reads her draft. A draft → PRODUCT_DRAFT_FLOW (continue / start again);
//    none → PRODUCT_FORM_FLOW, with what her words said ("em muốn bán mật ong": the group, confirmed at its step).
// 2. PRODUCT_FORM_FLOW: the questions, a summary (confirm / edit a field / cancel). Her commune and phone come from
//    her profile, each confirmed ("Xã/phường: Xã Dân Tiến — đúng không ạ?"; "no" asks it). After every answered
//    step her answers are her draft (ProductService.saveDraft, in the turn's transaction: Flow.onAnswer); cancelling
//    at the summary discards it. Confirm → ProductService.submit (a new listing) or resubmit (answers.listingId: an
//    officer asked for changes; only the steps of the fields named are asked, the rest prefilled from the listing).
// 3. PRODUCT_DRAFT_FLOW: "Chị đang gửi dở sản phẩm «…» (lưu lúc …)": continue — back at the step she was at, with
//    her answers and photos — or start again (discardDraft).
import { buyingSaid } from './buyer.ts';
import type { Answers, Flow, FlowContext, Json, ParseResult, Step, Text } from '../../conversation/flow.ts';
import { answerText, photoAnswer, PREFILL, RETURN_TO, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type {
  Listing,
  ListingDraft,
  ListingField,
  ListingInput,
  ListingPhoto,
  ProducerKind,
  ProductGroup,
} from '../../domain/listings.ts';
import {
  isPriceRange,
  LISTING_PHOTOS_MAX,
  OCOP_VALID_MONTHS,
  PRODUCER_KINDS,
  PRODUCT_GROUPS,
  readPriceAndUnit,
} from '../../domain/listings.ts';
import type { Member } from '../../domain/member.ts';
import { compareWords, fold, normalizeWords } from '../../domain/text.ts';
import { formatDateTime, formatIsoDate, localIsoDate } from '../../domain/time.ts';
import { areaInput, unitLabel } from '../profile/areaInput.ts';
import type { ListingRefusal, ProductService } from './contract.ts';

export const PRODUCT_REPORT_FLOW = 'productReport';
export const PRODUCT_FORM_FLOW = 'productForm';
export const PRODUCT_DRAFT_FLOW = 'productDraft';

/** What the member's product flows are built on. */
export interface ProductChatDeps {
  service: ProductService;
  areas: AreaDirectory;
  /** Every language's phrases of a locales list key (the groups' typed words: products:groups.<group>.words). */
  phrases: (key: string) => string[];
  /** The public catalogue's address (PUBLIC_BASE_URL or WEB_BASE_URL + /catalogue), told to buyers; unset: not told. */
  catalogueUrl?: string | undefined;
}

/** The steps asked again for each field an officer may name (ListingField → the form's step ids). */
export const FIELD_STEPS: Record<ListingField, readonly string[]> = {
  name: ['name'],
  productGroup: ['group'],
  producer: ['producer', 'regNo'],
  commune: ['commune', 'hamlet'],
  description: ['description', 'packaging'],
  price: ['price', 'unit'],
  quantity: ['quantity', 'season'],
  certifications: ['ocop', 'ocopDate', 'certs'],
  photos: ['photos'],
  phone: ['phone'],
  publish: ['publishName', 'publishCommune', 'publishPhone'],
};

/** The price answer: VND, and the unit she said with it ("35k/kg"), which then is not asked. */
interface PriceValue {
  vnd: number;
  unit: string | null;
}

const CERTS = ['vietgap', 'organic', 'foodSafety'] as const;
type Cert = (typeof CERTS)[number];

/** "50.000 đ" / "50,000 VND". */
export function formatVnd(vnd: number, language: Member['language']): string {
  return language === 'vi' ? `${new Intl.NumberFormat('vi-VN').format(vnd)} đ` : `${vnd.toLocaleString('en-US')} VND`;
}

function priceOf(value: Json | undefined): PriceValue | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const vnd = value['vnd'];
  const unit = value['unit'];
  return typeof vnd === 'number' ? { vnd, unit: typeof unit === 'string' ? unit : null } : null;
}

/** Her typed price as an answer ({ vnd, unit }); a range ("50-60k") is asked as one price, with its own message. */
export function readPriceAnswer(input: string): ParseResult {
  const read = readPriceAndUnit(input);
  if (read) return { ok: true, value: { vnd: read.vnd, unit: read.unit } };
  return {
    ok: false,
    error: text(isPriceRange(input) ? 'products:report.priceRange' : 'products:report.priceInvalid'),
  };
}

/** Months added to a "YYYY-MM-DD" date (the OCOP certificate's expiry: issue + 36 months). */
export function addMonthsIso(iso: string, months: number): string {
  const [y = 0, m = 1, d = 1] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1 + months, d));
  return date.toISOString().slice(0, 10);
}

/**
 * The group a typed text names ("mật ong" → food, "chè" → beverages), from products:groups.<g>.words; null when
 * unsure (the group is then asked normally). Words are compared as typed (compareWords, as the courses' trades):
 * "sản" with its marks is not "sắn", "mỹ" is not "mỳ"; the longest phrase wins, and an exact match beats one typed
 * without marks. A phrase typed without its marks counts only when she typed no mark at all and the phrase has two
 * words or more ("mat ong"): one bare syllable is too often another word ("my" in "my handmade bags", "my pham" for
 * cosmetics, "ca").
 */
export function groupIn(input: string, words: ReadonlyMap<ProductGroup, readonly string[]>): ProductGroup | null {
  const typed = normalizeWords(input)
    .split(' ')
    .filter((w) => w !== '');
  const marked = /[\u0300-\u036f]|đ/i.test(input.normalize('NFD'));
  let best: { group: ProductGroup; length: number; exact: boolean } | null = null;
  for (const [group, list] of words) {
    for (const phrase of list) {
      const length = normalizeWords(phrase).split(' ').length;
      for (let i = 0; i + length <= typed.length; i++) {
        const m = compareWords(typed.slice(i, i + length).join(' '), phrase);
        if (!m) continue;
        const exact = m === 'exact';
        if (!exact && (marked || length < 2)) continue;
        if (!best || length > best.length || (length === best.length && exact && !best.exact)) {
          best = { group, length, exact };
        }
      }
    }
  }
  return best?.group ?? null;
}

/** Whether her words ask to buy ("co ai ban mat ong ko", "where can I buy honey"): products:typed.buying. */
export function asksToBuy(input: string, buying: readonly string[]): boolean {
  const typed = ` ${fold(input).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return buying.some((w) => typed.includes(` ${fold(w).trim()} `));
}

export function groupWords(phrases: ProductChatDeps['phrases']): Map<ProductGroup, string[]> {
  return new Map(PRODUCT_GROUPS.map((g) => [g, phrases(`products:groups.${g}.words`)]));
}

/** The certifications she typed ("VietGAP, hữu cơ"), or null when none is named. */
function certsIn(input: string, t: FlowContext['t']): Cert[] | null {
  const typed = ` ${fold(input).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const found = CERTS.filter((c) =>
    t(`products:certs.${c}.words`)
      .split('|')
      .some((w) => typed.includes(` ${fold(w).trim()} `)),
  );
  return found.length > 0 ? [...found] : null;
}

/** The OCOP date she typed: the certificate's issue date, or its expiry when she says so ("hết hạn 01/03/2027"). */
function ocopDateInput(): Step['input'] {
  return {
    kind: 'custom',
    parse: (input: string, ctx: FlowContext): ParseResult => {
      const found = /(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)/.exec(input);
      if (!found) return { ok: false, error: text('products:report.ocopDateInvalid') };
      const [d, m] = [Number(found[1]), Number(found[2])];
      const y = Number(found[3]) < 100 ? Number(found[3]) + 2000 : Number(found[3]);
      const date = new Date(Date.UTC(y, m - 1, d));
      if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
        return { ok: false, error: text('products:report.ocopDateInvalid') };
      }
      const iso = date.toISOString().slice(0, 10);
      const saysExpiry = /het han|hieu luc den|den ngay|expir/.test(fold(input));
      const today = localIsoDate(ctx.now, ctx.timeZone);
      if (!saysExpiry && iso > today) return { ok: false, error: text('products:report.ocopIssuedFuture') };
      const expires = saysExpiry ? iso : addMonthsIso(iso, OCOP_VALID_MONTHS);
      if (expires < today) {
        return {
          ok: false,
          error: text('products:report.ocopExpired', { date: formatIsoDate(expires, ctx.member.language) }),
        };
      }
      if (saysExpiry && expires > addMonthsIso(today, OCOP_VALID_MONTHS)) {
        return { ok: false, error: text('products:report.ocopTooLong', { months: OCOP_VALID_MONTHS }) };
      }
      return { ok: true, value: expires };
    },
    display: (value: Json, ctx: FlowContext): Text =>
      text('products:report.ocopExpires', { date: formatIsoDate(answerText(value), ctx.member.language) }),
  };
}

/** The form's steps, in the order REFERENCE.md lists the fields. */
function formSteps(deps: ProductChatDeps): Step[] {
  const words = groupWords(deps.phrases);
  const synonyms = (g: ProductGroup) => words.get(g) ?? [];
  return [
    {
      id: 'name',
      prompt: text('products:report.askName'),
      // Her words about her product (full of product words): an answer, never read as a request for a feature.
      message: true,
      input: { kind: 'text', maxLength: 120 },
      summaryLabel: text('products:fields.name'),
    },
    {
      id: 'group',
      prompt: text('products:report.askGroup'),
      input: {
        kind: 'choice',
        options: () =>
          PRODUCT_GROUPS.map((g) => ({ value: g, label: text(`products:groups.${g}.label`), synonyms: synonyms(g) })),
      },
      summaryLabel: text('products:fields.productGroup'),
    },
    {
      id: 'producer',
      prompt: text('products:report.askProducer'),
      input: {
        kind: 'choice',
        options: () => PRODUCER_KINDS.map((p) => ({ value: p, label: text(`products:producers.${p}`) })),
      },
      summaryLabel: text('products:fields.producer'),
    },
    {
      id: 'regNo',
      prompt: text('products:report.askRegNo'),
      input: { kind: 'text', maxLength: 40 },
      optional: true,
      when: (a) => a['producer'] === 'cooperative',
      summaryLabel: text('products:fields.regNo'),
    },
    {
      id: 'commune',
      prompt: text('products:report.askCommune'),
      input: areaInput(deps.areas),
      summaryLabel: text('products:fields.commune'),
    },
    {
      id: 'hamlet',
      prompt: text('products:report.askHamlet'),
      input: { kind: 'text', maxLength: 80 },
      optional: true,
      summaryLabel: text('products:fields.hamlet'),
    },
    {
      id: 'description',
      prompt: text('products:report.askDescription'),
      message: true,
      input: { kind: 'text', maxLength: 1000 },
      summaryLabel: text('products:fields.description'),
    },
    {
      id: 'price',
      prompt: text('products:report.askPrice'),
      help: text('products:report.priceHelp'),
      input: {
        kind: 'custom',
        parse: readPriceAnswer,
        display: (value: Json, ctx: FlowContext): Text => {
          const price = priceOf(value);
          if (!price) return text('common:summary.skipped');
          const amount = formatVnd(price.vnd, ctx.member.language);
          return { raw: price.unit ? `${amount}/${price.unit}` : amount };
        },
      },
      summaryLabel: text('products:fields.price'),
    },
    {
      id: 'unit',
      prompt: text('products:report.askUnit'),
      message: true,
      input: { kind: 'text', maxLength: 40 },
      when: (a) => !priceOf(a['price'])?.unit,
      summaryLabel: text('products:fields.unit'),
    },
    {
      id: 'packaging',
      prompt: text('products:report.askPackaging'),
      message: true,
      input: { kind: 'text', maxLength: 120 },
      optional: true,
      summaryLabel: text('products:fields.packaging'),
    },
    {
      id: 'quantity',
      prompt: text('products:report.askQuantity'),
      message: true,
      input: { kind: 'text', maxLength: 120 },
      optional: true,
      summaryLabel: text('products:fields.quantity'),
    },
    {
      id: 'season',
      prompt: text('products:report.askSeason'),
      message: true,
      input: { kind: 'text', maxLength: 120 },
      optional: true,
      summaryLabel: text('products:fields.season'),
    },
    {
      id: 'ocop',
      prompt: text('products:report.askOcop'),
      input: {
        kind: 'choice',
        options: () => [
          { value: 'none', label: text('products:report.ocopNone') },
          ...[1, 2, 3, 4, 5].map((n) => ({
            value: String(n),
            label: text('products:report.ocopStars', { count: n }),
            synonyms: [`${n} sao`, `${n} sao ocop`, `ocop ${n} sao`, `${n} stars`],
          })),
        ],
      },
      summaryLabel: text('products:fields.ocop'),
    },
    {
      id: 'ocopDate',
      prompt: text('products:report.askOcopDate', { months: OCOP_VALID_MONTHS }),
      input: ocopDateInput(),
      when: (a) => typeof a['ocop'] === 'string' && a['ocop'] !== 'none',
      summaryLabel: text('products:fields.ocopDate'),
    },
    {
      id: 'certs',
      prompt: text('products:report.askCerts'),
      input: {
        kind: 'custom',
        parse: (input: string, ctx: FlowContext): ParseResult => {
          if (
            ctx
              .t('products:certs.none')
              .split('|')
              .some((w) => fold(w) === fold(input).trim())
          ) {
            return { ok: true, value: [] };
          }
          const found = certsIn(input, ctx.t);
          return found ? { ok: true, value: found } : { ok: false, error: text('products:report.certsInvalid') };
        },
        display: (value: Json, ctx: FlowContext): Text => {
          const list = Array.isArray(value) ? value.filter((c): c is string => typeof c === 'string') : [];
          if (list.length === 0) return text('products:report.certsNone');
          return { raw: list.map((c) => ctx.t(`products:certs.${c}.label`)).join(', ') };
        },
      },
      optional: true,
      summaryLabel: text('products:fields.certs'),
    },
    {
      id: 'photos',
      prompt: text('products:report.askPhotos', { max: LISTING_PHOTOS_MAX }),
      input: { kind: 'photo', max: LISTING_PHOTOS_MAX, collect: true },
      summaryLabel: text('products:fields.photos'),
    },
    {
      id: 'phone',
      prompt: text('products:report.askPhone'),
      input: { kind: 'phone' },
      optional: true,
      summaryLabel: text('products:fields.phone'),
    },
    {
      id: 'publishName',
      prompt: text('products:report.askPublishName'),
      input: { kind: 'yesno' },
      summaryLabel: text('products:fields.publishName'),
    },
    {
      id: 'publishCommune',
      prompt: text('products:report.askPublishCommune'),
      input: { kind: 'yesno' },
      summaryLabel: text('products:fields.publishCommune'),
    },
    {
      id: 'publishPhone',
      prompt: text('products:report.askPublishPhone'),
      input: { kind: 'yesno' },
      when: (a) => typeof a['phone'] === 'string',
      summaryLabel: text('products:fields.publishPhone'),
    },
  ];
}

const str = (v: Json | undefined): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The listing her answers describe (the service validates it again). */
export function inputOf(answers: Answers, member: Member): ListingInput {
  const price = priceOf(answers['price']);
  const ocop = answers['ocop'];
  const stars = typeof ocop === 'string' && ocop !== 'none' ? Number(ocop) : null;
  const certs = Array.isArray(answers['certs']) ? answers['certs'] : [];
  const phone = str(answers['phone']);
  return {
    name: answerText(answers['name']).trim(),
    productGroup: answerText(answers['group']) as ProductGroup,
    producerKind: answerText(answers['producer']) as ProducerKind,
    producerRegNo: answers['producer'] === 'cooperative' ? str(answers['regNo']) : null,
    communeCode: str(answers['commune']) ?? member.communeCode ?? '',
    hamlet: str(answers['hamlet']),
    description: answerText(answers['description']).trim(),
    unit: price?.unit ?? answerText(answers['unit']).trim(),
    packaging: str(answers['packaging']),
    priceVnd: price?.vnd ?? 0,
    quantity: str(answers['quantity']),
    season: str(answers['season']),
    ocopStars: stars,
    ocopExpiresOn: stars === null ? null : str(answers['ocopDate']),
    vietgap: certs.includes('vietgap'),
    organic: certs.includes('organic'),
    foodSafety: certs.includes('foodSafety'),
    phone,
    publishName: answers['publishName'] === 'yes',
    publishCommune: answers['publishCommune'] === 'yes',
    publishPhone: phone !== null && answers['publishPhone'] === 'yes',
    photoFileIds: photoAnswer(answers['photos'])?.files ?? [],
  };
}

/** A listing's values as the form's answers (editing it after "ask for changes"). */
export function answersOf(listing: Listing, photos: readonly ListingPhoto[]): Answers {
  const certs = CERTS.filter((c) => listing[c]);
  const answers: Answers = {
    name: listing.name,
    group: listing.productGroup,
    producer: listing.producerKind,
    commune: listing.communeCode,
    hamlet: listing.hamlet,
    description: listing.description,
    price: { vnd: listing.priceVnd, unit: listing.unit },
    packaging: listing.packaging,
    quantity: listing.quantity,
    season: listing.season,
    ocop: listing.ocopStars === null ? 'none' : String(listing.ocopStars),
    certs: [...certs],
    photos: { files: photos.map((p) => p.fileId) },
    phone: listing.phone,
    publishName: listing.publishName ? 'yes' : 'no',
    publishCommune: listing.publishCommune ? 'yes' : 'no',
  };
  if (listing.producerKind === 'cooperative') answers['regNo'] = listing.producerRegNo;
  if (listing.ocopExpiresOn) answers['ocopDate'] = listing.ocopExpiresOn;
  if (listing.phone) answers['publishPhone'] = listing.publishPhone ? 'yes' : 'no';
  return answers;
}

/** Answers as PREFILL entries: taken without asking (`confirm` false), or confirmed at their step. */
function prefill(values: Answers, confirm: boolean): Record<string, Json> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, confirm }]));
}

function prefilledMap(answers: Answers): Record<string, Json> {
  const p = answers[PREFILL];
  return p && typeof p === 'object' && !Array.isArray(p) ? p : {};
}

/** A new report's start: her profile's commune and phone, each to confirm; what her words said (the group). */
export function newFormAnswers(member: Member, given: Answers = {}): Answers {
  const fromProfile: Answers = {};
  if (member.communeCode) fromProfile['commune'] = member.communeCode;
  if (member.phone) fromProfile['phone'] = member.phone;
  const carried: Answers = {};
  if (given[RETURN_TO] !== undefined) carried[RETURN_TO] = given[RETURN_TO];
  return { ...carried, [PREFILL]: { ...prefill(fromProfile, true), ...prefilledMap(given) } };
}

/** Back where she was in a draft: the answers before her step taken as given, her step asked (with its photos). */
export function draftAnswers(draft: Pick<ListingDraft, 'answers' | 'step' | 'listingId'>, member: Member): Answers {
  const saved = draft.answers as Answers;
  const { [PREFILL]: _p, [RETURN_TO]: _r, listingId: _l, ...values } = saved;
  const here = draft.step !== null ? values[draft.step] : undefined;
  const before =
    draft.step !== null ? Object.fromEntries(Object.entries(values).filter(([k]) => k !== draft.step)) : values;
  // Her profile's commune and phone, still to confirm at steps she had not reached.
  const profile = prefilledMap(newFormAnswers(member));
  const toConfirm = Object.fromEntries(Object.entries(profile).filter(([k]) => !(k in values)));
  const answers: Answers = { [PREFILL]: { ...toConfirm, ...prefill(before, false) } };
  // A collecting photo step she was at keeps the photos she sent (she is asked for more, or "Xong").
  if (draft.step === 'photos' && here !== undefined) answers['photos'] = here;
  if (draft.listingId !== null) answers['listingId'] = draft.listingId;
  if (saved['update'] === 'yes') answers['update'] = 'yes';
  return answers;
}

/**
 * The form opened on a listing after "ask for changes": everything prefilled but the fields the officer named, whose
 * current values are shown to keep or change ("Mùa vụ: Tháng 4 — đúng không ạ?": "Có" keeps it, "Không" asks it);
 * a field without a value is asked. Nothing she had is dropped unless she says so.
 */
export function changesAnswers(listing: Listing, photos: readonly ListingPhoto[]): Answers {
  const asked = new Set(listing.changeFields.flatMap((f) => FIELD_STEPS[f]));
  const all = Object.entries(answersOf(listing, photos));
  const kept = Object.fromEntries(all.filter(([k]) => !asked.has(k)));
  const shown = Object.fromEntries(all.filter(([k, v]) => asked.has(k) && v !== null));
  return { [PREFILL]: { ...prefill(kept, false), ...prefill(shown, true) }, listingId: listing.id };
}

/**
 * The form opened on a listing she edits of her own accord (pending or approved, from "my products" or typed "sửa
 * sản phẩm 12"): every field prefilled, so she is at the summary and picks the fields to change ("Sửa thông tin").
 * Confirmed, it is ProductService.update (`update` set): an approved listing goes back for review only when a
 * reviewed field changed.
 */
export function editAnswers(listing: Listing, photos: readonly ListingPhoto[]): Answers {
  return { [PREFILL]: prefill(answersOf(listing, photos), false), listingId: listing.id, update: 'yes' };
}

/** Statuses she may edit every field of on her own (an officer's "ask for changes" has its own edit). */
export const SELF_EDITABLE: readonly Listing['status'][] = ['pending', 'approved'];

/** What a refusal of the service says to her. */
export function refusalSaid(refusal: ListingRefusal, t: FlowContext['t']): Text {
  switch (refusal.reason) {
    case 'invalid':
      return text('products:refused.invalid', { field: t(`products:fields.${refusal.field}`) });
    case 'wrongStatus':
      return text('products:refused.wrongStatus', { status: t(`products:status.${refusal.status}`) });
    default:
      return text(`products:refused.${refusal.reason}`);
  }
}

/** The listing being edited (after "ask for changes"), carried in the form's answers; null for a new report. */
const editedListing = (answers: Answers): number | null => {
  const id = answers['listingId'];
  return typeof id === 'number' ? id : null;
};

export function createReportFlows(deps: ProductChatDeps): Flow[] {
  const steps = formSteps(deps);
  const stepIds = new Set(steps.map((s) => s.id));

  const entry: Flow = {
    id: PRODUCT_REPORT_FLOW,
    access: 'consented',
    purposes: ['productPublishing'],
    steps: [],
    finish: async ({ member, answers }) => {
      // Her words asked to buy, not to sell: told where this leads, nothing asked.
      if (prefilledMap(answers)['buying'] !== undefined)
        return { say: buyingSaid(deps.catalogueUrl), next: { to: 'home' } };
      const draft = await deps.service.draftOf(member);
      if (draft) {
        const carried: Answers = {
          draftName: answerText((draft.answers as Answers)['name'] ?? ''),
          draftAt: draft.updatedAt.toISOString(),
        };
        if (answers[RETURN_TO] !== undefined) carried[RETURN_TO] = answers[RETURN_TO];
        return { say: [], next: { to: 'flow', flowId: PRODUCT_DRAFT_FLOW, answers: carried } };
      }
      return {
        say: [text('products:report.intro')],
        next: { to: 'flow', flowId: PRODUCT_FORM_FLOW, answers: newFormAnswers(member, answers) },
      };
    },
  };

  const draftFlow: Flow = {
    id: PRODUCT_DRAFT_FLOW,
    access: 'consented',
    purposes: ['productPublishing'],
    steps: [
      {
        id: 'choice',
        prompt: ({ answers, member, timeZone }) =>
          text(answers['draftName'] ? 'products:draft.offer' : 'products:draft.offerUnnamed', {
            name: answerText(answers['draftName']),
            at: formatDateTime(new Date(answerText(answers['draftAt'])), timeZone, member.language),
          }),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'continue', label: text('products:draft.continue') },
            { value: 'restart', label: text('products:draft.restart') },
          ],
        },
      },
    ],
    finish: async ({ member, answers }) => {
      const draft = await deps.service.draftOf(member);
      if (draft && answers['choice'] === 'continue') {
        return {
          say: [text('products:draft.continued', { name: answerText((draft.answers as Answers)['name'] ?? '') })],
          next: { to: 'flow', flowId: PRODUCT_FORM_FLOW, answers: draftAnswers(draft, member) },
        };
      }
      if (draft) await deps.service.discardDraft(member);
      return {
        say: [text('products:draft.discarded'), text('products:report.intro')],
        next: { to: 'flow', flowId: PRODUCT_FORM_FLOW, answers: newFormAnswers(member) },
      };
    },
  };

  const form: Flow = {
    id: PRODUCT_FORM_FLOW,
    access: 'consented',
    purposes: ['productPublishing'],
    steps,
    summary: { title: text('products:report.summaryTitle') },
    onAnswer: async ({ member }, at) => {
      const answers: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(at.answers)) {
        if (stepIds.has(k) || k === 'listingId' || k === 'update') answers[k] = v;
      }
      const listingId = typeof at.answers['listingId'] === 'number' ? at.answers['listingId'] : null;
      await deps.service.saveDraft(member, {
        answers,
        step: at.stepId,
        listingId,
        photoFileIds: photoAnswer(at.answers['photos'])?.files ?? [],
      });
    },
    onCancel: async ({ member }) => {
      await deps.service.discardDraft(member);
    },
    finish: async ({ member, answers, t }) => {
      const input = inputOf(answers, member);
      const editing = editedListing(answers);
      if (editing !== null && answers['update'] === 'yes') {
        // Her own edit: the service says whether the listing went back for review (then it is not shown meanwhile).
        const result = await deps.service.update(member, editing, input);
        await deps.service.discardDraft(member);
        if (!result.ok) return { say: [refusalSaid(result.refusal, t)], next: { to: 'home' } };
        const name = result.listing.name;
        const said = result.backToReview
          ? 'products:edit.savedBackToReview'
          : result.listing.status === 'pending'
            ? 'products:edit.savedPending'
            : 'products:edit.saved';
        return {
          say: [text(said, { name })],
          next: { to: 'flow', flowId: 'myProduct', answers: { listingId: editing } }, // MY_PRODUCT_FLOW (./mine.ts): her listing's page
        };
      }
      if (editing !== null) {
        const result = await deps.service.resubmit(member, editing, input);
        if (!result.ok) return { say: [refusalSaid(result.refusal, t)], next: { to: 'home' } };
        return { say: [text('products:report.resubmitted', { name: result.listing.name })], next: { to: 'home' } };
      }
      const result = await deps.service.submit(member, input);
      if (!result.ok) return { say: [refusalSaid(result.refusal, t)], next: { to: 'home' } };
      const unit = deps.areas.byCodeOrNull(result.listing.communeCode);
      return {
        say: [
          text('products:report.submitted', {
            name: result.listing.name,
            id: result.listing.id,
            commune: unit ? unitLabel(unit, t) : '',
          }),
          ...(input.publishCommune ? [] : [text('products:report.noCommuneNote')]),
        ],
        next: { to: 'home' },
      };
    },
  };
  return [entry, draftFlow, form];
}
