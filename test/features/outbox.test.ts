// The outbox pushes a notification only after the turn that wrote it has committed, retries a failed push with
// backoff, and gives up with the reason recorded (issue 9, point 2: nothing lost, nothing sent by a rolled-back turn).
import { deliveryFrom } from '../helpers/fakes.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/conversation/messages.ts';
import type { Runtime } from '../../src/wiring.ts';
import { Chat, HOUR, realRuntime, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;
let pushed: { to: string; text: string }[];
let failNext: number;

beforeEach(async () => {
  db = await freshDatabase();
  clock = new TestClock();
  rt = realRuntime(db.prisma, clock);
  pushed = [];
  failNext = 0;
  rt.bot.connect(
    'telegram',
    deliveryFrom(async (to, messages: OutboundMessage[]) => {
      if (failNext > 0) {
        failNext--;
        throw Object.assign(new Error('502 Bad Gateway'), { name: 'PlatformError' });
      }
      for (const m of messages) pushed.push({ to: to.userId, text: m.kind === 'photo' ? '' : m.text });
      return 'sent';
    }),
  );
});
afterEach(() => db.close());

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function officerAndMember(): Promise<{ officer: Chat; lan: Chat }> {
  const { code } = await rt.features.invitations.create({
    role: 'officer',
    areas: ['*'],
    createdBy: 'cli',
    ttlHours: 72,
  });
  const officer = new Chat(rt.bot, 'officer-1', 'telegram');
  await officer.send(code);
  const lan = new Chat(rt.bot, 'lan', 'zalo');
  await lan.send('alo');
  await lan.tap('Tiếng Việt');
  await lan.tap('Đồng ý');
  await lan.send('Nguyễn Thị Lan');
  await lan.send('Phan Dinh Phung');
  await lan.tap('Bỏ qua');
  await lan.tap('Xác nhận');
  return { officer, lan };
}

describe('outbox', () => {
  it('a push that fails (502) is kept, retried with backoff, and delivered once', async () => {
    const { lan } = await officerAndMember();
    failNext = 1;
    await lan.tap('Nói chuyện với cán bộ Hội');
    await lan.send('Em muốn hỏi về vay vốn');
    await settle();
    expect(pushed.filter((p) => p.to === 'officer-1')).toEqual([]);
    const [row] = await db.prisma.notification.findMany({ where: { status: 'pending' } });
    expect(row).toMatchObject({ attempts: 1, lastError: 'PlatformError' });

    expect(await rt.outbox.dispatch()).toBe(0); // not due yet: backoff
    clock.advance(HOUR);
    expect(await rt.outbox.dispatch()).toBe(1);
    expect(
      pushed
        .filter((p) => p.to === 'officer-1')
        .map((p) => p.text)
        .join('\n'),
    ).toContain('Em muốn hỏi về vay vốn');
    expect(await db.prisma.notification.count({ where: { status: 'pending' } })).toBe(0);
    expect(await rt.outbox.dispatch()).toBe(0); // delivered once
  });

  it('gives up after the last attempt and records why', async () => {
    const { lan } = await officerAndMember();
    failNext = 100;
    await lan.tap('Nói chuyện với cán bộ Hội');
    await lan.send('Em muốn hỏi về vay vốn');
    await settle();
    for (let i = 0; i < 6; i++) {
      clock.advance(24 * HOUR);
      await rt.outbox.dispatch();
    }
    const rows = await db.prisma.notification.findMany({ where: { recipient: { channelUserId: 'officer-1' } } });
    // attempts = the tries made: OUTBOX_MAX_ATTEMPTS (5), the last one included.
    expect(rows.map((r) => [r.status, r.attempts, r.lastError])).toContainEqual(['failed', 5, 'PlatformError']);
  });

  it('a turn that fails after writing a notification sends nothing', async () => {
    const { lan } = await officerAndMember();
    const before = pushed.length;
    await lan.tap('Nói chuyện với cán bộ Hội');
    // The turn that opens the case fails at its very end (the state cannot be saved): it is rolled back whole.
    await db.prisma.$executeRawUnsafe('DROP TABLE "ConversationState"');
    await lan.send('Em muốn hỏi về vay vốn');
    await settle();
    expect(lan.text()).toContain('Xin lỗi chị, hệ thống đang gặp trục trặc');
    expect(pushed.length).toBe(before);
    expect(await db.prisma.case.count()).toBe(0);
    expect(await db.prisma.notification.count({ where: { kind: 'case' } })).toBe(0);
  });
});
