// The real bot (engine, flows, SQLite) behind the Telegram webhook, with the Bot API faked at its HTTP seam:
// what a member sees on Telegram, and what is stored.
import { pushVia } from '../../helpers/fakes.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { realBot, silentLogger } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { blocked, FakeBotApi, TOKEN } from './fake-bot-api.ts';
import { CHAT_ID, tapUpdate, textUpdate } from './fakes.ts';

const SECRET = 'e2e-secret-token-0123456789';
const PATH = '/telegram/webhook';

let db: FreshDatabase;
let api: FakeBotApi;
let channel: TelegramChannel;
let server: HttpServer;
let baseUrl: string;
let updateId = 1000;

beforeEach(async () => {
  db = await freshDatabase();
  api = await FakeBotApi.start();
  channel = createTelegramChannel({
    token: TOKEN,
    apiRoot: api.apiRoot,
    mode: 'webhook',
    webhook: { secret: SECRET, path: PATH },
    gateway: realBot(db.prisma),
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

/** Posts an update and returns the sendMessage payloads it caused. */
async function say(update: object): Promise<Record<string, unknown>[]> {
  const before = api.calls('sendMessage').length;
  const res = await post(update);
  expect(res.status).toBe(200);
  return api.calls('sendMessage').slice(before);
}

type Button = { text: string; callback_data: string };
const keyboardOf = (payload: Record<string, unknown> | undefined): Button[][] =>
  (payload?.['reply_markup'] as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? [];

/** The update Telegram sends for a tap on the button with this label on the last question sent (a new update id). */
function tapOnLastQuestion(label: string): () => object {
  const question = api
    .calls('sendMessage')
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

describe('a member on Telegram', () => {
  it('goes through first contact and the profile with buttons and typed answers', async () => {
    const first = await say(textUpdate(++updateId, 'Chào em'));
    expect(first.map((m) => m['chat_id'])).toEqual([CHAT_ID, CHAT_ID]);
    expect(first[0]?.['text']).toContain('Xin chào! Đây là trợ lý của Hội Liên hiệp Phụ nữ tỉnh.');
    expect(first[1]).toMatchObject({ text: 'Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?' });
    expect(keyboardOf(first[1]).map((row) => row.map((b) => b.text))).toEqual([['Tiếng Việt', 'English']]);

    const consent = await tap('Tiếng Việt');
    // The answered question is marked and its keyboard removed.
    expect(api.calls('answerCallbackQuery').length).toBe(1);
    expect(api.calls('editMessageText').at(-1)).toMatchObject({
      message_id: 777,
      text: expect.stringContaining('✓ Tiếng Việt'),
    });
    expect(consent.at(-1)?.['text']).toContain('Chị có đồng ý không?');
    expect(
      keyboardOf(consent.at(-1))
        .flat()
        .map((b) => b.text),
    ).toEqual(['Đồng ý', 'Không đồng ý']);

    const name = await tap('Đồng ý');
    expect(name.at(-1)).toMatchObject({ text: 'Họ và tên của chị là gì?' });
    expect(name.at(-1)?.['reply_markup']).toBeUndefined();

    await say(textUpdate(++updateId, 'Nguyễn Thị Lan'));
    const confirm = await say(textUpdate(++updateId, 'tuc duyen'));
    expect(confirm.at(-1)?.['text']).toBe('Túc Duyên nay thuộc Phường Phan Đình Phùng — đúng không ạ?');
    await tap('Có');
    const summary = await say(textUpdate(++updateId, '0912 345 678'));
    expect(summary.at(-1)?.['text']).toContain('• Điện thoại: 0912 345 678');
    expect(
      keyboardOf(summary.at(-1))
        .flat()
        .map((b) => b.text),
    ).toEqual(['Xác nhận', 'Sửa thông tin', 'Hủy']);
    await tap('Xác nhận');

    const stored = await db.prisma.member.findFirstOrThrow({ where: { channel: 'telegram' } });
    expect(stored).toMatchObject({
      channelUserId: String(CHAT_ID),
      displayName: 'Nguyễn Thị Lan',
      communeCode: '05443',
      phone: '+84912345678',
    });
  });

  it('an update delivered twice has exactly one effect', async () => {
    const update = textUpdate(++updateId, 'alo');
    const once = await say(update);
    expect(once.length).toBe(2);
    const again = await say(update);
    expect(again).toEqual([]);
    expect(await db.prisma.processedInbound.count()).toBe(1);
  });

  it('a request without the right secret is refused with 401 and changes nothing', async () => {
    const res = await post(textUpdate(++updateId, 'alo'), 'wrong-secret-wrong-secret');
    expect(res.status).toBe(401);
    expect(api.calls('sendMessage')).toEqual([]);
    expect(await db.prisma.member.count()).toBe(0);
  });

  it('unknown callback data and stickers get a clear answer, not a crash', async () => {
    await say(textUpdate(++updateId, 'alo'));
    const stale = await say(tapUpdate(++updateId, 'not-a-real-button', { message_id: 9, text: 'old question' }));
    expect(stale[0]?.['text']).toContain('Nút này thuộc câu hỏi trước');
    const sticker = await say({
      update_id: ++updateId,
      message: {
        message_id: 5,
        date: 1_750_000_000,
        chat: { id: CHAT_ID, type: 'private' },
        from: { id: CHAT_ID, is_bot: false, first_name: 'Lan' },
        sticker: {
          file_id: 'st',
          file_unique_id: 'st',
          width: 1,
          height: 1,
          is_animated: false,
          is_video: false,
          type: 'regular',
        },
      },
    });
    expect(sticker[0]?.['text']).toContain('Em chỉ đọc được chữ và ảnh');
  });
});

describe('the credit pre-screen on Telegram', () => {
  it('runs with buttons, lets the member edit an answer at the summary, and shows the programmes', async () => {
    await say(textUpdate(++updateId, 'alo'));
    await tap('Tiếng Việt');
    await tap('Không đồng ý');
    await tap('Kiểm tra khả năng vay vốn');
    await tap('Sản xuất, kinh doanh');
    await say(textUpdate(++updateId, 'Dân Tiến'));
    await tap('Hộ nghèo');
    await say(textUpdate(++updateId, '30 triệu'));
    const summary = await tap('Có');
    expect(summary.at(-1)?.['text']).toContain('• Diện hộ: Hộ nghèo');
    expect(
      keyboardOf(summary.at(-1))
        .flat()
        .map((b) => b.text),
    ).toEqual(['Xác nhận', 'Sửa thông tin', 'Hủy']);
    await tap('Sửa thông tin');
    await tap('Số tiền cần vay');
    const edited = await say(textUpdate(++updateId, '50tr'));
    expect(edited.at(-1)?.['text']).toContain('• Số tiền cần vay: 50 triệu đồng');
    const result = await tap('Xác nhận');
    const texts = result.map((m) => String(m['text']));
    // The answer is one message that leads with the result (issue 8, item 12).
    expect(
      texts.some((t) => t.startsWith('Kết quả sơ bộ') && t.includes('\n✅ Cho vay hộ nghèo — chị có thể phù hợp\n')),
    ).toBe(true);
    expect(texts.join('\n')).toContain('• Lãi suất: 6,24%/năm (0,52%/tháng)');
    expect(
      keyboardOf(result.at(-1))
        .flat()
        .map((b) => b.text),
    ).toEqual(['Nhờ cán bộ liên hệ với tôi', 'Trả lời lại từ đầu', 'Về menu', 'Xem thêm']);
  });
});

describe('notifications pushed to Telegram', () => {
  it('push sends the rendered messages with their action buttons, and a blocked bot is reported', async () => {
    const result = await pushVia(
      channel.delivery,
      { channel: 'telegram', userId: String(CHAT_ID), lastInboundAt: null },
      [
        {
          kind: 'choices',
          text: 'Yêu cầu #7',
          choices: [{ label: 'Nhận xử lý', data: '!claim:7', typed: 'nhan 7' }],
          freeText: true,
        },
      ],
    );
    expect(result).toBe('sent');
    expect(api.calls('sendMessage').at(-1)).toMatchObject({
      chat_id: CHAT_ID,
      text: 'Yêu cầu #7',
      reply_markup: { inline_keyboard: [[{ text: 'Nhận xử lý', callback_data: '!claim:7' }]] },
    });
    api.reply('sendMessage', blocked);
    expect(
      await pushVia(channel.delivery, { channel: 'telegram', userId: String(CHAT_ID), lastInboundAt: null }, [
        { kind: 'text', text: 'x' },
      ]),
    ).toBe('unreachable');
  });
});

describe('taps as Telegram delivers them', () => {
  it('a double tap on one button answers the second callback query and says nothing more', async () => {
    await say(textUpdate(++updateId, 'alo'));
    const tapUpdateOf = tapOnLastQuestion('Tiếng Việt');
    const tapOnce = () => say(tapUpdateOf());
    const first = await tapOnce();
    expect(first.at(-1)?.['text']).toContain('Chị có đồng ý không?');
    const callbacksBefore = api.calls('answerCallbackQuery').length;
    const second = await tapOnce(); // the same button of the same message, as a second update
    expect(second).toEqual([]); // no "Nút này thuộc câu hỏi trước", no question sent again
    expect(api.calls('answerCallbackQuery').length).toBe(callbacksBefore + 1);
    // …and the conversation goes on from where the first tap left it.
    const name = await tap('Đồng ý');
    expect(name.at(-1)?.['text']).toBe('Họ và tên của chị là gì?');
  });

  it('every button the bot sends fits in Telegram’s 64-byte callback_data', async () => {
    await say(textUpdate(++updateId, 'alo'));
    await tap('Tiếng Việt');
    await tap('Không đồng ý');
    await tap('Kiểm tra khả năng vay vốn');
    for (const call of api.calls('sendMessage')) {
      for (const b of keyboardOf(call).flat()) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    }
  });
});
