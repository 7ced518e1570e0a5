// Amounts of money as members type them: "30 triệu", "30tr", "30trieu", "30 củ", "30.000.000", "30,000,000",
// "30 000 000", "30000000đ", "1,5 tỷ", "1.5 ty", "1 tỷ 2", "30tr5", "2 triệu rưỡi", "1 tỷ 200 triệu", "500 nghìn",
// "500k", "30 million", "3 chục triệu", "ba chục triệu", "hai mươi lăm triệu", "2 trăm triệu", "nửa tỷ". With or without
// diacritics, with words around ("khoảng 30 triệu ạ").
//
// Reading rules:
// - Vietnamese number words and the multipliers chục (×10), mươi (tens), trăm (×100) make a number: "ba chục" = 30,
//   "3 chục" = 30, "hai mươi lăm" = 25, "hai lăm" = 25, "một trăm linh năm" = 105, "2 trăm 50" = 250, "nửa" = 0.5.
//   Words that are also ordinary words ("năm" = year, "ba", "sáu", "tư", "một") count as numbers only with a multiplier
//   or right before a unit ("năm triệu"), or right after one as its decimals ("một tỷ hai"); after a vague word ("vài
//   chục triệu", "mấy trăm nghìn") nothing is a number.
// - A number followed by a unit (nghìn/ngàn/k, triệu/tr/củ, tỷ/tỉ, thousand/million/billion) is multiplied by it;
//   several of them in decreasing order add up ("1 tỷ 200 triệu"); "rưỡi" adds half a unit ("2 triệu rưỡi").
// - Digits right after a unit, with nothing after them, are its decimals: "30tr5" = 30.5 million, "1 tỷ 25" = 1.25
//   billion (how people say it), but "30 triệu 5 năm" is 30 million (the 5 belongs to "năm").
// - Separators: "." or "," followed by groups of exactly 3 digits group thousands ("30.000.000", "1,500 triệu");
//   otherwise one "." or "," is the decimal point ("1,5 tỷ", "1.5 ty"). "30.000.000,5"-style mixes are understood.
// - A number without a unit is VND when it is at least 1,000 ("30000000"); a smaller one ("30") is refused as
//   `no_unit` with `guess` = that many million, so that the flow can ask "30 triệu?".
// - Numbers with units win over bare numbers ("vay 30 triệu trong 2 năm" = 30 million); two amounts with units, or a
//   range ("20-30 triệu", "20 đến 30 triệu"), are refused: the member should say one amount.

export type AmountFailure =
  /** Nothing but spaces. */
  | 'empty'
  /** No digits ("ba mươi triệu", "không biết"). */
  | 'no_number'
  /** A small number without a unit ("30"): see `guess`. */
  | 'no_unit'
  /** Two amounts ("20 triệu hoặc 30 triệu"). */
  | 'several_amounts'
  /** A range ("20-30 triệu"). */
  | 'range'
  /** Zero or negative. */
  | 'not_positive'
  /** Over 1,000 billion VND: certainly a typo. */
  | 'too_large'
  /** Digits that are not a number ("1.2.3", "30.00.000"). */
  | 'malformed';

export type AmountParse =
  | { ok: true; vnd: number }
  | {
      ok: false;
      reason: AmountFailure;
      /** For `no_unit`: the amount if the number was meant in millions. */
      guess?: number;
    };

/** Larger than any loan: a typo. */
export const MAX_AMOUNT_VND = 1_000_000_000_000;

const UNITS: Record<string, number> = {
  k: 1_000,
  nghin: 1_000,
  ngan: 1_000,
  thousand: 1_000,
  thousands: 1_000,
  tr: 1_000_000,
  trieu: 1_000_000,
  cu: 1_000_000,
  million: 1_000_000,
  millions: 1_000_000,
  mil: 1_000_000,
  ty: 1_000_000_000,
  ti: 1_000_000_000,
  billion: 1_000_000_000,
  billions: 1_000_000_000,
  bn: 1_000_000_000,
};
/** Words that say "VND" without multiplying. */
const CURRENCY = new Set(['d', 'dong', 'vnd', 'vnđ']);
const HALF = 'ruoi';
/** Vietnamese digit words, folded ("mốt" = 1 and "tư" = 4, "lăm" = 5 after tens; "nửa" = half). */
const DIGIT_WORDS: Record<string, number> = {
  mot: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  lam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
};
const HALF_WORD = 'nua';
/** mươi / mười (folded alike): tens after a digit, ten on its own. chục: ×10, or ten on its own. */
const TENS = new Set(['muoi', 'chuc']);
const HUNDREDS = 'tram';
/** "một trăm linh năm": no tens. */
const NO_TENS = new Set(['linh', 'le']);
/** Words that make the number after them vague: "vài chục triệu", "mấy trăm nghìn", "hàng chục triệu". */
const VAGUE = new Set(['vai', 'may', 'it', 'hang', 'bao', 'nhieu']);
/** Between two numbers: a range. */
const RANGE_WORDS = new Set(['den', 'toi', 'hoac', 'to', 'or', '-', '~']);
/** Polite endings that may follow decimals after a unit ("30tr5 ạ"). */
const ENDINGS = new Set(['a', 'nhe', 'nha', 'thoi', 'nhi', 'ak', 'ah']);

type Token =
  | { kind: 'number'; raw: string; start: number; value?: Decimal }
  | { kind: 'word'; word: string }
  | { kind: 'mark'; mark: string };

const TOKEN = /(\d{1,3}(?: \d{3})+(?![\d.,])|\d+(?:[.,]\d+)*)|([a-z]+)|([-~.,;:/()])/g;

function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\u2013\u2014\u2212]/g, '-');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of normalise(text).matchAll(TOKEN)) {
    if (m[1] !== undefined) tokens.push({ kind: 'number', raw: m[1], start: m.index });
    else if (m[2] !== undefined) tokens.push({ kind: 'word', word: m[2] });
    else tokens.push({ kind: 'mark', mark: m[3]! });
  }
  return numberWords(tokens);
}

type RunItem = { digit: number } | { word: 'tens' | 'hundreds' | 'noTens' };

/** One token of a spelled-out number: a digit word, a multiplier, or (first, or after trăm) a whole number. */
function runItem(token: Token | undefined, first: boolean, afterHundreds: boolean): RunItem | null {
  if (token === undefined) return null;
  if (token.kind === 'number') {
    if (!(first || afterHundreds) || !/^\d{1,3}$/.test(token.raw)) return null;
    return { digit: Number(token.raw) };
  }
  if (token.kind !== 'word') return null;
  if (token.word in DIGIT_WORDS) return { digit: DIGIT_WORDS[token.word]! };
  if (TENS.has(token.word)) return { word: 'tens' };
  if (token.word === HUNDREDS) return { word: 'hundreds' };
  if (NO_TENS.has(token.word)) return { word: 'noTens' };
  return null;
}

/**
 * The value of a spelled-out number below 1,000 ("hai trăm năm mươi", "ba chục", "3 chục", "hai lăm"), or null when
 * the items are not one number.
 */
function runValue(items: readonly RunItem[]): number | null {
  let i = 0;
  let total = 0;
  const digitAt = (k: number) => {
    const item = items[k];
    return item !== undefined && 'digit' in item ? item.digit : null;
  };
  const wordAt = (k: number) => {
    const item = items[k];
    return item !== undefined && 'word' in item ? item.word : null;
  };
  let hundreds = false;
  if (digitAt(0) !== null && wordAt(1) === 'hundreds') {
    total += digitAt(0)! * 100;
    i = 2;
    hundreds = true;
  } else if (wordAt(0) === 'hundreds') {
    total += 100;
    i = 1;
    hundreds = true;
  }
  if (hundreds && wordAt(i) === 'noTens' && digitAt(i + 1) !== null && digitAt(i + 1)! < 10) {
    return i + 2 === items.length ? total + digitAt(i + 1)! : null;
  }
  const d = digitAt(i);
  if (d !== null && wordAt(i + 1) === 'tens' && d < 10) {
    total += d * 10;
    i += 2;
    if (digitAt(i) !== null && digitAt(i)! < 10) total += digitAt(i++)!;
  } else if (wordAt(i) === 'tens') {
    total += 10;
    i += 1;
    if (digitAt(i) !== null && digitAt(i)! < 10) total += digitAt(i++)!;
  } else if (d !== null) {
    if (hundreds && d >= 10 && d < 100)
      total += d; // "2 trăm 50"
    else if (hundreds && d < 10)
      total += d * 10; // "hai trăm năm" = 250
    else if (!hundreds && d < 10 && digitAt(i + 1) !== null && digitAt(i + 1)! < 10) {
      total += d * 10 + digitAt(i + 1)!; // "hai lăm" = 25
      i += 1;
    } else if (!hundreds) total += d;
    else return null;
    i += 1;
  }
  return i === items.length && i > 0 ? total : null;
}

/** Replaces spelled-out numbers ("ba chục", "3 chục", "hai mươi lăm", "nửa") by number tokens; see the rules above. */
function numberWords(tokens: Token[]): Token[] {
  const out: Token[] = [];
  const isUnit = (t: Token | undefined) => t?.kind === 'word' && t.word in UNITS;
  const isEnd = (t: Token | undefined) =>
    t === undefined ||
    (t.kind === 'word' && (CURRENCY.has(t.word) || ENDINGS.has(t.word))) ||
    (t.kind === 'mark' && /^[.,;:()]$/.test(t.mark));
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const before = out[out.length - 1];
    const vague = before?.kind === 'word' && VAGUE.has(before.word);
    if (token.kind === 'word' && token.word === HALF_WORD && isUnit(tokens[i + 1]) && !vague) {
      out.push({ kind: 'number', raw: '0.5', start: -1, value: { digits: 5, scale: 1 } });
      continue;
    }
    const items: RunItem[] = [];
    let j = i;
    for (;;) {
      const last = items[items.length - 1];
      const item = runItem(
        tokens[j],
        items.length === 0,
        last !== undefined && 'word' in last && last.word === 'hundreds',
      );
      if (item === null) break;
      items.push(item);
      j++;
    }
    const multiplied = items.some((it) => 'word' in it && it.word !== 'noTens');
    const wordsOnly = items.every((it, k) => !('digit' in it) || tokens[i + k]!.kind === 'word');
    // Digit words alone are ordinary words unless a unit follows ("năm triệu"), they are a unit's decimals ("một tỷ
    // hai"), or they start a range ("hai đến ba triệu").
    const next = tokens[j];
    const rangeFollows =
      next?.kind === 'word' &&
      RANGE_WORDS.has(next.word) &&
      (tokens[j + 1]?.kind === 'number' || runItem(tokens[j + 1], true, false) !== null);
    const asNumber =
      items.length > 0 &&
      !vague &&
      (multiplied || (wordsOnly && (isUnit(next) || rangeFollows || (isUnit(tokens[i - 1]) && isEnd(next)))));
    const value = asNumber ? runValue(items) : null;
    if (value === null || (items.length === 1 && token.kind === 'number')) {
      out.push(token);
      continue;
    }
    out.push({ kind: 'number', raw: String(value), start: -1, value: { digits: value, scale: 0 } });
    i = j - 1;
  }
  return out;
}

/** A number as digits and a power of ten: "1,5" → 15 / 10. null when malformed. */
interface Decimal {
  digits: number;
  scale: number;
}

function readToken(token: Extract<Token, { kind: 'number' }>): Decimal | null {
  return token.value ?? readNumber(token.raw);
}

function readNumber(raw: string): Decimal | null {
  if (raw.includes(' ')) return { digits: Number(raw.replaceAll(' ', '')), scale: 0 };
  const parts = raw.split(/([.,])/);
  const groups = parts.filter((_, i) => i % 2 === 0);
  const seps = parts.filter((_, i) => i % 2 === 1);
  if (seps.length === 0) return { digits: Number(raw), scale: 0 };
  const grouped = (gs: string[]) => gs[0]!.length <= 3 && gs.slice(1).every((g) => g.length === 3);
  const sameSeps = seps.every((s) => s === seps[0]);
  if (sameSeps && grouped(groups)) return { digits: Number(groups.join('')), scale: 0 };
  if (seps.length === 1) return { digits: Number(groups.join('')), scale: groups[1]!.length };
  // "30.000.000,5" / "30,000,000.5": grouping, then one decimal separator of the other kind.
  const last = seps[seps.length - 1]!;
  const before = seps.slice(0, -1);
  if (before.every((s) => s !== last && s === before[0]) && grouped(groups.slice(0, -1))) {
    const fraction = groups[groups.length - 1]!;
    return { digits: Number(groups.join('')), scale: fraction.length };
  }
  return null;
}

interface Expression {
  /** Not rounded yet ("1.5" stays 1.5 until it is known whether it has a unit). */
  vnd: number;
  hasUnit: boolean;
  negative: boolean;
  malformed: boolean;
}

/** Reads text typed as an amount of money. Pure. */
export function parseAmount(text: string): AmountParse {
  const read = readAmount(text);
  return read.ok ? { ok: true, vnd: read.vnd } : read;
}

/** parseAmount, saying also whether the amount had a unit ("30 triệu", "50k", "30.000.000đ") or was a bare number. */
function readAmount(text: string): { ok: true; vnd: number; hasUnit: boolean } | Extract<AmountParse, { ok: false }> {
  if (text.trim() === '') return { ok: false, reason: 'empty' };
  const tokens = tokenize(text);
  if (!tokens.some((t) => t.kind === 'number')) return { ok: false, reason: 'no_number' };

  const expressions: Expression[] = [];
  let range = false;
  const unitAt = (i: number): number | undefined => {
    const t = tokens[i];
    return t?.kind === 'word' ? UNITS[t.word] : undefined;
  };
  const wordAt = (i: number): string | undefined => {
    const t = tokens[i];
    return t?.kind === 'word' ? t.word : t?.kind === 'mark' ? t.mark : undefined;
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'number') continue;
    const previous = tokens[i - 1];
    const negative = previous?.kind === 'mark' && previous.mark === '-' && tokens[i - 2]?.kind !== 'number';
    let number = readToken(token);
    let malformed = number === null;
    let vnd: number;
    let hasUnit = false;
    let j = i + 1;
    let unit = unitAt(j);
    if (unit !== undefined) {
      j++;
      hasUnit = true;
      vnd = number ? scaled(number, unit) : 0;
      // More parts: "1 tỷ 200 triệu", "30tr5", "2 triệu rưỡi".
      for (;;) {
        if (wordAt(j) === HALF) {
          vnd += unit / 2;
          j++;
          break;
        }
        const next = tokens[j];
        if (next?.kind !== 'number') break;
        const smaller = unitAt(j + 1);
        if (smaller !== undefined && smaller < unit) {
          number = readToken(next);
          malformed ||= number === null;
          vnd += number ? scaled(number, smaller) : 0;
          unit = smaller;
          j += 2;
          continue;
        }
        const after = wordAt(j + 1);
        const ends = after === undefined || CURRENCY.has(after) || ENDINGS.has(after) || /^[.,;:()]$/.test(after);
        if (/^\d{1,3}$/.test(next.raw) && unit >= 1_000 && ends) {
          vnd += scaled({ digits: Number(next.raw), scale: next.raw.length }, unit);
          j++;
        }
        break;
      }
      if (CURRENCY.has(wordAt(j) ?? '')) j++;
    } else {
      vnd = number ? scaled(number, 1) : 0;
      if (CURRENCY.has(wordAt(j) ?? '')) {
        hasUnit = true;
        j++;
      }
    }
    // "20-30 triệu", "20 đến 30 triệu", "20 triệu hoặc 30 triệu".
    if (RANGE_WORDS.has(wordAt(j) ?? '') && tokens[j + 1]?.kind === 'number') range = true;
    expressions.push({ vnd, hasUnit, negative, malformed });
    i = j - 1;
  }

  if (range) return { ok: false, reason: 'range' };
  const withUnit = expressions.filter((e) => e.hasUnit);
  const candidates = withUnit.length > 0 ? withUnit : expressions;
  if (candidates.length > 1) return { ok: false, reason: 'several_amounts' };
  const amount = candidates[0]!;
  if (amount.malformed) return { ok: false, reason: 'malformed' };
  const vnd = Math.round(amount.vnd);
  if (amount.negative || vnd <= 0) return { ok: false, reason: 'not_positive' };
  if (vnd > MAX_AMOUNT_VND) return { ok: false, reason: 'too_large' };
  if (!amount.hasUnit && amount.vnd < 1_000) {
    return { ok: false, reason: 'no_unit', guess: Math.round(amount.vnd * 1_000_000) };
  }
  return { ok: true, vnd, hasUnit: amount.hasUnit };
}

/**
 * Below this, an amount is implausible for a loan and is confirmed first: "1000" or "50k" are more likely a slip (or
 * thousands) than a loan of 1,000 or 50,000 đồng. Not a rule of any programme: a reading check.
 */
export const PLAUSIBLE_LOAN_MIN_VND = 1_000_000;

/**
 * How the flow takes a typed loan amount (VND):
 * - ok: use it.
 * - confirm `vnd`, `why` "no_unit": a small bare number read in millions ("30" → "30 triệu?"); "small": an amount
 *   with a unit below PLAUSIBLE_LOAN_MIN_VND ("50k" → "only 50.000 đồng?").
 * - pick: a bare number from 1,000 up to PLAUSIBLE_LOAN_MIN_VND ("3000"): thousands of đồng (×1,000) or as typed,
 *   the likelier first.
 * - invalid: parseAmount's failure.
 */
export type LoanAmountReading =
  | { kind: 'ok'; vnd: number }
  | { kind: 'confirm'; vnd: number; why: 'no_unit' | 'small' }
  | { kind: 'pick'; options: [likely: number, literal: number] }
  | { kind: 'invalid'; reason: AmountFailure };

/** Reads a loan amount as typed (see LoanAmountReading). Pure. */
export function readLoanAmount(text: string): LoanAmountReading {
  const read = readAmount(text);
  if (!read.ok) {
    return read.reason === 'no_unit' && read.guess
      ? { kind: 'confirm', vnd: read.guess, why: 'no_unit' }
      : { kind: 'invalid', reason: read.reason };
  }
  if (read.vnd >= PLAUSIBLE_LOAN_MIN_VND) return { kind: 'ok', vnd: read.vnd };
  if (read.hasUnit) return { kind: 'confirm', vnd: read.vnd, why: 'small' };
  return { kind: 'pick', options: [read.vnd * 1_000, read.vnd] };
}

function scaled(n: Decimal, unit: number): number {
  return (n.digits * unit) / 10 ** n.scale;
}
