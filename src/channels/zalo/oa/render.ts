// OutboundMessage → the OA messages that show it, in order. Pure: no I/O.
// - Text: split at line boundaries into messages of at most 2,000 characters.
// - Choices: the question's text with up to 5 `oa.query.hide` buttons whose payload is the choice's data; more
//   choices than that, or a label/payload beyond Zalo's limits, and the question becomes numbered text as in the
//   console ("  1) Label"), answered by number or by label.
// - Photo: a media template by URL; anything that is not an http(s) URL is a local file to upload first.
import type { OutboundChoice, OutboundMessage } from '../../../conversation/messages.ts';
import { CHOICE_BUTTON_TYPE, LIMITS, type OaButton, type OaMessage } from './api.ts';
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
