// Free text leads to the right feature (issue 11): at the menu, at first contact and in the middle of a flow, on the
// console; the same words on Telegram are in test/channels/telegram/understanding.e2e.test.ts.
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

/** A member who went through first contact and has a profile, at the menu. */
async function registered(): Promise<void> {
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send('Nguyễn Thị Lan');
  await chat.send('Dân Tiến');
  if (chat.buttons().includes('Đúng')) await chat.tap('Đúng');
  await chat.tap('Bỏ qua');
  await chat.tap('Xác nhận');
  expect(chat.text()).toContain('Chị cần gì ạ?');
}

describe('at the menu', () => {
  it('prints', async () => {
    await registered();
    for (const s of [
      'cho em hỏi vay vốn',
      'em can vay 30 trieu de nuoi lon',
      'sua ten cua toi',
      'asdf qwer',
      'thông tin',
    ]) {
      await chat.send(s);
      console.log('>>', s, '\n', chat.text(), chat.buttons());
      await chat.command('menu');
    }
  });
});
