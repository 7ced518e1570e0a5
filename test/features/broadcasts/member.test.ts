// Issue 14, the member's side, on the real bot (console harness): announcements in the first-contact consent and asked
// once of members who consented before; stopping and turning them back on (menu item, "DỪNG"/"STOP" with or without
// marks, her own words); the dừng/đúng/Dung rule on every kind of step; the broadcasts she could not be sent shown
// once when she writes; the action button (typed and tapped) counted once and starting its target.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/conversation/messages.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { deliveryFrom } from '../../helpers/fakes.ts';
import { Chat, realRuntime, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';

const DAY = 86_400_000;
let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;

beforeEach(async () => {
  db = await freshDatabase();
  clock = new TestClock(new Date('2026-03-10T03:00:00Z'));
  rt = realRuntime(db.prisma, clock);
});
afterEach(() => db.close());

const memberOf = (c: Chat) => db.prisma.member.findFirstOrThrow({ where: { channelUserId: c.userId } });
const announcementsRow = async (c: Chat) =>
  db.prisma.memberConsent.findUnique({
    where: { memberId_purpose: { memberId: (await memberOf(c)).id, purpose: 'announcements' } },
  });
const receives = async (c: Chat) => {
  const row = await announcementsRow(c);
  return row !== null && row.givenAt !== null && row.withdrawnAt === null;
};

/** A member through first contact with her profile saved, at the menu. */
async function consented(c: Chat = new Chat(rt.bot)): Promise<Chat> {
  await c.send('alo');
  await c.tap('Tiếng Việt');
  await c.tap('Đồng ý');
  await c.send('Trần Thị Mai');
  await c.send('Dân Tiến');
  await c.send('0912345678');
  await c.tap('Xác nhận');
  expect(c.text()).toContain('Chị cần gì ạ?');
  return c;
}

/** A broadcast being sent, with her delivery in `status` (what the dispatcher left). */
async function broadcastFor(
  c: Chat,
  opts: { status?: string; button?: object; expiresInDays?: number; broadcastStatus?: string; texts?: object } = {},
) {
  const b = await db.prisma.broadcast.create({
    data: {
      status: opts.broadcastStatus ?? 'sending',
      texts: opts.texts ?? { vi: 'Họp xét duyệt vay vốn thứ Sáu lúc 8 giờ', en: 'Loan review meeting on Friday' },
      audience: {},
      ...(opts.button ? { button: opts.button } : {}),
      expiresAt: new Date(clock.now().getTime() + (opts.expiresInDays ?? 7) * DAY),
    },
  });
  const m = await memberOf(c);
  await db.prisma.broadcastDelivery.create({
    data: {
      broadcastId: b.id,
      memberId: m.id,
      channel: m.channel,
      language: m.language,
      status: opts.status ?? 'sent',
    },
  });
  return b;
}

describe('announcements in the consent', () => {
  it('the first-contact question names announcements and how to stop them; her yes gives both, stored with its time', async () => {
    const chat = new Chat(rt.bot);
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    expect(chat.text()).toContain('Thông báo của Hội: Hội lưu xã/phường của chị');
    expect(chat.text()).toContain('gõ "DỪNG" hoặc chọn "Thông báo của Hội"');
    await chat.tap('Đồng ý');
    expect(await announcementsRow(chat)).toMatchObject({ givenAt: clock.now(), withdrawnAt: null });
  });

  it('the English question says the same', async () => {
    const chat = new Chat(rt.bot);
    await chat.send('alo');
    await chat.tap('English');
    expect(chat.text()).toContain('Union announcements: the Union stores your commune/ward');
    expect(chat.text()).toContain('type "STOP"');
  });

  it('a member who consented before is asked once, when she next reaches the menu, not before her own request', async () => {
    const chat = await consented();
    await db.prisma.memberConsent.deleteMany({ where: { purpose: 'announcements' } });
    // Her pick at the menu is answered first.
    await chat.tap('Hồ sơ của tôi');
    expect(chat.text()).not.toContain('Chị có muốn nhận không?');
    await chat.command('menu');
    expect(chat.text()).toContain('Hội có gửi thông báo qua đây');
    expect(chat.buttons()).toEqual(['Nhận thông báo', 'Không nhận']);
    await chat.send('ko');
    expect(chat.text()).toContain('Hội sẽ không gửi thông báo cho chị');
    expect(chat.text()).toContain('gõ "BẬT THÔNG BÁO" hoặc chọn "Thông báo của Hội"');
    expect(chat.text()).toContain('Chị cần gì ạ?');
    expect(await announcementsRow(chat)).toMatchObject({ givenAt: null, withdrawnAt: clock.now() });
    // Never again.
    await chat.command('menu');
    await chat.command('menu');
    expect(chat.text()).not.toContain('Hội có gửi thông báo qua đây');
  });

  it('asked once even when she walks away from the question (cancel), and a yes gives it', async () => {
    const chat = await consented();
    await db.prisma.memberConsent.deleteMany({ where: { purpose: 'announcements' } });
    await chat.command('menu');
    expect(chat.text()).toContain('Hội có gửi thông báo qua đây');
    await chat.send('hủy');
    expect(chat.text()).not.toContain('Hội có gửi thông báo qua đây');
    expect(chat.text()).toContain('Chị cần gì ạ?');
    expect(await receives(chat)).toBe(false);

    const other = await consented();
    await db.prisma.memberConsent.deleteMany({ where: { purpose: 'announcements' } });
    await other.command('menu');
    await other.tap('Nhận thông báo');
    expect(other.text()).toContain('Cảm ơn chị');
    expect(await receives(other)).toBe(true);
  });

  it('officers and admins are not asked', async () => {
    const chat = await consented();
    await db.prisma.memberConsent.deleteMany({ where: { purpose: 'announcements' } });
    await db.prisma.member.update({ where: { id: (await memberOf(chat)).id }, data: { role: 'officer' } });
    await chat.command('menu');
    expect(chat.text()).not.toContain('Hội có gửi thông báo qua đây');
    expect(await announcementsRow(chat)).toBeNull();
  });
});

describe('stopping and turning back on', () => {
  it.each(['DỪNG', 'dừng', 'Dừng', 'dung', 'DUNG', 'stop', 'Stop.', 'STOP'])(
    '%j at the menu opens the confirmation; "Dừng nhận" stops them and says how to turn them back on',
    async (word) => {
      const chat = await consented();
      await chat.send(word);
      expect(chat.question().text).toBe(
        'Chị muốn dừng nhận thông báo của Hội? Chị vẫn nhận trả lời cho yêu cầu của mình, tin về hồ sơ và nhắc lịch lớp đã đăng ký.',
      );
      expect(chat.buttons()).toEqual(['Dừng nhận', 'Không']);
      await chat.tap('Dừng nhận');
      expect(chat.text()).toContain('Đã dừng nhận thông báo của Hội');
      expect(chat.text()).toContain('gõ "BẬT THÔNG BÁO" hoặc chọn "Thông báo của Hội" trong menu');
      expect(await announcementsRow(chat)).toMatchObject({ withdrawnAt: clock.now() });
    },
  );

  it.each(['dừng', 'dung', 'có', 'đúng'])('%j at the confirmation confirms (it is the answer there)', async (word) => {
    const chat = await consented();
    await chat.send('DỪNG');
    await chat.send(word);
    expect(chat.text()).toContain('Đã dừng nhận thông báo của Hội');
    expect(chat.text()).not.toContain('Đã hủy');
    expect(await receives(chat)).toBe(false);
  });

  it('"Không" keeps them; "hủy" at the confirmation cancels it, nothing changes', async () => {
    const chat = await consented();
    await chat.send('stop');
    await chat.tap('Không');
    expect(chat.text()).toContain('chị vẫn nhận thông báo của Hội như trước');
    await chat.send('stop');
    await chat.send('hủy');
    expect(chat.text()).toContain('Chị cần gì ạ?');
    expect(await receives(chat)).toBe(true);
  });

  it.each([
    'tat thong bao',
    'tắt thông báo',
    'đừng gửi tin nữa',
    'không muốn nhận thông báo',
    'huy nhan tin',
    'ko muon nhan tb nua',
    'unsubscribe',
  ])('her words %j at the menu open the same confirmation', async (words) => {
    const chat = await consented();
    await chat.send(words);
    expect(chat.question().text).toContain('Chị muốn dừng nhận thông báo của Hội?');
    expect(await receives(chat)).toBe(true);
  });

  it.each(['bật lại thông báo', 'bat thong bao', 'BẬT THÔNG BÁO', 'nhận thông báo', 'muon nhan lai thong bao'])(
    'after stopping, %j turns them back on after a confirmation',
    async (words) => {
      const chat = await consented();
      await chat.send('dừng');
      await chat.tap('Dừng nhận');
      await chat.send(words);
      expect(chat.question().text).toContain('Chị muốn nhận lại thông báo của Hội');
      await chat.tap('Nhận thông báo');
      expect(chat.text()).toContain('Đã bật lại thông báo của Hội');
      expect(chat.text()).toContain('gõ "DỪNG" hoặc chọn "Thông báo của Hội"');
      expect(await receives(chat)).toBe(true);
    },
  );

  it('stopping when already stopped says so and how to turn them back on', async () => {
    const chat = await consented();
    await chat.send('dừng');
    await chat.tap('Dừng nhận');
    await chat.send('dừng');
    expect(chat.text()).toContain('Chị đang không nhận thông báo của Hội. Muốn nhận lại');
  });

  it('the menu item shows where she stands, with Stop / Turn on; "my data" and "Quyền dùng dữ liệu" show the same', async () => {
    const chat = await consented();
    await chat.tap('Thông báo của Hội');
    expect(chat.text()).toContain('Chị đang nhận thông báo của Hội');
    expect(chat.buttons()).toEqual(['Dừng nhận', 'Về menu']);
    await chat.tap('Dừng nhận');
    expect(chat.text()).toContain('Đã dừng nhận thông báo của Hội');
    expect(await receives(chat)).toBe(false);
    await chat.tap('Thông tin Hội đang lưu');
    expect(chat.text()).toContain('Nhận thông báo của Hội: đồng ý ngày 10/03/2026, rút lại ngày 10/03/2026');
    await chat.tap('Quyền dùng dữ liệu');
    await chat.tap('Nhận thông báo của Hội');
    expect(chat.text()).toContain('rút lại ngày 10/03/2026');
    await chat.command('menu');
    await chat.tap('Thông báo của Hội');
    expect(chat.text()).toContain('Chị đang không nhận thông báo của Hội');
    await chat.tap('Bật lại');
    expect(chat.text()).toContain('Đã bật lại thông báo của Hội');
    expect(await receives(chat)).toBe(true);
  });
});

describe('"dừng" inside a flow: cancels it or answers the question, never opens the opt-out', () => {
  it('a flow started from the menu ("Hồ sơ của tôi"): "dừng" cancels it, announcements untouched', async () => {
    const chat = await consented();
    await chat.tap('Hồ sơ của tôi');
    await chat.send('dừng');
    expect(chat.text()).toContain('Đã hủy');
    expect(chat.text()).not.toContain('dừng nhận thông báo');
    expect(await receives(chat)).toBe(true);
  });

  it('yes/no ("… — đúng không ạ?"): "dung" is yes; "dừng" with its marks cancels the flow', async () => {
    const chat = new Chat(rt.bot);
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Đồng ý');
    await chat.send('Lan');
    await chat.send('tuc duyen');
    expect(chat.question().text).toContain('đúng không ạ?');
    await chat.send('dung');
    expect(chat.text()).toContain('Số điện thoại di động của chị');
    await chat.send('dừng');
    expect(chat.text()).toContain('Đã hủy');
    expect(chat.text()).not.toContain('dừng nhận thông báo');
    expect(await receives(chat)).toBe(true);
  });

  it('a name step: "Dung" is asked about; "that is my answer" saves it as her name', async () => {
    const chat = new Chat(rt.bot);
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Đồng ý');
    await chat.send('Dung');
    expect(chat.question().text).toBe('Chị muốn hủy việc đang làm, hay "Dung" là câu trả lời của chị?');
    await chat.tap('Không, đó là câu trả lời');
    expect(chat.text()).toContain('Chị ở xã/phường nào');
    expect(chat.text()).not.toContain('dừng nhận thông báo');
  });

  it('a choice whose label folds to it ("Dừng nhận" in "Thông báo của Hội"): "dung" picks it', async () => {
    const chat = await consented();
    await chat.tap('Thông báo của Hội');
    await chat.send('dung nhan');
    expect(chat.text()).toContain('Đã dừng nhận thông báo của Hội');
  });

  it('the summary: "dừng" cancels (and "dung" confirms: test/conversation/answers.test.ts)', async () => {
    const chat = new Chat(rt.bot);
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Đồng ý');
    await chat.send('Lan');
    await chat.send('Phan Dinh Phung');
    await chat.tap('Bỏ qua');
    await chat.send('dừng');
    expect(chat.text()).toContain('Đã hủy');
    expect(chat.text()).not.toContain('dừng nhận thông báo');
    expect(await receives(chat)).toBe(true);
  });
});

describe('broadcasts she could not be sent are shown when she writes', () => {
  it('a current one (not reachable now) is shown once, before her reply, and marked shown', async () => {
    const chat = await consented();
    const b = await broadcastFor(chat, { status: 'notNow' });
    await chat.send('alo');
    expect(chat.last[0]).toEqual({ kind: 'text', text: 'Thông báo của Hội chị chưa nhận được:' });
    expect(chat.last[1]).toEqual({ kind: 'text', text: 'Họp xét duyệt vay vốn thứ Sáu lúc 8 giờ' });
    expect(chat.text()).toContain('Chị cần gì ạ?');
    const d = await db.prisma.broadcastDelivery.findFirstOrThrow({ where: { broadcastId: b.id } });
    expect(d).toMatchObject({ status: 'shown', shownAt: clock.now() });
    await chat.send('alo');
    expect(chat.text()).not.toContain('Họp xét duyệt');
  });

  it('in her language; not an expired, cancelled or sent one; not after she stops them in this turn', async () => {
    const chat = await consented();
    await broadcastFor(chat, { status: 'unreachable', expiresInDays: -1 });
    await broadcastFor(chat, { status: 'notNow', broadcastStatus: 'cancelled' });
    await broadcastFor(chat, { status: 'sent' });
    await chat.send('alo');
    expect(chat.text()).not.toContain('Họp xét duyệt');
    await chat.send('dừng');
    // Written while she is at the confirmation: the turn that stops them shows nothing.
    await broadcastFor(chat, { status: 'notNow' });
    await chat.tap('Dừng nhận');
    expect(chat.text()).not.toContain('Họp xét duyệt');
    expect(await db.prisma.broadcastDelivery.count({ where: { status: 'shown' } })).toBe(0);
  });
});

describe('the action button (bcTap)', () => {
  it('typed ("tb <id>") on a channel without buttons: counted once, starts the credit pre-screen', async () => {
    const chat = await consented();
    const b = await broadcastFor(chat, { status: 'notNow', button: { target: 'credit' } });
    await chat.send('alo');
    const shown = chat.last.find((m) => m.kind === 'choices' && m.text.startsWith('Họp'));
    expect(shown).toMatchObject({ choices: [{ label: 'Kiểm tra khả năng vay', typed: `tb ${b.id}` }] });
    await chat.send(`tb ${b.id}`);
    expect(chat.text()).toContain('Em sẽ hỏi vài câu để xem chị có thể vay');
    await chat.command('menu');
    await chat.send(`TB ${b.id}`);
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } })).taps).toBe(1);
    const d = await db.prisma.broadcastDelivery.findFirstOrThrow({ where: { broadcastId: b.id } });
    expect(d.tappedAt).toEqual(clock.now());
  });

  it('tapped: the course list; a non-recipient is not counted but gets the target; an unknown one a friendly answer', async () => {
    const chat = await consented();
    const b = await broadcastFor(chat, { status: 'notNow', button: { target: 'courses' } });
    await chat.send('alo');
    await chat.tap('Xem các lớp học');
    expect(chat.text()).toContain('Hiện chưa có lớp học nghề nào');
    const other = await consented();
    await other.deliver({ kind: 'choice', data: `!bcTap:${b.id}` });
    expect(other.text()).toBe(chat.text());
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } })).taps).toBe(1);
    await other.deliver({ kind: 'choice', data: '!bcTap:99999' });
    expect(other.text()).toContain('Thông báo này không còn nữa');
    expect(other.text()).toContain('Chị cần gì ạ?');
  });
});

describe('what still reaches her when she has stopped announcements (the outbox, not broadcasts)', () => {
  it('the answer to her own request, a case update and a course reminder are all sent', async () => {
    const pushed: OutboundMessage[] = [];
    rt.bot.connect(
      'console',
      deliveryFrom(async (_to, messages) => {
        pushed.push(...messages);
        return 'sent';
      }),
    );
    const chat = await consented();
    await chat.send('dừng');
    await chat.tap('Dừng nhận');
    expect(await receives(chat)).toBe(false);
    // Her own request is answered (the turn's replies).
    await chat.tap('Hồ sơ của tôi');
    expect(chat.text()).toContain('Trần Thị Mai');
    const member = (await rt.members.findById((await memberOf(chat)).id))!;
    for (const [kind, words] of [
      ['caseUpdate', 'Cán bộ đã nhận yêu cầu của chị'],
      ['course', 'Nhắc lịch: lớp của chị khai giảng ngày mai'],
    ] as const) {
      await rt.transactor.run(() => rt.outbox.send(member, [{ raw: words }], { kind }));
      await rt.outbox.deliverNow(member.id);
      expect(pushed.map((m) => (m.kind === 'photo' ? '' : m.text))).toContain(words);
    }
    expect(
      await db.prisma.notification.count({
        where: { recipientId: member.id, status: 'sent', kind: { in: ['caseUpdate', 'course'] } },
      }),
    ).toBe(2);
  });
});
