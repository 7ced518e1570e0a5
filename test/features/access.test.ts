// Who may run a flow is checked on every message, not only when the menu is drawn (issue 9, point 5): an admin demoted
// in the middle of "Tạo mã mời cán bộ" gets no invitation code; a member tapping an officer's action is refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/wiring.ts';
import { Chat, realRuntime } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

let db: FreshDatabase;
let rt: Runtime;

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma);
});
afterEach(() => db.close());

async function consentedMember(userId: string): Promise<Chat> {
  const chat = new Chat(rt.bot, userId, 'telegram');
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send('Nguyễn Thị Lan');
  await chat.send('Phan Dinh Phung');
  await chat.tap('Bỏ qua');
  await chat.tap('Xác nhận');
  return chat;
}

const memberRow = (userId: string) => db.prisma.member.findFirstOrThrow({ where: { channelUserId: userId } });

describe('access is checked on every message', () => {
  it('an admin demoted in the middle of "Tạo mã mời cán bộ" is refused and no code is created', async () => {
    const chat = await consentedMember('boss');
    const boss = await memberRow('boss');
    await rt.officers.assign(boss.id, 'admin', ['*']);
    await chat.send('menu');
    await chat.tap('Tạo mã mời cán bộ');
    await chat.tap('Quản trị');
    await chat.tap('Toàn tỉnh');
    expect(chat.question().text).toContain('Thông tin đã đúng chưa?');

    await rt.officers.assign(boss.id, 'member', []); // `npm run admin -- officers revoke` meanwhile
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Chị không còn quyền dùng mục này');
    expect(chat.text()).not.toMatch(/HV-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(chat.buttons()).not.toContain('Tạo mã mời cán bộ');
    expect(await db.prisma.invitation.count()).toBe(0);
  });

  it('a stale menu button of a flow she may no longer run starts nothing', async () => {
    const chat = await consentedMember('boss');
    const boss = await memberRow('boss');
    await rt.officers.assign(boss.id, 'admin', ['*']);
    await chat.send('menu');
    const menuButtons = chat.question().choices;
    await rt.officers.assign(boss.id, 'member', []);
    const invite = menuButtons.find((c) => c.label === 'Tạo mã mời cán bộ')!;
    await chat.deliver({ kind: 'choice', data: invite.data });
    // The menu she was shown has changed: the old button is refused, and the menu comes again without the entry.
    expect(chat.text()).not.toContain('Mời người này với vai trò nào?');
    expect(chat.buttons()).not.toContain('Tạo mã mời cán bộ');
  });

  it('a member tapping an officer action is refused, and nothing changes', async () => {
    const lan = await consentedMember('lan');
    await lan.tap('Nói chuyện với cán bộ Hội');
    await lan.send('Em muốn hỏi về vay vốn');
    const caseId = Number(/#(\d+)/.exec(lan.text())?.[1]);
    const other = await consentedMember('mai');
    await other.deliver({ kind: 'choice', data: `!claim:${caseId}` });
    expect(other.text()).toContain('Chức năng này chỉ dành cho cán bộ Hội');
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({
      status: 'open',
      claimedById: null,
    });
  });
});
