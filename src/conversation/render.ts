// Rendering what the bot says into outbound messages, in the member's language.
import type { Said, Text, Translate } from './flow.ts';
import { isActionMessage, isPhotoSaid, STORED_PHOTO_REF } from './flow.ts';
import { MAX_CHOICE_DATA_BYTES, type OutboundMessage } from './messages.ts';

/** Choice data of action buttons: "!claim:12". Question buttons start with their question id instead. */
export const ACTION_PREFIX = '!';

/** Renders what the bot says (texts and action messages) for one member: used for replies and for the outbox. */
export function renderSaid(
  said: readonly Said[],
  t: Translate,
  typedFor?: (action: string) => string | undefined,
): OutboundMessage[] {
  return said.map((m): OutboundMessage => {
    if (isPhotoSaid(m)) {
      const ref = `${STORED_PHOTO_REF}${m.photo}`;
      return m.caption ? { kind: 'photo', ref, caption: render(t, m.caption) } : { kind: 'photo', ref };
    }
    if (!isActionMessage(m)) {
      return m.noPreview === true
        ? { kind: 'text', text: render(t, m), noPreview: true }
        : { kind: 'text', text: render(t, m) };
    }
    return {
      kind: 'choices',
      text: render(t, m.text),
      choices: m.actions.map((a) => {
        const typed = typedFor?.(a.action);
        const data = `${ACTION_PREFIX}${a.action}`;
        // Action data is "<name>:<record id>", short by construction; a longer one is a bug, caught here rather than
        // as a message the platform refuses and the member never sees.
        if (new TextEncoder().encode(data).length > MAX_CHOICE_DATA_BYTES) {
          throw new Error(`action button data over ${MAX_CHOICE_DATA_BYTES} bytes: ${a.action.split(':')[0] ?? ''}`);
        }
        return { label: render(t, a.label), data, ...(typed ? { typed } : {}) };
      }),
      freeText: true,
    };
  });
}

/** One text in the member's language: a translation key with its values, or text taken as it is. */
export function render(t: Translate, message: Text): string {
  return 'raw' in message ? message.raw : t(message.key, message.vars);
}
