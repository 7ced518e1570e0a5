import { describe, expect, it } from 'vitest';
import {
  inlineKeyboard,
  markAnswered,
  MAX_TEXT_LENGTH,
  renderOutbound,
  splitText,
} from '../../../src/channels/telegram/render.ts';
import { keyboard } from './fakes.ts';

describe('splitText', () => {
  it('keeps a short text whole and drops an empty one', () => {
    expect(splitText('Xin chào')).toEqual(['Xin chào']);
    expect(splitText('')).toEqual([]);
    expect(splitText(' \n ')).toEqual([]);
  });

  it('splits on line boundaries, each part within the limit', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `${i}`.repeat(9)); // 10 lines of 9 chars
    const parts = splitText(lines.join('\n'), 25);
    expect(parts).toEqual([
      lines.slice(0, 2).join('\n'),
      lines.slice(2, 4).join('\n'),
      lines.slice(4, 6).join('\n'),
      lines.slice(6, 8).join('\n'),
      lines.slice(8).join('\n'),
    ]);
  });

  it('cuts a line longer than the limit at a space, else anywhere but inside a surrogate pair', () => {
    expect(splitText('aaaa bbbb cccc dddd', 10)).toEqual(['aaaa bbbb', 'cccc dddd']);
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    const emoji = `${'a'.repeat(9)}😀b`; // the emoji spans indexes 9-10
    expect(splitText(emoji, 10)).toEqual(['a'.repeat(9), '😀b']);
  });

  it('keeps Telegram’s 4096 limit for a real long text', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Dòng ${i}: hỗ trợ vay vốn ưu đãi cho hộ nghèo`).join('\n');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(parts.join('\n')).toBe(text);
  });
});

describe('inlineKeyboard', () => {
  const choice = (label: string, data = label.toLowerCase()) => ({ label, data });

  it('puts two short buttons per row', () => {
    expect(inlineKeyboard([choice('Có'), choice('Không'), choice('Bỏ qua')])).toEqual([
      [
        { text: 'Có', callback_data: 'có' },
        { text: 'Không', callback_data: 'không' },
      ],
      [{ text: 'Bỏ qua', callback_data: 'bỏ qua' }],
    ]);
  });

  it('puts one button per row as soon as one label is longer than 16 characters', () => {
    expect(inlineKeyboard([choice('Có'), choice('Vay vốn hộ nghèo (NHCSXH)', 'loan')])).toEqual([
      [{ text: 'Có', callback_data: 'có' }],
      [{ text: 'Vay vốn hộ nghèo (NHCSXH)', callback_data: 'loan' }],
    ]);
  });

  it('counts characters, not bytes: a 16-letter Vietnamese label is short', () => {
    const label = 'Đăng ký học nghề'; // 16 characters, more bytes
    expect(label.length).toBe(16);
    expect(inlineKeyboard([choice(label, 'a'), choice('Khác', 'b')])).toHaveLength(1);
  });
});

describe('renderOutbound', () => {
  it('attaches the keyboard to the last part of a long question', () => {
    const text = Array.from({ length: 200 }, (_, i) => `Điều kiện ${i}: ...................................`).join(
      '\n',
    );
    const calls = renderOutbound('42', {
      kind: 'choices',
      text,
      choices: [{ label: 'OK', data: 'ok' }],
      freeText: false,
    });
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.slice(0, -1).every((c) => c.method === 'sendMessage' && c.payload.reply_markup === undefined)).toBe(
      true,
    );
    expect(calls.at(-1)).toMatchObject({
      method: 'sendMessage',
      payload: { reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] } },
    });
  });

  it('sends a photo with its caption, or a too-long caption as text after the photo', () => {
    expect(renderOutbound('42', { kind: 'photo', ref: 'file-1', caption: 'Sản phẩm' })).toEqual([
      { method: 'sendPhoto', payload: { chat_id: 42, photo: 'file-1', caption: 'Sản phẩm' } },
    ]);
    const long = 'x'.repeat(1500);
    expect(renderOutbound('42', { kind: 'photo', ref: 'file-1', caption: long })).toEqual([
      { method: 'sendPhoto', payload: { chat_id: 42, photo: 'file-1' } },
      { method: 'sendMessage', payload: { chat_id: 42, text: long } },
    ]);
  });

  it('never sends an empty message', () => {
    expect(renderOutbound('42', { kind: 'text', text: '' })).toEqual([]);
    expect(
      renderOutbound('42', { kind: 'choices', text: '', choices: [{ label: 'A', data: 'a' }], freeText: true }),
    ).toEqual([
      {
        method: 'sendMessage',
        payload: { chat_id: 42, text: '…', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } },
      },
    ]);
  });
});

describe('markAnswered', () => {
  const markup = keyboard([
    ['Có', 'c:yes'],
    ['Không', 'c:no'],
  ]);

  it('appends the tapped label and drops the keyboard', () => {
    expect(markAnswered('42', { messageId: 7, text: 'Đồng ý?', replyMarkup: markup }, 'c:no')).toEqual({
      method: 'editMessageText',
      payload: { chat_id: 42, message_id: 7, text: 'Đồng ý?\n✓ Không' },
    });
  });

  it('only removes the keyboard when the label or the text is unknown', () => {
    const removeOnly = { method: 'editMessageReplyMarkup', payload: { chat_id: 42, message_id: 7 } };
    expect(markAnswered('42', { messageId: 7, text: 'Đồng ý?', replyMarkup: markup }, 'stale')).toEqual(removeOnly);
    expect(markAnswered('42', { messageId: 7, replyMarkup: markup }, 'c:yes')).toEqual(removeOnly);
    expect(
      markAnswered('42', { messageId: 7, text: 'x'.repeat(MAX_TEXT_LENGTH), replyMarkup: markup }, 'c:yes'),
    ).toEqual(removeOnly);
  });

  it('does nothing when the message has no keyboard any more', () => {
    expect(markAnswered('42', { messageId: 7, text: 'Đồng ý?\n✓ Có' }, 'c:yes')).toBeNull();
  });
});
