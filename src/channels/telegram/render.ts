// OutboundMessage → Bot API calls. Pure: no I/O. Plain text only (no parse_mode), so nothing needs escaping.
import type { OutboundChoice, OutboundMessage } from '../../conversation/messages.ts';
import type { InlineKeyboardMarkup, TappedMessage } from './inbound.ts';
import { splitText as splitAt } from '../shared/text.ts';

/** Telegram's limit for a message text, in UTF-16 code units (what String#length counts). */
export const MAX_TEXT_LENGTH = 4096;
/** Telegram's limit for a photo caption. */
export const MAX_CAPTION_LENGTH = 1024;
/** Labels up to this many characters count as short: two buttons per row. */
export const SHORT_LABEL_LENGTH = 16;
/** Sent instead of an empty question text (Telegram refuses empty messages). */
export const EMPTY_QUESTION_TEXT = '…';

export interface InlineButton {
  text: string;
  callback_data: string;
}

export type TelegramCall =
  | {
      method: 'sendMessage';
      payload: {
        chat_id: number | string;
        text: string;
        reply_markup?: { inline_keyboard: InlineButton[][] };
        /** `is_disabled`: no preview of a link in the text (OutboundMessage `noPreview`: a sign-in link). */
        link_preview_options?: { is_disabled: true };
      };
    }
  | { method: 'sendPhoto'; payload: { chat_id: number | string; photo: string; caption?: string } }
  | { method: 'editMessageText'; payload: { chat_id: number | string; message_id: number; text: string } }
  | { method: 'editMessageReplyMarkup'; payload: { chat_id: number | string; message_id: number } };

/** Telegram chat ids fit in 52 bits: send them as numbers, as Telegram itself does. */
export function chatIdParam(chatId: string): number | string {
  const n = Number(chatId);
  return Number.isSafeInteger(n) ? n : chatId;
}

/** The calls that show one outbound message, in order. */
export function renderOutbound(chatId: string, message: OutboundMessage): TelegramCall[] {
  const chat_id = chatIdParam(chatId);
  switch (message.kind) {
    case 'text':
      return splitText(message.text).map((text) => ({
        method: 'sendMessage',
        payload:
          message.noPreview === true
            ? { chat_id, text, link_preview_options: { is_disabled: true } }
            : { chat_id, text },
      }));
    case 'choices': {
      const parts = splitText(message.text);
      if (parts.length === 0) parts.push(EMPTY_QUESTION_TEXT);
      const calls: TelegramCall[] = parts.map((text) => ({ method: 'sendMessage', payload: { chat_id, text } }));
      const last = calls[calls.length - 1];
      if (message.choices.length > 0 && last?.method === 'sendMessage') {
        last.payload.reply_markup = { inline_keyboard: inlineKeyboard(message.choices) };
      }
      return calls;
    }
    case 'photo': {
      const caption = message.caption?.trim() ?? '';
      if (caption === '') return [{ method: 'sendPhoto', payload: { chat_id, photo: message.ref } }];
      if (caption.length <= MAX_CAPTION_LENGTH)
        return [{ method: 'sendPhoto', payload: { chat_id, photo: message.ref, caption } }];
      // Too long for a caption: the photo alone, then the text as messages.
      return [
        { method: 'sendPhoto', payload: { chat_id, photo: message.ref } },
        ...splitText(caption).map((text): TelegramCall => ({ method: 'sendMessage', payload: { chat_id, text } })),
      ];
    }
  }
}

/** One button per row, or two per row when every label is short. */
export function inlineKeyboard(choices: readonly OutboundChoice[]): InlineButton[][] {
  const buttons = choices.map((choice) => ({ text: choice.label, callback_data: choice.data }));
  const perRow = choices.every((choice) => [...choice.label].length <= SHORT_LABEL_LENGTH) ? 2 : 1;
  const rows: InlineButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}

/** Splits a text at Telegram's limit (see channels/shared/text.ts). */
export const splitText = (text: string, max: number = MAX_TEXT_LENGTH): string[] => splitAt(text, max);

/** The line appended to a question once it has been answered. */
export function answeredLine(label: string): string {
  return `✓ ${label}`;
}

/**
 * After a tap: remove the keyboard from the question and append "✓ <label>" (the label of the tapped button, found
 * in the message's own keyboard). Just removes the keyboard when the label or the text is unknown.
 * Null when the message has no keyboard any more (nothing to do).
 */
export function markAnswered(chatId: string, tapped: TappedMessage, data: string): TelegramCall | null {
  if (tapped.replyMarkup === undefined) return null;
  const chat_id = chatIdParam(chatId);
  const label = findLabel(tapped.replyMarkup, data);
  if (label !== undefined && tapped.text !== undefined) {
    const text = `${tapped.text}\n${answeredLine(label)}`;
    // Without reply_markup, editMessageText also removes the inline keyboard.
    if (text.length <= MAX_TEXT_LENGTH)
      return { method: 'editMessageText', payload: { chat_id, message_id: tapped.messageId, text } };
  }
  return { method: 'editMessageReplyMarkup', payload: { chat_id, message_id: tapped.messageId } };
}

function findLabel(markup: InlineKeyboardMarkup, data: string): string | undefined {
  for (const row of markup.inline_keyboard) {
    for (const button of row) if (button.callback_data === data) return button.text;
  }
  return undefined;
}
