// Free text on Telegram (issue 11): the real bot behind the webhook, the Bot API faked at its HTTP seam. The sentences
// of the issue lead to their features; an ambiguous one gets a choice; nonsense gets the nearest items and the
// officer (whom the request then reaches through the outbox, on Telegram too); a newcomer's first request waits through
// first contact; a request typed at the name step is asked about.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { Chat, realRuntime, silentLogger } from '../../helpers/chat.ts';
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

beforeEach(async () => {
  db = await freshDatabase();
  api = await FakeBotApi.start();
  rt = realRuntime(db.prisma);
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

/** First contact and the whole profile, typed and tapped as on Telegram. */
async function registered(): Promise<void> {
  await type('Chào em');
  await tap('Tiếng Việt');
  await tap('Đồng ý');
  await type('Nguyễn Thị Lan');
  await type('Dan Tien');
  await type('0912345678');
  const menu = await tap('Xác nhận');
  expect(all(menu)).toContain('Chị cần gì ạ?');
}

describe('free text on Telegram', () => {
  it('the sentences of the issue each open their feature from the menu', async () => {
    await registered();
    const opens: [string, string][] = [
      ['cho em hỏi vay vốn', 'Chị cần vay vốn để làm gì?'],
      ['em muon vay tien', 'Chị cần vay vốn để làm gì?'],
      ['vay von lam an duoc ko', 'Mục đích: Sản xuất, kinh doanh — đúng không ạ?'],
      ['cho toi gap can bo', 'Chị muốn trao đổi với cán bộ Hội về việc gì?'],
      ['sửa tên của tôi', 'Họ và tên của chị là gì?'],
      ['doi so dien thoai', 'Số điện thoại di động mới của chị?'],
      ['xoa het du lieu cua em', 'Chị có chắc muốn xóa toàn bộ thông tin Hội đang lưu về chị'],
      ['switch to English', 'Which language do you prefer?'],
      ['tieng anh', 'Which language do you prefer?'],
    ];
    for (const [typed, expected] of opens) {
      expect(all(await type(typed)), typed).toContain(expected);
      let back = await type('menu');
      if (last(back).buttons.includes('Về danh sách chính')) back = await tap('Về danh sách chính');
      expect(all(back)).toContain('Chị cần gì ạ?');
    }
    expect(await db.prisma.member.count()).toBe(1);
  });

  it('an ambiguous request gets a choice; nonsense gets the nearest items and the officer', async () => {
    await registered();
    const choice = last(await type('hỏi cán bộ về vay vốn'));
    expect(choice.text).toBe('Chị muốn làm việc nào ạ?');
    expect(choice.buttons).toEqual(['Kiểm tra khả năng vay vốn', 'Nói chuyện với cán bộ Hội']);
    expect(all(await tap('Kiểm tra khả năng vay vốn'))).toContain('Chị cần vay vốn để làm gì?');
    await type('menu');
    const unsure = last(await type('zxcv qwerty blah'));
    expect(unsure.text).toContain('Em chưa chắc chị cần gì');
    expect(unsure.buttons.at(-1)).toBe('Gửi câu này cho cán bộ Hội');
    expect(all(await tap('Gửi câu này cho cán bộ Hội'))).toMatch(/yêu cầu #\d+/);
  });

  it('"Gửi câu này cho cán bộ Hội" reaches the officer of her commune on Telegram, with her words and a claim button', async () => {
    // An officer of Dân Tiến, linked by an invitation code, in another Telegram chat.
    const OFFICER_CHAT = 555_001;
    const { code } = await rt.features.invitations.create({
      role: 'officer',
      areas: ['05755'],
      createdBy: 'cli',
      ttlHours: 72,
    });
    const officer = new Chat(rt.bot, String(OFFICER_CHAT), 'telegram');
    await officer.send('alo');
    await officer.tap('Tiếng Việt');
    await officer.tap('Đồng ý');
    await officer.send('Cán bộ Hoa');
    await officer.send('Dan Tien');
    await officer.send('bỏ qua');
    await officer.tap('Xác nhận');
    await officer.send(code);
    await registered();
    const before = sentTo(OFFICER_CHAT).length;
    await type('zxcv qwerty blah');
    const opened = all(await tap('Gửi câu này cho cán bộ Hội'));
    const id = /yêu cầu #(\d+)/.exec(opened)?.[1];
    if (id === undefined) throw new Error(`no case id in: ${opened}`);
    const notes = sentTo(OFFICER_CHAT).slice(before);
    expect(notes).toHaveLength(1);
    expect(String(notes[0]?.['text'])).toContain('Có yêu cầu mới');
    expect(String(notes[0]?.['text'])).toContain(`Yêu cầu #${id}`);
    expect(String(notes[0]?.['text'])).toContain('Nội dung: zxcv qwerty blah');
    expect(String(notes[0]?.['text'])).not.toContain('0912');
    expect(keyboardOf(notes[0]).flat()).toEqual([{ text: 'Nhận xử lý', callback_data: expect.any(String) }]);
  });

  it("a newcomer's first request lands in its feature after first contact; a request at the name step is asked about", async () => {
    expect(last(await type('cho em hỏi vay vốn')).text).toContain('Which language do you prefer?');
    await tap('Tiếng Việt');
    await tap('Đồng ý');
    const aside = last(await type('à mà em muốn hỏi vay vốn'));
    expect(aside.buttons).toEqual(['Chuyển sang: Kiểm tra khả năng vay vốn', 'Đó là câu trả lời của tôi']);
    await tap('Đó là câu trả lời của tôi');
    await type('Dan Tien');
    await type('0912345678');
    expect(all(await tap('Xác nhận'))).toContain('Chị cần vay vốn để làm gì?');
  });
});
