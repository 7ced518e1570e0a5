import { describe, expect, it } from 'vitest';
import { parseUpdate } from '../../../src/channels/telegram/inbound.ts';
import { CHAT_ID, keyboard, messageUpdate, tapUpdate, textUpdate } from './fakes.ts';

const at = new Date('2025-06-01T08:00:00Z');
const content = (update: unknown) => {
  const event = parseUpdate(update, at);
  if (event.kind !== 'message') throw new Error(`expected a message, got ${event.kind}`);
  return event.message.content;
};

describe('parseUpdate', () => {
  it('maps a private text message to an InboundMessage', () => {
    expect(parseUpdate(textUpdate(1001, 'vay vốn'), at)).toEqual({
      kind: 'message',
      updateId: 1001,
      chatId: String(CHAT_ID),
      message: {
        channel: 'telegram',
        userId: String(CHAT_ID),
        messageId: 'u1001',
        content: { kind: 'text', text: 'vay vốn' },
        languageHint: 'vi',
        receivedAt: at,
      },
    });
  });

  it('omits languageHint when Telegram gives no language_code', () => {
    const update = textUpdate(1, 'hi');
    delete (update.message.from as { language_code?: string }).language_code;
    const event = parseUpdate(update, at);
    expect(event.kind === 'message' && 'languageHint' in event.message).toBe(false);
  });

  it.each(['/start', '/start campaign-2025', '/start@hoivien_test_bot', '/start\nx'])('maps %j to start', (text) => {
    expect(content(textUpdate(2, text))).toEqual({ kind: 'start' });
  });

  it.each(['/starts', '/help', 'start', ' /start'])('keeps %j as text', (text) => {
    expect(content(textUpdate(3, text))).toEqual({ kind: 'text', text });
  });

  it('maps a photo to its largest size and keeps the caption', () => {
    const photo = [
      { file_id: 'small', file_unique_id: 's', width: 90, height: 60 },
      { file_id: 'large', file_unique_id: 'l', width: 1280, height: 853 },
      { file_id: 'medium', file_unique_id: 'm', width: 320, height: 213 },
    ];
    expect(content(messageUpdate(4, { photo, caption: 'Chè Tân Cương' }))).toEqual({
      kind: 'photo',
      refs: ['large'],
      caption: 'Chè Tân Cương',
    });
    expect(content(messageUpdate(5, { photo }))).toEqual({ kind: 'photo', refs: ['large'] });
  });

  it('takes an image sent as a file for a photo (its content is checked later), other files as unsupported', () => {
    const doc = (file_name: string, mime_type: string) => ({ document: { file_id: 'd1', file_name, mime_type } });
    expect(content(messageUpdate(8, { ...doc('IMG_2041.JPG', 'image/jpeg'), caption: 'Sổ hộ nghèo' }))).toEqual({
      kind: 'photo',
      refs: ['d1'],
      caption: 'Sổ hộ nghèo',
    });
    expect(content(messageUpdate(8, doc('giay.jpg', 'application/octet-stream')))).toEqual({
      kind: 'photo',
      refs: ['d1'],
    });
    expect(content(messageUpdate(8, doc('don.pdf', 'application/pdf')))).toEqual({
      kind: 'unsupported',
      what: 'document',
    });
  });

  it('turns a photo of an album into a part to keep until the album is complete', () => {
    const photo = [{ file_id: 'p1', file_unique_id: 'p', width: 800, height: 600 }];
    const update = messageUpdate(9, { photo, media_group_id: 'grp-9', caption: 'Ảnh vườn chè' });
    expect(parseUpdate(update, at)).toEqual({
      kind: 'albumPart',
      updateId: 9,
      chatId: String(CHAT_ID),
      part: {
        channel: 'telegram',
        userId: String(CHAT_ID),
        groupId: 'grp-9',
        messageId: 'u9',
        ref: 'p1',
        caption: 'Ảnh vườn chè',
        languageHint: 'vi',
        receivedAt: at,
      },
    });
  });

  it.each([
    ['sticker', { sticker: { file_id: 'x', width: 1, height: 1, is_animated: false } }],
    ['voice', { voice: { file_id: 'x', duration: 3 } }],
    ['document', { document: { file_id: 'x' } }],
    ['animation', { animation: { file_id: 'x' }, document: { file_id: 'x' } }],
    ['location', { location: { latitude: 21.59, longitude: 105.85 } }],
    ['contact', { contact: { phone_number: '+84912345678', first_name: 'Lan' } }],
    ['other', { new_chat_title: 'x' }],
  ])('maps a %s message to unsupported', (what, fields) => {
    expect(content(messageUpdate(6, fields))).toEqual({ kind: 'unsupported', what });
  });

  it('maps a tap to a choice and keeps the tapped message for the ✓ edit', () => {
    const markup = keyboard([['Có', 'yes']], [['Không', 'no']]);
    expect(parseUpdate(tapUpdate(7, 'yes', { message_id: 77, text: 'Bạn đồng ý?', reply_markup: markup }), at)).toEqual(
      {
        kind: 'tap',
        updateId: 7,
        chatId: String(CHAT_ID),
        callbackQueryId: 'cbq-7',
        data: 'yes',
        tapped: { messageId: 77, text: 'Bạn đồng ý?', replyMarkup: markup },
        message: {
          channel: 'telegram',
          userId: String(CHAT_ID),
          messageId: 'u7',
          content: { kind: 'choice', data: 'yes' },
          languageHint: 'vi',
          receivedAt: at,
        },
      },
    );
  });

  it('ignores taps it cannot route but still reports the query id to answer', () => {
    expect(parseUpdate(tapUpdate(8, 'yes'), at)).toMatchObject({ kind: 'ignored', callbackQueryId: 'cbq-8' });
    expect(parseUpdate(tapUpdate(9, undefined, { message_id: 1, text: 'q' }), at)).toMatchObject({
      kind: 'ignored',
      callbackQueryId: 'cbq-9',
    });
  });

  it('ignores groups, channels, edits and unknown update types', () => {
    const group = { id: -100123, type: 'supergroup', title: 'Chi hội' };
    expect(parseUpdate(textUpdate(10, 'hello', { chat: group }), at)).toMatchObject({ kind: 'ignored', updateId: 10 });
    expect(
      parseUpdate(
        { update_id: 11, channel_post: { message_id: 1, date: 1, chat: { id: -1, type: 'channel' }, text: 'x' } },
        at,
      ),
    ).toMatchObject({
      kind: 'ignored',
      reason: 'update type channel_post',
    });
    expect(parseUpdate({ update_id: 12, edited_message: textUpdate(12, 'x').message }, at)).toMatchObject({
      kind: 'ignored',
    });
  });

  it('turns "kicked" in a private chat into blocked, other membership changes into ignored', () => {
    const change = (status: string, chat: object) => ({
      update_id: 13,
      my_chat_member: {
        chat,
        from: { id: CHAT_ID },
        date: 1,
        old_chat_member: { status: 'member' },
        new_chat_member: { status, user: { id: 1 } },
      },
    });
    expect(parseUpdate(change('kicked', { id: CHAT_ID, type: 'private' }), at)).toEqual({
      kind: 'blocked',
      updateId: 13,
      chatId: String(CHAT_ID),
    });
    expect(parseUpdate(change('member', { id: CHAT_ID, type: 'private' }), at).kind).toBe('ignored');
    expect(parseUpdate(change('kicked', { id: -5, type: 'group' }), at).kind).toBe('ignored');
  });

  it('ignores malformed updates without throwing', () => {
    expect(parseUpdate({ update_id: 14, message: { text: 'no chat' } }, at)).toMatchObject({
      kind: 'ignored',
      updateId: 14,
    });
    expect(parseUpdate('nonsense', at)).toMatchObject({ kind: 'ignored', updateId: null });
    expect(parseUpdate({ update_id: 15, callback_query: { id: 'q15' } }, at)).toMatchObject({
      kind: 'ignored',
      callbackQueryId: 'q15',
    });
  });
});
