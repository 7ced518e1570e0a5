// Rendering pieces every channel needs: splitting long texts to a platform's limit, and a choice as a line of text
// for channels (or menus) without buttons. Shared by the channels; imports no channel.
import type { OutboundChoice } from '../../conversation/messages.ts';

/**
 * Splits a text into messages of at most `max` characters, at line boundaries when possible (a line longer than
 * `max` is cut at its last space, else anywhere but inside a surrogate pair). Blank parts are dropped, so an empty
 * text gives no message at all (platforms refuse empty texts).
 */
export function splitText(text: string, max: number): string[] {
  if (text.trim() === '') return [];
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = '';
  const flush = (): void => {
    const part = current.replace(/\s+$/, ''); // trailing spaces and newlines mean nothing at a message's end
    if (part.trim() !== '') parts.push(part);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > max) {
      const cut = cutPoint(rest, max);
      const piece = rest.slice(0, cut).trimEnd();
      if (piece !== '') parts.push(piece);
      rest = rest.slice(cut).trimStart();
    }
    current = rest;
  }
  flush();
  return parts;
}

function cutPoint(line: string, max: number): number {
  const space = line.lastIndexOf(' ', max);
  if (space > max / 2) return space + 1;
  const code = line.charCodeAt(max);
  // max is the index of the next piece's first character: don't start it with the second half of a surrogate pair.
  return code >= 0xdc00 && code <= 0xdfff ? max - 1 : max;
}

/**
 * A choice as a line of text: "1) Label", answered by typing the number or the label — or "[nhan 12] Label" for an
 * action the member types as words (OutboundChoice.typed).
 */
export function choiceLine(choice: OutboundChoice, index: number): string {
  return choice.typed ? `[${choice.typed}] ${choice.label}` : `${index + 1}) ${choice.label}`;
}
