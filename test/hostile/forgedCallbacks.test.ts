// Forged callbacks (issue 15): button data and typed commands naming a case that is not the sender's — from a plain
// member, from an officer of another commune, and a member "answering" another member's case — are refused with the
// existing localized refusal, and nothing changes: the case row, its messages, what the owner is sent, and the
// sender's conversation (she is not led into a note, reason or message step, so her next words go nowhere).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName, OutboundMessage } from '../../src/conversation/messages.ts';
import type { Runtime } from '../../src/wiring.ts';
import { Chat, realRuntime, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { deliveryFrom } from '../helpers/fakes.ts';

const PHAN_DINH_PHUNG = '05443';
const DAN_TIEN = '05755';
const ACTIONS = ['claim', 'view', 'reply', 'done', 'approve', 'reject'] as const;
const TYPED: Record<(typeof ACTIONS)[number] | 'answer', string> = {
  claim: 'nhan',
  view: 'xem',
  reply: 'tra loi',
  done: 'xong',
  approve: 'duyet',
  reject: 'tu choi',
  answer: 'hoi',
};

let db: FreshDatabase;
let rt: Runtime;
let pushed: Map<string, OutboundMessage[]>;

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma, new TestClock());
  pushed = new Map();
  for (const channel of ['telegram', 'zalo'] as ChannelName[]) {
    rt.bot.connect(
      channel,
      deliveryFrom(async (to, messages) => {
        const key = `${to.channel}:${to.userId}`;
        pushed.set(key, [...(pushed.get(key) ?? []), ...messages]);
        return 'sent';
      }),
    );
  }
});
afterEach(() => db.close());

async function member(userId: string, commune: string): Promise<Chat> {
  const chat = new Chat(rt.bot, userId, 'zalo');
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send(`Hội viên ${userId.toUpperCase()}`);
  await chat.send(commune === PHAN_DINH_PHUNG ? 'Phan Dinh Phung' : 'Dan Tien');
  await chat.send('0912345678');
  await chat.tap('Xác nhận');
  return chat;
}

async function officer(userId: string, areas: string[]): Promise<Chat> {
  const { code } = await rt.features.invitations.create({ role: 'officer', areas, createdBy: 'cli', ttlHours: 72 });
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

async function openTalk(chat: Chat): Promise<number> {
  await chat.tap('Nói chuyện với cán bộ Hội');
  await chat.send('Tôi muốn hỏi về vay vốn');
  const id = /#(\d+)/.exec(chat.text())?.[1];
  if (!id) throw new Error('no case id');
  return Number(id);
}

/** Everything about the case that a forged action could change. */
async function snapshot(id: number) {
  return {
    row: await db.prisma.case.findUniqueOrThrow({ where: { id } }),
    messages: await db.prisma.caseMessage.count({ where: { caseId: id } }),
    toOwner: pushed.get('zalo:owner')?.length ?? 0,
  };
}

describe('forged callbacks naming another member’s case', () => {
  it('a plain member and an officer of another commune are refused on every action, tapped or typed; nothing changes', async () => {
    await officer('local', [DAN_TIEN]);
    const outsider = await officer('outsider', [PHAN_DINH_PHUNG]);
    const owner = await member('owner', DAN_TIEN);
    const id = await openTalk(owner);
    const stranger = await member('stranger', DAN_TIEN);
    const before = await snapshot(id);

    for (const action of ACTIONS) {
      for (const send of [
        (c: Chat) => c.deliver({ kind: 'choice', data: `!${action}:${id}` }),
        (c: Chat) => c.send(`${TYPED[action]} ${id}`),
      ]) {
        await send(stranger);
        expect(stranger.text(), `member ${action}`).toContain('Chức năng này chỉ dành cho cán bộ Hội');
        await send(outsider);
        expect(outsider.text(), `outsider ${action}`).toContain(`Yêu cầu #${id} không thuộc địa bàn chị phụ trách`);
        // Not led into a step: what they type next reaches nobody.
        await stranger.send('Gửi chị lời nhắn giả mạo');
        await outsider.send('Ghi chú giả mạo');
      }
    }
    expect(await snapshot(id)).toEqual(before);
    expect(JSON.stringify(pushed.get('zalo:owner') ?? [])).not.toMatch(/giả mạo/);
  });

  it('a member “answering” a case that is not hers is refused as not found; nothing reaches the case', async () => {
    const local = await officer('local', [DAN_TIEN]);
    const owner = await member('owner', DAN_TIEN);
    const id = await openTalk(owner);
    await local.send(`nhan ${id}`);
    const stranger = await member('stranger', DAN_TIEN);
    const before = await snapshot(id);
    const toOfficer = pushed.get('telegram:local')?.length ?? 0;
    for (const send of [
      () => stranger.deliver({ kind: 'choice', data: `!answer:${id}` }),
      () => stranger.send(`hoi ${id}`),
    ]) {
      await send();
      expect(stranger.text()).toContain(`Không tìm thấy yêu cầu #${id}`);
      await stranger.send('Tin nhắn giả mạo gửi cán bộ');
    }
    expect(await snapshot(id)).toEqual(before);
    expect(JSON.stringify(pushed.get('telegram:local')?.slice(toOfficer) ?? [])).not.toMatch(/giả mạo/);
  });

  it('ids that are not ids (negative, huge, fractional, text) are refused (stale button or not found)', async () => {
    const outsider = await officer('outsider', [PHAN_DINH_PHUNG]);
    for (const arg of ['-1', '0', '1.5', '9007199254740993', 'abc', '', '1e3', '0x10']) {
      await outsider.deliver({ kind: 'choice', data: `!claim:${arg}` });
      expect(outsider.text(), arg).toMatch(/Nút này thuộc câu hỏi trước|Không tìm thấy yêu cầu/);
    }
    expect(await db.prisma.case.count()).toBe(0);
  });
});
