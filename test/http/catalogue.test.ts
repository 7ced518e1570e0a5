// The public catalogue's HTTP layer (src/http/catalogue.ts) through the real HTTP server, with a fake product service:
// the query checks, the JSON shape, the URLs, the caching headers and 304s, and the photo routes' 404s. The real
// service, consent and the review path: test/http/catalogue.e2e.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { loadAreas } from '../../src/data/areasFile.ts';
import type { ProductGroup, PublicListing } from '../../src/domain/listings.ts';
import type { ProductService } from '../../src/features/products/contract.ts';
import { catalogueRoutes } from '../../src/http/catalogue.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLocalisation } from '../../src/i18n/i18n.ts';
import { AREAS_FILE, silentLogger } from '../helpers/chat.ts';

const areas = loadAreas(AREAS_FILE);
const TOKEN_A = 'AAAAAAAAAAAAAAAAAAAAAA';
const TOKEN_B = 'BBBBBBBBBBBBBBBBBBBBBB';

function listing(over: Partial<PublicListing> = {}): PublicListing {
  return {
    id: 7,
    name: 'Mật ong rừng',
    productGroup: 'food',
    producerKind: 'household',
    description: 'Mật ong hoa rừng Võ Nhai',
    unit: 'chai 500 ml',
    packaging: 'chai thủy tinh',
    priceVnd: 250_000,
    quantity: '100 chai',
    season: 'quanh năm',
    ocopStars: 3,
    ocopExpiresOn: '2028-05-31',
    vietgap: true,
    organic: false,
    foodSafety: true,
    available: true,
    sellerName: 'Nguyễn Thị Lan',
    communeCode: '05443',
    phone: '+84912345678',
    photos: [TOKEN_A, TOKEN_B],
    approvedAt: new Date('2026-03-01T02:00:00Z'),
    updatedAt: new Date('2026-03-01T02:00:00Z'),
    ...over,
  };
}

/** A product service that answers what the test says and records the queries it got. */
function fakeProducts(items: PublicListing[]) {
  const queries: { communeCode?: string; productGroup?: ProductGroup; page: number; perPage: number }[] = [];
  const photos = new Map<string, Uint8Array>([
    [`${TOKEN_A}:full`, new Uint8Array([0xff, 0xd8, 1, 2, 3])],
    [`${TOKEN_A}:thumb`, new Uint8Array([0xff, 0xd8, 9])],
  ]);
  const service: Pick<ProductService, 'published' | 'publicPhoto'> = {
    async published(opts) {
      queries.push(opts);
      return { items, page: opts.page, perPage: opts.perPage, total: items.length };
    },
    async publicPhoto(token, size) {
      const bytes = photos.get(`${token}:${size}`);
      return bytes === undefined ? null : { bytes, mime: 'image/jpeg', updatedAt: new Date() };
    },
  };
  return { service, queries };
}

let server: HttpServer | undefined;

async function start(items: PublicListing[], options: { publicBaseUrl?: string; maxAgeSeconds?: number } = {}) {
  const products = fakeProducts(items);
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 1024,
    logger: silentLogger,
    routes: [],
    readRoutes: catalogueRoutes({
      products: products.service,
      areas,
      t: createLocalisation().translator('vi'),
      publicBaseUrl: options.publicBaseUrl,
      maxAgeSeconds: options.maxAgeSeconds ?? 30,
    }),
    health: async () => ({ ok: true }),
  });
  const { port } = await server.start();
  return { base: `http://127.0.0.1:${port}`, queries: products.queries };
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /catalogue/listings', () => {
  it('answers the page as JSON: labels, commune name, province, root-relative photo URLs, no internal ids', async () => {
    const { base, queries } = await start([listing(), listing({ id: 8, communeCode: null, sellerName: null })]);
    const response = await fetch(`${base}/catalogue/listings`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(queries).toEqual([{ page: 1, perPage: 20 }]);
    const body = (await response.json()) as { items: Record<string, unknown>[]; page: number; total: number };
    expect(body).toMatchObject({ page: 1, perPage: 20, total: 2 });
    expect(body.items[0]).toEqual({
      id: 7,
      name: 'Mật ong rừng',
      group: { code: 'food', label: 'Thực phẩm' },
      producer: { kind: 'household', label: 'Hộ gia đình' },
      description: 'Mật ong hoa rừng Võ Nhai',
      unit: 'chai 500 ml',
      packaging: 'chai thủy tinh',
      price: 250_000,
      quantity: '100 chai',
      season: 'quanh năm',
      ocop: { stars: 3, expiresOn: '2028-05-31' },
      certifications: ['vietgap', 'foodSafety'],
      available: true,
      seller: {
        name: 'Nguyễn Thị Lan',
        phone: '+84912345678',
        commune: { code: '05443', name: 'Phường Phan Đình Phùng' },
        province: 'Thái Nguyên',
      },
      photos: [
        { url: `/catalogue/photos/${TOKEN_A}.jpg`, thumbnailUrl: `/catalogue/photos/${TOKEN_A}/thumb.jpg` },
        { url: `/catalogue/photos/${TOKEN_B}.jpg`, thumbnailUrl: `/catalogue/photos/${TOKEN_B}/thumb.jpg` },
      ],
      approvedAt: '2026-03-01T02:00:00.000Z',
      updatedAt: '2026-03-01T02:00:00.000Z',
    });
    // Without the commune consent: the province only.
    expect(body.items[1]).toMatchObject({ seller: { name: null, commune: null, province: 'Thái Nguyên' } });
  });

  it('makes photo URLs absolute with PUBLIC_BASE_URL', async () => {
    const { base } = await start([listing()], { publicBaseUrl: 'https://hoivien.example.org/' });
    const body = (await (await fetch(`${base}/catalogue/listings`)).json()) as {
      items: { photos: { url: string; thumbnailUrl: string }[] }[];
    };
    expect(body.items[0]!.photos[0]).toEqual({
      url: `https://hoivien.example.org/catalogue/photos/${TOKEN_A}.jpg`,
      thumbnailUrl: `https://hoivien.example.org/catalogue/photos/${TOKEN_A}/thumb.jpg`,
    });
  });

  it('passes the filters and the page on, and refuses bad values with 400 naming the parameter', async () => {
    const { base, queries } = await start([]);
    const ok = await fetch(`${base}/catalogue/listings?commune=05443&group=herbal&page=3&perPage=50&_=123`);
    expect(ok.status).toBe(200);
    expect(queries).toEqual([{ communeCode: '05443', productGroup: 'herbal', page: 3, perPage: 50 }]);
    const bad: [string, string, string][] = [
      ['perPage=51', 'perPage', 'outOfRange'],
      ['perPage=0', 'perPage', 'outOfRange'],
      ['perPage=ten', 'perPage', 'notInteger'],
      ['page=1001', 'page', 'outOfRange'],
      ['page=99999999999999999999', 'page', 'notInteger'],
      ['page=-1', 'page', 'notInteger'],
      ['page=1&page=2', 'page', 'repeated'],
      ['group=weapons', 'group', 'unknown'],
      ['commune=99999', 'commune', 'unknown'],
      ['commune=', 'commune', 'empty'],
    ];
    for (const [query, parameter, issue] of bad) {
      const response = await fetch(`${base}/catalogue/listings?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json(), query).toEqual({ error: 'badParameter', parameter, issue });
    }
    expect(queries).toHaveLength(1); // a refused query never reaches the database
  });

  it('sends the caching headers and answers 304 to a matching If-None-Match, 200 again when the page changed', async () => {
    const items = [listing()];
    const { base } = await start(items, { maxAgeSeconds: 45 });
    const first = await fetch(`${base}/catalogue/listings`);
    expect(first.headers.get('cache-control')).toBe('public, max-age=45');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);

    const again = await fetch(`${base}/catalogue/listings`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=45');
    expect(await again.text()).toBe('');

    const head = await fetch(`${base}/catalogue/listings`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(await head.text()).toBe('');

    items[0] = listing({ available: false }); // she marked it sold out
    const changed = await fetch(`${base}/catalogue/listings`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as { items: { available: boolean }[] }).items[0]!.available).toBe(false);
  });
});

describe('GET /catalogue/photos/…', () => {
  it('serves the photo and the thumbnail with their type, caching headers and ETag', async () => {
    const { base } = await start([]);
    const full = await fetch(`${base}/catalogue/photos/${TOKEN_A}.jpg`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('image/jpeg');
    expect(full.headers.get('cache-control')).toBe('public, max-age=30');
    expect(full.headers.get('x-content-type-options')).toBe('nosniff');
    expect([...new Uint8Array(await full.arrayBuffer())]).toEqual([0xff, 0xd8, 1, 2, 3]);
    const thumb = await fetch(`${base}/catalogue/photos/${TOKEN_A}/thumb.jpg`);
    expect([...new Uint8Array(await thumb.arrayBuffer())]).toEqual([0xff, 0xd8, 9]);
    const cached = await fetch(`${base}/catalogue/photos/${TOKEN_A}.jpg`, {
      headers: { 'if-none-match': full.headers.get('etag')! },
    });
    expect(cached.status).toBe(304);
  });

  it('answers the same 404 for an unknown token, an unpublished one, a malformed one and another extension', async () => {
    const { base } = await start([]);
    const answers = await Promise.all(
      [
        `/catalogue/photos/${TOKEN_B}.jpg`, // known to the test as a listing's token, but the service has no photo
        `/catalogue/photos/${TOKEN_B}/thumb.jpg`,
        '/catalogue/photos/short.jpg',
        '/catalogue/photos/..%2F..%2Fetc%2Fpasswd.jpg',
        `/catalogue/photos/${TOKEN_A}.png`,
        `/catalogue/photos/${TOKEN_A}`,
      ].map(async (path) => {
        const response = await fetch(`${base}${path}`);
        return { status: response.status, body: await response.text() };
      }),
    );
    for (const answer of answers) expect(answer).toEqual({ status: 404, body: '{"error":"notFound"}' });
  });
});
