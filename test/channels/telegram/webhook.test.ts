// The webhook through the real HTTP server (createHttpServer) and the fake Bot API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, webhookUrl, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { FakeBotApi, TOKEN } from './fake-bot-api.ts';
import { CHAT_ID, FakeGateway, RecordingLogger, textUpdate } from './fakes.ts';

const SECRET = 'S3cret-token_for-webhook';
const PATH = '/telegram/webhook';

let api: FakeBotApi;
let gateway: FakeGateway;
let logger: RecordingLogger;
let channel: TelegramChannel;
let server: HttpServer;
let baseUrl: string;

beforeEach(async () => {
  api = await FakeBotApi.start();
  gateway = new FakeGateway().replies({ kind: 'text', text: 'Chào chị' });
  logger = new RecordingLogger();
  channel = createTelegramChannel({
    token: TOKEN,
    apiRoot: api.apiRoot,
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

function post(body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

const update = JSON.stringify(textUpdate(5001, 'xin chào'));

describe('Telegram webhook over HTTP', () => {
  it('without the secret header: 401 and no effect', async () => {
    const res = await post(update);
    expect(res.status).toBe(401);
    expect(gateway.inbound).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it.each(['wrong', `${SECRET}x`, SECRET.slice(0, -1), ''])(
    'with a wrong secret %j: 401 and no effect',
    async (secret) => {
      const res = await post(update, { 'x-telegram-bot-api-secret-token': secret });
      expect(res.status).toBe(401);
      expect(gateway.inbound).toEqual([]);
      expect(api.requests).toEqual([]);
    },
  );

  it('with the right secret: 200, the gateway called once, the reply sent', async () => {
    const res = await post(update, { 'X-Telegram-Bot-Api-Secret-Token': SECRET });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(gateway.inbound).toHaveLength(1);
    expect(gateway.inbound[0]).toMatchObject({
      messageId: 'u5001',
      userId: String(CHAT_ID),
      content: { kind: 'text', text: 'xin chào' },
    });
    expect(api.calls('sendMessage')).toEqual([{ chat_id: CHAT_ID, text: 'Chào chị' }]);
  });

  it('malformed JSON: 400, gateway not called, body not logged', async () => {
    const res = await post('{"update_id": 1, "message": {"text": "0912345678"', {
      'x-telegram-bot-api-secret-token': SECRET,
    });
    expect(res.status).toBe(400);
    expect(gateway.inbound).toEqual([]);
    expect(logger.dump()).not.toContain('0912345678');
  });

  it('JSON that is not an update: 400', async () => {
    const res = await post('[1,2,3]', { 'x-telegram-bot-api-secret-token': SECRET });
    expect(res.status).toBe(400);
    expect(gateway.inbound).toEqual([]);
  });

  it('a huge body: 413 before the route runs', async () => {
    const huge = JSON.stringify(textUpdate(5002, 'x'.repeat(100 * 1024)));
    const res = await post(huge, { 'x-telegram-bot-api-secret-token': SECRET });
    expect(res.status).toBe(413);
    expect(gateway.inbound).toEqual([]);
  });

  it('a failure while handling still answers 200 (no endless redelivery)', async () => {
    gateway.script = () => Promise.reject(new Error('database down'));
    const res = await post(update, { 'x-telegram-bot-api-secret-token': SECRET });
    expect(res.status).toBe(200);
  });

  it('start() registers the webhook with the secret and the allowed updates', async () => {
    await channel.start();
    expect(api.methods()).toEqual(['setWebhook']);
    expect(api.calls('setWebhook')).toEqual([
      {
        url: `https://bot.hoiphunu.example${PATH}`,
        secret_token: SECRET,
        allowed_updates: ['message', 'callback_query', 'my_chat_member'],
      },
    ]);
    expect(logger.dump()).not.toContain(SECRET);
  });

  it('start() fails with an error that does not carry the secret', async () => {
    api.reply('setWebhook', {
      ok: false,
      error_code: 400,
      description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook',
    });
    const error = await channel.start().then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe(
      'Telegram setWebhook failed: 400 Bad Request: bad webhook: HTTPS url must be provided for webhook',
    );
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(SECRET);
  });
});

describe('webhook configuration', () => {
  it('appends the path to a bare public origin, keeps a full URL as is', () => {
    expect(webhookUrl('https://bot.example.org', '/telegram/webhook')).toBe('https://bot.example.org/telegram/webhook');
    expect(webhookUrl('https://bot.example.org/', '/telegram/webhook')).toBe(
      'https://bot.example.org/telegram/webhook',
    );
    expect(webhookUrl('https://example.org/hoivien/tg', '/telegram/webhook')).toBe('https://example.org/hoivien/tg');
  });

  it('refuses a secret Telegram would refuse', () => {
    const make = (secret: string) => () =>
      createTelegramChannel({
        token: TOKEN,
        mode: 'webhook',
        webhook: { secret, path: PATH },
        gateway: new FakeGateway(),
        logger: new RecordingLogger(),
      });
    expect(make('')).toThrow(/secret/);
    expect(make('has space')).toThrow(/secret/);
    expect(make('a'.repeat(257))).toThrow(/secret/);
    expect(make('ok_Secret-1')).not.toThrow();
  });
});
