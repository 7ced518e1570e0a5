// Long polling against the fake Bot Platform API: updates arrive one per getUpdates call.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createZaloBotChannel,
  type ZaloBotChannel,
  type ZaloBotChannelOptions,
} from '../../../../src/channels/zalo/bot/index.ts';
import { failure, FakeZaloBot, TOKEN } from './fake-zalo-bot.ts';
import { CHAT_ID, FakeGateway, recordingSleep, RecordingLogger, textEvent, until, zaloEvent } from './fakes.ts';

let api: FakeZaloBot;
let gateway: FakeGateway;
let logger: RecordingLogger;
let waits: number[];
let channel: ZaloBotChannel | undefined;

beforeEach(async () => {
  api = await FakeZaloBot.start();
  gateway = new FakeGateway();
  logger = new RecordingLogger();
});

afterEach(async () => {
  await channel?.stop();
  channel = undefined;
  await api.close();
});

function pollingChannel(overrides: Partial<ZaloBotChannelOptions> = {}): ZaloBotChannel {
  const sleep = recordingSleep();
  waits = sleep.waits;
  channel = createZaloBotChannel({
    token: TOKEN,
    apiBase: api.apiBase,
    mode: 'polling',
    gateway,
    logger,
    sleep: sleep.sleep,
    pollTimeoutSeconds: 1,
    ...overrides,
  });
  return channel;
}

describe('Zalo Bot Platform channel: long polling', () => {
  it('removes any webhook, checks the token, then picks up updates one by one', async () => {
    gateway.script = (m) => [{ kind: 'text', text: `re ${m.messageId}` }];
    const bot = pollingChannel();
    await bot.start();
    expect(api.methods()).toEqual(['deleteWebhook', 'getMe']);
    await until(() => api.calls('getUpdates').length > 0);
    expect(api.calls('getUpdates')[0]).toEqual({ timeout: '1' });

    api.pushUpdates(
      textEvent('p-1', 'xin chào'),
      zaloEvent('message.image.received', 'p-2', { photo_url: 'https://photo.zdn.vn/p.jpg' }),
      zaloEvent('user.follow', 'p-3'),
    );
    await until(() => api.calls('sendMessage').length === 2 && channel!.stats().events === 3);
    expect(gateway.inbound.map((m) => [m.messageId, m.content.kind])).toEqual([
      ['p-1', 'text'],
      ['p-2', 'photo'],
    ]);
    expect(api.calls('sendMessage')).toEqual([
      { chat_id: CHAT_ID, text: 're p-1' },
      { chat_id: CHAT_ID, text: 're p-2' },
    ]);
    expect(channel!.stats().ignored).toEqual({ other: 1 }); // an undocumented event name is counted as "other"

    await bot.stop();
    await new Promise((r) => setTimeout(r, 20)); // the aborted poll may reach the fake's log a little later
    const after = api.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(api.requests.length).toBe(after); // no more polling
    expect(waits).toEqual([]); // empty polls (408) are not failures
  });

  it('backs off after failures, doubling the pause, then resumes', async () => {
    gateway.replies({ kind: 'text', text: 'ok' });
    api.reply('getUpdates', failure(500, 'Internal error'), 2);
    api.reply('getUpdates', { status: 503, body: 'unavailable' });
    const bot = pollingChannel();
    await bot.start();
    api.pushUpdates(textEvent('p-10', 'x'));
    await until(() => api.calls('sendMessage').length === 1);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(logger.at('warn').map((e) => e.msg)).toEqual(Array(3).fill('zalo bot getUpdates failed, backing off'));
  });

  it('stop() returns promptly while a long poll is waiting', async () => {
    api.pollWaitMs = 20_000;
    const bot = pollingChannel({ pollTimeoutSeconds: 30 });
    await bot.start();
    await until(() => api.calls('getUpdates').length === 1);
    const started = Date.now();
    await bot.stop();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('stop() returns promptly during a backoff pause', async () => {
    api.reply('getUpdates', failure(500, 'Internal error'));
    const bot = pollingChannel({ sleep: () => new Promise(() => {}) }); // a pause that never ends by itself
    await bot.start();
    await until(() => logger.at('warn').length === 1);
    const started = Date.now();
    await bot.stop();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('stop() waits for the update in progress', async () => {
    let release: () => void = () => {};
    gateway.script = () => new Promise((resolve) => (release = () => resolve([{ kind: 'text', text: 'xong' }])));
    const bot = pollingChannel();
    await bot.start();
    api.pushUpdates(textEvent('p-20', 'x'));
    await until(() => gateway.inbound.length === 1);
    const stopped = bot.stop();
    setTimeout(() => release(), 20);
    await stopped;
    expect(api.calls('sendMessage')).toEqual([{ chat_id: CHAT_ID, text: 'xong' }]);
  });

  it('start() rejects with a token-free error when the token is refused, and does not poll', async () => {
    const bot = pollingChannel({ token: '999:wrong-token' });
    const error = await bot.start().then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe('Zalo Bot Platform polling failed to start: 401 Unauthorized');
    expect(logger.dump()).not.toContain('wrong-token');
    await new Promise((r) => setTimeout(r, 30));
    expect(api.calls('getUpdates')).toEqual([]);
  });
});
