// End to end on each provider: the real bot (everything main.ts wires, via createRuntime) on a fresh database, and two
// bot instances (two clients, as two processes would have) on the same database sharing one member's conversation.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../src/data/database.ts';
import { Chat, realRuntime, silentLogger } from '../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('the real bot', (provider) => {
  let db: FreshDatabase;
  let second: OpenDatabase | undefined;
  beforeEach(async () => {
    db = await freshDatabase(provider);
  });
  afterEach(async () => {
    await second?.close();
    second = undefined;
    await db.close();
  });

  const member = (userId: string) => db.prisma.member.findFirstOrThrow({ where: { channelUserId: userId } });

  it('completes first contact and the profile', async () => {
    const chat = new Chat(realRuntime(db.prisma).bot);
    await chat.send('alo');
    expect(chat.question().text).toBe('Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?');
    await chat.tap('Tiếng Việt');
    await chat.tap('Đồng ý');
    expect(chat.text()).toContain('Họ và tên của chị là gì?');
    await chat.send('Nguyễn Thị Lan');
    await chat.send('tuc duyen');
    expect(chat.question().text).toBe('Túc Duyên nay thuộc Phường Phan Đình Phùng — đúng không ạ?');
    await chat.tap('Có');
    await chat.send('0912 345 678');
    expect(chat.question().text).toContain('• Họ tên: Nguyễn Thị Lan');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Đã lưu hồ sơ của chị');
    expect(await member(chat.userId)).toMatchObject({
      displayName: 'Nguyễn Thị Lan',
      communeCode: '05443',
      phone: '+84912345678',
      language: 'vi',
      consentAt: expect.any(Date),
    });
    expect(await db.prisma.conversationState.count()).toBe(1);
  });

  it('two instances on the same database continue one conversation, message by message', async () => {
    second = await openDatabase(db.url);
    const one = new Chat(realRuntime(db.prisma).bot);
    const two = new Chat(realRuntime(second.prisma).bot, one.userId);
    /** The member's next message reaches this instance, which sees what she was last shown. */
    const via = (chat: Chat, from: Chat) => {
      chat.last = from.last;
      return chat;
    };

    await one.send('alo');
    await via(two, one).tap('Tiếng Việt');
    await via(one, two).tap('Đồng ý');
    await via(two, one).send('Trần Thị Mai');
    await via(one, two).send('Dân Tiến');
    await via(two, one).tap('Bỏ qua');
    expect(two.question().text).toContain('• Họ tên: Trần Thị Mai');
    await via(one, two).tap('Xác nhận');
    expect(one.text()).toContain('Đã lưu hồ sơ của chị');
    expect(await member(one.userId)).toMatchObject({ displayName: 'Trần Thị Mai', phone: null });
    expect(await db.prisma.member.count()).toBe(1);
  });

  it('two instances: a redelivered update has one effect, and simultaneous messages are both handled', async () => {
    second = await openDatabase(db.url);
    const one = new Chat(realRuntime(db.prisma).bot);
    const two = new Chat(realRuntime(second.prisma).bot, one.userId);
    const errors = silentLogger.errors.length;

    // The same update delivered to both instances at once: exactly one handles it.
    const [a, b] = await Promise.all([
      one.deliver({ kind: 'text', text: 'alo' }, 'u-1'),
      two.deliver({ kind: 'text', text: 'alo' }, 'u-1'),
    ]);
    expect(
      [a, b].filter((replies) => replies.length > 0),
      JSON.stringify([a, b, silentLogger.errors.slice(errors)]),
    ).toHaveLength(1);
    expect(await db.prisma.member.count()).toBe(1);

    // Two different messages of hers reach the two instances at the same moment: both are applied, one after the other
    // (the conversation state's version makes the later writer retry), and nothing fails.
    const before = await db.prisma.conversationState.findFirstOrThrow();
    const replies = await Promise.all([one.send('giúp'), two.send('giúp')]);
    expect(replies.every((r) => r.length > 0)).toBe(true);
    const after = await db.prisma.conversationState.findFirstOrThrow();
    expect(after.version).toBe(before.version + 2);
    expect(silentLogger.errors.slice(errors)).toEqual([]);
  });
});
