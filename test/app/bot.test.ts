// The gateway every channel calls: failures become an apology, everyone else keeps being served, logs stay clean.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerText, type Flow } from '../../src/conversation/flow.ts';
import { botWithFlows, Chat, silentLogger } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

let db: FreshDatabase;

const flows: Flow[] = [
  {
    id: 'home',
    steps: [{ id: 'say', prompt: { raw: 'TYPE SOMETHING' }, input: { kind: 'text' } }],
    finish: async ({ answers }) => {
      if (answers['say'] === 'boom') throw new Error('the database fell over');
      return { say: [{ raw: `ECHO ${answerText(answers['say'])}` }], next: { to: 'home' } };
    },
  },
];

beforeEach(async () => {
  db = await freshDatabase();
  silentLogger.errors.length = 0;
});
afterEach(() => db.close());

describe('bot gateway', () => {
  it('a failing handler gives a short localized apology, is logged without the message, and others are served', async () => {
    const bot = botWithFlows(db.prisma, flows, () => 'home');
    const lan = new Chat(bot);
    const mai = new Chat(bot);
    await lan.send('hi');
    await mai.send('hi');
    await lan.send('boom');
    expect(lan.last).toEqual([
      { kind: 'text', text: 'Xin lỗi chị, hệ thống đang gặp trục trặc. Chị vui lòng thử lại sau ít phút.' },
    ]);
    expect(silentLogger.errors).toHaveLength(1);
    // The log says what failed and where, never the error's message (it can quote what the member typed).
    expect(silentLogger.errors[0]).toMatchObject({ channel: 'console', err: { name: 'Error' } });
    expect(JSON.stringify(silentLogger.errors)).not.toContain('the database fell over');
    expect(JSON.stringify(silentLogger.errors)).not.toContain('boom');
    await mai.send('tam biet');
    expect(mai.text()).toContain('ECHO tam biet');
    // The failed step was not stored as answered: the member can simply try again.
    await lan.send('lan nua');
    expect(lan.text()).toContain('ECHO lan nua');
  });

  it('markUnreachable and erase act on the member of that channel only', async () => {
    const bot = botWithFlows(db.prisma, flows, () => 'home');
    const lan = new Chat(bot, 'same-id', 'telegram');
    const other = new Chat(bot, 'same-id', 'zalo');
    await lan.send('hi');
    await other.send('hi');
    await bot.markUnreachable({ channel: 'telegram', userId: 'same-id' });
    const rows = await db.prisma.member.findMany({ orderBy: { channel: 'asc' } });
    expect(rows.map((r) => [r.channel, r.unreachableAt !== null])).toEqual([
      ['telegram', true],
      ['zalo', false],
    ]);
    await bot.erase({ channel: 'zalo', userId: 'same-id' });
    expect(await db.prisma.member.count()).toBe(1);
    // Writing again clears the unreachable mark.
    await lan.send('back again');
    expect((await db.prisma.member.findFirstOrThrow()).unreachableAt).toBeNull();
  });
});
