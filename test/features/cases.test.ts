// Officers and cases: routing by commune, notifications with buttons, claim race, authorisation against crafted
// buttons, escalation with an injectable clock, the relay member ↔ officer across channels, digests, and messages
// that wait for a recipient who is out of reach.
import { deliveryFrom } from '../helpers/fakes.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName, OutboundMessage, PushResult } from '../../src/conversation/messages.ts';
import type { Runtime } from '../../src/wiring.ts';
import { Chat, HOUR, realRuntime, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const PHAN_DINH_PHUNG = '05443';
const DAN_TIEN = '05755';

let db: FreshDatabase;
let clock: TestClock;
let rt: Runtime;
/** Everything pushed, per channel user ("telegram:o1"). */
let pushed: Map<string, OutboundMessage[]>;
let pushResult: PushResult;

beforeEach(async () => {
  db = await freshDatabase();
  clock = new TestClock();
  rt = realRuntime(db.prisma, clock);
  pushed = new Map();
  pushResult = 'sent';
  for (const channel of ['telegram', 'zalo'] as ChannelName[]) {
    rt.bot.connect(
      channel,
      deliveryFrom(async (to, messages) => {
        if (pushResult === 'sent')
          pushed.set(`${to.channel}:${to.userId}`, [...(pushed.get(`${to.channel}:${to.userId}`) ?? []), ...messages]);
        return pushResult;
      }),
    );
  }
});
afterEach(() => db.close());

/** A member who went through first contact and the profile in this commune. */
async function member(userId: string, commune: string, channel: ChannelName = 'zalo'): Promise<Chat> {
  const chat = new Chat(rt.bot, userId, channel);
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send(`Hội viên ${userId.toUpperCase()}`);
  await chat.send(commune === PHAN_DINH_PHUNG ? 'Phan Dinh Phung' : 'Dan Tien');
  await chat.send('0912345678');
  await chat.tap('Xác nhận');
  return chat;
}

/** An officer linked through a real invitation code, on Telegram. */
async function officer(userId: string, areas: string[], role: 'officer' | 'admin' = 'officer'): Promise<Chat> {
  const { code } = await rt.features.invitations.create({ role, areas, createdBy: 'cli', ttlHours: 72 });
  const chat = new Chat(rt.bot, userId, 'telegram');
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send(`Cán bộ ${userId.toUpperCase()}`);
  await chat.send('Dan Tien');
  await chat.send('bỏ qua');
  await chat.tap('Xác nhận');
  await chat.send(code);
  return chat;
}

const textOf = (messages: OutboundMessage[] | undefined) =>
  (messages ?? []).map((m) => (m.kind === 'photo' ? '' : m.text)).join('\n---\n');
const lastPushed = (key: string) => pushed.get(key)?.at(-1);
const buttonsOf = (m: OutboundMessage | undefined) => (m?.kind === 'choices' ? m.choices : []);

async function openTalk(chat: Chat, topic = 'Tôi muốn hỏi về vay vốn'): Promise<number> {
  await chat.tap('Nói chuyện với cán bộ Hội');
  await chat.send(topic);
  const id = /#(\d+)/.exec(chat.text())?.[1];
  if (!id) throw new Error(`no case id in: ${chat.text()}`);
  return Number(id);
}

describe('invitations and roles', () => {
  it('an invitation code links an officer once; the audit log records it', async () => {
    const { code } = await rt.features.invitations.create({
      role: 'officer',
      areas: [PHAN_DINH_PHUNG],
      createdBy: 'cli',
      ttlHours: 72,
    });
    expect(code).toMatch(/^HV-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const lan = new Chat(rt.bot, 'lan', 'telegram');
    await lan.send(code.toLowerCase().replace(/-/g, ' '));
    expect(lan.text()).toContain('Chị đã được liên kết làm cán bộ Hội');
    const row = await db.prisma.member.findFirstOrThrow({
      where: { channelUserId: 'lan' },
      include: { officerAreas: true },
    });
    expect(row.role).toBe('officer');
    expect(row.officerAreas.map((a) => a.communeCode)).toEqual([PHAN_DINH_PHUNG]);

    const mai = new Chat(rt.bot, 'mai', 'telegram');
    await mai.send(code);
    expect(mai.text()).toContain('Mã mời này đã được dùng');
    expect((await db.prisma.member.findFirstOrThrow({ where: { channelUserId: 'mai' } })).role).toBe('member');

    const actions = (await db.prisma.auditLog.findMany({ orderBy: { at: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['invitation.created', 'officer.linked']);
  });

  it('an expired or unknown code is refused clearly', async () => {
    const { code } = await rt.features.invitations.create({
      role: 'officer',
      areas: ['*'],
      createdBy: 'cli',
      ttlHours: 72,
    });
    clock.advance(73 * HOUR);
    const lan = new Chat(rt.bot, 'lan', 'telegram');
    await lan.send(code);
    expect(lan.text()).toContain('Mã mời này đã hết hạn');
    await lan.send('HV-AAAA-BBBB');
    expect(lan.text()).toContain('Mã mời không đúng');
  });

  it('officer and admin menu entries are shown only to them', async () => {
    const m = await member('ma', DAN_TIEN);
    expect(m.buttons()).not.toContain('Yêu cầu cần xử lý');
    const o = await officer('oa', [DAN_TIEN]);
    expect(o.buttons()).toContain('Yêu cầu cần xử lý');
    expect(o.buttons()).not.toContain('Tạo mã mời cán bộ');
    const a = await officer('boss', ['*'], 'admin');
    expect(a.buttons()).toEqual(expect.arrayContaining(['Yêu cầu cần xử lý', 'Tạo mã mời cán bộ', 'Danh sách cán bộ']));
  });

  it('an admin creates an invitation from the chat', async () => {
    const a = await officer('boss', ['*'], 'admin');
    await a.tap('Tạo mã mời cán bộ');
    await a.tap('Cán bộ');
    await a.tap('Một xã/phường');
    await a.send('tuc duyen');
    await a.tap('Có');
    expect(a.question().text).toContain('• Xã/phường: Phường Phan Đình Phùng');
    await a.tap('Xác nhận');
    // Expires 72 h after 08:00 UTC on 02/03, read in Vietnam time.
    expect(a.text()).toContain('hết hạn sau 72 giờ (lúc 15:00 05/03/2026)');
    const code = /HV-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(a.text())?.[0];
    expect(code).toBeDefined();
    const o = new Chat(rt.bot, 'newbie', 'telegram');
    await o.send(code!);
    expect(o.text()).toContain('liên kết làm cán bộ Hội');
    expect(await db.prisma.officerArea.findMany({ where: { member: { channelUserId: 'newbie' } } })).toMatchObject([
      { communeCode: PHAN_DINH_PHUNG },
    ]);
  });
});

describe('cases reach the right officers', () => {
  it('a case goes to the officers of the member’s commune, with a claim button and no phone number', async () => {
    await officer('local', [DAN_TIEN]);
    await officer('pdp', [PHAN_DINH_PHUNG]);
    await officer('prov', ['*']);
    const m = await member('ma', DAN_TIEN);
    const id = await openTalk(m);
    expect(m.text()).toContain(`Đã gửi yêu cầu #${id}`);
    const note = lastPushed('telegram:local');
    expect(note?.kind === 'choices' && note.text).toContain(`Yêu cầu #${id}: Muốn trao đổi với cán bộ`);
    expect(note?.kind === 'choices' && note.text).toContain('Xã/phường: Xã Dân Tiến');
    expect(note?.kind === 'choices' && note.text).toContain('Nội dung: Tôi muốn hỏi về vay vốn');
    expect(textOf(pushed.get('telegram:local'))).not.toContain('0912');
    expect(buttonsOf(note).map((b) => [b.label, b.data, b.typed])).toEqual([
      ['Nhận xử lý', `!claim:${id}`, `nhan ${id}`],
    ]);
    expect(pushed.get('telegram:pdp')).toBeUndefined();
    expect(pushed.get('telegram:prov')).toBeUndefined();
  });

  it('falls back to province officers when the commune has none', async () => {
    await officer('pdp', [PHAN_DINH_PHUNG]);
    await officer('prov', ['*']);
    const m = await member('ma', DAN_TIEN);
    await openTalk(m);
    expect(textOf(pushed.get('telegram:prov'))).toContain('Có yêu cầu mới');
    expect(pushed.get('telegram:pdp')).toBeUndefined();
  });
});

describe('acting on a case', () => {
  it('two officers claim at once: exactly one wins, the other sees who took it', async () => {
    const a = await officer('a', [DAN_TIEN]);
    const b = await officer('b', [DAN_TIEN]);
    const id = await openTalk(await member('ma', DAN_TIEN));
    const [ra, rb] = await Promise.all([
      a.deliver({ kind: 'choice', data: `!claim:${id}` }),
      b.deliver({ kind: 'choice', data: `!claim:${id}` }),
    ]);
    const texts = [textOf(ra), textOf(rb)];
    expect(texts.filter((t) => t.includes(`Chị đã nhận yêu cầu #${id}`))).toHaveLength(1);
    expect(texts.filter((t) => /đã có Cán bộ [AB] nhận xử lý/.test(t))).toHaveLength(1);
    const winner = texts[0]!.includes('Chị đã nhận') ? ra : rb;
    expect(textOf(winner)).toContain('Điện thoại: 0912 345 678'); // the phone only for the officer who took it
    const row = await db.prisma.case.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('claimed');
    // The member is told who took her request.
    expect(textOf(pushed.get('zalo:ma'))).toMatch(/Cán bộ [AB] đã nhận yêu cầu/);
  });

  it('a member or an officer of another commune crafting a button is refused and nothing changes', async () => {
    await officer('local', [DAN_TIEN]);
    const outsider = await officer('outsider', [PHAN_DINH_PHUNG]);
    const m = await member('ma', DAN_TIEN);
    const id = await openTalk(m);
    await m.deliver({ kind: 'choice', data: `!claim:${id}` });
    expect(m.text()).toContain('Chức năng này chỉ dành cho cán bộ Hội');
    await m.send(`xong ${id}`);
    expect(m.text()).toContain('Chức năng này chỉ dành cho cán bộ Hội');
    await outsider.deliver({ kind: 'choice', data: `!claim:${id}` });
    expect(outsider.text()).toContain('không thuộc địa bàn chị phụ trách');
    await outsider.deliver({ kind: 'choice', data: `!approve:${id}` });
    await outsider.deliver({ kind: 'choice', data: `!done:${id}` });
    expect(outsider.text()).toContain('không thuộc địa bàn');
    await outsider.deliver({ kind: 'choice', data: '!claim:99999' });
    expect(outsider.text()).toContain('Không tìm thấy yêu cầu #99999');
    const row = await db.prisma.case.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'open', claimedById: null });
  });

  it('typed commands work where there are no buttons, and "done" with a note tells the member', async () => {
    const o = await officer('o', [DAN_TIEN]);
    const m = await member('ma', DAN_TIEN);
    const id = await openTalk(m);
    await o.send(`nhan ${id}`);
    expect(o.text()).toContain(`Chị đã nhận yêu cầu #${id}`);
    expect(buttonsOf(o.last.at(0)).map((b) => b.label)).toEqual(['Trả lời', 'Đã xong']);
    await o.send(`xong #${id}`);
    expect(o.text()).toContain(`Ghi chú kết quả cho yêu cầu #${id}`);
    await o.send('Đã hướng dẫn chị làm hồ sơ vay');
    expect(o.text()).toContain(`Đã đóng yêu cầu #${id}`);
    expect(textOf(pushed.get('zalo:ma'))).toContain(
      `Yêu cầu #${id} của chị đã được xử lý xong. Ghi chú của cán bộ: Đã hướng dẫn chị làm hồ sơ vay`,
    );
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'done' });
    await o.deliver({ kind: 'choice', data: `!claim:${id}` });
    expect(o.text()).toContain('đã được xử lý xong');
  });
});

describe('decisions: approve, or reject with a reason', () => {
  it('an officer approves one request and rejects another with a reason; the member is told each time', async () => {
    const o = await officer('o', [DAN_TIEN]);
    await member('ma', DAN_TIEN);
    const lan = (await rt.members.findByChannelUser('zalo', 'ma'))!;
    const first = (await rt.features.caseService.open(lan, 'course_registration', { topic: 'Chè Tân Cương' })).case;
    const second = (await rt.features.caseService.open(lan, 'course_registration', { topic: 'Miến dong' })).case;
    await o.send(`nhan ${first.id}`);
    // Every case type can be answered in the chat (item 4), decisions too.
    expect(buttonsOf(o.last.at(0)).map((b) => b.label)).toEqual(['Trả lời', 'Duyệt', 'Từ chối']);
    await o.tap('Duyệt');
    expect(o.text()).toContain(`Đã duyệt yêu cầu #${first.id}`);
    expect(textOf(pushed.get('zalo:ma'))).toContain(`Yêu cầu #${first.id} của chị đã được duyệt.`);
    // "Done" is not how a decision is closed: refused before she is asked for a note.
    await o.send(`nhan ${second.id}`);
    await o.deliver({ kind: 'choice', data: `!done:${second.id}` });
    expect(o.text()).toContain('Thao tác này không dùng cho yêu cầu');
    expect(o.text()).not.toContain('Ghi chú kết quả');
    await o.deliver({ kind: 'choice', data: `!reject:${second.id}` });
    expect(o.text()).toContain(`Lý do từ chối yêu cầu #${second.id}`);
    await o.send('Ảnh sản phẩm chưa rõ, chị gửi lại giúp');
    expect(o.text()).toContain(`Đã từ chối yêu cầu #${second.id}`);
    expect(textOf(pushed.get('zalo:ma'))).toContain(
      `Yêu cầu #${second.id} của chị chưa được chấp nhận. Lý do: Ảnh sản phẩm chưa rõ, chị gửi lại giúp`,
    );
    const rows = await db.prisma.case.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.note])).toEqual([
      ['approved', null],
      ['rejected', 'Ảnh sản phẩm chưa rõ, chị gửi lại giúp'],
    ]);
    const audit = (await db.prisma.auditLog.findMany()).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['case.approved', 'case.rejected']));
  });
});

describe('relay: member ↔ officer through the bot', () => {
  it('carries messages both ways across Zalo and Telegram until the officer closes the case', async () => {
    const o = await officer('o', [DAN_TIEN]);
    const m = await member('ma', DAN_TIEN, 'zalo');
    const id = await openTalk(m, 'Cho tôi hỏi lớp học may');
    await o.deliver({ kind: 'choice', data: `!claim:${id}` });
    await o.tap('Trả lời');
    expect(o.text()).toContain(`Nhập tin nhắn gửi hội viên (yêu cầu #${id})`);
    await o.send('Lớp may khai giảng ngày 10/12, chị đăng ký nhé');
    expect(o.text()).toContain('Đã chuyển tin nhắn');
    const toMember = lastPushed('zalo:ma');
    expect(toMember?.kind === 'choices' && toMember.text).toBe(
      `💬 Cán bộ O (yêu cầu #${id}):\nLớp may khai giảng ngày 10/12, chị đăng ký nhé`,
    );
    expect(buttonsOf(toMember).map((b) => b.label)).toEqual(['Trả lời cán bộ']);
    // The member is still in the conversation with the officer: what she types goes to the officer.
    await m.send('Vâng, tôi đăng ký');
    expect(m.text()).toContain('Đã chuyển tin nhắn');
    const toOfficer = lastPushed('telegram:o');
    expect(toOfficer?.kind === 'choices' && toOfficer.text).toBe(`💬 Yêu cầu #${id} — Hội viên MA:\nVâng, tôi đăng ký`);
    // After the menu, the "answer" button brings her back to the conversation.
    await m.command('menu');
    await m.deliver({ kind: 'choice', data: buttonsOf(toMember)[0]!.data });
    await m.send('Cảm ơn chị');
    expect(textOf(pushed.get('telegram:o'))).toContain('Cảm ơn chị');
    // The officer closes; the member's next message is not relayed any more.
    await o.deliver({ kind: 'choice', data: `!done:${id}` });
    await o.tap('Bỏ qua');
    await m.send('Còn một câu nữa');
    expect(m.text()).toContain(`Yêu cầu #${id} đã kết thúc`);
    expect(textOf(pushed.get('telegram:o'))).not.toContain('Còn một câu nữa');
  });
});

describe('follow-up', () => {
  it('an unclaimed case is escalated to province officers after the configured time, once', async () => {
    await officer('local', [DAN_TIEN]);
    await officer('prov', ['*']);
    const id = await openTalk(await member('ma', DAN_TIEN));
    clock.advance(1 * HOUR);
    expect(await rt.features.caseJobs.escalateOverdue()).toBe(0);
    clock.advance(1.5 * HOUR);
    expect(await rt.features.caseJobs.escalateOverdue()).toBe(1);
    expect(textOf(pushed.get('telegram:prov'))).toContain('⚠️ Yêu cầu chưa có ai nhận');
    expect(textOf(pushed.get('telegram:prov'))).toContain(`Yêu cầu #${id}`);
    expect(await rt.features.caseJobs.escalateOverdue()).toBe(0);
  });

  it('a claimed case is not escalated', async () => {
    const o = await officer('local', [DAN_TIEN]);
    await officer('prov', ['*']);
    const id = await openTalk(await member('ma', DAN_TIEN));
    await o.send(`nhan ${id}`);
    clock.advance(3 * HOUR);
    expect(await rt.features.caseJobs.escalateOverdue()).toBe(0);
  });

  it('the officer lists her open cases; the daily digest is sent once per day', async () => {
    const o = await officer('o', [DAN_TIEN]);
    const id1 = await openTalk(await member('ma', DAN_TIEN));
    const id2 = await openTalk(await member('mb', DAN_TIEN));
    await openTalk(await member('mc', PHAN_DINH_PHUNG));
    await o.command('menu');
    await o.tap('Yêu cầu cần xử lý');
    expect(o.text()).toContain('Có 2 yêu cầu chưa xong');
    expect(o.buttons()).toContain(`Xem #${id1}`);
    await o.tap(`Xem #${id2}`);
    expect(o.text()).toContain(`Yêu cầu #${id2}: Muốn trao đổi với cán bộ`);
    pushed.clear();
    // Once a day is the job runner's guarantee (the digest has no lock of its own): run the bot's jobs as an instance
    // would, across the next 07:00 (Vietnam) and again an hour later.
    await rt.jobs.start({ poll: false });
    clock.advance(16.5 * HOUR); // 07:30 on 3 March in Vietnam
    await rt.jobs.runDue();
    expect(textOf(pushed.get('telegram:o'))).toContain('Tóm tắt hằng ngày: 2 yêu cầu chưa xong');
    pushed.clear();
    clock.advance(HOUR);
    await rt.jobs.runDue();
    expect(pushed.get('telegram:o')).toBeUndefined();
    expect(await db.prisma.notification.count({ where: { kind: 'digest', recipient: { channelUserId: 'o' } } })).toBe(
      1,
    );
    await rt.jobs.stop();
  });

  it('an officer out of reach gets the notification when she next writes; admins see it waiting', async () => {
    const o = await officer('o', [DAN_TIEN]);
    await officer('admin', ['*'], 'admin');
    pushResult = 'later';
    const id = await openTalk(await member('ma', DAN_TIEN));
    expect(
      await db.prisma.notification.count({ where: { status: 'pending', recipient: { channelUserId: 'o' } } }),
    ).toBe(1);
    pushResult = 'sent';
    await rt.features.caseJobs.sendDigests();
    expect(textOf(pushed.get('telegram:admin'))).toMatch(/\d+ tin nhắn đang chờ người nhận/);
    await o.command('menu');
    expect(o.last[0]?.kind === 'choices' && o.last[0].text).toContain(`Yêu cầu #${id}`);
    const menu = o.last.at(-1);
    expect(menu?.kind === 'choices' && menu.text).toContain('Chị cần gì ạ?');
    expect(
      await db.prisma.notification.count({ where: { status: 'pending', recipient: { channelUserId: 'o' } } }),
    ).toBe(0);
  });
});

describe('nothing a member sends to an officer is dropped (issue 8, item 3)', () => {
  it('follow-ups are stored when her commune has no officer yet; the officer who takes it later sees them all', async () => {
    const m = await member('ma', DAN_TIEN);
    const id = await openTalk(m, 'Em muốn hỏi về lớp học may ở xã ạ');
    expect(m.text()).toContain(`Đã ghi nhận yêu cầu #${id}`);
    await m.send('Nhà em ở thôn 3');
    // Not "passed on" when nobody could be told: stored on the case, and she is told so.
    expect(m.text()).not.toContain('Đã chuyển tin nhắn');
    expect(m.text()).toContain(`Đã ghi lại tin nhắn vào yêu cầu #${id}`);
    expect(await db.prisma.caseMessage.findMany({ where: { caseId: id } })).toMatchObject([
      { author: 'member', authorId: null, text: 'Nhà em ở thôn 3' },
    ]);
    await m.send('Em rảnh buổi chiều');

    // An officer is invited afterwards: the case reaches her, and taking it shows the whole conversation.
    const o = await officer('o', [DAN_TIEN]);
    await o.send(`nhan ${id}`);
    const shown = o.text();
    expect(shown).toContain(`Chị đã nhận yêu cầu #${id}`);
    expect(shown).toContain('Nội dung: Em muốn hỏi về lớp học may ở xã ạ');
    expect(shown).toContain('Trao đổi (2 tin nhắn):');
    expect(shown).toContain('• 15:00 02/03/2026 — Hội viên MA: Nhà em ở thôn 3');
    expect(shown).toContain('Hội viên MA: Em rảnh buổi chiều');
    // Her next message now goes to the officer who took it.
    await m.send('Em cảm ơn chị');
    expect(m.text()).toContain('Đã chuyển tin nhắn');
    expect(textOf(pushed.get('telegram:o'))).toContain('Em cảm ơn chị');
  });

  it('a message on a closed case is offered as a new request with her text; "answer" on it says so first', async () => {
    const o = await officer('o', [DAN_TIEN]);
    const m = await member('ma', DAN_TIEN);
    const id = await openTalk(m, 'Cho tôi hỏi lớp học may');
    await o.send(`nhan ${id}`);
    await o.send(`tra loi ${id}`);
    await o.send('Lớp may khai giảng ngày 10/12');
    const answer = buttonsOf(lastPushed('zalo:ma'))[0]!;
    expect(answer.label).toBe('Trả lời cán bộ');
    await o.send(`xong ${id}`);
    await o.tap('Bỏ qua');

    // She is still in the conversation of the closed case: her text is not discarded.
    await m.send('Học phí bao nhiêu ạ?');
    expect(m.text()).toContain(`Yêu cầu #${id} đã kết thúc nên tin nhắn này chưa được gửi:\nHọc phí bao nhiêu ạ?`);
    expect(m.buttons()).toEqual(['Gửi yêu cầu mới', 'Không, cảm ơn']);
    pushed.delete('telegram:o');
    await m.tap('Gửi yêu cầu mới');
    const second = Number(/Đã gửi yêu cầu #(\d+)/.exec(m.text())?.[1]);
    expect(second).toBeGreaterThan(id);
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id: second } })).toMatchObject({
      type: 'talk',
      status: 'open',
      details: { topic: 'Học phí bao nhiêu ạ?' },
    });
    expect(textOf(pushed.get('telegram:o'))).toContain('Nội dung: Học phí bao nhiêu ạ?');

    // The "answer" button of the closed case: told before typing anything, and offered a new request.
    await m.command('menu');
    await m.deliver({ kind: 'choice', data: answer.data });
    expect(m.text()).toContain(`Yêu cầu #${id} đã kết thúc. Chị có muốn gửi yêu cầu mới`);
    expect(m.text()).not.toContain('Chị có thể nhắn thêm');
    await m.tap('Gửi yêu cầu mới');
    expect(m.text()).toContain('Chị muốn trao đổi với cán bộ Hội về việc gì?');
    // A forged "answer" on somebody else's case is refused.
    const other = await member('mb', DAN_TIEN);
    await other.deliver({ kind: 'choice', data: `!answer:${second}` });
    expect(other.text()).toContain(`Không tìm thấy yêu cầu #${second}`);
  });

  it('case messages are erased with the member; an officer’s erasure keeps hers on the case without her id', async () => {
    const o = await officer('o', [DAN_TIEN]);
    const m = await member('ma', DAN_TIEN);
    const id = await openTalk(m);
    await m.send('Thêm một câu');
    await o.send(`nhan ${id}`);
    await o.send(`tra loi ${id}`);
    await o.send('Chị chờ em nhé');
    expect(await db.prisma.caseMessage.count()).toBe(2);

    await o.command('menu');
    await o.tap('Xóa dữ liệu của tôi');
    await o.tap('Có');
    expect(await db.prisma.caseMessage.findMany({ orderBy: { id: 'asc' } })).toMatchObject([
      { author: 'member', text: 'Thêm một câu' },
      { author: 'officer', authorId: null, text: 'Chị chờ em nhé' },
    ]);

    await m.command('menu');
    await m.tap('Xóa dữ liệu của tôi');
    await m.tap('Có');
    expect(m.text()).toContain('Đã xóa toàn bộ dữ liệu');
    expect(await db.prisma.case.count()).toBe(0);
    expect(await db.prisma.caseMessage.count()).toBe(0);
  });
});

describe('officers reach members on every case type (issue 8, item 4)', () => {
  const DAY = 24 * HOUR;
  const lastWrote = (userId: string, ago: number) =>
    db.prisma.member.update({
      where: { channel_channelUserId: { channel: 'zalo', channelUserId: userId } },
      data: { lastInboundAt: new Date(clock.now().getTime() - ago) },
    });

  it('a credit lead can be answered in the chat, and the officer is told when Zalo’s window is closing or closed', async () => {
    const o = await officer('o', [DAN_TIEN]);
    await member('ma', DAN_TIEN, 'zalo');
    const lan = (await rt.members.findByChannelUser('zalo', 'ma'))!;
    const lead = (await rt.features.caseService.open(lan, 'credit_lead', { purpose: 'Chăn nuôi' })).case;
    await o.send(`nhan ${lead.id}`);
    expect(buttonsOf(o.last.at(0)).map((b) => b.label)).toEqual(['Trả lời', 'Đã xong']);

    // 3 days without a message from her: still reachable, until 7 days after her last message.
    await lastWrote('ma', 3 * DAY);
    await o.send(`xem ${lead.id}`);
    expect(o.text()).toContain(
      '⏳ Hội viên nhắn cho Hội lần cuối lúc 15:00 27/02/2026: tin nhắn qua Zalo còn đến được chị ấy đến 15:00 06/03/2026.',
    );

    // 8 days: a chat reply would not reach her. Told before typing, with her phone number.
    await lastWrote('ma', 8 * DAY);
    await o.tap('Trả lời');
    expect(o.text()).toContain('⚠️ Hội viên không nhắn cho Hội từ 15:00 22/02/2026 (quá 7 ngày)');
    expect(o.text()).toContain('Số điện thoại hội viên: 0912 345 678');
    expect(o.text()).toContain(`Nhập tin nhắn gửi hội viên (yêu cầu #${lead.id})`);
    pushResult = 'later'; // what the Zalo channel answers outside the window
    await o.send('Chị mang sổ hộ khẩu lên xã nhé');
    expect(o.text()).not.toContain('Đã chuyển tin nhắn');
    expect(o.text()).toContain(`Đã lưu tin nhắn vào yêu cầu #${lead.id}, nhưng hội viên chưa nhận được ngay`);
    expect(o.text()).toContain('Số điện thoại hội viên: 0912 345 678');
    expect(await db.prisma.caseMessage.findMany()).toMatchObject([
      { author: 'officer', text: 'Chị mang sổ hộ khẩu lên xã nhé' },
    ]);

    // When she writes again she gets it first, and can answer on the lead.
    pushResult = 'sent';
    const m = new Chat(rt.bot, 'ma', 'zalo');
    await m.send('alo');
    expect(m.last[0]?.kind === 'choices' && m.last[0].text).toContain('Chị mang sổ hộ khẩu lên xã nhé');
    await m.tap('Trả lời cán bộ');
    await m.send('Vâng ạ');
    expect(textOf(pushed.get('telegram:o'))).toContain('Vâng ạ');
  });

  it('a member who blocked the bot: the officer is told, with “no phone” when she left none', async () => {
    const o = await officer('o', [DAN_TIEN]);
    const m = await member('ma', DAN_TIEN, 'telegram');
    const id = await openTalk(m);
    await db.prisma.member.update({
      where: { channel_channelUserId: { channel: 'telegram', channelUserId: 'ma' } },
      data: { unreachableAt: clock.now(), phone: null },
    });
    await o.send(`nhan ${id}`);
    expect(o.text()).toContain('⚠️ Hội viên đã chặn hoặc bỏ theo dõi kênh chat của Hội');
    await o.send(`tra loi ${id}`);
    expect(o.text()).toContain('Hội viên chưa để lại số điện thoại.');
  });
});

describe('every case action checks before asking (issue 8, item 17)', () => {
  it('`tra loi 1` on a case she has not claimed is refused before she types, with the claim button', async () => {
    const a = await officer('a', [DAN_TIEN]);
    const b = await officer('b', [DAN_TIEN]);
    const m = await member('ma', DAN_TIEN);
    const id = await openTalk(m);
    await a.send(`tra loi ${id}`);
    expect(a.text()).toContain(`Chị cần nhận xử lý yêu cầu #${id} trước khi trả lời`);
    expect(a.text()).not.toContain('Nhập tin nhắn gửi hội viên');
    expect(a.buttons()).toContain('Nhận xử lý');
    // What she types next is not taken as a message to the member.
    await a.send('Chào chị');
    expect(textOf(pushed.get('zalo:ma'))).not.toContain('Chào chị');
    await a.send(`nhan ${id}`);
    expect(a.text()).toContain(`Chị đã nhận yêu cầu #${id}`);

    // Another officer: reply, done and reject are refused before any question.
    for (const typed of [`tra loi ${id}`, `xong ${id}`]) {
      await b.send(typed);
      expect(b.text()).toContain(`Yêu cầu #${id} đã có Cán bộ A nhận xử lý`);
      expect(b.text()).not.toMatch(/Nhập tin nhắn|Ghi chú kết quả/);
    }
    await b.send(`tu choi ${id}`);
    expect(b.text()).toContain('Thao tác này không dùng cho yêu cầu');
    expect(b.text()).not.toContain('Lý do từ chối');
    // Once closed, nothing is asked either.
    await a.send(`xong ${id}`);
    await a.tap('Bỏ qua');
    for (const typed of [`tra loi ${id}`, `xong ${id}`]) {
      await a.send(typed);
      expect(a.text()).toContain(`Yêu cầu #${id} đã được xử lý xong`);
      expect(a.text()).not.toMatch(/Nhập tin nhắn|Ghi chú kết quả/);
    }
  });

  it('an admin may close a case another officer took, but only the officer who took it replies', async () => {
    const a = await officer('a', [DAN_TIEN]);
    const boss = await officer('boss', ['*'], 'admin');
    const id = await openTalk(await member('ma', DAN_TIEN));
    await a.send(`nhan ${id}`);
    await boss.send(`xem ${id}`);
    expect(buttonsOf(boss.last.at(0)).map((b) => b.label)).toEqual(['Đã xong']);
    await boss.send(`tra loi ${id}`);
    expect(boss.text()).toContain('đã có Cán bộ A nhận xử lý');
    await boss.send(`xong ${id}`);
    expect(boss.text()).toContain(`Ghi chú kết quả cho yêu cầu #${id}`);
  });

  it('a case closed while the officer was typing gives her words back', async () => {
    const a = await officer('a', [DAN_TIEN]);
    const boss = await officer('boss', ['*'], 'admin');
    const id = await openTalk(await member('ma', DAN_TIEN));
    await a.send(`nhan ${id}`);
    await a.send(`tra loi ${id}`);
    await boss.send(`xong ${id}`);
    await boss.tap('Bỏ qua');
    await a.send('Em gọi lại cho chị chiều nay');
    expect(a.text()).toContain(`Yêu cầu #${id} đã được xử lý xong`);
    expect(a.text()).toContain('Tin nhắn của chị chưa được gửi:\nEm gọi lại cho chị chiều nay');
  });
});

describe('an invited officer lands on her work (issue 8, item 22)', () => {
  it('a code as her very first message: what is stored about her, then her open cases, older ones included', async () => {
    const m = await member('ma', DAN_TIEN);
    const id = await openTalk(m, 'Em muốn hỏi về lớp học may ở xã ạ');
    await openTalk(await member('mb', PHAN_DINH_PHUNG));
    const { code } = await rt.features.invitations.create({
      role: 'officer',
      areas: [DAN_TIEN],
      createdBy: 'cli',
      ttlHours: 72,
    });
    const o = new Chat(rt.bot, 'new-officer', 'telegram');
    await o.send(code);
    const shown = o.text();
    expect(shown).toContain('Chị đã được liên kết làm cán bộ Hội');
    expect(shown).toContain('Thông tin Hội lưu về chị với vai trò cán bộ');
    expect(shown).toContain('Có 1 yêu cầu chưa xong');
    expect(shown).toContain(`• #${id} Muốn trao đổi với cán bộ — chưa có người nhận (gửi lúc 15:00 02/03/2026)`);
    // No member onboarding first: no language question, no consent, no profile.
    expect(shown).not.toMatch(/Tiếng Việt|đồng ý|Họ và tên/i);
    expect(o.buttons()).toContain(`Xem #${id}`);
    expect(o.question().text).toContain('Chị cần gì ạ?');
    await o.tap(`Xem #${id}`);
    expect(o.text()).toContain('Nội dung: Em muốn hỏi về lớp học may ở xã ạ');
    await o.tap('Nhận xử lý');
    expect(o.text()).toContain(`Chị đã nhận yêu cầu #${id}`);
    // Home stays her work, not first contact.
    await o.command('menu');
    expect(o.buttons()).toContain('Yêu cầu cần xử lý');
    await o.send('/start');
    expect(o.text()).not.toContain('Tiếng Việt');
  });

  it('an invited admin lands on every open case', async () => {
    const id = await openTalk(await member('ma', DAN_TIEN));
    const { code } = await rt.features.invitations.create({
      role: 'admin',
      areas: ['*'],
      createdBy: 'cli',
      ttlHours: 1,
    });
    const a = new Chat(rt.bot, 'new-admin', 'zalo');
    await a.send(code);
    expect(a.text()).toContain('Chị đã được liên kết làm quản trị viên');
    expect(a.text()).toContain('Thông tin Hội lưu về chị');
    expect(a.buttons()).toEqual(expect.arrayContaining([`Xem #${id}`, 'Tạo mã mời cán bộ']));
  });
});

describe('dates officers read are in TIME_ZONE (issue 8, item 8)', () => {
  it('at 02:25 Vietnam time on 01/12 the case, the list and the digest say 01/12', async () => {
    clock = new TestClock(new Date('2026-11-30T19:25:00Z'));
    rt = realRuntime(db.prisma, clock);
    rt.bot.connect(
      'telegram',
      deliveryFrom(async (to, messages) => {
        pushed.set(`${to.channel}:${to.userId}`, [...(pushed.get(`${to.channel}:${to.userId}`) ?? []), ...messages]);
        return 'sent';
      }),
    );
    const o = await officer('o', [DAN_TIEN]);
    const id = await openTalk(await member('ma', DAN_TIEN));
    expect(textOf(pushed.get('telegram:o'))).toContain('Gửi lúc: 02:25 01/12/2026');
    await o.command('menu');
    await o.tap('Yêu cầu cần xử lý');
    expect(o.text()).toContain(`#${id} Muốn trao đổi với cán bộ — chưa có người nhận (gửi lúc 02:25 01/12/2026)`);
    pushed.clear();
    await rt.features.caseJobs.sendDigests();
    expect(textOf(pushed.get('telegram:o'))).toContain('(gửi lúc 02:25 01/12/2026)');
  });
});
