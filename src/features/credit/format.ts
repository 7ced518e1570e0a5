// How credit answers are shown to members: "100 triệu đồng/hộ", "6,24%/năm (0,52%/tháng)", "tối đa 60 tháng".
//
// Many members read on cheap phones: an answer leads with what she asked (the first part stays under
// FIRST_PAGE_BUDGET characters) and the rest — documents, next steps, the other programmes, suggestions — comes in
// later parts, behind "Xem thêm" (see flow.ts for the pre-screen, quick.ts for quick questions).
import type { ActionMessage, Said, Translate } from '../../conversation/flow.ts';
import type {
  CreditEvaluation,
  Fact,
  Figure,
  I18nText,
  PossibleRate,
  ProgrammeResult,
  QuickAnswer,
  QuickProgrammeAnswer,
} from '../../domain/credit/index.ts';
import { displayRate } from '../../domain/credit/index.ts';
import type { Language } from '../../domain/member.ts';
import { formatIsoDate } from '../../domain/time.ts';

/** About one screen of a cheap phone: the first part of an answer stays under this many characters. */
export const FIRST_PAGE_BUDGET = 600;
/** Later parts ("Xem thêm") are packed up to this many characters (one programme's detail is never cut). */
export const MORE_PAGE_BUDGET = 900;
/** A quick question about more programmes than this gets one short line per programme first. */
export const QUICK_DETAIL_MAX_PROGRAMMES = 3;

const NUMBER: Record<Language, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 4 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 }),
};

/** 100000000 → "100 triệu đồng" / "100 million VND"; 1500000000 → "1,5 tỷ đồng"; 500000 → "500.000 đồng". */
export function formatVnd(amount: number, language: Language, t: Translate): string {
  const n = NUMBER[language];
  if (amount >= 1e9) return t('credit:money.billion', { n: n.format(amount / 1e9) });
  if (amount >= 1e6) return t('credit:money.million', { n: n.format(amount / 1e6) });
  return t('credit:money.plain', { n: n.format(amount) });
}

/** An amount with every digit, and in words when that is shorter to read: "3.000.000 đồng (3 triệu)", "3.000 đồng". */
export function formatVndExact(amount: number, language: Language, t: Translate): string {
  const n = NUMBER[language];
  const digits = t('credit:money.plain', { n: n.format(amount) });
  if (amount < 1e6) return digits;
  const words =
    amount >= 1e9
      ? t('credit:money.billionWords', { n: n.format(amount / 1e9) })
      : t('credit:money.millionWords', { n: n.format(amount / 1e6) });
  return t('credit:money.exact', { digits, words });
}

/** A rate as the bank writes it (see displayRate): 7.9248 → "7,92", 7.488 → "7,488" in Vietnamese. */
export const formatRate = (value: number, language: Language): string => NUMBER[language].format(displayRate(value));

const pick = (i18n: I18nText, language: Language) => i18n[language];

/**
 * Texts joined into one line, each ending with its own full stop: "A. B." — never "A.; B" (texts in the data are
 * sentences with or without a final stop).
 */
export function joinSentences(texts: readonly string[]): string {
  return texts
    .map((s) => s.trim().replace(/[\s.;:,]+$/u, ''))
    .filter((s) => s !== '')
    .map((s) => `${s}.`)
    .join(' ');
}

type Figures = Pick<QuickProgrammeAnswer, 'maxAmount' | 'rate' | 'term' | 'otherRates'>;

/** The figure lines of a programme: `main` (ceiling, rate in force, term), `extra` (notes, lower rates that may apply). */
interface FigureLines {
  main: string[];
  extra: string[];
}

/**
 * The figure lines of a programme. `only`: the figures asked (all when empty or absent). `forMember`: in a
 * pre-screen, a lower rate that may apply says that an officer checks whether she belongs to that group (a quick
 * answer, which asked nothing about her, just names the group).
 */
export function figureLines(
  p: Figures,
  language: Language,
  t: Translate,
  options: { only?: readonly Figure[]; prescreen?: boolean } = {},
): FigureLines {
  const unconfirmed = (confirmed: boolean) => (confirmed ? '' : t('credit:unconfirmed'));
  const main: string[] = [];
  const extra: string[] = [];
  const only = options.only ?? [];
  const show = (what: Figure) => only.length === 0 || only.includes(what);
  if (show('maxAmount')) {
    const max = p.maxAmount;
    main.push(
      t('credit:line.maxAmount', {
        amount: formatVnd(max.amount, language, t),
        unit: t(`credit:units.${max.unit}`),
        total: max.maxTotal ? t('credit:line.maxTotal', { amount: formatVnd(max.maxTotal, language, t) }) : '',
        unconfirmed: unconfirmed(max.confirmed),
      }),
    );
    if (max.note) extra.push(t('credit:line.note', { note: pick(max.note, language) }));
  }
  if (show('rate')) {
    if (p.rate) {
      main.push(
        t('credit:line.rate', {
          year: formatRate(p.rate.perYear, language),
          month: formatRate(p.rate.perMonth, language),
          since: p.rate.effectiveFrom
            ? t('credit:line.since', { date: formatIsoDate(p.rate.effectiveFrom, language) })
            : '',
          unconfirmed: unconfirmed(p.rate.confirmed),
        }),
      );
      for (const o of p.rate.overrides) main.push(t('credit:line.override', { reason: pick(o.reason, language) }));
    } else {
      main.push(t('credit:line.noRate'));
    }
    for (const other of p.otherRates) extra.push(otherRateLine(other, language, t, options.prescreen === true));
  }
  if (show('term')) {
    main.push(
      p.term.maxMonths
        ? t('credit:line.term', { months: p.term.maxMonths, unconfirmed: unconfirmed(p.term.confirmed) })
        : t('credit:line.noTerm'),
    );
    if (p.term.note) extra.push(t('credit:line.note', { note: pick(p.term.note, language) }));
  }
  return { main, extra };
}

function otherRateLine(other: PossibleRate, language: Language, t: Translate, prescreen: boolean): string {
  return t('credit:line.otherRate', {
    name: pick(other.name, language)
      .trim()
      .replace(/[.;:,]+$/u, ''),
    year: formatRate(other.perYear, language),
    month: formatRate(other.perMonth, language),
    check: prescreen ? t(other.kind === 'tier' ? 'credit:line.otherRateCheck' : 'credit:line.overrideCheck') : '',
    unconfirmed: other.confirmed ? '' : t('credit:unconfirmed'),
  });
}

/** "• Bước tiếp theo: …" once, with the steps numbered when there are several ("as above" when already said). */
function nextStepLines(steps: readonly I18nText[], language: Language, t: Translate, seen: Seen): string[] {
  if (steps.length === 0) return [];
  if (!seen.first(['steps', steps])) return [t('credit:line.nextAsAbove')];
  if (steps.length === 1) return [t('credit:line.next', { step: pick(steps[0]!, language) })];
  return [
    t('credit:line.nextSeveral'),
    ...steps.map((s, i) => t('credit:line.nextNumbered', { n: i + 1, step: pick(s, language) })),
  ];
}

/** What the member's answers told the result that she may not see herself, by fact ("a phường counts as urban"). */
export type FactNotes = Partial<Record<Fact, string>>;

export interface ResultContext {
  /** Her purpose, as she chose it ("Nước sạch, nhà vệ sinh"); null when not known. */
  purposeLabel: string | null;
  /** Shown after a reason that comes from one of these facts (e.g. the area, inferred from her ward). */
  factNotes?: FactNotes;
}

/**
 * The pre-screen's answer in parts: the first leads with the answer (the programme that fits best with its figures,
 * one line for each other programme that may fit, the disclaimer; or, when nothing fits, why — the programmes meant
 * for her purpose first); the later parts hold the rest (what to prepare and the next steps, the other programmes in
 * full, suggestions). Each part is one message; a part never has zero length; there is always a first part.
 */
export function resultPages(
  result: CreditEvaluation,
  language: Language,
  t: Translate,
  context: ResultContext,
): string[] {
  const title = t('credit:result.title', { date: formatIsoDate(result.date, language) });
  const disclaimer = pick(result.disclaimer, language);
  return result.nothingFits
    ? nothingFitsPages(result, language, t, context, title, disclaimer)
    : fittingPages(result, language, t, title, disclaimer);
}

function fittingPages(
  result: CreditEvaluation,
  language: Language,
  t: Translate,
  title: string,
  disclaimer: string,
): string[] {
  const fitting = result.programmes.filter((p) => p.status !== 'not_eligible');
  const [best, ...others] = fitting as [ProgrammeResult, ...ProgrammeResult[]];
  // First: the ceiling and the rate; the term, the notes and the lower rates that may apply come with the details.
  const bestFigures = figureLines(best, language, t, { prescreen: true, only: ['maxAmount', 'rate'] });
  const bestTerm = figureLines(best, language, t, { prescreen: true, only: ['term'] });
  const [head, ...checks] = headLines(best, language, t);
  const core = [...bestFigures.main, ...overMaxLine(best, language, t)];
  const more = (n: number) => t('credit:result.andMore', { count: n });
  // What an officer checks stays on the first screen when it fits; else it opens the details ("cần cán bộ kiểm tra
  // thêm" is said either way).
  const checksFirst =
    length([title, head!, ...checks, ...core, ...(others.length > 0 ? [more(others.length)] : []), disclaimer]) <=
    FIRST_PAGE_BUDGET;
  const first = [title, head!, ...(checksFirst ? checks : []), ...core];
  const optional = others.map((p) => compactResultLine(p, language, t));
  const lines = fitFirstPage(first, optional, [disclaimer], more);

  const chunks: string[] = [];
  const seen = new Seen();
  const bestDetail = [
    ...(checksFirst ? [] : checks),
    ...bestTerm.main,
    ...bestTerm.extra,
    ...bestFigures.extra,
    ...documentLines(best, language, t, seen),
    ...nextStepLines(best.nextSteps, language, t, seen),
  ];
  if (bestDetail.length > 0) {
    chunks.push([t('credit:result.detailOf', { name: pick(best.names, language) }), ...bestDetail].join('\n'));
  }
  for (const p of others) chunks.push(programmeBlock(p, language, t, seen));
  return [lines.join('\n'), ...packPages(chunks, MORE_PAGE_BUDGET)];
}

/** What an answer already said (documents, next steps): the same again is "as above", not a repeat. */
class Seen {
  private readonly said = new Set<string>();
  /** true the first time this list is seen. */
  first(list: unknown): boolean {
    const key = JSON.stringify(list);
    if (this.said.has(key)) return false;
    this.said.add(key);
    return true;
  }
}

function nothingFitsPages(
  result: CreditEvaluation,
  language: Language,
  t: Translate,
  context: ResultContext,
  title: string,
  disclaimer: string,
): string[] {
  const forPurpose = result.programmes.filter((p) => p.purposeFit === 'main' || p.purposeFit === 'partial');
  const reasonLine = (p: ProgrammeResult) => {
    const notes = p.failedFacts.flatMap((f) => (context.factNotes?.[f] ? [context.factNotes[f]] : []));
    return t('credit:result.notEligibleLine', {
      name: pick(p.shortNames, language),
      reason: joinSentences([...p.reasons.map((r) => pick(r, language)), ...notes]),
    });
  };
  const first = [title, t('credit:result.nothingFits')];
  let optional: string[];
  if (context.purposeLabel !== null && forPurpose.length === 0) {
    // Nothing in the data is meant for what she needs the money for: say so, rather than list unrelated reasons.
    first.push(t('credit:result.noneForPurpose', { purpose: context.purposeLabel }));
    optional = [];
  } else if (context.purposeLabel !== null) {
    first.push(t('credit:result.forPurpose', { purpose: context.purposeLabel }), reasonLine(forPurpose[0]!));
    optional = forPurpose.slice(1).map(reasonLine);
    if (forPurpose.length < result.programmes.length) optional.push(t('credit:result.othersOtherPurposes'));
  } else {
    optional = result.programmes.slice(0, 3).map(reasonLine);
  }
  const suggestions = result.suggestions.map((s) =>
    t('credit:result.suggestion', { title: pick(s.title, language), text: pick(s.text, language) }),
  );
  // The reasons that do not fit on the first screen, then the suggestions, then the disclaimer, behind "Xem thêm".
  const kept: string[] = [...first];
  const rest: string[] = [];
  for (const line of optional) {
    if (rest.length === 0 && length([...kept, line]) <= FIRST_PAGE_BUDGET) kept.push(line);
    else rest.push(line);
  }
  const chunks = [
    ...(rest.length > 0 ? [rest.join('\n')] : []),
    ...(suggestions.length > 0 ? [[t('credit:result.suggestionsTitle'), ...suggestions].join('\n')] : []),
  ];
  if (chunks.length === 0 && length([...kept, disclaimer]) <= FIRST_PAGE_BUDGET) {
    return [[...kept, disclaimer].join('\n')];
  }
  chunks.push(disclaimer);
  return [kept.join('\n'), ...packPages(chunks, MORE_PAGE_BUDGET)];
}

function headLines(p: ProgrammeResult, language: Language, t: Translate): string[] {
  const head = t(p.status === 'likely' ? 'credit:result.likely' : 'credit:result.needsCheck', {
    name: pick(p.names, language),
  });
  // What an officer checks, in one line: "• Cần kiểm tra: Chưa rõ … Chưa rõ …".
  const checks =
    p.status === 'needs_check' && p.reasons.length > 0
      ? [t('credit:line.check', { reason: joinSentences(p.reasons.map((r) => pick(r, language))) })]
      : [];
  return [head, ...checks];
}

function overMaxLine(p: ProgrammeResult, language: Language, t: Translate): string[] {
  return p.requestedAmount !== null && p.withinMaximum === false
    ? [t('credit:line.overMax', { amount: formatVnd(p.requestedAmount, language, t) })]
    : [];
}

function documentLines(p: ProgrammeResult, language: Language, t: Translate, seen: Seen): string[] {
  const documents = p.documents[language];
  if (documents.length === 0) return [];
  if (!seen.first(['documents', documents])) return [t('credit:line.documentsAsAbove')];
  return [t('credit:line.documents', { list: documents.join('; ') })];
}

/** "❓ Hộ cận nghèo — cần cán bộ kiểm tra: tối đa 100 triệu đồng/hộ, 7,488%/năm". */
function compactResultLine(p: ProgrammeResult, language: Language, t: Translate): string {
  return t(p.status === 'likely' ? 'credit:result.compactLikely' : 'credit:result.compactNeedsCheck', {
    name: pick(p.shortNames, language),
    figures: compactFigures(p, ['maxAmount', 'rate'], language, t),
  });
}

/** A programme's whole answer: head, what to check, figures, what to prepare, next steps. */
function programmeBlock(p: ProgrammeResult, language: Language, t: Translate, seen: Seen): string {
  const figures = figureLines(p, language, t, { prescreen: true });
  return [
    ...headLines(p, language, t),
    ...figures.main,
    ...figures.extra,
    ...overMaxLine(p, language, t),
    ...documentLines(p, language, t, seen),
    ...nextStepLines(p.nextSteps, language, t, seen),
  ].join('\n');
}

const length = (lines: readonly string[]) => lines.join('\n').length;

/**
 * The first part: `required` lines, then as many `optional` lines as fit FIRST_PAGE_BUDGET with `closing` after them
 * (the ones left out are counted in a last line made by `more`), then `closing`.
 */
function fitFirstPage(
  required: readonly string[],
  optional: readonly string[],
  closing: readonly string[],
  more: (count: number) => string,
): string[] {
  const kept = [...required];
  for (let i = 0; i < optional.length; i++) {
    const left = optional.length - i - 1;
    const tail = left > 0 ? [more(left)] : [];
    if (length([...kept, optional[i]!, ...tail, ...closing]) > FIRST_PAGE_BUDGET) {
      kept.push(more(optional.length - i));
      return [...kept, ...closing];
    }
    kept.push(optional[i]!);
  }
  return [...kept, ...closing];
}

/** Chunks packed in order into pages of at most `budget` characters (a longer chunk is a page of its own). */
export function packPages(chunks: readonly string[], budget: number): string[] {
  const pages: string[] = [];
  for (const chunk of chunks) {
    const last = pages[pages.length - 1];
    if (last !== undefined && last.length + 2 + chunk.length <= budget) pages[pages.length - 1] = `${last}\n\n${chunk}`;
    else pages.push(chunk);
  }
  return pages;
}

/** "100 triệu đồng/hộ, 6,24%/năm (0,52%/tháng)": the asked figures of a programme in a few words. */
function compactFigures(p: Figures, figures: readonly Figure[], language: Language, t: Translate): string {
  const parts: string[] = [];
  for (const figure of figures) {
    if (figure === 'maxAmount') {
      parts.push(
        t('credit:compact.maxAmount', {
          amount: formatVnd(p.maxAmount.amount, language, t),
          unit: t(`credit:units.${p.maxAmount.unit}`),
        }),
      );
    } else if (figure === 'rate') {
      const lowest = p.otherRates[0];
      parts.push(
        p.rate
          ? t('credit:compact.rate', {
              year: formatRate(p.rate.perYear, language),
              month: formatRate(p.rate.perMonth, language),
            }) + (lowest ? t('credit:compact.lowerRate', { year: formatRate(lowest.perYear, language) }) : '')
          : t('credit:compact.noRate'),
      );
    } else {
      parts.push(
        p.term.maxMonths ? t('credit:compact.term', { months: p.term.maxMonths }) : t('credit:compact.noTerm'),
      );
    }
  }
  return parts.join(', ');
}

/** The action of the "see the detail" button of a short quick answer: "creditMore:" and the figures' letters. */
export const CREDIT_MORE_ACTION = 'creditMore';
const FIGURE_LETTERS: Record<Figure, string> = { rate: 'r', maxAmount: 'm', term: 't' };

export function moreAction(asked: readonly Figure[]): string {
  return `${CREDIT_MORE_ACTION}:${asked.map((f) => FIGURE_LETTERS[f]).join('')}`;
}

/** The figures a "see the detail" action carries (its argument); unknown letters are ignored. */
export function figuresOfAction(arg: string): Figure[] {
  return (Object.keys(FIGURE_LETTERS) as Figure[]).filter((f) => arg.includes(FIGURE_LETTERS[f]));
}

/**
 * The answer to a question typed at the menu ("lãi suất hộ nghèo bao nhiêu"). A few programmes, or a question that
 * asks for the detail: every asked figure in full. More programmes ("lãi suất bao nhiêu"): one short line each, and a
 * "see the detail" button (typed on channels without buttons: "chi tiet lai suat", itself a quick question).
 */
export function quickAnswerMessages(answer: QuickAnswer, language: Language, t: Translate): Said[] {
  const date = formatIsoDate(answer.date, language);
  if (answer.detailed || answer.programmes.length <= QUICK_DETAIL_MAX_PROGRAMMES) {
    const blocks = answer.programmes.map((p) => {
      const lines = figureLines(p, language, t, { only: answer.asked });
      return [t('credit:quick.programme', { name: pick(p.names, language) }), ...lines.main, ...lines.extra].join('\n');
    });
    return [
      { raw: t('credit:quick.title', { date }) },
      { raw: blocks.join('\n\n') },
      { raw: `${pick(answer.disclaimer, language)}\n${t('credit:quick.more')}` },
    ];
  }
  const figures = answer.asked.length > 0 ? answer.asked : (['maxAmount', 'rate'] as const);
  const lines = answer.programmes.map((p) =>
    t('credit:quick.compactLine', {
      name: pick(p.shortNames, language),
      figures: compactFigures(p, figures, language, t),
    }),
  );
  const more: ActionMessage = {
    text: { raw: t('credit:quick.compactFooter') },
    actions: [{ label: { key: 'credit:quick.seeDetail' }, action: moreAction(figures) }],
  };
  return [{ raw: [t('credit:quick.title', { date }), ...lines].join('\n') }, more];
}
