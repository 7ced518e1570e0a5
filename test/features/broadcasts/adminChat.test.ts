// The admin's broadcasts in the chat (issue 14, points 1 and 4), on the real bot and SQLite: "Gửi thông báo" composed
// with Vietnamese and English texts, a course's registration button and a commune segment; the live audience size; the
// preview as members get it (the texts and the button she sees); the confirmation; the deliveries written for the
// members of that commune who receive announcements (and only them), each in her language. The second admin's
// approval (both decisions, by buttons), cancelling after a confirmation, a typed schedule and a past time refused,
// the progress view and the list of recent ones.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsentRepository } from '../../../src/data/consentRepository.ts';
import type { Member } from '../../../src/domain/member.ts';
import { DEFAULT_BROADCAST_SETTINGS } from '../../../src/features/broadcasts/service.ts';
import { createRuntime, type Runtime } from '../../../src/wiring.ts';
import { AREAS_FILE, Chat, HOUR, realRuntime, silentLogger, TestClock, UNLIMITED_RATES } from '../../helpers/chat.ts';
import { tempFilesDir } from '../../helpers/photos.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';

let db: FreshDatabase;
let rt: Runtime;
// 13:00 on Monday 7 December 2026 in Vietnam (inside the quiet-hours window 07:00–21:00).
const clock = new TestClock(new Date('2026-12-07T06:00:00Z'));

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma, clock);
});
afterEach(() => db.close());

/** The runtime with BROADCAST_APPROVAL_THRESHOLD 1. */
function lowThresholdRuntime(): Runtime {
  return createRuntime({
    prisma: db.prisma,
    logger: silentLogger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: 24 * HOUR,
    clock,
    files: { dir: tempFilesDir() },
    outbox: { rates: UNLIMITED_RATES },
    broadcasts: { ...DEFAULT_BROADCAST_SETTINGS, approvalThreshold: 1 },
  });
}

/** What the outbox holds for a member (the rendered texts of her notifications, oldest first), joined. */
async function pushedTo(userId: string): Promise<string> {
  const m = await memberOf(userId);
  const rows = await db.prisma.notification.findMany({ where: { recipientId: m.id }, orderBy: { createdAt: 'asc' } });
  return rows.map((r) => JSON.stringify(r.messages)).join('\n');
}

const memberOf = async (userId: string): Promise<Member> =>
  (await rt.members.findById(
    (await db.prisma.member.findFirstOrThrow({ where: { channelUserId: userId } })).id,
  )) as Member;

/**
 * A member who consented, in Phan Đình Phùng (05443) unless told, on the console channel (the test harness), with her announcements decision (given
 * unless told); stored directly (first contact has its own tests), her chat ready to talk to the bot.
 */
async function member(
  userId: string,
  name: string,
  opts: { commune?: string; language?: 'vi' | 'en'; announcements?: boolean; role?: 'admin' } = {},
): Promise<Chat> {
  const m = await db.prisma.member.create({
    data: {
      channel: 'console',
      channelUserId: userId,
      displayName: name,
      language: opts.language ?? 'vi',
      communeCode: opts.commune ?? '05443',
      consentAt: clock.now(),
      lastInboundAt: clock.now(),
      role: opts.role ?? 'member',
    },
  });
  const consents = createConsentRepository(db.prisma);
  if (opts.announcements === false) await consents.withdraw(m.id, 'announcements', clock.now());
  else await consents.give(m.id, 'announcements', clock.now());
  return new Chat(rt.bot, userId, 'console');
}

async function admin(userId: string, name: string): Promise<Chat> {
  const chat = await member(userId, name, { role: 'admin' });
  // The photo question stores photos: the engine asks the "photos" purpose first (given here, asked elsewhere).
  await createConsentRepository(db.prisma).give((await memberOf(userId)).id, 'photos', clock.now());
  return chat;
}

async function openCourse(): Promise<number> {
  const course = await db.prisma.course.create({
    data: {
      titleVi: 'Kỹ thuật chế biến chè',
      titleEn: 'Tea processing',
      occupation: 'tea',
      organiser: 'Trung tâm GDNN',
      communeCode: '05443',
      address: 'Nhà văn hóa tổ 5',
      startDate: '2027-01-15',
      endDate: '2027-01-30',
      schedule: 'Thứ 2–6',
      seats: 20,
      registrationDeadline: new Date('2027-01-10T10:00:00Z'),
      support: 'decision46',
      status: 'open',
      officerId: (await db.prisma.member.findFirstOrThrow()).id,
    },
  });
  return course.id;
}

/** Composes up to the audience question: Vietnamese, English, no photo, the given button. */
async function composeTexts(chat: Chat, vi: string | null, en: string | null, button = 'Không có nút'): Promise<void> {
  await chat.send('menu');
  await chat.tap('Gửi thông báo');
  expect(chat.text()).toContain('Nội dung thông báo bằng tiếng Việt là gì ạ?');
  if (vi === null) await chat.tap('Bỏ qua');
  else await chat.send(vi);
  if (en === null) await chat.tap('Bỏ qua');
  else await chat.send(en);
  await chat.tap('Bỏ qua'); // no photo
  await chat.tap(button);
}

describe('"Gửi thông báo" in the admin chat', () => {
  it('composes vi + en with a course button and a commune; the preview, the size, and deliveries only to that commune', async () => {
    const boss = await admin('boss', 'Hoàng Thị Quản');
    await member('lan', 'Lê Thị Lan');
    await member('anna', 'Anna Smith', { language: 'en' });
    await member('mai', 'Trần Thị Mai', { commune: '05467' });
    await member('dung', 'Phạm Văn Dũng', { announcements: false });
    const courseId = await openCourse();

    await composeTexts(
      boss,
      'Lớp chè mới khai giảng 15/1, đăng ký ngay!',
      'New tea course from 15 Jan, register now!',
      'Đăng ký một khóa học',
    );
    expect(boss.text()).toContain('Nút đăng ký cho khóa học nào ạ?');
    await boss.tap(`#${courseId} Kỹ thuật chế biến chè`);
    // Everyone first: the three members who receive announcements (admins are not members' audience); Dũng stopped them.
    // A heading line, then one bullet per condition.
    expect(boss.text()).toContain('Người nhận:\n• tất cả hội viên nhận thông báo\n\nSố người nhận: 3');
    expect(boss.text()).toContain('Số người nhận: 3');
    expect(boss.text()).toContain('Đã tắt thông báo (không nằm trong danh sách): 1');
    await boss.tap('Theo xã/phường');
    await boss.send('phan dinh phung');
    expect(boss.text()).toContain('Người nhận:\n• Xã/phường: Phường Phan Đình Phùng\n');
    expect(boss.text()).toContain('Số người nhận: 2');
    expect(boss.text()).toContain('Theo kênh: Console: 2');
    expect(boss.text()).toContain('Chưa nhắn tới được lúc này: 0');
    await boss.tap('Xong');
    await boss.tap('Gửi ngay');
    expect(boss.text()).toContain('trong khung giờ 07:00–21:00');
    await boss.tap('Không');
    // The preview, as members get it: in Vietnamese and in English, with the course's button.
    const said = boss.text();
    expect(said).toContain('Xem trước — hội viên dùng Tiếng Việt sẽ nhận đúng như sau:');
    expect(said).toContain('Lớp chè mới khai giảng 15/1, đăng ký ngay!');
    expect(said).toContain('Xem trước — hội viên dùng Tiếng Anh sẽ nhận đúng như sau:');
    expect(said).toContain('New tea course from 15 Jan, register now!');
    // The button is named, never drawn with a made-up number ("tb 0" on the console: the broadcast has none yet).
    expect(said).toContain('Dưới thông báo có nút “Đăng ký lớp này”.');
    expect(boss.buttons()).not.toContain('Đăng ký lớp này');
    expect(said).not.toMatch(/tb 0/);
    expect(said).toContain('• Nút bấm: Đăng ký khóa học #');
    // The summary's audience: its heading bullet, then the conditions under it.
    expect(said).toContain('• Người nhận:\n   – Xã/phường: Phường Phan Đình Phùng\n');
    expect(said).toContain('• Gửi: ngay khi xác nhận');
    expect(boss.buttons()).toEqual(expect.arrayContaining(['Xác nhận gửi', 'Sửa', 'Hủy']));
    // Editing one part comes back to the preview, the rest kept.
    await boss.tap('Sửa');
    await boss.tap('Người nhận');
    expect(boss.text()).toContain('Số người nhận: 2');
    await boss.tap('Xong');
    expect(boss.text()).toContain('Lớp chè mới khai giảng 15/1, đăng ký ngay!');
    expect(boss.text()).toContain('• Gửi: ngay khi xác nhận');
    expect(await db.prisma.broadcast.count()).toBe(0);
    await boss.tap('Xác nhận gửi');
    const broadcast = await db.prisma.broadcast.findFirstOrThrow();
    expect(boss.text()).toContain(`Đã bắt đầu gửi đợt thông báo #${broadcast.id} ạ.`);
    expect(boss.buttons()).toEqual(expect.arrayContaining(['Xem tiến độ', 'Dừng gửi']));
    expect(broadcast.texts).toEqual({
      vi: 'Lớp chè mới khai giảng 15/1, đăng ký ngay!',
      en: 'New tea course from 15 Jan, register now!',
    });
    expect(broadcast.button).toEqual({ target: 'courseRegister', courseId });
    expect(broadcast.audience).toEqual({ communes: ['05443'] });

    // The preparing job writes one delivery per recipient: the commune's members who receive announcements.
    for (let i = 0; i < 5 && (await rt.jobs.runDue()) > 0; i++);
    const deliveries = await db.prisma.broadcastDelivery.findMany({ include: { member: true } });
    const byName = Object.fromEntries(deliveries.map((d) => [d.member.displayName, d.language]));
    expect(byName).toEqual({ 'Lê Thị Lan': 'vi', 'Anna Smith': 'en' });

    // The progress, with Refresh and Cancel; and the list of recent ones.
    await boss.tap('Xem tiến độ');
    expect(boss.text()).toContain(`Đợt thông báo #${broadcast.id}`);
    expect(boss.text()).toContain('Tổng số người nhận: 2');
    expect(boss.buttons()).toEqual(expect.arrayContaining(['Cập nhật']));
    await boss.send('menu');
    await boss.tap('Thông báo đã gửi');
    expect(boss.text()).toContain('Các đợt thông báo gần đây:');
    expect(boss.buttons()).toContain(`#${broadcast.id}`);
  });

  it('schedules at a typed time, refuses a past one, and cancels after a confirmation', async () => {
    const boss = await admin('boss', 'Hoàng Thị Quản');
    await member('lan', 'Lê Thị Lan');
    await composeTexts(boss, 'Họp chi hội tối nay', null);
    await boss.tap('Xong');
    await boss.tap('Hẹn giờ gửi');
    await boss.send('9h hôm nay');
    expect(boss.text()).toContain('Thời gian này đã qua rồi ạ (bây giờ là 13:00 07/12/2026)');
    await boss.send('thứ bảy nhé');
    expect(boss.text()).toContain('Em chưa hiểu thời gian này ạ.');
    await boss.send('mai 7h');
    await boss.tap('Không');
    expect(boss.text()).toContain('• Gửi lúc: 07:00 sáng mai, 08/12');
    expect(boss.text()).not.toContain('Xem trước — hội viên dùng Tiếng Anh');
    await boss.tap('Xác nhận gửi');
    const broadcast = await db.prisma.broadcast.findFirstOrThrow();
    expect(boss.text()).toContain(`Đã hẹn gửi đợt thông báo #${broadcast.id} lúc 07:00 sáng mai, 08/12 ạ.`);
    expect(broadcast.status).toBe('scheduled');

    await boss.tap('Dừng gửi');
    expect(boss.text()).toContain(`Dừng gửi đợt thông báo #${broadcast.id}?`);
    await boss.tap('Không, tiếp tục');
    expect(boss.text()).toContain(`Đợt thông báo #${broadcast.id} vẫn tiếp tục ạ.`);
    await boss.send(`dung tb ${broadcast.id}`);
    await boss.tap('Dừng gửi');
    expect(boss.text()).toContain(`Đã dừng đợt thông báo #${broadcast.id} ạ.`);
    expect((await db.prisma.broadcast.findFirstOrThrow()).status).toBe('cancelled');
    // Cancelling again is refused, clearly.
    await boss.send(`dung tb ${broadcast.id}`);
    expect(boss.text()).toContain('Không làm được vì đợt thông báo đang ở trạng thái "Đã dừng" ạ.');
  });

  it('over the threshold, another admin approves or rejects it with the buttons; her own approval is refused', async () => {
    // BROADCAST_APPROVAL_THRESHOLD 1 for this test: an audience of 2 needs a second admin.
    rt = lowThresholdRuntime();
    const boss = await admin('boss', 'Hoàng Thị Quản');
    const second = await admin('hai', 'Nguyễn Văn Hai');
    await member('lan', 'Lê Thị Lan');
    await member('mai', 'Trần Thị Mai');
    await composeTexts(boss, 'Cảnh báo bão số 5', null);
    await boss.tap('Xong');
    await boss.tap('Gửi ngay');
    await boss.tap('Có');
    expect(boss.text()).toContain('• Khẩn: gửi cả ngoài khung giờ 07:00–21:00');
    expect(boss.text()).toContain('• Trên 1 người nhận: cần một quản trị viên khác duyệt');
    await boss.tap('Xác nhận gửi');
    const first = await db.prisma.broadcast.findFirstOrThrow();
    expect(first.status).toBe('awaitingApproval');
    expect(boss.text()).toContain(
      `Đợt thông báo #${first.id} có hơn 1 người nhận nên cần duyệt: em đã gửi cho 1 quản trị viên khác.`,
    );
    // Her own approval is refused; the other admin's request (through the outbox) carries the buttons.
    await boss.send(`duyet tb ${first.id}`);
    expect(boss.text()).toContain('Thông báo do chị/anh soạn cần một quản trị viên khác duyệt ạ.');
    const request = await pushedTo('hai');
    expect(request).toContain('Cảnh báo bão số 5');
    await second.deliver({ kind: 'choice', data: `!bcApprove:${first.id}` });
    expect(second.text()).toContain(`Đã duyệt đợt thông báo #${first.id} ạ.`);
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: first.id } })).status).not.toBe(
      'awaitingApproval',
    );
    // Deciding twice: the first decision stands.
    await second.deliver({ kind: 'choice', data: `!bcReject:${first.id}` });
    expect(second.text()).toContain('Không làm được vì đợt thông báo đang ở trạng thái');

    // A second one, rejected with a reason.
    await composeTexts(boss, 'Họp chi hội', null);
    await boss.tap('Xong');
    await boss.tap('Gửi ngay');
    await boss.tap('Không');
    await boss.tap('Xác nhận gửi');
    const other = await db.prisma.broadcast.findFirstOrThrow({ where: { id: { not: first.id } } });
    await second.deliver({ kind: 'choice', data: `!bcReject:${other.id}` });
    expect(second.text()).toContain(`Lý do từ chối đợt thông báo #${other.id} là gì ạ?`);
    await second.send('Trùng lịch họp huyện');
    expect(second.text()).toContain(`Đã từ chối đợt thông báo #${other.id}; người soạn đã được báo ạ.`);
    const rejected = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: other.id } });
    expect(rejected).toMatchObject({ status: 'rejected', note: 'Trùng lịch họp huyện' });
  });

  it('a plain member is told these commands are for admins', async () => {
    const lan = await member('lan', 'Lê Thị Lan');
    await lan.send('duyet tb 1');
    expect(lan.text()).toContain('Chức năng này chỉ dành cho quản trị viên ạ.');
  });

  it('asks about Zalo promotion messages only when they are on and some recipients are outside the window', async () => {
    rt = createRuntime({
      prisma: db.prisma,
      logger: silentLogger,
      areasFile: AREAS_FILE,
      defaultLanguage: 'vi',
      conversationTimeoutMs: 24 * HOUR,
      clock,
      files: { dir: tempFilesDir() },
      outbox: { rates: UNLIMITED_RATES },
      broadcasts: {
        ...DEFAULT_BROADCAST_SETTINGS,
        promotion: { ...DEFAULT_BROADCAST_SETTINGS.promotion, enabled: true, dailyQuota: 100 },
      },
    });
    const boss = await admin('boss', 'Hoàng Thị Quản');
    await member('lan', 'Lê Thị Lan');
    await member('zmai', 'Trần Thị Mai');
    await db.prisma.member.update({
      where: { channel_channelUserId: { channel: 'console', channelUserId: 'zmai' } },
      data: { channel: 'zalo', lastInboundAt: new Date(clock.now().getTime() - 10 * 24 * HOUR) },
    });
    await composeTexts(boss, 'Hội chợ nông sản chủ nhật', null);
    expect(boss.text()).toContain('Chưa nhắn tới được lúc này: 1 (đã chặn bot/bỏ quan tâm: 0; Zalo quá 7 ngày: 1)');
    await boss.tap('Xong');
    await boss.tap('Gửi ngay');
    await boss.tap('Không');
    expect(boss.text()).toContain('1 người nhận dùng Zalo nhưng đã quá 7 ngày không nhắn cho Hội');
    expect(boss.text()).toContain('trong khung giờ 08:00–22:00, mỗi người tối đa một tin mỗi ngày');
    await boss.tap('Có');
    expect(boss.text()).toContain('• Người dùng Zalo quá 7 ngày: gửi bằng tin truyền thông');
    await boss.tap('Xác nhận gửi');
    expect((await db.prisma.broadcast.findFirstOrThrow()).zaloOutsideWindow).toBe('promotion');
  });
});

describe("what the admin sees (the tester's round: each input stands for a kind)", () => {
  const start = clock.now();
  /** Moves the shared clock to a local time in Vietnam (UTC+7) on 7 December 2026; put back after each test. */
  const setLocal = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    const target = Date.UTC(2026, 11, 7, h - 7, m);
    clock.advance(target - clock.now().getTime());
  };
  afterEach(() => clock.advance(start.getTime() - clock.now().getTime()));

  it('keeps her line breaks (paragraphs, a list) in the text members get; spaces tidied within each line', async () => {
    const boss = await admin('boss', 'Hoàng Thị Quản');
    await member('lan', 'Lê Thị Lan');
    await composeTexts(
      boss,
      '  Họp chi hội   tháng 12:\r\n\n\n\n- Thời gian: 8h thứ Bảy\n- Địa điểm:  nhà văn hóa  \n\n',
      null,
    );
    await boss.tap('Xong');
    await boss.tap('Gửi ngay');
    await boss.tap('Không');
    expect(boss.text()).toContain('Họp chi hội tháng 12:\n\n- Thời gian: 8h thứ Bảy\n- Địa điểm: nhà văn hóa');
    await boss.tap('Xác nhận gửi');
    const broadcast = await db.prisma.broadcast.findFirstOrThrow();
    expect(broadcast.texts).toEqual({
      vi: 'Họp chi hội tháng 12:\n\n- Thời gian: 8h thứ Bảy\n- Địa điểm: nhà văn hóa',
    });
  });

  it('an admin who never decided on "photos" is not asked the members\' photo consent: the text, then the photo question at its step', async () => {
    const boss = await member('boss', 'Hoàng Thị Quản', { role: 'admin' });
    await boss.send('menu');
    await boss.tap('Gửi thông báo');
    expect(boss.text()).not.toContain('Hội cần lưu');
    expect(boss.text()).toContain('Nội dung thông báo bằng tiếng Việt là gì ạ?');
    await boss.send('Họp chi hội');
    await boss.tap('Bỏ qua');
    expect(boss.text()).toContain('Gửi kèm một ảnh không ạ?');
    expect(boss.text()).not.toContain('Hội cần lưu');
    expect(await db.prisma.memberConsent.count({ where: { purpose: 'photos' } })).toBe(0);
  });

  it('a text over 2,000 characters, or spaces only, is told why — also after a pause', async () => {
    const boss = await admin('boss', 'Hoàng Thị Quản');
    await boss.send('menu');
    await boss.tap('Gửi thông báo');
    await boss.send('a'.repeat(2001));
    expect(boss.text()).toContain('Câu trả lời quá dài (tối đa 2000 ký tự)');
    clock.advance(HOUR); // a pause: words that fit no question would get "Mình đang dở câu hỏi này"
    await boss.send('b '.repeat(1500));
    expect(boss.text()).toContain('Câu trả lời quá dài (tối đa 2000 ký tự)');
    expect(boss.text()).not.toContain('Mình đang dở câu hỏi này');
    clock.advance(HOUR);
    await boss.send('    ');
    expect(boss.text()).toContain('Tin nhắn trống');
    expect(boss.text()).not.toContain('Mình đang dở câu hỏi này');
  });

  it('"now" at 21:55 (not urgent): the summary and the confirmation say sending starts at 07:00 tomorrow morning', async () => {
    setLocal('21:55');
    const boss = await admin('boss', 'Hoàng Thị Quản');
    await member('lan', 'Lê Thị Lan');
    await composeTexts(boss, 'Họp chi hội sáng mai', null);
    await boss.tap('Xong');
    await boss.tap('Gửi ngay');
    await boss.tap('Không');
    expect(boss.text()).toContain(
      '• Gửi: khi xác nhận — đang ngoài khung giờ 07:00–21:00 nên bắt đầu gửi lúc 07:00 sáng mai, 08/12',
    );
    await boss.tap('Xác nhận gửi');
    const b = await db.prisma.broadcast.findFirstOrThrow();
    expect(boss.text()).toContain(
      `Đã xác nhận đợt thông báo #${b.id}. Bây giờ ngoài khung giờ 07:00–21:00 nên sẽ bắt đầu gửi lúc 07:00 sáng mai, 08/12 ạ.`,
    );
    expect(boss.text()).not.toContain('Đã bắt đầu gửi');
    // Before its deliveries are written, the size counted at confirmation.
    await boss.send(`tien do tb ${b.id}`);
    expect(boss.text()).toContain('Tổng số người nhận: ≈ 1 (tính lúc xác nhận)');
  });

  it('a time alone that has passed today is tomorrow, said so; a scheduled time in quiet hours says when it starts', async () => {
    await member('lan', 'Lê Thị Lan');
    for (const [now, typed, summary] of [
      ['21:51', '7h sáng', '• Gửi lúc: 07:00 sáng mai, 08/12'],
      ['06:30', '7h sáng', '• Gửi lúc: 07:00 sáng nay, 07/12'],
      ['13:00', '9h', '• Gửi lúc: 09:00 sáng mai, 08/12'],
      ['13:00', '18h', '• Gửi lúc: 18:00 tối nay, 07/12'],
      [
        '13:00',
        '22h',
        '• Hẹn gửi: 22:00 tối nay, 07/12 — ngoài khung giờ 07:00–21:00 nên bắt đầu gửi lúc 07:00 sáng mai, 08/12',
      ],
    ] as const) {
      setLocal(now);
      const boss = await admin(`boss${now}${typed}`, 'Hoàng Thị Quản');
      await composeTexts(boss, 'Họp chi hội', null);
      await boss.tap('Xong');
      await boss.tap('Hẹn giờ gửi');
      await boss.send(typed);
      await boss.tap('Không');
      expect(boss.text(), `${typed} at ${now}`).toContain(summary);
      await boss.tap('Hủy');
    }
    // Confirmed: the scheduled one's progress shows the size counted at confirmation.
    setLocal('13:00');
    const boss = await admin('boss', 'Hoàng Thị Quản');
    await composeTexts(boss, 'Họp chi hội', null);
    await boss.tap('Xong');
    await boss.tap('Hẹn giờ gửi');
    await boss.send('22h');
    await boss.tap('Không');
    await boss.tap('Xác nhận gửi');
    const b = await db.prisma.broadcast.findFirstOrThrow({ where: { status: 'scheduled' } });
    expect(boss.text()).toContain(
      `Đã hẹn đợt thông báo #${b.id} lúc 22:00 tối nay, 07/12. Giờ đó ngoài khung giờ 07:00–21:00 nên sẽ bắt đầu gửi lúc 07:00 sáng mai, 08/12 ạ.`,
    );
    await boss.tap('Xem tiến độ');
    expect(boss.text()).toContain('Tổng số người nhận: ≈ 1 (tính lúc xác nhận)');
  });
});
