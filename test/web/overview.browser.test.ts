// The Overview in a real browser (issue 16): an admin signed in from her chat's link lands on it and sees the
// province's charts, reads a chart's numbers, narrows to one commune; an officer sees her commune only. Screenshots of
// both, axe-core on both, and no Content-Security-Policy refusal (the charts are inline SVG without style or script).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, expectAccessible, newPage, pageProblems, screenshot } from './browser.ts';
import { seedProvince } from './overview.seed.ts';
import { startWebServer, type WebServer } from './server.ts';

let server: WebServer;

/** The headline tiles as the page shows them: label → number. */
async function tiles(page: Page): Promise<Map<string, number>> {
  const items = await page.locator('.tile a').allTextContents();
  return new Map(
    items.map((item) => {
      const m = /^([\d.,]+)(.*)$/.exec(item.trim());
      return [m?.[2]?.trim() ?? item, Number((m?.[1] ?? '').replace(/\D/g, ''))];
    }),
  );
}

describeBrowser('overview in a browser', () => {
  beforeAll(async () => {
    server = await startWebServer();
    await seedProvince(server.db.prisma, new Date());
  });
  afterAll(async () => {
    await server.close();
  });

  it("shows an admin the province's charts, their numbers on request, and one commune on choice", async () => {
    const admin = await server.web.staff('admin', ['*'], 'Trần Thị Mai');
    const page = await newPage({ baseURL: server.url });
    await server.signIn(page, admin);
    expect(new URL(page.url()).pathname).toBe('/console');
    await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' }).count()).resolves.toBe(1);
    await expect(page.getByText('Toàn tỉnh Thái Nguyên').count()).resolves.toBe(1);

    const headline = await tiles(page);
    expect(headline.get('Yêu cầu chưa xong')).toBe(16);
    expect(headline.get('Sản phẩm chờ duyệt')).toBe(5);
    // Each chart is a picture with a name and a summary, drawn (not an empty text).
    for (const name of [
      'Yêu cầu mới mỗi tuần',
      'Yêu cầu theo xã/phường, 12 tuần qua',
      'Yêu cầu chưa xong theo thời gian chờ',
      'Đăng ký và hoàn thành khóa học, 12 tháng qua',
      'Sản phẩm theo trạng thái',
      'Thông báo gần đây đến được bao nhiêu người',
    ]) {
      await expect(page.getByRole('img', { name, exact: true }).count(), name).resolves.toBe(1);
    }
    await screenshot(page, 'overview-admin');
    await expectAccessible(page, 'overview (admin)');

    // "Show the numbers" of the per-commune chart: a table with a link per commune.
    const communes = page.locator('#chart-communes');
    await communes.getByText('Xem số liệu').click();
    const row = communes.getByRole('row', { name: /Phường Phan Đình Phùng/ });
    await expect(row.getByRole('cell').textContent()).resolves.toBe('56');
    await expect(row.getByRole('link').getAttribute('href')).resolves.toBe('/console/cases?commune=05443&status=all');
    await expectAccessible(page, 'overview with a table open');

    // Narrowed to one commune: its figures only, and the links keep it.
    await page.getByLabel('Xã/phường', { exact: true }).selectOption({ label: 'Phường Linh Sơn' });
    await Promise.all([page.waitForURL('**/console?commune=05710'), page.getByRole('button', { name: 'Xem' }).click()]);
    expect((await tiles(page)).get('Sản phẩm chờ duyệt')).toBe(2);
    await expect(page.locator('#chart-communes').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Mở danh sách yêu cầu' }).getAttribute('href')).resolves.toBe(
      '/console/cases?commune=05710&status=all',
    );
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('shows an officer her commune only, readable on a phone', async () => {
    const officer = await server.web.staff('officer', ['05500'], 'Nguyễn Thị Hoa');
    const page = await newPage({ baseURL: server.url, width: 360 });
    await server.signIn(page, officer);
    await expect(page.getByText('Các xã/phường chị phụ trách: Phường Tích Lương').count()).resolves.toBe(1);
    await expect(page.getByText('Phường Phan Đình Phùng').count()).resolves.toBe(0);
    expect((await tiles(page)).get('Sản phẩm chờ duyệt')).toBe(0);
    // No chart is wider than the screen.
    const pictures = await page.locator('svg.chart-picture').all();
    expect(pictures.length).toBeGreaterThan(3);
    let widest = 0;
    for (const picture of pictures) {
      const box = await picture.boundingBox();
      widest = Math.max(widest, (box?.x ?? 0) + (box?.width ?? 0));
    }
    expect(widest).toBeLessThanOrEqual(360);
    await screenshot(page, 'overview-officer-360');
    await expectAccessible(page, 'overview (officer, 360 px)');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});
