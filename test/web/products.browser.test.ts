// The Products section in a real Chromium against the running bot (issue 16, "approve a product with photos"): an
// officer signs in from the link the fake Telegram bot received, finds the listing in her review queue, opens it, opens
// a photo full size (keyboard), approves it, and the member's Telegram chat gets the approval. Screenshots of the queue,
// the listing and the photo view; axe on each.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Member } from '../../src/domain/member.ts';
import { consentToPublishing, DAN_TIEN, submitted } from '../helpers/products.ts';
import { describeBrowser, expectAccessible, newPage, pageProblems, screenshot } from './browser.ts';
import { startWebServer, type WebServer } from './server.ts';

let server: WebServer;
let seller: Member;
let officer: Member;
let listingId: number;

/** An <img>'s intrinsic width once loaded (0 while loading or broken); run in the page. */
const naturalWidth = (img: unknown) => (img as { naturalWidth: number }).naturalWidth;

describeBrowser('Products in the browser', () => {
  beforeAll(async () => {
    server = await startWebServer();
    seller = await server.web.member({ name: 'Nguyễn Thị Lan', commune: DAN_TIEN, phone: '+84912345678' });
    await consentToPublishing(server.runtime, seller);
    listingId = (await submitted(server.runtime, seller, { name: 'Mật ong rừng Dân Tiến', ocopStars: null }, 3)).id;
    await submitted(server.runtime, seller, { name: 'Chè búp Tân Cương', productGroup: 'beverages' }, 1);
    officer = await server.web.staff('officer', [DAN_TIEN], 'Cán bộ Mai');
    await server.settle();
  });
  afterAll(async () => {
    await server.close();
  });

  it('an officer approves a product with photos after looking at them full size; the member is told', async () => {
    const page = await newPage({ baseURL: server.url });
    await server.signIn(page, officer);

    await page.goto('/console/products');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Sản phẩm');
    const queue = page.getByRole('table');
    await queue.getByRole('link', { name: 'Mật ong rừng Dân Tiến' }).waitFor();
    await queue.getByRole('link', { name: 'Chè búp Tân Cương' }).waitFor();
    // Thumbnails are served to her (loaded, not broken).
    const thumbs = queue.locator('img.thumb');
    await expect
      .poll(() =>
        thumbs.evaluateAll((images) => images.every((img) => (img as { naturalWidth: number }).naturalWidth > 0)),
      )
      .toBe(true);
    expect(await queue.locator('img.thumb').count()).toBe(2);
    await screenshot(page, 'products-queue');
    await expectAccessible(page, 'products queue');

    await queue.getByRole('link', { name: 'Mật ong rừng Dân Tiến' }).click();
    await page.waitForURL(new RegExp(`/console/products/${listingId}$`));
    await page.getByText('0912 345 678').waitFor();
    await page.getByText('Nguyễn Thị Lan gửi sản phẩm để duyệt').waitFor();
    await screenshot(page, 'products-listing');
    await expectAccessible(page, 'products listing');

    // The second photo, opened from the keyboard, full size over the page; closed again.
    const open = page.getByRole('link', { name: 'Xem ảnh 2/3 cỡ lớn' });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Ảnh 2/3 của sản phẩm Mật ong rừng Dân Tiến' });
    await dialog.waitFor({ state: 'visible' });
    const large = dialog.getByRole('img');
    await large.waitFor();
    await expect.poll(() => large.evaluate(naturalWidth)).toBe(320);
    const box = (await large.boundingBox())!;
    expect(box.width).toBeGreaterThan(160); // larger than its thumbnail
    await screenshot(page, 'products-photo');
    await expectAccessible(page, 'products photo');
    await dialog.getByRole('link', { name: 'Đóng ảnh' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Duyệt sản phẩm' }).click();
    await page.waitForURL(/\/console\/products$/);
    expect(await page.getByRole('status').textContent()).toContain('Đã duyệt "Mật ong rừng Dân Tiến"');
    expect(await page.getByRole('table').getByRole('link', { name: 'Mật ong rừng Dân Tiến' }).count()).toBe(0);

    const stored = await server.runtime.db.listing.findUniqueOrThrow({ where: { id: listingId } });
    expect(stored.status).toBe('approved');
    await server.settle();
    await expect
      .poll(() => server.sentTo(seller).join('\n'))
      .toContain('Sản phẩm «Mật ong rừng Dân Tiến» đã được Hội duyệt');

    await page.getByRole('link', { name: /Đã đăng/ }).click();
    await page.getByRole('table').getByRole('link', { name: 'Mật ong rừng Dân Tiến' }).waitFor();
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});
