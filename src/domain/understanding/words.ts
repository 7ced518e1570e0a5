// The words of a message as the intent matcher reads them: folded (no diacritics, đ → d, lower case, NFC/NFD and
// old/new tone placement alike, since marks are dropped), texting shorthand expanded ("ko" → "khong", "dc" →
// "duoc", "e" → "em"), filler words dropped, and a word unknown to the examples corrected when it is one edit away
// from a known one (in words of MIN_TYPO_LENGTH letters or more: "vayy", "dien thaoi").
//
// The tables (shorthand, filler words) are language data: they live in locales/<lng>/common.json
// ("understanding"), read by src/i18n and handed in as a Lexicon.
import { fold } from '../text.ts';

/** Language data the matcher reads words with (all keys and values are folded when the lexicon is built). */
export interface Lexicon {
  /** Whole-word shorthand → what it stands for ("ko" → "không", "bn" → "bao nhiêu"). */
  shorthand: Readonly<Record<string, string>>;
  /** Words that carry no intent (politeness particles, "ơi", "please"): dropped before matching. */
  filler: readonly string[];
  /**
   * Phrase → the one word it is read as ("làm bánh" → "tennghe"): names of one kind (trades) that every intent about
   * that kind of thing uses alike, so they say "a trade" and not which intent — "hủy lớp làm bánh" is a cancellation
   * however many browsing examples name "làm bánh".
   */
  slots?: Readonly<Record<string, string>>;
  /**
   * Shorthand read so only right after a number ("50 củ" → "50 triệu"): elsewhere the word is itself ("củ gừng", a
   * root; "tên cũ", folded alike).
   */
  afterNumber?: Readonly<Record<string, string>>;
}

/** Words shorter than this are never corrected: "vay"/"vai", "em"/"en" are different words, not typos. */
export const MIN_TYPO_LENGTH = 4;

export interface FoldedLexicon {
  shorthand: ReadonlyMap<string, string[]>;
  filler: ReadonlySet<string>;
  /** Slot phrases (folded words), longest first, with the word each is read as. */
  slots: readonly { words: string[]; as: string }[];
  /** Shorthand after a number only (Lexicon.afterNumber), folded. */
  afterNumber: ReadonlyMap<string, string[]>;
}

/** Folds every entry of a lexicon once (keys and values), so reading a message only looks words up. */
export function foldLexicon(lexicon: Lexicon): FoldedLexicon {
  const table = (entries: Readonly<Record<string, string>>): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const [short, long] of Object.entries(entries)) {
      const key = fold(short);
      const value = fold(long).split(' ').filter(Boolean);
      if (key !== '' && !key.includes(' ') && value.length > 0) out.set(key, value);
    }
    return out;
  };
  const shorthand = table(lexicon.shorthand);
  const slots = Object.entries(lexicon.slots ?? {})
    .map(([phrase, as]) => ({ words: fold(phrase).split(' ').filter(Boolean), as: fold(as) }))
    .filter((s) => s.words.length > 0 && s.as !== '' && !s.as.includes(' '))
    .sort((a, b) => b.words.length - a.words.length);
  return {
    shorthand,
    filler: new Set(lexicon.filler.map(fold).filter((w) => w !== '' && !w.includes(' '))),
    slots,
    afterNumber: table(lexicon.afterNumber ?? {}),
  };
}

/** The words with every slot phrase replaced by its word, longest phrase first, left to right. */
function fillSlots(words: readonly string[], slots: FoldedLexicon['slots']): string[] {
  if (slots.length === 0) return [...words];
  const out: string[] = [];
  for (let i = 0; i < words.length;) {
    const slot = slots.find((s) => s.words.every((w, j) => words[i + j] === w));
    out.push(slot ? slot.as : words[i]!);
    i += slot ? slot.words.length : 1;
  }
  return out;
}

/**
 * A message's words for matching: folded, shorthand expanded, slot phrases read as their word, filler dropped (unless
 * nothing else is left).
 * "Cho e hỏi vay vốn đc ko ạ" → ["cho", "em", "hoi", "vay", "von", "duoc", "khong"].
 */
export function readWords(input: string, lexicon: FoldedLexicon): string[] {
  // Digits glued to words are split off: "30tr" → "30 tr", "vay50" → "vay 50".
  const spaced = input.replace(/(\d)(\p{L})/gu, '$1 $2').replace(/(\p{L})(\d)/gu, '$1 $2');
  const words = fillSlots(
    fold(spaced)
      .split(' ')
      .filter((w) => w !== '')
      .flatMap(
        (w, i, all) =>
          (i > 0 && /^\d/.test(all[i - 1]!) ? lexicon.afterNumber.get(w) : undefined) ??
          lexicon.shorthand.get(w) ?? [w],
      ),
    lexicon.slots,
  );
  const kept = words.filter((w) => !lexicon.filler.has(w));
  return kept.length > 0 ? kept : words;
}

/** The single-deletion variants of a word, and the word itself (symmetric-delete index: one edit ⇔ shared key). */
export function deletions(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Optimal-string-alignment distance, capped: returns limit + 1 as soon as it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = 1): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
  }
  return rows[a.length]![b.length]!;
}

/**
 * A word typed in Telex whose marks came out as letters ("hocj" → "hoc", "ddaang" → "dang", "dduwowcj" → "duoc",
 * "lowps" → "lop"): doubled vowels and "dd", "w" after a vowel, and a final tone key (s f r x j) dropped. Only used for
 * a word the examples do not know, and kept only when what it gives is known ("news" stays "news").
 */
export function untelex(word: string): string {
  const marks = word
    .replace(/dd/g, 'd')
    .replace(/([aeo])\1/g, '$1')
    .replace(/([aou])w/g, '$1')
    .replace(/w/g, 'u');
  return /^[a-z]{2,}[sfrxj]$/.test(marks) ? marks.slice(0, -1) : marks;
}

/**
 * The known words, with a way to correct a word that is one edit (a letter left out, added, changed or two
 * swapped) away from exactly one best known word. Built once from the examples.
 */
export class Vocabulary {
  private readonly index = new Map<string, string[]>();

  constructor(private readonly counts: ReadonlyMap<string, number>) {
    for (const word of counts.keys()) {
      if (word.length < MIN_TYPO_LENGTH - 1) continue;
      for (const key of deletions(word)) {
        const list = this.index.get(key);
        if (list) list.push(word);
        else this.index.set(key, [word]);
      }
    }
  }

  has(word: string): boolean {
    return this.counts.has(word);
  }

  /**
   * The word as known: itself when known or a number; its Telex reading when that is known ("hocj" → "hoc"); itself
   * when too short to correct; else the most frequent known word one edit away; else itself (a word the examples never used, which then matches nothing).
   */
  correct(word: string): string {
    if (this.counts.has(word) || /\d/.test(word)) return word;
    const typed = untelex(word);
    if (this.counts.has(typed)) return typed;
    if (word.length < MIN_TYPO_LENGTH) return word;
    let best: string | null = null;
    let bestCount = 0;
    for (const key of deletions(word)) {
      for (const candidate of this.index.get(key) ?? []) {
        if (candidate.length < MIN_TYPO_LENGTH - 1) continue;
        const count = this.counts.get(candidate) ?? 0;
        if (count <= bestCount || editDistance(word, candidate) > 1) continue;
        best = candidate;
        bestCount = count;
      }
    }
    return best ?? word;
  }
}

/**
 * The phrases' words (readWords), read once per list and lexicon: the lists are the locales' fixed intent words,
 * asked for on every typed message (a quarter of reading a message's intent was re-reading them).
 */
const phrasesReadCache = new WeakMap<FoldedLexicon, WeakMap<readonly string[], string[][]>>();
function phrasesRead(phrases: readonly string[], lexicon: FoldedLexicon): string[][] {
  let byList = phrasesReadCache.get(lexicon);
  if (byList === undefined) phrasesReadCache.set(lexicon, (byList = new WeakMap()));
  let read = byList.get(phrases);
  if (read === undefined) byList.set(phrases, (read = phrases.map((p) => readWords(p, lexicon))));
  return read;
}

/**
 * Whether a message names one of the phrases (folded word sequences, readWords), each as whole consecutive words:
 * "xóa hết dữ liệu" names "dữ liệu"; "xóa tên cũ" names none of the objects delete-all needs.
 */
export function namesOneOf(input: string, phrases: readonly string[], lexicon: FoldedLexicon): boolean {
  const words = readWords(input, lexicon);
  return phrasesRead(phrases, lexicon).some(
    (o) => o.length > 0 && words.some((_, i) => o.every((w, j) => words[i + j] === w)),
  );
}
