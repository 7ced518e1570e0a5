// An admin's broadcast on Telegram (issue 14), the real bot behind the webhook with the Bot API faked at its HTTP seam:
// "gửi thông báo" typed, the Vietnamese and English texts, a course's registration button, a commune segment with the
// live size, the preview as members get it (its text and its inline button), the confirmation with its buttons, and the
// delivery written for the member of that commune.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { realRuntime, silentLogger, TestClock } from '../../helpers/chat.ts';
import { createCourse } from '../../helpers/courses.ts';
import { createConsentRepository } from '../../../src/data/consentRepository.ts';
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
// 2026-03-02 15:00 in Asia/Ho_Chi_Minh (inside the broadcast hours).
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

describe('broadcasts on Telegram', () => {
  it('an admin composes one with buttons, sees the preview as members get it, and confirms', async () => {
    const c = await createCourse(rt, null);
    await type('Chào em');
    await tap('Tiếng Việt');
    await tap('Đồng ý');
    await type('Hoàng Thị Quản');
    await type('Phan Dinh Phung');
    await type('0912345678');
    await tap('Xác nhận');
    const boss = await rt.members.findByChannelUser('telegram', String(CHAT_ID));
    await rt.officers.assign(boss!.id, 'admin', ['*']);
    const consents = createConsentRepository(db.prisma);
    await consents.give(boss!.id, 'photos', clock.now());
    const lan = await db.prisma.member.create({
      data: {
        channel: 'telegram',
        channelUserId: '777',
        displayName: 'Lê Thị Lan',
        communeCode: '05443',
        consentAt: clock.now(),
      },
    });
    await consents.give(lan.id, 'announcements', clock.now());
    const elsewhere = await db.prisma.member.create({
      data: {
        channel: 'telegram',
        channelUserId: '778',
        displayName: 'Vũ Văn Gia',
        communeCode: '05467',
        consentAt: clock.now(),
      },
    });
    await consents.give(elsewhere.id, 'announcements', clock.now());
    const anna = await db.prisma.member.create({
      data: {
        channel: 'telegram',
        channelUserId: '779',
        displayName: 'Anna Smith',
        language: 'en',
        communeCode: '05443',
        consentAt: clock.now(),
      },
    });
    await consents.give(anna.id, 'announcements', clock.now());

    expect(all(await type('gửi thông báo'))).toContain('Nội dung thông báo bằng tiếng Việt là gì ạ?');
    await type('Lớp chè mới, đăng ký ngay!');
    await type('New tea course, register now!');
    await tap('Bỏ qua');
    expect(last(await tap('Đăng ký một khóa học')).buttons.some((b) => b.startsWith(`#${c.id} `))).toBe(true);
    const everyone = await tap(last(sentTo()).buttons.find((b) => b.startsWith(`#${c.id} `))!);
    expect(all(everyone)).toContain('Số người nhận: 3');
    await tap('Theo xã/phường');
    const narrowed = await type('Phan Đình Phùng');
    expect(all(narrowed)).toContain('Số người nhận: 2');
    expect(last(narrowed).buttons).toContain('Xong');
    await tap('Xong');
    await tap('Gửi ngay');
    const preview = await tap('Không');
    const text = all(preview);
    expect(text).toContain('Lớp chè mới, đăng ký ngay!');
    expect(text).toContain('New tea course, register now!');
    // The preview names the button members get ("Đăng ký lớp này") without drawing it with a made-up number: the
    // broadcast has none yet (a drawn one would read "tb 0" on the console).
    const buttons = preview.flatMap((m) => keyboardOf(m).flat());
    expect(text).toContain('Dưới thông báo có nút “Đăng ký lớp này”.');
    expect(buttons.some((b) => /bcTap:0\b/.test(String(b.callback_data)))).toBe(false);
    expect(last(preview).buttons).toEqual(['Xác nhận gửi', 'Sửa', 'Hủy']);
    const done = await tap('Xác nhận gửi');
    const b = await db.prisma.broadcast.findFirstOrThrow();
    expect(all(done)).toContain(`Đã bắt đầu gửi đợt thông báo #${b.id} ạ.`);
    // The confirmation carries Progress / Stop buttons; the menu follows it.
    expect(done.flatMap((m) => keyboardOf(m).flat()).map((x) => x.text)).toEqual(
      expect.arrayContaining(['Xem tiến độ', 'Dừng gửi', 'Gửi thông báo', 'Thông báo đã gửi']),
    );
    for (let i = 0; i < 5 && (await rt.jobs.runDue()) > 0; i++);
    const deliveries = await db.prisma.broadcastDelivery.findMany();
    expect(deliveries.map((d) => d.memberId).sort()).toEqual([lan.id, anna.id].sort());
    // The dispatcher sends it to them (and only them) on Telegram, with the course's button.
    await rt.broadcastDispatcher.dispatchOnce();
    await rt.broadcastDispatcher.idle();
    const toLan = sentTo(777);
    expect(toLan.map((m) => String(m['text']))).toEqual([expect.stringContaining('Lớp chè mới, đăng ký ngay!')]);
    expect(
      keyboardOf(toLan[0])
        .flat()
        .map((x) => x.text),
    ).toEqual(['Đăng ký lớp này']);
    // In her language: Anna reads English, her button label too.
    const toAnna = sentTo(779);
    expect(toAnna.map((m) => String(m['text']))).toEqual([expect.stringContaining('New tea course, register now!')]);
    expect(keyboardOf(toAnna[0]).flat().length).toBe(1);
    expect(sentTo(778)).toEqual([]);
    expect((await db.prisma.broadcastDelivery.findMany()).map((d) => d.status)).toEqual(['sent', 'sent']);
  });
});
