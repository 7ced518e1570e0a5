// "My data" and "Delete my data".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/conversation/messages.ts';
import { createCaseRepository } from '../../src/data/caseRepository.ts';
import { createCreditInquiryRepository } from '../../src/data/creditInquiryRepository.ts';
import type { Runtime } from '../../src/wiring.ts';
import { createStoredFileRepository } from '../../src/data/storedFileRepository.ts';
import { Chat, realBot, realRuntime, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

let db: FreshDatabase;
let chat: Chat;

async function consentedMember(c: Chat): Promise<Chat> {
  await c.send('alo');
  await c.tap('Tiếng Việt');
  await c.tap('Đồng ý');
  await c.send('Trần Thị Mai');
  await c.send('Dân Tiến');
  await c.send('0912345678');
  await c.tap('Xác nhận');
  return c;
}

beforeEach(async () => {
  db = await freshDatabase();
  chat = await consentedMember(new Chat(realBot(db.prisma)));
});
afterEach(() => db.close());

const memberRow = (c: Chat) => db.prisma.member.findFirstOrThrow({ where: { channelUserId: c.userId } });

/** The texts of replies, without the questions' buttons. */
const texts = (replies: OutboundMessage[]): string[] => replies.map((m) => (m.kind === 'photo' ? '' : m.text));

/** Opens "my data" and reads every page ("Xem thêm" until the menu comes back). */
async function readMyData(c: Chat): Promise<string> {
  await c.tap('Thông tin Hội đang lưu');
  const shown = [c.text()];
  while (c.buttons().includes('Xem thêm')) {
    await c.tap('Xem thêm');
    shown.push(c.text());
  }
  return shown.join('\n');
}

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

  it('counts the photos she sent, with their dates (issue 9, point 7)', async () => {
    const member = await memberRow(chat);
    for (const id of ['p1', 'p2']) {
      await createStoredFileRepository(db.prisma).create({
        id,
        memberId: member.id,
        key: `${member.id}/${id}.jpg`,
        sha256: id.padEnd(64, '0'),
        mime: 'image/jpeg',
        bytes: 1000,
        width: 10,
        height: 10,
      });
    }
    const shown = await readMyData(chat);
    expect(shown).toContain('Ảnh chị đã gửi:');
    expect(shown).toMatch(/• 2 ảnh, gửi từ \d\d\/\d\d\/\d{4} đến \d\d\/\d\d\/\d{4}/);
  });

  it('shows what she and the officers wrote on her requests (issue 8, items 3 and 5)', async () => {
    const member = await memberRow(chat);
    const cases = createCaseRepository(db.prisma);
    const talk = await cases.create({
      type: 'talk',
      memberId: member.id,
      communeCode: '05755',
      details: { topic: 'Em muốn hỏi về lớp học may ở xã ạ' },
      createdAt: new Date('2026-03-01T03:00:00Z'),
    });
    const at = new Date('2026-03-01T03:05:00Z');
    await cases.addMessage({
      caseId: talk.id,
      author: 'member',
      authorId: null,
      text: 'Nhà em ở thôn 3',
      createdAt: at,
    });
    await cases.addMessage({
      caseId: talk.id,
      author: 'officer',
      authorId: null,
      text: 'Chị lên xã thứ Hai nhé',
      createdAt: at,
    });
    const shown = await readMyData(chat);
    expect(shown).toContain('  - 01/03/2026, chị viết: Nhà em ở thôn 3');
    expect(shown).toContain('  - 01/03/2026, cán bộ viết: Chị lên xã thứ Hai nhé');
  });

  it('shows her requests and her saved loan checks, with their answers and amounts (issue 8, item 5)', async () => {
    const member = await memberRow(chat);
    const cases = createCaseRepository(db.prisma);
    const talk = await cases.create({
      type: 'talk',
      memberId: member.id,
      communeCode: '05755',
      details: { topic: 'Em muốn hỏi về lớp học may ở xã ạ' },
      createdAt: new Date('2026-03-01T03:00:00Z'),
    });
    await cases.close(
      talk.id,
      'done',
      'Lớp may khai giảng 15/3 tại nhà văn hóa xã',
      new Date('2026-03-02T03:00:00Z'),
      member.id, // closed by whoever: the member sees the note and the date
    );
    const lead = await cases.create({
      type: 'credit_lead',
      memberId: member.id,
      communeCode: '05755',
      details: { purpose: 'Sản xuất, kinh doanh', amount: '30 triệu đồng' },
      createdAt: new Date('2026-03-02T03:00:00Z'),
    });
    await createCreditInquiryRepository(db.prisma).create({
      memberId: member.id,
      answers: {
        purpose: 'production',
        householdStatus: 'poor',
        amountNeeded: 30_000_000,
        savingsGroupMember: 'unknown',
      },
      result: {
        programmes: [
          { id: 'poor', names: { vi: 'Cho vay hộ nghèo', en: 'Loans to poor households' }, status: 'likely' },
          { id: 'water', names: { vi: 'Nước sạch', en: 'Clean water' }, status: 'not_eligible' },
        ],
      },
      dataVersion: 'test',
      evaluatedOn: '2026-03-02',
      caseId: lead.id,
    });

    const shown = await readMyData(chat);
    expect(shown).toContain('Yêu cầu chị đã gửi:');
    expect(shown).toContain(`• #${talk.id} Muốn trao đổi với cán bộ (01/03/2026): đã xong`);
    expect(shown).toContain('  - Nội dung: Em muốn hỏi về lớp học may ở xã ạ');
    expect(shown).toContain('  - Cán bộ ghi chú: Lớp may khai giảng 15/3 tại nhà văn hóa xã');
    expect(shown).toContain('  - Kết thúc ngày: 02/03/2026');
    expect(shown).toContain(`• #${lead.id} Hỏi vay vốn (02/03/2026): đang chờ cán bộ nhận`);
    expect(shown).toContain('Kiểm tra vay vốn chị đã gửi cán bộ:');
    expect(shown).toContain(`kèm yêu cầu #${lead.id}`);
    expect(shown).toContain('  - Mục đích: Sản xuất, kinh doanh');
    expect(shown).toContain('  - Diện hộ: Hộ nghèo');
    expect(shown).toContain('  - Số tiền cần vay: 30 triệu đồng');
    expect(shown).toContain('  - Trong Tổ Tiết kiệm và vay vốn: Không biết');
    expect(shown).toContain('  - Có thể phù hợp: Cho vay hộ nghèo');
    expect(shown).not.toContain('Nước sạch');
  });

  it('lays a long record out in short pages; "Xem thêm" (or its number) shows the next one (issue 8, item 5)', async () => {
    const member = await memberRow(chat);
    const cases = createCaseRepository(db.prisma);
    const ids: number[] = [];
    for (let i = 1; i <= 9; i++) {
      const c = await cases.create({
        type: 'talk',
        memberId: member.id,
        communeCode: '05755',
        details: {
          topic: `Câu hỏi số ${i}: em muốn hỏi về lớp học nghề, về vay vốn và về cách bán sản phẩm của hợp tác xã`,
        },
        createdAt: new Date(`2026-03-0${i}T03:00:00Z`),
      });
      ids.push(c.id);
    }
    const pages: string[] = [];
    await chat.tap('Thông tin Hội đang lưu');
    for (let guard = 0; guard < 10; guard++) {
      const [page] = texts(chat.last);
      pages.push(page ?? '');
      const question = chat.question();
      if (question.text.startsWith('Chị cần gì')) break; // the last page, then the menu
      expect(question.text).toMatch(/^Còn trang \d\/\d\. Chị xem tiếp không\?$/);
      expect(chat.buttons()).toEqual(['Xem thêm', 'Về menu']);
      // By number, as on a channel without buttons, and by tapping.
      await (guard % 2 === 0 ? chat.send('1') : chat.tap('Xem thêm'));
    }
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, i) => {
      expect(page.startsWith(`Thông tin Hội đang lưu về chị (trang ${i + 1}/${pages.length}):`)).toBe(true);
      expect(page.length).toBeLessThanOrEqual(700);
    });
    const all = pages.join('\n');
    for (const id of ids) expect(all.split(`• #${id} `)).toHaveLength(2); // each request once
    expect(all).toContain('• Họ tên: Trần Thị Mai');
    // The last page says what she can do, then the menu follows.
    expect(chat.text()).toContain('Muốn sửa, chị chọn "Hồ sơ của tôi" trong menu.');

    // "Về menu" stops paging.
    await chat.tap('Thông tin Hội đang lưu');
    await chat.tap('Về menu');
    expect(chat.question().text).toContain('Chị cần gì ạ?');
  });
});

describe('dates people read are local (issue 8, item 8)', () => {
  it('at 02:25 Vietnam time on 01/12, "Yêu cầu của tôi" and "my data" show 01/12/2026', async () => {
    const clock = new TestClock(new Date('2026-11-30T19:25:00Z'));
    const rt: Runtime = realRuntime(db.prisma, clock);
    const late = await consentedMember(new Chat(rt.bot, 'late-night'));
    const member = await memberRow(late);
    const request = await createCaseRepository(db.prisma).create({
      type: 'talk',
      memberId: member.id,
      communeCode: '05755',
      details: { topic: 'Hỏi lớp học' },
      createdAt: clock.now(),
    });
    await late.tap('Yêu cầu của tôi');
    expect(late.text()).toContain(`#${request.id} Muốn trao đổi với cán bộ (01/12/2026)`);
    const shown = await readMyData(late);
    expect(shown).toContain('Đồng ý lưu thông tin: đã đồng ý ngày 01/12/2026');
    expect(shown).toContain(`• #${request.id} Muốn trao đổi với cán bộ (01/12/2026)`);
    expect(shown).not.toContain('30/11/2026');
  });
});

describe('hints name only items of her own menu (issue 8, item 18)', () => {
  /** Quoted phrases that are menu labels, in every text a member was shown. */
  const MENU_LABELS = [
    'Hồ sơ của tôi',
    'Đồng ý cho Hội lưu thông tin',
    'Thông tin Hội đang lưu',
    'Xóa dữ liệu của tôi',
    'Đổi ngôn ngữ / Language',
    'Hướng dẫn',
    'Nói chuyện với cán bộ Hội',
    'Yêu cầu cần xử lý',
    'Tạo mã mời cán bộ',
    'Danh sách cán bộ',
    'Kiểm tra khả năng vay vốn',
    'Yêu cầu của tôi',
  ];
  const namedItems = (shown: string): string[] =>
    [...shown.matchAll(/"([^"]+)"/g)].map((m) => m[1]!).filter((q) => MENU_LABELS.includes(q));

  /** Opens every item of her menu in turn and checks each menu item named in what she is shown. */
  async function everyHintIsInHerMenu(c: Chat, seenBefore: string): Promise<string[]> {
    await c.command('menu');
    const menu = c.buttons();
    const problems: string[] = [];
    const check = (where: string, shown: string) => {
      for (const item of namedItems(shown)) if (!menu.includes(item)) problems.push(`${where}: "${item}"`);
    };
    check('before', seenBefore);
    for (const item of menu) {
      if (item === 'Xóa dữ liệu của tôi' || item === 'Đổi ngôn ngữ / Language') continue; // would end or switch
      await c.command('menu');
      await c.tap(item);
      check(item, c.text());
    }
    return problems;
  }

  it('a member who declined consent is never told to choose "Hồ sơ của tôi"', async () => {
    const declined = new Chat(realBot(db.prisma), 'declined');
    await declined.send('alo');
    await declined.tap('Tiếng Việt');
    await declined.tap('Không đồng ý');
    const afterDecline = declined.text();
    expect(declined.buttons()).not.toContain('Hồ sơ của tôi');
    await declined.tap('Thông tin Hội đang lưu');
    expect(declined.text()).not.toContain('Hồ sơ của tôi');
    expect(declined.text()).toContain(
      'Chị chưa đồng ý nên Hội không lưu tên, xã/phường hay số điện thoại của chị. Muốn Hội lưu, chị chọn "Đồng ý cho Hội lưu thông tin" trong menu.',
    );
    expect(await everyHintIsInHerMenu(declined, afterDecline)).toEqual([]);
  });

  it('a member who consented is pointed at items of her menu', async () => {
    await chat.tap('Thông tin Hội đang lưu');
    expect(chat.text()).toContain('Muốn sửa, chị chọn "Hồ sơ của tôi" trong menu.');
    expect(chat.text()).toContain('Muốn xóa hết, chị chọn "Xóa dữ liệu của tôi".');
    expect(await everyHintIsInHerMenu(chat, '')).toEqual([]);
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
