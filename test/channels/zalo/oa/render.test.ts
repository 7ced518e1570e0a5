import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../../src/channels/zalo/oa/api.ts';
import { EMPTY_QUESTION_TEXT, renderOutbound, splitText } from '../../../../src/channels/zalo/oa/render.ts';
import type { OutboundChoice } from '../../../../src/conversation/messages.ts';

const choices = (n: number): OutboundChoice[] =>
  Array.from({ length: n }, (_, i) => ({ label: `Lựa chọn ${i + 1}`, data: `AbCd_-12|v${i + 1}` }));

describe('renderOutbound for Zalo OA', () => {
  it('sends a text as one message', () => {
    expect(renderOutbound({ kind: 'text', text: 'Xin chào' })).toEqual([
      { kind: 'message', message: { text: 'Xin chào' } },
    ]);
  });

  it('sends nothing for a blank text', () => {
    expect(renderOutbound({ kind: 'text', text: '  \n ' })).toEqual([]);
  });

  it('splits a long text into messages of at most 2,000 characters, at line ends', () => {
    const line = 'Hội viên '.repeat(20).trim(); // 179 characters
    const text = Array.from({ length: 30 }, () => line).join('\n');
    const parts = renderOutbound({ kind: 'text', text });
    expect(parts.length).toBe(3);
    for (const part of parts) {
      expect(part.kind).toBe('message');
      const t = part.kind === 'message' ? (part.message.text ?? '') : '';
      expect(t.length).toBeLessThanOrEqual(LIMITS.text);
      expect(t.startsWith('Hội')).toBe(true);
    }
  });

  it('cuts a single very long line at spaces, never inside a surrogate pair', () => {
    const parts = splitText('🌸'.repeat(1500));
    expect(parts.join('')).toBe('🌸'.repeat(1500));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(LIMITS.text);
  });

  it('puts up to 5 choices on oa.query.hide buttons whose payload is the choice data', () => {
    expect(renderOutbound({ kind: 'choices', text: 'Chọn một', choices: choices(2), freeText: false })).toEqual([
      {
        kind: 'message',
        message: {
          text: 'Chọn một',
          attachment: {
            type: 'template',
            payload: {
              template_type: 'button',
              buttons: [
                { title: 'Lựa chọn 1', type: 'oa.query.hide', payload: 'AbCd_-12|v1' },
                { title: 'Lựa chọn 2', type: 'oa.query.hide', payload: 'AbCd_-12|v2' },
              ],
            },
          },
        },
      },
    ]);
    const five = renderOutbound({ kind: 'choices', text: 'Chọn', choices: choices(5), freeText: false });
    expect(five).toHaveLength(1);
    expect(five[0]?.kind === 'message' && 'attachment' in five[0].message).toBe(true);
  });

  it('shows more than 5 choices as numbered text, like the console', () => {
    expect(renderOutbound({ kind: 'choices', text: 'Chọn', choices: choices(6), freeText: false })).toEqual([
      {
        kind: 'message',
        message: {
          text: 'Chọn\n  1) Lựa chọn 1\n  2) Lựa chọn 2\n  3) Lựa chọn 3\n  4) Lựa chọn 4\n  5) Lựa chọn 5\n  6) Lựa chọn 6',
        },
      },
    ]);
  });

  it('falls back to numbered text when a label is too long for a button, and shows typed commands', () => {
    const long = [{ label: 'x'.repeat(LIMITS.buttonTitle + 1), data: 'AbCd_-12|a' }];
    const out = renderOutbound({ kind: 'choices', text: 'Chọn', choices: long, freeText: false });
    expect(out).toEqual([{ kind: 'message', message: { text: `Chọn\n  1) ${'x'.repeat(101)}` } }]);
    const typed = renderOutbound({
      kind: 'choices',
      text: 'Việc mới',
      choices: [...choices(5), { label: 'Nhận việc', typed: 'nhan 12', data: 'claim:12' }],
      freeText: true,
    });
    expect(typed[0]?.kind === 'message' && typed[0].message.text).toContain('  [nhan 12] Nhận việc'); // as in the terminal
  });

  it('gives an empty question a placeholder text, and a long question its buttons on the last part', () => {
    const empty = renderOutbound({ kind: 'choices', text: '', choices: choices(1), freeText: false });
    expect(empty[0]?.kind === 'message' && empty[0].message.text).toBe(EMPTY_QUESTION_TEXT);
    const long = renderOutbound({
      kind: 'choices',
      text: `${'a '.repeat(1500)}\n${'b '.repeat(10)}`,
      choices: choices(2),
      freeText: false,
    });
    expect(long).toHaveLength(2);
    expect(long[0]?.kind === 'message' && 'attachment' in long[0].message).toBe(false);
    expect(long[1]?.kind === 'message' && 'attachment' in long[1].message).toBe(true);
  });

  it('sends a photo by URL as a media template with its caption', () => {
    expect(renderOutbound({ kind: 'photo', ref: 'https://hoi.example.vn/a.jpg', caption: 'Ảnh' })).toEqual([
      {
        kind: 'message',
        message: {
          text: 'Ảnh',
          attachment: {
            type: 'template',
            payload: {
              template_type: 'media',
              elements: [{ media_type: 'image', url: 'https://hoi.example.vn/a.jpg' }],
            },
          },
        },
      },
    ]);
  });

  it('uploads a photo that is a local file, and sends a too-long caption as text after it', () => {
    expect(renderOutbound({ kind: 'photo', ref: 'assets/guide.png' })).toEqual([
      { kind: 'upload-image', path: 'assets/guide.png' },
    ]);
    const out = renderOutbound({ kind: 'photo', ref: 'https://x.vn/a.png', caption: 'c'.repeat(2500) });
    expect(out).toHaveLength(3);
    expect(out[0]?.kind === 'message' && out[0].message.text).toBeUndefined();
  });
});
