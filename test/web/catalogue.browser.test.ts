// The public catalogue in a real Chromium at 360 px wide, a cheap phone (issue 16, "How it is checked"): the list and a
// product's page fit the screen (no horizontal scroll), pass axe-core with no serious or critical violation, load no
// script and break no CSP rule; the filter form narrows the list; a card opens its product. Screenshots:
// test-results/screenshots/catalogue-*.png. The HTTP details (headers, 404s, consent): catalogue.test.ts.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserAvailable, describeBrowser, expectAccessible, newPage, pageProblems, screenshot } from './browser.ts';
import { catalogueSite, type CatalogueSite } from './catalogueSite.ts';

let site: CatalogueSite | undefined;

beforeAll(async () => {
  if (browserAvailable) site = await catalogueSite();
});
afterAll(async () => {
  await site?.close();
});

/** Whether the page is wider than its viewport (a horizontal scroll bar on a phone). */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const root = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
    ).document.documentElement;
    return root.scrollWidth > root.clientWidth;
  });
}

/** The names on the cards, in order. */
async function cardNames(page: Page): Promise<string[]> {
  return (await page.locator('.card h2').allTextContents()).map((name) => name.trim());
}

describeBrowser('the public catalogue on a 360 px phone', () => {
  it('lists the products, fits the screen, passes axe, and the filter narrows the list', async () => {
    const page = await newPage({ width: 360, height: 740, baseURL: site!.base });
    await page.goto('/catalogue');
    await expect.poll(() => cardNames(page)).toEqual(['Gạo nếp cái hoa vàng', 'Trà xanh Tân Cương', 'Mật ong rừng']);
    // The thumbnails load (lazy images in view) and nothing scrolls sideways.
    await page.locator('.card img').first().scrollIntoViewIfNeeded();
    await expect
      .poll(() =>
        page
          .locator('.card img')
          .first()
          .evaluate((img) => (img as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'catalogue-list-360');
    await expectAccessible(page, 'catalogue list');

    await page.getByLabel('Nhóm sản phẩm').selectOption('beverages');
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL(/group=beverages/);
    expect(await cardNames(page)).toEqual(['Trà xanh Tân Cương']);
    await expect.poll(() => page.title()).toBe('Đồ uống — Sản phẩm của hội viên');
    await page.getByLabel('Xã/phường').selectOption('05443');
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL(/commune=05443/);
    expect(await cardNames(page)).toEqual([]);
    expect(await page.locator('.empty').textContent()).toContain('Chưa có sản phẩm nào khớp với lựa chọn này.');
    await page.getByRole('link', { name: 'Bỏ lọc' }).click();
    await page.waitForURL((url) => url.search === '');
    expect(await cardNames(page)).toHaveLength(3);
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('opens a product from the list: photos, price, how to buy, fits the screen, passes axe', async () => {
    const page = await newPage({ width: 360, height: 740, baseURL: site!.base });
    await page.goto('/catalogue');
    await page.getByRole('link', { name: 'Mật ong rừng' }).click();
    await page.waitForURL(new RegExp(`/catalogue/products/${site!.ids.honey}$`));
    expect(await page.locator('h1').textContent()).toBe('Mật ong rừng');
    expect(await page.locator('.photos img').count()).toBe(2);
    await expect
      .poll(() =>
        page
          .locator('.photos img')
          .first()
          .evaluate((img) => (img as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Gọi 0912 345 678' }).getAttribute('href')).toBe('tel:+84912345678');
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'catalogue-product-360');
    await expectAccessible(page, 'catalogue product');

    // A seller who keeps her phone private: the page says how to ask through the bot.
    await page.goto(`/catalogue/products/${site!.ids.tea}`);
    expect(await page.locator('.contact').textContent()).toContain('Người bán chưa công khai số điện thoại.');
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page, 'catalogue product without phone');

    // English, and the 404 page.
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('.contact h2').textContent()).toBe('How to buy');
    const missing = await page.goto('/catalogue/products/999999');
    expect(missing?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Không tìm thấy sản phẩm');
    await expectAccessible(page, 'catalogue 404');
    expect(pageProblems(page).filter((problem) => !problem.includes('404'))).toEqual([]);
    await page.close();
  });
});
