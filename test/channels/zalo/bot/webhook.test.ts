// The Bot Platform webhook through the real HTTP server (createHttpServer) and the fake Bot Platform API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createZaloBotChannel,
  isValidWebhookSecret,
  webhookUrl,
  type ZaloBotChannel,
} from '../../../../src/channels/zalo/bot/index.ts';
import { createHttpServer, type HttpServer } from '../../../../src/http/server.ts';
import { failure, FakeZaloBot, TOKEN } from './fake-zalo-bot.ts';
import { CHAT_ID, FakeGateway, imageEvent, RecordingLogger, textEvent, zaloEvent } from './fakes.ts';

const SECRET = 'S3cret-token_for-zalo-webhook';
const PATH = '/zalo/bot/webhook';

let api: FakeZaloBot;
let gateway: FakeGateway;
let logger: RecordingLogger;
let channel: ZaloBotChannel;
let server: HttpServer;
let baseUrl: string;

beforeEach(async () => {
  api = await FakeZaloBot.start();
  gateway = new FakeGateway().replies({ kind: 'text', text: 'Chào chị' });
  logger = new RecordingLogger();
  channel = createZaloBotChannel({
    token: TOKEN,
    apiBase: api.apiBase,
    mode: 'webhook',
    webhook: { secret: SECRET, path: PATH, publicUrl: 'https://bot.hoiphunu.example' },
    gateway,
    logger,
  });
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 64 * 1024,
    logger,
    routes: [channel.route!],
    health: async () => ({ ok: true }),
  });
  const { port } = await server.start();
  baseUrl = `http://127.0.0.1:${port}`;
});

afterEach(async () => {
  await server.close();
  await channel.stop();
  await api.close();
});

function post(body: string | object, headers: Record<string, string> = { 'x-bot-api-secret-token': SECRET }) {
  return fetch(`${baseUrl}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const event = textEvent('msg-5001', 'xin chào');

describe('Zalo Bot Platform webhook over HTTP', () => {
  it('without the secret header: 401 and no effect', async () => {
    const res = await post(event, {});
    expect(res.status).toBe(401);
    expect(gateway.inbound).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it.each(['wrong-secret', `${SECRET}x`, SECRET.slice(0, -1), '', SECRET.toLowerCase()])(
    'with a wrong secret %j: 401 and no effect',
    async (secret) => {
      const res = await post(event, { 'x-bot-api-secret-token': secret });
      expect(res.status).toBe(401);
      expect(gateway.inbound).toEqual([]);
      expect(api.requests).toEqual([]);
      expect(logger.dump()).not.toContain(SECRET);
    },
  );

  it('with the right secret: 200, the gateway called once, the reply sent to the chat', async () => {
    const res = await post(event, { 'X-Bot-Api-Secret-Token': SECRET });
    expect(res.status).toBe(200);
    expect(gateway.inbound).toEqual([
      {
        channel: 'zalobot',
        userId: CHAT_ID,
        messageId: 'msg-5001',
        content: { kind: 'text', text: 'xin chào' },
        receivedAt: expect.any(Date),
      },
    ]);
    expect(api.requests).toEqual([
      { method: 'sendMessage', token: TOKEN, body: { chat_id: CHAT_ID, text: 'Chào chị' } },
    ]);
    expect(logger.dump()).not.toContain('xin chào');
    expect(logger.dump()).not.toContain(CHAT_ID);
  });

  it('an event without the {ok, result} wrapper is read too', async () => {
    expect((await post(textEvent('msg-5002', 'alo', { wrapped: false }))).status).toBe(200);
    expect(gateway.inbound[0]?.content).toEqual({ kind: 'text', text: 'alo' });
  });

  it('an image arrives as a photo whose ref is its URL; a sticker as unsupported content', async () => {
    await post(imageEvent('msg-5003', 'https://photo.zdn.vn/abc.jpg', 'giấy tờ'));
    await post(zaloEvent('message.sticker.received', 'msg-5004', { sticker: 'st-1', url: 'https://zalo/st.png' }));
    expect(gateway.inbound.map((m) => m.content)).toEqual([
      { kind: 'photo', refs: ['https://photo.zdn.vn/abc.jpg'], caption: 'giấy tờ' },
      { kind: 'unsupported', what: 'sticker' },
    ]);
  });

  it('malformed JSON: 400, gateway not called, body not logged', async () => {
    const res = await post('{"ok":true,"result":{"event_name":"message.text.received","message":{"text":"0912345678"');
    expect(res.status).toBe(400);
    expect(gateway.inbound).toEqual([]);
    expect(logger.dump()).not.toContain('0912345678');
  });

  it('JSON that is not an object: 400', async () => {
    expect((await post('[1,2,3]')).status).toBe(400);
    expect((await post('"hello"')).status).toBe(400);
    expect(gateway.inbound).toEqual([]);
  });

  it('a huge body: 413 before the route runs', async () => {
    const res = await post(textEvent('msg-5005', 'x'.repeat(100 * 1024)));
    expect(res.status).toBe(413);
    expect(gateway.inbound).toEqual([]);
  });

  it('unknown events, group messages and withheld content: 200, ignored and counted', async () => {
    for (const body of [
      { ok: true, result: { event_name: 'bot.something.new', data: { x: 1 } } },
      zaloEvent('user.follow', 'f-1'),
      zaloEvent('message.text.received', 'g-1', { text: 'hi all' }, { chatType: 'GROUP' }),
      zaloEvent('message.unsupported.received', 'w-1'),
      {},
    ]) {
      expect((await post(body)).status).toBe(200);
    }
    expect(gateway.inbound).toEqual([]);
    expect(api.requests).toEqual([]);
    expect(channel.stats()).toMatchObject({
      events: 5,
      messages: 0,
      ignored: {
        other: 2, // bot.something.new and user.follow: names not documented are counted, not shown as they are
        'message.text.received': 1,
        'message.unsupported.received': 1,
        unknown: 1,
      },
    });
  });

  it('a failure while handling still answers 200 (no endless redelivery)', async () => {
    gateway.script = () => Promise.reject(new Error('database down'));
    expect((await post(event)).status).toBe(200);
    expect(logger.at('error').map((e) => e.msg)).toEqual(['gateway failed']);
  });

  it('start() registers the webhook URL with the secret, which is never logged', async () => {
    await channel.start();
    expect(api.requests).toEqual([
      {
        method: 'setWebhook',
        token: TOKEN,
        body: { url: `https://bot.hoiphunu.example${PATH}`, secret_token: SECRET },
      },
    ]);
    expect(logger.dump()).not.toContain(SECRET);
    expect(logger.dump()).not.toContain(TOKEN);
  });

  it('start() warns when Zalo could not reach the registered URL', async () => {
    api.reply('setWebhook', {
      body: {
        ok: true,
        result: {
          url: 'https://bot.hoiphunu.example/zalo/bot/webhook',
          verification: { ok: false, outcome: 'webhook.http.403', hint: 'Your server or CDN rejected the request' },
        },
      },
    });
    await channel.start();
    expect(logger.at('warn')).toEqual([
      {
        level: 'warn',
        obj: { path: PATH, outcome: 'webhook.http.403', hint: 'Your server or CDN rejected the request' },
        msg: 'zalo bot webhook registered, but Zalo could not reach it',
      },
    ]);
  });

  it('start() fails with an error that carries neither the secret nor the token', async () => {
    api.reply('setWebhook', failure(400, 'Webhook URL must be HTTPS'));
    const error = await channel.start().then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe('Zalo Bot Platform setWebhook failed: 400 Webhook URL must be HTTPS');
    const serialised = JSON.stringify(error, Object.getOwnPropertyNames(error));
    expect(serialised).not.toContain(SECRET);
    expect(serialised).not.toContain(TOKEN);
  });
});

describe('webhook configuration', () => {
  it('appends the path to a bare public origin, keeps a full URL as is', () => {
    expect(webhookUrl('https://bot.example.org', PATH)).toBe('https://bot.example.org/zalo/bot/webhook');
    expect(webhookUrl('https://bot.example.org/', PATH)).toBe('https://bot.example.org/zalo/bot/webhook');
    expect(webhookUrl('https://example.org/hoivien/zb', PATH)).toBe('https://example.org/hoivien/zb');
  });

  it('refuses a secret Zalo would refuse (8-256 characters)', () => {
    const make = (secret: string) => () =>
      createZaloBotChannel({
        token: TOKEN,
        mode: 'webhook',
        webhook: { secret, path: PATH },
        gateway: new FakeGateway(),
        logger: new RecordingLogger(),
      });
    expect(make('')).toThrow(/secret/);
    expect(make('short')).toThrow(/secret/);
    expect(make('has a space')).toThrow(/secret/);
    expect(make('a'.repeat(257))).toThrow(/secret/);
    expect(make('mykey-abcxyz')).not.toThrow();
    expect(isValidWebhookSecret('a'.repeat(256))).toBe(true);
  });

  it('webhook mode needs webhook options; the path must be absolute', () => {
    const base = { token: TOKEN, gateway: new FakeGateway(), logger: new RecordingLogger() };
    expect(() => createZaloBotChannel({ ...base, mode: 'webhook' })).toThrow(/webhook options/);
    expect(() => createZaloBotChannel({ ...base, mode: 'webhook', webhook: { secret: SECRET, path: 'zalo' } })).toThrow(
      /path/,
    );
  });
});
