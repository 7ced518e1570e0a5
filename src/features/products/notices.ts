// What officers and members are told about listings without asking (namespace productNotices, vi + en): the officers'
// review notice (the listing's summary, its photos "Ảnh 1/3"…, the Approve / Ask for changes / Reject buttons), what a
// resubmission or an edit of a published listing changed, a withdrawal while pending; the member's decision messages
// (approved: where it is published; changes: the officer's message, the fields to change and an "Edit" button;
// rejected: the reason); OCOP expiry notices to her and to the officers; a problem report to the officers. Each is
// composed in the RECIPIENT's language (dates, price, commune names) and goes through the outbox (kind 'listing') in
// the caller's unit of work: stored with the records, sent after the commit.
import { text, type Said, type Translate } from '../../conversation/flow.ts';
import type { OutboxPort } from '../../conversation/outbox.ts';
import type { PushResult } from '../../conversation/messages.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Listing, ListingField, ListingPhoto, ListingProblem } from '../../domain/listings.ts';
import type { Language, Member } from '../../domain/member.ts';
import { formatDateTime, formatIsoDate } from '../../domain/time.ts';
import { communeLabel, fieldNames, listingSummary, type SummaryContext } from './presenter.ts';

/** Button actions of the officers' review notice (the review helper's handler) and of the member's edit button. */
export const LISTING_APPROVE = 'lok';
export const LISTING_CHANGES = 'lchg';
export const LISTING_REJECT = 'lrej';
export const LISTING_EDIT = 'lmedit';

/** Why the officers get the review notice: a new listing, a resubmission after changes, an edit of a published one. */
export type ReviewOccasion =
  | { kind: 'new' }
  | { kind: 'resubmitted'; changed: readonly ListingField[] }
  | { kind: 'changedApproved'; changed: readonly ListingField[] };

export interface ProductNotices {
  /** The review notice to one officer: heading, summary, each photo, the three buttons (one message each). */
  forReview(
    officer: Member,
    listing: Listing,
    photos: readonly ListingPhoto[],
    owner: Member | null,
    occasion: ReviewOccasion,
  ): Promise<void>;
  /** The same notice, as the messages (for an officer who opens the listing in chat: the review helper). */
  reviewMessages(
    reader: Member,
    listing: Listing,
    photos: readonly ListingPhoto[],
    owner: Member | null,
    occasion: ReviewOccasion,
  ): Said[];
  /** She withdrew a listing that was waiting for review. */
  withdrawnWhilePending(officer: Member, listing: Listing, owner: Member | null): Promise<void>;
  approved(member: Member, listing: Listing): Promise<PushResult>;
  changes(member: Member, listing: Listing, fields: readonly ListingField[], message: string): Promise<PushResult>;
  rejected(member: Member, listing: Listing, reason: string): Promise<PushResult>;
  ocopToMember(member: Member, listing: Listing): Promise<PushResult>;
  ocopToOfficer(officer: Member, listing: Listing, owner: Member | null): Promise<void>;
  problem(
    officer: Member,
    listing: Listing,
    kind: ListingProblem,
    reportText: string | null,
    caseId: number,
  ): Promise<void>;
}

export function createProductNotices(deps: {
  outbox: OutboxPort;
  areas: AreaDirectory;
  /** IANA zone of every date a person reads (TIME_ZONE). */
  timeZone: string;
  translator: (language: Language) => Translate;
}): ProductNotices {
  const { outbox } = deps;
  const send = (to: Member, said: Said[], caseId?: number | null) =>
    outbox.send(to, said, { kind: 'listing', ...(caseId ? { caseId } : {}) });
  const ctxFor = (reader: Member): SummaryContext => ({
    t: deps.translator(reader.language),
    language: reader.language,
    areas: deps.areas,
  });
  const ownerName = (owner: Member | null, t: Translate) => owner?.displayName ?? t('productNotices:unknownOwner');

  function reviewMessages(
    reader: Member,
    listing: Listing,
    photos: readonly ListingPhoto[],
    owner: Member | null,
    occasion: ReviewOccasion,
  ): Said[] {
    const ctx = ctxFor(reader);
    const vars = {
      owner: ownerName(owner, ctx.t),
      id: listing.id,
      at: formatDateTime(listing.submittedAt, deps.timeZone, reader.language),
    };
    const heading =
      occasion.kind === 'new'
        ? ctx.t('productNotices:review.new', vars)
        : ctx.t(`productNotices:review.${occasion.kind}`, {
            ...vars,
            fields:
              occasion.changed.length > 0
                ? fieldNames(occasion.changed, ctx.t)
                : ctx.t('productNotices:review.nothingChanged'),
          });
    const summary = listingSummary({ ...listing, photos: photos.length }, ctx);
    const sorted = [...photos].sort((a, b) => a.position - b.position);
    return [
      { raw: `${heading}\n${summary}` },
      ...sorted.map((p, i): Said => ({
        photo: p.fileId,
        caption: text('productNotices:review.photo', { n: i + 1, count: sorted.length }),
      })),
      {
        text: text('productNotices:review.ask'),
        actions: [
          { label: text('productNotices:buttons.approve'), action: `${LISTING_APPROVE}:${listing.id}` },
          { label: text('productNotices:buttons.changes'), action: `${LISTING_CHANGES}:${listing.id}` },
          { label: text('productNotices:buttons.reject'), action: `${LISTING_REJECT}:${listing.id}` },
        ],
      },
    ];
  }

  return {
    reviewMessages,

    async forReview(officer, listing, photos, owner, occasion) {
      await send(officer, reviewMessages(officer, listing, photos, owner, occasion), listing.caseId);
    },

    async withdrawnWhilePending(officer, listing, owner) {
      const t = deps.translator(officer.language);
      await send(
        officer,
        [text('productNotices:review.withdrawn', { owner: ownerName(owner, t), id: listing.id, name: listing.name })],
        listing.caseId,
      );
    },

    approved: (member, listing) => send(member, [text('productNotices:member.approved', { name: listing.name })]),

    changes(member, listing, fields, message) {
      const t = deps.translator(member.language);
      return send(member, [
        text('productNotices:member.changes', { name: listing.name, message, fields: fieldNames(fields, t) }),
        {
          text: text('productNotices:member.changesHow'),
          actions: [{ label: text('productNotices:buttons.edit'), action: `${LISTING_EDIT}:${listing.id}` }],
        },
      ]);
    },

    rejected: (member, listing, reason) =>
      send(member, [text('productNotices:member.rejected', { name: listing.name, reason })]),

    ocopToMember: (member, listing) =>
      send(member, [
        text('productNotices:member.ocop', {
          name: listing.name,
          expires: formatIsoDate(listing.ocopExpiresOn ?? '', member.language),
        }),
      ]),

    async ocopToOfficer(officer, listing, owner) {
      const ctx = ctxFor(officer);
      await send(officer, [
        text('productNotices:officer.ocop', {
          id: listing.id,
          name: listing.name,
          stars: listing.ocopStars ?? 0,
          owner: ownerName(owner, ctx.t),
          commune: communeLabel(listing.communeCode, ctx),
          expires: formatIsoDate(listing.ocopExpiresOn ?? '', officer.language),
        }),
      ]);
    },

    async problem(officer, listing, kind, reportText, caseId) {
      const ctx = ctxFor(officer);
      const vars = {
        id: listing.id,
        name: listing.name,
        commune: communeLabel(listing.communeCode, ctx),
        kind: ctx.t(`productNotices:problems.${kind}`),
        text: reportText ?? '',
      };
      await send(
        officer,
        [text(reportText ? 'productNotices:officer.problem' : 'productNotices:officer.problemNoText', vars)],
        caseId,
      );
    },
  };
}
