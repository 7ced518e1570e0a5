// The public catalogue's HTML pages (issue 16, "Public catalogue") through the real HTTP server, the real product
// service and SQLite, as a visitor's phone fetches them: what is listed (approved only), the filters, the pager, a
// product's page with her phone only where she consented, the 404 and bad-query pages (never a 500), English, the
// caching and security headers, the size of a page of 20. In Chromium at 360 px: catalogue.browser.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalisation } from '../../src/i18n/i18n.ts';
import { productDocument, type PageFrame } from '../../src/web/catalogue/render.ts';
import type { CatalogueItem } from '../../src/http/catalogue.ts';
import { catalogueSite, LAN_PHONE, MAI_PHONE, type CatalogueSite } from './catalogueSite.ts';

let site: CatalogueSite;

beforeAll(async () => {
  site = await catalogueSite();
});
afterAll(async () => {
  await site.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${site.base}${path}`, { headers });
  // Prices keep the no-break space Intl puts before "₫"; compared here with a plain space.
  return { response, status: response.status, body: (await response.text()).replaceAll('\u00a0', ' ') };
}

/** The product names on a list page, in order (the cards' headings). */
function names(body: string): string[] {
  return [...body.matchAll(/<li class="card">[\s\S]*?<h2>([^<]*)<\/h2>/g)].map((m) => m[1]!.trim());
}

describe('GET /catalogue', () => {
  it('lists the approved products only, newest approval first, with price, OCOP stars, availability and place', async () => {
    const { status, response, body } = await get('/catalogue');
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(body).toMatch(/^<!doctype html>\s*<html lang="vi">/);
    expect(names(body)).toEqual(['Gạo nếp cái hoa vàng', 'Trà xanh Tân Cương', 'Mật ong rừng']);
    expect(body).toContain('3 sản phẩm');
    for (const hidden of ['chờ duyệt', 'bị từ chối', 'đã rút', 'Xóm Bãi Bông', 'Trần Thị Mai']) {
      expect(body).not.toContain(hidden);
    }
    expect(body).toContain('250.000 ₫ / chai 500 ml');
    expect(body).toContain('1.250.000 ₫ / kg');
    expect(body).toContain('OCOP 3 sao');
    expect(body).toContain('OCOP 4 sao');
    expect(body).toContain('Hết hàng'); // the rice, marked sold out, stays listed
    expect(body).toContain('Phường Phan Đình Phùng');
    // Mai keeps her commune private: her card says the province.
    const tea = body.slice(body.indexOf('Trà xanh Tân Cương'));
    expect(tea.slice(0, tea.indexOf('</li>'))).toContain('Tỉnh Thái Nguyên');
    expect(body).toContain(`href="/catalogue/products/${site.ids.honey}"`);
  });

  it('gives thumbnails lazily with their size set, no script, one stylesheet, under 30 KB', async () => {
    const { body } = await get('/catalogue');
    const images = [...body.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
    expect(images).toHaveLength(3);
    for (const image of images) {
      expect(image).toMatch(/src="\/catalogue\/photos\/[A-Za-z0-9_-]+\/thumb\.jpg"/);
      expect(image).toContain('loading="lazy"');
      expect(image).toMatch(/width="\d+"/);
      expect(image).toMatch(/height="\d+"/);
    }
    expect(body).not.toMatch(/<script|<style|style="| on[a-z]+="/i);
    expect(body.match(/rel="stylesheet"/g)).toHaveLength(1);
    // A thumbnail the page names is served.
    const thumb = /src="([^"]+thumb\.jpg)"/.exec(body)![1]!;
    expect((await fetch(`${site.base}${thumb}`)).status).toBe(200);
  });

  it('filters by commune and by product group; "all" from the form is no filter', async () => {
    const lan = await get('/catalogue?commune=05443');
    expect(names(lan.body)).toEqual(['Gạo nếp cái hoa vàng', 'Mật ong rừng']);
    expect(lan.body).toContain('<option value="05443" selected>Phường Phan Đình Phùng</option>');
    expect(lan.body).toContain('Bỏ lọc');
    // Mai's tea publishes no commune: no commune filter finds it.
    expect(names((await get('/catalogue?commune=05467')).body)).toEqual([]);
    expect((await get('/catalogue?commune=05467')).body).toContain('Chưa có sản phẩm nào khớp với lựa chọn này.');
    const drinks = await get('/catalogue?group=beverages');
    expect(names(drinks.body)).toEqual(['Trà xanh Tân Cương']);
    expect(drinks.body).toContain('<option value="beverages" selected>Đồ uống</option>');
    expect(drinks.body).toContain('<title>Đồ uống — Sản phẩm của hội viên</title>');
    expect(names((await get('/catalogue?commune=05443&group=beverages')).body)).toEqual([]);
    const all = await get('/catalogue?commune=&group=');
    expect(all.status).toBe(200);
    expect(names(all.body)).toHaveLength(3);
  });

  it('answers a bad choice with a page saying which, never a 500', async () => {
    const cases: [string, string][] = [
      ['/catalogue?commune=99999', 'Không tìm thấy xã/phường đã chọn.'],
      ['/catalogue?group=weapons', 'Không có nhóm sản phẩm đã chọn.'],
      ['/catalogue?page=abc', 'Số trang không hợp lệ.'],
      ['/catalogue?page=0', 'Số trang không hợp lệ.'],
      ['/catalogue?page=100000', 'Số trang không hợp lệ.'],
      ['/catalogue?commune=05443&commune=05467', 'Không tìm thấy xã/phường đã chọn.'],
      ['/catalogue?group=%3Cscript%3E', 'Không có nhóm sản phẩm đã chọn.'],
    ];
    for (const [path, text] of cases) {
      const { status, response, body } = await get(path);
      expect(status, path).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(body, path).toContain('Lựa chọn không hợp lệ');
      expect(body, path).toContain(text);
      expect(body).toContain('href="/catalogue">Xem tất cả sản phẩm</a>');
      expect(body).not.toContain('<script');
    }
  });

  it('is cached like the JSON (public, max-age, ETag, 304) and carries the security headers', async () => {
    const first = await get('/catalogue');
    expect(first.response.headers.get('cache-control')).toBe('public, max-age=30');
    const etag = first.response.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    const again = await fetch(`${site.base}/catalogue`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const csp = first.response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(first.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${site.base}/catalogue`, { method: 'HEAD' })).status).toBe(200);
  });

  it('serves its stylesheet, versioned and cached for a year', async () => {
    const { body } = await get('/catalogue');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(body)![1]!;
    expect(href).toMatch(/^\/catalogue\/assets\/catalogue\.css\?v=[\w-]+$/);
    const css = await get(href);
    expect(css.status).toBe(200);
    expect(css.response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(css.body).toContain('.cards');
    expect(css.body.length).toBeLessThan(12_000);
    expect((await get('/catalogue/assets/other.css')).status).toBe(404);
  });

  it('links its icon, served there and at /favicon.ico (browsers ask it there)', async () => {
    const { body } = await get('/catalogue');
    expect(body).toContain('<link rel="icon" href="/catalogue/assets/favicon.svg" type="image/svg+xml">');
    for (const path of ['/catalogue/assets/favicon.svg', '/favicon.ico']) {
      const icon = await get(path);
      expect(icon.status, path).toBe(200);
      expect(icon.response.headers.get('content-type'), path).toBe('image/svg+xml');
      expect(icon.body, path).toContain('<svg');
    }
  });

  it('is in English with ?lang=en, links keep the language, and a link switches back', async () => {
    const { body } = await get('/catalogue?lang=en&group=food');
    expect(body).toMatch(/<html lang="en">/);
    expect(body).toContain('Members&#39; products');
    expect(body).toContain('₫250,000 per chai 500 ml');
    expect(body).toContain('<option value="food" selected>Food</option>');
    expect(body).toContain('<input type="hidden" name="lang" value="en"');
    expect(body).toContain(`href="/catalogue/products/${site.ids.honey}?lang=en"`);
    expect(body).toContain('href="/catalogue?group=food" hreflang="vi" lang="vi"');
    expect(body).toContain('Sold out');
  });
});

describe('GET /catalogue/products/:id', () => {
  it('shows a product with her phone and Zalo where she consented, and tags for sharing', async () => {
    const { status, body } = await get(`/catalogue/products/${site.ids.honey}`);
    expect(status).toBe(200);
    expect(body).toContain('<h1>Mật ong rừng</h1>');
    expect(body).toContain('250.000 ₫ / chai 500 ml');
    expect(body).toContain('OCOP 3 sao, hạn đến 31/05/2028');
    expect(body).toContain('Nguyễn Thị Lan');
    expect(body).toContain('Phường Phan Đình Phùng, tỉnh Thái Nguyên');
    expect(body).toContain('VietGAP, An toàn thực phẩm');
    expect(body).toContain(`href="tel:${LAN_PHONE}"`);
    expect(body).toContain('Gọi 0912 345 678');
    expect(body).toContain('href="https://zalo.me/0912345678"');
    expect(body).toContain('Mật ong hoa rừng Võ Nhai, thu hoạch thủ công.\nĐóng chai tại nhà, không pha đường.');
    expect(body).not.toContain('Xóm Bãi Bông');
    // Two photos: thumbnails opening the full photo, alt texts that say which.
    expect(
      body.match(/<a href="\/catalogue\/photos\/[\w-]+\.jpg"><img src="\/catalogue\/photos\/[\w-]+\/thumb\.jpg"/g),
    ).toHaveLength(2);
    expect(body).toContain('alt="Ảnh 2 của Mật ong rừng (mở ảnh lớn)"');
    // Shareable: absolute canonical URL and Open Graph tags (Zalo and Facebook previews read these).
    const url = `${site.base}/catalogue/products/${site.ids.honey}`;
    expect(body).toContain(`<link rel="canonical" href="${url}"`);
    expect(body).toContain(`<meta property="og:url" content="${url}"`);
    expect(body).toContain('<meta property="og:title" content="Mật ong rừng — Sản phẩm của hội viên"');
    expect(body).toMatch(/<meta property="og:description" content="250\.000 ₫ \/ chai 500 ml\. Mật ong hoa rừng/);
    const image = /<meta property="og:image" content="([^"]+)"/.exec(body)![1]!;
    expect(image).toMatch(new RegExp(`^${site.base}/catalogue/photos/[\\w-]+\\.jpg$`));
    expect((await fetch(image)).headers.get('content-type')).toBe('image/jpeg');
    expect(body).toContain(`<input id="share-link" type="url" readonly value="${url}"`);
  });

  it('shows no name, commune or phone she did not consent to publish: how to ask through the bot instead', async () => {
    const { status, body } = await get(`/catalogue/products/${site.ids.tea}`);
    expect(status).toBe(200);
    expect(body).toContain('<h1>Trà xanh Tân Cương</h1>');
    for (const hidden of ['Trần Thị Mai', MAI_PHONE, '0987', '987654321', 'Gia Sàng', 'tel:', 'zalo.me']) {
      expect(body).not.toContain(hidden);
    }
    expect(body).toContain('Tỉnh Thái Nguyên');
    expect(body).toContain('Người bán chưa công khai số điện thoại.');
    expect(body).toContain(`kèm mã sản phẩm số ${site.ids.tea}`);
    expect(body).toContain(`báo sai sản phẩm ${site.ids.tea}`);
  });

  it('is in English with ?lang=en', async () => {
    const { body } = await get(`/catalogue/products/${site.ids.honey}?lang=en`);
    expect(body).toMatch(/<html lang="en">/);
    expect(body).toContain('₫250,000 per chai 500 ml');
    expect(body).toContain('OCOP 3 stars, valid until 31 May 2028');
    expect(body).toContain('Call 0912 345 678');
    expect(body).toContain(`<link rel="canonical" href="${site.base}/catalogue/products/${site.ids.honey}?lang=en"`);
    expect(body).toContain('href="/catalogue?lang=en">← All products</a>');
  });

  it('answers 404 with a page for a pending, rejected, withdrawn, unknown or malformed product', async () => {
    const { ids } = site;
    for (const id of [ids.pending, ids.rejected, ids.withdrawn, 999_999, '0', 'abc', '1e3', '-1', '12345678901']) {
      const { status, body } = await get(`/catalogue/products/${id}`);
      expect(status, String(id)).toBe(404);
      expect(body).toContain('Không tìm thấy sản phẩm');
      expect(body).toContain('href="/catalogue">Xem tất cả sản phẩm</a>');
    }
    const slash = await fetch(`${site.base}/catalogue/?group=food`, { redirect: 'manual' });
    expect(slash.status).toBe(301);
    expect(slash.headers.get('location')).toBe('/catalogue?group=food');
    const other = await get('/catalogue/nothing/here?lang=en');
    expect(other.status).toBe(404);
    expect(other.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(other.body).toContain('Page not found');
    expect(other.response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('disappears when she withdraws it', async () => {
    const id = site.ids.rice;
    expect((await get(`/catalogue/products/${id}`)).status).toBe(200);
    expect((await site.rt.products.withdraw(site.lan, id)).ok).toBe(true);
    expect((await get(`/catalogue/products/${id}`)).status).toBe(404);
    expect(names((await get('/catalogue')).body)).toEqual(['Trà xanh Tân Cương', 'Mật ong rừng']);
  });
});

describe('the product page with the bot chat links configured', () => {
  const localisation = createLocalisation();
  const frame = (language: 'vi' | 'en'): PageFrame => ({
    language,
    t: localisation.translator(language),
    province: 'Thái Nguyên',
    origin: 'https://hoivien.example.org',
    stylesheet: '/catalogue/assets/catalogue.css',
    timeZone: 'Asia/Ho_Chi_Minh',
  });
  const item: CatalogueItem = {
    id: 12,
    name: 'Trà <b>xanh</b>',
    group: { code: 'beverages', label: 'Đồ uống' },
    producer: { kind: 'self', label: 'Hội viên tự sản xuất' },
    description: 'Trà ngon "nhất" vùng',
    unit: 'kg',
    packaging: null,
    price: 300_000,
    quantity: null,
    season: null,
    ocop: null,
    certifications: [],
    available: true,
    seller: { name: null, phone: null, commune: null, province: 'Thái Nguyên' },
    photos: [],
    approvedAt: '2026-03-01T02:00:00.000Z',
    updatedAt: '2026-03-01T02:00:00.000Z',
  };

  it('links to the bot on Zalo and Telegram when she keeps her phone private, and escapes her texts', () => {
    const page = productDocument(frame('vi'), item, {
      telegram: 'https://t.me/hoivien_bot',
      zalo: 'https://zalo.me/123456789',
    }).text;
    expect(page).toContain('href="https://zalo.me/123456789">Nhắn qua Zalo</a>');
    // Telegram opens the chat on this product (/start sp12); Zalo cannot carry it: the page says what to send.
    expect(page).toContain('href="https://t.me/hoivien_bot?start=sp12">Nhắn qua Telegram</a>');
    expect(page).toContain('kèm mã sản phẩm số 12:');
    expect(page).toContain('Trên Zalo, bạn gửi «mua sp 12» cho bot');
    expect(page).toContain('<h1>Trà &lt;b&gt;xanh&lt;/b&gt;</h1>');
    expect(page).toContain('Trà ngon &quot;nhất&quot; vùng');
    expect(page).not.toContain('og:image'); // no photo, no image tag
    expect(page).toContain('<link rel="canonical" href="https://hoivien.example.org/catalogue/products/12"');
  });

  it('Telegram alone: its link carries the product, no Zalo hint; a published phone shows no bot links', () => {
    const page = productDocument(frame('en'), item, { telegram: 'https://t.me/hoivien_bot' }).text;
    expect(page).toContain('href="https://t.me/hoivien_bot?start=sp12">Message on Telegram</a>');
    expect(page).not.toContain('zalo.me');
    expect(page).not.toContain('On Zalo, send');
    const withPhone = productDocument(
      frame('vi'),
      { ...item, seller: { ...item.seller, phone: '+84912345678' } },
      { telegram: 'https://t.me/hoivien_bot', zalo: 'https://zalo.me/123456789' },
    ).text;
    expect(withPhone).not.toContain('t.me/hoivien_bot');
    expect(withPhone).not.toContain('mua sp 12');
  });
});

describe('a list longer than a page', () => {
  let long: CatalogueSite;
  beforeAll(async () => {
    long = await catalogueSite({ extra: 20 });
  });
  afterAll(async () => {
    await long.close();
  });

  it('shows 20 a page with a pager, under 30 KB, and says when a page is past the end', async () => {
    const first = await fetch(`${long.base}/catalogue`);
    const body = (await first.text()).replaceAll('\u00a0', ' ');
    expect(names(body)).toHaveLength(20);
    expect(body).toContain('23 sản phẩm · Trang 1/2');
    expect(body).toContain('<a rel="next" href="/catalogue?page=2">Trang sau →</a>');
    expect(Buffer.byteLength(body)).toBeLessThan(30_000);
    const second = await (await fetch(`${long.base}/catalogue?page=2`)).text();
    expect(names(second)).toHaveLength(3);
    expect(second).toContain('<a rel="prev" href="/catalogue">← Trang trước</a>');
    expect(second).toContain('<title>Sản phẩm của hội viên (Trang 2/2)</title>');
    const food = await (await fetch(`${long.base}/catalogue?group=food&page=2&lang=en`)).text();
    expect(food).toContain('href="/catalogue?group=food&amp;lang=en">← Previous page</a>');
    const past = await fetch(`${long.base}/catalogue?page=9`);
    expect(past.status).toBe(200);
    const pastBody = await past.text();
    expect(names(pastBody)).toEqual([]);
    expect(pastBody).toContain('Trang này không có sản phẩm.');
  });
});
