// The web console's lists of product listings (issue 16, Products section): the review queue and the other statuses,
// within an officer's areas, filtered by commune and product group, one page at a time, with the first photo of each
// (its thumbnail is served by the console's own photo route, which asks ProductService.forReview first). Read-only:
// every decision goes through ProductService.review. The ProductService has no listing-of-many for officers, hence
// this query; its rows are converted by the listing repository's own `toListing`.
import { LISTING_STATUSES, type Listing, type ListingStatus, type ProductGroup } from '../domain/listings.ts';
import type { PrismaClient } from './database.ts';
import { toListing } from './listingRepository.ts';

/** One row of a console list: the listing, its first photo's id (null: none), how many photos, the owner's name. */
export interface ProductQueueRow {
  listing: Listing;
  firstPhotoId: number | null;
  photoCount: number;
  /** Her display name now (null once erased or never given). */
  ownerName: string | null;
}

/**
 * Which listings a list shows. `communes`: the viewer's communes, or null for the whole province (an admin, an officer
 * with "*"). `order` 'oldest' puts the one waiting longest first (the review queue), 'newest' the latest change first.
 */
export interface ProductQueueFilter {
  communes: readonly string[] | null;
  status: ListingStatus;
  communeCode?: string;
  productGroup?: ProductGroup;
  order: 'oldest' | 'newest';
  /** 1-based. */
  page: number;
  perPage: number;
}

export interface ProductQueue {
  /** One page of listings and the total matching the filter. */
  list(filter: ProductQueueFilter): Promise<{ items: ProductQueueRow[]; total: number }>;
  /** How many listings of each status in these communes (null: all), optionally of one commune / group. */
  counts(filter: {
    communes: readonly string[] | null;
    communeCode?: string;
    productGroup?: ProductGroup;
  }): Promise<Record<ListingStatus, number>>;
  /** The commune codes that have any listing in these communes (the commune filter's choices). */
  communesWithListings(communes: readonly string[] | null): Promise<string[]>;
}

export function createProductQueue(prisma: PrismaClient): ProductQueue {
  const scope = (communes: readonly string[] | null, communeCode?: string) => {
    if (communeCode !== undefined) {
      // A commune outside her areas matches nothing (never an error that says whether it has listings).
      return communes === null || communes.includes(communeCode) ? { communeCode } : { communeCode: { in: [] } };
    }
    return communes === null ? {} : { communeCode: { in: [...communes] } };
  };

  return {
    async list(filter) {
      const where = {
        status: filter.status,
        ...scope(filter.communes, filter.communeCode),
        ...(filter.productGroup === undefined ? {} : { productGroup: filter.productGroup }),
      };
      const perPage = Math.max(1, Math.min(100, Math.floor(filter.perPage)));
      const page = Math.max(1, Math.floor(filter.page));
      const orderBy =
        filter.order === 'oldest'
          ? [{ submittedAt: 'asc' as const }, { id: 'asc' as const }]
          : [{ updatedAt: 'desc' as const }, { id: 'desc' as const }];
      const [total, rows] = await Promise.all([
        prisma.listing.count({ where }),
        prisma.listing.findMany({
          where,
          include: {
            photos: { orderBy: { position: 'asc' }, take: 1, select: { id: true } },
            _count: { select: { photos: true } },
            member: { select: { displayName: true } },
          },
          orderBy,
          skip: (page - 1) * perPage,
          take: perPage,
        }),
      ]);
      return {
        total,
        items: rows.map(({ photos, _count, member, ...row }) => ({
          listing: toListing(row),
          firstPhotoId: photos[0]?.id ?? null,
          photoCount: _count.photos,
          ownerName: member.displayName,
        })),
      };
    },

    async counts(filter) {
      const rows = await prisma.listing.groupBy({
        by: ['status'],
        where: {
          ...scope(filter.communes, filter.communeCode),
          ...(filter.productGroup === undefined ? {} : { productGroup: filter.productGroup }),
        },
        _count: { _all: true },
      });
      const counts = Object.fromEntries(LISTING_STATUSES.map((s) => [s, 0])) as Record<ListingStatus, number>;
      for (const row of rows) {
        if ((LISTING_STATUSES as readonly string[]).includes(row.status)) {
          counts[row.status as ListingStatus] = row._count._all;
        }
      }
      return counts;
    },

    async communesWithListings(communes) {
      const rows = await prisma.listing.findMany({
        where: scope(communes),
        distinct: ['communeCode'],
        select: { communeCode: true },
        orderBy: { communeCode: 'asc' },
      });
      return rows.map((r) => r.communeCode);
    },
  };
}
