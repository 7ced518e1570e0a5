// How members really answer, on the console harness with the real bot: "đúng" is not "dừng", a member named Dung can
// save her profile, polite answers ("có ạ", "dạ vâng") are understood, "1." picks the first choice, "ko co" skips the
// phone, /start and "alo" resume where she was, and text is stored as NFC (issue 8, items 1, 2, 6, 14, 16, 19, 20).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answerText, type Answers, type Flow } from '../../src/conversation/flow.ts';
import { botWithFlows, Chat, HOUR, realBot, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

let db: FreshDatabase;
let clock: TestClock;
let chat: Chat;

beforeEach(async () => {
  db = await freshDatabase();
  clock = new TestClock();
  chat = new Chat(realBot(db.prisma, clock));
});
afterEach(() => db.close());

const member = () => db.prisma.member.findFirstOrThrow({ where: { channelUserId: chat.userId } });

async function consented(): Promise<void> {
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  expect(chat.text()).toContain('Họ và tên của chị là gì?');
}

describe('"đúng" confirms, "dừng" cancels, and "dung" means what the question allows', () => {
  it.each(['đúng', 'dung', 'Đúng rồi', 'dung roi a', 'dạ đúng ạ', 'ok', 'có ạ'])(
    'the profile summary is confirmed by %j',
    async (answer) => {
      await consented();
      await chat.send('Nguyễn Thị Lan');
      await chat.send('Phan Dinh Phung');
      await chat.tap('Bỏ qua');
      expect(chat.question().text).toContain('Thông tin đã đúng chưa?');
      await chat.send(answer);
      expect(chat.text()).toContain('Đã lưu hồ sơ của chị');
      expect(chat.text()).not.toContain('Đã hủy');
      expect(await member()).toMatchObject({ displayName: 'Nguyễn Thị Lan', communeCode: '05443' });
    },
  );

  it.each(['đúng', 'dung', 'có ạ', 'dạ vâng', 'đúng rồi', 'co a', 'vang a', 'dạ'])(
    'the commune check ("… — đúng không ạ?") takes %j as yes',
    async (answer) => {
      await consented();
      await chat.send('Lan');
      await chat.send('tuc duyen');
      expect(chat.question().text).toBe('Túc Duyên nay thuộc Phường Phan Đình Phùng — đúng không ạ?');
      await chat.send(answer);
      expect(chat.text()).toContain('Số điện thoại di động của chị');
      expect(chat.text()).not.toContain('Em không tìm thấy');
    },
  );

  it.each(['không ạ', 'dạ không', 'ko a', 'không phải', 'sai rồi'])(
    'the commune check takes %j as no and asks again',
    async (answer) => {
      await consented();
      await chat.send('Lan');
      await chat.send('tuc duyen');
      await chat.send(answer);
      expect(chat.text()).toContain('mời chị nhập lại');
      expect(chat.text()).not.toContain('Em không tìm thấy');
    },
  );

  it('"dừng" at the summary cancels (the global word, typed with its marks)', async () => {
    await consented();
    await chat.send('Lan');
    await chat.send('Phan Dinh Phung');
    await chat.tap('Bỏ qua');
    await chat.send('dừng');
    expect(chat.text()).toContain('Đã hủy');
    expect((await member()).displayName).toBeNull();
  });

  it('a member named Dung is asked once, taps "that is my answer", and her profile is saved', async () => {
    await consented();
    await chat.send('Dung');
    expect(chat.question().text).toBe('Chị muốn hủy việc đang làm, hay "Dung" là câu trả lời của chị?');
    expect(chat.buttons()).toEqual(['Hủy việc đang làm', 'Không, đó là câu trả lời']);
    await chat.tap('Không, đó là câu trả lời');
    expect(chat.text()).toContain('Chị ở xã/phường nào');
    await chat.send('Phan Dinh Phung');
    await chat.send('ko co');
    await chat.send('dung');
    expect(chat.text()).toContain('Đã lưu hồ sơ của chị');
    expect((await member()).displayName).toBe('Dung');
  });

  it('names that only look like a command word (Dũng, Dụng) are taken at once', async () => {
    await consented();
    await chat.send('Dũng');
    expect(chat.text()).toContain('Chị ở xã/phường nào');
  });

  it('"hủy" typed with its marks cancels at once; "huy" (also a name) is asked about, and "có" then cancels', async () => {
    await consented();
    await chat.send('hủy');
    expect(chat.text()).toContain('Đã hủy');
    await chat.tap('Hồ sơ của tôi');
    await chat.send('huy');
    expect(chat.buttons()).toEqual(['Hủy việc đang làm', 'Không, đó là câu trả lời']);
    await chat.send('co');
    expect(chat.text()).toContain('Đã hủy');
    expect(chat.question().text).toContain('Chị cần gì ạ?');
  });
});

describe('yes/no questions with more answers ("Có / Không / Không biết") take the usual words', () => {
  async function atSavingsGroup(): Promise<void> {
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Không đồng ý');
    await chat.tap('Kiểm tra khả năng vay vốn');
    await chat.tap('Sản xuất, kinh doanh');
    await chat.send('Dan Tien');
    await chat.tap('Hộ nghèo');
    await chat.send('30 triệu');
    expect(chat.question().text).toBe('Chị có tham gia Tổ Tiết kiệm và vay vốn ở thôn không?');
  }

  it.each([
    ['dạ vâng', 'Có'],
    ['đúng rồi ạ', 'Có'],
    ['có ạ', 'Có'],
    ['chưa', 'Không'],
    ['không ạ', 'Không'],
    ['ko', 'Không'],
    ['khong biet', 'Không biết'],
  ])('%j at the savings-group question is %j, never a cancel', async (typed, shown) => {
    await atSavingsGroup();
    await chat.send(typed);
    expect(chat.text()).not.toContain('Đã hủy');
    expect(chat.question().text).toContain(`• Trong Tổ Tiết kiệm và vay vốn: ${shown}`);
  });

  it('"dung" (đúng? dừng?) at the savings-group question is asked about; "that is my answer" gives "Có"', async () => {
    await atSavingsGroup();
    await chat.send('dung');
    expect(chat.question().text).toBe('Chị muốn hủy việc đang làm, hay "dung" nghĩa là "Có"?');
    expect(chat.buttons()).toEqual(['Hủy việc đang làm', 'Ý tôi là "Có"']);
    await chat.tap('Ý tôi là "Có"');
    expect(chat.text()).not.toContain('Đã hủy');
    expect(chat.question().text).toContain('• Trong Tổ Tiết kiệm và vay vốn: Có');
  });

  it('"dạ thôi" at the consent question declines; it does not cancel first contact', async () => {
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.send('dạ thôi');
    expect(chat.text()).toContain('Hội tôn trọng lựa chọn của chị');
    expect((await member()).optedOutAt).toBeInstanceOf(Date);
  });
});

describe('every global word against every kind of step', () => {
  const raw = (s: string) => ({ raw: s });
  const flows = (finished: Answers[]): Flow[] => [
    {
      id: 'menu',
      steps: [
        {
          id: 'pick',
          prompt: raw('MENU'),
          input: { kind: 'choice', options: () => [{ value: 'form', label: raw('Mẫu') }] },
        },
      ],
      finish: async () => ({ say: [], next: { to: 'flow', flowId: 'form' } }),
    },
    {
      id: 'form',
      steps: [
        { id: 'first', prompt: raw('ASK FIRST'), input: { kind: 'text' }, summaryLabel: raw('Đầu') },
        { id: 'text', prompt: raw('ASK TEXT'), input: { kind: 'text' }, summaryLabel: raw('Chữ') },
        {
          id: 'choice',
          prompt: raw('ASK CHOICE'),
          input: {
            kind: 'choice',
            options: () => [
              { value: 'poor', label: raw('Hộ nghèo') },
              { value: 'near', label: raw('Hộ cận nghèo') },
            ],
          },
          summaryLabel: raw('Diện'),
        },
        { id: 'yesno', prompt: raw('ASK YESNO'), input: { kind: 'yesno' }, summaryLabel: raw('Có/không') },
        { id: 'number', prompt: raw('ASK NUMBER'), input: { kind: 'number' }, summaryLabel: raw('Số') },
        { id: 'phone', prompt: raw('ASK PHONE'), input: { kind: 'phone' }, optional: true, summaryLabel: raw('ĐT') },
        { id: 'date', prompt: raw('ASK DATE'), input: { kind: 'date' }, summaryLabel: raw('Ngày') },
        {
          id: 'custom',
          prompt: raw('ASK CUSTOM'),
          input: {
            kind: 'custom',
            parse: (input) => (/^x+$/i.test(input) ? { ok: true, value: input } : { ok: false, error: raw('NOT X') }),
            display: (v) => raw(answerText(v)),
          },
          summaryLabel: raw('X'),
        },
      ],
      summary: { title: raw('SUMMARY') },
      finish: async ({ answers }) => {
        finished.push(answers);
        return { say: [raw('DONE')], next: { to: 'home' } };
      },
    },
  ];
  const answers: [string, () => Promise<unknown>][] = [
    ['ASK FIRST', () => chat.send('một')],
    ['ASK TEXT', () => chat.send('hai')],
    ['ASK CHOICE', () => chat.send('hộ nghèo ạ')],
    ['ASK YESNO', () => chat.send('dạ vâng')],
    ['ASK NUMBER', () => chat.send('5')],
    ['ASK PHONE', () => chat.send('0912345678')],
    ['ASK DATE', () => chat.send('1/2/2026')],
    ['ASK CUSTOM', () => chat.send('xx')],
  ];
  let finished: Answers[];

  beforeEach(() => {
    finished = [];
    chat = new Chat(botWithFlows(db.prisma, flows(finished), () => 'menu', clock));
  });

  async function reach(prompt: string): Promise<void> {
    await chat.send('menu');
    await chat.tap('Mẫu');
    for (const [p, answer] of answers) {
      if (p === prompt) return;
      expect(chat.text()).toContain(p);
      await answer();
    }
    expect(chat.text()).toContain('SUMMARY');
  }

  // Where the words are a possible answer (free text), she is asked; where they cannot be one, the command runs.
  const freeText = ['ASK TEXT'];
  const notAnAnswer = ['ASK CHOICE', 'ASK YESNO', 'ASK NUMBER', 'ASK PHONE', 'ASK DATE', 'ASK CUSTOM', 'SUMMARY'];

  for (const prompt of freeText) {
    it.each([
      ['hủy', 'Đã hủy'],
      ['dừng', 'Đã hủy'],
      ['quay lại', 'ASK FIRST'],
      ['menu', 'MENU'],
      ['giúp', 'Chị có thể gõ bất cứ lúc nào'],
      ['stop', 'Đã hủy'],
    ])(`%j typed with its marks at ${prompt} is the command`, async (word, shown) => {
      await reach(prompt);
      await chat.send(word);
      expect(chat.text()).toContain(shown);
      expect(chat.text()).not.toContain('câu trả lời của chị?');
    });

    it.each(['huy', 'dung', 'quay lai', 'giup', 'tro lai'])(
      `%j (no marks: maybe another word) at ${prompt} is asked about`,
      async (word) => {
        await reach(prompt);
        await chat.send(word);
        expect(chat.question().text).toContain(`"${word}" là câu trả lời của chị?`);
        await chat.tap('Không, đó là câu trả lời');
        expect(chat.text()).not.toContain(prompt); // her words were taken as the answer: the next question is asked
      },
    );
  }

  // "dung" / "DUNG" / "Dung" (no marks) is "đúng" (yes), "dừng" (stop) and a name: where it answers the question (a
  // free-text step, a yes/no step) she is asked which she means, with a button for each reading; where it answers
  // nothing (a choice without a yes, a number, a phone, a date, a custom value) it cancels, as before.
  const dungAt: [string, 'asked' | 'cancels', string | null][] = [
    ['ASK FIRST', 'asked', null],
    ['ASK TEXT', 'asked', null],
    ['ASK CHOICE', 'cancels', null],
    ['ASK YESNO', 'asked', 'Có'],
    ['ASK NUMBER', 'cancels', null],
    ['ASK PHONE', 'cancels', null],
    ['ASK DATE', 'cancels', null],
    ['ASK CUSTOM', 'cancels', null],
  ];
  for (const [prompt, outcome, option] of dungAt) {
    it.each(['dung', 'DUNG', 'Dung'])(`%j at ${prompt}: ${outcome}`, async (word) => {
      await reach(prompt);
      await chat.send(word);
      if (outcome === 'cancels') {
        expect(chat.text()).toContain('Đã hủy');
        expect(chat.question().text).toBe('MENU');
        return;
      }
      if (option) {
        expect(chat.question().text).toBe(`Chị muốn hủy việc đang làm, hay "${word}" nghĩa là "${option}"?`);
        expect(chat.buttons()).toEqual(['Hủy việc đang làm', `Ý tôi là "${option}"`]);
        await chat.tap(`Ý tôi là "${option}"`);
      } else {
        expect(chat.question().text).toBe(`Chị muốn hủy việc đang làm, hay "${word}" là câu trả lời của chị?`);
        expect(chat.buttons()).toEqual(['Hủy việc đang làm', 'Không, đó là câu trả lời']);
        await chat.tap('Không, đó là câu trả lời');
      }
      expect(chat.text()).not.toContain('Đã hủy');
      expect(chat.text()).not.toContain(prompt); // taken as her answer: the next question is asked
    });
  }

  it('at a yes/no step "đúng" (marks) is yes and "dừng" (marks) cancels, never asked; asked, "đúng" or "hủy" decide', async () => {
    await reach('ASK YESNO');
    await chat.send('đúng');
    expect(chat.text()).toContain('ASK NUMBER');
    await chat.send('quay lại');
    await chat.send('dừng');
    expect(chat.text()).toContain('Đã hủy');
    await reach('ASK YESNO');
    await chat.send('dung');
    await chat.send('đúng');
    expect(chat.text()).toContain('ASK NUMBER');
    await chat.send('quay lại');
    await chat.send('dung');
    await chat.tap('Hủy việc đang làm');
    expect(chat.text()).toContain('Đã hủy');
    expect(finished).toEqual([]);
  });

  for (const prompt of notAnAnswer) {
    it(`at ${prompt} the commands run at once`, async () => {
      await reach(prompt);
      await chat.send('giúp');
      expect(chat.text()).toContain('Chị có thể gõ bất cứ lúc nào');
      await chat.send('hủy');
      expect(chat.text()).toContain('Đã hủy');
      expect(chat.question().text).toBe('MENU');
      await reach(prompt);
      await chat.send('quay lại');
      expect(chat.text()).not.toContain('câu trả lời của chị?');
      expect(chat.text()).not.toContain(prompt);
      await chat.send('menu');
      if (chat.buttons().includes('Về danh sách chính')) await chat.tap('Về danh sách chính');
      expect(chat.question().text).toBe('MENU');
      expect(finished).toEqual([]);
    });
  }

  it('polite and numbered answers at each kind of choice', async () => {
    await reach('ASK CHOICE');
    await chat.send('2.');
    expect(chat.text()).toContain('ASK YESNO');
    await chat.send('quay lại');
    await chat.send('1)');
    await chat.send('không ạ');
    await chat.send('5');
    await chat.send('ko co');
    await chat.send('1/2/2026');
    await chat.send('xx');
    expect(chat.question().text).toContain('• Diện: Hộ nghèo');
    expect(chat.question().text).toContain('• Có/không: Không');
    expect(chat.question().text).toContain('• ĐT: (không có)');
    await chat.send('Số 1');
    expect(finished).toHaveLength(1);
  });
});

describe('choices typed the way the bot numbers them', () => {
  it.each(['1', '1.', '1)', '(1)', 'số 1', ' 1 . '])('%j picks the first choice', async (typed) => {
    await chat.send('alo');
    await chat.send(typed);
    expect(chat.text()).toContain('Chị có đồng ý không?');
  });
});

describe('the phone step', () => {
  it.each(['ko co', 'không có', 'k co', 'khong co a', 'chưa có', 'không', 'ko'])(
    '%j skips the phone',
    async (typed) => {
      await consented();
      await chat.send('Lan');
      await chat.send('Phan Dinh Phung');
      await chat.send(typed);
      expect(chat.question().text).toContain('• Điện thoại: (không có)');
    },
  );
});

describe('coming back: /start, greetings, a pause, a restart', () => {
  it('/start at the commune question resumes there; the menu is not shown', async () => {
    await consented();
    await chat.send('Lan');
    await chat.deliver({ kind: 'start' });
    expect(chat.text()).toContain('Mình đang dở câu hỏi này');
    expect(chat.text()).toContain('Chị ở xã/phường nào');
    expect(chat.text()).not.toContain('Chị cần gì ạ?');
    await chat.send('Phan Dinh Phung');
    expect(chat.text()).toContain('Số điện thoại di động');
  });

  it('/start at the menu welcomes her back to the menu', async () => {
    await consented();
    await chat.send('Lan');
    await chat.send('Phan Dinh Phung');
    await chat.tap('Bỏ qua');
    await chat.tap('Xác nhận');
    await chat.deliver({ kind: 'start' });
    expect(chat.text()).toContain('Chào mừng chị quay lại!');
    expect(chat.question().text).toContain('Chị cần gì ạ?');
  });

  it('after a restart, "alo" is not taken as the commune: the question is asked again', async () => {
    await consented();
    await chat.send('Lan');
    chat = new Chat(realBot(db.prisma, clock), chat.userId); // the process restarted
    await chat.send('alo');
    expect(chat.text()).toContain('Mình đang dở câu hỏi này');
    expect(chat.text()).toContain('Chị ở xã/phường nào');
    expect(chat.text()).not.toContain('Em không tìm thấy');
    await chat.send('Phan Dinh Phung');
    expect(chat.text()).toContain('Số điện thoại di động');
  });

  it('after a long pause, an answer that does not fit gets the question again, one that fits is taken', async () => {
    await consented();
    await chat.send('Lan');
    clock.advance(3 * HOUR);
    await chat.send('cho em hỏi chút');
    expect(chat.text()).toContain('Mình đang dở câu hỏi này');
    expect(chat.text()).not.toContain('Em không tìm thấy');
    clock.advance(3 * HOUR);
    await chat.send('Phan Dinh Phung');
    expect(chat.text()).toContain('Số điện thoại di động');
  });
});

describe('text is stored as NFC', () => {
  it('a name typed in decomposed Unicode is stored precomposed', async () => {
    await consented();
    await chat.send('Nguyễn Thị Lan'.normalize('NFD'));
    await chat.send('Phan Dinh Phung');
    await chat.tap('Bỏ qua');
    await chat.tap('Xác nhận');
    const name = (await member()).displayName!;
    expect(name).toBe('Nguyễn Thị Lan'.normalize('NFC'));
    expect(name.normalize('NFC')).toBe(name);
  });
});

describe('button data', () => {
  it('stays short whatever the option values are', async () => {
    const long = 'a'.repeat(63);
    const flow: Flow = {
      id: 'home',
      steps: [
        {
          id: 'pick',
          prompt: { raw: 'PICK' },
          input: { kind: 'choice', options: () => [{ value: long, label: { raw: 'Long' } }] },
          validate: z.string(),
        },
      ],
      finish: async ({ answers }) => ({
        say: [{ raw: `GOT ${answerText(answers['pick'] ?? null).length}` }],
        next: { to: 'home' },
      }),
    };
    chat = new Chat(botWithFlows(db.prisma, [flow], () => 'home', clock));
    await chat.send('hi');
    const data = chat.question().choices[0]!.data;
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(16);
    await chat.tap('Long');
    expect(chat.text()).toContain('GOT 63');
  });
});
