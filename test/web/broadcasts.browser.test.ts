// The Broadcasts scenario in a real Chromium against the bot's real HTTP server (test/web/server.ts): an admin
// signs in from the link the bot sent her, composes a broadcast to one commune, sees the audience size update as she
// ticks the commune (broadcasts.js), previews it, sends it, and watches its progress reach "done" on the broadcast's
// page (the script polls the progress JSON and reloads once at the end); the members of that commune receive it
// through the fake Telegram Bot API, the member elsewhere does not. Screenshots and axe on the list, the compose page
// and the broadcast's page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Member } from '../../src/domain/member.ts';
import { describeBrowser, expectAccessible, newPage, pageProblems, screenshot } from './browser.ts';
import { startWebServer, type WebServer } from './server.ts';

const TEXT = 'Chi hội mời chị em dự buổi tập huấn phòng chống bão lúc 8 giờ sáng thứ Bảy tại nhà văn hóa.';

describeBrowser('Broadcasts in the browser', () => {
  let server: WebServer;
  let admin: Member;
  const here: Member[] = [];
  let elsewhere: Member;

  beforeAll(async () => {
    server = await startWebServer();
    admin = await server.web.staff('admin', ['*'], 'Chị Lan');
    // server.web.member gives the announcements consent by default (test/web/server.ts).
    here.push(await server.web.member({ name: 'Chị Ngọc', commune: '05443' }));
    here.push(await server.web.member({ name: 'Chị Thu', commune: '05443' }));
    elsewhere = await server.web.member({ name: 'Chị Vân', commune: '05710' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('composes and sends a broadcast, and watches its progress reach done', async () => {
    const page = await newPage({ baseURL: server.url });
    await server.signIn(page, admin);

    await page.goto('/console/broadcasts');
    expect(await page.getByRole('main').textContent()).toContain('Chưa có đợt thông báo nào.');
    await screenshot(page, 'broadcasts-list-empty');
    await expectAccessible(page, 'broadcasts list');

    await Promise.all([
      page.waitForURL('**/console/broadcasts/new'),
      page.getByRole('link', { name: 'Soạn thông báo mới' }).click(),
    ]);
    await page.getByLabel('Nội dung tiếng Việt').fill(TEXT);
    // The live audience size: everyone (3), then the commune's two members, without pressing anything.
    await page.getByLabel('Phường Phan Đình Phùng').check();
    await page.locator('#bc-size', { hasText: 'Số người nhận: 2' }).waitFor();
    // Outside the sending hours (07:00–21:00) a non-urgent one would wait for the morning: urgent, to see it go now.
    await page.getByLabel(/Khẩn: gửi cả ngoài khung giờ/).check();
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByRole('heading', { name: 'Xem trước' }).waitFor();
    expect(await page.locator('.bc-bubble').first().textContent()).toContain('tập huấn phòng chống bão');
    expect(await page.locator('#bc-size').textContent()).toContain('Số người nhận: 2');
    await screenshot(page, 'broadcasts-compose-preview');
    await expectAccessible(page, 'broadcasts compose with preview');

    await Promise.all([
      page.waitForURL(/\/console\/broadcasts\/\d+$/),
      page.getByRole('button', { name: 'Gửi thông báo' }).click(),
    ]);
    const id = Number(/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
    expect(await page.locator('body').textContent()).toContain(`Đã bắt đầu gửi đợt thông báo #${id}`);
    await page.locator('progress#bc-progress').waitFor();
    await screenshot(page, 'broadcasts-progress');
    await expectAccessible(page, 'broadcast progress');

    // The bot's jobs are not running in the test server: its prepare job and tick are run here, as the job runner
    // would; the dispatcher (started by the server) sends the deliveries to the fake Bot API.
    const service = server.runtime.features.broadcasts.service;
    while (await service.prepareNext(id)) {
      // next batch
    }
    await expect
      .poll(() => here.every((m) => server.sentTo(m).some((t) => t.includes(TEXT))), { timeout: 15_000 })
      .toBe(true);
    await service.tick();
    // The page's script sees "done" and reloads once: the report.
    await page.getByRole('heading', { name: 'Báo cáo' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#bc-status').textContent()).toBe('Đã gửi xong');
    expect(await page.locator('#bc-figures').textContent()).toBe('Đã gửi 2 · Không tới 0 · Đang chờ 0');
    await page.getByRole('link', { name: 'Tải danh sách lỗi (CSV)' }).waitFor();
    await screenshot(page, 'broadcasts-report');
    await expectAccessible(page, 'broadcast report');

    expect(server.sentTo(elsewhere).some((t) => t.includes(TEXT))).toBe(false);

    await page.goto('/console/broadcasts');
    expect(await page.getByRole('table').textContent()).toContain('Đã gửi xong');
    await screenshot(page, 'broadcasts-list');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});
