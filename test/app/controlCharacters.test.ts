// Text with a NUL byte (or another control character) from a member: PostgreSQL refuses NUL in text, so such a
// message used to fail the whole turn and the member got the apology. It is now cleaned where text enters the bot.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkProgrammeSource } from '../../src/data/programmeStore.ts';
import { Chat, realRuntime } from '../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('a message with a NUL byte', (provider) => {
  let db: FreshDatabase;
  beforeEach(async () => {
    db = await freshDatabase(provider);
  });
  afterEach(() => db.close());

  it('gets a normal answer, and what is stored has no control character', async () => {
    const chat = new Chat(realRuntime(db.prisma).bot);
    await chat.send('alo\u0000');
    expect(chat.question().text).toBe('Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?');
    await chat.tap('Tiếng Việt');
    await chat.tap('Đồng ý');
    await chat.send('Nguyễn\u0000 Thị\u0007 Lan');
    expect(chat.text()).not.toContain('Xin lỗi');
    await chat.send('tuc duyen');
    expect(chat.question().text).toBe('Túc Duyên nay thuộc Phường Phan Đình Phùng — đúng không ạ?');
    await chat.tap('Có');
    await chat.send('0912\u0000345678');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Đã lưu hồ sơ của chị');
    const member = await db.prisma.member.findFirstOrThrow({ where: { channelUserId: chat.userId } });
    expect(member).toMatchObject({ displayName: 'Nguyễn Thị Lan', phone: '+84912345678' });
  });
});

it('an imported data file with a \\u0000 escape is refused with its line, before anything is stored', () => {
  const source = '{\n  "version": "2026-01\\u0000"\n}\n';
  const checked = checkProgrammeSource(source);
  expect(checked.ok).toBe(false);
  if (checked.ok) return;
  expect(checked.problems).toContainEqual(
    'line 2, column 14: version: contains a control character (such as \\u0000), which cannot be stored',
  );
});
