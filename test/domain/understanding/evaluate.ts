// Scoring a labelled set against the classifier built from the locales: accuracy per intent and a confusion count
// matrix, labels only (never the utterances: the held-out set must not be read to tune the examples).
import { IntentClassifier, NONE_INTENT, type Example } from '../../../src/domain/understanding/classifier.ts';
import { decide, predictedIntent } from '../../../src/domain/understanding/decide.ts';
import { foldLexicon, namesOneOf } from '../../../src/domain/understanding/words.ts';
import { createLocalisation } from '../../../src/i18n/i18n.ts';

export const INTENT_NAMESPACES: Record<string, string> = {
  credit: 'credit',
  talk: 'cases',
  myRequests: 'cases',
  myCases: 'cases',
  consentSettings: 'consent',
  profileName: 'profile',
  profileCommune: 'profile',
  profilePhone: 'profile',
  profile: 'profile',
  myData: 'privacy',
  deleteData: 'privacy',
  language: 'common',
  help: 'common',
  courses: 'courses',
  myCourses: 'courses',
  courseCancel: 'courses',
  productReport: 'products',
  myProducts: 'products',
  productProblem: 'products',
  announcementsOff: 'announcements',
  announcementsOn: 'announcements',
  webSignIn: 'web',
  ack: 'common',
  none: 'common',
};

/** Intents only officers are sent to (IntentDeclaration.audience). */
const OFFICER_INTENTS = new Set(['myCases']);
/** Intents declared destructive (IntentDeclaration.destructive). */
const DESTRUCTIVE_INTENTS = new Set(['deleteData', 'consentSettings']);

export function localeClassifier(): IntentClassifier {
  const l = createLocalisation();
  const examples: Example[] = Object.entries(INTENT_NAMESPACES).flatMap(([intent, ns]) =>
    l.phrases(`${ns}:intents.${intent}.examples`).map((text) => ({ intent, text })),
  );
  return new IntentClassifier(examples, foldLexicon(l.lexicon));
}

/**
 * Whether a message names a phrase its intent needs (<namespace>:intents.<id>.needs, e.g.
 * privacy:intents.deleteData.needs, announcements:intents.announcementsOn.needs) and none it must not name
 * (intents.<id>.unless), as the product reads it; true for an intent without such lists. Cancelling intents
 * (courseCancel, announcementsOff) are otherwise read as any intent.
 */
function namesNeededObject(classifier: IntentClassifier): (intent: string, input: string) => boolean {
  const l = createLocalisation();
  const lexicon = foldLexicon(l.lexicon);
  const listOf = (key: 'needs' | 'unless') =>
    new Map(Object.entries(INTENT_NAMESPACES).map(([i, ns]) => [i, l.phrases(`${ns}:intents.${i}.${key}`)] as const));
  const needs = listOf('needs');
  const unless = listOf('unless');
  return (intent, input) => {
    const objects = needs.get(intent) ?? [];
    const not = unless.get(intent) ?? [];
    return (
      (objects.length === 0 ||
        namesOneOf(input, objects, lexicon) ||
        namesOneOf(classifier.words(input).join(' '), objects, lexicon)) &&
      (not.length === 0 || !namesOneOf(input, not, lexicon))
    );
  };
}

export interface Report {
  total: number;
  correct: number;
  perIntent: Record<string, { n: number; correct: number }>;
  confusion: Record<string, Record<string, number>>;
  /** Utterances of another intent read as deleteData. */
  wronglyDestructive: number;
}

/**
 * Scores a labelled set. `accepts` widens a label to the intents it covers in that set's label space (a writer given one
 * `profile` label for "change my name / commune / phone" is right when the bot reads profileName, profileCommune or
 * profilePhone, the finer intents it has for exactly those requests); the confusion matrix still shows what was read.
 */
export function evaluate(
  classifier: IntentClassifier,
  items: readonly { text: string; intent: string }[],
  accepts: Readonly<Record<string, readonly string[]>> = {},
): Report {
  const report: Report = { total: 0, correct: 0, perIntent: {}, confusion: {}, wronglyDestructive: 0 };
  const namesObject = namesNeededObject(classifier);
  for (const item of items) {
    const read = predictedIntent(
      decide(
        classifier.score(item.text),
        // The labelled sets are members' words: an officer's queue (audience officer) is not theirs to reach.
        (i) => !OFFICER_INTENTS.has(i),
        (i) => {
          if (!DESTRUCTIVE_INTENTS.has(i)) return namesObject(i, item.text) ? 'no' : 'shared';
          return namesObject(i, item.text) && classifier.hasDistinctive(item.text, i) ? 'distinctive' : 'shared';
        },
      ),
    );
    // Thanks and closings ("ack") ask for nothing: the labelled sets call them chit-chat (none).
    const predicted = read === 'ack' ? NONE_INTENT : read;
    report.total++;
    const slot = (report.perIntent[item.intent] ??= { n: 0, correct: 0 });
    slot.n++;
    if (predicted === item.intent || accepts[item.intent]?.includes(predicted)) {
      report.correct++;
      slot.correct++;
    }
    const row = (report.confusion[item.intent] ??= {});
    row[predicted] = (row[predicted] ?? 0) + 1;
    if (predicted === 'deleteData' && item.intent !== 'deleteData') report.wronglyDestructive++;
  }
  return report;
}

export function formatReport(report: Report): string {
  const labels = Object.keys(report.perIntent);
  if (!labels.includes(NONE_INTENT)) labels.push(NONE_INTENT);
  // Columns also for intents only ever predicted (a near-miss read as profilePhone shows where it went).
  const columns = [...labels];
  for (const row of Object.values(report.confusion)) {
    for (const predicted of Object.keys(row)) if (!columns.includes(predicted)) columns.push(predicted);
  }
  const lines = [`overall ${((100 * report.correct) / report.total).toFixed(1)}% of ${report.total}`];
  for (const [intent, s] of Object.entries(report.perIntent)) {
    lines.push(`${intent.padEnd(15)} ${((100 * s.correct) / s.n).toFixed(1).padStart(5)}% of ${s.n}`);
  }
  lines.push('confusion (row: labelled, column: predicted)');
  lines.push(''.padEnd(15) + columns.map((l) => l.slice(0, 6).padStart(7)).join(''));
  for (const row of labels) {
    const counts = report.confusion[row] ?? {};
    lines.push(row.padEnd(15) + columns.map((c) => String(counts[c] ?? 0).padStart(7)).join(''));
  }
  return lines.join('\n');
}
