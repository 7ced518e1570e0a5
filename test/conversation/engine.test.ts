// The conversation engine, driven through the bot gateway with a test flow that uses every step type.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answerText, type Answers, type Flow } from '../../src/conversation/flow.ts';
import { openDatabase } from '../../src/data/database.ts';
import { botWithFlows, Chat, HOUR, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const raw = (s: string) => ({ raw: s });

function surveyFlows(finished: Answers[]): Flow[] {
  const menu: Flow = {
    id: 'menu',
    steps: [
      {
        id: 'pick',
        prompt: raw('MENU'),
        input: { kind: 'choice', options: () => [{ value: 'survey', label: raw('Khảo sát') }] },
      },
    ],
    finish: async ({ answers }) => ({ say: [], next: { to: 'flow', flowId: answerText(answers['pick']) } }),
  };
  const survey: Flow = {
    id: 'survey',
    intro: raw('SURVEY START'),
    steps: [
      {
        id: 'name',
        prompt: raw('ASK NAME'),
        input: { kind: 'text', maxLength: 40 },
        validate: z.string().min(2, 'profile:errors.nameTooShort'),
        summaryLabel: raw('Tên'),
        help: raw('NAME HELP'),
      },
      {
        id: 'purpose',
        prompt: raw('ASK PURPOSE'),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'loan', label: raw('Vay vốn') },
            { value: 'course', label: raw('Học nghề') },
          ],
        },
        summaryLabel: raw('Mục đích'),
      },
      {
        id: 'amount',
        prompt: raw('ASK AMOUNT'),
        input: { kind: 'number', min: 1, max: 1000, integer: true },
        when: (a) => a['purpose'] === 'loan',
        summaryLabel: raw('Số tiền'),
      },
      { id: 'phone', prompt: raw('ASK PHONE'), input: { kind: 'phone' }, optional: true, summaryLabel: raw('SĐT') },
      { id: 'date', prompt: raw('ASK DATE'), input: { kind: 'date' }, summaryLabel: raw('Ngày') },
      { id: 'photo', prompt: raw('ASK PHOTO'), input: { kind: 'photo' }, optional: true, summaryLabel: raw('Ảnh') },
      { id: 'agree', prompt: raw('ASK AGREE'), input: { kind: 'yesno' }, summaryLabel: raw('Đồng ý') },
    ],
    summary: { title: raw('SUMMARY') },
    finish: async ({ answers }) => {
      finished.push(answers);
      return { say: [raw('DONE')], next: { to: 'home' } };
    },
  };
  return [menu, survey];
}

let db: FreshDatabase;
let finished: Answers[];
let clock: TestClock;
let chat: Chat;

beforeEach(async () => {
  db = await freshDatabase();
  finished = [];
  clock = new TestClock();
  chat = new Chat(botWithFlows(db.prisma, surveyFlows(finished), () => 'menu', clock));
});
afterEach(() => db.close());

/** Answers the survey up to (not including) the step whose prompt is `until`. */
async function answerUntil(until: string): Promise<void> {
  const script: [string, () => Promise<unknown>][] = [
    ['ASK NAME', () => chat.send('Lan')],
    ['ASK PURPOSE', () => chat.tap('Vay vốn')],
    ['ASK AMOUNT', () => chat.send('30')],
    ['ASK PHONE', () => chat.send('0912345678')],
    ['ASK DATE', () => chat.send('15/3/2026')],
    ['ASK PHOTO', () => chat.deliver({ kind: 'photo', refs: ['file-1'] })],
    ['ASK AGREE', () => chat.send('co')],
  ];
  await chat.send('menu');
  // Photos are stored only for a member who consented (app/files).
  await db.prisma.member.updateMany({ data: { consentAt: new Date() } });
  // "menu" typed at a free-text step could be the answer: the engine asks which was meant.
  if (chat.buttons().includes('Về danh sách chính')) await chat.tap('Về danh sách chính');
  await chat.tap('Khảo sát');
  for (const [prompt, answer] of script) {
    if (prompt === until) return;
    expect(chat.text()).toContain(prompt);
    await answer();
  }
}

describe('a flow from start to finish', () => {
  it('shows the home question first, then the intro and the first step', async () => {
    await chat.send('xin chào');
    expect(chat.question().text).toBe('MENU');
    expect(chat.buttons()).toEqual(['Khảo sát']);
    await chat.tap('Khảo sát');
    expect(chat.last.map((m) => m.kind === 'text' && m.text)).toEqual(['SURVEY START', 'ASK NAME']);
  });

  it('collects every step type, shows a summary and finishes only on confirm', async () => {
    await answerUntil('end');
    const summary = chat.question();
    expect(summary.text).toBe(
      [
        'SUMMARY',
        '• Tên: Lan',
        '• Mục đích: Vay vốn',
        '• Số tiền: 30',
        '• SĐT: 0912 345 678',
        '• Ngày: 15/03/2026',
        '• Ảnh: 1 ảnh',
        '• Đồng ý: Có',
        'Thông tin đã đúng chưa?',
      ].join('\n'),
    );
    expect(chat.buttons()).toEqual(['Xác nhận', 'Sửa thông tin', 'Hủy']);
    expect(finished).toEqual([]);
    await chat.tap('Xác nhận');
    expect(finished).toEqual([
      {
        name: 'Lan',
        purpose: 'loan',
        amount: 30,
        phone: '+84912345678',
        date: '2026-03-15',
        // The photo as the project stored it (a file id of its own), never the channel's ref.
        photo: { files: [expect.stringMatching(/^[\w-]{22}$/)] },
        agree: 'yes',
      },
    ]);
    expect(chat.text()).toContain('DONE');
    expect(chat.question().text).toBe('MENU');
  });
});

describe('each step type rejects bad input with a localized re-prompt', () => {
  it('text: empty, too long, failing zod validation', async () => {
    await answerUntil('ASK NAME');
    await chat.send('   ');
    expect(chat.text()).toContain('Tin nhắn trống');
    expect(chat.text()).toContain('ASK NAME');
    await chat.send('x'.repeat(5000));
    expect(chat.text()).toContain('tối đa 40 ký tự');
    await chat.send('L');
    expect(chat.text()).toContain('Tên quá ngắn');
    await chat.send('Lan');
    expect(chat.text()).toContain('ASK PURPOSE');
  });

  it('choice: by typed number, by label without diacritics, nonsense and out of range', async () => {
    await answerUntil('ASK PURPOSE');
    await chat.send('xyz');
    expect(chat.text()).toContain('gõ số từ 1 đến 2');
    await chat.send('7');
    expect(chat.text()).toContain('gõ số từ 1 đến 2');
    await chat.send('VAY VON');
    expect(chat.text()).toContain('ASK AMOUNT');
    await chat.send('back');
    await chat.send('2');
    expect(chat.text()).toContain('ASK PHONE'); // course: the amount step does not apply
  });

  it('number: not a number, out of range, decimals, thousands separators', async () => {
    await answerUntil('ASK AMOUNT');
    await chat.send('ba mươi');
    expect(chat.text()).toContain('Chị nhập một con số');
    await chat.send('5000');
    expect(chat.text()).toContain('Số lớn nhất là 1000');
    await chat.send('2,5');
    expect(chat.text()).toContain('số nguyên');
    await chat.send('1.000');
    expect(chat.text()).toContain('ASK PHONE');
  });

  it('phone: bad formats, landlines, retired prefixes, and skipping', async () => {
    await answerUntil('ASK PHONE');
    expect(chat.question().freeText).toBe(true);
    expect(chat.buttons()).toEqual(['Bỏ qua']);
    await chat.send('12345');
    expect(chat.text()).toContain('Số điện thoại chưa đúng');
    await chat.send('024 3825 1234');
    expect(chat.text()).toContain('không phải số di động');
    await chat.send('bo qua');
    expect(chat.text()).toContain('ASK DATE');
    await chat.send('back');
    await chat.send('01689 123 456');
    expect(chat.text()).toContain('ASK DATE');
    await answerRest();
    expect(chat.question().text).toContain('• SĐT: 0389 123 456');
  });

  it('date: impossible dates and other formats', async () => {
    await answerUntil('ASK DATE');
    await chat.send('31/02/2026');
    expect(chat.text()).toContain('Ngày chưa đúng');
    await chat.send('ngày mai');
    expect(chat.text()).toContain('Ngày chưa đúng');
    await chat.send('2026-04-30');
    expect(chat.text()).toContain('ASK PHOTO');
  });

  it('photo: text where a photo is expected, a photo where text is expected, stickers', async () => {
    await answerUntil('ASK NAME');
    await chat.deliver({ kind: 'photo', refs: ['x'] });
    expect(chat.text()).toContain('Ở bước này em chưa cần ảnh');
    await chat.deliver({ kind: 'unsupported', what: 'sticker' });
    expect(chat.text()).toContain('Em chỉ đọc được chữ và ảnh');
    expect(chat.text()).toContain('ASK NAME');
    await answerUntil('ASK PHOTO');
    await chat.send('đây là ảnh');
    expect(chat.text()).toContain('cần gửi một ảnh');
  });

  it('yes/no: typed without diacritics or as short forms', async () => {
    await answerUntil('ASK AGREE');
    await chat.send('ko');
    expect(chat.question().text).toContain('• Đồng ý: Không');
  });
});

async function answerRest(): Promise<void> {
  for (let i = 0; i < 6 && !chat.text().includes('SUMMARY'); i++) {
    const t = chat.text();
    if (t.includes('ASK DATE')) await chat.send('1/1/2026');
    else if (t.includes('ASK PHOTO')) await chat.send('bỏ qua');
    else if (t.includes('ASK AGREE')) await chat.send('có');
    else throw new Error(`unexpected: ${t}`);
  }
}

describe('back, cancel, menu, help', () => {
  it('back returns to the previous step asked, skipping steps that did not apply', async () => {
    await answerUntil('ASK NAME');
    await chat.send('Lan');
    await chat.tap('Học nghề');
    expect(chat.text()).toContain('ASK PHONE');
    await chat.send('quay lại');
    expect(chat.text()).toContain('ASK PURPOSE');
    await chat.send('quay lai');
    expect(chat.text()).toContain('ASK NAME');
    await chat.send('back');
    expect(chat.question().text).toBe('MENU'); // back from the first step leaves the flow
  });

  it('cancel drops the answers, says so, and shows the menu; nothing is finished', async () => {
    await answerUntil('ASK DATE');
    await chat.send('HỦY');
    expect(chat.text()).toContain('Đã hủy');
    expect(chat.question().text).toBe('MENU');
    await chat.tap('Khảo sát');
    expect(chat.text()).toContain('ASK NAME');
    expect(finished).toEqual([]);
  });

  it('menu goes home at any step', async () => {
    await answerUntil('ASK PHONE');
    await chat.send('Menu');
    expect(chat.question().text).toBe('MENU');
  });

  it('help shows the step help and the commands, then asks the same question again', async () => {
    await answerUntil('ASK NAME');
    await chat.send('giup');
    await chat.tap('Xem hướng dẫn'); // "giup" could be a name: she is asked which she meant
    expect(chat.text()).toContain('NAME HELP');
    expect(chat.text()).toContain('"quay lại"');
    expect(chat.last.at(-1)).toEqual({ kind: 'text', text: 'ASK NAME' });
  });
});

describe('summary: confirm / edit a field / cancel', () => {
  it('edits one field and comes back to the summary with the new value', async () => {
    await answerUntil('end');
    await chat.tap('Sửa thông tin');
    expect(chat.question().text).toBe('Chị muốn sửa mục nào?');
    expect(chat.buttons()).toEqual([
      'Tên',
      'Mục đích',
      'Số tiền',
      'SĐT',
      'Ngày',
      'Ảnh',
      'Đồng ý',
      'Quay lại bản tóm tắt',
    ]);
    await chat.tap('Tên');
    expect(chat.text()).toContain('ASK NAME');
    await chat.send('Nguyễn Thị Hoa');
    expect(chat.question().text).toContain('• Tên: Nguyễn Thị Hoa');
    expect(chat.question().text).toContain('• Số tiền: 30');
  });

  it('an edit that changes a branch asks the step it opens and drops the one it closes', async () => {
    await chat.send('hi');
    await chat.tap('Khảo sát');
    await chat.send('Lan');
    await chat.tap('Học nghề');
    await chat.send('bỏ qua');
    await chat.send('1/1/2026');
    await chat.send('bỏ qua');
    await chat.send('không');
    expect(chat.question().text).not.toContain('Số tiền');
    await chat.tap('Sửa thông tin');
    await chat.send('muc dich');
    await chat.tap('Vay vốn');
    expect(chat.text()).toContain('ASK AMOUNT');
    await chat.send('50');
    expect(chat.question().text).toContain('• Số tiền: 50');
    await chat.tap('Sửa thông tin');
    await chat.tap('Mục đích');
    await chat.tap('Học nghề');
    expect(chat.question().text).not.toContain('Số tiền');
    await chat.tap('Xác nhận');
    expect(finished[0]).not.toHaveProperty('amount');
    expect(finished[0]).toMatchObject({ purpose: 'course', phone: null, photo: null, agree: 'no' });
  });

  it('cancel at the summary finishes nothing', async () => {
    await answerUntil('end');
    await chat.send('3');
    expect(chat.text()).toContain('Đã hủy');
    expect(finished).toEqual([]);
  });
});

describe('buttons and redeliveries', () => {
  it('a button from an earlier question is refused and the current question asked again', async () => {
    await chat.send('hi');
    const menuButton = chat.question().choices[0]!;
    await chat.tap('Khảo sát');
    await chat.send('Lan');
    await chat.deliver({ kind: 'choice', data: menuButton.data });
    expect(chat.text()).toContain('Nút này thuộc câu hỏi trước');
    expect(chat.question().text).toBe('ASK PURPOSE');
    await chat.deliver({ kind: 'choice', data: 'garbage-without-separator' });
    expect(chat.text()).toContain('Nút này thuộc câu hỏi trước');
  });

  it('the same message delivered twice has one effect', async () => {
    await answerUntil('ASK NAME');
    const first = await chat.deliver({ kind: 'text', text: 'Lan' }, 'dup-1');
    expect(first.at(-1)).toMatchObject({ text: 'ASK PURPOSE' });
    const second = await chat.deliver({ kind: 'text', text: 'Lan' }, 'dup-1');
    expect(second).toEqual([]);
    await chat.send('back');
    expect(chat.text()).toContain('ASK NAME'); // one step was recorded, not two
  });
});

describe('state lives in the database', () => {
  it('a second bot process on the same database continues the conversation', async () => {
    await answerUntil('ASK DATE');
    const other = await openDatabase(db.url);
    try {
      const second = new Chat(
        botWithFlows(other.prisma, surveyFlows(finished), () => 'menu', clock),
        chat.userId,
      );
      await second.send('1/1/2026');
      expect(second.text()).toContain('ASK PHOTO');
      await second.send('bỏ qua');
      await second.send('có');
      await second.tap('Xác nhận');
      expect(finished[0]).toMatchObject({ name: 'Lan', amount: 30, date: '2026-01-01' });
    } finally {
      await other.close();
    }
  });

  it('a conversation abandoned longer than the timeout expires: the member is told and returned home', async () => {
    await answerUntil('ASK DATE');
    clock.advance(23 * HOUR);
    await chat.send('1/1/2026');
    expect(chat.text()).toContain('ASK PHOTO'); // still alive after 23 h
    clock.advance(25 * HOUR);
    await chat.send('bỏ qua');
    expect(chat.text()).toContain('Cuộc trò chuyện trước đã lâu nên đã kết thúc');
    expect(chat.question().text).toBe('MENU');
  });

  it('two messages from one member at once are handled one after the other', async () => {
    await answerUntil('ASK NAME');
    const [a, b] = await Promise.all([chat.send('Lan'), chat.send('1')]);
    expect(a.at(-1)).toMatchObject({ text: 'ASK PURPOSE' });
    expect(b.at(-1)).toMatchObject({ text: 'ASK AMOUNT' });
  });
});

describe('a page that declares reload (Flow.reload)', () => {
  it('is built afresh when she is brought back to it (a greeting, /start), never replayed from its stored answers', async () => {
    let version = 1;
    const page: Flow = {
      id: 'page',
      steps: [
        {
          id: 'pick',
          prompt: ({ answers }) => raw(`PAGE v${answerText(answers['version'])}`),
          input: { kind: 'choice', options: () => [{ value: 'ok', label: raw('OK') }] },
        },
      ],
      reload: () => ({ to: 'flow', flowId: 'build' }),
      finish: async () => ({ say: [], next: { to: 'home' } }),
    };
    // Reads the data (here a counter) and shows the page with it, as the courses' lists do.
    const build: Flow = {
      id: 'build',
      steps: [],
      finish: async () => ({ say: [], next: { to: 'flow', flowId: 'page', answers: { version } } }),
    };
    const pageChat = new Chat(botWithFlows(db.prisma, [page, build], () => 'build', clock));
    await pageChat.send('xin chào');
    expect(pageChat.text()).toContain('PAGE v1');
    version = 2;
    await pageChat.send('alo');
    expect(pageChat.text()).toContain('PAGE v2');
    version = 3;
    await pageChat.deliver({ kind: 'start' });
    expect(pageChat.text()).toContain('PAGE v3');
    // Answering it is not coming back to it: the page finishes as usual.
    await pageChat.tap('OK');
    expect(pageChat.text()).toContain('PAGE v3');
  });
});
