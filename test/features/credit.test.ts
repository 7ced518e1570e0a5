// The credit pre-screen as a member lives it: the questions asked (only those that matter), the answer with the rate
// in force that day, editing an answer, a lead for the commune's officer, quick questions typed at the menu.
import { deliveryFrom } from '../helpers/fakes.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName, OutboundMessage } from '../../src/conversation/messages.ts';
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
  rt.bot.connect(
    'telegram',
    deliveryFrom(async (_to, messages) => {
      pushed.push(...messages);
      return 'sent';
    }),
  );
});
afterEach(() => db.close());

async function consentedMember(
  userId = 'lan',
  {
    commune = 'Dan Tien',
    phone = '0912345678',
    channel = 'zalo',
  }: { commune?: string; phone?: string; channel?: ChannelName } = {},
): Promise<Chat> {
  const chat = new Chat(rt.bot, userId, channel);
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send('Nguyễn Thị Lan');
  await chat.send(commune);
  if (chat.question().text.includes('đúng không')) await chat.tap('Có');
  await chat.send(phone);
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
    expect(chat.buttons()).toEqual(['Nhờ cán bộ liên hệ với tôi', 'Trả lời lại từ đầu', 'Về menu', 'Xem thêm']);
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
    await chat.send('hom nay troi dep');
    // Not a quick question, nor a feature: the nearest items and the officer, never a bare "not understood".
    expect(chat.text()).toContain('Em chưa chắc chị cần gì');
    expect(chat.buttons()).toContain('Gửi câu này cho cán bộ Hội');
  });
});

/** Every text the member was shown, one string per message. */
const texts = (chat: Chat): string[] => chat.last.map((m) => (m.kind === 'photo' ? '' : m.text));

describe('why nothing fits (issue 8, item 7)', () => {
  it('a ward member asking for a clean-water loan is told first that it is for rural households', async () => {
    const chat = await consentedMember('hoa', { commune: 'Phan Dinh Phung' });
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, {
      'vay vốn để làm gì': 'Nước sạch, nhà vệ sinh',
      'hộ nghèo, hộ cận nghèo': 'Không thuộc diện nào',
    });
    await chat.tap('Xác nhận');
    const [first] = texts(chat);
    expect(first).toContain('Theo thông tin chị cho, em chưa thấy chương trình nào phù hợp.');
    expect(first).toContain('Với mục đích "Nước sạch, nhà vệ sinh":');
    // The clean-water programme's reason comes first, with why a ward counts as urban.
    const lines = first!.split('\n').filter((l) => l.startsWith('• '));
    expect(lines[0]).toBe(
      '• Nước sạch, vệ sinh nông thôn: Chương trình này dành cho hộ ở khu vực nông thôn. ' +
        'Phường Phan Đình Phùng được tính là khu vực thành thị.',
    );
    // Then the household programmes that may partly cover clean water; never programmes for other purposes.
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual([
      '• Hộ nghèo',
      '• Hộ cận nghèo',
      '• Hộ mới thoát nghèo',
    ]);
    expect(first).not.toMatch(/sinh viên|việc làm|nhà ở|vùng khó khăn/i);
    expect(first!.length).toBeLessThan(600);
    // The rest (other programmes in one line, suggestions) behind "Xem thêm".
    await chat.tap('Xem thêm');
    expect(chat.text()).toContain('Các chương trình khác dành cho mục đích khác.');
    expect(chat.text()).toContain('💡 Học nghề ngắn hạn');
  });

  it('a purpose no programme serves is said plainly, not as a list of unrelated reasons', async () => {
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, { 'vay vốn để làm gì': 'Việc khác' });
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('chưa có chương trình nào trong danh sách của em cho mục đích "Việc khác"');
    expect(chat.text()).not.toContain('• ');
  });
});

describe('answers a cheap phone can read (issue 8, items 11 and 12)', () => {
  it('"lai suat bao nhieu": one line per programme, rates as the bank writes them, the rest behind a button', async () => {
    const chat = await consentedMember();
    await chat.send('lai suat bao nhieu');
    const [list, footer] = texts(chat);
    expect(list).toContain('• Hộ nghèo: 6,24%/năm (0,52%/tháng)');
    expect(list).toContain('• Tạo việc làm: 7,92%/năm (0,66%/tháng); nhóm ưu tiên từ 6,24%/năm');
    expect(list!.length + footer!.length).toBeLessThan(650);
    // Nothing was asked about her household: no "not known whether…", no ".;", no four-decimal rate.
    expect(chat.text()).not.toContain('Chưa rõ');
    expect(chat.text()).not.toMatch(/\.;|\d,\d{4}%/);
    expect(chat.buttons()[0]).toBe('Xem chi tiết');
    await chat.tap('Xem chi tiết');
    const detail = chat.text();
    expect(detail).toContain('Cho vay hộ nghèo\n• Lãi suất: 6,24%/năm (0,52%/tháng), áp dụng từ 01/12/2025');
    expect(detail).toContain(
      '• Lãi suất ưu đãi cho nhóm ưu tiên (người lao động dân tộc thiểu số thuộc hộ nghèo, người Kinh thuộc hộ nghèo ' +
        'ở địa bàn đặc biệt khó khăn, người khuyết tật và một số nhóm khác): 6,24%/năm (0,52%/tháng)',
    );
    expect(detail).not.toMatch(/Chưa rõ|\.;|\d,\d{4}%/);
    expect(chat.question().text).toContain('Chị cần gì ạ?');
  });

  it('without buttons, "Xem chi tiết" shows the words to type, and typing them gives the detail', async () => {
    const chat = await consentedMember('console-lan', { channel: 'console' });
    await chat.send('lai suat bao nhieu');
    const button = chat.last
      .flatMap((m) => (m.kind === 'choices' ? m.choices : []))
      .find((c) => c.label === 'Xem chi tiết');
    expect(button?.typed).toBe('chi tiet lai suat');
    await chat.send('chi tiet lai suat');
    expect(chat.text()).toContain('Cho vay hộ nghèo\n• Lãi suất: 6,24%/năm (0,52%/tháng), áp dụng từ 01/12/2025');
  });

  it('the pre-screen answer leads with the result; "Xem thêm" (tapped, typed or by number) shows the rest once', async () => {
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, { ...POOR, 'bao nhiêu': 'bo qua', 'Tổ Tiết kiệm': 'khong biet' });
    // A skipped amount is shown gracefully; the group is named in full.
    expect(chat.question().text).toContain('• Số tiền cần vay: Chưa xác định');
    expect(chat.question().text).toContain('• Trong Tổ Tiết kiệm và vay vốn: Không biết');
    await chat.tap('Xác nhận');
    const [first] = texts(chat);
    expect(first!.length).toBeLessThan(600);
    expect(first).toContain('✅ Cho vay hộ nghèo — chị có thể phù hợp');
    expect(first).toContain('Ngân hàng Chính sách xã hội quyết định');
    await chat.send('xem them');
    const rest = chat.text();
    expect(rest).toContain('• Cần chuẩn bị: Căn cước công dân');
    // One "next step" bullet, the steps numbered under it.
    expect(rest.match(/Bước tiếp theo/g)).toHaveLength(1);
    expect(rest).toMatch(
      /• Bước tiếp theo:\n {2}1\. Hỏi chi hội phụ nữ[^\n]*\n {2}2\. Tổ Tiết kiệm và vay vốn họp bình xét/,
    );
    // Everything shown: no more "Xem thêm".
    expect(chat.buttons()).toEqual(['Nhờ cán bộ liên hệ với tôi', 'Trả lời lại từ đầu', 'Về menu']);
    const all = [first, rest].join('\n');
    expect(all).not.toContain('TK&VV');
    expect(all).not.toContain('Không biết');
  });

  it('a long answer comes in parts, picked by number on any channel', async () => {
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, {
      'vay vốn để làm gì': 'san xuat kinh doanh',
      'hộ nghèo, hộ cận nghèo': 'khong biet',
      'Xã của chị': 'khong biet',
      'đang vay': 'khong biet',
      'bao nhiêu': '30 triệu',
      'Tổ Tiết kiệm': 'co',
    });
    await chat.tap('Xác nhận');
    const parts = [texts(chat)[0]!];
    expect(parts[0]!.length).toBeLessThan(600);
    expect(parts[0]).toMatch(/và \d chương trình khác \(chọn "Xem thêm"\)/);
    for (let i = 0; i < 10 && chat.buttons().at(-1) === 'Xem thêm'; i++) {
      await chat.send('4'); // "Xem thêm" is last, so the other choices keep their numbers
      parts.push(texts(chat)[0]!);
    }
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => p.length < 1200)).toBe(true);
    // With everything shown, "1" is still "Nhờ cán bộ liên hệ với tôi", as it was on the first screen.
    expect(chat.buttons()[0]).toBe('Nhờ cán bộ liên hệ với tôi');
    const all = parts.join('\n');
    for (const name of [
      'Cho vay hộ cận nghèo',
      'Cho vay hộ mới thoát nghèo',
      'Cho vay hộ sản xuất, kinh doanh tại vùng khó khăn',
    ]) {
      expect(all).toContain(`❓ ${name} — cần cán bộ kiểm tra thêm`);
    }
    // The same documents and steps are not repeated for every programme.
    expect(all).toContain('• Cần chuẩn bị: như trên');
    expect(all).toContain('• Bước tiếp theo: như trên');
    expect(chat.question().text).toBe('Chị muốn làm gì tiếp?');
  });

  it('the water loan ceiling is said once, not again in brackets', async () => {
    const chat = await consentedMember();
    await chat.send('vay nuoc sach duoc bao nhieu');
    expect(chat.text()).toContain('• Vay tối đa: 25 triệu đồng/công trình (tổng tối đa 50 triệu đồng)');
    expect(chat.text().match(/25 triệu/g)).toHaveLength(1);
    expect(chat.text().match(/50 triệu/g)).toHaveLength(1);
  });
});

describe('amounts as people say them (issue 8, item 13)', () => {
  async function atAmount(): Promise<Chat> {
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await chat.send('san xuat kinh doanh');
    await chat.send('ho ngheo');
    expect(chat.question().text).toContain('Chị cần vay khoảng bao nhiêu?');
    return chat;
  }

  it('"3 chục triệu" is 30 million', async () => {
    const chat = await atAmount();
    await chat.send('3 chục triệu');
    await chat.send('co');
    expect(chat.question().text).toContain('• Số tiền cần vay: 30 triệu đồng');
  });

  it('"1000" asks which amount she means; she picks 1 million', async () => {
    const chat = await atAmount();
    await chat.send('1000');
    expect(chat.question().text).toBe('Chị cần vay số nào ạ?');
    expect(chat.buttons()).toEqual(['1.000.000 đồng (1 triệu)', '1.000 đồng', 'Không phải các mục trên']);
    await chat.tap('1.000.000 đồng (1 triệu)');
    await chat.send('co');
    expect(chat.question().text).toContain('• Số tiền cần vay: 1 triệu đồng');
  });

  it('"3000" taken literally only when she says so; "50k" is confirmed before it is kept', async () => {
    const chat = await atAmount();
    await chat.send('3000');
    await chat.send('2');
    await chat.send('co');
    expect(chat.question().text).toContain('• Số tiền cần vay: 3.000 đồng');
    await chat.tap('Sửa thông tin');
    await chat.tap('Số tiền cần vay');
    await chat.send('50k');
    expect(chat.question().text).toBe('Chị cần vay 50.000 đồng thôi phải không ạ?');
    await chat.tap('Không');
    await chat.send('5 chục triệu');
    expect(chat.question().text).toContain('• Số tiền cần vay: 50 triệu đồng');
  });
});

describe('how the officer reaches her (issue 8, item 4)', () => {
  it('without a phone number she is asked for one, optionally; given, it is saved and she is told she will be called', async () => {
    const chat = await consentedMember('mai', { phone: 'bo qua' });
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, POOR);
    await chat.tap('Xác nhận');
    await chat.tap('Nhờ cán bộ liên hệ với tôi');
    const ask = chat.question();
    expect(ask.text).toContain('Để cán bộ Hội gọi lại cho chị');
    expect(ask.text).toContain('không bắt buộc');
    expect(ask.text).toContain('chỉ cán bộ nhận yêu cầu của chị mới xem được');
    expect(chat.buttons()).toEqual(['Bỏ qua']);
    await chat.send('0987 654 321');
    expect(chat.text()).toContain('Em đã lưu số điện thoại vào hồ sơ của chị.');
    expect(chat.text()).toContain('Cán bộ sẽ gọi cho chị theo số 0987 654 321');
    const member = await db.prisma.member.findFirstOrThrow({ where: { channelUserId: 'mai' } });
    expect(member.phone).toBe('+84987654321');
    expect(await db.prisma.case.count({ where: { type: 'credit_lead' } })).toBe(1);
  });

  it("skipping on Zalo: she is told the officer writes here, and about Zalo's 7-day window", async () => {
    const chat = await consentedMember('nga', { phone: 'bo qua' });
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, POOR);
    await chat.tap('Xác nhận');
    await chat.tap('Nhờ cán bộ liên hệ với tôi');
    await chat.tap('Bỏ qua');
    expect(chat.text()).toContain('Chị không để lại số điện thoại, nên cán bộ sẽ nhắn cho chị qua Zalo này.');
    expect(chat.text()).toContain('7 ngày');
    expect(chat.text()).not.toContain('gọi cho chị');
    const member = await db.prisma.member.findFirstOrThrow({ where: { channelUserId: 'nga' } });
    expect(member.phone).toBeNull();
  });

  it('with a phone in her profile she chooses: that number, another one, or only this chat', async () => {
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, POOR);
    await chat.tap('Xác nhận');
    await chat.tap('Nhờ cán bộ liên hệ với tôi');
    expect(chat.question().text).toContain('Trong hồ sơ của chị có số 0912 345 678');
    expect(chat.buttons()).toEqual(['Gọi số 0912 345 678', 'Số khác', 'Chỉ nhắn qua đây']);
    await chat.tap('Chỉ nhắn qua đây');
    expect(chat.text()).toContain('cán bộ sẽ nhắn cho chị qua Zalo này');
    // Her profile keeps its number; she did not want a call this time.
    const member = await db.prisma.member.findFirstOrThrow({ where: { channelUserId: 'lan' } });
    expect(member.phone).toBe('+84912345678');
  });

  it('the officer\'s notification says "Chưa xác định" for a skipped amount', async () => {
    const { code } = await rt.features.invitations.create({
      role: 'officer',
      areas: ['05755'],
      createdBy: 'cli',
      ttlHours: 1,
    });
    await new Chat(rt.bot, 'officer', 'telegram').send(code);
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, { ...POOR, 'bao nhiêu': 'bo qua' });
    await chat.tap('Xác nhận');
    await chat.tap('Nhờ cán bộ liên hệ với tôi');
    await chat.tap('Gọi số 0912 345 678');
    const notification = pushed.map((m) => (m.kind === 'photo' ? '' : m.text)).join('\n');
    expect(notification).toContain('Số tiền cần: Chưa xác định');
  });
});

describe('dates follow TIME_ZONE', () => {
  it("the rules of the local day apply, and the date is written in the member's language", async () => {
    // 2025-11-30 18:00 UTC: still 30 November in a bot configured for UTC (old rate), 1 December in Vietnam.
    clock = new TestClock(new Date('2025-11-30T18:00:00Z'));
    rt = realRuntime(db.prisma, clock, { timeZone: 'UTC' });
    const chat = await consentedMember();
    await chat.tap('Kiểm tra khả năng vay vốn');
    await answer(chat, POOR);
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Kết quả sơ bộ (theo quy định áp dụng ngày 30/11/2025):');
    expect(chat.text()).toContain('• Lãi suất: 6,6%/năm (0,55%/tháng)');

    const en = new Chat(rt.bot, 'en-tz', 'telegram');
    await en.send('hello');
    await en.tap('English');
    await en.tap('I do not agree');
    await en.send('interest rate poor households');
    expect(en.text()).toContain('Figures in force on 30 Nov 2025:');
  });
});
