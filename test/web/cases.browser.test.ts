// The Cases section in a real browser (issue 16): an officer signs in from the link the bot sent her, finds a
// member's request in her inbox, takes it, replies, and the reply reaches the member through the fake Telegram Bot
// API; she closes it with a note the member reads too. Another commune's case opened by URL is a 404 with nothing of
// it. Screenshots of the inbox and a case, and axe on both.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserAvailable, describeBrowser, expectAccessible, newPage, pageProblems, screenshot } from './browser.ts';
import { startWebServer, type WebServer } from './server.ts';

const PHAN_DINH_PHUNG = '05443';
const DAN_TIEN = '05755';

let server: WebServer;

describeBrowser('cases in the web console', () => {
  beforeAll(async () => {
    server = await startWebServer();
  }, 60_000);
  afterAll(async () => {
    if (browserAvailable) await server.close();
  });

  it('an officer claims and replies to a case, and the member gets the reply in her chat', async () => {
    const hoa = await server.web.staff('officer', [PHAN_DINH_PHUNG], 'Chị Hoa');
    const lan = await server.web.member({ name: 'Nguyễn Thị Lan', commune: PHAN_DINH_PHUNG, phone: '+84911222333' });
    const far = await server.web.member({ name: 'Người ở xa', commune: DAN_TIEN });
    const service = server.runtime.features.caseService;
    const { case: asked } = await service.open(lan, 'talk', { topic: 'Muốn học nghề may' });
    await server.runtime.features.caseRelay.fromMember(lan, asked.id, 'Em rảnh buổi chiều ạ.');
    await service.open(lan, 'credit_lead', { purpose: 'Nuôi gà', amount: '30 triệu' });
    const { case: elsewhere } = await service.open(far, 'talk', { topic: 'Việc của xã khác' });

    const page = await newPage({ baseURL: server.url });
    await server.signIn(page, hoa);

    // The inbox: her commune's two requests, not the other commune's; no phone.
    await page.goto('/console/cases');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Yêu cầu của hội viên');
    const table = page.getByRole('table');
    expect(await table.getByRole('row').count()).toBe(3);
    const listed = await table.innerText();
    expect(listed).toContain('Muốn trao đổi với cán bộ');
    expect(listed).toContain('Hỏi vay vốn');
    expect(listed).not.toContain('0911');
    expect(await page.getByRole('link', { name: `#${elsewhere.id}` }).count()).toBe(0);
    await screenshot(page, 'cases-inbox');
    await expectAccessible(page, 'cases inbox');

    // Filter by type, then open the case.
    await page.getByLabel('Loại yêu cầu').selectOption('talk');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/type=talk/);
    expect(await page.getByRole('table').getByRole('row').count()).toBe(2);
    await page.getByRole('link', { name: `#${asked.id}` }).click();
    await page.waitForURL(new RegExp(`/console/cases/${asked.id}$`));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      `Yêu cầu #${asked.id}: Muốn trao đổi với cán bộ`,
    );
    await page.getByText('Em rảnh buổi chiều ạ.').waitFor();
    expect(await page.getByText('0911 222 333').count()).toBe(0);

    // Claim: her phone appears, and the reply box.
    await page.getByRole('button', { name: 'Nhận xử lý' }).click();
    await page.getByText(`Chị đã nhận yêu cầu #${asked.id}.`).waitFor();
    await page.getByRole('link', { name: '0911 222 333' }).waitFor();

    // Reply: stored on the case, relayed to the member by the bot.
    await page.getByLabel('Tin nhắn gửi hội viên').fill('Chào chị Lan, thứ Hai lớp may khai giảng ở nhà văn hoá.');
    await page.getByRole('button', { name: 'Gửi tin nhắn' }).click();
    await page.getByText('Đã gửi tin nhắn cho hội viên.').waitFor();
    expect(await page.locator('.thread li.officer').innerText()).toContain('thứ Hai lớp may khai giảng');
    await screenshot(page, 'case');
    await expectAccessible(page, 'case');
    await server.settle();
    const received = server.sentTo(lan);
    expect(received.some((t) => t.includes('Chị Hoa') && t.includes('thứ Hai lớp may khai giảng'))).toBe(true);

    // Close with a note: the member reads it.
    await page.getByLabel('Ghi chú kết quả (hội viên sẽ đọc được, có thể bỏ trống)').fill('Đã ghi danh lớp may.');
    await page.getByRole('button', { name: 'Đánh dấu đã xong' }).click();
    await page.getByText(`Đã đóng yêu cầu #${asked.id}. Hội viên đã được báo.`).waitFor();
    await server.settle();
    expect(server.sentTo(lan).some((t) => t.includes('Đã ghi danh lớp may.'))).toBe(true);

    // No script or stylesheet refused, nothing missing.
    expect(pageProblems(page)).toEqual([]);

    // Another commune's case by URL: not found, nothing of it shown.
    const response = await page.goto(`/console/cases/${elsewhere.id}`);
    expect(response?.status()).toBe(404);
    const body = await page.locator('body').innerText();
    expect(body).not.toContain('Việc của xã khác');
    expect(body).not.toContain('Người ở xa');
    // On a phone: the whole inbox still reads (the table scrolls inside its frame).
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/console/cases?status=all');
    expect(await page.getByRole('table').getByRole('row').count()).toBe(3);
    await screenshot(page, 'cases-inbox-phone');
    await expectAccessible(page, 'cases inbox on a phone');
    await page.close();
  }, 60_000);
});
