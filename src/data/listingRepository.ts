// Product listings in the database (Prisma, SQLite and PostgreSQL), handed to the core as domain objects (see
// src/domain/listings.ts). Enumerations are plain string columns and `changeFields` / a draft's `answers` are JSON
// columns: all are checked on the way out, an invalid stored value fails loudly. Status changes are compare-and-set
// (`transition`: UPDATE ... WHERE id = ? AND status IN (...)): SQLite runs one writer at a time and PostgreSQL locks
// the row, so of two officers deciding at once exactly one changes it. Everything runs in the caller's (ambient)
// transaction, as every repository built on the runtime's client (src/data/transactions.ts).
import { z } from 'zod';
import {
  LISTING_FIELDS,
  LISTING_PROBLEMS,
  LISTING_STATUSES,
  PRODUCER_KINDS,
  PRODUCT_GROUPS,
  type Listing,
  type ListingDraft,
  type ListingPhoto,
  type ListingReport,
  type ListingRepository,
} from '../domain/listings.ts';
import type { PrismaClient } from './database.ts';

const storedListing = z.object({
  status: z.enum(LISTING_STATUSES),
  productGroup: z.enum(PRODUCT_GROUPS),
  producerKind: z.enum(PRODUCER_KINDS),
  changeFields: z.array(z.enum(LISTING_FIELDS)).nullable(),
});

type ListingRow = Omit<Listing, 'status' | 'productGroup' | 'producerKind' | 'changeFields'> & {
  status: string;
  productGroup: string;
  producerKind: string;
  changeFields: unknown;
};

/** A stored listing as the core sees it. */
export function toListing(row: ListingRow): Listing {
  const parsed = storedListing.safeParse(row);
  if (!parsed.success)
    throw new Error(`Listing ${row.id} has an invalid stored value: ${z.prettifyError(parsed.error)}`);
  return {
    id: row.id,
    memberId: row.memberId,
    status: parsed.data.status,
    soldOut: row.soldOut,
    name: row.name,
    productGroup: parsed.data.productGroup,
    producerKind: parsed.data.producerKind,
    producerRegNo: row.producerRegNo,
    communeCode: row.communeCode,
    hamlet: row.hamlet,
    description: row.description,
    unit: row.unit,
    packaging: row.packaging,
    priceVnd: row.priceVnd,
    quantity: row.quantity,
    season: row.season,
    ocopStars: row.ocopStars,
    ocopExpiresOn: row.ocopExpiresOn,
    vietgap: row.vietgap,
    organic: row.organic,
    foodSafety: row.foodSafety,
    phone: row.phone,
    publishName: row.publishName,
    publishCommune: row.publishCommune,
    publishPhone: row.publishPhone,
    caseId: row.caseId,
    reviewNote: row.reviewNote,
    changeFields: parsed.data.changeFields ?? [],
    reviewedById: row.reviewedById,
    reviewedAt: row.reviewedAt,
    submittedAt: row.submittedAt,
    approvedAt: row.approvedAt,
    withdrawnAt: row.withdrawnAt,
    ocopFlaggedFor: row.ocopFlaggedFor,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const toPhoto = (row: ListingPhoto & { createdAt?: Date }): ListingPhoto => ({
  id: row.id,
  listingId: row.listingId,
  fileId: row.fileId,
  thumbKey: row.thumbKey,
  position: row.position,
  token: row.token,
});

const storedDraft = z.object({ answers: z.record(z.string(), z.unknown()) });

function toDraft(row: {
  memberId: string;
  answers: unknown;
  step: string | null;
  listingId: number | null;
  updatedAt: Date;
  expiresAt: Date;
}): ListingDraft {
  const parsed = storedDraft.safeParse(row);
  if (!parsed.success) throw new Error(`A listing draft has an invalid stored value: ${z.prettifyError(parsed.error)}`);
  return {
    memberId: row.memberId,
    answers: parsed.data.answers,
    step: row.step,
    listingId: row.listingId,
    updatedAt: row.updatedAt,
    expiresAt: row.expiresAt,
  };
}

const toReport = (row: {
  id: number;
  listingId: number;
  kind: string;
  text: string | null;
  caseId: number | null;
  createdAt: Date;
}): ListingReport => ({
  id: row.id,
  listingId: row.listingId,
  kind: z.enum(LISTING_PROBLEMS).parse(row.kind),
  text: row.text,
  caseId: row.caseId,
  createdAt: row.createdAt,
});

/** A patch as the columns take it: changeFields as a JSON array. */
function columns(patch: Partial<Listing>) {
  const { changeFields, ...rest } = patch;
  return changeFields === undefined ? rest : { ...rest, changeFields: [...changeFields] };
}

const PHOTO_ORDER = { position: 'asc' } as const;
/** The owner's productPublishing consent purpose is given (and not withdrawn). */
const PUBLISHING_GIVEN = { purpose: 'productPublishing', givenAt: { not: null }, withdrawnAt: null };

export function createListingRepository(prisma: PrismaClient): ListingRepository {
  const get = async (id: number) => {
    if (!Number.isSafeInteger(id)) return null;
    const row = await prisma.listing.findUnique({ where: { id } });
    return row === null ? null : toListing(row);
  };

  return {
    async create(memberId, input, submittedAt) {
      const row = await prisma.listing.create({
        data: { ...input, memberId, status: 'pending', submittedAt, changeFields: [] },
      });
      return toListing(row);
    },

    get,

    async byMember(memberId) {
      const rows = await prisma.listing.findMany({
        where: { memberId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
      return rows.map(toListing);
    },

    async update(id, patch) {
      const row = await prisma.listing.update({ where: { id }, data: columns(patch) });
      return toListing(row);
    },

    async transition(id, from, patch) {
      const { count } = await prisma.listing.updateMany({
        where: { id, status: { in: [...from] } },
        data: columns(patch),
      });
      return count === 0 ? null : get(id);
    },

    async photos(listingId) {
      const rows = await prisma.listingPhoto.findMany({ where: { listingId }, orderBy: PHOTO_ORDER });
      return rows.map(toPhoto);
    },

    async setPhotos(listingId, photos) {
      await prisma.listingPhoto.deleteMany({ where: { listingId } });
      const out: ListingPhoto[] = [];
      for (const p of photos) out.push(toPhoto(await prisma.listingPhoto.create({ data: { ...p, listingId } })));
      return out;
    },

    async photoByToken(token) {
      const row = await prisma.listingPhoto.findUnique({ where: { token }, include: { listing: true } });
      if (row === null) return null;
      const { listing, ...photo } = row;
      return { photo: toPhoto(photo), listing: toListing(listing) };
    },

    async published({ communeCode, productGroup, page, perPage }) {
      const where = {
        status: 'approved',
        // Her productPublishing consent, now: a withdrawal unpublishes at once (no stored copy to forget).
        member: { consents: { some: PUBLISHING_GIVEN } },
        ...(communeCode === undefined ? {} : { communeCode, publishCommune: true }),
        ...(productGroup === undefined ? {} : { productGroup }),
      };
      const [total, rows] = await Promise.all([
        prisma.listing.count({ where }),
        prisma.listing.findMany({
          where,
          include: { photos: { orderBy: PHOTO_ORDER }, member: { select: { displayName: true } } },
          orderBy: [{ approvedAt: 'desc' }, { id: 'desc' }],
          skip: Math.max(0, (page - 1) * perPage),
          take: perPage,
        }),
      ]);
      return {
        total,
        items: rows.map(({ photos, member, ...listing }) => ({
          listing: toListing(listing),
          photos: photos.map(toPhoto),
          ownerName: member.displayName,
        })),
      };
    },

    async ocopExpiring(onOrBefore) {
      const rows = await prisma.listing.findMany({
        where: { status: 'approved', ocopExpiresOn: { not: null, lte: onOrBefore } },
        orderBy: [{ ocopExpiresOn: 'asc' }, { id: 'asc' }],
      });
      // "Not flagged for that date": the mark names the expiry it was sent for (a renewed certificate is flagged anew).
      return rows.map(toListing).filter((l) => l.ocopFlaggedFor !== l.ocopExpiresOn);
    },

    async all(opts) {
      const rows = await prisma.listing.findMany({
        where: opts?.status === undefined ? {} : { status: opts.status },
        include: { photos: { orderBy: PHOTO_ORDER } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(({ photos, ...listing }) => ({ listing: toListing(listing), photos: photos.map(toPhoto) }));
    },

    async deleteByMember(memberId) {
      const { count } = await prisma.listing.deleteMany({ where: { memberId } });
      return count;
    },

    async draftOf(memberId) {
      const row = await prisma.listingDraft.findUnique({ where: { memberId } });
      return row === null ? null : toDraft(row);
    },

    async saveDraft(draft) {
      const data = {
        answers: JSON.parse(JSON.stringify(draft.answers)) as object,
        step: draft.step,
        listingId: draft.listingId,
        updatedAt: draft.updatedAt,
        expiresAt: draft.expiresAt,
      };
      await prisma.listingDraft.upsert({
        where: { memberId: draft.memberId },
        create: { memberId: draft.memberId, ...data },
        update: data,
      });
    },

    async deleteDraft(memberId) {
      await prisma.listingDraft.deleteMany({ where: { memberId } });
    },

    async expiredDrafts(now, limit) {
      const rows = await prisma.listingDraft.findMany({
        where: { expiresAt: { lte: now } },
        orderBy: [{ expiresAt: 'asc' }],
        take: limit,
      });
      return rows.map(toDraft);
    },

    async addReport(input) {
      const row = await prisma.listingReport.create({ data: { ...input } });
      return toReport(row);
    },

    countReports(reporterKey, since, listingId) {
      return prisma.listingReport.count({
        where: { reporterKey, createdAt: { gte: since }, ...(listingId === undefined ? {} : { listingId }) },
      });
    },

    async forgetReporters(before) {
      const { count } = await prisma.listingReport.updateMany({
        where: { reporterKey: { not: null }, createdAt: { lt: before } },
        data: { reporterKey: null },
      });
      return count;
    },
  };
}
