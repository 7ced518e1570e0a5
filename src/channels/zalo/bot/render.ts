// OutboundMessage → Bot Platform calls. Pure: no I/O. The platform has no buttons: a question's choices become
// numbered lines ("1) Tiếng Việt"), and the member answers with the number or the label, which the engine reads as
// typed text. Plain text only (no parse_mode), so nothing needs escaping.
import type { OutboundChoice, OutboundMessage } from '../../../conversation/messages.ts';
import { storedPhotoId } from '../../shared/storedPhotos.ts';
import { choiceLine, splitText as splitAt } from '../../shared/text.ts';

/**
 * Marks the text sent instead of a photo the project stored: the Bot Platform's sendPhoto takes only a URL it downloads
 * itself (no upload), and a pending listing's photos are never on a public URL. The officer reads the caption with
 * this mark and sees the photos on another channel (or the listing once published).
 */
export const STORED_PHOTO_MARK = '📷';

/** Zalo's limit for a message text and a photo caption (1-2000 characters; String#length, as Zalo's Java counts). */
export const MAX_TEXT_LENGTH = 2000;

export type ZaloBotCall =
  | { method: 'sendMessage'; payload: { chat_id: string; text: string } }
  | { method: 'sendPhoto'; payload: { chat_id: string; photo: string; caption?: string } };

/** The calls that show one outbound message, in order. */
export function renderOutbound(chatId: string, message: OutboundMessage): ZaloBotCall[] {
  switch (message.kind) {
    case 'text':
      return texts(chatId, message.text);
    case 'choices':
      return questionTexts(message.text, message.choices).map((text) => ({
        method: 'sendMessage',
        payload: { chat_id: chatId, text },
      }));
    case 'photo': {
      const storedCaption = message.caption?.trim() ?? '';
      if (storedPhotoId(message.ref) !== null)
        return texts(chatId, storedCaption === '' ? STORED_PHOTO_MARK : `${STORED_PHOTO_MARK} ${storedCaption}`);
      const photo = { method: 'sendPhoto', payload: { chat_id: chatId, photo: message.ref } } as const;
      const caption = message.caption?.trim() ?? '';
      if (caption === '') return [photo];
      if (caption.length <= MAX_TEXT_LENGTH) return [{ ...photo, payload: { ...photo.payload, caption } }];
      // Too long for a caption: the photo alone, then the text as messages.
      return [photo, ...texts(chatId, caption)];
    }
  }
}

/**
 * The question, then one line per choice: "1) Label" — or "[nhan 12] Label" for an action the member types as words
 * (OutboundChoice.typed), as in the terminal.
 */
export function withNumberedChoices(text: string, choices: readonly OutboundChoice[]): string {
  const lines = choices.map(choiceLine);
  return text.trim() === '' ? lines.join('\n') : [text, ...lines].join('\n');
}

/**
 * A question as messages: its text (split if needed), the numbered choices under its last part — or, when they don't
 * fit there, as a message of their own, so that a choice list is kept together whenever it fits in one message.
 */
export function questionTexts(text: string, choices: readonly OutboundChoice[]): string[] {
  const parts = splitText(text);
  const block = withNumberedChoices('', choices);
  const last = parts.at(-1);
  if (block === '') return parts;
  if (last !== undefined && last.length + 1 + block.length <= MAX_TEXT_LENGTH) {
    parts[parts.length - 1] = `${last}\n${block}`;
    return parts;
  }
  return [...parts, ...splitText(block)];
}

function texts(chatId: string, text: string): ZaloBotCall[] {
  return splitText(text).map((part) => ({ method: 'sendMessage', payload: { chat_id: chatId, text: part } }));
}

/** Splits a text at the platform's limit; a numbered choice line is never cut (see channels/shared/text.ts). */
export const splitText = (text: string, max: number = MAX_TEXT_LENGTH): string[] => splitAt(text, max);
