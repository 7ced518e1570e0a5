// First contact: greeting, language, consent (given or declined), then the profile.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Chat, realBot } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

let db: FreshDatabase;
let chat: Chat;

beforeEach(async () => {
  db = await freshDatabase();
  chat = new Chat(realBot(db.prisma));
});
afterEach(() => db.close());

const member = () => db.prisma.member.findFirstOrThrow({ where: { channelUserId: chat.userId } });

describe('first contact', () => {
  it('greets in Vietnamese and asks the language first, whatever the member typed', async () => {
    await chat.send('alo');
    expect(chat.text()).toContain('Xin chào! Đây là trợ lý của Hội Liên hiệp Phụ nữ');
    expect(chat.question().text).toBe('Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?');
    expect(chat.buttons()).toEqual(['Tiếng Việt', 'English']);
  });

  it('asks for consent, explaining what is stored, why and how to delete it, before storing anything', async () => {
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    const consent = chat.question();
    expect(consent.text).toContain('tên, xã/phường, số điện thoại');
    expect(consent.text).toContain('Mục đích');
    expect(consent.text).toContain('Xóa dữ liệu của tôi');
    expect(chat.buttons()).toEqual(['Đồng ý', 'Không đồng ý']);
    expect(await member()).toMatchObject({ consentAt: null, optedOutAt: null, displayName: null });
  });

  it('consent understands the usual short answers ("ok", "ko")', async () => {
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.send('ko');
    expect(chat.text()).toContain('Hội tôn trọng lựa chọn của chị');
    await chat.send('dong y cho hoi luu thong tin');
    await chat.send('ok');
    expect(chat.text()).toContain('Cảm ơn chị đã đồng ý');
  });

  it('consent given: the time is stored and the profile flow starts', async () => {
    await chat.send('alo');
    await chat.send('1');
    await chat.send('dong y');
    expect(chat.text()).toContain('Cảm ơn chị đã đồng ý');
    expect(chat.text()).toContain('Họ và tên của chị là gì?');
    const m = await member();
    expect(m.consentAt).toBeInstanceOf(Date);
    expect(m.optedOutAt).toBeNull();
  });

  it('consent declined: respected, stored, and the member gets public information only', async () => {
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Không đồng ý');
    expect(chat.text()).toContain('Hội tôn trọng lựa chọn của chị');
    expect(chat.buttons()).toEqual([
      'Kiểm tra khả năng vay vốn', // public information: the pre-screen stores nothing without consent
      'Đồng ý cho Hội lưu thông tin',
      'Thông tin Hội đang lưu',
      'Xóa dữ liệu của tôi',
      'Đổi ngôn ngữ / Language',
      'Hướng dẫn',
      'Học nghề ngắn hạn', // public information: the catalogue; registering asks for consent first
      'Báo sai thông tin sản phẩm', // anyone may report a problem with a published listing (issue 13)
    ]);
    expect(chat.buttons()).not.toContain('Gửi sản phẩm');
    expect(chat.buttons()).not.toContain('Hồ sơ của tôi');
    expect(chat.buttons()).not.toContain('Lớp học của tôi');
    const m = await member();
    expect(m.optedOutAt).toBeInstanceOf(Date);
    expect(m.consentAt).toBeNull();
    // The profile cannot be reached by typing its name either.
    await chat.send('ho so cua toi');
    expect(chat.text()).not.toContain('Họ và tên');
    // She may change her mind later.
    await chat.send('dong y cho hoi luu thong tin');
    await chat.tap('Đồng ý');
    expect(chat.text()).toContain('Họ và tên của chị là gì?');
    expect((await member()).consentAt).toBeInstanceOf(Date);
  });

  it('English: everything after the choice is in English, and the choice is stored', async () => {
    await chat.send('hello');
    await chat.tap('English');
    expect(chat.question().text).toContain('Do you agree?');
    expect(chat.buttons()).toEqual(['I agree', 'I do not agree']);
    await chat.tap('I agree');
    expect(chat.text()).toContain('What is your full name?');
    expect((await member()).language).toBe('en');
  });

  it('a returning member who sends /start is welcomed back to the menu', async () => {
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Không đồng ý');
    await chat.deliver({ kind: 'start' });
    expect(chat.text()).toContain('Chào mừng chị quay lại');
    expect(chat.question().text).toContain('Chị cần gì ạ?');
  });
});
