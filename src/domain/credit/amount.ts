// Amounts of money as members type them: "30 triệu", "30tr", "30trieu", "30 củ", "30.000.000", "30,000,000",
// "30 000 000", "30000000đ", "1,5 tỷ", "1.5 ty", "1 tỷ 2", "30tr5", "2 triệu rưỡi", "1 tỷ 200 triệu", "500 nghìn",
// "500k", "30 million". With or without diacritics, with words around ("khoảng 30 triệu ạ").
//
// Reading rules:
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
const HUNDRED = 'tram';
const HALF = 'ruoi';
/** Between two numbers: a range. */
const RANGE_WORDS = new Set(['den', 'toi', 'hoac', 'to', 'or', '-', '~']);
/** Polite endings that may follow decimals after a unit ("30tr5 ạ"). */
const ENDINGS = new Set(['a', 'nhe', 'nha', 'thoi', 'nhi', 'ak', 'ah']);

type Token =
  { kind: 'number'; raw: string; start: number } | { kind: 'word'; word: string } | { kind: 'mark'; mark: string };

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
  return tokens;
}

/** A number as digits and a power of ten: "1,5" → 15 / 10. null when malformed. */
interface Decimal {
  digits: number;
  scale: number;
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
    let number = readNumber(token.raw);
    let malformed = number === null;
    let vnd: number;
    let hasUnit = false;
    let j = i + 1;
    let unit = unitAt(j) ?? (wordAt(j) === HUNDRED ? unitAt(j + 1) : undefined);
    if (unit !== undefined) {
      if (wordAt(j) === HUNDRED) {
        unit *= 100;
        j++;
      }
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
          number = readNumber(next.raw);
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
  return { ok: true, vnd };
}

function scaled(n: Decimal, unit: number): number {
  return (n.digits * unit) / 10 ** n.scale;
}
