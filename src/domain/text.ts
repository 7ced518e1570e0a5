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

// ---- Matching words without mistaking one Vietnamese word for another ------------------------------------------
//
// Folding is for finding candidates, not for deciding between them (REFERENCE.md, "How members type"): "đúng" (right),
// "dừng" (stop) and the name "Dung" all fold to "dung". A typed word is *compatible* with a known word when it has the
// same letters and every mark the member did type is the known word's mark: "dung" (no marks) is compatible with both,
// "đúng" only with "đúng", "Dũng" with neither. Tone marks are compared per syllable, so old and new tone placement
// ("hoà" / "hòa", "thuỷ" / "thủy") are the same word.

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;
const TONE_MARK = /[\u0300\u0301\u0303\u0309\u0323]/u;

/** NFC, lower case, punctuation dropped, white space collapsed; diacritics kept. "Đúng rồi ạ!" → "đúng rồi ạ". */
export function normalizeWords(input: string): string {
  return input
    .normalize('NFC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(NOT_WORD, ' ')
    .trim();
}

/** One syllable split into its tone (a combining mark or '') and its letters without the tone ("dừng" → "dưng", ̀). */
function syllable(word: string): { tone: string; letters: string[] } {
  const nfd = word.normalize('NFD');
  const tone = TONE_MARK.exec(nfd)?.[0] ?? '';
  return { tone, letters: [...nfd.replace(TONE_MARKS, '').normalize('NFC')] };
}

/**
 * A phrase's syllables as compareWords reads them, remembered: every typed answer is compared with the same known
 * words and phrases many times over (issue 15's profile: a tenth of a turn's CPU went into splitting them again).
 * A pure function of the text, so the cache changes nothing but the time; emptied when it reaches SYLLABLE_CACHE_SIZE
 * entries, so what members type cannot grow it without bound.
 */
const SYLLABLE_CACHE_SIZE = 20_000;
const syllableCache = new Map<string, readonly { tone: string; letters: string[] }[]>();
function syllables(phrase: string): readonly { tone: string; letters: string[] }[] {
  let parsed = syllableCache.get(phrase);
  if (parsed === undefined) {
    parsed = normalizeWords(phrase).split(' ').map(syllable);
    if (syllableCache.size >= SYLLABLE_CACHE_SIZE) syllableCache.clear();
    syllableCache.set(phrase, parsed);
  }
  return parsed;
}

/** A letter without its marks: "ư" → "u", "đ" → "d". */
const bare = (letter: string): string => fold(letter) || letter;

/**
 * How a typed word or phrase relates to a known one: 'exact' (same letters and marks, tone placement aside),
 * 'loose' (the member left out some or all marks: "dung" for "đúng"), or null (different words, "đúng" vs "dừng").
 * Both sides are normalised first (normalizeWords).
 */
export function compareWords(typed: string, known: string): 'exact' | 'loose' | null {
  const a = syllables(typed);
  const b = syllables(known);
  if (a.length !== b.length) return null;
  let exact = true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.letters.length !== y.letters.length) return null;
    if (x.tone !== y.tone) {
      if (x.tone !== '') return null;
      exact = false;
    }
    for (let j = 0; j < x.letters.length; j++) {
      const typedLetter = x.letters[j]!;
      const knownLetter = y.letters[j]!;
      if (typedLetter === knownLetter) continue;
      // A letter typed without its mark stands for the marked one; a letter with another mark is another letter.
      if (typedLetter !== bare(knownLetter)) return null;
      exact = false;
    }
  }
  return exact ? 'exact' : 'loose';
}

/**
 * The language data answers are read with (REFERENCE.md, "Texting shorthand"; locales/<lng>/common.json
 * "answerWords", every language's merged by src/i18n): whole-word shorthand ("ko" → "không", "dc" → "được"), and the
 * politeness particles set aside at the end ("ạ", "nhé") and at the start ("dạ", "thưa") of an answer when something
 * else remains. Only for matching answers and commands; what a member types is stored as she typed it.
 */
export interface AnswerWords {
  shorthand: Readonly<Record<string, string>>;
  trailingParticles: readonly string[];
  leadingParticles: readonly string[];
}

const isParticle = (word: string, list: readonly string[]) => list.some((p) => compareWords(word, p) !== null);

/**
 * What an answer says once its courtesy is set aside: normalised (normalizeWords), shorthand expanded, politeness
 * particles dropped while something else remains (`words`: AnswerWords). "Dạ vâng ạ" → "vâng", "ko co a" → "không
 * có", "hộ nghèo ạ" → "hộ nghèo". Diacritics are kept, so the result can still be compared with compareWords.
 */
export function answerPhrase(input: string, words: AnswerWords): string {
  const read = normalizeWords(input)
    .split(' ')
    .filter((w) => w !== '')
    .flatMap((w) => (Object.hasOwn(words.shorthand, w) ? words.shorthand[w]! : w).split(' '));
  while (read.length > 1 && isParticle(read.at(-1)!, words.trailingParticles)) read.pop();
  while (read.length > 1 && isParticle(read[0]!, words.leadingParticles)) read.shift();
  return read.join(' ');
}

/**
 * The best relation between a typed answer and any of the known phrases (each compared as answerPhrase, with
 * `words`): 'exact' beats 'loose'; null when none is compatible.
 */
export function matchPhrase(typed: string, known: readonly string[], words: AnswerWords): 'exact' | 'loose' | null {
  const phrase = answerPhrase(typed, words);
  let best: 'exact' | 'loose' | null = null;
  for (const k of known) {
    const m = compareWords(phrase, answerPhrase(k, words));
    if (m === 'exact') return 'exact';
    if (m === 'loose') best = 'loose';
  }
  return best;
}

/**
 * Text as it may be stored and matched: Unicode NFC (a keyboard may send "ộ" as o + two combining marks) and without
 * control characters other than tab, line feed and carriage return. NUL in particular: PostgreSQL refuses it in text
 * ("invalid byte sequence for encoding UTF8: 0x00"), so a message carrying one would fail the whole turn; the others
 * are invisible and only ever noise from a buggy client or a fuzzer.
 */
export function cleanText(input: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return input.normalize('NFC').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}
