// Sending the bot's replies to a Zalo chat: numbered choices, long texts split, order kept per chat, and failures
// (transient, member out of reach, refused) handled without crashing. Events go through the channel's route.
import { pushVia } from '../../../helpers/fakes.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloBotChannel, type ZaloBotChannel } from '../../../../src/channels/zalo/bot/index.ts';
import { failure, FakeZaloBot, TOKEN } from './fake-zalo-bot.ts';
import { CHAT_ID, FakeGateway, recordingSleep, RecordingLogger, textEvent } from './fakes.ts';

const SECRET = 'channel-test-secret';

let api: FakeZaloBot;
let gateway: FakeGateway;
let logger: RecordingLogger;
let waits: number[];
let channel: ZaloBotChannel;

beforeEach(async () => {
  api = await FakeZaloBot.start();
  gateway = new FakeGateway();
  logger = new RecordingLogger();
  const sleep = recordingSleep();
  waits = sleep.waits;
  channel = createZaloBotChannel({
    token: TOKEN,
    apiBase: api.apiBase,
    mode: 'webhook',
    webhook: { secret: SECRET, path: '/zalo/bot/webhook' },
    gateway,
    logger,
    sleep: sleep.sleep,
  });
});

afterEach(async () => {
  await channel.stop();
  await api.close();
});

async function deliver(event: object): Promise<number> {
  const res = await channel.route!.handle({
    headers: { 'x-bot-api-secret-token': SECRET },
    rawBody: Buffer.from(JSON.stringify(event)),
  });
  return res.status;
}

describe('Zalo Bot Platform channel: sending', () => {
  it('a question with choices is one text with numbered lines', async () => {
    gateway.replies(
      { kind: 'text', text: 'Xin chào!' },
      {
        kind: 'choices',
        text: 'Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?',
        choices: [
          { label: 'Tiếng Việt', data: 'lang:vi' },
          { label: 'English', data: 'lang:en' },
        ],
        freeText: false,
      },
    );
    expect(await deliver(textEvent('m-1', 'chào'))).toBe(200);
    expect(api.calls('sendMessage')).toEqual([
      { chat_id: CHAT_ID, text: 'Xin chào!' },
      {
        chat_id: CHAT_ID,
        text: 'Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?\n1) Tiếng Việt\n2) English',
      },
    ]);
  });

  it('a text longer than 2000 characters goes out as several messages, in order', async () => {
    const text = Array.from({ length: 100 }, (_, i) => `Dòng ${i + 1}: ${'thông tin '.repeat(4).trim()}`).join('\n');
    gateway.replies({ kind: 'text', text }, { kind: 'text', text: 'Hết.' });
    await deliver(textEvent('m-2', 'info'));
    const sent = api.texts();
    expect(sent.length).toBe(4);
    for (const part of sent) expect(part.length).toBeLessThanOrEqual(2000);
    expect(sent.slice(0, 3).join('\n')).toBe(text);
    expect(sent[3]).toBe('Hết.');
  });

  it('a photo is sent by URL with its caption', async () => {
    gateway.replies({ kind: 'photo', ref: 'https://hoiphunu.example/the.png', caption: 'Thẻ hội viên' });
    await deliver(textEvent('m-3', 'thẻ'));
    expect(api.calls('sendPhoto')).toEqual([
      { chat_id: CHAT_ID, photo: 'https://hoiphunu.example/the.png', caption: 'Thẻ hội viên' },
    ]);
  });

  it('keeps a chat’s replies in order when deliveries overlap', async () => {
    gateway.script = async (m) => {
      if (m.messageId === 'm-slow') await new Promise((r) => setTimeout(r, 40));
      return [{ kind: 'text', text: `re ${m.messageId}` }];
    };
    await Promise.all([deliver(textEvent('m-slow', 'một')), deliver(textEvent('m-fast', 'hai'))]);
    expect(api.texts()).toEqual(['re m-slow', 're m-fast']);
  });

  it('a transient failure is retried with a growing pause, then the next message goes out', async () => {
    gateway.replies({ kind: 'text', text: 'một' }, { kind: 'text', text: 'hai' });
    api.reply('sendMessage', failure(500, 'Internal error'), 2);
    expect(await deliver(textEvent('m-4', 'x'))).toBe(200);
    expect(api.texts()).toEqual(['một', 'một', 'một', 'hai']);
    expect(waits).toEqual([1000, 2000]);
    expect(channel.stats().sendFailures).toBe(0);
  });

  it('a send that keeps failing does not crash: logged, reported for the outbox to retry, later messages handled', async () => {
    gateway.replies({ kind: 'text', text: 'một' }, { kind: 'text', text: 'hai' });
    api.reply('sendMessage', { status: 502, body: '<html>Bad gateway</html>' }, 3);
    expect(await deliver(textEvent('m-5', 'x'))).toBe(200);
    // 'hai' is not sent before 'một' (her messages stay in order): the outbox sends both again after a pause.
    expect(api.texts()).toEqual(['một', 'một', 'một']);
    expect(gateway.deliveries.map((d) => d.result)).toEqual([{ kind: 'failed', reason: 'zalobot' }]);
    expect(logger.at('error')).toEqual([
      {
        level: 'error',
        obj: expect.objectContaining({ method: 'sendMessage', kind: 'retry', errCode: 502, attempt: 3 }),
        msg: 'zalo bot: send failed, giving up',
      },
    ]);
    expect(channel.stats().sendFailures).toBe(1);
    expect(await deliver(textEvent('m-6', 'y'))).toBe(200);
    expect(api.texts().at(-1)).toBe('hai');
    expect(logger.dump()).not.toContain('một');
    expect(logger.dump()).not.toContain('hai');
  });

  it('a member out of reach is marked unreachable, not retried, and nothing more is sent', async () => {
    gateway.replies({ kind: 'text', text: 'một' }, { kind: 'text', text: 'hai' });
    api.reply('sendMessage', failure(403, 'User has blocked the bot'));
    await deliver(textEvent('m-7', 'x'));
    expect(api.texts()).toEqual(['một']);
    expect(waits).toEqual([]);
    expect(gateway.unreachable).toEqual([{ channel: 'zalobot', userId: CHAT_ID }]);
    expect(channel.stats()).toMatchObject({ unreachable: 1, sendFailures: 1 });
  });

  it('a refused call (token revoked) stops this reply without retrying', async () => {
    gateway.replies({ kind: 'text', text: 'một' }, { kind: 'text', text: 'hai' });
    api.reply('sendMessage', failure(401, 'Unauthorized'));
    await deliver(textEvent('m-8', 'x'));
    expect(api.texts()).toEqual(['một']);
    expect(waits).toEqual([]);
    expect(gateway.unreachable).toEqual([]);
    expect(logger.at('error').map((e) => e.msg)).toEqual(['zalo bot: call refused (token or request problem)']);
    expect(logger.dump()).not.toContain(TOKEN);
  });

  it('stop() waits for the message in progress', async () => {
    let release: () => void = () => {};
    gateway.script = () => new Promise((resolve) => (release = () => resolve([{ kind: 'text', text: 'xong' }])));
    const delivered = deliver(textEvent('m-9', 'x'));
    await new Promise((r) => setTimeout(r, 10));
    const stopped = channel.stop();
    setTimeout(() => release(), 20);
    await stopped;
    expect(api.texts()).toEqual(['xong']);
    expect(await delivered).toBe(200);
  });
});

describe('Zalo Bot Platform channel: pushing (messages on the bot’s own initiative)', () => {
  const to = { channel: 'zalobot' as const, userId: CHAT_ID, lastInboundAt: new Date('2026-03-01T08:00:00Z') };

  it('sends the messages in order and answers sent', async () => {
    const result = await pushVia(channel.delivery, to, [
      { kind: 'text', text: 'Ca #12 đã có cán bộ nhận.' },
      { kind: 'choices', text: 'Chị muốn làm gì?', choices: [{ label: 'Menu', data: 'menu' }], freeText: true },
    ]);
    expect(result).toBe('sent');
    expect(api.calls('sendMessage')).toEqual([
      { chat_id: CHAT_ID, text: 'Ca #12 đã có cán bộ nhận.' },
      { chat_id: CHAT_ID, text: 'Chị muốn làm gì?\n1) Menu' },
    ]);
  });

  it('a member out of reach: unreachable (and marked); any other failure: later', async () => {
    api.reply('sendMessage', failure(403, 'Forbidden'));
    // The outbox marks her (the channel only reports): pushVia does what the outbox does.
    expect(await pushVia(channel.delivery, to, [{ kind: 'text', text: 'x' }], gateway)).toBe('unreachable');
    expect(gateway.unreachable).toEqual([{ channel: 'zalobot', userId: CHAT_ID }]);
    api.reply('sendMessage', failure(500, 'Internal error'), 3);
    expect(await pushVia(channel.delivery, to, [{ kind: 'text', text: 'y' }])).toBe('later');
    expect(await pushVia(channel.delivery, { ...to, channel: 'telegram' }, [{ kind: 'text', text: 'z' }])).toBe(
      'later',
    );
  });
});
