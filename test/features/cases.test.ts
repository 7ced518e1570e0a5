// Officers and cases: routing by commune, notifications with buttons, claim race, authorisation against crafted
// buttons, escalation with an injectable clock, the relay member ↔ officer across channels, digests, and messages
// that wait for a recipient who is out of reach.
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
    rt.pushers.register(channel, {
      push: async (to, messages) => {
        if (pushResult === 'sent')
          pushed.set(`${to.channel}:${to.userId}`, [...(pushed.get(`${to.channel}:${to.userId}`) ?? []), ...messages]);
        return pushResult;
      },
    });
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
    await officer('other', [PHAN_DINH_PHUNG]);
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
    expect(pushed.get('telegram:other')).toBeUndefined();
    expect(pushed.get('telegram:prov')).toBeUndefined();
  });

  it('falls back to province officers when the commune has none', async () => {
    await officer('other', [PHAN_DINH_PHUNG]);
    await officer('prov', ['*']);
    const m = await member('ma', DAN_TIEN);
    await openTalk(m);
    expect(textOf(pushed.get('telegram:prov'))).toContain('Có yêu cầu mới');
    expect(pushed.get('telegram:other')).toBeUndefined();
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
    const first = (await rt.features.caseService.open(lan, 'product_report', { topic: 'Chè Tân Cương' })).case;
    const second = (await rt.features.caseService.open(lan, 'product_report', { topic: 'Miến dong' })).case;
    await o.send(`nhan ${first.id}`);
    expect(buttonsOf(o.last.at(0)).map((b) => b.label)).toEqual(['Duyệt', 'Từ chối']);
    await o.tap('Duyệt');
    expect(o.text()).toContain(`Đã duyệt yêu cầu #${first.id}`);
    expect(textOf(pushed.get('zalo:ma'))).toContain(`Yêu cầu #${first.id} của chị đã được duyệt.`);
    // "Done" is not how a decision is closed.
    await o.send(`nhan ${second.id}`);
    await o.deliver({ kind: 'choice', data: `!done:${second.id}` });
    await o.send('xong');
    expect(o.text()).toContain('Thao tác này không dùng cho yêu cầu');
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
    await m.send('menu');
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
    expect(await rt.features.caseService.escalateOverdue()).toBe(0);
    clock.advance(1.5 * HOUR);
    expect(await rt.features.caseService.escalateOverdue()).toBe(1);
    expect(textOf(pushed.get('telegram:prov'))).toContain('⚠️ Yêu cầu chưa có ai nhận');
    expect(textOf(pushed.get('telegram:prov'))).toContain(`Yêu cầu #${id}`);
    expect(await rt.features.caseService.escalateOverdue()).toBe(0);
  });

  it('a claimed case is not escalated', async () => {
    const o = await officer('local', [DAN_TIEN]);
    await officer('prov', ['*']);
    const id = await openTalk(await member('ma', DAN_TIEN));
    await o.send(`nhan ${id}`);
    clock.advance(3 * HOUR);
    expect(await rt.features.caseService.escalateOverdue()).toBe(0);
  });

  it('the officer lists her open cases; the daily digest is sent once per day', async () => {
    const o = await officer('o', [DAN_TIEN]);
    const id1 = await openTalk(await member('ma', DAN_TIEN));
    const id2 = await openTalk(await member('mb', DAN_TIEN));
    await openTalk(await member('mc', PHAN_DINH_PHUNG));
    await o.send('menu');
    await o.tap('Yêu cầu cần xử lý');
    expect(o.text()).toContain('Có 2 yêu cầu chưa xong');
    expect(o.buttons()).toContain(`Xem #${id1}`);
    await o.tap(`Xem #${id2}`);
    expect(o.text()).toContain(`Yêu cầu #${id2}: Muốn trao đổi với cán bộ`);
    pushed.clear();
    expect(await rt.features.caseService.sendDigests('2026-03-02')).toBeGreaterThanOrEqual(1);
    expect(textOf(pushed.get('telegram:o'))).toContain('Tóm tắt hằng ngày: 2 yêu cầu chưa xong');
    expect(await rt.features.caseService.sendDigests('2026-03-02')).toBe(0);
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
    await rt.features.caseService.sendDigests('2026-03-02');
    expect(textOf(pushed.get('telegram:admin'))).toMatch(/\d+ tin nhắn đang chờ người nhận/);
    await o.send('menu');
    expect(o.last[0]?.kind === 'choices' && o.last[0].text).toContain(`Yêu cầu #${id}`);
    const menu = o.last.at(-1);
    expect(menu?.kind === 'choices' && menu.text).toContain('Chị cần gì ạ?');
    expect(
      await db.prisma.notification.count({ where: { status: 'pending', recipient: { channelUserId: 'o' } } }),
    ).toBe(0);
  });
});
