// "Em cần vay 30 triệu để nuôi lợn": the credit intent, and what the pre-screen can take from such a sentence — the
// purpose (the purpose words in locales/<lng>/credit.json, "intents.purposeWords") and the amount (the pre-screen's
// own amount reader), each confirmed at its step. Nothing else of her sentence is kept.
import type { Json } from '../../conversation/flow.ts';
import { PURPOSES, readLoanAmount, type Purpose } from '../../domain/credit/index.ts';
import { fold } from '../../domain/text.ts';
import type { IntentDeclaration } from '../understanding.ts';
import { CREDIT_FLOW } from './flow.ts';

/**
 * The credit intent. `phrases`: every language's phrases of a locales list key (the purpose words are read once,
 * here, at start-up).
 */
export function creditIntent(phrases: (key: string) => string[]): IntentDeclaration {
  const purposeWords = PURPOSES.flatMap((purpose) =>
    phrases(`credit:intents.purposeWords.${purpose}`)
      .map((w) => ({ purpose, words: fold(w) }))
      .filter((p) => p.words !== ''),
  ).sort((a, b) => b.words.length - a.words.length);
  return {
    id: 'credit',
    namespace: 'credit',
    flowId: CREDIT_FLOW,
    read: (input) => readCreditRequest(input, purposeWords),
  };
}

/** The purpose (longest purpose words found, whole words) and the amount (only a clear one) of a request. */
export function readCreditRequest(
  input: string,
  purposeWords: readonly { purpose: Purpose; words: string }[],
): Record<string, Json> {
  const values: Record<string, Json> = {};
  const padded = ` ${fold(input)} `;
  const found = purposeWords.find((p) => padded.includes(` ${p.words} `));
  if (found) values['purpose'] = found.purpose;
  const amount = readLoanAmount(input);
  if (amount.kind === 'ok') values['amountNeeded'] = amount.vnd;
  return values;
}
