// Members' own words for the courses, typed at the menu on the real runtime (SQLite, every feature): where she lands.
// Cancelling in everyday words ("cho em huy dang ky lop hoc", "rút tên khỏi danh sách chờ") opens the cancellation's
// confirmation and then names her course; asking when or where her class is opens her registrations; near-misses
// (a loan for studying, a child's school, deleting her data) stay with their own features. The labelled sets score
// the words alone: test/domain/understanding/heldout.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../../src/domain/member.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { Chat, realRuntime, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { courseMember, createCourse, DAN_TIEN } from '../../helpers/courses.ts';

let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;
let officer: Member;

beforeEach(async () => {
  db = await freshDatabase();
  // 2026-03-02 15:00 in Asia/Ho_Chi_Minh.
  clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
  rt = realRuntime(db.prisma, clock);
  officer = await courseMember(rt, 'console', 'officer', clock.now(), { displayName: 'Chị Hoa', role: 'officer' });
  await rt.officers.assign(officer.id, 'officer', [DAN_TIEN]);
});
afterEach(async () => {
  await rt.jobs.stop();
  await db.close();
});

/** A consenting member with a profile, on the console, and her chat. */
async function memberChat(userId: string): Promise<{ chat: Chat; member: Member }> {
  const member = await courseMember(rt, 'console', userId, clock.now());
  return { chat: new Chat(rt.bot, userId, 'console'), member };
}

const statusOf = async (member: Member, courseId: number) =>
  (await db.prisma.courseRegistration.findFirst({ where: { memberId: member.id, courseId } }))?.status;

const ASK_CANCEL = 'chị muốn hủy đăng ký lớp học phải không ạ?';
const NAMED_CANCEL = 'Chị chắc chắn muốn hủy đăng ký lớp «Chế biến chè xanh» không ạ?';

describe('cancelling in her own words', () => {
  it('"cho em huy dang ky lop hoc": the confirmation, then her course by name; cancelled only when she confirms', async () => {
    const course = await createCourse(rt, officer.id);
    const { chat, member } = await memberChat('lan');
    await rt.features.courses.service.register(member, course.id, { kind: 'none' });

    await chat.send('cho em huy dang ky lop hoc');
    expect(chat.text()).toContain(ASK_CANCEL);
    expect(chat.buttons()).toEqual(['Vâng, hủy đăng ký', 'Không phải']);
    expect(await statusOf(member, course.id)).toBe('registered');
    await chat.tap('Vâng, hủy đăng ký');
    expect(chat.text()).toContain(NAMED_CANCEL);
    await chat.tap('Có, hủy đăng ký');
    expect(chat.text()).toContain('Em đã hủy đăng ký lớp «Chế biến chè xanh» của chị ạ.');
    expect(await statusOf(member, course.id)).toBe('cancelled');
  });

  it('other everyday ways of saying it open the same confirmation, and "Không phải" cancels nothing', async () => {
    const course = await createCourse(rt, officer.id);
    const { chat, member } = await memberChat('mai');
    await rt.features.courses.service.register(member, course.id, { kind: 'none' });
    for (const typed of [
      'em đăng ký lớp may rồi nhưng giờ không đi được',
      'e ko tham gia dc khoa hoc nua',
      'huỷ đăng ký khoá học',
      'em xin thôi học',
      'hủy lớp làm bánh giúp em',
      'I cannot attend the course any more',
    ]) {
      await chat.send(typed);
      expect(chat.text(), typed).toContain(ASK_CANCEL);
      await chat.tap('Không phải');
      expect(chat.text(), typed).toContain('Vâng ạ, em không hủy gì cả.');
    }
    expect(await statusOf(member, course.id)).toBe('registered');
  });

  it('"rút tên khỏi danh sách chờ": her place on the waiting list, by name', async () => {
    const course = await createCourse(rt, officer.id, { seats: 1 });
    const first = await courseMember(rt, 'console', 'first', clock.now());
    await rt.features.courses.service.register(first, course.id, { kind: 'none' });
    const { chat, member } = await memberChat('hoa');
    await rt.features.courses.service.joinWaitingList(member, course.id, { kind: 'none' });

    await chat.send('cho em rút tên khỏi danh sách chờ');
    expect(chat.text()).toContain(ASK_CANCEL);
    await chat.tap('Vâng, hủy đăng ký');
    expect(chat.text()).toContain(NAMED_CANCEL);
    await chat.tap('Có, hủy đăng ký');
    expect(await statusOf(member, course.id)).toBe('cancelled');
    expect(await statusOf(first, course.id)).toBe('registered');
  });
});

describe('asking about her class', () => {
  it('"lop may cua em bat dau hom nao": her registrations, and the start date in the details', async () => {
    const course = await createCourse(rt, officer.id);
    const { chat, member } = await memberChat('thu');
    await rt.features.courses.service.register(member, course.id, { kind: 'none' });

    for (const typed of ['lop may cua em bat dau hom nao', 'em dc nhan vao lop chua', 'lớp em học ở đâu']) {
      await chat.send(typed);
      expect(chat.text(), typed).toContain('Các lớp học của chị.');
      expect(chat.buttons()[0], typed).toBe('Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đã đăng ký');
      await chat.command('menu');
    }
    await chat.send('lop may cua em bat dau hom nao');
    await chat.tap('Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đã đăng ký');
    expect(chat.text()).toContain('Thời gian: 20/03/2026 – 10/04/2026');
    expect(chat.text()).toContain('Nơi học: Nhà văn hóa xóm 3, Xã Dân Tiến');
  });

  it('her place on the waiting list', async () => {
    const course = await createCourse(rt, officer.id, { seats: 1 });
    const first = await courseMember(rt, 'console', 'first', clock.now());
    await rt.features.courses.service.register(first, course.id, { kind: 'none' });
    const { chat, member } = await memberChat('ngoc');
    await rt.features.courses.service.joinWaitingList(member, course.id, { kind: 'none' });

    await chat.send('em đứng thứ mấy trong danh sách chờ');
    expect(chat.buttons()[0]).toBe('Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đang chờ, vị trí số 1');
  });
});

describe('near-misses stay with their own features', () => {
  it("a loan for studying, a child's school, deleting her data; browsing is browsing", async () => {
    await createCourse(rt, officer.id);
    const { chat, member } = await memberChat('linh');
    const cases: [typed: string, sees: string][] = [
      ['co khoa hoc nao', 'Các lớp học nghề sắp mở'],
      ['em muốn ghi danh lớp học nghề', 'Các lớp học nghề sắp mở'],
      ['vay vốn học nghề', 'Chị cần vay vốn để làm gì?'],
      ['xoa het du lieu cua em', 'Chị có chắc muốn xóa toàn bộ thông tin Hội đang lưu về chị'],
    ];
    for (const [typed, sees] of cases) {
      await chat.send(typed);
      expect(chat.text(), typed).toContain(sees);
      expect(chat.text(), typed).not.toContain(ASK_CANCEL);
      await chat.command('menu');
    }
    for (const typed of ['con em học lớp mấy', 'khi nào con khai giảng']) {
      await chat.send(typed);
      expect(chat.text(), typed).not.toContain('Các lớp học của chị');
      expect(chat.text(), typed).not.toContain('Các lớp học nghề sắp mở');
      expect(chat.text(), typed).not.toContain(ASK_CANCEL);
    }
    // Nothing was erased or cancelled by the words alone.
    expect(await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      displayName: member.displayName,
    });
  });
});
