// The admin's and officer's course tools in the chat (issue 12, points 1, 4 and 6): an admin creates a course by the
// guided flow and it is in the catalogue members browse; the officer in charge sees her course, the registrants and
// the waiting list (names and phones only where the member consented), marks completion and records a three-month
// answer collected by phone; an admin cancels after a confirmation and everyone registered is told.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../src/domain/member.ts';
import type { Runtime } from '../../src/wiring.ts';
import { Chat, HOUR, realRuntime, TestClock } from '../helpers/chat.ts';

const DAY = 24 * HOUR;
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

let db: FreshDatabase;
let rt: Runtime;
const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma, clock);
});
afterEach(() => db.close());

async function consentedMember(userId: string, name: string, phone?: string): Promise<Chat> {
  const chat = new Chat(rt.bot, userId, 'telegram');
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send(name);
  await chat.send('Phan Dinh Phung');
  if (phone) await chat.send(phone);
  else await chat.tap('Bỏ qua');
  await chat.tap('Xác nhận');
  return chat;
}

const memberOf = async (userId: string): Promise<Member> =>
  (await rt.members.findById(
    (await db.prisma.member.findFirstOrThrow({ where: { channelUserId: userId } })).id,
  )) as Member;

describe('admin course tools in the chat', () => {
  it('an admin creates a course by the guided flow, and members see it in the catalogue', async () => {
    const admin = await consentedMember('boss', 'Hoàng Thị Quản');
    await rt.officers.assign((await memberOf('boss')).id, 'admin', ['*']);
    await admin.send('menu');
    await admin.tap('Tạo khóa học nghề');
    expect(admin.text()).toContain('Tên khóa học (tiếng Việt) là gì ạ?');
    await admin.send('Kỹ thuật chế biến chè');
    await admin.tap('Bỏ qua');
    await admin.tap('Chè (trồng, chế biến)');
    await admin.send('Trung tâm GDNN Thái Nguyên');
    await admin.send('gia sang');
    // A ward today and the former name of part of another: she picks.
    expect(admin.text()).toContain('Có 2 nơi mang tên này.');
    await admin.tap('Phường Gia Sàng');
    await admin.send('Nhà văn hóa tổ 5');
    await admin.send('1/3/2026');
    expect(admin.text()).toContain('Ngày này đã qua rồi ạ (hôm nay là 02/03/2026)');
    await admin.send('15/4/2026');
    await admin.send('10/4/2026');
    expect(admin.text()).toContain('Ngày kết thúc phải từ ngày khai giảng (15/04/2026) trở đi ạ.');
    await admin.send('30/4/2026');
    await admin.send('Thứ 2–6, 7h30–11h');
    await admin.send('0');
    await admin.send('20');
    await admin.send('20/4/2026');
    expect(admin.text()).toContain('Hạn đăng ký không được muộn hơn ngày khai giảng (15/04/2026) ạ.');
    await admin.send('17:00 10/4/2026');
    await admin.tap('Bỏ qua');
    await admin.tap('Có, theo Quyết định 46');
    await admin.tap('Bỏ qua');
    await admin.tap('Có');
    expect(admin.text()).toContain('• Hạn đăng ký: 17:00 10/04/2026');
    expect(admin.text()).toContain('• Xã/phường: Phường Gia Sàng');
    await admin.tap('Xác nhận');
    const course = await db.prisma.course.findFirstOrThrow();
    expect(admin.text()).toContain(`Đã tạo khóa học số ${course.id} ạ.`);
    expect(admin.text()).toContain('Thời gian: 15/04/2026 – 30/04/2026 (Thứ 2–6, 7h30–11h)');
    expect(admin.text()).toContain('Đã đăng ký: 0/20 chỗ');
    expect(admin.buttons()).toEqual(expect.arrayContaining(['Người đăng ký', 'Sửa', 'Khóa đăng ký', 'Hủy khóa học']));
    expect(course).toMatchObject({
      titleVi: 'Kỹ thuật chế biến chè',
      occupation: 'tea',
      communeCode: '05467',
      startDate: '2026-04-15',
      endDate: '2026-04-30',
      seats: 20,
      status: 'open',
      support: 'decision46',
      officerId: (await memberOf('boss')).id,
    });
    expect(course.registrationDeadline.toISOString()).toBe('2026-04-10T10:00:00.000Z');

    await consentedMember('lan', 'Nguyễn Thị Lan');
    const page = await rt.features.courses.service.browse(await memberOf('lan'), { occupation: null, page: 0 });
    expect(page.courses.map((c) => c.titleVi)).toEqual(['Kỹ thuật chế biến chè']);

    // Editing one field: the seats.
    await admin.tap('Sửa');
    await admin.tap('Số chỗ');
    await admin.send('25');
    expect(admin.text()).toContain('Đã lưu thay đổi ạ.');
    expect(admin.text()).toContain('Đã đăng ký: 0/25 chỗ');
  });
});

describe('officer course tools in the chat', () => {
  it('the officer in charge sees registrants and the waiting list, marks completion and records the answer', async () => {
    const officerChat = await consentedMember('off', 'Cán bộ Hoa');
    const officer = await memberOf('off');
    await rt.officers.assign(officer.id, 'officer', ['05467']);
    const service = rt.features.courses.service;
    const created = await rt.transactor.run(() =>
      service.create(
        { kind: 'cli', operator: 'cli' },
        {
          titleVi: 'May công nghiệp',
          titleEn: null,
          occupation: 'sewing',
          organiser: 'HTX May',
          communeCode: '05443',
          address: 'xóm 2',
          startDate: '2026-03-10',
          endDate: '2026-03-20',
          schedule: 'sáng',
          seats: 1,
          registrationDeadline: new Date('2026-03-09T10:00:00Z'),
          eligibilityNotes: null,
          support: 'none',
          officerId: officer.id,
          status: 'open',
        },
      ),
    );
    if (!created.ok) throw new Error('course not created');
    const courseId = created.value.id;
    await consentedMember('lan', 'Nguyễn Thị Lan', '0912345678');
    await consentedMember('mai', 'Trần Thị Mai', '0987654321');
    const lan = await memberOf('lan');
    const mai = await memberOf('mai');
    await rt.transactor.run(async () => {
      expect((await service.register(lan, courseId, { kind: 'none' })).kind).toBe('registered');
      expect((await service.joinWaitingList(mai, courseId, { kind: 'none' })).kind).toBe('waiting');
    });

    await officerChat.send('menu');
    await officerChat.tap('Khóa học nghề tôi phụ trách');
    expect(officerChat.text()).toContain(`Khóa học số ${courseId}: May công nghiệp`);
    expect(officerChat.buttons()).toContain('Người đăng ký');
    expect(officerChat.buttons()).not.toContain('Hủy khóa học');
    await officerChat.tap('Người đăng ký');
    const registration = await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: lan.id } });
    const text = officerChat.text();
    expect(text).toContain(`Danh sách đăng ký khóa học số ${courseId}: May công nghiệp`);
    expect(text).toContain(`#${registration.id} Nguyễn Thị Lan · 0912 345 678 · Phường Phan Đình Phùng`);
    expect(text).toContain('Danh sách chờ: 1 người');
    expect(text).toMatch(/Trần Thị Mai · 0987 654 321 · .* · chờ thứ 1/);
    // Before the course starts (10/03/2026) nothing is marked, and no answer is asked for: she has not completed it.
    await officerChat.tap('Vắng');
    expect(officerChat.text()).toContain(
      'Khóa học chưa khai giảng ạ: điểm danh (có mặt, vắng) ghi từ ngày khai giảng.',
    );
    await officerChat.send(`ghi ket qua ${registration.id}`);
    expect(officerChat.text()).toContain('Người này chưa hoàn thành khóa học nên chưa ghi kết quả sau 3 tháng được ạ.');
    expect(officerChat.buttons()).not.toContain('Có một phần');
    expect(await db.prisma.courseRegistration.findUniqueOrThrow({ where: { id: registration.id } })).toMatchObject({
      status: 'registered',
      attendedAt: null,
    });
    // On its first day she is marked absent, then (she came after all) present: reversible, shown in the list.
    clock.advance(8 * DAY);
    await officerChat.send(`vang ${registration.id}`);
    expect(officerChat.text()).toContain(`Đã ghi: Nguyễn Thị Lan (mã ${registration.id}) vắng ạ.`);
    expect(await db.prisma.courseRegistration.findUniqueOrThrow({ where: { id: registration.id } })).toMatchObject({
      status: 'absent',
      attendedAt: null,
    });
    await officerChat.send(`ds lop ${courseId}`);
    expect(officerChat.text()).toContain(`#${registration.id} Nguyễn Thị Lan: Vắng`);
    await officerChat.send(`hoan thanh ${registration.id}`);
    expect(officerChat.text()).toContain('Khóa học chưa kết thúc ạ: chỉ ghi hoàn thành từ ngày kết thúc khóa học.');
    await officerChat.send(`co mat ${registration.id}`);
    expect(officerChat.text()).toContain(`Đã ghi: Nguyễn Thị Lan (mã ${registration.id}) có đi học ạ.`);
    // After its last day (20/03/2026) completion is recorded.
    clock.advance(11 * DAY);
    await officerChat.send(`ds lop ${courseId}`);
    await officerChat.tap('Hoàn thành');
    expect(officerChat.text()).toContain(`Đã ghi: Nguyễn Thị Lan (mã ${registration.id}) hoàn thành khóa học ạ.`);
    expect(await db.prisma.courseRegistration.findUniqueOrThrow({ where: { id: registration.id } })).toMatchObject({
      status: 'completed',
    });

    // The three-month answer she gave on the phone.
    // On a channel without buttons she types the command shown with the list.
    await officerChat.send(`ds lop ${courseId}`);
    expect(officerChat.text()).toContain(`#${registration.id} Nguyễn Thị Lan: Hoàn thành`);
    await officerChat.tap('Ghi kết quả sau 3 tháng');
    await officerChat.tap('Có một phần');
    expect(officerChat.text()).toContain(`Đã ghi câu trả lời cho mã đăng ký ${registration.id}: Có một phần ạ.`);
    expect(await db.prisma.courseRegistration.findUniqueOrThrow({ where: { id: registration.id } })).toMatchObject({
      outcome: 'partly',
      outcomeSource: 'officer',
      outcomeChannel: 'officer',
    });

    // A member typing an officer's command is refused, and nothing changes.
    const maiChat = new Chat(rt.bot, 'mai', 'telegram');
    await maiChat.send(`hoan thanh ${registration.id}`);
    expect(maiChat.text()).toContain('Việc này dành cho cán bộ phụ trách khóa học ạ.');
    clock.advance(-19 * DAY); // back to 02/03/2026 for the next tests (one clock for the file)
  });

  it('an admin cancels a course after confirming, and each registered member is told', async () => {
    const admin = await consentedMember('boss', 'Hoàng Thị Quản');
    const boss = await memberOf('boss');
    await rt.officers.assign(boss.id, 'admin', ['*']);
    const service = rt.features.courses.service;
    const created = await rt.transactor.run(() =>
      service.create(
        { kind: 'member', member: { ...boss, role: 'admin' } },
        {
          titleVi: 'Nấu ăn',
          titleEn: null,
          occupation: 'cooking',
          organiser: 'Hội LHPN',
          communeCode: '05443',
          address: 'hội trường',
          startDate: '2026-03-10',
          endDate: '2026-03-20',
          schedule: 'chiều',
          seats: 5,
          registrationDeadline: new Date('2026-03-09T10:00:00Z'),
          eligibilityNotes: null,
          support: 'none',
          officerId: null,
          status: 'open',
        },
      ),
    );
    if (!created.ok) throw new Error('course not created');
    const id = created.value.id;
    await consentedMember('lan', 'Nguyễn Thị Lan');
    const lan = await memberOf('lan');
    await rt.transactor.run(() => service.register(lan, id, { kind: 'none' }));

    await admin.send(`lop ${id}`);
    await admin.tap('Hủy khóa học');
    expect(admin.text()).toContain(`Chị chắc chắn hủy khóa học số ${id} "Nấu ăn" không ạ? 1 người`);
    await admin.tap('Không hủy');
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id } })).status).toBe('open');
    await admin.send(`huy lop ${id}`);
    await admin.tap('Hủy khóa học');
    expect(admin.text()).toContain(`Đã hủy khóa học số ${id}. Em đang báo cho 1 người`);
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
    expect(await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: lan.id } })).toMatchObject({
      status: 'cancelled',
      cancelReason: 'courseCancelled',
    });
    // She is told once, through the outbox (her own replies aside).
    const told = await db.prisma.notification.findMany({ where: { recipientId: lan.id, kind: { not: 'reply' } } });
    expect(told.filter((n) => JSON.stringify(n.messages).includes('Nấu ăn'))).toHaveLength(1);
  });
});
