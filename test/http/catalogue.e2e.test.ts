// The public catalogue end to end: listings submitted and reviewed through the real ProductService on SQLite, read
// through the real HTTP server as a store's page reads them. What it must never show (issue 13, "How it is checked"):
// a pending, changes-requested, rejected or withdrawn listing, a name, commune or phone without her consent, a photo
// of an unpublished listing; and what it serves carries no GPS position (read back with sharp).
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../../src/domain/member.ts';
import { catalogueRoutes } from '../../src/http/catalogue.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import type { Runtime } from '../../src/wiring.ts';
import { HOUR, realRuntime, silentLogger, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import {
  approved,
  photoTokens,
  provinceOfficer,
  registerListingPhotos,
  seller,
  submitted,
} from '../helpers/listings.ts';

interface Item {
  id: number;
  name: string;
  available: boolean;
  group: { code: string };
  seller: {
    name: string | null;
    phone: string | null;
    commune: { code: string; name: string } | null;
    province: string;
  };
  photos: { url: string; thumbnailUrl: string }[];
}
interface Page {
  items: Item[];
  page: number;
  perPage: number;
  total: number;
}

let db: FreshDatabase;
let rt: Runtime;
let server: HttpServer;
let base: string;
const clock = new TestClock();

beforeAll(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma, clock);
  await registerListingPhotos(rt);
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 1024,
    logger: silentLogger,
    routes: [],
    readRoutes: catalogueRoutes({
      products: rt.products,
      areas: rt.areas,
      t: rt.localisation.translator('vi'),
      publicBaseUrl: 'https://hoivien.example.org',
      maxAgeSeconds: 30,
    }),
    health: async () => ({ ok: true }),
  });
  base = `http://127.0.0.1:${(await server.start()).port}`;
});

afterAll(async () => {
  await server.close();
  await db.close();
});

async function page(query = ''): Promise<Page> {
  const response = await fetch(`${base}/catalogue/listings${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

/** A URL the catalogue gave, fetched from this server (the public host in it is replaced). */
const local = (url: string) => url.replace('https://hoivien.example.org', base);
const status = async (url: string) => (await fetch(local(url))).status;

describe('the public catalogue on the real service', () => {
  let officer: Member;
  let lan: Member;
  let mai: Member;
  const ids = { honey: 0, tea: 0, rice: 0, pending: 0, changes: 0, rejected: 0, withdrawn: 0 };

  beforeAll(async () => {
    officer = await provinceOfficer(rt, clock.now());
    lan = await seller(rt, clock.now(), { name: 'Nguyễn Thị Lan', phone: '+84912345678', communeCode: '05443' });
    mai = await seller(rt, clock.now(), { name: 'Trần Thị Mai', phone: '+84987654321', communeCode: '05467' });
    const next = () => clock.advance(HOUR);
    ids.honey = await approved(rt, lan, officer, { name: 'Mật ong rừng' });
    next();
    // Mai consents to nothing but the listing itself: no name, no commune, no phone.
    ids.tea = await approved(rt, mai, officer, {
      name: 'Trà xanh Tân Cương',
      productGroup: 'beverages',
      communeCode: '05467',
      phone: '+84987654321',
      publishName: false,
      publishCommune: false,
      publishPhone: false,
    });
    next();
    ids.rice = await approved(rt, lan, officer, { name: 'Gạo nếp cái hoa vàng' });
    next();
    expect((await rt.products.setSoldOut(lan, ids.rice, true)).ok).toBe(true);
    ids.pending = await submitted(rt, lan, { name: 'Miến dong (chờ duyệt)' });
    ids.changes = await submitted(rt, lan, { name: 'Chè lam (cần sửa)' });
    expect(
      (await rt.products.review(officer, ids.changes, { kind: 'changes', fields: ['photos'], message: 'Ảnh mờ' })).ok,
    ).toBe(true);
    ids.rejected = await submitted(rt, lan, { name: 'Rượu ngô (bị từ chối)' });
    expect((await rt.products.review(officer, ids.rejected, { kind: 'reject', reason: 'Không thuộc OCOP' })).ok).toBe(
      true,
    );
    ids.withdrawn = await approved(rt, mai, officer, { name: 'Măng khô (đã rút)', communeCode: '05467' });
    next();
    expect((await rt.products.withdraw(mai, ids.withdrawn)).ok).toBe(true);
  });

  it('shows only approved listings, newest approval first, a sold-out one as unavailable', async () => {
    const all = await page();
    expect(all.items.map((i) => i.name)).toEqual(['Gạo nếp cái hoa vàng', 'Trà xanh Tân Cương', 'Mật ong rừng']);
    expect(all.total).toBe(3);
    expect(all.items.map((i) => i.available)).toEqual([false, true, true]);
    const text = JSON.stringify(all);
    for (const hidden of ['chờ duyệt', 'cần sửa', 'bị từ chối', 'đã rút', 'Xóm Bãi Bông', lan.id, mai.id]) {
      expect(text).not.toContain(hidden);
    }
  });

  it('gives name, commune and phone only where she consented; otherwise the province only', async () => {
    const { items } = await page();
    const honey = items.find((i) => i.id === ids.honey)!;
    expect(honey.seller).toEqual({
      name: 'Nguyễn Thị Lan',
      phone: '+84912345678',
      commune: { code: '05443', name: 'Phường Phan Đình Phùng' },
      province: 'Thái Nguyên',
    });
    const tea = items.find((i) => i.id === ids.tea)!;
    expect(tea.seller).toEqual({ name: null, phone: null, commune: null, province: 'Thái Nguyên' });
    expect(JSON.stringify(tea)).not.toContain('987654321');
    expect(JSON.stringify(tea)).not.toContain('Mai');
  });

  it('filters by commune (only listings publishing it) and by group, and pages', async () => {
    expect((await page('?commune=05443')).items.map((i) => i.id)).toEqual([ids.rice, ids.honey]);
    // Mai's tea is in 05467 but she keeps her commune private: left out of the commune filter.
    expect(await page('?commune=05467')).toEqual({ items: [], page: 1, perPage: 20, total: 0 });
    expect((await page('?group=beverages')).items.map((i) => i.id)).toEqual([ids.tea]);
    const second = await page('?perPage=1&page=2');
    expect(second).toMatchObject({ page: 2, perPage: 1, total: 3 });
    expect(second.items.map((i) => i.id)).toEqual([ids.tea]);
    expect((await page('?perPage=2&page=1000')).items).toEqual([]);
  });

  it('serves published photos, never those of a pending, changes, rejected or withdrawn listing', async () => {
    const { items } = await page();
    const honey = items.find((i) => i.id === ids.honey)!;
    expect(honey.photos[0]!.url).toMatch(/^https:\/\/hoivien\.example\.org\/catalogue\/photos\/[\w-]{22}\.jpg$/);
    expect(await status(honey.photos[0]!.url)).toBe(200);
    expect(await status(honey.photos[0]!.thumbnailUrl)).toBe(200);
    const hidden = [
      ...(await photoTokens(rt, lan, ids.pending)),
      ...(await photoTokens(rt, lan, ids.changes)),
      ...(await photoTokens(rt, lan, ids.rejected)),
      ...(await photoTokens(rt, mai, ids.withdrawn)),
    ];
    expect(hidden).toHaveLength(4);
    for (const token of hidden) {
      for (const path of [`/catalogue/photos/${token}.jpg`, `/catalogue/photos/${token}/thumb.jpg`]) {
        const response = await fetch(`${base}${path}`);
        expect(response.status).toBe(404);
        expect(await response.text()).toBe('{"error":"notFound"}');
      }
    }
  });

  it('a withdrawn consent takes her listings out at once: the page changes (no 304) and her photo URLs answer 404', async () => {
    const before = await fetch(`${base}/catalogue/listings`);
    const etag = before.headers.get('etag')!;
    expect(before.headers.get('cache-control')).toBe('public, max-age=30');
    expect((await fetch(`${base}/catalogue/listings`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const honey = ((await before.json()) as Page).items.find((i) => i.id === ids.honey)!;

    const current = (await rt.members.findById(lan.id))!;
    await rt.features.consent.decide(current, 'productPublishing', false, clock.now());

    const after = await fetch(`${base}/catalogue/listings`, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as Page).items.map((i) => i.id)).toEqual([ids.tea]);
    expect(await status(honey.photos[0]!.url)).toBe(404);
    expect(await status(honey.photos[0]!.thumbnailUrl)).toBe(404);

    // Given again: back, with the same photo URLs.
    await rt.features.consent.decide((await rt.members.findById(lan.id))!, 'productPublishing', true, clock.now());
    expect((await page()).total).toBe(3);
    expect(await status(honey.photos[0]!.url)).toBe(200);
  });

  it('a reviewed field changed takes the listing back to review: gone from the catalogue, its photos 404', async () => {
    const rice = (await page()).items.find((i) => i.id === ids.rice)!;
    expect(await status(rice.photos[0]!.url)).toBe(200);
    const updated = await rt.products.update(lan, ids.rice, { description: 'Gạo nếp cái hoa vàng, vụ mùa mới.' });
    expect(updated).toMatchObject({ ok: true, backToReview: true });
    expect((await page()).items.map((i) => i.id)).toEqual([ids.tea, ids.honey]);
    expect(await status(rice.photos[0]!.url)).toBe(404);
    expect(await status(rice.photos[0]!.thumbnailUrl)).toBe(404);
  });
});

describe('photos with a GPS position', () => {
  it('are published without it: the photo and the thumbnail read back from the endpoint carry no EXIF', async () => {
    const officer = await provinceOfficer(rt, clock.now());
    const hoa = await seller(rt, clock.now(), { name: 'Lê Thị Hoa' });
    clock.advance(HOUR);
    const id = await approved(rt, hoa, officer, { name: 'Nấm hương rừng' }, ['gps']);
    const item = (await page()).items.find((i) => i.id === id)!;
    const full = await fetch(local(item.photos[0]!.url));
    const thumb = await fetch(local(item.photos[0]!.thumbnailUrl));
    expect(full.headers.get('content-type')).toBe('image/jpeg');
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const fullMeta = await sharp(new Uint8Array(await full.arrayBuffer())).metadata();
    const thumbMeta = await sharp(new Uint8Array(await thumb.arrayBuffer())).metadata();
    for (const meta of [fullMeta, thumbMeta]) {
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
    }
    expect(fullMeta.width).toBe(1200);
    expect(Math.max(thumbMeta.width, thumbMeta.height)).toBeLessThanOrEqual(320);
  });
});
