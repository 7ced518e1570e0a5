// How credit figures are shown to members: "100 triệu đồng / hộ", "6,24%/năm (0,52%/tháng)", "tối đa 60 tháng".
import type { Said, Translate } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type {
  CreditEvaluation,
  I18nText,
  ProgrammeResult,
  QuickAnswer,
  QuickProgrammeAnswer,
} from '../../domain/credit/index.ts';
import type { Language } from '../../domain/member.ts';

const NUMBER: Record<Language, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 4 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 }),
};

/** 100000000 → "100 triệu" / "100 million"; 1500000000 → "1,5 tỷ"; 500000 → "500.000". */
export function formatVnd(amount: number, language: Language, t: Translate): string {
  const n = NUMBER[language];
  if (amount >= 1e9) return t('credit:money.billion', { n: n.format(amount / 1e9) });
  if (amount >= 1e6) return t('credit:money.million', { n: n.format(amount / 1e6) });
  return t('credit:money.plain', { n: n.format(amount) });
}

export const percent = (value: number, language: Language): string => NUMBER[language].format(value);

export function isoToDisplay(iso: string): string {
  const [y = '', m = '', d = ''] = iso.split('-');
  return `${d}/${m}/${y}`;
}

const pick = (i18n: I18nText, language: Language) => i18n[language];

type Figures = Pick<QuickProgrammeAnswer, 'maxAmount' | 'rate' | 'term' | 'otherRates'>;

/** The figure lines of a programme: ceiling, rate in force (and lower rates that may apply), term. */
export function figureLines(p: Figures, language: Language, t: Translate, only?: readonly string[]): string[] {
  const unconfirmed = (confirmed: boolean) => (confirmed ? '' : t('credit:unconfirmed'));
  const lines: string[] = [];
  const show = (what: string) => !only || only.length === 0 || only.includes(what);
  if (show('maxAmount')) {
    const max = p.maxAmount;
    lines.push(
      t('credit:line.maxAmount', {
        amount: formatVnd(max.amount, language, t),
        unit: t(`credit:units.${max.unit}`),
        total: max.maxTotal ? t('credit:line.maxTotal', { amount: formatVnd(max.maxTotal, language, t) }) : '',
        unconfirmed: unconfirmed(max.confirmed),
      }),
    );
    if (max.note) lines.push(t('credit:line.note', { note: pick(max.note, language) }));
  }
  if (show('rate')) {
    if (p.rate) {
      lines.push(
        t('credit:line.rate', {
          year: percent(p.rate.perYear, language),
          month: percent(p.rate.perMonth, language),
          since: p.rate.effectiveFrom ? t('credit:line.since', { date: isoToDisplay(p.rate.effectiveFrom) }) : '',
          unconfirmed: unconfirmed(p.rate.confirmed),
        }),
      );
      for (const o of p.rate.overrides) lines.push(t('credit:line.override', { reason: pick(o.reason, language) }));
    } else {
      lines.push(t('credit:line.noRate'));
    }
    for (const other of p.otherRates) {
      lines.push(
        t('credit:line.otherRate', {
          year: percent(other.perYear, language),
          month: percent(other.perMonth, language),
          why: other.why.map((w) => pick(w, language)).join('; '),
        }),
      );
    }
  }
  if (show('term')) {
    lines.push(
      p.term.maxMonths
        ? t('credit:line.term', { months: p.term.maxMonths, unconfirmed: unconfirmed(p.term.confirmed) })
        : t('credit:line.noTerm'),
    );
    if (p.term.note) lines.push(t('credit:line.note', { note: pick(p.term.note, language) }));
  }
  return lines;
}

/** One message per programme that may fit (best first), then what does not fit, then the disclaimer. */
export function resultMessages(result: CreditEvaluation, language: Language, t: Translate): Said[] {
  const said: Said[] = [text('credit:result.title', { date: isoToDisplay(result.date) })];
  const fitting = result.programmes.filter((p) => p.status !== 'not_eligible');
  for (const p of fitting) said.push({ raw: programmeBlock(p, language, t) });
  if (result.nothingFits) {
    said.push(text('credit:result.nothingFits'));
    const reasons = result.programmes
      .filter((p) => p.reasons.length > 0)
      .slice(0, 4)
      .map((p) =>
        t('credit:result.notEligibleLine', { name: pick(p.names, language), reason: pick(p.reasons[0]!, language) }),
      );
    if (reasons.length > 0) said.push({ raw: reasons.join('\n') });
    for (const s of result.suggestions) {
      said.push({
        raw: t('credit:result.suggestion', { title: pick(s.title, language), text: pick(s.text, language) }),
      });
    }
  }
  said.push({ raw: pick(result.disclaimer, language) });
  return said;
}

function programmeBlock(p: ProgrammeResult, language: Language, t: Translate): string {
  const head = t(p.status === 'likely' ? 'credit:result.likely' : 'credit:result.needsCheck', {
    name: pick(p.names, language),
  });
  const lines = [head];
  if (p.status === 'needs_check') {
    for (const r of p.reasons) lines.push(t('credit:line.check', { reason: pick(r, language) }));
  }
  lines.push(...figureLines(p, language, t));
  if (p.requestedAmount !== null && p.withinMaximum === false) {
    lines.push(t('credit:line.overMax', { amount: formatVnd(p.requestedAmount, language, t) }));
  }
  const documents = p.documents[language];
  if (documents.length > 0) lines.push(t('credit:line.documents', { list: documents.join('; ') }));
  for (const step of p.nextSteps) lines.push(t('credit:line.next', { step: pick(step, language) }));
  return lines.join('\n');
}

/** The answer to a question typed at the menu ("lãi suất hộ nghèo bao nhiêu"). */
export function quickAnswerMessages(answer: QuickAnswer, language: Language, t: Translate): Said[] {
  const blocks = answer.programmes.map((p) =>
    [t('credit:quick.programme', { name: pick(p.names, language) }), ...figureLines(p, language, t, answer.asked)].join(
      '\n',
    ),
  );
  return [
    text('credit:quick.title', { date: isoToDisplay(answer.date) }),
    { raw: blocks.join('\n\n') },
    { raw: `${pick(answer.disclaimer, language)}\n${t('credit:quick.more')}` },
  ];
}
