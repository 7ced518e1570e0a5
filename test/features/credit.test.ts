// The credit pre-screen as a member lives it: the questions asked (only those that matter), the answer with the rate
// in force that day, editing an answer, a lead for the commune's officer, quick questions typed at the menu.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/conversation/messages.ts';
import type { Runtime } from '../../src/wiring.ts';
import { Chat, realRuntime, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

let db: FreshDatabase;
let clock: TestClock;
let rt: Runtime;
let pushed: OutboundMessage[];

beforeEach(async () => {
  db = await freshDatabase();
  clock = new TestClock(new Date('2026-03-02T03:00:00Z'));
  rt = realRuntime(db.prisma, clock);
  pushed = [];
  rt.pushers.register('telegram', {
    push: async (_to, messages) => {
      pushed.push(...messages);
      return 'sent';
    },
  });
});
afterEach(() => db.close());

async function consentedMember(userId = 'lan'): Promise<Chat> {
  const chat = new Chat(rt.bot, userId, 'zalo');
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send('Nguyễn Thị Lan');
  await chat.send('Dan Tien');
  await chat.send('0912345678');
  await chat.tap('Xác nhận');
  return chat;
}

/** Answers the questions the flow asks, by their prompt, until the summary. */
async function answer(chat: Chat, replies: Record<string, string>): Promise<string[]> {
  const asked: string[] = [];
  for (let i = 0; i < 12; i++) {
    const last = chat.last.at(-1);
    const question = last && last.kind !== 'photo' ? last.text : '';
    if (question.startsWith('Thông tin chị đã trả lời')) return asked;
    const key = Object.keys(replies).find((k) => question.includes(k));
    if (!key) throw new Error(`unexpected question: ${question}`);
    asked.push(key);
    await chat.send(replies[key]!);
  }
  throw new Error('no summary');
}

const POOR = {
  'vay vốn để làm gì': 'san xuat kinh doanh',
  'hộ nghèo, hộ cận nghèo': 'ho ngheo',
  'bao nhiêu': '30tr',
  'Tổ Tiết kiệm': 'co',
};

describe('the pre-screen', () => {
  it('asks only what matters, then shows the programme with the rate in force today', async () => {
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    expect(chat.text()).toContain('Đây chỉ là đánh giá sơ bộ');
    const asked = await answer(chat, POOR);
    // The commune comes from her profile; a poor household is not asked about difficult-area loans.
    expect(asked).toEqual(['vay vốn để làm gì', 'hộ nghèo, hộ cận nghèo', 'bao nhiêu', 'Tổ Tiết kiệm']);
    expect(chat.question().text).toContain('• Số tiền cần vay: 30 triệu đồng');
    await chat.tap('Xác nhận');
    const shown = chat.text();
    expect(shown).toContain('Kết quả sơ bộ (theo quy định áp dụng ngày 02/03/2026):');
    expect(shown).toContain('✅ Cho vay hộ nghèo — chị có thể phù hợp');
    expect(shown).toContain('• Vay tối đa: 100 triệu đồng/hộ');
    expect(shown).toContain('• Lãi suất: 6,24%/năm (0,52%/tháng), áp dụng từ 01/12/2025');
    expect(shown).toContain('Ngân hàng Chính sách xã hội quyết định');
    // The rest of the answer (documents, next steps) is behind "Xem thêm".
    expect(chat.buttons()).toEqual(['Xem thêm', 'Nhờ cán bộ liên hệ với tôi', 'Trả lời lại từ đầu', 'Về menu']);
  });

  it('before 1 December 2025 the old rate is shown', async () => {
    clock = new TestClock(new Date('2025-11-20T03:00:00Z'));
    rt = realRuntime(db.prisma, clock);
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, POOR);
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('• Lãi suất: 6,6%/năm (0,55%/tháng)');
  });

  it('editing an answer at the summary changes the result', async () => {
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, POOR);
    await chat.tap('Sửa thông tin');
    await chat.tap('Diện hộ');
    await chat.tap('Hộ cận nghèo');
    await answer(chat, POOR); // anything the edit newly requires
    expect(chat.question().text).toContain('• Diện hộ: Hộ cận nghèo');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Cho vay hộ cận nghèo');
    expect(chat.text()).toContain('7,488%/năm');
    expect(chat.text()).not.toContain('✅ Cho vay hộ nghèo —');
  });

  it('"I don\'t know" leads to "an officer needs to check", never to a yes or a no', async () => {
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, {
      ...POOR,
      'hộ nghèo, hộ cận nghèo': 'khong biet',
      'Xã của chị': 'khong biet',
      'đang vay': 'khong biet',
    });
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('❓ Cho vay hộ nghèo — cần cán bộ kiểm tra thêm');
    expect(chat.text()).not.toContain('✅ Cho vay hộ nghèo');
  });

  it('amounts are read the way people type them, and a bare number is confirmed', async () => {
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await chat.send('1');
    await chat.send('ho ngheo');
    await chat.send('30');
    expect(chat.question().text).toBe('Ý chị là 30 triệu đồng phải không?');
    await chat.tap('Có');
    await chat.send('co');
    expect(chat.question().text).toContain('• Số tiền cần vay: 30 triệu đồng');
    await chat.tap('Sửa thông tin');
    await chat.tap('Số tiền cần vay');
    await chat.send('1,5 tỷ');
    expect(chat.question().text).toContain('• Số tiền cần vay: 1,5 tỷ đồng');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('cao hơn mức tối đa');
  });
});

describe('lead and status', () => {
  it('"ask an officer" saves the inquiry, opens a case for the commune officer, and the member sees its status', async () => {
    const { code } = await rt.features.invitations.create({
      role: 'officer',
      areas: ['05755'],
      createdBy: 'cli',
      ttlHours: 1,
    });
    const officer = new Chat(rt.bot, 'officer', 'telegram');
    await officer.send(code);
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, POOR);
    await chat.tap('Xác nhận');
    await chat.tap('Nhờ cán bộ liên hệ với tôi');
    // Her profile has a phone number: the officer may call it.
    await chat.tap('Gọi số 0912 345 678');
    expect(chat.text()).toMatch(/Đã gửi yêu cầu #\d+ đến cán bộ Hội/);
    const notification = pushed.map((m) => (m.kind === 'photo' ? '' : m.text)).join('\n');
    expect(notification).toContain('Hỏi vay vốn');
    expect(notification).toContain('Mục đích vay: Sản xuất, kinh doanh');
    expect(notification).toContain('Chương trình có thể phù hợp: Cho vay hộ nghèo');
    expect(notification).toContain('Số tiền cần: 30 triệu đồng');
    const inquiry = await db.prisma.creditInquiry.findFirstOrThrow();
    expect(inquiry).toMatchObject({ evaluatedOn: '2026-03-02', caseId: expect.any(Number) });
    expect(inquiry.dataVersion).not.toBe('');
    expect(inquiry.answers).toMatchObject({ purpose: 'production', householdStatus: 'poor', amountNeeded: 30_000_000 });
    await chat.tap('Yêu cầu của tôi');
    expect(chat.text()).toMatch(/#\d+ Hỏi vay vốn \(02\/03\/2026\): đang chờ cán bộ nhận/);
  });

  it('a member who declined consent gets the pre-screen but must consent before a lead', async () => {
    const chat = new Chat(rt.bot, 'anon', 'zalo');
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Không đồng ý');
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, { ...POOR, 'xã/phường nào': 'Dan Tien' });
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Cho vay hộ nghèo');
    await chat.tap('Nhờ cán bộ liên hệ với tôi');
    expect(chat.text()).toContain('Hội cần chị đồng ý cho lưu thông tin');
    expect(chat.buttons()).toEqual(['Đồng ý', 'Không đồng ý']);
    expect(await db.prisma.creditInquiry.count()).toBe(0);
    // She agrees, gives her profile, and is brought back to her lead: nothing she answered is lost.
    await chat.send('ok');
    await chat.send('Trần Thị Hoa');
    await chat.send('Dan Tien');
    await chat.send('bo qua');
    await chat.tap('Xác nhận');
    expect(chat.question().text).toBe('Chị muốn làm gì tiếp?');
    await chat.tap('Nhờ cán bộ liên hệ với tôi');
    // She gave no phone number in her profile: she is asked for one (optional), and skips.
    expect(chat.question().text).toContain('chị cho em số điện thoại di động');
    await chat.send('bo qua');
    // No officer uses the bot in her commune yet: she is told so honestly, and the request is kept.
    expect(chat.text()).toMatch(/Đã ghi nhận yêu cầu #\d+\. Hiện xã\/phường của chị chưa có cán bộ Hội dùng bot này/);
    const inquiry = await db.prisma.creditInquiry.findFirstOrThrow();
    expect(inquiry.answers).toMatchObject({ purpose: 'production', householdStatus: 'poor' });
  });

  it('in English, "dont know" is understood and programme names are English', async () => {
    const chat = new Chat(rt.bot, 'en', 'telegram');
    await chat.send('hello');
    await chat.tap('English');
    await chat.tap('I do not agree');
    await chat.tap('Check whether I can borrow');
    await chat.send('farming');
    await chat.send('Dan Tien');
    await chat.send('dont know');
    expect(chat.text()).not.toContain("I didn't understand");
    for (let i = 0; i < 8 && !chat.question().text.startsWith('Your answers'); i++) {
      const q = chat.question().text;
      if (q.startsWith('Which programme')) {
        expect(chat.buttons()).toContain('Loans for poor households');
        await chat.send('dont know');
      } else if (q.startsWith('Does your household currently owe')) await chat.send('yes, a loan');
      else await chat.send('dont know');
    }
    expect(chat.question().text).toContain('• Household status: I don');
    await chat.tap('Confirm');
    expect(chat.text()).toContain('an officer needs to check');
  });
});

describe('quick questions at the menu', () => {
  it('answers "lãi suất hộ nghèo bao nhiêu" typed without diacritics with the current figure', async () => {
    const chat = await consentedMember();
    await chat.send('lai suat ho ngheo bao nhieu');
    expect(chat.text()).toContain('Cho vay hộ nghèo\n• Lãi suất: 6,24%/năm (0,52%/tháng)');
    expect(chat.question().text).toContain('Chị cần gì ạ?');
    await chat.send('vay nuoc sach duoc bao nhieu');
    expect(chat.text()).toContain('• Vay tối đa: 25 triệu đồng/công trình (tổng tối đa 50 triệu đồng)');
    await chat.send('xin chao');
    expect(chat.text()).toContain('Em chưa hiểu lựa chọn của chị');
  });
});
