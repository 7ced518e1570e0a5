// What to do with a message's intent scores (classifier.ts): start the intent, offer a short choice between two
// close ones, or offer the nearest ones. The thresholds are cosine-like scores (0..1), set on our own dev set
// (test/fixtures/intents/dev.json) and checked on the frozen held-out set (README, "Understanding free text").
import { NONE_INTENT, type Scored } from './classifier.ts';

export const THRESHOLDS = {
  /** At or above: the best intent is meant (unless a second one is within `margin`). */
  confident: 0.42,
  /** Between `close` and `confident`, the best intent is meant when it leads the second by this much. */
  lead: 0.12,
  /** Below: nothing is close; the member gets the nearest items and the officer option. */
  close: 0.28,
  /**
   * From `floor` up (below `close` too, or without a `lead`), the best intent is meant when the message uses a word or
   * word pair only its examples use (Scored.distinctive) and its score is `ratio` times the next one's or more
   * (chit-chat included).
   */
  floor: 0.24,
  ratio: 1.15,
  /** A second intent this close to the best one makes a choice between the two. */
  margin: 0.07,
  /**
   * Destructive intents (delete my data, opt out, cancel, withdraw) need this much to be named at all: a message that
   * merely mentions data must never lead towards erasing it. They still only ever open a confirmation.
   */
  destructive: 0.45,
  /**
   * In the middle of a flow, a message is asked about only at or above this score, with `midFlowWords` words or more
   * that the examples use, and a lead of `lead` over the next intent: names and communes ("Nguyễn Thị Lan", "Hương Sơn") stay answers.
   */
  midFlow: 0.45,
  midFlowWords: 3,
} as const;

export type Decision =
  | { kind: 'start'; intent: string; score: number }
  | { kind: 'choose'; intents: [string, string] }
  | { kind: 'unsure'; nearest: string[] };

/**
 * Decides on ranked scores. `allowed`: the intents this member may be sent to (access, audience), the others are
 * passed over; `destructive`: whether an intent destroys or stops something and, if so, whether the message uses
 * words only that intent's examples use (IntentClassifier.hasDistinctive) — without them, or below
 * THRESHOLDS.destructive, it is passed over.
 */
export function decide(
  scored: readonly Scored[],
  allowed: (intent: string) => boolean,
  destructive: (intent: string) => 'no' | 'distinctive' | 'shared',
  nearestCount = 3,
): Decision {
  const usable = scored.filter((s) => {
    if (s.intent === NONE_INTENT) return true;
    if (!allowed(s.intent)) return false;
    const kind = destructive(s.intent);
    return kind === 'no' || (kind === 'distinctive' && s.score >= THRESHOLDS.destructive);
  });
  const candidates = usable.filter((s) => s.intent !== NONE_INTENT);
  const nearest = candidates.slice(0, nearestCount).map((s) => s.intent);
  const best = usable[0];
  if (!best || best.intent === NONE_INTENT) return { kind: 'unsure', nearest };
  // A best intent with a word of its own, clearly ahead of the next (chit-chat included), is meant though its score
  // is low: a short or unusual phrasing of it, not an unknown request.
  const ahead =
    best.distinctive === true &&
    best.score >= THRESHOLDS.floor &&
    best.score >= THRESHOLDS.ratio * (usable[1]?.score ?? 0);
  if (best.score < THRESHOLDS.close && !ahead) return { kind: 'unsure', nearest };
  const second = usable[1];
  if (second && second.intent !== NONE_INTENT && best.score - second.score < THRESHOLDS.margin) {
    return { kind: 'choose', intents: [best.intent, second.intent] };
  }
  const lead = best.score - (second?.score ?? 0);
  if (best.score >= THRESHOLDS.confident || lead >= THRESHOLDS.lead || ahead) {
    return { kind: 'start', intent: best.intent, score: best.score };
  }
  return { kind: 'unsure', nearest };
}

/**
 * The intent a message typed in a flow clearly asks for (see THRESHOLDS.midFlow), or null. `wordCount`: the words of it the
 * examples use (IntentClassifier.knownWords).
 */
export function asideIntent(decision: Decision, scored: readonly Scored[], wordCount: number): string | null {
  if (decision.kind !== 'start' || decision.score < THRESHOLDS.midFlow || wordCount < THRESHOLDS.midFlowWords) {
    return null;
  }
  const second = scored.find((s) => s.intent !== decision.intent && s.intent !== NONE_INTENT)?.score ?? 0;
  return decision.score - second >= THRESHOLDS.lead ? decision.intent : null;
}

/**
 * The one intent a message is read as, for measuring (the labelled sets): the started intent, or the first of a
 * choice; NONE_INTENT when unsure.
 */
export function predictedIntent(decision: Decision): string {
  if (decision.kind === 'start') return decision.intent;
  if (decision.kind === 'choose') return decision.intents[0];
  return NONE_INTENT;
}
