// The console's Courses section called as the plumbing would (test/web/context.ts), on the real runtime and a fresh
// SQLite database: a course created from the form is stored as typed (Vietnamese dates), bad input is answered with
// errors next to its fields and nothing stored, open / close / cancel (registrants told), who sees which course, the
// registrants and waiting list (phones only where she consented, the view audited), attendance and completion
// stored, the roll call's CSV, and the training report's numbers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName, OutboundMessage } from '../../src/conversation/messages.ts';
import type { Course, SupportDecision } from '../../src/domain/courses.ts';
import type { Member } from '../../src/domain/member.ts';
import { HOUR, TestClock } from '../helpers/chat.ts';
import { courseMember, createCourse, DAN_TIEN } from '../helpers/courses.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { deliveryFrom } from '../helpers/fakes.ts';
import { text, webHarness, type WebHarness } from './context.ts';

const DAY = 24 * HOUR;
const SUPPORT: SupportDecision = { kind: 'group', group: 'nearPoor', vnd: 2_500_000 };

let db: FreshDatabase;
let web: WebHarness;
let admin: Member;
let officer: Member;
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  // 2026-03-02 15:00 in Asia/Ho_Chi_Minh.
  web = webHarness(db.prisma, new TestClock(new Date('2026-03-02T08:00:00Z')));
  for (const channel of ['telegram', 'zalobot'] as ChannelName[]) {
    web.runtime.bot.connect(
      channel,
      deliveryFrom(async () => 'sent'),
    );
  }
  admin = await web.staff('admin', ['*'], 'Chị Quản Trị');
  officer = await web.staff('officer', [DAN_TIEN], 'Chị Hoa');
});
afterEach(async () => {
  await web.runtime.jobs.stop();
  await db.close();
});

/** The form as an admin fills it for a course in Dân Tiến from 20/03/2026 to 10/04/2026. */
function filledForm(over: Record<string, string> = {}): Record<string, string> {
  return {
    titleVi: 'May công nghiệp',
    titleEn: 'Industrial sewing',
    occupation: 'sewing',
    organiser: 'Trung tâm GDNN-GDTX Đại Từ',
    commune: 'Dân Tiến',
    address: 'Nhà văn hóa xóm 5',
    startDate: '20/3/2026',
    endDate: '10/04/2026',
    schedule: 'Thứ 2–6, 13:30–16:30',
    seats: '25',
    registrationDeadline: '17:00 15/03/2026',
    eligibilityNotes: 'Phụ nữ 18–55 tuổi',
    support: 'decision46',
    officer: officer.id,
    externalKey: '',
    openNow: 'yes',
    ...over,
  };
}

async function member(name: string, patch: Partial<Member> = {}): Promise<Member> {
  return courseMember(web.runtime, 'telegram', `m${++seq}`, web.clock.now(), { displayName: name, ...patch });
}

async function register(m: Member, course: Course) {
  const r = await web.runtime.features.courses.service.register(m, course.id, SUPPORT);
  if (r.kind === 'full') return web.runtime.features.courses.service.joinWaitingList(m, course.id, SUPPORT);
  return r;
}

async function told(m: Member): Promise<string[]> {
  const rows = await db.prisma.notification.findMany({ where: { recipientId: m.id, kind: 'course' } });
  return rows.flatMap((row) =>
    (row.messages as unknown as OutboundMessage[]).map((msg) => ('text' in msg ? msg.text : '')),
  );
}

const statusOf = async (m: Member, courseId: number) =>
  (await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: m.id, courseId } })).status;

describe('create and edit', () => {
  it('an admin creates a course from the form: stored as typed, Vietnamese dates read, the action audited', async () => {
    const result = await web.call(admin, 'POST', '/console/courses/new', { form: filledForm() });
    expect(result.kind).toBe('redirect');
    const stored = await db.prisma.course.findFirstOrThrow({ where: { titleVi: 'May công nghiệp' } });
    expect(stored).toMatchObject({
      occupation: 'sewing',
      communeCode: DAN_TIEN,
      startDate: '2026-03-20',
      endDate: '2026-04-10',
      seats: 25,
      status: 'open',
      officerId: officer.id,
      support: 'decision46',
      eligibilityNotes: 'Phụ nữ 18–55 tuổi',
    });
    // 17:00 in Asia/Ho_Chi_Minh is 10:00 UTC.
    expect(stored.registrationDeadline.toISOString()).toBe('2026-03-15T10:00:00.000Z');
    if (result.kind === 'redirect') {
      expect(result.to).toBe(`/console/courses/${stored.id}`);
      expect(result.flash?.text).toContain('May công nghiệp');
    }
    const audit = await db.prisma.auditLog.findMany({ where: { action: 'web.course.create' } });
    expect(audit).toHaveLength(1);
    // Without "open now" it is a draft.
    await web.call(admin, 'POST', '/console/courses/new', { form: filledForm({ titleVi: 'Nháp', openNow: '' }) });
    expect((await db.prisma.course.findFirstOrThrow({ where: { titleVi: 'Nháp' } })).status).toBe('draft');
  });

  it('bad input: errors next to their fields, what she typed kept, nothing stored', async () => {
    const result = await web.call(admin, 'POST', '/console/courses/new', {
      form: filledForm({ titleVi: '', startDate: '31/02/2026', seats: '0', commune: 'Không Có Xã Này' }),
    });
    expect(result).toMatchObject({ kind: 'page', status: 400 });
    const page = text(result);
    expect(page).toContain('Chưa lưu được: có 4 chỗ cần sửa');
    expect(page).toMatch(/id="course-titleVi-error"[^>]*>Cần điền ô này\./);
    expect(page).toMatch(/id="course-startDate-error"[^>]*>Ngày chưa đúng/);
    expect(page).toMatch(/id="course-seats-error"[^>]*>Số chỗ là số nguyên từ 1 đến 500\./);
    expect(page).toMatch(/id="course-commune-error"[^>]*>Không tìm thấy đúng một xã\/phường/);
    expect(page).toContain('aria-invalid="true"');
    expect(page).toContain('value="Không Có Xã Này"');
    expect(await db.prisma.course.count()).toBe(0);

    // The service's own rules (the same as the chat's and the CLI's): the end before the start, a start in the past.
    const order = await web.call(admin, 'POST', '/console/courses/new', {
      form: filledForm({ startDate: '20/03/2026', endDate: '19/03/2026' }),
    });
    expect(text(order)).toMatch(/id="course-endDate-error"[^>]*>Ngày kết thúc không được trước ngày khai giảng\./);
    const past = await web.call(admin, 'POST', '/console/courses/new', {
      form: filledForm({ startDate: '01/03/2026', registrationDeadline: '28/02/2026' }),
    });
    expect(text(past)).toMatch(/id="course-startDate-error"[^>]*>Ngày khai giảng đã qua/);
    expect(await db.prisma.course.count()).toBe(0);
  });

  it('the form in English; the edit form shows the stored values and saves a change (registrants told)', async () => {
    const form = await web.call(admin, 'GET', '/console/courses/new', { language: 'en' });
    expect(text(form)).toContain('Registration deadline');
    expect(text(form)).toContain('name="_csrf"');
    const course = await createCourse(web.runtime, officer.id);
    const lan = await member('Nguyễn Thị Lan');
    await register(lan, course);
    const edit = text(await web.call(admin, 'GET', `/console/courses/${course.id}/edit`));
    expect(edit).toContain('value="20/03/2026"');
    expect(edit).toContain('value="17:00 15/03/2026"');
    expect(edit).toContain('value="Dân Tiến"');
    const saved = await web.call(admin, 'POST', `/console/courses/${course.id}/edit`, {
      form: filledForm({ titleVi: course.titleVi, startDate: '21/03/2026', seats: '30' }),
    });
    expect(saved.kind).toBe('redirect');
    const stored = await db.prisma.course.findUniqueOrThrow({ where: { id: course.id } });
    expect(stored).toMatchObject({ startDate: '2026-03-21', seats: 30, occupation: 'sewing' });
    expect((await told(lan)).join('\n')).toContain('21/03/2026');
    // Fewer seats than taken: refused next to the field.
    const fewer = await web.call(admin, 'POST', `/console/courses/${course.id}/edit`, {
      form: filledForm({ titleVi: course.titleVi, startDate: '21/03/2026', seats: '0' }),
    });
    expect(fewer).toMatchObject({ kind: 'page', status: 400 });
  });

  it('officers may not create, edit, open, close or cancel; the course stays as it was', async () => {
    const course = await createCourse(web.runtime, officer.id);
    expect((await web.call(officer, 'GET', '/console/courses/new')).kind).toBe('forbidden');
    expect((await web.call(officer, 'POST', '/console/courses/new', { form: filledForm() })).kind).toBe('forbidden');
    expect((await web.call(officer, 'POST', `/console/courses/${course.id}/cancel`)).kind).toBe('forbidden');
    expect((await web.call(officer, 'GET', `/console/courses/${course.id}/edit`)).kind).toBe('forbidden');
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: course.id } })).status).toBe('open');
    // Her course page has no admin buttons.
    const page = text(await web.call(officer, 'GET', `/console/courses/${course.id}`));
    expect(page).not.toContain(`/console/courses/${course.id}/cancel`);
  });
});

describe('the list and who sees what', () => {
  it('lists status, dates, commune, seats and waiting list; filters; an officer sees her communes only', async () => {
    const tea = await createCourse(web.runtime, null, { seats: 1 });
    await createCourse(web.runtime, null, { titleVi: 'Nuôi gà thả vườn', communeCode: '05503', status: 'draft' });
    await register(await member('Lan'), tea);
    await register(await member('Mai'), tea);
    const all = text(await web.call(admin, 'GET', '/console/courses'));
    expect(all).toContain('Chế biến chè xanh');
    expect(all).toContain('Nuôi gà thả vườn');
    expect(all).toContain('Đang nhận đăng ký');
    expect(all).toContain('20/03/2026 – 10/04/2026');
    expect(all).toContain('Xã Dân Tiến');
    expect(all).toContain('1/1');
    expect(all).toMatch(/<td>\s*1\s*<\/td>\s*<\/tr>/); // one on the waiting list
    const drafts = text(await web.call(admin, 'GET', '/console/courses?status=draft'));
    expect(drafts).toContain('Nuôi gà thả vườn');
    expect(drafts).not.toContain('Chế biến chè xanh');
    const byCommune = text(await web.call(admin, 'GET', `/console/courses?commune=${DAN_TIEN}`));
    expect(byCommune).not.toContain('Nuôi gà thả vườn');
    const searched = text(await web.call(admin, 'GET', '/console/courses?q=gà'));
    expect(searched).toContain('Nuôi gà thả vườn');
    expect(searched).not.toContain('Chế biến chè xanh');
    // Bad filter values are ignored, never an error.
    expect((await web.call(admin, 'GET', '/console/courses?status=x&page=abc&commune=<b>')).kind).toBe('page');

    const hers = text(await web.call(officer, 'GET', '/console/courses'));
    expect(hers).toContain('Chế biến chè xanh');
    expect(hers).not.toContain('Nuôi gà thả vườn');
    expect(hers).not.toContain('/console/courses/new');
    const other = await db.prisma.course.findFirstOrThrow({ where: { communeCode: '05503' } });
    expect((await web.call(officer, 'GET', `/console/courses/${other.id}`)).kind).toBe('notFound');
    expect((await web.call(officer, 'GET', `/console/courses/${other.id}/rollcall.csv`)).kind).toBe('notFound');
    expect((await web.call(admin, 'GET', '/console/courses/99999')).kind).toBe('notFound');
    expect((await web.call(admin, 'GET', '/console/courses/abc')).kind).toBe('notFound');
  });
});

describe('open, close, cancel', () => {
  it('opens a draft, closes it, cancels it: everyone registered or waiting is told, once', async () => {
    const course = await createCourse(web.runtime, officer.id, { status: 'draft', seats: 1 });
    const opened = await web.call(admin, 'POST', `/console/courses/${course.id}/open`);
    expect(opened).toMatchObject({ kind: 'redirect', flash: { tone: 'ok', text: 'Đã mở đăng ký.' } });
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: course.id } })).status).toBe('open');
    const lan = await member('Lan');
    const mai = await member('Mai');
    await register(lan, course);
    await register(mai, course);
    await web.call(admin, 'POST', `/console/courses/${course.id}/close`);
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: course.id } })).status).toBe('closed');
    const page = text(await web.call(admin, 'GET', `/console/courses/${course.id}`));
    expect(page).toContain('data-confirm="Hủy khóa học này? 2 người');
    const cancelled = await web.call(admin, 'POST', `/console/courses/${course.id}/cancel`);
    expect(cancelled).toMatchObject({ kind: 'redirect', flash: { tone: 'ok' } });
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: course.id } })).status).toBe('cancelled');
    expect(await statusOf(lan, course.id)).toBe('cancelled');
    expect(await statusOf(mai, course.id)).toBe('cancelled');
    for (const m of [lan, mai]) expect((await told(m)).filter((t) => /hủy/i.test(t))).toHaveLength(1);
    // Again: refused with a sentence, nothing more sent.
    const again = await web.call(admin, 'POST', `/console/courses/${course.id}/cancel`);
    expect(again).toMatchObject({
      kind: 'redirect',
      flash: { tone: 'error', text: expect.stringContaining('đã hủy') },
    });
    expect((await told(lan)).filter((t) => /hủy/i.test(t))).toHaveLength(1);
    const audit = await db.prisma.auditLog.findMany({ where: { action: { startsWith: 'web.course.' } } });
    expect(audit.map((a) => a.action).sort()).toEqual(
      expect.arrayContaining(['web.course.cancel', 'web.course.close', 'web.course.open']),
    );
  });
});

describe('registrants, attendance, roll call', () => {
  it('shows registrants and the waiting list; phones only where she consented; the view audited', async () => {
    const course = await createCourse(web.runtime, officer.id, { seats: 2 });
    await register(await member('Nguyễn Thị Lan', { phone: '+84912000001' }), course);
    await register(await member('Trần Thị Mai', { phone: '+84912000002', consentAt: null }), course);
    await register(await member('Lê Thị Hồng', { phone: '+84912000003' }), course);
    const page = text(await web.call(officer, 'GET', `/console/courses/${course.id}`));
    expect(page).toContain('Người đăng ký (2)');
    expect(page).toContain('Danh sách chờ (1)');
    expect(page).toContain('Nguyễn Thị Lan');
    expect(page).toContain('+84912000001');
    expect(page).toContain('Trần Thị Mai');
    expect(page).not.toContain('+84912000002');
    expect(page).toContain('Lê Thị Hồng');
    expect(page).toContain('+84912000003');
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'web.course.registrants' } });
    expect(audit).toMatchObject({ actor: officer.id, subject: `course:${course.id}` });
  });

  it('attendance from the start date, completion from the end date, stored; a mark of another course refused', async () => {
    const course = await createCourse(web.runtime, officer.id);
    const other = await createCourse(web.runtime, officer.id, { titleVi: 'Khác' });
    const lan = await member('Lan');
    await register(lan, course);
    await register(await member('Mai'), other);
    const reg = await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: lan.id } });
    const early = await web.call(officer, 'POST', `/console/courses/${course.id}/mark`, {
      form: { registration: String(reg.id), mark: 'attended' },
    });
    expect(early).toMatchObject({
      kind: 'redirect',
      flash: { tone: 'error', text: expect.stringContaining('chưa khai giảng') },
    });
    expect(await statusOf(lan, course.id)).toBe('registered');

    web.clock.advance(18 * DAY + 2 * HOUR); // 20/03/2026
    const attended = await web.call(officer, 'POST', `/console/courses/${course.id}/mark`, {
      form: { registration: String(reg.id), mark: 'attended' },
    });
    expect(attended).toMatchObject({ kind: 'redirect', flash: { tone: 'ok', text: 'Đã ghi có mặt.' } });
    expect(await statusOf(lan, course.id)).toBe('attended');
    const notEnded = await web.call(officer, 'POST', `/console/courses/${course.id}/mark`, {
      form: { registration: String(reg.id), mark: 'completed' },
    });
    expect(notEnded).toMatchObject({ flash: { tone: 'error' } });

    web.clock.advance(21 * DAY); // 10/04/2026
    await web.call(officer, 'POST', `/console/courses/${course.id}/mark`, {
      form: { registration: String(reg.id), mark: 'completed' },
    });
    const stored = await db.prisma.courseRegistration.findUniqueOrThrow({ where: { id: reg.id } });
    expect(stored.status).toBe('completed');
    expect(stored.completedAt).not.toBeNull();

    const mai = await db.prisma.courseRegistration.findFirstOrThrow({ where: { courseId: other.id } });
    const wrong = await web.call(officer, 'POST', `/console/courses/${course.id}/mark`, {
      form: { registration: String(mai.id), mark: 'absent' },
    });
    expect(wrong).toMatchObject({ flash: { tone: 'error' } });
    expect(mai.status).toBe('registered');
    expect((await db.prisma.courseRegistration.findUniqueOrThrow({ where: { id: mai.id } })).status).toBe('registered');
    const bad = await web.call(officer, 'POST', `/console/courses/${course.id}/mark`, {
      form: { registration: 'x', mark: 'drop' },
    });
    expect(bad).toMatchObject({ kind: 'redirect', flash: { tone: 'error' } });
    // An officer of another commune may not mark.
    const stranger = await web.staff('officer', ['05503']);
    expect(
      (
        await web.call(stranger, 'POST', `/console/courses/${course.id}/mark`, {
          form: { registration: String(reg.id), mark: 'absent' },
        })
      ).kind,
    ).toBe('notFound');
  });

  it('the roll call CSV: BOM, the CLI columns, seated then waiting with places, name and phone only where she consented', async () => {
    const course = await createCourse(web.runtime, officer.id, { seats: 1 });
    await register(await member('Nguyễn Thị Lan', { phone: '+84912000001' }), course);
    await register(await member('Trần Thị Mai', { phone: '+84912000002', consentAt: null }), course);
    const result = await web.call(officer, 'GET', `/console/courses/${course.id}/rollcall.csv`);
    expect(result).toMatchObject({ kind: 'file', contentType: 'text/csv; charset=utf-8' });
    const csv = text(result);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Mã đăng ký,Danh sách,Thứ tự chờ,Họ tên,Điện thoại,Xã/phường,Mức hỗ trợ,Có đi học,Hoàn thành,Ghi chú',
    );
    expect(lines[1]).toMatch(/^\d+,Đã đăng ký,,Nguyễn Thị Lan,'\+84912000001,Xã Dân Tiến,Hộ cận nghèo,,,$/);
    // No consent: neither her name nor her phone leaves in the file (as the CLI's roll call).
    expect(lines[2]).toMatch(
      /^\d+,Danh sách chờ,1,\(chị chưa đồng ý chia sẻ thông tin liên hệ\),,Xã Dân Tiến,Hộ cận nghèo,,,$/,
    );
    expect(csv).not.toContain('Trần Thị Mai');
    expect(await db.prisma.auditLog.count({ where: { action: 'web.course.rollcall' } })).toBe(1);
  });
});

describe('the training outcomes report', () => {
  it('trained and completed per commune for the chosen period, with its CSV; an officer sees her communes', async () => {
    const tea = await createCourse(web.runtime, officer.id, { seats: 5 });
    const chicken = await createCourse(web.runtime, null, { titleVi: 'Nuôi gà', communeCode: '05503', seats: 5 });
    const members = [];
    for (const name of ['Lan', 'Mai', 'Hồng']) {
      const m = await member(name);
      await register(m, tea);
      members.push(m);
    }
    await register(await member('Thu'), chicken);
    web.clock.advance(40 * DAY); // after both courses
    const regs = await db.prisma.courseRegistration.findMany({ where: { courseId: tea.id }, orderBy: { id: 'asc' } });
    const service = web.runtime.features.courses.service;
    const actor = { kind: 'member', member: admin } as const;
    await service.mark(actor, regs[0]!.id, 'completed');
    await service.mark(actor, regs[1]!.id, 'completed');
    await service.mark(actor, regs[2]!.id, 'absent');

    const page = text(await web.call(admin, 'GET', '/console/courses/report'));
    expect(page).toContain('Các khóa khai giảng từ 01/01/2026 đến 31/12/2026.');
    const row = (name: string) => page.split('<tr>').find((r) => r.includes(name)) ?? '';
    // registered, attended, absent, completed, earning, partly
    const cells = (r: string) => [...r.matchAll(/<td>\s*(\d+)\s*<\/td>/g)].map((m) => Number(m[1]));
    expect(cells(row('Xã Dân Tiến'))).toEqual([3, 2, 1, 2, 0, 0]);
    expect(cells(row('Tổng cộng'))).toEqual([4, 2, 1, 2, 0, 0]);
    const none = text(await web.call(admin, 'GET', '/console/courses/report?from=01/01/2027&to=31/12/2027'));
    expect(none).toContain('Chưa có số liệu');
    const bad = await web.call(admin, 'GET', '/console/courses/report?from=hôm qua');
    expect(text(bad)).toContain('Ngày chưa đúng');

    const csv = text(await web.call(admin, 'GET', '/console/courses/report.csv'));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toContain('Đăng ký,Đi học,Vắng,Hoàn thành');
    expect(lines).toContain('Xã/phường,Xã Dân Tiến,,3,2,1,2,0,0,0,0');
    expect(lines).toContain('Tổng cộng,,,4,2,1,2,0,0,0,0');

    const hers = text(await web.call(officer, 'GET', '/console/courses/report'));
    expect(cells(hers.split('<tr>').find((r) => r.includes('Tổng cộng')) ?? '')).toEqual([3, 2, 1, 2, 0, 0]);
    expect(hers).not.toContain('Nuôi gà');
  });
});
