// The products use cases (ProductService, ./contract.ts), one service for the member's chat, the officers' chat, the
// admin CLI, the public HTTP catalogue and (later) the web console. Every check is made here for every call: her
// consent (productPublishing) and the input rules (domain/listings.ts checkListingInput), that photos are hers, that a
// listing is hers, that an officer covers its commune (domain/officers.ts covers; admins everywhere), that a decision
// is made on a pending listing only (a compare-and-set: of two officers deciding at once one wins). Every method runs
// in one unit of work (the caller's when there is one: a turn, a CLI command, a job): records, the case, the audit
// entry and the outbox rows commit together; file bytes that are no longer needed are deleted after the commit.
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock, Logger, Transactor } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import { isClosed, type CaseRepository } from '../../domain/cases.ts';
import {
  thumbnailKey,
  type FileStore,
  type StoredFile,
  type StoredFileRepository,
  type Thumbnailer,
} from '../../domain/files.ts';
import {
  changedFields,
  checkListingInput,
  draftExpiry,
  EDITABLE_STATUSES,
  FIELD_OF_INPUT,
  inputOf,
  LISTING_FIELDS,
  LISTING_LIMITS,
  LISTING_PROBLEMS,
  needsReview,
  ocopNoticeHorizon,
  publicListing,
  type Listing,
  type ListingDraft,
  type ListingField,
  type ListingInput,
  type ListingPatch,
  type ListingPhoto,
  type ListingRepository,
  type ListingStatus,
} from '../../domain/listings.ts';
import type { Member, MemberRepository } from '../../domain/member.ts';
import { covers, type AuditLog, type OfficerRepository } from '../../domain/officers.ts';
import { consentState, type ConsentRepository } from '../../domain/privacy.ts';
import { localIsoDate } from '../../domain/time.ts';
import type { CaseRouting } from '../cases/routing.ts';
import type {
  ListingRefusal,
  ListingResult,
  ListingView,
  ProductService,
  PublicPhoto,
  ReviewDecision,
} from './contract.ts';
import type { ProductNotices, ReviewOccasion } from './notices.ts';

const DAY_MS = 86_400_000;
/** Drafts one purge pass reads (a pass loops until none is left). */
const PURGE_BATCH = 100;

export interface ProductServiceDeps {
  listings: ListingRepository;
  members: MemberRepository;
  officers: OfficerRepository;
  cases: CaseRepository;
  /** Who hears of a new case: the commune's officers, else the province's, else the admins (cases/routing.ts). */
  routing: CaseRouting;
  consents: ConsentRepository;
  /** The stored photos' records and bytes, and the thumbnail maker (sharp, src/data/images.ts). */
  files: StoredFileRepository;
  fileStore: FileStore;
  thumbnailer: Thumbnailer;
  audit: AuditLog;
  areas: AreaDirectory;
  notices: ProductNotices;
  transactor: Transactor;
  clock: Clock;
  /** IANA zone of local dates (TIME_ZONE): "today" for the OCOP rules. */
  timeZone: string;
  logger: Logger;
  /** LISTING_DRAFT_DAYS: a draft is deleted this many days after its last change. */
  draftDays: number;
  /** LISTING_REPORTS_PER_DAY: problem reports one person may make in 24 hours. */
  reportsPerDay: number;
  /**
   * The HMAC key of reporter keys (see reporterKey): the key, or how to get it (the database's shared secret, loaded
   * once, before the report's transaction).
   */
  reporterSecret: string | (() => Promise<string>);
  /** 128 random bits, base64url (a photo's public token); injectable for tests. */
  randomToken?: () => string;
}

/** What the rest of the feature (jobs, personal data, chat, review) uses beyond the contract. */
export interface ProductServiceInternals extends ProductService {
  /** Job: deletes drafts past their keep time with the photos only they kept (records now, bytes after the commit). */
  purgeExpiredDrafts(): Promise<number>;
  /** Job: tells the member and the commune's officers, once per expiry date, of OCOP certificates expiring soon. */
  flagOcopExpiring(today?: string): Promise<number>;
  /** Job: clears reporter keys older than a day (the rate limit needs no more). */
  forgetReporters(): Promise<number>;
  /** Erasure (personal-data registry): her draft and listings (photos' records go with her member row). */
  eraseMember(member: Member): Promise<void>;
  /** How many photos her draft keeps ("draft:<memberId>"), for "my data". */
  draftPhotoCount(member: Member): Promise<number>;
}

const refuse = (refusal: ListingRefusal): { ok: false; refusal: ListingRefusal } => ({ ok: false, refusal });
const isStaff = (m: Member) => m.role === 'officer' || m.role === 'admin';
const draftKeeper = (memberId: string) => `draft:${memberId}`;
const listingKeeper = (id: number) => `listing:${id}`;

/**
 * The reporter key of a problem report: HMAC-SHA256(secret, member id), hex. It lets the rate limit count one
 * person's reports without storing who she is (no table links the key back; it is cleared after a day).
 */
export function reporterKey(secret: string, memberId: string): string {
  return createHmac('sha256', secret).update(memberId).digest('hex');
}

export function createProductService(deps: ProductServiceDeps): ProductServiceInternals {
  const { listings, files, fileStore, notices, cases } = deps;
  const unit = <T>(work: () => Promise<T>) => deps.transactor.run(work);
  const now = () => deps.clock.now();
  const today = () => localIsoDate(now(), deps.timeZone);
  const token = deps.randomToken ?? (() => randomBytes(16).toString('base64url'));

  async function publishingConsent(memberId: string): Promise<boolean> {
    const decision = (await deps.consents.decisionsOf(memberId)).find((d) => d.purpose === 'productPublishing');
    return consentState(decision) === 'given';
  }

  /** Why a problem report on this listing is refused now (not published; the rate limit), or null. */
  async function problemRefusal(reporter: Member, listingId: number, secret: string): Promise<ListingRefusal | null> {
    const listing = await listings.get(listingId);
    if (listing?.status !== 'approved' || !(await publishingConsent(listing.memberId)))
      return { reason: 'notPublished' };
    const key = reporterKey(secret, reporter.id);
    const since = new Date(now().getTime() - DAY_MS);
    if (
      (await listings.countReports(key, since)) >= deps.reportsPerDay ||
      (await listings.countReports(key, since, listingId)) > 0
    ) {
      return { reason: 'rateLimited' };
    }
    return null;
  }

  /** Her listing (notFound for someone else's: never says whose). */
  async function hers(member: Member, id: number): Promise<ListingResult<{ listing: Listing }>> {
    const listing = await listings.get(id);
    if (listing?.memberId !== member.id) return refuse({ reason: 'notFound' });
    return { ok: true, listing };
  }

  /** An officer or admin whose areas cover the listing's commune. */
  async function authorised(actor: Member, id: number): Promise<ListingResult<{ listing: Listing }>> {
    if (!isStaff(actor)) return refuse({ reason: 'notOfficer' });
    const listing = await listings.get(id);
    if (!listing) return refuse({ reason: 'notFound' });
    if (actor.role !== 'admin' && !covers(await deps.officers.areasOf(actor.id), listing.communeCode)) {
      return refuse({ reason: 'notYourArea' });
    }
    return { ok: true, listing };
  }

  /** Checks a whole input (rules, then that each photo is hers and an image); refusal `invalid` otherwise. */
  async function checked(
    member: Member,
    input: ListingInput,
  ): Promise<ListingResult<{ input: ListingInput; photoFiles: StoredFile[] }>> {
    const result = checkListingInput(input, {
      today: today(),
      knownCommune: (code) => deps.areas.byCodeOrNull(code) !== null,
    });
    if (!result.ok) return refuse({ reason: 'invalid', field: result.field, issue: result.issue });
    const photoFiles: StoredFile[] = [];
    for (const id of result.input.photoFileIds) {
      const file = await files.findById(id);
      if (file?.memberId !== member.id || !file.mime.startsWith('image/')) {
        return refuse({ reason: 'invalid', field: 'photos', issue: 'notHers' });
      }
      photoFiles.push(file);
    }
    return { ok: true, input: result.input, photoFiles };
  }

  /**
   * The photo rows for these files, in order: a file the listing had keeps its row's thumbnail and token; a new one
   * gets a thumbnail (stored beside it) and a fresh token. The files become kept by the listing.
   */
  async function photoRows(
    member: Member,
    listingId: number,
    photoFiles: readonly StoredFile[],
    existing: readonly ListingPhoto[],
  ): Promise<Omit<ListingPhoto, 'id' | 'listingId'>[]> {
    const rows: Omit<ListingPhoto, 'id' | 'listingId'>[] = [];
    for (const [i, file] of photoFiles.entries()) {
      const had = existing.find((p) => p.fileId === file.id);
      if (had) {
        rows.push({ fileId: file.id, thumbKey: had.thumbKey, position: i + 1, token: had.token });
        continue;
      }
      const bytes = await fileStore.get(file.key);
      if (!bytes) throw new Error(`stored file ${file.id} has no bytes`);
      const thumb = await deps.thumbnailer.thumbnail(bytes);
      const key = thumbnailKey(member.id, file.id);
      await fileStore.put(key, thumb.bytes, thumb.mime);
      rows.push({ fileId: file.id, thumbKey: key, position: i + 1, token: token() });
    }
    await files.keep(
      member.id,
      photoFiles.map((f) => f.id),
      listingKeeper(listingId),
    );
    return rows;
  }

  /** Deletes files (records now, bytes and thumbnails after the commit): photos dropped from a listing or a draft. */
  async function dropFiles(dropped: readonly { file: StoredFile; thumbKey: string | null }[]): Promise<void> {
    for (const { file } of dropped) await files.delete(file.id);
    if (dropped.length === 0) return;
    deps.transactor.afterCommit(async () => {
      for (const { file, thumbKey } of dropped) {
        await fileStore.delete(file.key);
        if (thumbKey) await fileStore.delete(thumbKey);
      }
    });
  }

  /** Her draft's photos (kept by "draft:<id>") that nothing else keeps now, except `keep`. */
  async function draftFiles(memberId: string, keep: readonly string[] = []): Promise<StoredFile[]> {
    return (await files.listByMember(memberId)).filter(
      (f) => f.keptBy === draftKeeper(memberId) && !keep.includes(f.id),
    );
  }

  async function deleteDraft(memberId: string): Promise<void> {
    const dropped = await draftFiles(memberId);
    await listings.deleteDraft(memberId);
    await dropFiles(dropped.map((file) => ({ file, thumbKey: null })));
  }

  /** Opens the review case of a listing (its commune's officers) and sends them the review notice. */
  async function openReview(
    member: Member,
    listing: Listing,
    photos: readonly ListingPhoto[],
    occasion: ReviewOccasion,
  ): Promise<Listing> {
    const c = await cases.create({
      type: 'product_report',
      memberId: member.id,
      communeCode: listing.communeCode,
      details: { listingId: String(listing.id), name: listing.name },
      createdAt: now(),
    });
    const withCase = await listings.update(listing.id, { caseId: c.id });
    for (const officer of await deps.routing.recipientsFor(listing.communeCode)) {
      await notices.forReview(officer.member, withCase, photos, member, occasion);
    }
    return withCase;
  }

  /** Closes a listing's open review case (a decision, a withdrawal). */
  async function closeCase(
    listing: Listing,
    status: 'done' | 'approved' | 'rejected',
    note: string | null,
    by: string,
  ): Promise<void> {
    if (listing.caseId === null) return;
    const c = await cases.get(listing.caseId);
    if (c && !isClosed(c.status)) await cases.close(c.id, status, note, now(), by);
  }

  /** Applies a patch (only the input's keys) to a listing's current values and checks the whole. */
  async function patched(member: Member, listing: Listing, patch: ListingPatch) {
    const photos = await listings.photos(listing.id);
    const before = inputOf(listing, photos);
    const after: ListingInput = { ...before };
    for (const key of Object.keys(FIELD_OF_INPUT) as (keyof ListingInput)[]) {
      if (patch[key] !== undefined) (after as unknown as Record<string, unknown>)[key] = patch[key];
    }
    const result = await checked(member, after);
    if (!result.ok) return result;
    return { ...result, before, photos, changed: changedFields(before, result.input) };
  }

  /** Writes a checked change: fields, photos (new thumbnails, dropped files deleted after the commit). */
  async function applyChange(
    member: Member,
    listing: Listing,
    input: ListingInput,
    photoFiles: StoredFile[],
    photos: readonly ListingPhoto[],
    statusChange: { from: readonly ListingStatus[]; to: ListingStatus } | null,
    extra: Partial<Listing> = {},
  ): Promise<{ listing: Listing; photos: ListingPhoto[] } | null> {
    const { photoFileIds, ...fields } = input;
    let saved: Listing | null;
    if (statusChange) {
      saved = await listings.transition(listing.id, statusChange.from, {
        ...fields,
        ...extra,
        status: statusChange.to,
      });
      if (!saved) return null;
    } else {
      saved = await listings.update(listing.id, { ...fields, ...extra });
    }
    const samePhotos = photos.map((p) => p.fileId).join('\n') === photoFileIds.join('\n');
    if (samePhotos) return { listing: saved, photos: [...photos] };
    const rows = await photoRows(member, listing.id, photoFiles, photos);
    const stored = await listings.setPhotos(listing.id, rows);
    const gone = photos.filter((p) => !photoFileIds.includes(p.fileId));
    const dropped: { file: StoredFile; thumbKey: string | null }[] = [];
    for (const p of gone) {
      const file = await files.findById(p.fileId);
      if (file) dropped.push({ file, thumbKey: p.thumbKey });
    }
    await dropFiles(dropped);
    return { listing: saved, photos: stored };
  }

  const service: ProductServiceInternals = {
    publishingConsent,

    draftPhotoCount: async (member) => (await draftFiles(member.id)).length,

    async submit(member, input) {
      if (!(await publishingConsent(member.id))) return refuse({ reason: 'noConsent' });
      return unit(async () => {
        const result = await checked(member, input);
        if (!result.ok) return result;
        const { photoFileIds, ...fields } = result.input;
        void photoFileIds;
        const created = await listings.create(member.id, fields, now());
        const photos = await listings.setPhotos(created.id, await photoRows(member, created.id, result.photoFiles, []));
        const listing = await openReview(member, created, photos, { kind: 'new' });
        await deleteDraft(member.id);
        await deps.audit.record({ actor: member.id, action: 'listing.submitted', subject: String(listing.id) });
        return { ok: true as const, listing, caseId: listing.caseId! };
      });
    },

    async resubmit(member, listingId, patch) {
      return unit(async () => {
        const found = await hers(member, listingId);
        if (!found.ok) return found;
        if (found.listing.status !== 'changes') return refuse({ reason: 'wrongStatus', status: found.listing.status });
        const next = await patched(member, found.listing, patch);
        if (!next.ok) return next;
        const saved = await applyChange(
          member,
          found.listing,
          next.input,
          next.photoFiles,
          next.photos,
          { from: ['changes'], to: 'pending' },
          { submittedAt: now(), changeFields: [], reviewNote: null },
        );
        if (!saved) {
          const current = await listings.get(listingId);
          return refuse({ reason: 'wrongStatus', status: current?.status ?? found.listing.status });
        }
        const listing = await openReview(member, saved.listing, saved.photos, {
          kind: 'resubmitted',
          changed: next.changed,
        });
        await deleteDraft(member.id);
        await deps.audit.record({ actor: member.id, action: 'listing.resubmitted', subject: String(listingId) });
        return { ok: true as const, listing };
      });
    },

    async mine(member) {
      const list = await listings.byMember(member.id);
      const views: ListingView[] = [];
      for (const listing of list) views.push({ listing, photos: await listings.photos(listing.id) });
      return views;
    },

    async mineOne(member, listingId) {
      const found = await hers(member, listingId);
      if (!found.ok) return found;
      return { ok: true, listing: found.listing, photos: await listings.photos(listingId) };
    },

    async setSoldOut(member, listingId, soldOut) {
      return unit(async () => {
        const found = await hers(member, listingId);
        if (!found.ok) return found;
        if (found.listing.status !== 'approved') {
          return refuse({ reason: 'wrongStatus', status: found.listing.status });
        }
        const listing = await listings.transition(listingId, ['approved'], { status: 'approved', soldOut });
        if (!listing) return refuse({ reason: 'wrongStatus', status: (await listings.get(listingId))!.status });
        return { ok: true as const, listing };
      });
    },

    async update(member, listingId, patch) {
      return unit(async () => {
        const found = await hers(member, listingId);
        if (!found.ok) return found;
        const status = found.listing.status;
        if (!EDITABLE_STATUSES.includes(status)) {
          return refuse({ reason: 'wrongStatus', status });
        }
        const next = await patched(member, found.listing, patch);
        if (!next.ok) return next;
        const backToReview = status === 'approved' && needsReview(next.changed);
        const saved = await applyChange(
          member,
          found.listing,
          next.input,
          next.photoFiles,
          next.photos,
          backToReview ? { from: ['approved'], to: 'pending' } : { from: [status], to: status },
          backToReview ? { submittedAt: now(), approvedAt: null, soldOut: false } : {},
        );
        if (!saved) {
          const current = await listings.get(listingId);
          return refuse({ reason: 'wrongStatus', status: current?.status ?? status });
        }
        let listing = saved.listing;
        if (backToReview) {
          listing = await openReview(member, listing, saved.photos, { kind: 'changedApproved', changed: next.changed });
        } else if (status === 'pending' && needsReview(next.changed) && listing.caseId !== null) {
          // The officers reviewing it hear what changed (the case stays the same).
          for (const officer of await deps.routing.recipientsFor(listing.communeCode)) {
            await notices.forReview(officer.member, listing, saved.photos, member, {
              kind: 'resubmitted',
              changed: next.changed,
            });
          }
        }
        if (next.changed.length > 0) {
          await deps.audit.record({
            actor: member.id,
            action: 'listing.updated',
            subject: String(listingId),
            details: { fields: next.changed, backToReview },
          });
        }
        return { ok: true as const, listing, backToReview };
      });
    },

    async withdraw(member, listingId) {
      return unit(async () => {
        const found = await hers(member, listingId);
        if (!found.ok) return found;
        const from: ListingStatus[] = ['pending', 'changes', 'approved'];
        const listing = await listings.transition(listingId, from, { status: 'withdrawn', withdrawnAt: now() });
        if (!listing) {
          const current = await listings.get(listingId);
          return refuse({ reason: 'wrongStatus', status: current?.status ?? found.listing.status });
        }
        await closeCase(listing, 'done', 'withdrawn', member.id);
        if (found.listing.status === 'pending') {
          for (const officer of await deps.routing.recipientsFor(listing.communeCode)) {
            await notices.withdrawnWhilePending(officer.member, listing, member);
          }
        }
        await deps.audit.record({ actor: member.id, action: 'listing.withdrawn', subject: String(listingId) });
        return { ok: true as const, listing };
      });
    },

    async draftOf(member) {
      const draft = await listings.draftOf(member.id);
      return draft && draft.expiresAt > now() ? draft : null;
    },

    async saveDraft(member, draft) {
      await unit(async () => {
        // Only her files that nothing else keeps (a photo of the listing being edited stays the listing's).
        const ids: string[] = [];
        for (const id of draft.photoFileIds) {
          const file = await files.findById(id);
          if (file?.memberId === member.id && (file.keptBy === null || file.keptBy === draftKeeper(member.id))) {
            ids.push(id);
          }
        }
        const dropped = await draftFiles(member.id, draft.photoFileIds);
        await files.keep(member.id, ids, draftKeeper(member.id));
        const at = now();
        const saved: ListingDraft = {
          memberId: member.id,
          answers: draft.answers,
          step: draft.step,
          listingId: draft.listingId,
          updatedAt: at,
          expiresAt: draftExpiry(at, deps.draftDays),
        };
        await listings.saveDraft(saved);
        await dropFiles(dropped.map((file) => ({ file, thumbKey: null })));
      });
    },

    async discardDraft(member) {
      await unit(() => deleteDraft(member.id));
    },

    async forReview(actor, listingId) {
      const found = await authorised(actor, listingId);
      if (!found.ok) return found;
      return {
        ok: true,
        listing: found.listing,
        photos: await listings.photos(listingId),
        owner: await deps.members.findById(found.listing.memberId),
      };
    },

    async canReview(actor, listingId) {
      const found = await authorised(actor, listingId);
      if (!found.ok) return found;
      if (found.listing.status !== 'pending') return refuse({ reason: 'wrongStatus', status: found.listing.status });
      return found;
    },

    async review(actor, listingId, decision) {
      const bad = decisionProblem(decision);
      if (bad) return refuse(bad);
      return unit(async () => {
        const found = await authorised(actor, listingId);
        if (!found.ok) return found;
        const at = now();
        const common = { reviewedById: actor.id, reviewedAt: at };
        const patch =
          decision.kind === 'approve'
            ? { ...common, status: 'approved' as const, approvedAt: at, reviewNote: null, changeFields: [] }
            : decision.kind === 'changes'
              ? {
                  ...common,
                  status: 'changes' as const,
                  reviewNote: decision.message.trim(),
                  changeFields: LISTING_FIELDS.filter((f) => decision.fields.includes(f)),
                }
              : { ...common, status: 'rejected' as const, reviewNote: decision.reason.trim() };
        const listing = await listings.transition(listingId, ['pending'], patch);
        if (!listing) {
          const current = await listings.get(listingId);
          return refuse({ reason: 'wrongStatus', status: current?.status ?? found.listing.status });
        }
        const caseStatus = decision.kind === 'approve' ? 'approved' : decision.kind === 'reject' ? 'rejected' : 'done';
        await closeCase(listing, caseStatus, listing.reviewNote, actor.id);
        const owner = await deps.members.findById(listing.memberId);
        if (owner) {
          if (decision.kind === 'approve') await notices.approved(owner, listing);
          else if (decision.kind === 'changes')
            await notices.changes(owner, listing, listing.changeFields, listing.reviewNote ?? '');
          else await notices.rejected(owner, listing, listing.reviewNote ?? '');
        }
        await deps.audit.record({
          actor: actor.id,
          action: `listing.${decision.kind === 'approve' ? 'approved' : decision.kind === 'changes' ? 'changesAsked' : 'rejected'}`,
          subject: String(listingId),
          ...(decision.kind === 'changes' ? { details: { fields: listing.changeFields } } : {}),
        });
        return { ok: true as const, listing };
      });
    },

    async publicOne(listingId) {
      const listing = await listings.get(listingId);
      if (listing?.status !== 'approved' || !(await publishingConsent(listing.memberId))) return null;
      const owner = await deps.members.findById(listing.memberId);
      return publicListing(listing, await listings.photos(listingId), owner?.displayName ?? null);
    },

    async enquiryTarget(listingId) {
      const listing = await listings.get(listingId);
      if (listing?.status !== 'approved' || !(await publishingConsent(listing.memberId))) return null;
      const owner = await deps.members.findById(listing.memberId);
      return {
        listing: publicListing(listing, await listings.photos(listingId), owner?.displayName ?? null),
        sellerCommune: listing.communeCode,
      };
    },

    async mayReportProblem(reporter, listingId) {
      const secret = typeof deps.reporterSecret === 'string' ? deps.reporterSecret : await deps.reporterSecret();
      const refused = await problemRefusal(reporter, listingId, secret);
      return refused ? refuse(refused) : { ok: true as const };
    },

    async reportProblem(reporter, listingId, kind, reportText) {
      const trimmed = reportText?.normalize('NFC').trim() ?? '';
      const tidied = trimmed === '' ? null : trimmed;
      if (!LISTING_PROBLEMS.includes(kind)) return refuse({ reason: 'invalid', field: 'description', issue: 'kind' });
      if (tidied !== null && tidied.length > LISTING_LIMITS.reportText) {
        return refuse({ reason: 'invalid', field: 'description', issue: 'tooLong' });
      }
      const secret = typeof deps.reporterSecret === 'string' ? deps.reporterSecret : await deps.reporterSecret();
      return unit(async () => {
        const refused = await problemRefusal(reporter, listingId, secret);
        if (refused) return refuse(refused);
        const listing = (await listings.get(listingId))!;
        const key = reporterKey(secret, reporter.id);
        // The case is the listing's (its owner's: erased with her), never the reporter's: who reported is not stored.
        const c = await cases.create({
          type: 'listing_problem',
          memberId: listing.memberId,
          communeCode: listing.communeCode,
          details: { listingId: String(listing.id), name: listing.name, kind, ...(tidied ? { text: tidied } : {}) },
          createdAt: now(),
        });
        const report = await listings.addReport({
          listingId,
          kind,
          text: tidied,
          caseId: c.id,
          reporterKey: key,
          createdAt: now(),
        });
        for (const officer of await deps.routing.recipientsFor(listing.communeCode)) {
          await notices.problem(officer.member, listing, kind, tidied, c.id);
        }
        return { ok: true as const, report };
      });
    },

    async published(opts) {
      const page = Math.max(1, Math.floor(opts.page));
      const perPage = Math.max(1, Math.min(100, Math.floor(opts.perPage)));
      const found = await listings.published({ ...opts, page, perPage });
      return {
        items: found.items.map(({ listing, photos, ownerName }) => publicListing(listing, photos, ownerName)),
        page,
        perPage,
        total: found.total,
      };
    },

    async publicPhoto(photoToken, size): Promise<PublicPhoto | null> {
      if (!/^[A-Za-z0-9_-]{16,64}$/.test(photoToken)) return null;
      const found = await listings.photoByToken(photoToken);
      if (found?.listing.status !== 'approved' || !(await publishingConsent(found.listing.memberId))) return null;
      let key = found.photo.thumbKey;
      if (size === 'full') {
        const file = await files.findById(found.photo.fileId);
        if (!file) return null;
        key = file.key;
      }
      const bytes = await fileStore.get(key);
      return bytes ? { bytes, mime: 'image/jpeg', updatedAt: found.listing.updatedAt } : null;
    },

    async exportRows(opts) {
      const rows = await listings.all(opts.status === undefined ? {} : { status: opts.status });
      const out = [];
      for (const { listing, photos } of rows) {
        const owner = await deps.members.findById(listing.memberId);
        const photoKeys: string[] = [];
        for (const p of photos) {
          const file = await files.findById(p.fileId);
          if (file) photoKeys.push(file.key);
        }
        out.push({
          listing,
          photos,
          ownerName: owner?.displayName ?? null,
          photoKeys,
          thumbKeys: photos.map((p) => p.thumbKey),
        });
      }
      return out;
    },

    async purgeExpiredDrafts() {
      let purged = 0;
      for (;;) {
        const batch = await listings.expiredDrafts(now(), PURGE_BATCH);
        for (const draft of batch) {
          await unit(async () => {
            // Saved again meanwhile (a turn between the read and here): not expired any more.
            const current = await listings.draftOf(draft.memberId);
            if (!current || current.expiresAt > now()) return;
            await deleteDraft(draft.memberId);
            purged += 1;
          });
        }
        if (batch.length < PURGE_BATCH) break;
      }
      return purged;
    },

    async flagOcopExpiring(day) {
      const horizon = ocopNoticeHorizon(day ?? today());
      let flagged = 0;
      for (const found of await listings.ocopExpiring(horizon)) {
        await unit(async () => {
          // The once-only mark, compare-and-set on the status: a listing withdrawn meanwhile is not flagged.
          const listing = await listings.transition(found.id, ['approved'], {
            status: 'approved',
            ocopFlaggedFor: found.ocopExpiresOn,
          });
          if (!listing) return;
          const owner = await deps.members.findById(listing.memberId);
          if (owner) await notices.ocopToMember(owner, listing);
          for (const officer of await deps.routing.recipientsFor(listing.communeCode)) {
            await notices.ocopToOfficer(officer.member, listing, owner);
          }
          flagged += 1;
        });
      }
      return flagged;
    },

    forgetReporters: () => listings.forgetReporters(new Date(now().getTime() - DAY_MS)),

    async eraseMember(member) {
      await listings.deleteDraft(member.id);
      await listings.deleteByMember(member.id);
    },
  };
  return service;
}

/** Why a decision's own content is refused (before anything is read), or null. */
function decisionProblem(decision: ReviewDecision): ListingRefusal | null {
  if (decision.kind === 'approve') return null;
  const note = (decision.kind === 'changes' ? decision.message : decision.reason).trim();
  if (decision.kind === 'changes') {
    const fields = decision.fields.filter((f): f is ListingField => LISTING_FIELDS.includes(f));
    if (fields.length === 0 || fields.length !== decision.fields.length) {
      return { reason: 'invalid', field: decision.fields[0] ?? 'name', issue: 'fields' };
    }
  }
  if (note === '') return { reason: 'invalid', field: 'description', issue: 'required' };
  if (note.length > LISTING_LIMITS.reviewNote) return { reason: 'invalid', field: 'description', issue: 'tooLong' };
  return null;
}
