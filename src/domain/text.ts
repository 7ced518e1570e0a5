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

/** A letter without its marks: "ư" → "u", "đ" → "d". */
const bare = (letter: string): string => fold(letter) || letter;

/**
 * How a typed word or phrase relates to a known one: 'exact' (same letters and marks, tone placement aside),
 * 'loose' (the member left out some or all marks: "dung" for "đúng"), or null (different words, "đúng" vs "dừng").
 * Both sides are normalised first (normalizeWords).
 */
export function compareWords(typed: string, known: string): 'exact' | 'loose' | null {
  const a = normalizeWords(typed).split(' ');
  const b = normalizeWords(known).split(' ');
  if (a.length !== b.length) return null;
  let exact = true;
  for (let i = 0; i < a.length; i++) {
    const x = syllable(a[i]!);
    const y = syllable(b[i]!);
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
 * Texting shorthand for the words that answer questions (REFERENCE.md, "Texting shorthand"), whole words only: "ko co"
 * → "không có". Only for matching answers and commands; what a member types is stored as she typed it.
 */
const SHORTHAND: Readonly<Record<string, string>> = {
  ko: 'không',
  k: 'không',
  kh: 'không',
  kg: 'không',
  khg: 'không',
  hok: 'không',
  hong: 'không',
  hem: 'không',
  dc: 'được',
  đc: 'được',
  dk: 'được',
  đk: 'được',
  r: 'rồi',
  uh: 'ừ',
  uk: 'ừ',
  um: 'ừ',
  uhm: 'ừ',
  ừm: 'ừ',
  ờ: 'ừ',
  ừa: 'ừ',
  vg: 'vâng',
  oke: 'ok',
  okie: 'ok',
  oki: 'ok',
  okay: 'ok',
  okela: 'ok',
  j: 'gì',
  cb: 'cán bộ',
  sp: 'sản phẩm',
  sdt: 'số điện thoại',
  sđt: 'số điện thoại',
};

/** Politeness particles that carry no meaning for matching (REFERENCE.md): dropped at the end of an answer… */
const TRAILING_PARTICLES = ['ạ', 'à', 'nhé', 'nhe', 'nha', 'nhá', 'ơi', 'nhỉ', 'luôn', 'hen'];
/** …and at its start, when more words follow ("dạ không" is "không"; "dạ" alone still means yes). */
const LEADING_PARTICLES = ['dạ', 'thưa', 'vâng ạ'];

const isParticle = (word: string, list: readonly string[]) => list.some((p) => compareWords(word, p) !== null);

/**
 * What an answer says once its courtesy is set aside: normalised (normalizeWords), shorthand expanded, politeness
 * particles dropped while something else remains. "Dạ vâng ạ" → "vâng", "ko co a" → "không có", "hộ nghèo ạ" →
 * "hộ nghèo". Diacritics are kept, so the result can still be compared with compareWords.
 */
export function answerPhrase(input: string): string {
  const words = normalizeWords(input)
    .split(' ')
    .filter((w) => w !== '')
    .flatMap((w) => (SHORTHAND[w] ?? w).split(' '));
  while (words.length > 1 && isParticle(words.at(-1)!, TRAILING_PARTICLES)) words.pop();
  while (words.length > 1 && isParticle(words[0]!, LEADING_PARTICLES)) words.shift();
  return words.join(' ');
}

/**
 * The best relation between a typed answer and any of the known phrases (each compared as answerPhrase): 'exact'
 * beats 'loose'; null when none is compatible.
 */
export function matchPhrase(typed: string, known: readonly string[]): 'exact' | 'loose' | null {
  const phrase = answerPhrase(typed);
  let best: 'exact' | 'loose' | null = null;
  for (const k of known) {
    const m = compareWords(phrase, answerPhrase(k));
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
