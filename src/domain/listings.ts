// Product listings (issue 13): a member puts a product forward for the Union's showcase stores and online promotion;
// officers of her commune review it (approve, ask for changes, reject with a reason); approved listings are published
// (admin CLI export, public JSON endpoint with photos). Plain types, the rules as pure functions and the ports the data
// layer implements (src/data/listingRepository.ts). Fields and OCOP facts: ../shared/domain/REFERENCE.md ("Product
// listings": OCOP groups, producer kinds, certifications, OCOP certificates valid 36 months, 1–5 photos, consent to
// publish).

import { parseAmount } from './credit/amount.ts';

/** OCOP product groups (REFERENCE.md); labels and typed synonyms in locales/<lng>/products.json "groups". */
export const PRODUCT_GROUPS = ['food', 'beverages', 'herbal', 'textiles', 'souvenirs', 'tourism'] as const;
export type ProductGroup = (typeof PRODUCT_GROUPS)[number];

/** Who produces it: the member herself, her household, or a cooperative (with its registration number, if any). */
export const PRODUCER_KINDS = ['self', 'household', 'cooperative'] as const;
export type ProducerKind = (typeof PRODUCER_KINDS)[number];

/**
 * pending (waiting for an officer) · changes (an officer asked for changes; she edits the fields named and resubmits:
 * pending again) · approved (published) · rejected (with a reason; final) · withdrawn (by her; final).
 * "Sold out" is `soldOut` on an approved listing (see displayStatus).
 */
export const LISTING_STATUSES = ['pending', 'changes', 'approved', 'rejected', 'withdrawn'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/** What a member sees in "my products": the status, with sold out for an approved listing she marked so. */
export type DisplayStatus = ListingStatus | 'soldOut';

export const displayStatus = (l: Pick<Listing, 'status' | 'soldOut'>): DisplayStatus =>
  l.status === 'approved' && l.soldOut ? 'soldOut' : l.status;

/** Problems anyone can report about a published listing. */
export const LISTING_PROBLEMS = ['wrongInfo', 'soldOut', 'unsafe'] as const;
export type ListingProblem = (typeof LISTING_PROBLEMS)[number];

/** Most photos a listing has (REFERENCE.md: 1–5). */
export const LISTING_PHOTOS_MAX = 5;
/** OCOP certificates are valid 36 months (REFERENCE.md). */
export const OCOP_VALID_MONTHS = 36;
/** The member and the officers are told this many days before an OCOP certificate expires (issue 13: a month). */
export const OCOP_NOTICE_DAYS = 30;

/**
 * The listing's own fields a member fills in, in the order the report asks them; the ids the summary's "edit a
 * field", an officer's "ask for changes" and the patch filter use. `photos` are the listing's photos (1–5).
 */
export const LISTING_FIELDS = [
  'name',
  'productGroup',
  'producer',
  'commune',
  'description',
  'price',
  'quantity',
  'certifications',
  'photos',
  'phone',
  'publish',
] as const;
export type ListingField = (typeof LISTING_FIELDS)[number];

/**
 * Fields an officer reviewed: changing any of them on an approved listing sends it back for review. Price, quantity
 * and season are not reviewed (she updates them as the market moves), nor sold out, nor what she consents to publish.
 */
export const REVIEWED_FIELDS: readonly ListingField[] = [
  'name',
  'productGroup',
  'producer',
  'commune',
  'description',
  'certifications',
  'photos',
  'phone',
];

export interface Listing {
  id: number;
  memberId: string;
  status: ListingStatus;
  soldOut: boolean;
  name: string;
  productGroup: ProductGroup;
  producerKind: ProducerKind;
  producerRegNo: string | null;
  /** Statistics code of the commune/ward (areas data). */
  communeCode: string;
  /** Never published. */
  hamlet: string | null;
  description: string;
  unit: string;
  packaging: string | null;
  /** VND per unit, a whole number > 0. */
  priceVnd: number;
  quantity: string | null;
  season: string | null;
  /** 1–5, or null: no OCOP certificate. */
  ocopStars: number | null;
  /** Local calendar date "YYYY-MM-DD" (TIME_ZONE) the OCOP certificate expires; set with ocopStars. */
  ocopExpiresOn: string | null;
  vietgap: boolean;
  organic: boolean;
  foodSafety: boolean;
  /** E.164, or null. */
  phone: string | null;
  publishName: boolean;
  publishCommune: boolean;
  publishPhone: boolean;
  caseId: number | null;
  reviewNote: string | null;
  changeFields: ListingField[];
  reviewedById: string | null;
  reviewedAt: Date | null;
  submittedAt: Date;
  approvedAt: Date | null;
  withdrawnAt: Date | null;
  ocopFlaggedFor: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A listing's photo: the cleaned StoredFile, its thumbnail's FileStore key and the token of its public URLs. */
export interface ListingPhoto {
  id: number;
  listingId: number;
  fileId: string;
  thumbKey: string;
  /** 1-based, in the order she sent them. */
  position: number;
  /** Random (128 bits, base64url): /catalogue/photos/<token>.jpg and /catalogue/photos/<token>/thumb.jpg. */
  token: string;
}

/** What a member's report gives (the chat, a test, later the web): validated by the service. */
export interface ListingInput {
  name: string;
  productGroup: ProductGroup;
  producerKind: ProducerKind;
  producerRegNo: string | null;
  communeCode: string;
  hamlet: string | null;
  description: string;
  unit: string;
  packaging: string | null;
  priceVnd: number;
  quantity: string | null;
  season: string | null;
  ocopStars: number | null;
  ocopExpiresOn: string | null;
  vietgap: boolean;
  organic: boolean;
  foodSafety: boolean;
  phone: string | null;
  publishName: boolean;
  publishCommune: boolean;
  publishPhone: boolean;
  /** StoredFile ids of her photos (1–5, hers, in order). */
  photoFileIds: string[];
}

/** A change she makes to a listing of hers ("my products", or a resubmission after changes were asked). */
export type ListingPatch = Partial<ListingInput>;

/** A draft report (see ListingDraft in prisma/schema.prisma). */
export interface ListingDraft {
  memberId: string;
  /** The report flow's answers (JSON), and the step she was at. */
  answers: Record<string, unknown>;
  step: string | null;
  /** The listing being edited after "ask for changes"; null for a new report. */
  listingId: number | null;
  updatedAt: Date;
  expiresAt: Date;
}

/** A published listing as the public endpoint and the export show it: only what she consented to publish. */
export interface PublicListing {
  id: number;
  name: string;
  productGroup: ProductGroup;
  producerKind: ProducerKind;
  description: string;
  unit: string;
  packaging: string | null;
  priceVnd: number;
  quantity: string | null;
  season: string | null;
  ocopStars: number | null;
  ocopExpiresOn: string | null;
  vietgap: boolean;
  organic: boolean;
  foodSafety: boolean;
  available: boolean;
  /** Her display name, only with publishName. */
  sellerName: string | null;
  /** Only with publishCommune; otherwise null (the province only, left out of commune filters). */
  communeCode: string | null;
  /** Only with publishPhone. */
  phone: string | null;
  /** Photo tokens in order (URLs are built by the HTTP layer). */
  photos: string[];
  approvedAt: Date;
  updatedAt: Date;
}

export interface ListingReport {
  id: number;
  listingId: number;
  kind: ListingProblem;
  text: string | null;
  caseId: number | null;
  createdAt: Date;
}

// ---- The rules (pure) ---------------------------------------------------------------------------------------------

/** Longest texts a listing takes, in characters (after trimming): a name fits a catalogue card, a story a screen. */
export const LISTING_LIMITS = {
  name: 120,
  producerRegNo: 50,
  hamlet: 100,
  description: 2000,
  unit: 50,
  packaging: 100,
  quantity: 100,
  season: 100,
  /** An officer's message (ask for changes) or reason (reject). */
  reviewNote: 1000,
  /** A problem report's text. */
  reportText: 500,
} as const;

/** Highest price accepted, VND (the price reader's ceiling too). */
export const LISTING_PRICE_MAX = 1_000_000_000;

/** Which field (LISTING_FIELDS: what "edit a field" and "ask for changes" name) each input key belongs to. */
export const FIELD_OF_INPUT: Readonly<Record<keyof ListingInput, ListingField>> = {
  name: 'name',
  productGroup: 'productGroup',
  producerKind: 'producer',
  producerRegNo: 'producer',
  communeCode: 'commune',
  hamlet: 'commune',
  description: 'description',
  unit: 'price',
  packaging: 'price',
  priceVnd: 'price',
  quantity: 'quantity',
  season: 'quantity',
  ocopStars: 'certifications',
  ocopExpiresOn: 'certifications',
  vietgap: 'certifications',
  organic: 'certifications',
  foodSafety: 'certifications',
  phone: 'phone',
  publishName: 'publish',
  publishCommune: 'publish',
  publishPhone: 'publish',
  photoFileIds: 'photos',
};

/** Why an input was refused: the field (LISTING_FIELDS) and a short code (see ListingRefusal in contract.ts). */
export interface ListingIssue {
  field: ListingField;
  /** required · tooLong · notAllowed · range · format · expired · tooFar · photos · unknownCommune */
  issue: string;
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const E164_VN = /^\+84\d{9}$/;

const addMonths = (iso: string, months: number): string => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

/** The ISO date `days` after `iso` (calendar arithmetic, no zone). */
export function addDaysIso(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * Checks a whole listing input (a new report, or a listing with a patch applied), tidying its texts (trimmed, empty
 * optional texts → null). Rules (REFERENCE.md "Product listings", issue 13): every required text present and within
 * LISTING_LIMITS; a whole price 1..LISTING_PRICE_MAX VND; OCOP stars 1–5 only with an expiry date not before `today`
 * and at most OCOP_VALID_MONTHS after it, no expiry without stars; a Vietnamese mobile phone in E.164 or none; 1 to
 * LISTING_PHOTOS_MAX distinct photos. `knownCommune` says whether a commune code is in the areas in force. The photos'
 * ownership is checked by the service (it needs the file records). Returns the tidied input, or the first problem in
 * the order of LISTING_FIELDS.
 */
export function checkListingInput(
  input: ListingInput,
  opts: { today: string; knownCommune: (code: string) => boolean },
): { ok: true; input: ListingInput } | ({ ok: false } & ListingIssue) {
  const problems: ListingIssue[] = [];
  const fail = (field: ListingField, issue: string) => problems.push({ field, issue });
  const required = (value: unknown, field: ListingField, max: number): string => {
    const s = typeof value === 'string' ? value.normalize('NFC').trim() : '';
    if (s === '') fail(field, 'required');
    else if (s.length > max) fail(field, 'tooLong');
    return s;
  };
  const optional = (value: unknown, field: ListingField, max: number): string | null => {
    const s = typeof value === 'string' ? value.normalize('NFC').trim() : '';
    if (s.length > max) fail(field, 'tooLong');
    return s === '' ? null : s;
  };
  const bool = (value: unknown, field: ListingField): boolean => {
    if (typeof value !== 'boolean') fail(field, 'required');
    return value === true;
  };

  const name = required(input.name, 'name', LISTING_LIMITS.name);
  if (!(PRODUCT_GROUPS as readonly string[]).includes(input.productGroup)) fail('productGroup', 'required');
  if (!(PRODUCER_KINDS as readonly string[]).includes(input.producerKind)) fail('producer', 'required');
  const producerRegNo = optional(input.producerRegNo, 'producer', LISTING_LIMITS.producerRegNo);
  if (producerRegNo !== null && input.producerKind === 'self') fail('producer', 'notAllowed');
  const communeCode = typeof input.communeCode === 'string' ? input.communeCode.trim() : '';
  if (communeCode === '') fail('commune', 'required');
  else if (!opts.knownCommune(communeCode)) fail('commune', 'unknownCommune');
  const hamlet = optional(input.hamlet, 'commune', LISTING_LIMITS.hamlet);
  const description = required(input.description, 'description', LISTING_LIMITS.description);
  const unit = required(input.unit, 'price', LISTING_LIMITS.unit);
  const packaging = optional(input.packaging, 'price', LISTING_LIMITS.packaging);
  if (!Number.isSafeInteger(input.priceVnd) || input.priceVnd <= 0 || input.priceVnd > LISTING_PRICE_MAX) {
    fail('price', 'range');
  }
  const quantity = optional(input.quantity, 'quantity', LISTING_LIMITS.quantity);
  const season = optional(input.season, 'quantity', LISTING_LIMITS.season);
  const stars = input.ocopStars;
  const expires = input.ocopExpiresOn;
  if (stars !== null) {
    if (!Number.isInteger(stars) || stars < 1 || stars > 5) fail('certifications', 'range');
    else if (expires === null || !ISO_DATE.test(expires)) fail('certifications', 'format');
    else if (expires < opts.today) fail('certifications', 'expired');
    else if (expires > addMonths(opts.today, OCOP_VALID_MONTHS)) fail('certifications', 'tooFar');
  } else if (expires !== null) fail('certifications', 'format');
  const vietgap = bool(input.vietgap, 'certifications');
  const organic = bool(input.organic, 'certifications');
  const foodSafety = bool(input.foodSafety, 'certifications');
  if (input.phone !== null && !E164_VN.test(input.phone)) fail('phone', 'format');
  const publishName = bool(input.publishName, 'publish');
  const publishCommune = bool(input.publishCommune, 'publish');
  const publishPhone = bool(input.publishPhone, 'publish');
  if (publishPhone && input.phone === null) fail('publish', 'notAllowed');
  const photos = Array.isArray(input.photoFileIds) ? input.photoFileIds : [];
  if (photos.length < 1 || photos.length > LISTING_PHOTOS_MAX || new Set(photos).size !== photos.length) {
    fail('photos', 'photos');
  }

  if (problems.length > 0) {
    const order = (f: ListingField) => LISTING_FIELDS.indexOf(f);
    const first = [...problems].sort((a, b) => order(a.field) - order(b.field))[0]!;
    return { ok: false, ...first };
  }
  return {
    ok: true,
    input: {
      name,
      productGroup: input.productGroup,
      producerKind: input.producerKind,
      producerRegNo,
      communeCode,
      hamlet,
      description,
      unit,
      packaging,
      priceVnd: input.priceVnd,
      quantity,
      season,
      ocopStars: stars,
      ocopExpiresOn: stars === null ? null : expires,
      vietgap,
      organic,
      foodSafety,
      phone: input.phone,
      publishName,
      publishCommune,
      publishPhone,
      photoFileIds: [...photos],
    },
  };
}

/** A listing's fields as an input (to apply a patch to it and check the whole again). */
export function inputOf(listing: Listing, photos: readonly Pick<ListingPhoto, 'fileId'>[]): ListingInput {
  return {
    name: listing.name,
    productGroup: listing.productGroup,
    producerKind: listing.producerKind,
    producerRegNo: listing.producerRegNo,
    communeCode: listing.communeCode,
    hamlet: listing.hamlet,
    description: listing.description,
    unit: listing.unit,
    packaging: listing.packaging,
    priceVnd: listing.priceVnd,
    quantity: listing.quantity,
    season: listing.season,
    ocopStars: listing.ocopStars,
    ocopExpiresOn: listing.ocopExpiresOn,
    vietgap: listing.vietgap,
    organic: listing.organic,
    foodSafety: listing.foodSafety,
    phone: listing.phone,
    publishName: listing.publishName,
    publishCommune: listing.publishCommune,
    publishPhone: listing.publishPhone,
    photoFileIds: photos.map((p) => p.fileId),
  };
}

/** The fields (LISTING_FIELDS, in that order) whose values differ between two inputs. */
export function changedFields(before: ListingInput, after: ListingInput): ListingField[] {
  const changed = new Set<ListingField>();
  for (const key of Object.keys(FIELD_OF_INPUT) as (keyof ListingInput)[]) {
    const a = before[key];
    const b = after[key];
    const same = Array.isArray(a) && Array.isArray(b) ? a.join('\n') === b.join('\n') : a === b;
    if (!same) changed.add(FIELD_OF_INPUT[key]);
  }
  return LISTING_FIELDS.filter((f) => changed.has(f));
}

/** Whether a change to an approved listing sends it back for review: a REVIEWED_FIELDS field changed. */
export const needsReview = (changed: readonly ListingField[]): boolean =>
  changed.some((f) => REVIEWED_FIELDS.includes(f));

/** Statuses in which she may still change her listing (update); an approved one may go back to review. */
export const EDITABLE_STATUSES: readonly ListingStatus[] = ['pending', 'changes', 'approved'];

/**
 * A published listing as anyone sees it: only what she consented to publish. `consented`: her productPublishing
 * purpose is given now (without it nothing of hers is public: the caller shows nothing). The hamlet is never shown;
 * without publishCommune the commune is null (the province only). Photos: their tokens, in order.
 */
export function publicListing(
  listing: Listing,
  photos: readonly Pick<ListingPhoto, 'token' | 'position'>[],
  ownerName: string | null,
): PublicListing {
  return {
    id: listing.id,
    name: listing.name,
    productGroup: listing.productGroup,
    producerKind: listing.producerKind,
    description: listing.description,
    unit: listing.unit,
    packaging: listing.packaging,
    priceVnd: listing.priceVnd,
    quantity: listing.quantity,
    season: listing.season,
    ocopStars: listing.ocopStars,
    ocopExpiresOn: listing.ocopExpiresOn,
    vietgap: listing.vietgap,
    organic: listing.organic,
    foodSafety: listing.foodSafety,
    available: !listing.soldOut,
    sellerName: listing.publishName ? ownerName : null,
    communeCode: listing.publishCommune ? listing.communeCode : null,
    phone: listing.publishPhone ? listing.phone : null,
    photos: [...photos].sort((a, b) => a.position - b.position).map((p) => p.token),
    approvedAt: listing.approvedAt ?? listing.updatedAt,
    updatedAt: listing.updatedAt,
  };
}

/** The last day (ISO) whose OCOP expiry is flagged on `today`: OCOP_NOTICE_DAYS ahead. */
export const ocopNoticeHorizon = (today: string): string => addDaysIso(today, OCOP_NOTICE_DAYS);

/** When a draft saved at `updatedAt` is deleted: `days` (LISTING_DRAFT_DAYS) later. */
export const draftExpiry = (updatedAt: Date, days: number): Date => new Date(updatedAt.getTime() + days * 86_400_000);

/**
 * Reads a price as people type it, in VND: "50k", "50.000đ", "50.000 đồng", "50 nghìn", "50 ngàn", "1tr2"
 * (1,200,000), "1,5 triệu", "1.5tr", "120000", "35k/kg" (the unit after the slash is ignored here). Null when it is
 * not a price (no number, zero, negative, over 1,000,000,000). Implemented in this module (pure).
 */
export type PriceReader = (input: string) => number | null;

/** The data layer (src/data/listingRepository.ts). Writes join the caller's unit of work (Transactor). */
export interface ListingRepository {
  create(memberId: string, input: Omit<ListingInput, 'photoFileIds'>, submittedAt: Date): Promise<Listing>;
  get(id: number): Promise<Listing | null>;
  /** Her listings, newest first (every status). */
  byMember(memberId: string): Promise<Listing[]>;
  /** Sets fields (only those given) and bumps updatedAt. */
  update(id: number, patch: Partial<Omit<Listing, 'id' | 'memberId' | 'createdAt' | 'updatedAt'>>): Promise<Listing>;
  /**
   * Changes the status only when it is one of `from` (two officers deciding at once: one wins). Returns the listing
   * as changed, or null when its status was not one of `from`.
   */
  transition(
    id: number,
    from: readonly ListingStatus[],
    patch: Partial<Omit<Listing, 'id' | 'memberId' | 'createdAt' | 'updatedAt'>> & { status: ListingStatus },
  ): Promise<Listing | null>;
  photos(listingId: number): Promise<ListingPhoto[]>;
  /** Replaces the photos of a listing (in this order). */
  setPhotos(listingId: number, photos: Omit<ListingPhoto, 'id' | 'listingId'>[]): Promise<ListingPhoto[]>;
  /** The photo with this token and its listing (the public photo route checks the listing is approved). */
  photoByToken(token: string): Promise<{ photo: ListingPhoto; listing: Listing } | null>;
  /**
   * Approved listings whose owner's productPublishing consent is given now, newest approval first, with their photos,
   * and the owner's display name; `communeCode` filters on listings that publish their commune only. 1-based page.
   */
  published(opts: {
    communeCode?: string;
    productGroup?: ProductGroup;
    page: number;
    perPage: number;
  }): Promise<{ items: { listing: Listing; photos: ListingPhoto[]; ownerName: string | null }[]; total: number }>;
  /** Approved listings with an OCOP certificate expiring on or before `onOrBefore` and not flagged for that date. */
  ocopExpiring(onOrBefore: string): Promise<Listing[]>;
  /** Every listing (the export), oldest first, with photos. */
  all(opts?: { status?: ListingStatus }): Promise<{ listing: Listing; photos: ListingPhoto[] }[]>;
  /** Her listings and their photos are erased with her (the Member row's cascade); this deletes them explicitly. */
  deleteByMember(memberId: string): Promise<number>;

  // Drafts
  draftOf(memberId: string): Promise<ListingDraft | null>;
  saveDraft(draft: ListingDraft): Promise<void>;
  deleteDraft(memberId: string): Promise<void>;
  /** Drafts past their keep time, at most `limit`. */
  expiredDrafts(now: Date, limit: number): Promise<ListingDraft[]>;

  // Problem reports
  addReport(
    input: Omit<ListingReport, 'id' | 'createdAt'> & { reporterKey: string | null; createdAt: Date },
  ): Promise<ListingReport>;
  /** How many reports this reporter key made since `since` (the rate limit), and on this listing. */
  countReports(reporterKey: string, since: Date, listingId?: number): Promise<number>;
  /** Clears reporter keys older than `before` (the rate limit needs a day at most). */
  forgetReporters(before: Date): Promise<number>;
}

/** Over this a price is a typo (REFERENCE.md gives no ceiling; a product sold by the unit in a showcase store). */
export const PRICE_MAX_VND = 1_000_000_000;

/** "50k/kg", "50k một hộp", "50k mỗi chai", "50k per kg": the unit said after the price. */
const PRICE_UNIT = /(?:\s*\/\s*([^/]{1,40})|\s+(?:một|mot|1|mỗi|moi|per|a|an)\s+([^\d/][^/]{0,39}))$/iu;
/** "150k each", "150k một cái", "150k/chiếc" said without a unit word: a piece ("cái"). */
const PER_PIECE = /\s+(?:each|apiece|a piece|mỗi cái|moi cai)$/iu;
/** "50-60k", "50k - 60k", "50 đến 60k", "50 to 60k": a range, not one price. */
const PRICE_RANGE = /\d\s*(?:k|nghìn|ngàn|nghin|ngan)?\s*(?:-|–|~|đến|den|tới|toi|to)\s*\d/iu;

/** Whether she typed a range ("50-60k") where one price is asked (she is asked for one). */
export const isPriceRange = (input: string): boolean => PRICE_RANGE.test(input.normalize('NFC'));

/**
 * Reads a price as people type it, in VND, and the unit said with it: "50k", "50K", "50.000đ", "50.000 đ", "50,000
 * vnd", "50 nghìn"/"ngàn"/"nghin", "1tr2" (1,200,000), "1tr", "1 triệu 2", "1,5 triệu", "1.5tr", "2 củ" (triệu),
 * "120000"; "35k/kg" → 35,000 and unit "kg"; "50k một hộp" → unit "hộp"; "150k each" → unit "cái". The amount grammar is the credit amount
 * reader's (domain/credit/amount.ts: units, decimals after a unit, thousands grouping). Null when it is not a price: no
 * number ("không biết", "abc"), zero or negative, several amounts or a range, a bare number under 1,000 ("50": 50
 * đồng or 50 nghìn? she is asked again), or over PRICE_MAX_VND. Pure.
 */
export function readPriceAndUnit(input: string): { vnd: number; unit: string | null } | null {
  const typed = input.normalize('NFC').trim();
  const perPiece = PER_PIECE.exec(typed);
  if (perPiece) return withUnit(readPriceAndUnit(typed.slice(0, perPiece.index)), 'cái');
  const trimmed = typed;
  const unitMatch = PRICE_UNIT.exec(trimmed);
  const amountText = unitMatch ? trimmed.slice(0, unitMatch.index) : trimmed;
  const said = (unitMatch?.[1] ?? unitMatch?.[2])?.trim().replace(/[.!?]+$/u, '');
  const unit = said === undefined || said === '' ? null : said;
  if (amountText.trim() === '') return null;
  const read = parseAmount(amountText);
  if (!read.ok || read.vnd > PRICE_MAX_VND) return null;
  return { vnd: read.vnd, unit };
}

const withUnit = (read: { vnd: number; unit: string | null } | null, unit: string) =>
  read ? { vnd: read.vnd, unit: read.unit ?? unit } : null;

/** The price alone (see readPriceAndUnit); null when it is not a price. */
export const readPrice: PriceReader = (input) => readPriceAndUnit(input)?.vnd ?? null;
