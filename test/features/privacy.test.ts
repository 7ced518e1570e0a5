// "My data" and "Delete my data".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Chat, realBot } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

let db: FreshDatabase;
let chat: Chat;

beforeEach(async () => {
  db = await freshDatabase();
  chat = new Chat(realBot(db.prisma));
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send('Trần Thị Mai');
  await chat.send('Dân Tiến');
  await chat.send('0912345678');
  await chat.tap('Xác nhận');
});
afterEach(() => db.close());

describe('my data', () => {
  it('shows everything stored about the member', async () => {
    await chat.tap('Thông tin Hội đang lưu');
    const shown = chat.text();
    expect(shown).toContain('• Họ tên: Trần Thị Mai');
    expect(shown).toContain('• Xã/phường: Xã Dân Tiến');
    expect(shown).toContain('• Điện thoại: 0912 345 678');
    expect(shown).toContain('• Ngôn ngữ: Tiếng Việt');
    expect(shown).toMatch(/Đồng ý lưu thông tin: đã đồng ý ngày \d\d\/\d\d\/\d{4}/);
  });
});

describe('delete my data', () => {
  it('asks for confirmation; "no" keeps everything', async () => {
    await chat.tap('Xóa dữ liệu của tôi');
    expect(chat.question().text).toContain('Việc này không hoàn tác được');
    await chat.send('khong');
    expect(chat.text()).toContain('Không xóa gì cả');
    expect(await db.prisma.member.count()).toBe(1);
  });

  it('"yes" erases the member and her conversation: the rows are really gone', async () => {
    expect(await db.prisma.conversationState.count()).toBe(1);
    await chat.send('xoa du lieu cua toi');
    await chat.tap('Có');
    expect(chat.text()).toContain('Đã xóa toàn bộ dữ liệu của chị');
    expect(chat.last).toHaveLength(1); // nothing more is asked (nothing would be stored)
    expect(await db.prisma.member.count()).toBe(0);
    expect(await db.prisma.conversationState.count()).toBe(0);
    // Writing again starts first contact as a new member.
    await chat.send('alo');
    expect(chat.text()).toContain('Xin chào!');
    const again = await db.prisma.member.findFirstOrThrow();
    expect(again).toMatchObject({ displayName: null, phone: null, communeCode: null, consentAt: null });
  });
});
