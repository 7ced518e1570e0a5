// Matching what members type. Many type Vietnamese without diacritics ("vay von" for "vay vốn"),
// so every comparison goes through fold(): lower case, no diacritics, đ → d, punctuation and extra spaces dropped.

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

export function fold(input: string): string {
  return (
    input
      .normalize('NFD')
      .replace(COMBINING_MARKS, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase()
      // "don't" and "dont" are the same word to someone typing fast.
      .replace(/['’‘`]/g, '')
      .replace(NOT_WORD, ' ')
      .trim()
  );
}

/** Collapses runs of white space and trims; keeps the member's own spelling. */
export function tidy(input: string): string {
  return input.replace(/\s+/gu, ' ').trim();
}

/**
 * Finds the one candidate a member meant. Exact folded match wins; otherwise a unique candidate that starts with,
 * then contains, the folded input (only for inputs of 3+ characters, so "a" matches nothing by accident).
 * Returns all candidates that tie when the input is ambiguous.
 */
export function matchByName<T>(input: string, candidates: readonly T[], namesOf: (c: T) => readonly string[]): T[] {
  const needle = fold(input);
  if (needle === '') return [];
  const scored = (test: (name: string) => boolean) =>
    unique(candidates.filter((c) => namesOf(c).some((n) => test(fold(n)))));
  const exact = scored((n) => n === needle);
  if (exact.length > 0) return exact;
  if (needle.length < 3) return [];
  const prefix = scored((n) => n.startsWith(needle));
  if (prefix.length > 0) return prefix;
  // Only names containing the input, never the input containing a name: "ko đồng ý" (don't agree) contains the label
  // "Đồng ý" and "ko có" contains "Có", and a name that folds to "" (e.g. "?") is contained in everything.
  return scored((n) => n.includes(needle));
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
