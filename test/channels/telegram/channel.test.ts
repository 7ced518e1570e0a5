// The channel end to end against a fake Bot API server, updates delivered through the webhook route's handler
// (the real HTTP endpoint is covered in webhook.test.ts, long polling in polling.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { chatRef } from '../../../src/channels/telegram/transport.ts';
import type { InboundMessage } from '../../../src/conversation/messages.ts';
import { blocked, chatNotFound, FakeBotApi, notModified, TOKEN, tooManyRequests } from './fake-bot-api.ts';
import { CHAT_ID, FakeGateway, keyboard, messageUpdate, RecordingLogger, tapUpdate, textUpdate } from './fakes.ts';

const SECRET = 'webhook-secret_123';
const NOW = new Date('2025-06-01T08:00:00Z');

let api: FakeBotApi;
let gateway: FakeGateway;
let logger: RecordingLogger;
let channel: TelegramChannel;

beforeEach(async () => {
  api = await FakeBotApi.start();
  gateway = new FakeGateway();
  logger = new RecordingLogger();
  channel = createTelegramChannel({
    token: TOKEN,
    apiRoot: api.apiRoot,
    mode: 'webhook',
    webhook: { secret: SECRET, path: '/telegram/webhook' },
    gateway,
    logger,
    clock: { now: () => NOW },
  });
});

afterEach(async () => {
  await channel.stop();
  await api.close();
});

async function deliver(update: unknown): Promise<number> {
  const response = await channel.route!.handle({
    headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
    rawBody: Buffer.from(JSON.stringify(update)),
  });
  return response.status;
}

describe('Telegram channel: inbound', () => {
  it('hands a text message to the gateway with u<update_id> and the chat id', async () => {
    expect(await deliver(textUpdate(1001, 'vay von'))).toBe(200);
    expect(gateway.inbound).toEqual<InboundMessage[]>([
      {
        channel: 'telegram',
        userId: String(CHAT_ID),
        messageId: 'u1001',
        content: { kind: 'text', text: 'vay von' },
        languageHint: 'vi',
        receivedAt: NOW,
      },
    ]);
  });

  it('passes a redelivered update with the same message id (de-duplication is the gateway’s job)', async () => {
    await deliver(textUpdate(1002, 'xin chào'));
    await deliver(textUpdate(1002, 'xin chào'));
    expect(gateway.inbound.map((m) => m.messageId)).toEqual(['u1002', 'u1002']);
  });

  it('does not answer in groups, and logs at debug', async () => {
    gateway.replies({ kind: 'text', text: 'should not be sent' });
    await deliver(textUpdate(1003, 'hi all', { chat: { id: -100777, type: 'supergroup', title: 'Chi hội' } }));
    expect(gateway.inbound).toEqual([]);
    expect(api.requests).toEqual([]);
    expect(logger.at('debug').some((e) => e.msg === 'telegram update ignored')).toBe(true);
  });

  it('hands over stickers and voice notes as unsupported', async () => {
    await deliver(messageUpdate(1004, { sticker: { file_id: 'st', width: 512, height: 512 } }));
    await deliver(messageUpdate(1005, { voice: { file_id: 'vo', duration: 2 } }));
    expect(gateway.inbound.map((m) => m.content)).toEqual([
      { kind: 'unsupported', what: 'sticker' },
      { kind: 'unsupported', what: 'voice' },
    ]);
  });

  it('marks the member unreachable when they block the bot (my_chat_member → kicked)', async () => {
    await deliver({
      update_id: 1006,
      my_chat_member: {
        chat: { id: CHAT_ID, type: 'private' },
        from: { id: CHAT_ID, is_bot: false, first_name: 'Lan' },
        date: 1,
        old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'Bot' } },
        new_chat_member: { status: 'kicked', until_date: 0, user: { id: 1, is_bot: true, first_name: 'Bot' } },
      },
    });
    expect(gateway.unreachable).toEqual([{ channel: 'telegram', userId: String(CHAT_ID) }]);
    expect(gateway.inbound).toEqual([]);
  });
});

describe('Telegram channel: rendering', () => {
  it('sends text, then a question with two short buttons per row, then a photo', async () => {
    gateway.replies(
      { kind: 'text', text: 'Chào chị!' },
      {
        kind: 'choices',
        text: 'Chị cần gì?',
        choices: [
          { label: 'Vay vốn', data: 'm:loan' },
          { label: 'Học nghề', data: 'm:course' },
          { label: 'Sản phẩm', data: 'm:product' },
        ],
        freeText: false,
      },
      { kind: 'photo', ref: 'AgACAgIAAxkBAAIB', caption: 'Lịch học' },
    );
    await deliver(textUpdate(2001, 'menu'));
    expect(api.methods()).toEqual(['sendMessage', 'sendMessage', 'sendPhoto']);
    expect(api.calls('sendMessage')).toEqual([
      { chat_id: CHAT_ID, text: 'Chào chị!' },
      {
        chat_id: CHAT_ID,
        text: 'Chị cần gì?',
        reply_markup: {
          inline_keyboard: [
            [
              { text: 'Vay vốn', callback_data: 'm:loan' },
              { text: 'Học nghề', callback_data: 'm:course' },
            ],
            [{ text: 'Sản phẩm', callback_data: 'm:product' }],
          ],
        },
      },
    ]);
    expect(api.calls('sendPhoto')).toEqual([{ chat_id: CHAT_ID, photo: 'AgACAgIAAxkBAAIB', caption: 'Lịch học' }]);
  });

  it('puts long labels one per row', async () => {
    gateway.replies({
      kind: 'choices',
      text: 'Chương trình nào?',
      choices: [
        { label: 'Hộ nghèo (Nghị định 78/2002)', data: 'p:poor' },
        { label: 'Nước sạch và vệ sinh', data: 'p:water' },
      ],
      freeText: true,
    });
    await deliver(textUpdate(2002, 'vay'));
    expect(api.calls('sendMessage')[0]?.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: 'Hộ nghèo (Nghị định 78/2002)', callback_data: 'p:poor' }],
        [{ text: 'Nước sạch và vệ sinh', callback_data: 'p:water' }],
      ],
    });
  });

  it('splits a text longer than 4096 characters on line boundaries, in order', async () => {
    const lines = Array.from(
      { length: 120 },
      (_, i) => `${String(i).padStart(3, '0')} ${'nội dung '.repeat(6).trimEnd()}`,
    );
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(4096);
    gateway.replies({ kind: 'text', text });
    await deliver(textUpdate(2003, 'chi tiết'));
    const sent = api.calls('sendMessage').map((b) => b.text as string);
    expect(sent.length).toBe(2);
    for (const part of sent) expect(part.length).toBeLessThanOrEqual(4096);
    expect(sent.join('\n')).toBe(text);
    expect(sent[1]?.startsWith(lines[sent[0]!.split('\n').length]!)).toBe(true);
  });
});

describe('Telegram channel: taps', () => {
  const question = {
    message_id: 900,
    text: 'Hộ chị có trong danh sách hộ nghèo của xã không?',
    reply_markup: keyboard([
      ['Có', 'q:yes'],
      ['Không', 'q:no'],
    ]),
  };

  it('answers the callback, marks the question with "✓ label", then hands the choice to the gateway', async () => {
    gateway.replies({ kind: 'text', text: 'Cảm ơn chị.' });
    await deliver(tapUpdate(3001, 'q:no', question));
    expect(api.methods()).toEqual(['answerCallbackQuery', 'editMessageText', 'sendMessage']);
    expect(api.calls('answerCallbackQuery')).toEqual([{ callback_query_id: 'cbq-3001' }]);
    expect(api.calls('editMessageText')).toEqual([
      { chat_id: CHAT_ID, message_id: 900, text: `${question.text}\n✓ Không` },
    ]);
    expect(gateway.inbound.map((m) => [m.messageId, m.content])).toEqual([['u3001', { kind: 'choice', data: 'q:no' }]]);
    expect(api.calls('sendMessage')).toEqual([{ chat_id: CHAT_ID, text: 'Cảm ơn chị.' }]);
  });

  it('answers a tap with unknown data too, and only removes the keyboard', async () => {
    await deliver(tapUpdate(3002, 'old:v1', question));
    expect(api.calls('answerCallbackQuery')).toEqual([{ callback_query_id: 'cbq-3002' }]);
    expect(api.calls('editMessageReplyMarkup')).toEqual([{ chat_id: CHAT_ID, message_id: 900 }]);
    expect(api.calls('editMessageText')).toEqual([]);
    expect(gateway.inbound.map((m) => m.content)).toEqual([{ kind: 'choice', data: 'old:v1' }]);
  });

  it('answers taps it does not hand over (no data, group chat)', async () => {
    await deliver(tapUpdate(3003, undefined, question));
    expect(api.calls('answerCallbackQuery')).toEqual([{ callback_query_id: 'cbq-3003' }]);
    expect(gateway.inbound).toEqual([]);
  });

  it('ignores "message is not modified" on a redelivered tap', async () => {
    gateway.replies({ kind: 'text', text: 'OK' });
    api.reply('editMessageText', notModified);
    await deliver(tapUpdate(3004, 'q:yes', question));
    expect(api.methods()).toEqual(['answerCallbackQuery', 'editMessageText', 'sendMessage']);
    expect(logger.at('error')).toEqual([]);
  });
});

describe('Telegram channel: sending', () => {
  // The channel no longer sleeps on a 429 (it held up every chat behind it): it reports retry_after, and the outbox
  // delays that chat's messages (test/app/outbox.test.ts shows they are sent afterwards, in order).
  it('reports retry_after on 429 without waiting, and sends nothing more until then', async () => {
    gateway.replies({ kind: 'text', text: 'một' }, { kind: 'text', text: 'hai' });
    api.reply('sendMessage', tooManyRequests(1));
    await deliver(textUpdate(4001, 'x'));
    expect(gateway.deliveries.map((d) => d.result)).toEqual([{ kind: 'retryAfter', ms: 1000 }]);
    expect(api.calls('sendMessage').map((b) => b.text)).toEqual(['một']);
    expect(logger.at('error')).toEqual([]);
    expect(logger.at('warn')).toMatchObject([{ obj: { method: 'sendMessage', errCode: 429, retryAfter: 1 } }]);
    // Sent after the turn: no update to name, so no update id (not even null).
    expect(logger.at('warn')[0]?.obj).not.toHaveProperty('updateId');

    // The outbox names its row: the warning says which row and (hashed) which chat waits.
    api.reply('sendMessage', tooManyRequests(2));
    const result = await gateway
      .deliveryFor('telegram')!
      .deliver(
        { kind: 'push', channel: 'telegram', userId: String(CHAT_ID), lastInboundAt: null, outboxRow: 'row-7' },
        { kind: 'text', text: 'ba' },
      );
    expect(result).toEqual({ kind: 'retryAfter', ms: 2000 });
    expect(logger.at('warn')[1]).toEqual({
      level: 'warn',
      obj: { outboxRow: 'row-7', chat: chatRef(String(CHAT_ID)), method: 'sendMessage', errCode: 429, retryAfter: 2 },
      msg: 'telegram rate limit',
    });
  });

  it('does not wait for an absurd retry_after either: it is reported as it is', async () => {
    gateway.replies({ kind: 'text', text: 'một' });
    api.reply('sendMessage', tooManyRequests(3600));
    await deliver(textUpdate(4003, 'x'));
    expect(gateway.deliveries.map((d) => d.result)).toEqual([{ kind: 'retryAfter', ms: 3_600_000 }]);
    expect(api.calls('sendMessage')).toHaveLength(1);
  });

  it('on 403 marks the member unreachable and sends nothing more for this update', async () => {
    gateway.replies({ kind: 'text', text: 'một' }, { kind: 'text', text: 'hai' }, { kind: 'photo', ref: 'p' });
    api.reply('sendMessage', blocked);
    await deliver(textUpdate(4004, 'x'));
    expect(gateway.unreachable).toEqual([{ channel: 'telegram', userId: String(CHAT_ID) }]);
    expect(api.methods()).toEqual(['sendMessage']);
  });

  it('on 403 while marking a tap answered, stops before handing the tap over', async () => {
    api.reply('editMessageText', blocked);
    await deliver(tapUpdate(4005, 'q:yes', { message_id: 1, text: 'Q', reply_markup: keyboard([['Có', 'q:yes']]) }));
    expect(gateway.unreachable).toHaveLength(1);
    expect(gateway.inbound).toEqual([]);
  });

  it('logs other errors without texts, names or phone numbers, and keeps going', async () => {
    const text = 'Số điện thoại của chị Lan: 0912345678';
    gateway.replies({ kind: 'text', text }, { kind: 'text', text: 'tiếp' });
    api.reply('sendMessage', chatNotFound);
    expect(await deliver(textUpdate(4006, 'Tôi là Lan, 0912345678'))).toBe(200);
    expect(api.calls('sendMessage').map((b) => b.text)).toEqual([text, 'tiếp']);
    expect(logger.at('error')).toEqual([
      {
        level: 'error',
        obj: {
          // Sent by the outbox after the turn, not while handling the update: no update id to name (the field is left
          // out, not null).
          chat: chatRef(String(CHAT_ID)),
          method: 'sendMessage',
          errCode: 400,
          errName: 'TelegramError',
          description: 'Bad Request: chat not found',
        },
        msg: 'telegram call failed',
      },
    ]);
    const logs = logger.dump();
    for (const secret of ['0912345678', 'Lan', String(CHAT_ID), TOKEN]) expect(logs).not.toContain(secret);
  });

  it('survives the Bot API being unreachable', async () => {
    gateway.replies({ kind: 'text', text: 'một' });
    await api.close();
    expect(await deliver(textUpdate(4007, 'x'))).toBe(200);
    expect(logger.at('error')).toMatchObject([{ obj: { method: 'sendMessage', errName: 'FetchError' } }]);
    api = await FakeBotApi.start(); // for afterEach
  });

  it('keeps one chat’s replies in order when its updates overlap', async () => {
    gateway.script = async (m) => {
      if (m.messageId === 'u4008') await new Promise((r) => setTimeout(r, 40));
      return [{ kind: 'text', text: `re ${m.messageId}` }];
    };
    await Promise.all([deliver(textUpdate(4008, 'first')), deliver(textUpdate(4009, 'second'))]);
    expect(api.calls('sendMessage').map((b) => b.text)).toEqual(['re u4008', 're u4009']);
  });

  it('answers 200 even when the gateway throws (it should not), logging only the error name', async () => {
    gateway.script = () => {
      throw new Error('boom with 0912345678');
    };
    expect(await deliver(textUpdate(4010, 'x'))).toBe(200);
    expect(logger.at('error')).toMatchObject([{ msg: 'gateway failed', obj: { errName: 'Error' } }]);
    expect(logger.dump()).not.toContain('0912345678');
  });
});
