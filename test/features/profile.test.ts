// The profile flow: name, commune or ward (new or former name, with its former district), optional phone, summary
// with edit; "Hồ sơ của tôi" for a member who has a profile: the profile and "edit which field?".
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

/** What the member was shown last (the question she is at). */
const lastText = (): string => {
  const last = chat.last.at(-1);
  return last && last.kind !== 'photo' ? last.text : '';
};

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
    expect(chat.question().text).toBe('Có 2 nơi mang tên này. Chị ở nơi nào ạ?');
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

describe('the commune answer (issue 8, items 15 and 24)', () => {
  it('a single close name ("tuc duyn") is one yes/no question, never "several places"', async () => {
    await chat.send('Lan');
    await chat.send('tuc duyn');
    expect(chat.question().text).toBe(
      'Ý chị là Túc Duyên cũ (Thành phố Thái Nguyên)? Nơi đó nay thuộc Phường Phan Đình Phùng — đúng không ạ?',
    );
    expect(chat.buttons()).toEqual(['Có', 'Không']);
    expect(chat.text()).not.toMatch(/vài nơi|mấy nơi|mang tên này|gần giống/);
    await chat.tap('Có');
    expect(chat.text()).toContain('Số điện thoại di động của chị');
    await chat.tap('Bỏ qua');
    await chat.tap('Xác nhận');
    expect((await member()).communeCode).toBe('05443');
  });

  it('several close names are a list that says how many, and that they are only close', async () => {
    await chat.send('Lan');
    await chat.send('tan thinhh');
    expect(chat.question().text).toBe('Em không thấy đúng tên này; có 2 nơi gần giống. Chị ở nơi nào ạ?');
    expect(chat.buttons()).toEqual([
      'Tân Thịnh cũ (Thành phố Thái Nguyên) → Phường Phan Đình Phùng',
      'Tân Thịnh cũ (Huyện Định Hóa) → Xã Phượng Tiến',
      'Không phải các mục trên',
    ]);
  });

  it.each([
    ['Túc Duyên, TP Thái Nguyên', 'Túc Duyên nay thuộc Phường Phan Đình Phùng — đúng không ạ?', '05443'],
    ['xa hoa binh huyen dong hy', 'Hòa Bình nay thuộc Xã Văn Lăng — đúng không ạ?', '05665'],
    ['Tân Thịnh, huyện Định Hóa', 'Tân Thịnh nay thuộc Xã Phượng Tiến — đúng không ạ?', '05563'],
  ])('the commune with its former district (%j) is found and confirmed', async (typed, question, code) => {
    await chat.send('Lan');
    await chat.send(typed);
    expect(chat.question().text).toBe(question);
    await chat.send('co');
    await chat.tap('Bỏ qua');
    await chat.tap('Xác nhận');
    expect((await member()).communeCode).toBe(code);
  });

  it('only a former district gets a hint to add the commune, and the question again', async () => {
    await chat.send('Lan');
    await chat.send('huyện Đồng Hỷ');
    expect(chat.text()).toContain('Huyện Đồng Hỷ cũ nay gồm nhiều xã, phường. Chị gõ tên xã/phường của chị');
    expect(lastText()).toContain('Chị ở xã/phường nào');
  });
});

describe('"Hồ sơ của tôi" for a member who has a profile (issue 8, item 21)', () => {
  beforeEach(async () => {
    await chat.send('Nguyễn Thị Lan');
    await chat.send('Dân Tiến');
    await chat.send('0912 345 678');
    await chat.tap('Xác nhận');
  });

  const PROFILE = [
    'Hồ sơ của chị:',
    '• Họ tên: Nguyễn Thị Lan',
    '• Xã/phường: Xã Dân Tiến',
    '• Điện thoại: 0912 345 678',
    'Chị muốn sửa thông tin nào?',
  ].join('\n');

  it('shows the profile and "edit which field?"; changing only the phone keeps the rest', async () => {
    await chat.tap('Hồ sơ của tôi');
    expect(chat.question().text).toBe(PROFILE);
    expect(chat.buttons()).toEqual(['Họ tên', 'Xã/phường', 'Điện thoại', 'Xong, về menu']);
    expect(chat.text()).not.toContain('Họ và tên của chị là gì?');
    await chat.tap('Điện thoại');
    expect(chat.question().text).toContain('Số điện thoại di động mới của chị?');
    await chat.send('0988 123 456');
    expect(chat.question().text).toBe('Điện thoại: 0912 345 678 → 0988 123 456\nChị lưu thay đổi này nhé?');
    expect(chat.buttons()).toEqual(['Lưu', 'Không, giữ như cũ']);
    await chat.tap('Lưu');
    expect(chat.text()).toContain('Đã lưu.');
    expect(chat.question().text).toContain('• Điện thoại: 0988 123 456');
    expect(await member()).toMatchObject({
      displayName: 'Nguyễn Thị Lan',
      communeCode: '05755',
      phone: '+84988123456',
    });
    await chat.tap('Xong, về menu');
    expect(chat.question().text).toContain('Chị cần gì ạ?');
  });

  it('changes the commune by a former name (confirmed), by typed numbers and words', async () => {
    await chat.send('ho so cua toi');
    await chat.send('2'); // Xã/phường
    await chat.send('tuc duyen');
    await chat.send('co'); // Túc Duyên is now part of Phan Đình Phùng: yes
    expect(chat.question().text).toBe('Xã/phường: Xã Dân Tiến → Phường Phan Đình Phùng\nChị lưu thay đổi này nhé?');
    await chat.send('1'); // Lưu
    expect(await member()).toMatchObject({
      displayName: 'Nguyễn Thị Lan',
      communeCode: '05443',
      phone: '+84912345678',
    });
  });

  it('changes the name alone; "Không, giữ như cũ" keeps everything; "back" returns to the field list', async () => {
    await chat.tap('Hồ sơ của tôi');
    await chat.tap('Họ tên');
    expect(chat.text()).toContain('Họ và tên của chị là gì?');
    await chat.command('quay lại');
    expect(chat.question().text).toBe(PROFILE);
    await chat.tap('Họ tên');
    await chat.send('Nguyễn Thị Lan Anh');
    await chat.tap('Không, giữ như cũ');
    expect(chat.text()).toContain('Không thay đổi gì.');
    expect((await member()).displayName).toBe('Nguyễn Thị Lan');
    await chat.tap('Họ tên');
    await chat.send('Nguyễn Thị Lan Anh'.normalize('NFD'));
    await chat.tap('Lưu');
    expect(await member()).toMatchObject({ displayName: 'Nguyễn Thị Lan Anh', communeCode: '05755' });
  });

  it('"Bỏ qua" at the phone removes the number, after saying so', async () => {
    await chat.tap('Hồ sơ của tôi');
    await chat.tap('Điện thoại');
    await chat.tap('Bỏ qua');
    expect(chat.question().text).toBe('Điện thoại: 0912 345 678 → (chưa có)\nChị lưu thay đổi này nhé?');
    await chat.tap('Lưu');
    expect((await member()).phone).toBeNull();
  });
});

describe('"Hồ sơ của tôi" for a member without a profile', () => {
  it('goes through the whole profile', async () => {
    await chat.command('hủy'); // consented, but left the profile questions
    await chat.tap('Hồ sơ của tôi');
    expect(chat.text()).toContain('Mời chị cho biết vài thông tin');
    expect(lastText()).toBe('Họ và tên của chị là gì?');
  });
});
