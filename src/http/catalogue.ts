// The public catalogue: read-only JSON of the approved product listings, and their photos, on the bot's HTTP server
// (issue 13, "Publishing"; README "Products: publishing (export and public catalogue)").
//
//   GET /catalogue/listings?commune=<code>&group=<group>&page=<n>&perPage=<n>
//   GET /catalogue/photos/<token>.jpg           the photo (cleaned: no EXIF, no GPS)
//   GET /catalogue/photos/<token>/thumb.jpg     its thumbnail
//
// Everything comes from ProductService.published / publicPhoto, which show only approved listings whose owner's
// productPublishing consent holds, with her name, commune and phone only where she consented to publish each. This
// layer adds the URLs, the labels and commune names, the query checks and the HTTP caching (a short public max-age,
// CATALOGUE_MAX_AGE_SECONDS ≤ 60, and a weak ETag answered with 304), so a withdrawn listing or consent disappears,
// and its photos answer 404, within that lifetime. No member id, no hamlet, no internal id but the listing's.
import { createHash } from 'node:crypto';
import type { Translate } from '../conversation/flow.ts';
import type { AreaDirectory } from '../domain/areas.ts';
import { PRODUCT_GROUPS, type ProducerKind, type ProductGroup, type PublicListing } from '../domain/listings.ts';
import type { ProductService } from '../features/products/contract.ts';
import { unitLabel } from '../features/profile/areaInput.ts';
import { headerValue, type ReadRequest, type ReadResponse, type ReadRoute } from './routes.ts';

export const CATALOGUE_LISTINGS_PATH = '/catalogue/listings';
export const CATALOGUE_PHOTOS_PATH = '/catalogue/photos';
/** Listings per page unless `perPage` says otherwise, and the most it may say. */
export const CATALOGUE_PER_PAGE_DEFAULT = 20;
export const CATALOGUE_PER_PAGE_MAX = 50;
/** The last page a client may ask for (50,000 listings at 50 a page): a far page costs no more than a near one. */
export const CATALOGUE_PAGE_MAX = 1_000;
/** The longest public lifetime allowed (issue 13: a withdrawn listing disappears within 60 s). */
export const CATALOGUE_MAX_AGE_LIMIT = 60;

/** Photo tokens are 128 random bits in base64url (22 characters); anything else is not looked up. */
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

export interface CatalogueOptions {
  products: Pick<ProductService, 'published' | 'publicPhoto'>;
  /** The communes/wards in force: names for the codes, and the province shown when she keeps her commune private. */
  areas: AreaDirectory;
  /** Vietnamese texts (group and producer labels, commune type words). */
  t: Translate;
  /** PUBLIC_BASE_URL ("https://bot.example.org"): photo URLs are absolute; unset, root-relative. */
  publicBaseUrl?: string | undefined;
  /** CATALOGUE_MAX_AGE_SECONDS (0–60). */
  maxAgeSeconds: number;
}

/** Why a query was refused (400): `{ error: 'badParameter', parameter, issue }`, `issue` one of these codes. */
export type CatalogueIssue = 'notInteger' | 'outOfRange' | 'unknown' | 'repeated' | 'empty';

/** One listing as the catalogue shows it. */
export interface CatalogueItem {
  id: number;
  name: string;
  group: { code: ProductGroup; label: string };
  producer: { kind: ProducerKind; label: string };
  description: string;
  unit: string;
  packaging: string | null;
  /** VND per unit. */
  price: number;
  quantity: string | null;
  season: string | null;
  ocop: { stars: number; expiresOn: string | null } | null;
  certifications: ('vietgap' | 'organic' | 'foodSafety')[];
  /** False when she marked it sold out. */
  available: boolean;
  seller: {
    name: string | null;
    phone: string | null;
    /** Only when she consented to publish her commune. */
    commune: { code: string; name: string } | null;
    province: string;
  };
  photos: { url: string; thumbnailUrl: string }[];
  approvedAt: string;
  updatedAt: string;
}

/**
 * The catalogue's three GET routes, mounted by the HTTP server (main.ts: `readRoutes`). JSON answers are
 * `{ items, page, perPage, total }` (200), `{ error: 'badParameter', parameter, issue }` (400, not cached) or
 * `{ error: 'notFound' }` (404: an unknown, malformed or unpublished photo token, all alike). Errors from the service
 * (the database) propagate: the server answers 500 and logs the error's name only.
 */
export function catalogueRoutes(options: CatalogueOptions): ReadRoute[] {
  const maxAge = Math.max(0, Math.min(CATALOGUE_MAX_AGE_LIMIT, Math.floor(options.maxAgeSeconds)));
  const common = {
    'cache-control': `public, max-age=${maxAge}`,
    'x-content-type-options': 'nosniff',
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'ETag',
  };
  const notFound: ReadResponse = {
    status: 404,
    headers: { ...common, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: 'notFound' }),
  };
  const item = catalogueItem({ areas: options.areas, t: options.t, publicBaseUrl: options.publicBaseUrl });

  async function listings(req: ReadRequest): Promise<ReadResponse> {
    const query = readQuery(req.query, options.areas);
    if (!query.ok) {
      return {
        status: 400,
        headers: {
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'access-control-allow-origin': '*',
          'content-type': 'application/json; charset=utf-8',
        },
        body: JSON.stringify({ error: 'badParameter', parameter: query.parameter, issue: query.issue }),
      };
    }
    const page = await options.products.published(query.value);
    const body = JSON.stringify({
      items: page.items.map(item),
      page: page.page,
      perPage: page.perPage,
      total: page.total,
    });
    return conditional(req, body, 'application/json; charset=utf-8', common);
  }

  async function photo(token: string | undefined, size: 'full' | 'thumb'): Promise<ReadResponse> {
    if (token === undefined || !TOKEN.test(token)) return notFound;
    const found = await options.products.publicPhoto(token, size);
    if (found === null) return notFound;
    return {
      status: 200,
      headers: { ...common, 'content-type': found.mime, etag: etagOf(found.bytes) },
      body: found.bytes,
    };
  }

  return [
    { method: 'GET', path: CATALOGUE_LISTINGS_PATH, handle: listings },
    {
      method: 'GET',
      path: `${CATALOGUE_PHOTOS_PATH}/:file`,
      handle: async (req) => {
        const file = req.params['file'] ?? '';
        return file.endsWith('.jpg') ? withConditional(req, await photo(file.slice(0, -4), 'full')) : notFound;
      },
    },
    {
      method: 'GET',
      path: `${CATALOGUE_PHOTOS_PATH}/:token/thumb.jpg`,
      handle: async (req) => withConditional(req, await photo(req.params['token'], 'thumb')),
    },
  ];
}

/** A listing's photo URLs: root-relative, or absolute under `publicBaseUrl` (PUBLIC_BASE_URL) when it is set. */
export function cataloguePhotoUrls(token: string, publicBaseUrl?: string): { url: string; thumbnailUrl: string } {
  const base = (publicBaseUrl ?? '').replace(/\/+$/, '');
  return {
    url: `${base}${CATALOGUE_PHOTOS_PATH}/${token}.jpg`,
    thumbnailUrl: `${base}${CATALOGUE_PHOTOS_PATH}/${token}/thumb.jpg`,
  };
}

/**
 * The catalogue's view of one published listing (the JSON item; also what the HTML pages of src/web/catalogue show):
 * labels in the language of `t` (group, producer, commune type), the commune's name from the areas data (its code when
 * the data no longer has it), photo URLs by `cataloguePhotoUrls`.
 */
export function catalogueItem(
  options: Pick<CatalogueOptions, 'areas' | 't' | 'publicBaseUrl'>,
): (listing: PublicListing) => CatalogueItem {
  return (l: PublicListing): CatalogueItem => {
    const unit = options.areas.byCodeOrNull(l.communeCode);
    return {
      id: l.id,
      name: l.name,
      group: { code: l.productGroup, label: options.t(`catalogue:groups.${l.productGroup}`) },
      producer: { kind: l.producerKind, label: options.t(`catalogue:producers.${l.producerKind}`) },
      description: l.description,
      unit: l.unit,
      packaging: l.packaging,
      price: l.priceVnd,
      quantity: l.quantity,
      season: l.season,
      ocop: l.ocopStars === null ? null : { stars: l.ocopStars, expiresOn: l.ocopExpiresOn },
      certifications: [
        ...(l.vietgap ? (['vietgap'] as const) : []),
        ...(l.organic ? (['organic'] as const) : []),
        ...(l.foodSafety ? (['foodSafety'] as const) : []),
      ],
      available: l.available,
      seller: {
        name: l.sellerName,
        phone: l.phone,
        commune:
          l.communeCode === null
            ? null
            : {
                code: l.communeCode,
                name: unit === null ? l.communeCode : unitLabel(unit, options.t),
              },
        province: options.areas.province,
      },
      photos: l.photos.map((token) => cataloguePhotoUrls(token, options.publicBaseUrl)),
      approvedAt: l.approvedAt.toISOString(),
      updatedAt: l.updatedAt.toISOString(),
    };
  };
}

type QueryRead =
  | { ok: true; value: { communeCode?: string; productGroup?: ProductGroup; page: number; perPage: number } }
  | { ok: false; parameter: string; issue: CatalogueIssue };

/** Checks the query: every known parameter at most once, in range; unknown ones (a cache buster) are ignored. */
export function readQuery(query: URLSearchParams, areas: AreaDirectory): QueryRead {
  const one = (name: string): { value: string | undefined } | { issue: CatalogueIssue } => {
    const all = query.getAll(name);
    if (all.length > 1) return { issue: 'repeated' };
    const value = all[0]?.trim();
    if (value === '') return { issue: 'empty' };
    return { value };
  };
  const integer = (name: string, fallback: number, max: number): number | { issue: CatalogueIssue } => {
    const raw = one(name);
    if ('issue' in raw) return raw;
    if (raw.value === undefined) return fallback;
    if (!/^\d{1,9}$/.test(raw.value)) return { issue: 'notInteger' };
    const n = Number(raw.value);
    return n >= 1 && n <= max ? n : { issue: 'outOfRange' };
  };
  const commune = one('commune');
  if ('issue' in commune) return { ok: false, parameter: 'commune', issue: commune.issue };
  if (commune.value !== undefined && areas.byCodeOrNull(commune.value) === null) {
    return { ok: false, parameter: 'commune', issue: 'unknown' };
  }
  const group = one('group');
  if ('issue' in group) return { ok: false, parameter: 'group', issue: group.issue };
  if (group.value !== undefined && !(PRODUCT_GROUPS as readonly string[]).includes(group.value)) {
    return { ok: false, parameter: 'group', issue: 'unknown' };
  }
  const page = integer('page', 1, CATALOGUE_PAGE_MAX);
  if (typeof page !== 'number') return { ok: false, parameter: 'page', issue: page.issue };
  const perPage = integer('perPage', CATALOGUE_PER_PAGE_DEFAULT, CATALOGUE_PER_PAGE_MAX);
  if (typeof perPage !== 'number') return { ok: false, parameter: 'perPage', issue: perPage.issue };
  return {
    ok: true,
    value: {
      ...(commune.value === undefined ? {} : { communeCode: commune.value }),
      ...(group.value === undefined ? {} : { productGroup: group.value as ProductGroup }),
      page,
      perPage,
    },
  };
}

/** A weak validator over the exact bytes sent. */
export function etagOf(bytes: string | Uint8Array): string {
  return `W/"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

/** Whether If-None-Match names this ETag (weak comparison, a list, or "*"). */
function matches(req: ReadRequest, etag: string): boolean {
  return etagMatches(headerValue(req.headers, 'if-none-match'), etag);
}

/** Whether an If-None-Match header value names this ETag (weak comparison, a list, or "*"). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

function conditional(
  req: ReadRequest,
  body: string,
  contentType: string,
  headers: Record<string, string>,
): ReadResponse {
  return withConditional(req, {
    status: 200,
    headers: { ...headers, 'content-type': contentType, etag: etagOf(body) },
    body,
  });
}

/** A 200 whose ETag the client already has becomes a 304 without a body (same caching headers). */
function withConditional(req: ReadRequest, response: ReadResponse): ReadResponse {
  const etag = response.headers?.['etag'];
  if (response.status !== 200 || etag === undefined || !matches(req, etag)) return response;
  const { 'content-type': _type, ...headers } = response.headers ?? {};
  return { status: 304, headers };
}
