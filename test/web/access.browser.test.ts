// Sign-in in a real browser (issue 16): the link the fake Telegram Bot API received, opened in Chromium, the button
// pressed; the console's shell; sign-out; the sign-in and account pages are accessible.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, expectAccessible, newPage, pageProblems, screenshot } from './browser.ts';
import { startWebServer, type WebServer } from './server.ts';

let server: WebServer;

describeBrowser('web console sign-in in a browser', () => {
  beforeAll(async () => {
    server = await startWebServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('signs an officer in from the link in her chat, shows her shell, and signs her out', async () => {
    const officer = await server.web.staff('officer', ['05443'], 'Nguyễn Thị Hoa');
    const page = await newPage({ baseURL: server.url });
    await server.say(officer, 'đăng nhập web');
    const link = server.lastLink(officer);
    // The link message is sent without a link preview.
    const message = server.messagesTo(officer).find((m) => String(m.text).includes(link));
    expect(message).toMatchObject({ link_preview_options: { is_disabled: true } });

    await page.goto(link);
    expect(await page.getByRole('heading', { name: 'Đăng nhập' }).count()).toBe(1);
    await screenshot(page, 'access-sign-in');
    await expectAccessible(page, 'sign-in');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/console'),
      page.getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    expect(await page.getByRole('banner').textContent()).toContain('Nguyễn Thị Hoa');
    await screenshot(page, 'access-home');
    await expectAccessible(page, 'console home');

    await page.goto('/console/account');
    expect(await page.getByRole('main').textContent()).toContain('Các phiên đăng nhập');
    await screenshot(page, 'access-account');
    await expectAccessible(page, 'account');

    // English from the switch, kept on her session.
    await Promise.all([page.waitForURL('**/console/account'), page.getByRole('button', { name: /English/ }).click()]);
    expect(await page.getByRole('main').textContent()).toContain('Sessions');

    await Promise.all([
      page.waitForURL('**/console/sign-in'),
      page.getByRole('button', { name: 'Sign out', exact: true }).click(),
    ]);
    expect(await page.getByRole('main').textContent()).toContain('You are signed out.');
    await page.goto('/console/account');
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('the same link used a second time is refused, with how to get a new one', async () => {
    const admin = await server.web.staff('admin', ['*'], 'Trần Thị Mai');
    const page = await newPage({ baseURL: server.url });
    await server.signIn(page, admin);
    const link = server.lastLink(admin);
    const other = await newPage({ baseURL: server.url });
    await other.goto(link);
    await other.getByRole('button', { name: 'Đăng nhập' }).click();
    await other.waitForLoadState();
    const text = await other.getByRole('main').textContent();
    expect(text).toContain('Đường dẫn này đã được dùng rồi.');
    expect(text).toContain('đăng nhập web');
    await screenshot(other, 'access-link-used');
    await expectAccessible(other, 'link refused');
    await other.close();
    await page.close();
  });
});
