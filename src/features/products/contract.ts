// The products feature's use cases, as the member's chat, the officers' chat, the admin CLI, the HTTP catalogue and
// (later) the web console call them: one service (service.ts implements it), domain results (ok with the record, or a
// refusal with its reason), never a sentence. Every check is made here, on the server, for every call: a forged button
// cannot approve anything. Writes join the caller's unit of work (the turn's transaction); what members and officers
// are told goes through the outbox in that same unit and leaves after the commit.
import type { Member } from '../../domain/member.ts';
import type {
  Listing,
  ListingDraft,
  ListingField,
  ListingInput,
  ListingPatch,
  ListingPhoto,
  ListingProblem,
  ListingReport,
  ListingStatus,
  ProductGroup,
  PublicListing,
} from '../../domain/listings.ts';

/**
 * Why a call was refused.
 * - notFound: no such listing (or, for a member, not hers: never says whose it is);
 * - notOfficer / notYourArea: the actor is no officer or admin / the listing's commune is outside her areas;
 * - wrongStatus: the listing's status does not allow it now (e.g. approving a withdrawn one, two officers deciding at
 *   once: the second is refused), `status` is the current one;
 * - invalid: an input failed the rules (`field` names the first one; `issue` a short code: "tooLong", "photos"...);
 * - notPublished: a problem report on a listing that is not published;
 * - rateLimited: too many problem reports from this person (LISTING_REPORTS_PER_DAY) or on this listing today;
 * - noConsent: she has not given (or has withdrawn) the productPublishing consent purpose.
 */
export type ListingRefusal =
  | { reason: 'notFound' | 'notOfficer' | 'notYourArea' | 'notPublished' | 'rateLimited' | 'noConsent' }
  | { reason: 'wrongStatus'; status: ListingStatus }
  | { reason: 'invalid'; field: ListingField; issue: string };

export type ListingResult<T extends object = object> = ({ ok: true } & T) | { ok: false; refusal: ListingRefusal };

/** An officer's decision on a pending listing. `fields`: what she must change (at least one); texts ≤ 1,000 chars. */
export type ReviewDecision =
  | { kind: 'approve' }
  | { kind: 'changes'; fields: ListingField[]; message: string }
  | { kind: 'reject'; reason: string };

/** A listing with its photos, and its owner (for officers; null once erased). */
export interface ListingView {
  listing: Listing;
  photos: ListingPhoto[];
}

export interface ListingPage<T> {
  items: T[];
  /** 1-based. */
  page: number;
  perPage: number;
  total: number;
}

/** What a photo route serves: the bytes and their type, or null (unknown token, or its listing is not published). */
export interface PublicPhoto {
  bytes: Uint8Array;
  mime: string;
  /** The listing's last change (Last-Modified / ETag input). */
  updatedAt: Date;
}

export interface ProductService {
  // —— Her report ——
  /**
   * Stores a new listing (pending) with its photos (each gets a thumbnail and a public token; the files become kept by
   * "listing:<id>"), opens a product_report case for the officers of its commune (they get the summary, the photos and
   * the Approve / Ask for changes / Reject buttons) and deletes her draft. Refused: noConsent, invalid.
   */
  submit(member: Member, input: ListingInput): Promise<ListingResult<{ listing: Listing; caseId: number }>>;
  /**
   * After "ask for changes": applies her changes and sends the listing back for review (pending, a new case for the
   * officers naming what changed). Refused unless the listing is hers and in status changes.
   */
  resubmit(member: Member, listingId: number, patch: ListingPatch): Promise<ListingResult<{ listing: Listing }>>;

  // —— My products ——
  /** Her listings (every status), newest first, with photos. */
  /**
   * Whether her productPublishing consent purpose is given now: without it her approved listings are not published
   * ("my products" says so).
   */
  publishingConsent(memberId: string): Promise<boolean>;
  mine(member: Member): Promise<ListingView[]>;
  /** One of hers (notFound otherwise). */
  mineOne(member: Member, listingId: number): Promise<ListingResult<ListingView>>;
  /** Sold out ⇄ available again, on an approved listing of hers (no review). */
  setSoldOut(member: Member, listingId: number, soldOut: boolean): Promise<ListingResult<{ listing: Listing }>>;
  /**
   * Changes fields of a pending, changes or approved listing of hers. An approved listing goes back for review
   * (pending, a new case) only when a REVIEWED_FIELDS field changes; `backToReview` says so.
   */
  update(
    member: Member,
    listingId: number,
    patch: ListingPatch,
  ): Promise<ListingResult<{ listing: Listing; backToReview: boolean }>>;
  /** Withdraws it (final): unpublished at once; its open review case is closed; the officers are told if it was pending. */
  withdraw(member: Member, listingId: number): Promise<ListingResult<{ listing: Listing }>>;

  // —— Drafts (kept LISTING_DRAFT_DAYS after the last change, across conversation expiry) ——
  draftOf(member: Member): Promise<ListingDraft | null>;
  /** Saves her answers so far; photo files in them become kept by "draft:<memberId>" (the orphan purge leaves them). */
  saveDraft(
    member: Member,
    draft: { answers: Record<string, unknown>; step: string | null; listingId: number | null; photoFileIds: string[] },
  ): Promise<void>;
  /** Deletes her draft and the photos only it kept. */
  discardDraft(member: Member): Promise<void>;

  // —— Officers ——
  /** The listing as an officer reviews it, when she may (officer or admin, listing in her areas). */
  forReview(actor: Member, listingId: number): Promise<ListingResult<ListingView & { owner: Member | null }>>;
  /**
   * Whether she may make this decision now (checked before she is asked for a message or reason, and again by review).
   */
  canReview(actor: Member, listingId: number): Promise<ListingResult<{ listing: Listing }>>;
  /**
   * Approve / ask for changes / reject a pending listing: the status changes only from pending (one decision wins),
   * the review case is closed (approved / done / rejected), the member is told in her language (with the message or
   * reason, and the fields to change), the audit log records it.
   */
  review(actor: Member, listingId: number, decision: ReviewDecision): Promise<ListingResult<{ listing: Listing }>>;

  // —— Anyone ——
  /** A published listing as anyone may see it (chat: before reporting a problem), or null. */
  publicOne(listingId: number): Promise<PublicListing | null>;
  /**
   * A published listing a buyer asks about, with the seller's commune code for routing her enquiry to its officers
   * (never shown to the buyer: `listing.communeCode` is the published one); null when not published now.
   */
  enquiryTarget(listingId: number): Promise<{ listing: PublicListing; sellerCommune: string | null } | null>;
  /**
   * Whether she may report a problem with this listing now (asked before any question, so she types nothing in
   * vain; reportProblem checks it again). Refused: notPublished, rateLimited.
   */
  mayReportProblem(reporter: Member, listingId: number): Promise<ListingResult<object>>;
  /**
   * A problem with a published listing: stores only the listing, the kind and her text (≤ 500 chars), opens a
   * listing_problem case for the officers of the listing's commune. Rate-limited per reporter (a keyed hash, kept a
   * day). Refused: notPublished, rateLimited.
   */
  reportProblem(
    reporter: Member,
    listingId: number,
    kind: ListingProblem,
    text: string | null,
  ): Promise<ListingResult<{ report: ListingReport }>>;

  // —— Publishing ——
  /** Approved listings (and only what each owner consented to publish), newest approval first. */
  published(opts: {
    communeCode?: string;
    productGroup?: ProductGroup;
    page: number;
    perPage: number;
  }): Promise<ListingPage<PublicListing>>;
  /** A published listing's photo or thumbnail by its token; null when unknown or not published (pending, withdrawn…). */
  publicPhoto(token: string, size: 'full' | 'thumb'): Promise<PublicPhoto | null>;
  /** Every listing for the stores' export (admin CLI): status filter, with photo FileStore keys. */
  exportRows(opts: {
    status?: ListingStatus;
  }): Promise<(ListingView & { ownerName: string | null; photoKeys: string[]; thumbKeys: string[] })[]>;
}
