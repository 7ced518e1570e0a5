// The Courses section in a real browser (issue 16): an admin signs in from her chat link, creates a course with the
// form (a mistake first: the error is shown next to its field), and a member who asks the bot for courses in her
// Telegram chat sees it (the fake Bot API's messages); the course page with a registrant, the list and the report.
// Screenshots of each page and an axe check (no serious or critical violations) on each.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, expectAccessible, newPage, pageProblems, screenshot } from './browser.ts';
import { startWebServer, type WebServer } from './server.ts';

let server: WebServer;

/** The local (Asia/Ho_Chi_Minh) date `days` from now as the form takes it: "dd/mm/yyyy". */
function dayFromNow(days: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  const [y = '', m = '', d = ''] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' })
    .format(at)
    .split('-');
  return `${d}/${m}/${y}`;
}

describeBrowser('the Courses section in a browser', () => {
  beforeAll(async () => {
    server = await startWebServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('an admin creates a course in the browser; a member asking the bot for courses sees it', async () => {
    const admin = await server.web.staff('admin', ['*'], 'Trần Thị Mai');
    const officer = await server.web.staff('officer', ['05443'], 'Nguyễn Thị Hoa');
    const lan = await server.web.member({ name: 'Lê Thị Lan', commune: '05443', phone: '+84912000111' });
    const page = await newPage({ baseURL: server.url });
    await server.signIn(page, admin);

    await page.goto('/console/courses');
    await Promise.all([
      page.waitForURL('**/console/courses/new'),
      page.getByRole('link', { name: 'Tạo khóa học' }).click(),
    ]);
    await page.getByLabel('Tên khóa học (tiếng Việt)').fill('Làm bánh truyền thống');
    await page.getByLabel('Nghề', { exact: true }).selectOption({ label: 'Nấu ăn, chế biến thực phẩm' });
    await page.getByLabel('Đơn vị tổ chức').fill('Trung tâm GDNN Thái Nguyên');
    await page.getByLabel('Xã/phường nơi học').fill('Phan Đình Phùng');
    await page.getByLabel('Địa chỉ học').fill('Nhà văn hóa tổ 5');
    await page.getByLabel('Ngày khai giảng').fill(dayFromNow(30));
    await page.getByLabel('Ngày kết thúc').fill('31/02/2027');
    await page.getByLabel('Lịch học').fill('Thứ 7, Chủ nhật, 8:00–11:00');
    await page.getByLabel('Số chỗ').fill('20');
    await page.getByLabel('Hạn đăng ký').fill(`17:00 ${dayFromNow(25)}`);
    await page.getByLabel('Cán bộ phụ trách').selectOption({ label: 'Nguyễn Thị Hoa (cán bộ)' });
    await page.getByLabel(/Mở đăng ký ngay/).check();
    await screenshot(page, 'courses-form');
    await expectAccessible(page, 'course form');

    // A date that does not exist: refused next to its field, what she typed kept.
    await page.getByRole('button', { name: 'Tạo khóa học' }).click();
    await page.waitForSelector('#course-endDate-error');
    expect(await page.locator('#course-endDate-error').textContent()).toContain('Ngày chưa đúng');
    expect(await page.getByLabel('Tên khóa học (tiếng Việt)').inputValue()).toBe('Làm bánh truyền thống');
    await screenshot(page, 'courses-form-errors');
    await expectAccessible(page, 'course form with errors');

    await page.getByLabel('Ngày kết thúc').fill(dayFromNow(40));
    await Promise.all([
      page.waitForURL(/\/console\/courses\/\d+$/),
      page.getByRole('button', { name: 'Tạo khóa học' }).click(),
    ]);
    expect(await page.getByRole('main').textContent()).toContain('Đã tạo khóa học “Làm bánh truyền thống”.');
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const course = await server.runtime.features.courses.service.find(id);
    expect(course).toMatchObject({ status: 'open', officerId: officer.id, communeCode: '05443', seats: 20 });

    // The member asks the bot for courses in her Telegram chat: the new course is offered.
    await server.say(lan, 'hoc nghe');
    const chat = JSON.stringify(server.messagesTo(lan));
    expect(chat).toContain('Làm bánh truyền thống');

    // She registers (as her chat would, through the service): the course page lists her.
    const registered = await server.runtime.features.courses.service.register(lan, id, {
      kind: 'group',
      group: 'other',
      vnd: 2_000_000,
    });
    expect(registered.kind).toBe('registered');
    await page.reload();
    expect(await page.getByRole('main').textContent()).toContain('Lê Thị Lan');
    expect(await page.getByRole('main').textContent()).toContain('Người đăng ký (1)');
    await screenshot(page, 'courses-course');
    // The roll call through the real server: an attachment, UTF-8 with BOM, her name and phone.
    const rollCall = await page.request.get(`/console/courses/${id}/rollcall.csv`);
    expect(rollCall.headers()['content-type']).toContain('text/csv');
    expect(rollCall.headers()['content-disposition']).toContain('attachment');
    const csv = (await rollCall.body()).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('Lê Thị Lan');
    await expectAccessible(page, 'course page');

    await page.goto('/console/courses');
    expect(await page.getByRole('main').textContent()).toContain('Làm bánh truyền thống');
    await screenshot(page, 'courses-list');
    await expectAccessible(page, 'course list');

    await page.goto('/console/courses/report');
    expect(await page.getByRole('main').textContent()).toContain('Báo cáo kết quả đào tạo');
    await screenshot(page, 'courses-report');
    await expectAccessible(page, 'training report');
    // The only one: the form sent back with its errors answers 400 Bad Request, as it should.
    expect(pageProblems(page)).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
    await page.close();
  });
});
