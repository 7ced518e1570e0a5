// The Members and Data sections in a real browser (issue 16), through the bot's own server: an admin signed in from
// her chat link searches a member by phone as people type it, opens her page (consent, requests), erases her on
// request; creates an invitation; uploads a broken areas file and sees its line. Screenshots and axe on each page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Member } from '../../src/domain/member.ts';
import { describeBrowser, expectAccessible, newPage, pageProblems, screenshot } from './browser.ts';
import { startWebServer, type WebServer } from './server.ts';

let server: WebServer;
let admin: Member;
let lan: Member;
/** One page signed in once for the file (signing in is access's test; here it only costs time). */
let page: Page;

/** What the page logged as errors, but for the status of a page that answers 404 or 422 on purpose. */
const problemsOf = (p: Page) => pageProblems(p).filter((text) => !/status of (404|422)\b/.test(text));

describeBrowser('Members and Data in a browser', () => {
  beforeAll(async () => {
    server = await startWebServer();
    admin = await server.web.staff('admin', ['*'], 'Trần Thị Mai');
    await server.web.staff('officer', ['05443'], 'Phạm Thị Hằng');
    lan = await server.web.member({ name: 'Nguyễn Thị Lan', phone: '+84912345678', commune: '05443' });
    await server.web.member({ name: 'Lê Thị Hoa', phone: '+84987654321', commune: '05710' });
    await server.runtime.features.consent.decide(lan, 'photos', true, new Date());
    await server.runtime.db.case.create({
      data: { type: 'talk', memberId: lan.id, communeCode: '05443', details: {} },
    });
    page = await newPage({ baseURL: server.url });
    await server.signIn(page, admin);
  });
  afterAll(async () => {
    await page.close();
    await server.close();
  });

  it('finds a member by phone, shows her consent and requests, and erases her on request', async () => {
    await page.goto('/console/members');
    await page.getByLabel('Tên hoặc số điện thoại').fill('+84 912 345 678');
    await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: 'Tìm' }).click()]);
    const results = page.getByRole('table', { name: 'Kết quả tìm hội viên' });
    expect(await results.textContent()).toContain('Nguyễn Thị Lan');
    expect(await results.textContent()).toContain('0912 345 678');
    expect(await results.textContent()).not.toContain('Lê Thị Hoa');
    await screenshot(page, 'members-search');
    await expectAccessible(page, 'members search');

    await Promise.all([
      page.waitForURL(`**/console/members/${lan.id}`),
      page.getByRole('link', { name: 'Nguyễn Thị Lan' }).click(),
    ]);
    const main = page.getByRole('main');
    expect(await main.textContent()).toContain('Đồng ý dùng dữ liệu');
    const photosRow = page.getByRole('row').filter({ hasText: 'Lưu ảnh chị gửi' });
    expect(await photosRow.textContent()).toContain('Đồng ý');
    expect(await main.textContent()).toContain('Yêu cầu hỗ trợ: 1');
    await screenshot(page, 'members-profile');
    await expectAccessible(page, 'member profile');

    await Promise.all([page.waitForURL('**/erase'), page.getByRole('link', { name: 'Xóa hội viên này…' }).click()]);
    expect(await main.textContent()).toContain('Yêu cầu hỗ trợ và tin nhắn trao đổi: 1');
    await screenshot(page, 'members-erase-confirm');
    await expectAccessible(page, 'erase confirmation');
    await page.getByLabel('Hội viên đã yêu cầu xóa dữ liệu của mình').check();
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/console/members'),
      page.getByRole('button', { name: 'Xóa vĩnh viễn' }).click(),
    ]);
    expect(await main.textContent()).toContain('Đã xóa hội viên và mọi dữ liệu về chị.');
    expect(await server.runtime.members.findById(lan.id)).toBeNull();
    await page.goto(`/console/members/${lan.id}`);
    expect(await main.textContent()).toContain('không còn trong hệ thống');
    expect(problemsOf(page)).toEqual([]);
  });

  it('lists officers and creates an invitation code shown once', async () => {
    await page.goto('/console/members/officers');
    expect(await page.getByRole('table').textContent()).toContain('Phạm Thị Hằng');
    await page.getByLabel('Địa bàn', { exact: true }).fill('Phan Dinh Phung');
    await Promise.all([
      page.waitForURL('**/console/members/officers'),
      page.getByRole('button', { name: 'Tạo mã mời' }).click(),
    ]);
    expect(await page.getByRole('main').textContent()).toMatch(/Mã mời: HV-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(await server.runtime.db.invitation.count()).toBe(1);
    await screenshot(page, 'members-officers');
    await expectAccessible(page, 'officers and invitations');
  });

  it('shows the data in force, and the line of a broken areas file after an upload', async () => {
    await page.goto('/console/data');
    expect(await page.getByRole('main').textContent()).toContain('Tệp có sẵn của bot');
    await screenshot(page, 'data');
    await expectAccessible(page, 'data');

    const broken = '{\n  "province": "Thái Nguyên",\n  "units": [\n    { "code": "05443", "type": "phường" }\n  ]\n}\n';
    await page.getByLabel('Tệp xã, phường (JSON)').setInputFiles({
      name: 'xa-phuong-loi.json',
      mimeType: 'application/json',
      buffer: Buffer.from(broken),
    });
    await page.getByRole('button', { name: 'Nhập tệp xã, phường' }).click();
    const problems = page.locator('#areas-problems');
    await problems.waitFor();
    expect(await problems.textContent()).toContain('Tệp xa-phuong-loi.json không hợp lệ');
    const row = problems.getByRole('row').filter({ hasText: 'units.0.name' });
    expect(await row.getByRole('cell').first().textContent()).toBe('4');
    expect(await server.runtime.db.areaDataset.count()).toBe(0);
    await screenshot(page, 'data-upload-error');
    await expectAccessible(page, 'data upload error');
    expect(problemsOf(page)).toEqual([]);
  });
});
