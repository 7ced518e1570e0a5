// The conversation state the engine stores per member (ConversationRepository), and how a stored value is read back.
import type { Answers, FlowNext, Json, Text } from './flow.ts';
import type { Command } from './vocabulary.ts';

/** What the member is answering: a step, the closing summary, the "edit which field?" list, a pending confirmation. */
export type Mode = 'ask' | 'summary' | 'editPick' | 'pending';

export type Pending =
  | { kind: 'confirm'; value: Json; question: Text }
  | { kind: 'pick'; question: Text; options: { value: Json; label: Text }[] }
  /** A free-text answer that is also a command word ("Dung" as a name, "hủy" as a description): which was meant? */
  | {
      kind: 'command';
      command: Command;
      input: string;
      /**
       * Set when what she typed also picked an option of a yes/no or choice step ("dung" = "Có" at a yes/no question,
       * the stop word folded): that option's label, for the "that is my answer" button.
       */
      answer?: Text;
    }
  /**
   * Features offered for what she typed (EngineDeps.understanding): a short choice between two, the nearest ones and
   * "send this to an officer", or "leave this step for …?" in a flow. An option with `next: null` means "that was my
   * answer": `input` is then taken as the answer to the step.
   */
  | { kind: 'offer'; question: Text; options: { label: Text; next: FlowNext | null }[]; input: string };

export interface State {
  flowId: string;
  /** The step being asked (mode ask/pending), or null at the summary and the edit list. */
  stepId: string | null;
  mode: Mode;
  answers: Answers;
  /** Steps answered before the current one, for "back". */
  history: string[];
  /** Set while the member edits one field from the summary: after it, return to the summary. */
  editing: boolean;
  pending?: Pending;
  /** When the member last moved the conversation, by the engine's clock (ISO). */
  at?: string;
  /** Counts the member's turns; part of every button's data, so a repeated tap on one message is told apart. */
  seq?: number;
  /** The button data accepted in the last turn: the same data again is a double tap, and changes nothing. */
  lastChoice?: string;
  /** The engine instance that saved this state: another one (a restart) means she may have lost her place. */
  boot?: string;
}

/** State.seq wraps here: two base-36 digits in a button's data. */
export const SEQ_MODULO = 1296;

/** Reads a stored state; anything unreadable (an older shape, a hand-edited row) is null, so she starts over. */
export function parseState(data: unknown): State | null {
  if (!data || typeof data !== 'object') return null;
  const s = data as Partial<State>;
  if (typeof s.flowId !== 'string' || typeof s.mode !== 'string' || typeof s.answers !== 'object') return null;
  return {
    flowId: s.flowId,
    stepId: s.stepId ?? null,
    mode: s.mode,
    answers: s.answers ?? {},
    history: Array.isArray(s.history) ? s.history : [],
    editing: Boolean(s.editing),
    pending: s.pending,
    at: typeof s.at === 'string' ? s.at : undefined,
    seq: typeof s.seq === 'number' ? s.seq : undefined,
    lastChoice: typeof s.lastChoice === 'string' ? s.lastChoice : undefined,
    boot: typeof s.boot === 'string' ? s.boot : undefined,
  };
}
