// Long polling through telegraf against the fake Bot API: updates arrive by getUpdates.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { FakeBotApi, TOKEN } from './fake-bot-api.ts';
import { CHAT_ID, FakeGateway, keyboard, RecordingLogger, tapUpdate, textUpdate } from './fakes.ts';

let api: FakeBotApi;
let gateway: FakeGateway;
let logger: RecordingLogger;
let channel: TelegramChannel | undefined;

beforeEach(async () => {
  api = await FakeBotApi.start();
  gateway = new FakeGateway();
  logger = new RecordingLogger();
});

afterEach(async () => {
  await channel?.stop();
  channel = undefined;
  await api.close();
});

function pollingChannel(token = TOKEN): TelegramChannel {
  channel = createTelegramChannel({
    token,
    apiRoot: api.apiRoot,
    mode: 'polling',
    gateway,
    logger,
  });
  return channel;
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Telegram channel: long polling', () => {
  it('connects, asks for the allowed updates, handles a batch and stops cleanly', async () => {
    gateway.script = (m) => [{ kind: 'text', text: `re ${m.messageId}` }];
    const bot = pollingChannel();
    await bot.start();
    await until(() => api.calls('getUpdates').length > 0);
    expect(api.methods()).toEqual(['getMe', 'deleteWebhook']);

    api.pushUpdates(
      textUpdate(7001, 'xin chào'),
      tapUpdate(7002, 'q:yes', { message_id: 5, text: 'Q?', reply_markup: keyboard([['Có', 'q:yes']]) }),
    );
    await until(() => api.calls('sendMessage').length === 2);

    expect(gateway.inbound.map((m) => [m.messageId, m.content.kind])).toEqual([
      ['u7001', 'text'],
      ['u7002', 'choice'],
    ]);
    expect(api.calls('answerCallbackQuery')).toEqual([{ callback_query_id: 'cbq-7002' }]);
    expect(api.calls('editMessageText')).toEqual([{ chat_id: CHAT_ID, message_id: 5, text: 'Q?\n✓ Có' }]);
    const polls = api.calls('getUpdates');
    expect(polls[0]).toMatchObject({
      offset: 0,
      timeout: 50,
      allowed_updates: ['message', 'callback_query', 'my_chat_member'],
    });
    await until(() => api.calls('getUpdates').some((b) => b.offset === 7003));

    await bot.stop();
    const after = api.requests.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(api.requests.length).toBe(after); // no more polling
  });

  it('keeps a chat’s replies in order although telegraf runs a batch in parallel', async () => {
    gateway.script = async (m) => {
      if (m.messageId === 'u7101') await new Promise((r) => setTimeout(r, 40));
      return [{ kind: 'text', text: `re ${m.messageId}` }];
    };
    await pollingChannel().start();
    api.pushUpdates(textUpdate(7101, 'một'), textUpdate(7102, 'hai'));
    await until(() => api.calls('sendMessage').length === 2);
    expect(api.calls('sendMessage').map((b) => b.text)).toEqual(['re u7101', 're u7102']);
  });

  it('stop() waits for the update in progress', async () => {
    let release: () => void = () => {};
    gateway.script = () => new Promise((resolve) => (release = () => resolve([{ kind: 'text', text: 'xong' }])));
    const bot = pollingChannel();
    await bot.start();
    api.pushUpdates(textUpdate(7201, 'x'));
    await until(() => gateway.inbound.length === 1);
    const stopped = bot.stop();
    setTimeout(() => release(), 20);
    await stopped;
    expect(api.calls('sendMessage')).toEqual([{ chat_id: CHAT_ID, text: 'xong' }]);
    channel = undefined;
  });

  it('stop() right after start() does not hang while telegraf is still launching', async () => {
    api.delay('deleteWebhook', 50);
    const bot = pollingChannel();
    await bot.start();
    await bot.stop();
    channel = undefined;
    const after = api.requests.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(api.requests.length).toBe(after);
  });

  it('start() rejects with a token-free error when the token is refused', async () => {
    const bot = pollingChannel('999:wrong-token');
    const failure = await bot.start().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('Telegram long polling failed to start: 401 Unauthorized');
    expect(logger.dump()).not.toContain('wrong-token');
  });
});
