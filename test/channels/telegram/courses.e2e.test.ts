// Courses on Telegram (issue 12), the real bot behind the webhook with the Bot API faked at its HTTP seam: a newcomer
// goes through first contact, browses the courses, registers (her birth year asked and kept, the support questions
// with their buttons), sees her registration in "Lớp học của tôi" and cancels it, with what is stored at each step.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { realRuntime, silentLogger, TestClock } from '../../helpers/chat.ts';
import { createCourse } from '../../helpers/courses.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { FakeBotApi, TOKEN } from './fake-bot-api.ts';
import { CHAT_ID, tapUpdate, textUpdate } from './fakes.ts';

const SECRET = 'e2e-secret-token-0123456789';
const PATH = '/telegram/webhook';

let db: FreshDatabase;
let rt: Runtime;
let api: FakeBotApi;
let channel: TelegramChannel;
let server: HttpServer;
let baseUrl: string;
let updateId = 1000;
// 2026-03-02 15:00 in Asia/Ho_Chi_Minh.
const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));

beforeEach(async () => {
  db = await freshDatabase();
  api = await FakeBotApi.start();
  rt = realRuntime(db.prisma, clock);
  channel = createTelegramChannel({
    token: TOKEN,
    apiRoot: api.apiRoot,
    mode: 'webhook',
    webhook: { secret: SECRET, path: PATH },
    gateway: rt.bot,
    logger: silentLogger,
  });
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 64 * 1024,
    logger: silentLogger,
    routes: [channel.route!],
    health: async () => ({ ok: true }),
  });
  baseUrl = `http://127.0.0.1:${(await server.start()).port}`;
});
afterEach(async () => {
  await rt.jobs.stop();
  await server.close();
  await channel.stop();
  await api.close();
  await db.close();
});

function post(update: object, secret = SECRET): Promise<Response> {
  return fetch(baseUrl + PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
}

/** The sendMessage payloads sent so far to one chat (the member's, unless told): the outbox also notifies officers. */
const sentTo = (chatId = CHAT_ID) => api.calls('sendMessage').filter((c) => Number(c['chat_id']) === chatId);

/** Posts an update and returns the sendMessage payloads it caused in the member's chat. */
async function say(update: object): Promise<Record<string, unknown>[]> {
  const before = sentTo().length;
  const res = await post(update);
  expect(res.status).toBe(200);
  return sentTo().slice(before);
}

type Button = { text: string; callback_data: string };
const keyboardOf = (payload: Record<string, unknown> | undefined): Button[][] =>
  (payload?.['reply_markup'] as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? [];

/** The update Telegram sends for a tap on the button with this label on the last question sent (a new update id). */
function tapOnLastQuestion(label: string): () => object {
  const question = sentTo()
    .filter((c) => c['reply_markup'])
    .at(-1);
  const button = keyboardOf(question)
    .flat()
    .find((b) => b.text === label);
  if (!button) throw new Error(`no button ${label}`);
  return () =>
    tapUpdate(++updateId, button.callback_data, {
      message_id: 777,
      text: String(question?.['text']),
      reply_markup: question?.['reply_markup'] as object,
    });
}

/** Taps the button with this label on the last question sent, as Telegram would report it. */
function tap(label: string): Promise<Record<string, unknown>[]> {
  return say(tapOnLastQuestion(label)());
}

/** The text of the last message sent, and the labels of its buttons. */
const last = (sent: Record<string, unknown>[]) => ({
  text: typeof sent.at(-1)?.['text'] === 'string' ? (sent.at(-1)?.['text'] as string) : '',
  buttons: keyboardOf(sent.at(-1))
    .flat()
    .map((b) => b.text),
});
const all = (sent: Record<string, unknown>[]) => sent.map((m) => String(m['text'])).join('\n');
const type = (text: string) => say(textUpdate(++updateId, text));

describe('courses on Telegram', () => {
  it('browse → register → my courses → cancel, with buttons', async () => {
    const c = await createCourse(rt, null);
    await type('Chào em');
    await tap('Tiếng Việt');
    await tap('Đồng ý');
    await type('Nguyễn Thị Lan');
    await type('Dan Tien');
    await type('0912345678');
    const menu = await tap('Xác nhận');
    // The new items come after the ones members know, so their numbers keep their meaning.
    // (the courses, issue 12; then products, issue 13; then "Thông báo của Hội", issue 14)
    expect(last(menu).buttons.slice(-6, -4)).toEqual(['Học nghề ngắn hạn', 'Lớp học của tôi']);

    const list = await type('co khoa hoc nao');
    expect(last(list).text).toContain('Các lớp học nghề sắp mở (có 1 lớp)');
    expect(last(list).buttons).toEqual(['Chế biến chè xanh · 20/03/2026 · Xã Dân Tiến', 'Lọc theo nghề', 'Về menu']);
    const details = await tap('Chế biến chè xanh · 20/03/2026 · Xã Dân Tiến');
    expect(all(details)).toContain('Hạn đăng ký: 17:00 15/03/2026');
    expect(last(details).buttons).toEqual(['Đăng ký', 'Xem các lớp khác', 'Về menu']);

    await tap('Đăng ký');
    const birth = await tap('Đồng ý');
    expect(last(birth).text).toContain('Chị sinh năm bao nhiêu ạ?');
    expect(last(await type('1985')).buttons).toEqual(['Đồng ý trả lời', 'Không, bỏ qua']);
    await tap('Không, bỏ qua');
    await tap('Không thuộc hai diện trên');
    const summary = await tap('Không');
    expect(last(summary).text).toContain('• Năm sinh: 1985');
    expect(last(summary).buttons).toEqual(['Xác nhận', 'Sửa thông tin', 'Hủy']);
    const done = await tap('Xác nhận');
    expect(all(done)).toContain('Chị đã đăng ký lớp «Chế biến chè xanh» thành công ạ');
    expect(all(done)).toContain('Mức hỗ trợ chi phí học dự kiến: 2.000.000 đồng (2 triệu)');
    const member = await rt.members.findByChannelUser('telegram', String(CHAT_ID));
    expect(member?.birthYear).toBe(1985);
    const row = () => db.prisma.courseRegistration.findFirstOrThrow({ where: { courseId: c.id } });
    expect(await row()).toMatchObject({ memberId: member?.id, status: 'registered', supportGroup: 'other' });

    const mine = await type('lớp học của tôi');
    expect(last(mine).buttons).toEqual(['Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đã đăng ký', 'Về menu']);
    await tap('Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đã đăng ký');
    const sure = await tap('Hủy đăng ký');
    expect(last(sure).text).toContain('Chị chắc chắn muốn hủy đăng ký lớp «Chế biến chè xanh» không ạ?');
    const cancelled = await tap('Có, hủy đăng ký');
    expect(all(cancelled)).toContain('Em đã hủy đăng ký lớp «Chế biến chè xanh» của chị ạ.');
    expect((await row()).status).toBe('cancelled');
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: c.id } })).seatsTaken).toBe(0);
  });
});
