// The real bot (engine, flows, SQLite) behind the Zalo Bot Platform webhook on the real HTTP server, with the
// platform faked at its HTTP seam: what a member sees on Zalo (numbered choices, answered by number or label), and
// what is stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloBotChannel, type ZaloBotChannel } from '../../../../src/channels/zalo/bot/index.ts';
import { createHttpServer, type HttpServer } from '../../../../src/http/server.ts';
import { realBot, silentLogger } from '../../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../../helpers/database.ts';
import { FakeZaloBot, TOKEN } from './fake-zalo-bot.ts';
import { CHAT_ID, textEvent } from './fakes.ts';

const SECRET = 'e2e-zalo-bot-secret-0123456789';
const PATH = '/zalo/bot/webhook';

let db: FreshDatabase;
let api: FakeZaloBot;
let channel: ZaloBotChannel;
let server: HttpServer;
let baseUrl: string;
let sequence = 0;

beforeEach(async () => {
  db = await freshDatabase();
  api = await FakeZaloBot.start();
  channel = createZaloBotChannel({
    token: TOKEN,
    apiBase: api.apiBase,
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

/** `secret` null: no secret header at all. */
function post(body: object | string, secret: string | null = SECRET): Promise<Response> {
  return fetch(baseUrl + PATH, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-bot-api-secret-token': secret }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Posts an event and returns the sendMessage payloads it caused. */
async function deliver(event: object): Promise<Record<string, unknown>[]> {
  const before = api.calls('sendMessage').length;
  const res = await post(event);
  expect(res.status).toBe(200);
  return api.calls('sendMessage').slice(before);
}

/** The member types a message; returns the texts she receives. */
async function say(text: string): Promise<string[]> {
  const sent = await deliver(textEvent(`zmsg-${++sequence}`, text));
  for (const payload of sent) expect(payload['chat_id']).toBe(CHAT_ID);
  return sent.map((payload) => String(payload['text']));
}

describe('a member on the Zalo Bot Platform', () => {
  it('goes through first contact and the profile answering numbered choices by number or label', async () => {
    const first = await say('Chào em');
    expect(first).toHaveLength(2);
    expect(first[0]).toContain('Xin chào! Đây là trợ lý của Hội Liên hiệp Phụ nữ tỉnh.');
    expect(first[1]).toBe('Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?\n1) Tiếng Việt\n2) English');

    const consent = await say('1');
    expect(consent.at(-1)).toMatch(/Chị có đồng ý không\?\n1\) Đồng ý\n2\) Không đồng ý$/);

    expect(await say('đồng ý')).toEqual([
      'Cảm ơn chị đã đồng ý.',
      'Mời chị cho biết vài thông tin để cán bộ Hội ở xã/phường hỗ trợ chị.',
      'Họ và tên của chị là gì?',
    ]);
    expect(await say('Nguyễn Thị Lan')).toEqual([expect.stringMatching(/^Chị ở xã\/phường nào/)]);
    const confirmArea = await say('tuc duyen');
    expect(confirmArea.at(-1)).toBe('Túc Duyên nay thuộc Phường Phan Đình Phùng — đúng không ạ?\n1) Có\n2) Không');
    expect(await say('1')).toEqual([expect.stringMatching(/^Số điện thoại di động của chị.*\n1\) Bỏ qua$/s)]);
    const summary = await say('0912 345 678');
    expect(summary.at(-1)).toContain('• Điện thoại: 0912 345 678');
    expect(summary.at(-1)).toMatch(/\n1\) Xác nhận\n2\) Sửa thông tin\n3\) Hủy$/);
    expect(await say('Xác nhận')).toEqual([
      'Đã lưu hồ sơ của chị.',
      expect.stringMatching(/^Chị cần gì ạ\?.*\n1\) .+\n2\) /s),
    ]);

    const stored = await db.prisma.member.findFirstOrThrow({ where: { channel: 'zalobot' } });
    expect(stored).toMatchObject({
      channelUserId: CHAT_ID,
      displayName: 'Nguyễn Thị Lan',
      communeCode: '05443',
      phone: '+84912345678',
    });
  });

  it('a replayed event (same message_id) has exactly one effect', async () => {
    const event = textEvent('zmsg-replayed', 'alo');
    const once = await deliver(event);
    expect(once.length).toBe(2);
    const again = await deliver(event);
    expect(again).toEqual([]);
    expect(await db.prisma.processedInbound.count()).toBe(1);
    expect(await db.prisma.member.count()).toBe(1);
  });

  it('a request without the right secret is refused with 401 and changes nothing', async () => {
    for (const secret of [null, 'wrong-secret-wrong-secret', '']) {
      const res = await post(textEvent('zmsg-forged', 'alo'), secret);
      expect(res.status).toBe(401);
    }
    expect(api.requests).toEqual([]);
    expect(await db.prisma.member.count()).toBe(0);
    expect(await db.prisma.processedInbound.count()).toBe(0);
  });

  it('malformed, huge and unknown bodies: 400, 413, 200 — and nothing stored', async () => {
    expect((await post('{"ok":true,"result":')).status).toBe(400);
    expect((await post(textEvent('zmsg-huge', 'x'.repeat(100 * 1024)))).status).toBe(413);
    expect((await post({ ok: true, result: { event_name: 'bot.future.event', data: {} } })).status).toBe(200);
    expect(api.requests).toEqual([]);
    expect(await db.prisma.member.count()).toBe(0);
    // Counted, under "other": a name the platform does not document is its text, never logged or shown as it is.
    expect(channel.stats().ignored).toEqual({ other: 1 });
  });

  it('a sticker gets a clear answer, not a crash', async () => {
    await say('alo');
    const sticker = await deliver({
      ok: true,
      result: {
        event_name: 'message.sticker.received',
        message: {
          from: { id: CHAT_ID, display_name: 'Lan', is_bot: false },
          chat: { id: CHAT_ID, chat_type: 'PRIVATE' },
          sticker: 'd063f44dc80821567819',
          url: 'https://zalo-api.zadn.vn/sticker.png',
          message_id: 'zmsg-sticker',
          date: 1_750_316_131_602,
        },
      },
    });
    expect(String(sticker[0]?.['text'])).toContain('Em chỉ đọc được chữ và ảnh');
  });
});
