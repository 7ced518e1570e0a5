// Issue 14 point 3, the tester's findings: "dung" typed without marks is "đúng" (yes), "dừng" (stop) and a name. Where
// it could answer the current question and also be the stop word, the bot asks which she meant (both readings as
// buttons) — at first contact, at a three-choice question with a yes; on a question ABOUT announcements (the ask-once
// question, the stop and restart confirmations) the stop word is that question's "no announcements" answer. Officers
// and admins typing a stop word are told announcements go to members only. The confirmations take the words that say
// the other way ("không dừng", "vẫn nhận", "tắt"). The engine's table for every step kind: test/conversation/answers.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/wiring.ts';
import { Chat, realRuntime, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';

let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;

beforeEach(async () => {
  db = await freshDatabase();
  clock = new TestClock(new Date('2026-03-10T03:00:00Z'));
  rt = realRuntime(db.prisma, clock);
});
afterEach(() => db.close());

const memberOf = (c: Chat) => db.prisma.member.findFirstOrThrow({ where: { channelUserId: c.userId } });
const consents = async (c: Chat) =>
  db.prisma.memberConsent.findMany({ where: { memberId: (await memberOf(c)).id }, orderBy: { purpose: 'asc' } });
const receives = async (c: Chat) => {
  const row = (await consents(c)).find((r) => r.purpose === 'announcements');
  return row !== undefined && row.givenAt !== null && row.withdrawnAt === null;
};

/** A member through first contact with her profile saved, at the menu (announcements on). */
async function consented(language: 'Tiếng Việt' | 'English' = 'Tiếng Việt'): Promise<Chat> {
  const c = new Chat(rt.bot);
  await c.send('alo');
  await c.tap(language);
  await c.tap(language === 'English' ? 'I agree' : 'Đồng ý');
  await c.send('Trần Thị Mai');
  await c.send('Dân Tiến');
  await c.send('0912345678');
  await c.tap(language === 'English' ? 'Confirm' : 'Xác nhận');
  return c;
}

describe('"dung" at first contact', () => {
  it.each(['dung', 'DUNG', 'Dung'])(
    '%j at the consent question is asked about; nothing is stored until she says',
    async (word) => {
      const chat = new Chat(rt.bot);
      await chat.send('alo');
      await chat.tap('Tiếng Việt');
      await chat.send(word);
      expect(chat.text()).not.toContain('Cảm ơn chị đã đồng ý');
      expect(chat.question().text).toBe(`Chị muốn hủy việc đang làm, hay "${word}" nghĩa là "Đồng ý"?`);
      expect(chat.buttons()).toEqual(['Hủy việc đang làm', 'Ý tôi là "Đồng ý"']);
      expect((await memberOf(chat)).consentAt).toBeNull();
      expect(await consents(chat)).toEqual([]);
      await chat.tap('Ý tôi là "Đồng ý"');
      expect(chat.text()).toContain('Cảm ơn chị đã đồng ý');
      expect(await receives(chat)).toBe(true);
    },
  );

  it('"dung" then "Hủy việc đang làm" at the consent question: first contact starts again, nothing stored', async () => {
    const chat = new Chat(rt.bot);
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.send('dung');
    await chat.tap('Hủy việc đang làm');
    expect(chat.text()).toContain('Đã hủy. Thông tin vừa nhập chưa được lưu.');
    expect(chat.buttons()).toEqual(['Tiếng Việt', 'English']);
    expect((await memberOf(chat)).consentAt).toBeNull();
    expect(await consents(chat)).toEqual([]);
  });

  it('"đúng" with its marks agrees at once', async () => {
    const chat = new Chat(rt.bot);
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.send('đúng');
    expect(chat.text()).toContain('Cảm ơn chị đã đồng ý');
  });

  it('"dung" at the language question is no language: nothing is chosen, nothing stored', async () => {
    const chat = new Chat(rt.bot);
    await chat.send('alo');
    await chat.send('dung');
    expect(chat.text()).not.toContain('Cảm ơn chị đã đồng ý');
    expect((await memberOf(chat)).consentAt).toBeNull();
  });
});

describe('the ask-once question is about announcements: the stop word is "Không nhận"', () => {
  async function asked(): Promise<Chat> {
    const chat = await consented();
    await db.prisma.memberConsent.deleteMany({ where: { purpose: 'announcements' } });
    await chat.command('menu');
    expect(chat.buttons()).toEqual(['Nhận thông báo', 'Không nhận']);
    return chat;
  }

  it.each(['dung', 'DUNG', 'Dung', 'dừng', 'DỪNG', 'stop'])('%j declines announcements', async (word) => {
    const chat = await asked();
    await chat.send(word);
    expect(chat.text()).toContain('Dạ, Hội sẽ không gửi thông báo cho chị');
    expect(chat.text()).not.toContain('Đã hủy');
    expect(await receives(chat)).toBe(false);
  });

  it.each(['đúng', 'có', 'Nhận thông báo'])('%j gives them', async (word) => {
    const chat = await asked();
    await chat.send(word);
    expect(chat.text()).toContain('Cảm ơn chị. Muốn dừng');
    expect(await receives(chat)).toBe(true);
  });
});

describe('a three-choice question whose middle answer takes the yes words ("Không vay / Đang vay / Không biết")', () => {
  async function atLoans(): Promise<Chat> {
    const chat = await consented();
    await chat.tap('Kiểm tra khả năng vay vốn');
    const replies: Record<string, string> = {
      'vay vốn để làm gì': 'san xuat kinh doanh',
      'hộ nghèo, hộ cận nghèo': 'khong biet',
      'Xã của chị': 'khong biet',
    };
    for (let i = 0; i < 10 && !chat.question().text.includes('Hộ chị hiện có đang vay'); i++) {
      const key = Object.keys(replies).find((k) => chat.question().text.includes(k));
      if (!key) throw new Error(`unexpected question: ${chat.question().text}`);
      await chat.send(replies[key]!);
    }
    expect(chat.question().text).toContain('Hộ chị hiện có đang vay');
    return chat;
  }

  it('"dung" is asked about; "Ý tôi là "Đang vay"" picks it', async () => {
    const chat = await atLoans();
    await chat.send('dung');
    expect(chat.question().text).toBe('Chị muốn hủy việc đang làm, hay "dung" nghĩa là "Đang vay"?');
    expect(chat.buttons()).toEqual(['Hủy việc đang làm', 'Ý tôi là "Đang vay"']);
    await chat.tap('Ý tôi là "Đang vay"');
    expect(chat.text()).toContain('Hộ chị đang vay chương trình nào?');
  });

  it('"dung" then "Hủy việc đang làm" cancels; "dừng" with its marks cancels at once', async () => {
    const chat = await atLoans();
    await chat.send('dung');
    await chat.tap('Hủy việc đang làm');
    expect(chat.text()).toContain('Đã hủy');
    const again = await atLoans();
    await again.send('dừng');
    expect(again.text()).toContain('Đã hủy');
    expect(again.text()).not.toContain('dừng nhận thông báo');
  });
});

describe('the menu item "Thông báo của Hội" is about announcements too', () => {
  it.each(['dung', 'DỪNG', 'stop'])('%j there is "Dừng nhận"', async (word) => {
    const chat = await consented();
    await chat.tap('Thông báo của Hội');
    await chat.send(word);
    expect(chat.text()).toContain('Đã dừng nhận thông báo của Hội');
    expect(await receives(chat)).toBe(false);
  });
});

describe('officers and admins typing a stop word at their menu', () => {
  it.each([
    ['officer', 'dừng'],
    ['admin', 'DUNG'],
    ['admin', 'stop'],
  ])('a %s typing %j is told announcements go to members only', async (role, word) => {
    const chat = await consented();
    await db.prisma.member.update({ where: { id: (await memberOf(chat)).id }, data: { role } });
    await chat.command('menu');
    await chat.send(word);
    expect(chat.text()).toContain('Thông báo của Hội chỉ gửi cho hội viên');
    expect(chat.text()).not.toContain('Chị đang không nhận thông báo');
    expect(chat.text()).not.toContain('Muốn nhận lại');
  });
});

describe('officers and admins asking in their words', () => {
  it.each(['tat thong bao', 'bật lại thông báo'])('an officer typing %j is told the same', async (words) => {
    const chat = await consented();
    await db.prisma.member.update({ where: { id: (await memberOf(chat)).id }, data: { role: 'officer' } });
    await chat.command('menu');
    await chat.send(words);
    expect(chat.text()).toContain('Thông báo của Hội chỉ gửi cho hội viên');
    expect(chat.text()).not.toContain('Chị muốn');
  });
});

describe('the confirmations take the words that say the other way', () => {
  it.each(['bật lại thông báo', 'không dừng', 'vẫn nhận', 'Không'])('%j at "stop them?" keeps them', async (word) => {
    const chat = await consented();
    await chat.send('dừng');
    expect(chat.buttons()).toEqual(['Dừng nhận', 'Không']);
    await chat.send(word);
    expect(chat.text()).toContain('Dạ, chị vẫn nhận thông báo của Hội như trước.');
    expect(chat.text()).not.toContain('Mình đang dở câu hỏi này');
    expect(await receives(chat)).toBe(true);
  });

  it.each(['tắt', 'dừng', 'dung', 'không nhận'])('%j at "turn them back on?" keeps them off', async (word) => {
    const chat = await consented();
    await chat.send('dừng');
    await chat.tap('Dừng nhận');
    await chat.send('bật lại thông báo');
    expect(chat.buttons()).toEqual(['Nhận thông báo', 'Không']);
    await chat.send(word);
    expect(chat.text()).toContain('Dạ, Hội vẫn không gửi thông báo cho chị.');
    expect(await receives(chat)).toBe(false);
  });

  it.each(["don't stop", 'keep them'])('in English, %j at "stop them?" keeps them', async (word) => {
    const chat = await consented('English');
    await chat.send('stop');
    await chat.send(word);
    expect(chat.text()).toContain("All right, you still receive the Union's announcements.");
    expect(await receives(chat)).toBe(true);
  });
});
