// A collecting photo step (InputSpec photo `collect`): photos sent one by one or as albums add up, she is told how
// many she has, "Xong" goes on, a photo beyond `max` is refused by the gateway saying so; and the flow hooks onAnswer
// (after every answered step, in the turn) and onCancel (cancelled at the summary).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerText, photoAnswer, type Answers, type Flow } from '../../src/conversation/flow.ts';
import { botWithFlows, Chat, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const raw = (s: string) => ({ raw: s });

let db: FreshDatabase;
let chat: Chat;
let finished: Answers[];
let saved: { stepId: string | null; answers: Answers }[];
let cancelled: number;

function flows(): Flow[] {
  return [
    {
      id: 'menu',
      steps: [
        {
          id: 'pick',
          prompt: raw('MENU'),
          input: {
            kind: 'choice',
            options: () => [
              { value: 'album', label: raw('Ảnh') },
              { value: 'twice', label: raw('Hai lần') },
            ],
          },
        },
      ],
      finish: async ({ answers }) => ({ say: [], next: { to: 'flow', flowId: answerText(answers['pick']) } }),
    },
    {
      // The same question asked again by a new start of the same flow (two consent purposes in a row).
      id: 'twice',
      steps: [{ id: 'q', prompt: raw('AGREE?'), input: { kind: 'yesno' } }],
      finish: async ({ answers }) =>
        answers['round'] === 2
          ? { say: [raw('BOTH')], next: { to: 'home' } }
          : { say: [raw('ONE')], next: { to: 'flow', flowId: 'twice', answers: { round: 2 } } },
    },
    {
      id: 'album',
      steps: [
        { id: 'title', prompt: raw('ASK TITLE'), input: { kind: 'text' }, summaryLabel: raw('Tên') },
        {
          id: 'photos',
          prompt: raw('ASK PHOTOS'),
          input: { kind: 'photo', max: 3, collect: true },
          summaryLabel: raw('Ảnh'),
        },
      ],
      summary: { title: raw('SUMMARY') },
      onAnswer: async (_ctx, at) => {
        saved.push(at);
      },
      onCancel: async () => {
        cancelled++;
      },
      finish: async ({ answers }) => {
        finished.push(answers);
        return { say: [raw('DONE')], next: { to: 'home' } };
      },
    },
  ];
}

beforeEach(async () => {
  db = await freshDatabase();
  finished = [];
  saved = [];
  cancelled = 0;
  chat = new Chat(botWithFlows(db.prisma, flows(), () => 'menu', new TestClock()));
  await chat.send('xin chào');
  await db.prisma.member.updateMany({ data: { consentAt: new Date() } });
  await chat.tap('Ảnh');
  await chat.send('Mật ong');
});
afterEach(() => db.close());

describe('a collecting photo step', () => {
  it('adds photos across messages, says how many, and goes on at "Xong"', async () => {
    expect(chat.text()).toContain('ASK PHOTOS');
    expect(chat.buttons()).toEqual([]);
    await chat.deliver({ kind: 'photo', refs: ['a'] });
    expect(chat.text()).toContain('Đã nhận 1/3 ảnh.');
    expect(chat.buttons()).toEqual(['Xong', 'Gửi lại ảnh từ đầu']);
    await chat.deliver({ kind: 'photo', refs: ['b', 'c'], caption: 'mật ong rừng' });
    expect(chat.text()).toContain('Đã nhận đủ 3/3 ảnh. Chị bấm «Xong» để đi tiếp.');
    expect(chat.text()).not.toContain('gửi thêm');
    // A fourth: the gateway refuses it, saying she has them all; nothing is stored, the step goes on.
    const before = await db.prisma.storedFile.count();
    await chat.deliver({ kind: 'photo', refs: ['d'] });
    expect(chat.text()).toContain('Chị đã gửi đủ 3/3 ảnh');
    expect(chat.text()).not.toContain('0 ảnh');
    expect(await db.prisma.storedFile.count()).toBe(before);
    await chat.tap('Xong');
    expect(chat.text()).toContain('• Ảnh: 3 ảnh');
    await chat.tap('Xác nhận');
    expect(photoAnswer(finished[0]?.['photos'])).toMatchObject({ caption: 'mật ong rừng' });
    expect(photoAnswer(finished[0]?.['photos'])?.files).toHaveLength(3);
  });

  it('"Gửi lại ảnh từ đầu" clears them; "Xong" needs one photo', async () => {
    await chat.deliver({ kind: 'photo', refs: ['a', 'b'] });
    await chat.tap('Gửi lại ảnh từ đầu');
    expect(chat.text()).toContain('Em đã bỏ các ảnh chị gửi');
    await chat.send('xong');
    expect(chat.text()).toContain('ASK PHOTOS');
    await chat.deliver({ kind: 'photo', refs: ['c'] });
    await chat.send('xong');
    expect(chat.text()).toContain('SUMMARY');
  });
});

describe('"dung" (đúng? dừng?) at a photo step', () => {
  it('before a photo it cancels; with photos ("Xong" takes the yes words) it is asked about, and "Xong" goes on', async () => {
    await chat.send('dung');
    expect(chat.text()).toContain('Đã hủy');
    await chat.tap('Ảnh');
    await chat.send('Mật ong');
    await chat.deliver({ kind: 'photo', refs: ['a'] });
    await chat.send('DUNG');
    expect(chat.question().text).toBe('Chị muốn hủy việc đang làm, hay "DUNG" nghĩa là "Xong"?');
    expect(chat.buttons()).toEqual(['Hủy việc đang làm', 'Ý tôi là "Xong"']);
    await chat.tap('Ý tôi là "Xong"');
    expect(chat.text()).toContain('SUMMARY');
    expect(chat.text()).toContain('• Ảnh: 1 ảnh');
  });
});

describe('flow hooks', () => {
  it('onAnswer runs after each answered step and each photo message, with where she is', async () => {
    expect(saved.map((s) => s.stepId)).toEqual(['photos']);
    expect(saved[0]?.answers['title']).toBe('Mật ong');
    await chat.deliver({ kind: 'photo', refs: ['a'] });
    expect(saved.at(-1)?.stepId).toBe('photos');
    expect(photoAnswer(saved.at(-1)?.answers['photos'])?.files).toHaveLength(1);
    await chat.tap('Xong');
    expect(saved.at(-1)?.stepId).toBeNull();
    const count = saved.length;
    await chat.send('giúp'); // no answer: no save
    expect(saved.length).toBe(count);
  });

  it('onCancel runs when she cancels at the summary, not when she leaves a step', async () => {
    await chat.deliver({ kind: 'photo', refs: ['a'] });
    await chat.tap('Xong');
    await chat.tap('Hủy');
    expect(cancelled).toBe(1);
    expect(finished).toEqual([]);
  });
});

describe('the turn counter', () => {
  it('runs on across flows: the same question asked again by a new flow is not taken for a double tap', async () => {
    await chat.command('menu');
    await chat.tap('Hai lần');
    await chat.tap('Có');
    expect(chat.text()).toContain('ONE');
    expect(chat.text()).toContain('AGREE?');
    await chat.tap('Có');
    expect(chat.text()).toContain('BOTH');
  });
});
