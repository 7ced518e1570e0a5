// The member's side of the courses in chat, on the real runtime (SQLite, every feature, the real service): what she
// sees (texts and buttons) and what is stored. Browse (her commune first, pages of 5, filter by trade, details),
// register (profile, birth year, working age, under 16, support questions only where they decide, the sensitive
// consent given or declined, no support / once per person), the deadline, full → waiting list, her registrations,
// cancel (from the list and from "em không đi học được nữa") with the freed seat offered to the first waiting.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/conversation/messages.ts';
import type { CourseInput } from '../../../src/domain/courses.ts';
import type { Member } from '../../../src/domain/member.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { Chat, realRuntime, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { courseMember, createCourse, DAN_TIEN } from '../../helpers/courses.ts';
import { deliveryFrom } from '../../helpers/fakes.ts';

let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;
let officer: Member;
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  // 2026-03-02 15:00 in Asia/Ho_Chi_Minh.
  clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
  rt = realRuntime(db.prisma, clock);
  rt.bot.connect(
    'telegram',
    deliveryFrom(async () => 'sent'),
  );
  officer = await person('officer', { displayName: 'Chị Hoa', role: 'officer' });
  await rt.officers.assign(officer.id, 'officer', [DAN_TIEN]);
});
afterEach(async () => {
  await rt.jobs.stop();
  await db.close();
});

/** A consenting member on the console, with a profile; `patch` changes it. */
const person = (userId: string, patch: Partial<Member> = {}) => courseMember(rt, 'console', userId, clock.now(), patch);

/** A member's chat on the console, her member row created first (consented, profile complete unless patched). */
async function memberChat(patch: Partial<Member> = {}): Promise<{ chat: Chat; member: Member }> {
  const userId = `c${++seq}`;
  const member = await person(userId, patch);
  return { chat: new Chat(rt.bot, userId, 'console'), member };
}

const course = (over: Partial<CourseInput> = {}) => createCourse(rt, officer.id, over);

const registration = (member: Member, courseId: number) =>
  db.prisma.courseRegistration.findFirst({ where: { memberId: member.id, courseId } });

/** Opens a course's details from the list she gets by typing "hoc nghe". */
async function openCourse(chat: Chat, label: string) {
  await chat.send('hoc nghe');
  const button = chat.buttons().find((b) => b.startsWith(label));
  if (!button) throw new Error(`no course "${label}" in: ${chat.buttons().join(', ')}`);
  return chat.tap(button);
}

describe('the greeting and the help', () => {
  it('promise the courses again', async () => {
    const chat = new Chat(rt.bot, `new${++seq}`, 'console');
    await chat.send('alo');
    expect(chat.text()).toContain('Chị có thể hỏi về vay vốn ưu đãi, đăng ký học nghề ngắn hạn,');
    const { chat: member } = await memberChat();
    await member.send('giúp');
    expect(member.text()).toContain('tìm và đăng ký học nghề ngắn hạn');
  });
});

describe('browsing the courses', () => {
  it('lists her commune first, 5 a page with "Xem thêm lớp", filters by trade, shows the details', async () => {
    // Elsewhere, starting earlier; in her commune, starting later; a draft is never shown.
    for (let i = 1; i <= 5; i++) {
      await course({
        titleVi: `May công nghiệp ${i}`,
        occupation: 'sewing',
        communeCode: '05443',
        startDate: `2026-03-2${i}`,
        registrationDeadline: new Date('2026-03-18T10:00:00Z'),
      });
    }
    await course({ titleVi: 'Nuôi gà thả vườn', occupation: 'livestock', startDate: '2026-04-01' });
    await course({ titleVi: 'Chế biến chè xanh' });
    await course({ titleVi: 'Lớp nháp', status: 'draft' });
    const { chat } = await memberChat();

    await chat.send('co khoa hoc nao');
    expect(chat.text()).toContain('Các lớp học nghề sắp mở (có 7 lớp, trang 1/2). Chị chọn một lớp để xem chi tiết ạ:');
    const buttons = chat.buttons();
    expect(buttons[0]).toBe('Chế biến chè xanh · 20/03/2026 · Xã Dân Tiến');
    expect(buttons[1]).toBe('Nuôi gà thả vườn · 01/04/2026 · Xã Dân Tiến');
    expect(buttons[2]).toMatch(/^May công nghiệp 1 · 21\/03\/2026 · /);
    expect(buttons.slice(5)).toEqual(['Xem thêm lớp', 'Lọc theo nghề', 'Về menu']);
    expect(chat.text()).not.toContain('Lớp nháp');

    await chat.tap('Xem thêm lớp');
    expect(chat.text()).toContain('(có 7 lớp, trang 2/2)');
    expect(chat.buttons()).toEqual([
      expect.stringMatching(/^May công nghiệp 4 /),
      expect.stringMatching(/^May công nghiệp 5 /),
      'Trang trước',
      'Lọc theo nghề',
      'Về menu',
    ]);
    // Back to the first page.
    await chat.tap('Trang trước');
    expect(chat.text()).toContain('(có 7 lớp, trang 1/2)');
    expect(chat.buttons()[0]).toBe('Chế biến chè xanh · 20/03/2026 · Xã Dân Tiến');
    expect(chat.buttons()).not.toContain('Trang trước');
    await chat.tap('Xem thêm lớp');

    await chat.tap('Lọc theo nghề');
    expect(chat.text()).toContain('Chị muốn học nghề gì ạ?');
    await chat.send('nuôi gà');
    expect(chat.text()).toContain('Các lớp nghề Chăn nuôi sắp mở (có 1 lớp). Chị chọn một lớp để xem chi tiết ạ:');
    expect(chat.buttons()).toEqual(['Nuôi gà thả vườn · 01/04/2026 · Xã Dân Tiến', 'Xem tất cả các nghề', 'Về menu']);

    // Her words name the trade: the list shows it at once.
    await chat.command('menu');
    await chat.send('có lớp may không');
    expect(chat.text()).toContain('Các lớp nghề May sắp mở (có 5 lớp)');

    await chat.command('menu');
    await openCourse(chat, 'Chế biến chè xanh');
    const details = chat.text();
    expect(details).toContain('📚 Chế biến chè xanh');
    expect(details).toContain('Nghề: Trồng và chế biến chè');
    expect(details).toContain('Nơi học: Nhà văn hóa xóm 3, Xã Dân Tiến');
    expect(details).toContain('Thời gian: 20/03/2026 – 10/04/2026');
    expect(details).toContain('Lịch học: Thứ 2–6, 7:30–11:00');
    expect(details).toContain('Còn 20/20 chỗ');
    expect(details).toContain('Hạn đăng ký: 17:00 15/03/2026');
    expect(details).toContain('Quyết định 46/2015/QĐ-TTg');
    expect(details).toContain('Khi chị đăng ký, em hỏi vài câu để biết mức hỗ trợ của chị.');
    expect(details).toContain('Điều kiện: Phụ nữ trong độ tuổi lao động');
    expect(chat.buttons()).toEqual(['Đăng ký', 'Xem các lớp khác', 'Về menu']);
  });

  it('says so when nothing is open, and a course past its deadline has no "Đăng ký"', async () => {
    const { chat } = await memberChat();
    await chat.send('em muốn đi học nghề');
    expect(chat.text()).toContain('Hiện chưa có lớp học nghề nào đang nhận đăng ký ạ.');

    await course();
    clock.advance(14 * 24 * 3_600_000);
    await openCourse(chat, 'Chế biến chè xanh');
    expect(chat.text()).toContain('Đã hết hạn đăng ký (17:00 15/03/2026)');
    expect(chat.buttons()).toEqual(['Xem các lớp khác', 'Về menu']);
  });
});

describe('registering', () => {
  it('confirms her profile, asks only the questions that decide, with the sensitive consent first; stores the level only', async () => {
    const c = await course();
    const { chat, member } = await memberChat();
    await openCourse(chat, 'Chế biến chè xanh');
    await chat.tap('Đăng ký');
    // courseSupport is asked once, on entering the registration.
    expect(chat.text()).toContain('Đăng ký lớp «Chế biến chè xanh»');
    await chat.tap('Đồng ý');
    expect(chat.text()).toContain('người khuyết tật, có phải người dân tộc thiểu số');
    expect(chat.buttons()).toEqual(['Đồng ý trả lời', 'Không, bỏ qua']);
    await chat.tap('Đồng ý trả lời');
    expect(chat.text()).toContain('Chị có phải là người khuyết tật không ạ?');
    await chat.send('ko');
    expect(chat.text()).toContain('Hộ gia đình chị hiện thuộc diện nào ạ?');
    await chat.tap('Hộ nghèo');
    expect(chat.text()).toContain('Chị có phải là người dân tộc thiểu số không ạ?');
    await chat.tap('Có');
    // Poor and ethnic minority: the highest group left is decided; no more questions.
    const summary = chat.text();
    expect(summary).toContain('Chị kiểm tra lại thông tin đăng ký học nghề ạ:');
    expect(summary).toContain('• Họ tên: Nguyễn Thị Lan');
    expect(summary).toContain('• Năm sinh: 1990');
    expect(summary).not.toContain('xã đặc biệt khó khăn');
    await chat.tap('Xác nhận');

    const text = chat.text();
    expect(text).toContain('Chị đã đăng ký lớp «Chế biến chè xanh» thành công ạ');
    expect(text).toContain('Lớp học từ 20/03/2026 tại Nhà văn hóa xóm 3, Xã Dân Tiến.');
    expect(text).toContain('Mức hỗ trợ chi phí học dự kiến: 4.000.000 đồng (4 triệu)');
    expect(await registration(member, c.id)).toMatchObject({
      status: 'registered',
      supportGroup: 'poorEthnicOrDifficult',
      supportVnd: 4_000_000,
    });
    const consent = await db.prisma.memberConsent.findFirst({
      where: { memberId: member.id, purpose: 'courseSensitive' },
    });
    expect(consent?.givenAt).not.toBeNull();
  });

  it('skips the sensitive questions when she declines their consent', async () => {
    const c = await course();
    const { chat, member } = await memberChat();
    await openCourse(chat, 'Chế biến chè xanh');
    await chat.tap('Đăng ký');
    await chat.tap('Đồng ý');
    await chat.tap('Không, bỏ qua');
    expect(chat.text()).toContain('Hộ gia đình chị hiện thuộc diện nào ạ?');
    await chat.tap('Hộ cận nghèo');
    expect(chat.text()).toContain('gia đình có công với cách mạng');
    await chat.tap('Không');
    expect(chat.text()).not.toContain('khuyết tật không');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Mức hỗ trợ chi phí học dự kiến: 2.500.000 đồng');
    expect(await registration(member, c.id)).toMatchObject({ supportGroup: 'nearPoor', supportVnd: 2_500_000 });
    const consent = await db.prisma.memberConsent.findFirst({
      where: { memberId: member.id, purpose: 'courseSensitive' },
    });
    expect(consent?.givenAt ?? null).toBeNull();
  });

  it('asks no support question for a course without support, and says so', async () => {
    const c = await course({ support: 'none' });
    const { chat, member } = await memberChat();
    await openCourse(chat, 'Chế biến chè xanh');
    expect(chat.text()).toContain('lớp này không có hỗ trợ chi phí học');
    await chat.tap('Đăng ký');
    await chat.tap('Đồng ý');
    expect(chat.text()).toContain('Chị kiểm tra lại thông tin đăng ký học nghề ạ:');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Lớp này không có hỗ trợ chi phí học theo Quyết định 46.');
    expect((await registration(member, c.id))?.status).toBe('registered');
  });

  it('asks a missing birth year and saves it', async () => {
    const c = await course({ support: 'none' });
    const { chat, member } = await memberChat({ birthYear: null });
    await openCourse(chat, 'Chế biến chè xanh');
    await chat.tap('Đăng ký');
    await chat.tap('Đồng ý');
    expect(chat.text()).toContain('Chị sinh năm bao nhiêu ạ?');
    await chat.send('88');
    expect(chat.text()).toContain('Chị gõ năm sinh đủ 4 chữ số');
    await chat.send('sinh năm 1990');
    expect((await rt.members.findById(member.id))?.birthYear).toBe(1990);
    await chat.tap('Xác nhận');
    expect((await registration(member, c.id))?.status).toBe('registered');
  });

  it('under 16 no registration by chat: her birth year is not kept, one alert per course, and without a phone she is told how her family can reach the Union', async () => {
    const c = await course();
    const { chat, member } = await memberChat({ birthYear: null, phone: null });
    const alerts = async () =>
      (await db.prisma.notification.findMany({ where: { recipientId: officer.id, kind: 'course' } }))
        .flatMap((n) => n.messages as unknown as OutboundMessage[])
        .map((m) => (m.kind === 'text' ? m.text : ''));
    for (let attempt = 0; attempt < 3; attempt++) {
      await openCourse(chat, 'Chế biến chè xanh');
      await chat.tap('Đăng ký');
      if (attempt === 0) await chat.tap('Đồng ý');
      if (chat.buttons().includes('Bỏ qua')) await chat.tap('Bỏ qua'); // no phone
      if (chat.text().includes('Chị sinh năm bao nhiêu ạ?')) await chat.send('sinh năm 2012');
      expect(chat.text()).toContain(
        'Em chưa cho số điện thoại nên Hội chưa gọi được cho gia đình: em nhờ cha mẹ hoặc người giám hộ nhắn tin cho Hội ngay tại đây, hoặc đến Hội Phụ nữ xã/phường nơi em ở để được hướng dẫn nhé.',
      );
      expect(chat.text()).not.toContain('sẽ gọi điện');
    }
    expect((await rt.members.findById(member.id))?.birthYear).toBeNull();
    // One alert (and no promise of a call) for the officer, however often she tries; no seat, no registration.
    const told = await alerts();
    expect(told.filter((line) => line.includes('chưa đủ 16 tuổi'))).toHaveLength(1);
    expect(told.join('\n')).toContain('Em ấy chưa cho số điện thoại');
    expect(told.join('\n')).not.toContain('Cần chị gọi điện');
    expect(await registration(member, c.id)).toMatchObject({ status: 'referred' });
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: c.id } })).seatsTaken).toBe(0);
  });

  it('outside working age she is registered and told an officer will check', async () => {
    const c = await course({ support: 'none' });
    const { chat, member } = await memberChat({ birthYear: 1960 });
    await openCourse(chat, 'Chế biến chè xanh');
    await chat.tap('Đăng ký');
    await chat.tap('Đồng ý');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('cán bộ Hội sẽ kiểm tra lại và liên hệ với chị ạ');
    expect((await registration(member, c.id))?.status).toBe('registered');
  });

  it('outside working age she is told an officer will check when she joins the waiting list and when she takes an offer', async () => {
    const c = await course({ seats: 1, support: 'none' });
    const first = await person('first');
    const held = await rt.features.courses.service.register(first, c.id, { kind: 'none' });
    if (held.kind !== 'registered') throw new Error('not registered');
    const { chat, member } = await memberChat({ birthYear: 1960 });
    await openCourse(chat, 'Chế biến chè xanh');
    // Full as she looks: the waiting list is her choice before the questions (fix2), not asked again at the end.
    await chat.tap('Vào danh sách chờ');
    await chat.tap('Đồng ý');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('chị đang ở vị trí số 1 ạ');
    expect(chat.text()).toContain('cán bộ Hội sẽ kiểm tra lại và liên hệ với chị ạ');
    /** The officer's "please check" alerts about her (at once, not in the hourly batch). */
    const checks = async () =>
      (await db.prisma.notification.findMany({ where: { recipientId: officer.id, kind: 'course' } }))
        .flatMap((n) => n.messages as unknown as OutboundMessage[])
        .filter((m) => m.kind === 'text' && m.text.startsWith('Cần chị kiểm tra: Nguyễn Thị Lan')).length;
    expect(await checks()).toBe(1);
    // The seat frees up; she taps "Nhận chỗ" on the offer: told again, and the officer asked again at once.
    await rt.features.courses.service.cancelMine(first, held.registration.id);
    const offer = await db.prisma.notification.findFirstOrThrow({ where: { recipientId: member.id, kind: 'course' } });
    const accept = (offer.messages as unknown as OutboundMessage[]).flatMap((m) =>
      m.kind === 'choices' ? m.choices : [],
    )[0];
    await chat.deliver({ kind: 'choice', data: accept!.data });
    expect(chat.text()).toContain('Hội đã ghi nhận chị nhận chỗ');
    expect(chat.text()).toContain('cán bộ Hội sẽ kiểm tra lại và liên hệ với chị ạ');
    expect((await registration(member, c.id))?.status).toBe('registered');
    expect(await checks()).toBe(2);
  });

  it('a full course offers the waiting list, saying what an offer is; her place is shown in "Lớp học của tôi"', async () => {
    const c = await course({ seats: 1, support: 'none' });
    const first = await person('first');
    await rt.features.courses.service.register(first, c.id, { kind: 'none' });
    const { chat, member } = await memberChat();
    await openCourse(chat, 'Chế biến chè xanh');
    expect(chat.text()).toContain('Đã đủ 1 chỗ — chị vẫn vào danh sách chờ được');
    // Full when she looks: the button says what it does, and she is told before a single question.
    expect(chat.buttons()).toEqual(['Vào danh sách chờ', 'Xem các lớp khác', 'Về menu']);
    await chat.tap('Vào danh sách chờ');
    expect(chat.text()).toContain('Đăng ký vào danh sách chờ lớp «Chế biến chè xanh».');
    expect(chat.text()).toContain('giữ chỗ cho chị trong 24 giờ');
    await chat.tap('Đồng ý');
    await chat.tap('Xác nhận');
    // She chose the waiting list: not asked again at the end.
    expect(chat.text()).toContain('chị đang ở vị trí số 1 ạ');
    expect((await registration(member, c.id))?.status).toBe('waiting');

    await chat.send('lop hoc cua em');
    expect(chat.buttons()[0]).toBe('Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đang chờ, vị trí số 1');
  });
});

describe('her registrations', () => {
  it('"delete my data" warns that her course registrations are cancelled; her seat is passed on', async () => {
    const c = await course({ seats: 1, support: 'none' });
    const { chat, member } = await memberChat();
    const waiting = await person('waiting');
    await rt.features.courses.service.register(member, c.id, { kind: 'none' });
    await rt.features.courses.service.joinWaitingList(waiting, c.id, { kind: 'none' });
    await chat.send('xoa het du lieu cua em');
    expect(chat.text()).toContain('Chị có chắc muốn xóa toàn bộ thông tin Hội đang lưu về chị');
    expect(chat.text()).toContain(
      'Nếu chị đang có chỗ hoặc đang ở danh sách chờ một lớp học nghề, đăng ký đó sẽ bị hủy và chỗ được nhường cho người khác.',
    );
    await chat.tap('Có');
    expect(chat.text()).toContain('Đã xóa toàn bộ dữ liệu của chị.');
    expect((await registration(waiting, c.id))?.status).toBe('offered');
  });

  it('lists them with their status, and cancels one with confirmation; the seat goes to the first waiting', async () => {
    const c = await course({ seats: 1, support: 'none' });
    const { chat, member } = await memberChat();
    await rt.features.courses.service.register(member, c.id, { kind: 'none' });
    const waiting = await person('waiting');
    await rt.features.courses.service.joinWaitingList(waiting, c.id, { kind: 'none' });

    await chat.send('khi nao lop bat dau');
    expect(chat.text()).toContain('Các lớp học của chị.');
    // Each line says when and where the course starts ("khi nào lớp bắt đầu").
    expect(chat.buttons()).toEqual(['Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đã đăng ký', 'Về menu']);
    await chat.tap('Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đã đăng ký');
    expect(chat.text()).toContain('Thời gian: 20/03/2026 – 10/04/2026');
    expect(chat.text()).toContain('Tình trạng: Đã đăng ký');
    expect(chat.buttons()).toEqual(['Hủy đăng ký', 'Xem các lớp của tôi', 'Về menu']);
    await chat.tap('Hủy đăng ký');
    expect(chat.text()).toContain('Chị chắc chắn muốn hủy đăng ký lớp «Chế biến chè xanh» không ạ?');
    await chat.tap('Không, giữ lại');
    expect(chat.text()).toContain('em giữ nguyên đăng ký của chị');
    expect((await registration(member, c.id))?.status).toBe('registered');

    // "Em không đi học được nữa": asked first, then by name.
    await chat.send('em không đi học được nữa');
    expect(chat.text()).toContain('chị muốn hủy đăng ký lớp học phải không ạ?');
    await chat.tap('Vâng, hủy đăng ký');
    expect(chat.text()).toContain('Chị chắc chắn muốn hủy đăng ký lớp «Chế biến chè xanh» không ạ?');
    await chat.tap('Có, hủy đăng ký');
    expect(chat.text()).toContain('Em đã hủy đăng ký lớp «Chế biến chè xanh» của chị ạ.');
    expect((await registration(member, c.id))?.status).toBe('cancelled');
    expect((await registration(waiting, c.id))?.status).toBe('offered');

    await chat.send('lớp học của tôi');
    expect(chat.buttons()[0]).toBe('Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đã hủy');

    // The member offered the seat sees the offer's deadline (local time) and takes the seat.
    const offered = new Chat(rt.bot, 'waiting', 'console');
    await offered.send('lớp học của tôi');
    // (On the console the offer itself waited for her message: it comes first, with its own buttons.)
    const line = offered.buttons().find((b) => b.startsWith('Chế biến chè xanh · '))!;
    expect(line).toMatch(
      /^Chế biến chè xanh · 20\/03\/2026, Xã Dân Tiến · Có chỗ cho chị, xác nhận trước \d\d:\d\d \d\d\/03\/2026$/,
    );
    await offered.tap(line);
    expect(offered.buttons()).toEqual(['Nhận chỗ', 'Không nhận chỗ', 'Xem các lớp của tôi', 'Về menu']);
    await offered.tap('Nhận chỗ');
    expect(offered.text()).toContain('Chị đã nhận chỗ lớp «Chế biến chè xanh» ạ.');
    expect((await registration(waiting, c.id))?.status).toBe('registered');
  });

  it('says so when she has none', async () => {
    const { chat } = await memberChat();
    await chat.send('lớp học của tôi');
    expect(chat.text()).toContain('Chị chưa đăng ký lớp học nghề nào ạ.');
  });
});

describe('pages that read from her side and are read afresh', () => {
  const svc = () => rt.features.courses.service;
  const CLI = { kind: 'cli', operator: 'test' } as const;

  it('a course she is on shows her status and what she can do, never the registration text', async () => {
    const c = await course({ seats: 1 });
    const first = await person('first');
    await svc().register(first, c.id, { kind: 'none' });
    const { chat, member } = await memberChat();
    await svc().joinWaitingList(member, c.id, { kind: 'none' });

    // Waiting: her place, and cancel; no "join the waiting list", no "I will ask a few questions".
    await openCourse(chat, 'Chế biến chè xanh');
    let page = chat.text();
    expect(page).toContain('Tình trạng: Đang chờ, vị trí số 1');
    expect(page).toContain('Đã đủ 1 chỗ');
    expect(page).not.toContain('danh sách chờ được');
    expect(page).not.toContain('em hỏi vài câu');
    expect(chat.buttons()).toEqual(['Hủy đăng ký', 'Xem các lớp khác', 'Về menu']);

    // Offered: the deadline in local time, with Accept / Decline; "Xem các lớp khác" goes back to the catalogue.
    await svc().cancelMine(first, (await registration(first, c.id))!.id);
    await chat.command('menu');
    await openCourse(chat, 'Chế biến chè xanh');
    page = chat.text();
    expect(page).toMatch(/Tình trạng: Có chỗ cho chị, xác nhận trước \d\d:\d\d \d\d\/03\/2026/);
    expect(page).not.toContain('Có chỗ cho chị\n'); // the status once, not a generic line
    expect(page).not.toContain('danh sách chờ được');
    expect(page).not.toContain('em hỏi vài câu');
    expect(chat.buttons()).toEqual(['Nhận chỗ', 'Không nhận chỗ', 'Xem các lớp khác', 'Về menu']);
    await chat.tap('Xem các lớp khác');
    expect(chat.text()).toContain('Các lớp học nghề sắp mở (có 1 lớp).');
  });

  it('marks courses that do not take a plain registration in the list', async () => {
    const full = await course({ titleVi: 'Lớp đầy', seats: 1, startDate: '2026-03-20' });
    await svc().register(await person('first'), full.id, { kind: 'none' });
    const paused = await course({ titleVi: 'Lớp tạm dừng', startDate: '2026-03-21' });
    expect((await svc().setOpen(CLI, paused.id, false)).ok).toBe(true);
    await course({
      titleVi: 'Lớp hết hạn',
      startDate: '2026-03-22',
      registrationDeadline: new Date('2026-03-02T07:00:00Z'),
    });
    await course({ titleVi: 'Lớp còn chỗ', startDate: '2026-03-23' });
    const { chat } = await memberChat();
    await chat.send('hoc nghe');
    expect(chat.buttons().slice(0, 4)).toEqual([
      'Lớp đầy · 20/03/2026 · Xã Dân Tiến · hết chỗ, còn danh sách chờ',
      'Lớp tạm dừng · 21/03/2026 · Xã Dân Tiến · tạm dừng nhận đăng ký',
      'Lớp hết hạn · 22/03/2026 · Xã Dân Tiến · đã hết hạn đăng ký',
      'Lớp còn chỗ · 23/03/2026 · Xã Dân Tiến',
    ]);
  });

  it('asks the phone once, with its reason: a skip is remembered at the next registration', async () => {
    await course({ titleVi: 'Lớp một', support: 'none' });
    await course({ titleVi: 'Lớp hai', support: 'none' });
    const { chat, member } = await memberChat({ phone: null });
    await openCourse(chat, 'Lớp một');
    await chat.tap('Đăng ký');
    await chat.tap('Đồng ý');
    expect(chat.text()).toContain('để cán bộ phụ trách lớp gọi cho chị khi cần');
    expect(chat.text()).toContain('lần sau em không hỏi lại nữa');
    await chat.tap('Bỏ qua');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Chị đã đăng ký lớp «Lớp một» thành công ạ');

    await openCourse(chat, 'Lớp hai');
    await chat.tap('Đăng ký');
    expect(chat.text()).not.toContain('số điện thoại');
    expect(chat.text()).toContain('Chị kiểm tra lại thông tin đăng ký học nghề ạ:');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Chị đã đăng ký lớp «Lớp hai» thành công ạ');
    expect((await rt.members.findById(member.id))?.phone).toBeNull();
  });

  it('her list is read again after "nhan cho": the taken offer shows as registered', async () => {
    const c = await course({ seats: 1 });
    const first = await person('first');
    await svc().register(first, c.id, { kind: 'none' });
    const { chat, member } = await memberChat();
    await svc().joinWaitingList(member, c.id, { kind: 'none' });
    await svc().cancelMine(first, (await registration(first, c.id))!.id);
    const offered = (await registration(member, c.id))!;
    expect(offered.status).toBe('offered');

    await chat.send('lớp học của tôi');
    expect(chat.buttons().find((b) => b.startsWith('Chế biến chè xanh'))).toContain('Có chỗ cho chị');
    await chat.send(`nhan cho ${offered.id}`);
    expect(chat.text()).toContain('Hội đã ghi nhận chị nhận chỗ.');
    expect(chat.buttons()).toEqual(['Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đã đăng ký', 'Về menu']);
  });

  it('the catalogue is read again when she comes back to it: a course that filled meanwhile is marked full', async () => {
    const c = await course({ seats: 1 });
    const { chat } = await memberChat();
    await chat.send('hoc nghe');
    expect(chat.buttons()[0]).toBe('Chế biến chè xanh · 20/03/2026 · Xã Dân Tiến');
    await svc().register(await person('other'), c.id, { kind: 'none' });
    // Back after a pause: the same page, read now.
    clock.advance(20 * 60_000);
    await chat.send('alo');
    expect(chat.buttons()[0]).toBe('Chế biến chè xanh · 20/03/2026 · Xã Dân Tiến · hết chỗ, còn danh sách chờ');
  });

  it('her list is read again when a registration she left it for ends ("Chuyển sang" then back)', async () => {
    const a = await course({ titleVi: 'Lớp A', support: 'none' });
    await course({ titleVi: 'Lớp B', support: 'none' });
    const { chat, member } = await memberChat();
    await svc().register(member, a.id, { kind: 'none' });
    await chat.send('lớp học của tôi');
    expect(chat.buttons()).toEqual(['Lớp A · 20/03/2026, Xã Dân Tiến · Đã đăng ký', 'Về menu']);
    await chat.send('co khoa hoc nao');
    await chat.tap('Chuyển sang: Xem các lớp học nghề');
    await chat.tap(chat.buttons().find((b) => b.startsWith('Lớp B'))!);
    await chat.tap('Đăng ký');
    await chat.tap('Đồng ý');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Chị đã đăng ký lớp «Lớp B» thành công ạ');
    expect(chat.text()).toContain('Mình quay lại việc chị đang làm dở nhé.');
    expect(chat.buttons()).toEqual([
      expect.stringMatching(/^Lớp [AB] · 20\/03\/2026, Xã Dân Tiến · Đã đăng ký$/),
      expect.stringMatching(/^Lớp [AB] · 20\/03\/2026, Xã Dân Tiến · Đã đăng ký$/),
      'Về menu',
    ]);
  });
});
