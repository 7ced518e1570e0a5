// The courses service as the chat, the admin CLI and the jobs call it, on the real runtime (SQLite): what members and
// officers are told (the outbox rows, as rendered), the rows stored. Offers (first waiting, accept, lapse with an
// injected clock, undeliverable → the officer with her phone), the working-age rule, once per person, the deadline,
// cancelled and changed courses (each member told once), the day-before reminder exactly once across a restart, the
// three-month question once per completion, the officer's hourly batch, erasure, and the report's counts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName, OutboundMessage } from '../../../src/conversation/messages.ts';
import type { CourseInput, SupportDecision } from '../../../src/domain/courses.ts';
import type { Member } from '../../../src/domain/member.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { Chat, HOUR, realRuntime, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { deliveryFrom } from '../../helpers/fakes.ts';

const DAN_TIEN = '05755';
const CLI = { kind: 'cli', operator: 'test' } as const;
const SUPPORT: SupportDecision = { kind: 'group', group: 'nearPoor', vnd: 2_500_000 };
const DAY = 24 * HOUR;

let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;
let officer: Member;
let seq = 0;

function connect(runtime: Runtime) {
  for (const channel of ['telegram', 'zalobot'] as ChannelName[]) {
    runtime.bot.connect(
      channel,
      deliveryFrom(async () => 'sent'),
    );
  }
}

beforeEach(async () => {
  db = await freshDatabase();
  // 2026-03-02 15:00 in Asia/Ho_Chi_Minh.
  clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
  rt = realRuntime(db.prisma, clock);
  connect(rt);
  officer = await person('Chị Hoa', { role: 'officer' });
  await rt.officers.assign(officer.id, 'officer', [DAN_TIEN]);
});
afterEach(async () => {
  await rt.jobs.stop();
  await db.close();
});

/** A member on Telegram (reachable) unless told otherwise; Zalo with no recent message is outside its window. */
async function person(name: string, patch: Partial<Member> = {}, channel: ChannelName = 'telegram'): Promise<Member> {
  const created = await rt.members.create({ channel, channelUserId: `p${++seq}`, language: 'vi' });
  return rt.members.update(created.id, {
    displayName: name,
    communeCode: DAN_TIEN,
    consentAt: clock.now(),
    birthYear: 1990,
    ...patch,
  });
}

function courseInput(over: Partial<CourseInput> = {}): CourseInput {
  return {
    titleVi: 'Chế biến chè xanh',
    titleEn: 'Green tea processing',
    occupation: 'tea',
    organiser: 'Trung tâm GDNN-GDTX Đại Từ',
    communeCode: DAN_TIEN,
    address: 'Nhà văn hóa xóm 3',
    startDate: '2026-03-20',
    endDate: '2026-04-10',
    schedule: 'Thứ 2–6, 7:30–11:00',
    seats: 1,
    registrationDeadline: new Date('2026-03-15T10:00:00Z'),
    eligibilityNotes: null,
    support: 'decision46',
    officerId: officer.id,
    status: 'open',
    ...over,
  };
}

async function course(over: Partial<CourseInput> = {}) {
  const created = await rt.features.courses.service.create(CLI, courseInput(over));
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.value;
}

/** What she was told about courses, oldest first: each message's text, with its buttons' labels. */
async function told(member: Member): Promise<string[]> {
  const rows = await db.prisma.notification.findMany({
    where: { recipientId: member.id, kind: 'course' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.flatMap((row) =>
    (row.messages as unknown as OutboundMessage[]).map((m) =>
      m.kind === 'choices'
        ? `${m.text} [${m.choices.map((c) => c.label).join(' | ')}]`
        : m.kind === 'text'
          ? m.text
          : '',
    ),
  );
}

async function statusOf(member: Member, courseId: number) {
  return (await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: member.id, courseId } })).status;
}

const service = () => rt.features.courses.service;

describe('the catalogue', () => {
  it('refuses a start date in the past on create and on a change of date, and opening a started course', async () => {
    // Today is 02/03/2026 (local).
    const past = await service().create(
      CLI,
      courseInput({
        startDate: '2026-03-01',
        endDate: '2026-03-05',
        registrationDeadline: new Date('2026-02-25T00:00:00Z'),
      }),
    );
    expect(past).toMatchObject({ ok: false, reason: 'invalid' });
    if (past.ok || past.reason !== 'invalid') return;
    expect(past.issues).toContainEqual({ field: 'startDate', key: 'courseNotices:errors.startPast' });
    const t = rt.localisation.translator('vi');
    expect(t('courseNotices:errors.startPast')).toBe('Ngày khai giảng đã qua (phải từ hôm nay trở đi).');
    expect(await db.prisma.course.count()).toBe(0);

    const c = await course({
      status: 'closed',
      startDate: '2026-03-05',
      endDate: '2026-03-10',
      registrationDeadline: new Date('2026-03-04T00:00:00Z'),
    });
    const moved = await service().update(CLI, c.id, {
      startDate: '2026-02-20',
      registrationDeadline: new Date('2026-02-19T00:00:00Z'),
    });
    expect(moved).toEqual({
      ok: false,
      reason: 'invalid',
      issues: [{ field: 'startDate', key: 'courseNotices:errors.startPast' }],
    });
    clock.advance(4 * DAY); // 06/03: the course has started
    // Its venue may still change (its start date is not edited); it cannot be opened for registration any more.
    expect(await service().update(CLI, c.id, { address: 'Hội trường xã' })).toMatchObject({ ok: true });
    expect(await service().setOpen(CLI, c.id, true)).toEqual({ ok: false, reason: 'started' });
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('closed');
  });

  it('refuses bad input field by field as i18n keys, and members who are not admins', async () => {
    const bad = await service().create(CLI, courseInput({ seats: 0, endDate: '2026-03-01', communeCode: '99999' }));
    expect(bad).toMatchObject({ ok: false, reason: 'invalid' });
    if (bad.ok || bad.reason !== 'invalid') return;
    expect(bad.issues).toEqual(
      expect.arrayContaining([
        { field: 'seats', key: 'courseNotices:errors.seats' },
        { field: 'endDate', key: 'courseNotices:errors.endBeforeStart' },
        { field: 'communeCode', key: 'courseNotices:errors.communeCode' },
      ]),
    );
    const lan = await person('Lan');
    expect(await service().create({ kind: 'member', member: lan }, courseInput())).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    expect(await db.prisma.course.count()).toBe(0);
  });

  it('changes only the fields an admin may change; closing a draft does not publish it', async () => {
    const c = await course({ status: 'draft' });
    const sneaky = { seats: 3, seatsTaken: 99, status: 'open' } as unknown as Parameters<
      ReturnType<typeof service>['update']
    >[2];
    expect(await service().update(CLI, c.id, sneaky)).toMatchObject({
      ok: true,
      value: { seats: 3, seatsTaken: 0, status: 'draft' },
    });
    expect(await service().setOpen(CLI, c.id, false)).toMatchObject({ ok: true, value: { status: 'draft' } });
    expect(await service().setOpen(CLI, c.id, true)).toMatchObject({ ok: true, value: { status: 'open' } });
  });
});

describe('registration, the waiting list and offers', () => {
  it('full → waiting; a cancellation offers the seat to the first waiting, with a deadline; accepting registers her', async () => {
    const c = await course();
    const [lan, mai, hue] = [await person('Lan'), await person('Mai'), await person('Huệ')];
    const first = await service().register(lan, c.id, SUPPORT);
    expect(first).toMatchObject({ kind: 'registered', officerCheck: false, registration: { supportVnd: 2_500_000 } });
    expect(await service().register(mai, c.id, SUPPORT)).toMatchObject({ kind: 'full' });
    expect(await service().joinWaitingList(mai, c.id, SUPPORT)).toMatchObject({ kind: 'waiting', place: 1 });
    expect(await service().joinWaitingList(hue, c.id, SUPPORT)).toMatchObject({ kind: 'waiting', place: 2 });
    expect(await service().canRegister(mai, c.id)).toMatchObject({ ok: false, reason: 'alreadyWaiting' });
    expect((await service().mine(hue))[0]).toMatchObject({ place: 2, registration: { status: 'waiting' } });
    if (first.kind !== 'registered') return;

    const cancelled = await service().cancelMine(lan, first.registration.id);
    expect(cancelled).toMatchObject({ ok: true, registration: { status: 'cancelled', cancelReason: 'member' } });
    expect(await statusOf(mai, c.id)).toBe('offered');
    const offer = await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: mai.id } });
    expect(offer.offerExpiresAt?.toISOString()).toBe(new Date(clock.now().getTime() + DAY).toISOString());
    expect(await told(mai)).toEqual([
      'Chị ơi, lớp «Chế biến chè xanh» vừa có một chỗ trống. Hội giữ chỗ này cho chị đến 15:00 03/03/2026.\n' +
        'Học từ 20/03/2026 đến 10/04/2026 (Thứ 2–6, 7:30–11:00), tại Nhà văn hóa xóm 3, Xã Dân Tiến.\n' +
        'Chị bấm «Nhận chỗ» để đăng ký, hoặc «Không nhận» để nhường cho người sau ạ. [Nhận chỗ | Không nhận]',
    ]);
    expect((await service().mine(hue))[0]?.place).toBe(1);
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: c.id } })).seatsTaken).toBe(1);

    expect(await service().acceptOffer(mai, offer.id)).toMatchObject({
      ok: true,
      registration: { status: 'registered' },
    });
    expect(await statusOf(mai, c.id)).toBe('registered');
    expect(await statusOf(hue, c.id)).toBe('waiting');
  });

  it('Accept is a button she taps in her chat: the action registers her and says so', async () => {
    const c = await course();
    const lan = await person('Lan');
    const mai = await person('Mai');
    const reg = await service().register(lan, c.id, SUPPORT);
    await service().joinWaitingList(mai, c.id, SUPPORT);
    if (reg.kind !== 'registered') throw new Error('not registered');
    await service().cancelMine(lan, reg.registration.id);
    const row = await db.prisma.notification.findFirstOrThrow({ where: { recipientId: mai.id, kind: 'course' } });
    const accept = (row.messages as unknown as OutboundMessage[]).flatMap((m) =>
      m.kind === 'choices' ? m.choices : [],
    )[0];
    const chat = new Chat(rt.bot, mai.channelUserId, 'telegram');
    await chat.deliver({ kind: 'choice', data: accept!.data });
    expect(chat.text()).toContain('Hội đã ghi nhận chị nhận chỗ');
    expect(await statusOf(mai, c.id)).toBe('registered');
    // A second tap changes nothing.
    await chat.deliver({ kind: 'choice', data: accept!.data });
    expect(chat.text()).toContain('Hội đã ghi nhận chị nhận chỗ');
  });

  it('an offer that lapses (injected clock) passes to the next; declining passes it too', async () => {
    const c = await course();
    const [lan, mai, hue, thu] = [await person('Lan'), await person('Mai'), await person('Huệ'), await person('Thu')];
    const reg = await service().register(lan, c.id, SUPPORT);
    for (const m of [mai, hue, thu]) await service().joinWaitingList(m, c.id, SUPPORT);
    if (reg.kind !== 'registered') throw new Error('not registered');
    await service().cancelMine(lan, reg.registration.id);
    expect(await statusOf(mai, c.id)).toBe('offered');

    clock.advance(DAY - 60_000);
    expect(await service().lapseOffers()).toBe(0);
    clock.advance(2 * 60_000);
    expect(await service().lapseOffers()).toBe(1);
    expect(await statusOf(mai, c.id)).toBe('cancelled');
    expect((await told(mai)).at(-1)).toContain('đã hết hạn nên đã được nhường cho người tiếp theo');
    expect(await statusOf(hue, c.id)).toBe('offered');
    // Too late to accept: she is told so.
    const maiReg = await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: mai.id } });
    expect(await service().acceptOffer(mai, maiReg.id)).toEqual({ ok: false, reason: 'lapsed' });

    const hueReg = await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: hue.id } });
    expect(await service().declineOffer(hue, hueReg.id)).toEqual({ ok: true });
    expect(await statusOf(thu, c.id)).toBe('offered');
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: c.id } })).seatsTaken).toBe(1);
  });

  it('an offer that cannot be delivered goes at once to the officer in charge, with her phone', async () => {
    const c = await course();
    const lan = await person('Lan');
    // Zalo, no message from her for weeks: outside the messaging window.
    const mai = await person('Mai', { phone: '+84912345678' }, 'zalo');
    const reg = await service().register(lan, c.id, SUPPORT);
    await service().joinWaitingList(mai, c.id, SUPPORT);
    if (reg.kind !== 'registered') throw new Error('not registered');
    await service().cancelMine(lan, reg.registration.id);
    expect(await statusOf(mai, c.id)).toBe('offered');
    expect(await told(officer)).toEqual([
      'Không nhắn được cho 1 người về chỗ trống lớp «Chế biến chè xanh» (#1). Chỗ đang được giữ cho họ; chị gọi điện báo giúp nhé:',
      '• Mai – +84912345678',
    ]);
    // She still gets the offer when she next writes (held in the outbox).
    expect((await told(mai))[0]).toContain('vừa có một chỗ trống');
  });
});

describe('the officer in charge and admins', () => {
  it('see the registrants and the waiting list with places; phones only where she consented; others are refused', async () => {
    const c = await course({ seats: 1 });
    const lan = await person('Lan', { phone: '+84911000002' });
    const mai = await person('Mai', { phone: '+84911000003', consentAt: null });
    await service().register(lan, c.id, SUPPORT);
    await service().joinWaitingList(mai, c.id, SUPPORT);
    const list = await service().registrants(officer, c.id);
    if (!list.ok) throw new Error('refused');
    expect(list.value.registered.map((r) => [r.member.displayName, r.member.phone])).toEqual([['Lan', '+84911000002']]);
    expect(list.value.waiting.map((w) => [w.member.displayName, w.member.phone, w.place])).toEqual([['Mai', null, 1]]);
    expect(await service().registrants(lan, c.id)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await service().registrants(CLI, c.id)).toMatchObject({ ok: true, value: { course: { id: c.id } } });
    const draft = await course({ status: 'draft', titleVi: 'Nháp' });
    expect(await service().get(draft.id)).toBeNull();
    expect((await service().find(draft.id))?.titleVi).toBe('Nháp');
    expect((await service().catalogue({ page: 0 })).total).toBe(2);
  });
});

describe('who may register', () => {
  it('outside working age: registered, and the officer is asked at once to check; under 16: an officer is asked to call', async () => {
    const c = await course({ seats: 5 });
    const ba = await person('Bà Tư', { birthYear: 1960, phone: '+84911111111' });
    expect(await service().register(ba, c.id, SUPPORT)).toMatchObject({ kind: 'registered', officerCheck: true });
    expect((await told(officer)).join('\n')).toContain('Cần chị kiểm tra: Bà Tư đăng ký lớp «Chế biến chè xanh»');

    const em = await person('Bé Na', { birthYear: 2012, phone: '+84911222333' });
    expect(await service().canRegister(em, c.id)).toMatchObject({ ok: false, reason: 'child' });
    expect(await service().register(em, c.id, SUPPORT)).toMatchObject({ kind: 'blocked', reason: 'child' });
    expect((await told(officer)).join('\n')).toContain('Cần chị gọi điện: Bé Na muốn đăng ký lớp');
    expect((await told(officer)).join('\n')).toContain('• Bé Na – +84911222333');
    // Asking again sends no second alert; she holds no seat (the 'referred' row is the alert's mark).
    const alerts = (await told(officer)).length;
    expect(await service().canRegister(em, c.id)).toMatchObject({ ok: false, reason: 'child' });
    expect(await told(officer)).toHaveLength(alerts);
    expect((await db.prisma.courseRegistration.findMany({ where: { memberId: em.id } })).map((r) => r.status)).toEqual([
      'referred',
    ]);
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: c.id } })).seatsTaken).toBe(1);
  });

  it('the deadline, a closed or cancelled course, a course already started', async () => {
    const c = await course();
    const lan = await person('Lan');
    clock.advance(14 * DAY); // 2026-03-16: past the deadline of the 15th
    expect(await service().canRegister(lan, c.id)).toMatchObject({ ok: false, reason: 'deadlinePassed' });
    const closed = await course({ registrationDeadline: new Date('2026-03-19T00:00:00Z') });
    await service().setOpen(CLI, closed.id, false);
    expect(await service().canRegister(lan, closed.id)).toMatchObject({ ok: false, reason: 'notOpen' });
    await service().cancel(CLI, closed.id);
    expect(await service().register(lan, closed.id, SUPPORT)).toMatchObject({ kind: 'blocked', reason: 'cancelled' });
    expect(await service().canRegister(lan, 999)).toEqual({ ok: false, reason: 'notFound', course: null });
  });

  it('supported once per person: a completed supported course before → alreadySupported, nothing to pay', async () => {
    const old = await course({
      startDate: '2026-03-10',
      endDate: '2026-03-12',
      registrationDeadline: new Date('2026-03-05T00:00:00Z'),
    });
    const lan = await person('Lan');
    const reg = await service().register(lan, old.id, SUPPORT);
    if (reg.kind !== 'registered') throw new Error('not registered');
    const next = await course({ startDate: '2026-05-10', endDate: '2026-05-20' });
    expect(await service().canRegister(lan, next.id)).toMatchObject({ ok: true, alreadySupported: false });
    clock.advance(11 * DAY); // 13/03: the old course has ended.
    expect(await service().mark(CLI, reg.registration.id, 'completed')).toMatchObject({ ok: true });
    const check = await service().canRegister(lan, next.id);
    expect(check).toMatchObject({ ok: true, alreadySupported: true, age: 'ok' });
    expect(service().supportDecision(next, { disability: true }, true)).toEqual({ kind: 'alreadySupported' });
    expect(service().nextSupportQuestion(next, {}, true)).toBeNull();
  });
});

describe('changes and cancellations', () => {
  it('a new date is told once to each registered and waiting member; the unreachable are listed to the officer', async () => {
    const c = await course({ seats: 1 });
    const lan = await person('Lan');
    const mai = await person('Mai', { phone: '+84987654321' }, 'zalo');
    await service().register(lan, c.id, SUPPORT);
    await service().joinWaitingList(mai, c.id, SUPPORT);
    expect(await service().update(CLI, c.id, { seats: 1, eligibilityNotes: 'Nữ 18–55 tuổi' })).toMatchObject({
      ok: true,
    });
    expect(await told(lan)).toEqual([]);

    const changed = await service().update(CLI, c.id, { startDate: '2026-03-27', endDate: '2026-04-17' });
    expect(changed).toMatchObject({ ok: true, value: { revision: 1, startDate: '2026-03-27' } });
    expect(await told(lan)).toEqual([
      'Lớp «Chế biến chè xanh» chị đăng ký có thay đổi. Lịch mới: học từ 27/03/2026 đến 17/04/2026 (Thứ 2–6, 7:30–11:00), tại Nhà văn hóa xóm 3, Xã Dân Tiến. Nếu không đi được nữa, chị hủy trong mục «Lớp học của tôi» ạ.',
    ]);
    expect(await told(mai)).toHaveLength(1);
    expect((await told(officer)).join('\n')).toContain('Không nhắn được thông báo thay đổi lớp');
    expect((await told(officer)).join('\n')).toContain('• Mai – +84987654321');
    expect(await service().update(CLI, c.id, { seats: 0 })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it("an officer's list of members not reached shows no phone of one who withdrew her consent", async () => {
    const c = await course({ seats: 1 });
    const thu = await person('Pham Thu', { phone: '+84977111222' }, 'zalo');
    const hoa = await person('Hoa', { phone: '+84977333444' }, 'zalo');
    await service().register(thu, c.id, SUPPORT);
    await service().joinWaitingList(hoa, c.id, SUPPORT);
    await rt.members.update(thu.id, { optedOutAt: clock.now() });
    expect(await service().update(CLI, c.id, { startDate: '2026-03-27', address: 'Hội trường xã' })).toMatchObject({
      ok: true,
    });
    const officerSees = (await told(officer)).join('\n');
    expect(officerSees).toContain('• Pham Thu – chưa cho số điện thoại');
    expect(officerSees).toContain('• Hoa – +84977333444');
    expect(officerSees).not.toContain('977111222');
    // The same rule for a cancellation's list.
    expect(await service().cancel(CLI, c.id)).toMatchObject({ ok: true });
    expect((await told(officer)).join('\n')).not.toContain('977111222');
  });

  it('a cancelled course: every registration and place cancelled, each member told once, seats freed', async () => {
    const c = await course({ seats: 1 });
    const lan = await person('Lan');
    const mai = await person('Mai');
    await service().register(lan, c.id, SUPPORT);
    await service().joinWaitingList(mai, c.id, SUPPORT);
    expect(await service().cancel(CLI, c.id)).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    expect(await service().cancel(CLI, c.id)).toEqual({ ok: false, reason: 'cancelled' });
    for (const m of [lan, mai]) {
      expect(await statusOf(m, c.id)).toBe('cancelled');
      expect(await told(m)).toEqual([
        'Hội rất tiếc: lớp «Chế biến chè xanh» (dự kiến khai giảng 20/03/2026) đã bị hủy, nên đăng ký của chị cũng được hủy. Chị có thể xem và đăng ký lớp khác trong menu ạ.',
      ]);
    }
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: c.id } })).seatsTaken).toBe(0);
  });
});

describe('jobs', () => {
  it('the day-before reminder goes once per registrant, even when a run is repeated and after a restart', async () => {
    const c = await course({
      seats: 3,
      startDate: '2026-03-04',
      endDate: '2026-03-06',
      registrationDeadline: new Date('2026-03-03T00:00:00Z'),
    });
    const lan = await person('Lan');
    const mai = await person('Mai', { phone: '+84900000001' }, 'zalo');
    await service().register(lan, c.id, SUPPORT);
    await service().register(mai, c.id, SUPPORT);
    await rt.jobs.start({ poll: false });
    // A run that sent the reminders and died before the runner recorded it: the runner runs the job again.
    clock.advance(17 * HOUR + 60_000); // 2026-03-03 08:01 local
    expect(await rt.features.courses.jobs.sendReminders('2026-03-03')).toBe(2);
    expect(await rt.jobs.runDue()).toBeGreaterThan(0);
    await rt.jobs.stop();
    // A restart: a new runtime on the same database.
    rt = realRuntime(db.prisma, clock);
    connect(rt);
    await rt.jobs.start({ poll: false });
    await rt.jobs.runDue();
    expect(await rt.features.courses.jobs.sendReminders('2026-03-03')).toBe(0);

    const reminders = (await told(lan)).filter((t) => t.startsWith('Nhắc chị'));
    expect(reminders).toEqual([
      'Nhắc chị: ngày mai (04/03/2026) lớp «Chế biến chè xanh» bắt đầu.\nLịch học: Thứ 2–6, 7:30–11:00.\nĐịa điểm: Nhà văn hóa xóm 3, Xã Dân Tiến.\nNếu không đi được, chị báo lại trong mục «Lớp học của tôi» để Hội nhường chỗ cho người khác nhé.',
    ]);
    expect((await told(mai)).filter((t) => t.startsWith('Nhắc chị'))).toHaveLength(1);
    const undelivered = (await told(officer)).filter((t) => t.startsWith('Không nhắn được lời nhắc'));
    expect(undelivered).toHaveLength(1);
  });

  it('the officer gets one batched message per course with the new registrations, and only once', async () => {
    const c = await course({ seats: 2 });
    const people = [await person('Lan', { phone: '+84911000001' }), await person('Mai'), await person('Huệ')];
    for (const p of people) {
      const r = await service().register(p, c.id, SUPPORT);
      if (r.kind === 'full') await service().joinWaitingList(p, c.id, SUPPORT);
    }
    expect(await told(officer)).toEqual([]);
    expect(await rt.features.courses.jobs.tellOfficers()).toBe(1);
    expect(await told(officer)).toEqual([
      'Lớp «Chế biến chè xanh» (#1, khai giảng 20/03/2026) có 3 đăng ký mới. Đã có 2/2 chỗ.',
      '• Lan – +84911000001',
      '• Mai – chưa cho số điện thoại',
      '• Huệ – chưa cho số điện thoại (chờ, thứ 1)',
    ]);
    expect(await rt.features.courses.jobs.tellOfficers()).toBe(0);
    // Lan cancels: Huệ gets the offer (not a registration yet); once she accepts, the next batch names her.
    const lanReg = await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: people[0]!.id } });
    await service().cancelMine(people[0]!, lanReg.id);
    expect(await rt.features.courses.jobs.tellOfficers()).toBe(0);
    const hueReg = await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: people[2]!.id } });
    await service().acceptOffer(people[2]!, hueReg.id);
    expect(await rt.features.courses.jobs.tellOfficers()).toBe(1);
    expect((await told(officer)).slice(-2)).toEqual([
      'Lớp «Chế biến chè xanh» (#1, khai giảng 20/03/2026) có 1 đăng ký mới. Đã có 2/2 chỗ.',
      '• Huệ – chưa cho số điện thoại',
    ]);
  });

  it('the three-month question goes once per completion, and her answer is stored from the button', async () => {
    const c = await course({
      seats: 2,
      startDate: '2026-03-05',
      endDate: '2026-03-06',
      registrationDeadline: new Date('2026-03-04T00:00:00Z'),
    });
    const lan = await person('Lan');
    const reg = await service().register(lan, c.id, SUPPORT);
    if (reg.kind !== 'registered') throw new Error('not registered');
    clock.advance(5 * DAY);
    await service().mark({ kind: 'member', member: officer }, reg.registration.id, 'attended');
    expect(await service().mark({ kind: 'member', member: lan }, reg.registration.id, 'completed')).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    await service().mark({ kind: 'member', member: officer }, reg.registration.id, 'completed');
    clock.advance(80 * DAY);
    expect(await rt.features.courses.jobs.askOutcomes()).toBe(0);
    clock.advance(15 * DAY);
    expect(await rt.features.courses.jobs.askOutcomes()).toBe(1);
    expect(await rt.features.courses.jobs.askOutcomes()).toBe(0);
    const questions = (await told(lan)).filter((t) => t.includes('ba tháng'));
    expect(questions).toEqual([
      'Chị ơi, chị đã học xong lớp «Chế biến chè xanh» được ba tháng. Hội xin hỏi một câu ngắn: hiện nay chị có thu nhập từ nghề đã học không ạ? [Có | Có một phần | Chưa]',
    ]);
    const row = await db.prisma.notification.findFirstOrThrow({ where: { recipientId: lan.id, kind: 'course' } });
    const partly = (row.messages as unknown as OutboundMessage[]).flatMap((m) =>
      m.kind === 'choices' ? m.choices : [],
    )[1];
    const chat = new Chat(rt.bot, lan.channelUserId, 'telegram');
    await chat.deliver({ kind: 'choice', data: partly!.data });
    expect(chat.text()).toContain('Cảm ơn chị đã trả lời');
    expect(await db.prisma.courseRegistration.findUniqueOrThrow({ where: { id: reg.registration.id } })).toMatchObject({
      outcome: 'partly',
      outcomeSource: 'chat',
      outcomeChannel: 'telegram',
    });
  });
});

describe('typed instead of tapped, and out of reach', () => {
  it("the buttons can be typed on channels without them, without taking the case commands' words", () => {
    const actions = rt.features.actions;
    expect(actions.parseTyped('nhận chỗ 12')).toEqual({ name: 'courseAccept', arg: '12' });
    expect(actions.parseTyped('khong nhan cho 12')).toEqual({ name: 'courseDecline', arg: '12' });
    expect(actions.parseTyped('ket qua 7 mot phan')).toEqual({ name: 'courseOutcome', arg: '7-partly' });
    expect(actions.parseTyped('nhan 12')).toEqual({ name: 'claim', arg: '12' });
    const t = rt.localisation.translator('vi');
    expect(actions.typedFor('courseAccept:12', t)).toBe('nhan cho 12');
    expect(actions.typedFor('courseOutcome:7-notYet', t)).toBe('ket qua 7 chua');
  });

  it('the three-month question that could not reach her is asked when she next writes; the officer is told', async () => {
    const c = await course({
      seats: 2,
      startDate: '2026-03-05',
      endDate: '2026-03-06',
      registrationDeadline: new Date('2026-03-04T00:00:00Z'),
    });
    const lan = await person('Lan', { phone: '+84911000009', birthYear: 1988 }, 'zalobot');
    const reg = await service().register(lan, c.id, SUPPORT);
    if (reg.kind !== 'registered') throw new Error('not registered');
    clock.advance(5 * DAY); // 07/03: the course has ended.
    expect(await service().mark(CLI, reg.registration.id, 'completed')).toMatchObject({ ok: true });
    // She blocked the bot meanwhile.
    await rt.members.update(lan.id, { unreachableAt: clock.now() });
    clock.advance(100 * DAY);
    const pushed: string[] = [];
    rt.bot.connect(
      'zalobot',
      deliveryFrom(async (_to, messages) => {
        pushed.push(...messages.map((m) => (m.kind === 'photo' ? '' : m.text)));
        return 'sent';
      }),
    );
    expect(await rt.features.courses.jobs.askOutcomes()).toBe(1);
    expect(pushed).toEqual([]);
    expect((await told(officer)).join('\n')).toContain('• Lan – +84911000009');
    const chat = new Chat(rt.bot, lan.channelUserId, 'zalobot');
    await chat.send('chào em');
    await rt.outbox.idle();
    expect(pushed.join('\n')).toContain('hiện nay chị có thu nhập từ nghề đã học không ạ?');
    // "My data" shows her birth year with her profile.
    const profile = rt.personalData.find((k) => k.id === 'profile')!;
    const t = rt.localisation.translator('vi');
    const fresh = (await rt.members.findById(lan.id))!;
    const lines = await profile.summarise!({
      member: fresh,
      answers: {},
      t,
      now: clock.now(),
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(lines.join('\n')).toContain('• Năm sinh: 1988');
  });
});

describe('her data and the report', () => {
  it('"my data" shows her registrations with the support level; erasing them offers her seat on', async () => {
    const c = await course();
    const lan = await person('Lan');
    const mai = await person('Mai');
    await service().register(lan, c.id, { kind: 'group', group: 'disability', vnd: 6_000_000 });
    await service().joinWaitingList(mai, c.id, SUPPORT);
    const kind = rt.personalData.find((k) => k.id === 'courseRegistrations')!;
    const t = rt.localisation.translator('vi');
    const lines = await kind.summarise!({
      member: lan,
      answers: {},
      t,
      now: clock.now(),
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(lines).toEqual([
      '• Chế biến chè xanh (khai giảng 20/03/2026): đã đăng ký\n  Mức hỗ trợ: người khuyết tật – 6.000.000 đồng',
    ]);
    await rt.transactor.run(() => rt.members.delete(lan.id));
    expect(await db.prisma.courseRegistration.count({ where: { memberId: lan.id } })).toBe(0);
    expect(await statusOf(mai, c.id)).toBe('offered');
  });

  it('the report counts registered, attended, completed, earning and the response rate per channel', async () => {
    const a = await course({ seats: 10 });
    const b = await course({ seats: 10, communeCode: '05443', titleVi: 'May công nghiệp', occupation: 'sewing' });
    const people: Member[] = [];
    for (let i = 0; i < 6; i++) people.push(await person(`P${i}`));
    const ids: number[] = [];
    for (const p of people.slice(0, 4)) {
      const r = await service().register(p, a.id, SUPPORT);
      if (r.kind === 'registered') ids.push(r.registration.id);
    }
    const rb = await service().register(people[4]!, b.id, SUPPORT);
    await service().register(people[5]!, b.id, SUPPORT);
    // a: 4 registered; 3 attended, 1 absent; 2 completed; one answered yes in chat, one partly by phone.
    // b: 2 registered, 1 completed. Marked once the courses have ended (10/04/2026).
    clock.advance(40 * DAY);
    await service().mark(CLI, ids[0]!, 'completed');
    await service().mark(CLI, ids[1]!, 'completed');
    await service().mark(CLI, ids[2]!, 'attended');
    expect(await service().mark(CLI, ids[3]!, 'absent')).toMatchObject({ ok: true, value: { status: 'absent' } });
    if (rb.kind === 'registered') await service().mark(CLI, rb.registration.id, 'completed');
    await service().recordOutcome(ids[0]!, 'yes', { kind: 'chat', member: people[0]! });
    await service().recordOutcome(ids[1]!, 'partly', { kind: 'officer', actor: CLI });
    const report = await service().report({});
    expect(report.byCourse).toEqual([
      {
        courseId: a.id,
        communeCode: DAN_TIEN,
        registered: 4,
        attended: 3,
        absent: 1,
        completed: 2,
        earning: 1,
        earningPartly: 1,
        asked: 2,
        answered: 2,
        answeredByChannel: { telegram: 1, officer: 1 },
      },
      {
        courseId: b.id,
        communeCode: '05443',
        registered: 2,
        attended: 1,
        absent: 0,
        completed: 1,
        earning: 0,
        earningPartly: 0,
        asked: 0,
        answered: 0,
        answeredByChannel: {},
      },
    ]);
    expect(report.byCommune.map((r) => [r.communeCode, r.registered, r.completed])).toEqual([
      ['05443', 2, 1],
      [DAN_TIEN, 4, 2],
    ]);
  });
});
