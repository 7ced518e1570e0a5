// Recognising a button tap. An `oa.query.*` button does not call back like Telegram's: Zalo delivers the tap as a
// `user_send_text` whose text is the button's payload, which render.ts sets to the choice's opaque `data`. A text is
// taken for a tap when
//   - it is a payload this process sent to this member recently (any data format), or
//   - it has the shape of the engine's choice data, "<8-character question id>.<turn>|<value>", so a tap on a button sent
//     before a restart (or by another instance) is still recognised; a stale one gets the engine's "that button
//     belongs to an earlier question".
// Anything else is typed text. Only transient bookkeeping: no personal data, bounded in size.

/** The engine's choice data: an 8-character base64url question id, ".<turn>" (base 36), "|", a value (questions.ts). */
const ENGINE_CHOICE_DATA = /^[A-Za-z0-9_-]{8}(?:\.[0-9a-z]{1,2})?\|\S.{0,55}$/s;

export interface PayloadMemory {
  /** Remembers the payloads of buttons just sent to a member. */
  remember(userId: string, payloads: readonly string[]): void;
  /** The choice data a text stands for, or null when it is typed text. */
  recognise(userId: string, text: string): string | null;
}

export function createPayloadMemory(limits: { users?: number; perUser?: number } = {}): PayloadMemory {
  const maxUsers = limits.users ?? 10_000;
  const perUser = limits.perUser ?? 30;
  // Insertion order = recency (an entry is re-inserted when touched), so the first key is the least recent user.
  const sent = new Map<string, string[]>();
  return {
    remember(userId, payloads) {
      if (payloads.length === 0) return;
      const list = [...(sent.get(userId) ?? []), ...payloads].slice(-perUser);
      sent.delete(userId);
      sent.set(userId, list);
      while (sent.size > maxUsers) {
        const oldest = sent.keys().next().value;
        if (oldest === undefined) break;
        sent.delete(oldest);
      }
    },
    recognise(userId, text) {
      if (sent.get(userId)?.includes(text) === true) return text;
      return ENGINE_CHOICE_DATA.test(text) ? text : null;
    },
  };
}
