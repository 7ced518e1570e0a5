// Quick questions typed freely ("lãi suất hộ nghèo bao nhiêu", "vay nuoc sach duoc bao nhieu", "lai suat vay sinh
// vien", "student loan interest rate"): which programme(s), which figure, and the figures in force on the date. The
// words matched are in the data file (each programme's names, aliases and keywords; the figure words; the loan words),
// compared after fold() (no diacritics, lower case, punctuation dropped), on whole words.
//
// When several keywords overlap, the longest wins: "cận nghèo" is the near-poor programme, not the poor one, and
// "near poor households" is not "poor households".
//
// The answer is null (not a quick question) unless: a programme is named together with a figure or a loan word
// ("vay nước sạch"); or a figure is asked without a programme and the question is about loans ("lãi suất bao
// nhiêu" — the rate is a loan word in itself; "vay được bao lâu"): then every programme is listed. A detail word
// ("chi tiết lãi suất", "chi tiết thời hạn") asks for the full detail of every programme rather than the short list
// (and makes a figure a question about loans).
import { fold } from '../text.ts';
import type { I18nText } from './conditions.ts';
import type { AmountUnit, ProgrammeData, Words } from './programmes.ts';
import { ratesFor, type PossibleRate, type RateInForce } from './rates.ts';
import { toIsoDate } from './evaluate.ts';

export const FIGURES = ['rate', 'maxAmount', 'term'] as const;
export type Figure = (typeof FIGURES)[number];

export interface QuickProgrammeAnswer {
  id: string;
  names: I18nText;
  /** For short lists and buttons (the name when the data has no short name). */
  shortNames: I18nText;
  forWhom: I18nText;
  maxAmount: { amount: number; unit: AmountUnit; maxTotal: number | null; confirmed: boolean; note: I18nText | null };
  /** The standard rate in force on the date (overrides for the whole province applied); null when not in the data. */
  rate: RateInForce | null;
  /** Lower rates for some borrowers (priority tier, an override for some areas or some borrowers). */
  otherRates: PossibleRate[];
  term: { maxMonths: number | null; confirmed: boolean; note: I18nText | null };
  legalBasis: string;
  source: string;
  confirmed: boolean;
}

export interface QuickAnswer {
  /** The figures asked about, in FIGURES order; empty when she named a programme without a figure (an overview). */
  asked: Figure[];
  /** true when no programme was named: every programme is listed. */
  allProgrammes: boolean;
  /** She asked for the detail ("chi tiết lãi suất"), or a "see more" button did. */
  detailed: boolean;
  /** The programmes named (in data order), or all of them. */
  programmes: QuickProgrammeAnswer[];
  date: string;
  dataVersion: string;
  disclaimer: I18nText;
}

interface Span {
  start: number;
  end: number;
  key: string;
}

/** Whole-word occurrences of the phrases in the folded text, longest first and never overlapping. */
function findPhrases(text: string, phrases: readonly { phrase: string; key: string }[]): Span[] {
  const padded = ` ${text} `;
  const found: Span[] = [];
  for (const { phrase, key } of phrases) {
    if (phrase === '') continue;
    for (let at = padded.indexOf(` ${phrase} `); at !== -1; at = padded.indexOf(` ${phrase} `, at + 1)) {
      found.push({ start: at + 1, end: at + 1 + phrase.length, key });
    }
  }
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Span[] = [];
  for (const span of found) {
    if (kept.every((k) => span.end <= k.start || span.start >= k.end)) kept.push(span);
  }
  return kept;
}

const phrasesOf = (words: Words, key: string) => [...words.vi, ...words.en].map((w) => ({ phrase: fold(w), key }));

/**
 * Reads a free question about loan figures; null when it is not one. `date`: the day whose figures are given (ISO, or
 * a Date read in the default zone: callers pass `localIsoDate(now, timeZone)`); `communeCode`: the member's commune
 * when known (area overrides then apply).
 */
export function answerQuickQuestion(
  text: string,
  date: string | Date,
  data: ProgrammeData,
  communeCode: string | null = null,
): QuickAnswer | null {
  const folded = fold(text);
  if (folded === '') return null;
  const day = toIsoDate(date);

  const programmeSpans = findPhrases(
    folded,
    data.programmes.flatMap((p) => [
      ...phrasesOf({ vi: [p.names.vi], en: [p.names.en] }, p.id),
      ...phrasesOf(p.aliases, p.id),
      ...phrasesOf(p.keywords, p.id),
    ]),
  );
  const named = new Set(programmeSpans.map((s) => s.key));

  const figures = data.quickQuestions.figures;
  const strong = new Set(
    findPhrases(
      folded,
      FIGURES.flatMap((f) => phrasesOf(figures[f].keywords, f)),
    ).map((s) => s.key),
  );
  const weak = new Set(
    findPhrases(
      folded,
      FIGURES.flatMap((f) => phrasesOf(figures[f].weakKeywords, f)),
    ).map((s) => s.key),
  );
  const askedSet = strong.size > 0 ? strong : weak;
  const asked = FIGURES.filter((f) => askedSet.has(f));
  const aboutLoans = findPhrases(folded, phrasesOf(data.quickQuestions.loanWords, 'loan')).length > 0;
  const detailed = findPhrases(folded, phrasesOf(data.quickQuestions.detailWords, 'detail')).length > 0;

  if (named.size === 0) {
    // "chi tiết thời hạn": asking for the detail of a figure is about loans here (the words of "Xem chi tiết").
    if (asked.length === 0 || (!aboutLoans && !detailed && !strong.has('rate'))) return null;
  } else if (asked.length === 0 && !aboutLoans) {
    return null;
  }
  return quickAnswerFor(asked, named.size === 0 ? null : [...named], day, data, communeCode, detailed);
}

/**
 * The quick answer for figures and programmes given directly (a "see more" button carries them): `programmeIds`
 * null means every programme (unknown ids are left out); `date` as in answerQuickQuestion.
 */
export function quickAnswerFor(
  asked: readonly Figure[],
  programmeIds: readonly string[] | null,
  date: string | Date,
  data: ProgrammeData,
  communeCode: string | null = null,
  detailed = false,
): QuickAnswer {
  const day = toIsoDate(date);
  const chosen = programmeIds === null ? data.programmes : data.programmes.filter((p) => programmeIds.includes(p.id));
  return {
    asked: FIGURES.filter((f) => asked.includes(f)),
    allProgrammes: programmeIds === null,
    detailed,
    programmes: chosen.map((p) => {
      const { rate, otherRates } = ratesFor(p, day, communeCode, {}, data);
      return {
        id: p.id,
        names: p.names,
        shortNames: p.shortNames ?? p.names,
        forWhom: p.forWhom,
        maxAmount: {
          amount: p.maxAmount.amount,
          unit: p.maxAmount.unit,
          maxTotal: p.maxAmount.maxTotal ?? null,
          confirmed: p.maxAmount.confirmed,
          note: p.maxAmount.note ?? null,
        },
        rate,
        otherRates,
        term: { maxMonths: p.term.maxMonths, confirmed: p.term.confirmed, note: p.term.note ?? null },
        legalBasis: p.legalBasis,
        source: p.source,
        confirmed: p.confirmed,
      };
    }),
    date: day,
    dataVersion: data.version,
    disclaimer: data.disclaimer,
  };
}
