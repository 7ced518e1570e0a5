// The Bot Platform client against the fake API on loopback: URLs, payloads, and every failure sorted into the three
// kinds (config / retry / unreachable) — with the token in no error message.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloBotClient, type ZaloBotClient } from '../../../../src/channels/zalo/bot/client.ts';
import { ZaloApiError } from '../../../../src/channels/zalo/http.ts';
import { failure, FakeZaloBot, TOKEN } from './fake-zalo-bot.ts';

let api: FakeZaloBot;
let client: ZaloBotClient;

beforeEach(async () => {
  api = await FakeZaloBot.start();
  client = createZaloBotClient({ token: TOKEN, apiBase: api.apiBase, timeoutMs: 2000 });
});
afterEach(async () => {
  await api.close();
});

async function failureOf(promise: Promise<unknown>): Promise<ZaloApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZaloApiError);
  const apiError = error as ZaloApiError;
  expect(JSON.stringify(apiError, Object.getOwnPropertyNames(apiError))).not.toContain(TOKEN);
  return apiError;
}

describe('Zalo Bot Platform client', () => {
  it('calls POST <apiBase>/bot<TOKEN>/<method> with the documented JSON bodies', async () => {
    expect(await client.getMe()).toMatchObject({ id: '1459232241454765289', account_name: 'bot.HoiVien' });
    await client.sendMessage('abc.xyz', 'Xin chào');
    await client.sendPhoto('abc.xyz', 'https://placehold.co/600x400', 'Hình');
    await client.sendPhoto('abc.xyz', 'https://placehold.co/600x400');
    expect(await client.setWebhook('https://bot.example.org/zalo/bot/webhook', 'mykey-abcxyz')).toMatchObject({
      verification: { ok: true, outcome: 'webhook.ok' },
    });
    await client.deleteWebhook();
    expect(api.requests).toEqual([
      { method: 'getMe', token: TOKEN, body: {} },
      { method: 'sendMessage', token: TOKEN, body: { chat_id: 'abc.xyz', text: 'Xin chào' } },
      {
        method: 'sendPhoto',
        token: TOKEN,
        body: { chat_id: 'abc.xyz', photo: 'https://placehold.co/600x400', caption: 'Hình' },
      },
      { method: 'sendPhoto', token: TOKEN, body: { chat_id: 'abc.xyz', photo: 'https://placehold.co/600x400' } },
      {
        method: 'setWebhook',
        token: TOKEN,
        body: { url: 'https://bot.example.org/zalo/bot/webhook', secret_token: 'mykey-abcxyz' },
      },
      { method: 'deleteWebhook', token: TOKEN, body: {} },
    ]);
  });

  it('getUpdates: one update per call, null when the long poll ends empty (408)', async () => {
    const event = { event_name: 'message.text.received', message: { message_id: 'm1', chat: { id: 'c' } } };
    api.pushUpdates(event);
    expect(await client.getUpdates({ timeoutSeconds: 1 })).toEqual(event);
    expect(await client.getUpdates({ timeoutSeconds: 1 })).toBeNull();
    expect(api.calls('getUpdates')).toEqual([{ timeout: '1' }, { timeout: '1' }]);
    api.reply('getUpdates', { body: { ok: true } });
    expect(await client.getUpdates({ timeoutSeconds: 1 })).toBeNull();
  });

  it('a refused token is a configuration error, whatever the HTTP status', async () => {
    const wrong = createZaloBotClient({ token: '999:wrong-token', apiBase: api.apiBase });
    const error = await failureOf(wrong.getMe());
    expect(error).toMatchObject({ kind: 'config', call: 'bot/getMe', code: 401, message: 'bot/getMe: Unauthorized' });
    api.reply('getMe', failure(401, 'Unauthorized', 401));
    expect(await failureOf(client.getMe())).toMatchObject({ kind: 'config', code: 401 });
    api.reply('getMe', { status: 401, body: '<html>401</html>' });
    expect(await failureOf(client.getMe())).toMatchObject({ kind: 'config', code: 401 });
  });

  it.each([
    ['quota (429)', failure(429, 'Quota exceeded'), 429],
    ['quota with HTTP 429', failure(429, 'Quota exceeded', 429), 429],
    ['timeout (408)', failure(408, 'Request timeout'), 408],
    ['server error in the envelope', failure(500, 'Internal error'), 500],
    ['a 502 page from a proxy', { status: 502, body: '<html>Bad gateway</html>' }, 502],
  ])('%s: retry later', async (_name, reply, code) => {
    api.reply('sendMessage', reply);
    expect(await failureOf(client.sendMessage('abc.xyz', 'x'))).toMatchObject({ kind: 'retry', code });
  });

  it.each([
    ['403', failure(403, 'Forbidden')],
    ['403 with HTTP 403', failure(403, 'Forbidden', 403)],
    ['404 (unknown chat)', failure(404, 'Not found')],
    ['a refusal described as blocked', failure(400, 'User has blocked the bot')],
  ])('a send refused with %s: the member is unreachable', async (_name, reply) => {
    api.reply('sendMessage', reply);
    expect(await failureOf(client.sendMessage('abc.xyz', 'x'))).toMatchObject({ kind: 'unreachable' });
  });

  it('a bad request is a configuration error (retrying would not help)', async () => {
    api.reply('sendMessage', failure(400, 'Bad request'));
    expect(await failureOf(client.sendMessage('abc.xyz', ''))).toMatchObject({ kind: 'config', code: 400 });
    api.reply('setWebhook', failure(403, 'Forbidden'));
    expect(await failureOf(client.setWebhook('https://x.example', 'secret-123'))).toMatchObject({ kind: 'config' });
  });

  it('a network failure, a timeout and an answer that is not the documented JSON: retry later', async () => {
    const closed = createZaloBotClient({ token: TOKEN, apiBase: 'http://127.0.0.1:9' });
    expect(await failureOf(closed.getMe())).toMatchObject({ kind: 'retry', message: 'bot/getMe: network error' });
    api.delay('deleteWebhook', 300);
    const impatient = createZaloBotClient({ token: TOKEN, apiBase: api.apiBase, timeoutMs: 50 });
    expect(await failureOf(impatient.deleteWebhook())).toMatchObject({
      kind: 'retry',
      message: 'bot/deleteWebhook: timed out',
    });
    api.reply('sendMessage', { body: { result: 'no ok field' } });
    expect(await failureOf(client.sendMessage('a', 'b'))).toMatchObject({ kind: 'retry' });
    api.reply('getMe', { body: { ok: true, result: { name: 'no id' } } });
    expect(await failureOf(client.getMe())).toMatchObject({ kind: 'retry' });
  });

  it('a description that echoes the token is scrubbed', async () => {
    api.reply('sendMessage', failure(400, `Bad request for bot${TOKEN}`));
    const error = await failureOf(client.sendMessage('a', 'b'));
    expect(error.message).toBe('bot/sendMessage: Bad request for bot<token>');
  });

  it('getUpdates can be aborted by its caller', async () => {
    api.pollWaitMs = 5000;
    const controller = new AbortController();
    const started = Date.now();
    const pending = client.getUpdates({ timeoutSeconds: 5, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await failureOf(pending)).toMatchObject({ kind: 'retry', message: 'bot/getUpdates: aborted' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a malformed token or API base without echoing them', () => {
    expect(() => createZaloBotClient({ token: '' })).toThrow('Zalo Bot Platform token is empty or malformed');
    expect(() => createZaloBotClient({ token: 'a/b c' })).toThrow('Zalo Bot Platform token is empty or malformed');
    expect(() => createZaloBotClient({ token: TOKEN, apiBase: 'not a url' })).toThrow(/not a valid URL/);
    expect(() => createZaloBotClient({ token: TOKEN, apiBase: 'ftp://x.example' })).toThrow(/http\(s\)/);
  });
});
