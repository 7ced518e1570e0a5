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

describeEachProvider('two instances racing one member’s last step', (provider) => {
  let db: FreshDatabase;
  let second: OpenDatabase;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    second = await openDatabase(db.url);
  });
  afterEach(async () => {
    await second.close();
    await db.close();
  });

  /** One member, two instances: `one` and `two` chat as the same person through two database clients. */
  async function sameMember(): Promise<{ one: Chat; two: Chat }> {
    const one = new Chat(realRuntime(db.prisma).bot, 'racer');
    const two = new Chat(realRuntime(second.prisma).bot, 'racer');
    await one.send('alo');
    await one.tap('Tiếng Việt');
    await one.tap('Đồng ý');
    await one.send('Nguyễn Thị Lan');
    await one.send('Dan Tien');
    await one.send('0912345678');
    await one.tap('Xác nhận');
    two.last = one.last;
    return { one, two };
  }

  it('a loan lead confirmed on both at once gives one case and one inquiry', async () => {
    const { one, two } = await sameMember();
    await one.tap('Kiểm tra khả năng vay vốn');
    await one.tap('Sản xuất, kinh doanh');
    for (let i = 0; i < 6 && !one.buttons().includes('Nhờ cán bộ liên hệ với tôi'); i++) {
      const buttons = one.buttons();
      if (buttons.includes('Xác nhận')) await one.tap('Xác nhận');
      else if (buttons.includes('Hộ nghèo')) await one.tap('Hộ nghèo');
      else if (buttons.includes('Có')) await one.tap('Có');
      else await one.send('30 triệu');
    }
    await one.tap('Nhờ cán bộ liên hệ với tôi');
    const data = one.question().choices.find((c) => c.label === 'Gọi số 0912 345 678')!.data;
    // The same last tap reaches both instances at once as two updates (a double tap, two webhook deliveries).
    await Promise.all([one.deliver({ kind: 'choice', data }), two.deliver({ kind: 'choice', data })]);
    expect(await db.prisma.case.count()).toBe(1);
    expect(await db.prisma.creditInquiry.count()).toBe(1);
    expect((await db.prisma.creditInquiry.findFirstOrThrow()).caseId).toBe(
      (await db.prisma.case.findFirstOrThrow()).id,
    );
  });

  it('a request to an officer sent on both at once opens one case', async () => {
    const { one, two } = await sameMember();
    await one.tap('Nói chuyện với cán bộ Hội');
    await Promise.all([one.send('Em muốn hỏi về vay vốn'), two.send('Em muốn hỏi về vay vốn')]);
    expect(await db.prisma.case.count()).toBe(1);
    // Her second message is not lost either: it is on the case or answered as a new turn, never an apology.
    expect([one.text(), two.text()].join('\n')).not.toContain('hệ thống đang gặp trục trặc');
  });
});
