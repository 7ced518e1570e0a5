// Replies → Bot Platform calls: plain texts, numbered choices, ≤ 2000 characters per message, photos by URL.
import { describe, expect, it } from 'vitest';
import {
  MAX_TEXT_LENGTH,
  renderOutbound,
  splitText,
  withNumberedChoices,
} from '../../../../src/channels/zalo/bot/render.ts';

const CHAT = 'abc.xyz';

describe('rendering for the Zalo Bot Platform', () => {
  it('a text is one sendMessage with the chat id as a string', () => {
    expect(renderOutbound(CHAT, { kind: 'text', text: 'Chào chị' })).toEqual([
      { method: 'sendMessage', payload: { chat_id: CHAT, text: 'Chào chị' } },
    ]);
  });

  it('choices become numbered lines under the question (no buttons on this platform)', () => {
    const calls = renderOutbound(CHAT, {
      kind: 'choices',
      text: 'Chị muốn dùng ngôn ngữ nào?',
      choices: [
        { label: 'Tiếng Việt', data: 'q1:vi' },
        { label: 'English', data: 'q1:en' },
      ],
      freeText: false,
    });
    expect(calls).toEqual([
      {
        method: 'sendMessage',
        payload: { chat_id: CHAT, text: 'Chị muốn dùng ngôn ngữ nào?\n1) Tiếng Việt\n2) English' },
      },
    ]);
  });

  it('an action typed as words shows those words instead of a number, as in the terminal', () => {
    expect(
      withNumberedChoices('Ca #12: vay vốn', [
        { label: 'Nhận ca', data: 'claim:12', typed: 'nhan 12' },
        { label: 'Menu', data: 'menu' },
      ]),
    ).toBe('Ca #12: vay vốn\n[nhan 12] Nhận ca\n2) Menu');
  });

  it('a question without text still shows its choices', () => {
    expect(withNumberedChoices('  ', [{ label: 'Bỏ qua', data: 'skip' }])).toBe('1) Bỏ qua');
  });

  it('an empty text sends nothing (Zalo refuses empty messages)', () => {
    expect(renderOutbound(CHAT, { kind: 'text', text: ' \n ' })).toEqual([]);
  });

  it('a long text is split on line boundaries into messages of at most 2000 characters', () => {
    const line = 'Thông tin về vay vốn ưu đãi cho hội viên. '.repeat(2).trim();
    const text = Array.from({ length: 60 }, (_, i) => `${i + 1}. ${line}`).join('\n');
    expect(text.length).toBeGreaterThan(2 * MAX_TEXT_LENGTH);
    const parts = renderOutbound(CHAT, { kind: 'text', text }).map((c) => (c.payload as { text: string }).text);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    // Only whole lines, nothing lost, nothing reordered.
    expect(parts.join('\n')).toBe(text);
  });

  it('a long question keeps its numbered choices whole, in the last message', () => {
    const text = 'Đ'.repeat(1990);
    const parts = renderOutbound(CHAT, {
      kind: 'choices',
      text,
      choices: [
        { label: 'Có', data: 'y' },
        { label: 'Không', data: 'n' },
      ],
      freeText: false,
    }).map((c) => (c.payload as { text: string }).text);
    expect(parts.length).toBe(2);
    expect(parts[0] === text).toBe(true);
    expect(parts[1]).toBe('1) Có\n2) Không');
  });

  it('a single line longer than 2000 characters is cut at a space, never inside an emoji', () => {
    const words = 'xin chào '.repeat(400);
    for (const part of splitText(words)) expect(part.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(splitText(words).join(' ').replace(/\s+/g, ' ')).toBe(words.trim());
    const emoji = '😀'.repeat(1500); // 3000 UTF-16 code units, no spaces
    const parts = splitText(emoji);
    expect(parts.join('')).toBe(emoji);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
      expect(part).toMatch(/^(?:😀)+$/u);
    }
  });

  it('a photo is sent by URL, with its caption; a caption too long follows as text', () => {
    expect(
      renderOutbound(CHAT, { kind: 'photo', ref: 'https://example.org/a.jpg', caption: ' Thẻ hội viên ' }),
    ).toEqual([
      { method: 'sendPhoto', payload: { chat_id: CHAT, photo: 'https://example.org/a.jpg', caption: 'Thẻ hội viên' } },
    ]);
    expect(renderOutbound(CHAT, { kind: 'photo', ref: 'https://example.org/a.jpg' })).toEqual([
      { method: 'sendPhoto', payload: { chat_id: CHAT, photo: 'https://example.org/a.jpg' } },
    ]);
    const long = 'a'.repeat(2500);
    const calls = renderOutbound(CHAT, { kind: 'photo', ref: 'https://example.org/a.jpg', caption: long });
    expect(calls.map((c) => c.method)).toEqual(['sendPhoto', 'sendMessage', 'sendMessage']);
    expect(calls[0]?.payload).toEqual({ chat_id: CHAT, photo: 'https://example.org/a.jpg' });
  });
});
