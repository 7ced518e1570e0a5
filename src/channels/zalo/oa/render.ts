// OutboundMessage → the OA messages that show it, in order. Pure: no I/O.
// - Text: split at line boundaries into messages of at most 2,000 characters.
// - Choices: the question's text with up to 5 `oa.query.hide` buttons whose payload is the choice's data; more
//   choices than that, or a label/payload beyond Zalo's limits, and the question becomes numbered text as in the
//   console ("  1) Label"), answered by number or by label.
// - Photo: a media template by URL; anything that is not an http(s) URL is a local file to upload first.
// - A promotion message (a broadcast outside the messaging window): `promotionBody`, element-based.
import type { OutboundChoice, OutboundMessage } from '../../../conversation/messages.ts';
import {
  CHOICE_BUTTON_TYPE,
  LIMITS,
  PROMOTION_LIMITS,
  type OaButton,
  type OaMessage,
  type PromotionElement,
} from './api.ts';
import { choiceLine, splitText as splitAt } from '../../shared/text.ts';

/** Sent instead of an empty question text (Zalo refuses an empty text). */
export const EMPTY_QUESTION_TEXT = '…';

export type OaOutgoing =
  | { kind: 'message'; message: OaMessage }
  /** Upload this local image, then send it as a media template (with the caption, if any). */
  | { kind: 'upload-image'; path: string; caption?: string };

export function renderOutbound(message: OutboundMessage): OaOutgoing[] {
  switch (message.kind) {
    case 'text':
      return texts(message.text);
    case 'choices':
      return renderChoices(message.text, message.choices);
    case 'photo':
      return renderPhoto(message.ref, message.caption?.trim() ?? '');
  }
}

/** Whether these choices fit in one Zalo button template. */
export function fitsButtons(choices: readonly OutboundChoice[]): boolean {
  return (
    choices.length > 0 &&
    choices.length <= LIMITS.buttons &&
    choices.every(
      (c) =>
        c.label.trim() !== '' &&
        c.label.length <= LIMITS.buttonTitle &&
        c.data !== '' &&
        c.data.length <= LIMITS.buttonPayload,
    )
  );
}

export function buttonsFor(choices: readonly OutboundChoice[]): OaButton[] {
  return choices.map((c) => ({ title: c.label, type: CHOICE_BUTTON_TYPE, payload: c.data }));
}

/** The numbered lines of a menu, as the console shows them; a choice with its own typed command shows that. */
export function numberedLines(choices: readonly OutboundChoice[]): string[] {
  return choices.map((c, i) => `  ${choiceLine(c, i)}`);
}

function renderChoices(text: string, choices: readonly OutboundChoice[]): OaOutgoing[] {
  if (choices.length === 0) return texts(text);
  if (!fitsButtons(choices)) return texts([text, ...numberedLines(choices)].join('\n'));
  const parts = splitText(text);
  const last = parts.pop() ?? EMPTY_QUESTION_TEXT;
  return [
    ...parts.map(textMessage),
    {
      kind: 'message',
      message: {
        text: last,
        attachment: { type: 'template', payload: { template_type: 'button', buttons: buttonsFor(choices) } },
      },
    },
  ];
}

function renderPhoto(ref: string, caption: string): OaOutgoing[] {
  const fits = caption !== '' && caption.length <= LIMITS.text;
  // Too long for a caption: the photo alone, then the text as messages.
  const after = caption !== '' && !fits ? texts(caption) : [];
  if (!/^https?:\/\//i.test(ref)) {
    return [{ kind: 'upload-image', path: ref, ...(fits ? { caption } : {}) }, ...after];
  }
  const photo: OaOutgoing = {
    kind: 'message',
    message: {
      ...(fits ? { text: caption } : {}),
      attachment: {
        type: 'template',
        payload: { template_type: 'media', elements: [{ media_type: 'image', url: ref }] },
      },
    },
  };
  return [photo, ...after];
}

function texts(text: string): OaOutgoing[] {
  return splitText(text).map(textMessage);
}

function textMessage(text: string): OaOutgoing {
  return { kind: 'message', message: { text } };
}

/** Splits a text at Zalo's limit (see channels/shared/text.ts). */
export const splitText = (text: string, max: number = LIMITS.text): string[] => splitAt(text, max);

/**
 * The body of a promotion message ("tin truyền thông", /v3.0/oa/message/promotion) for one outbound message: its text
 * as elements — the first line as the header when the text has several lines and that line fits, the rest as text
 * elements of at most PROMOTION_LIMITS.text characters — and its choices as buttons (at most PROMOTION_LIMITS.buttons,
 * else numbered lines in the text). A photo's ref is returned for the channel to make a banner of (uploaded; the text
 * alone when that fails). Room is left for the banner within PROMOTION_LIMITS.elements. Pure: no I/O.
 */
export function promotionBody(message: OutboundMessage): {
  photo?: string;
  elements: PromotionElement[];
  buttons: OaButton[];
} {
  switch (message.kind) {
    case 'text':
      return { elements: promotionElements(message.text), buttons: [] };
    case 'choices': {
      const fits = fitsButtons(message.choices) && message.choices.length <= PROMOTION_LIMITS.buttons;
      const text = fits ? message.text : [message.text, ...numberedLines(message.choices)].join('\n');
      return { elements: promotionElements(text), buttons: fits ? buttonsFor(message.choices) : [] };
    }
    case 'photo':
      return { photo: message.ref, elements: promotionElements(message.caption ?? ''), buttons: [] };
  }
}

function promotionElements(text: string): PromotionElement[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const [first = '', ...rest] = trimmed.split('\n');
  const body = rest.join('\n').trim();
  const header = rest.length > 0 && body !== '' && first.trim().length <= PROMOTION_LIMITS.header ? first.trim() : null;
  const chunks = splitText(header === null ? trimmed : body, PROMOTION_LIMITS.text);
  // One element is kept for the banner.
  const room = PROMOTION_LIMITS.elements - 1 - (header === null ? 0 : 1);
  return [
    ...(header === null ? [] : [{ type: 'header' as const, content: header }]),
    ...chunks.slice(0, room).map((content) => ({ type: 'text' as const, content, align: 'left' as const })),
  ];
}
