// The console channel: a chat in the terminal, for trying the bot with no token and for scripted conversations
// (`printf 'xin chao\n1\n' | npm start`). Member messages are read line by line; replies go to standard output,
// choices as numbered lines "1) Label" (answer with the number or the label). End of input ends the chat cleanly.
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type {
  BotGateway,
  Delivery,
  InboundContent,
  MediaSource,
  OutboundMessage,
  StoredPhotos,
} from '../../conversation/messages.ts';
import { downloadLimited } from '../shared/download.ts';
import { readStoredPhoto, storedPhotoId } from '../shared/storedPhotos.ts';
import { choiceLine } from '../shared/text.ts';

export interface ConsoleOptions {
  gateway: BotGateway;
  input: Readable;
  output: Writable;
  /** The member's id on the console channel (one per person trying the bot). */
  userId: string;
  /** Printed once before the chat when a person (not a pipe) is typing. */
  hint?: string;
  clock?: () => Date;
  /**
   * Aborted on shutdown (SIGTERM/SIGINT): reading stops, the message being handled finishes (its replies printed), and
   * runConsole resolves without reading the lines not yet handled.
   */
  stop?: AbortSignal;
  /** The photos the project stored: one that is gone is shown as its caption alone. */
  storedPhotos?: StoredPhotos;
}

/** "/photo <file or URL>" sends a photo; "/start" is the platform's start. Everything else is text. */
export function toInbound(line: string): InboundContent {
  const trimmed = line.trim();
  if (/^\/start\b/i.test(trimmed)) return { kind: 'start' };
  const photo = /^\/photo\s+(\S+)/i.exec(trimmed);
  if (photo?.[1]) return { kind: 'photo', refs: [photo[1]] };
  return { kind: 'text', text: line };
}

/** "/photo <file or URL>": a photo is read from that file, or downloaded from that http(s) URL. */
export const consoleMedia: MediaSource = {
  async download(ref, maxBytes) {
    if (/^https?:\/\//i.test(ref)) return downloadLimited(ref, maxBytes);
    if ((await stat(ref)).size > maxBytes) return 'tooLarge';
    return new Uint8Array(await readFile(ref));
  },
};

/** How the terminal names a photo the project stored ("[ảnh] <StoredFile id>"), before its caption. */
export const STORED_PHOTO_LINE = '[ảnh]';

export function renderForConsole(message: OutboundMessage): string {
  switch (message.kind) {
    case 'text':
      return message.text;
    case 'choices':
      // Action buttons (claim case #12...) are typed as words, shown in brackets; question choices by number.
      return [message.text, ...message.choices.map((c, i) => `  ${choiceLine(c, i)}`)].join('\n');
    case 'photo': {
      // A photo the project stored is named by its id: the file is in FILES_DIR (the terminal shows no pictures).
      const stored = storedPhotoId(message.ref);
      const line = stored === null ? `[photo] ${message.ref}` : `${STORED_PHOTO_LINE} ${stored}`;
      return [line, message.caption].filter(Boolean).join('\n');
    }
  }
}

export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { gateway, output, userId } = options;
  const now = options.clock ?? (() => new Date());
  const session = randomUUID().slice(0, 8);
  if (options.hint) output.write(`${options.hint}\n\n`);

  gateway.connect('console', consoleDelivery(output, userId, options.storedPhotos));
  const lines = createInterface({ input: options.input, crlfDelay: Infinity, terminal: false });
  const stop = options.stop;
  if (stop?.aborted) {
    lines.close();
    return;
  }
  stop?.addEventListener('abort', () => lines.close(), { once: true });
  let n = 0;
  // One line at a time: the next message is handled only after the replies to this one are printed (the gateway
  // sends them through the outbox, and so through consoleDelivery, before handle() returns).
  for await (const line of lines) {
    // Lines already read but not handled when the stop came are dropped: the person typed them into a closing chat.
    if (stop?.aborted) break;
    n++;
    await gateway.handle({
      channel: 'console',
      userId,
      messageId: `${session}-${n}`,
      content: toInbound(line),
      receivedAt: now(),
    });
  }
}

/**
 * The terminal's delivery: what is for the person at this terminal is printed; anything for another console member
 * (an officer played in another run) waits in the outbox until that person types.
 */
export function consoleDelivery(output: Writable, userId: string, storedPhotos?: StoredPhotos): Delivery {
  return {
    async deliver(to, message) {
      if (to.channel !== 'console' || to.userId !== userId) return { kind: 'later', reason: 'channel' };
      const stored = message.kind === 'photo' ? storedPhotoId(message.ref) : null;
      if (storedPhotos !== undefined && stored !== null && (await readStoredPhoto(storedPhotos, stored)) === null) {
        // A stored photo that is gone: its caption alone.
        const caption = message.kind === 'photo' ? (message.caption?.trim() ?? '') : '';
        if (caption !== '') output.write(`${caption}\n\n`);
        return { kind: 'sent' };
      }
      output.write(`${renderForConsole(message)}\n\n`);
      return { kind: 'sent' };
    },
  };
}
