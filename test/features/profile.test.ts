// The profile flow: name, commune or ward (new or former name), optional phone, summary with edit.
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
});
afterEach(() => db.close());

const member = () => db.prisma.member.findFirstOrThrow({ where: { channelUserId: chat.userId } });

describe('profile', () => {
  it('a former commune name typed without diacritics is matched to its new ward and confirmed', async () => {
    await chat.send('Nguyễn Thị Lan');
    expect(chat.text()).toContain('Chị ở xã/phường nào của tỉnh Thái Nguyên?');
    await chat.send('tuc duyen');
    expect(chat.question().text).toBe('Túc Duyên nay thuộc Phường Phan Đình Phùng — đúng không ạ?');
    expect(chat.buttons()).toEqual(['Có', 'Không']);
    await chat.tap('Có');
    expect(chat.text()).toContain('Số điện thoại di động của chị');
    await chat.send('+84 912 345 678');
    const summary = chat.question().text;
    expect(summary).toContain('• Họ tên: Nguyễn Thị Lan');
    expect(summary).toContain('• Xã/phường: Phường Phan Đình Phùng');
    expect(summary).toContain('• Điện thoại: 0912 345 678');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Đã lưu hồ sơ của chị');
    expect(await member()).toMatchObject({
      displayName: 'Nguyễn Thị Lan',
      communeCode: '05443',
      phone: '+84912345678',
    });
  });

  it('declining the suggested ward asks again; a current name is taken directly', async () => {
    await chat.send('Lan');
    await chat.send('Túc Duyên');
    await chat.tap('Không');
    expect(chat.text()).toContain('mời chị nhập lại');
    await chat.send('phuong phan dinh phung');
    expect(chat.text()).toContain('Số điện thoại');
  });

  it('an ambiguous former name offers the candidates with their former district', async () => {
    await chat.send('Lan');
    await chat.send('Tan Thinh');
    expect(chat.question().text).toBe('Có vài nơi trùng hoặc gần giống tên này. Chị ở đâu?');
    const buttons = chat.buttons();
    expect(buttons.length).toBeGreaterThanOrEqual(3);
    expect(buttons.at(-1)).toBe('Không phải các mục trên');
    expect(buttons.some((b) => b.includes('Tân Thịnh cũ (Thành phố Thái Nguyên) → Phường Phan Đình Phùng'))).toBe(true);
    await chat.send('1');
    expect(chat.text()).toContain('Số điện thoại');
  });

  it('an unknown commune gets a clear answer naming what was typed, and the question again', async () => {
    await chat.send('Lan');
    await chat.send('Xyzabc');
    expect(chat.text()).toContain('Em không tìm thấy xã/phường "Xyzabc" ở tỉnh Thái Nguyên');
  });

  it('names with digits or emoji are refused with a clear message', async () => {
    await chat.send('Lan 😀');
    expect(chat.text()).toContain('Tên chỉ gồm chữ cái');
    await chat.send('L4n');
    expect(chat.text()).toContain('Tên chỉ gồm chữ cái');
  });

  it('the phone can be skipped, and a field edited at the summary', async () => {
    await chat.send('Lan');
    await chat.send('Dân Tiến');
    await chat.tap('Bỏ qua');
    expect(chat.question().text).toContain('• Điện thoại: (không có)');
    await chat.tap('Sửa thông tin');
    await chat.tap('Điện thoại');
    await chat.send('0988 123 456');
    await chat.tap('Xác nhận');
    expect(await member()).toMatchObject({ displayName: 'Lan', phone: '+84988123456' });
  });
});
