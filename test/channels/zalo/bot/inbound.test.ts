// Bot Platform events → InboundMessage (or ignored), as the webhook and getUpdates deliver them.
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../../src/channels/zalo/bot/inbound.ts';
import { CHAT_ID, imageEvent, textEvent, zaloEvent } from './fakes.ts';

const NOW = new Date('2026-03-02T08:00:00Z');

describe('reading Bot Platform events', () => {
  it('a text message, wrapped as documented ({ok, result}) or not', () => {
    for (const wrapped of [true, false]) {
      expect(parseEvent(textEvent('m-1', 'xin chào', { wrapped }), NOW)).toEqual({
        kind: 'message',
        eventName: 'message.text.received',
        chatId: CHAT_ID,
        message: {
          channel: 'zalobot',
          userId: CHAT_ID,
          messageId: 'm-1',
          content: { kind: 'text', text: 'xin chào' },
          receivedAt: NOW,
        },
      });
    }
  });

  it('/start is the platform start; other commands are text', () => {
    expect(parseEvent(textEvent('m-2', '/start'), NOW)).toMatchObject({ message: { content: { kind: 'start' } } });
    expect(parseEvent(textEvent('m-3', ' /START abc'), NOW)).toMatchObject({ message: { content: { kind: 'start' } } });
    expect(parseEvent(textEvent('m-4', '/startup'), NOW)).toMatchObject({
      message: { content: { kind: 'text', text: '/startup' } },
    });
  });

  it('an image is a photo whose ref is its URL (photo_url, or the older photo field)', () => {
    expect(parseEvent(imageEvent('m-5', 'https://photo.zdn.vn/a.jpg', 'giấy xác nhận'), NOW)).toMatchObject({
      message: { content: { kind: 'photo', refs: ['https://photo.zdn.vn/a.jpg'], caption: 'giấy xác nhận' } },
    });
    const legacy = zaloEvent('message.image.received', 'm-6', { photo: 'https://photo.zdn.vn/b.jpg' });
    expect(parseEvent(legacy, NOW)).toMatchObject({
      message: { content: { kind: 'photo', refs: ['https://photo.zdn.vn/b.jpg'] } },
    });
    const noUrl = zaloEvent('message.image.received', 'm-7', {});
    expect(parseEvent(noUrl, NOW)).toMatchObject({
      message: { content: { kind: 'unsupported', what: 'image without a URL' } },
    });
  });

  it('stickers, voice and other message kinds reach the bot as unsupported content', () => {
    expect(parseEvent(zaloEvent('message.sticker.received', 'm-8', { sticker: 'abc' }), NOW)).toMatchObject({
      kind: 'message',
      message: { messageId: 'm-8', content: { kind: 'unsupported', what: 'sticker' } },
    });
    expect(parseEvent(zaloEvent('message.voice.received', 'm-9', {}), NOW)).toMatchObject({
      message: { content: { kind: 'unsupported', what: 'voice' } },
    });
  });

  it('a getUpdates result without event_name is named from its content', () => {
    const bare = { ok: true, result: { message: { message_id: 'm-10', chat: { id: CHAT_ID }, text: 'hi' } } };
    expect(parseEvent(bare, NOW)).toMatchObject({ eventName: 'message.text.received', message: { messageId: 'm-10' } });
  });

  it('ignores what is not a member writing in a private chat', () => {
    const cases: [object, string][] = [
      [zaloEvent('message.text.received', 'g-1', { text: 'x' }, { chatType: 'GROUP' }), 'message in a group chat'],
      [zaloEvent('message.unsupported.received', 'w-1', {}), 'content withheld by Zalo'],
      [{ event_name: 'bot.added', data: {} }, 'event without a message'],
      [zaloEvent('user.follow', 'f-1', {}), 'not a message event'],
      [{ event_name: 'message.text.received', message: { text: 'no ids' } }, 'unrecognised event shape'],
      [{ hello: 'world' }, 'event without a message'],
    ];
    for (const [event, reason] of cases) expect(parseEvent(event, NOW)).toMatchObject({ kind: 'ignored', reason });
    const fromBot = zaloEvent('message.text.received', 'b-1', { text: 'x', from: { id: 'bot', is_bot: true } });
    expect(parseEvent(fromBot, NOW)).toMatchObject({ kind: 'ignored', reason: 'message from a bot' });
  });

  it('numeric ids are read as strings', () => {
    const event = { event_name: 'message.text.received', message: { message_id: 77, chat: { id: 12 }, text: 'x' } };
    expect(parseEvent(event, NOW)).toMatchObject({ chatId: '12', message: { userId: '12', messageId: '77' } });
  });
});
