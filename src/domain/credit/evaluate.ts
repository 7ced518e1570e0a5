// The credit pre-screen: given the member's answers, a date and her commune, which programmes she may qualify for,
// with the figures in force that day. Pure and deterministic: the same answers, date, commune and data always give
// the same result (no clock, no randomness, no I/O); the result is plain JSON, stored as is with an inquiry.
import { DEFAULT_TIME_ZONE, localIsoDate } from '../time.ts';
import { evaluateCondition, factsOf, factTests, openFacts, type Condition, type I18nText } from './conditions.ts';
import {
  FACTS,
  QUESTION_ORDER,
  QUESTIONS_OF_FACT,
  resolveFacts,
  type CreditAnswers,
  type CreditQuestion,
  type Fact,
  type Facts,
  type FactSource,
  type Purpose,
} from './facts.ts';
import { inForce, type AmountUnit, type Programme, type ProgrammeData, type Suggestion } from './programmes.ts';
import { ratesFor, type OverdueRate, type PossibleRate, type RateInForce } from './rates.ts';

/**
 * likely: every condition holds on her answers. not_eligible: a condition fails (`reasons` say which).
 * needs_check: nothing fails but something is unknown or for an officer to confirm (`reasons` say what).
 */
export type EligibilityStatus = 'likely' | 'needs_check' | 'not_eligible';

/**
 * How a programme relates to the purpose she gave. main: a programme for that purpose (its conditions name the purpose
 * without leaving it to an officer, or it takes any purpose); partial: it may cover that purpose in part, for an
 * officer to check (e.g. a poor-household loan partly used for clean water); none: not for that purpose. null when the
 * purpose is not known.
 */
export type PurposeFit = 'main' | 'partial' | 'none';

export interface ProgrammeResult {
  id: string;
  names: I18nText;
  /** For short lists and buttons (the name when the data has no short name). */
  shortNames: I18nText;
  forWhom: I18nText;
  status: EligibilityStatus;
  /** not_eligible: why not; needs_check: what an officer checks; likely: []. */
  reasons: I18nText[];
  /** needs_check: the facts she did not know (or was not asked). */
  unknownFacts: Fact[];
  /** not_eligible: the facts whose tests failed (e.g. `area` when the programme is for rural households only). */
  failedFacts: Fact[];
  /** How the programme relates to her purpose; null when the purpose is not known. */
  purposeFit: PurposeFit | null;
  maxAmount: { amount: number; unit: AmountUnit; maxTotal: number | null; confirmed: boolean; note: I18nText | null };
  /** Her amount (VND), when she gave one. */
  requestedAmount: number | null;
  /** Her amount against the ceiling (`maxTotal`, else `amount`); null when unknown or per student-month. */
  withinMaximum: boolean | null;
  /** In force on the date, for the commune, overrides applied; null when the data has no rate for that date. */
  rate: RateInForce | null;
  /** Lower rates that may apply (priority tier, storm relief...), for an officer to confirm. */
  otherRates: PossibleRate[];
  overdueRate: OverdueRate | null;
  term: { maxMonths: number | null; confirmed: boolean; note: I18nText | null };
  documents: { vi: string[]; en: string[] };
  /** In order: the savings-and-loan group step (when the programme goes through a group), then the programme's. */
  nextSteps: I18nText[];
  legalBasis: string;
  source: string;
  /** The programme's rules are confirmed. */
  confirmed: boolean;
  /** The rules, the ceiling, the term and the rate are all confirmed. */
  allConfirmed: boolean;
}

export interface CreditEvaluation {
  /** The ISO date the rules were evaluated for. */
  date: string;
  communeCode: string | null;
  dataVersion: string;
  /** The facts used (answers without "unknown", plus what the data knows), and where each came from. */
  facts: Facts;
  factSources: Partial<Record<Fact, FactSource>>;
  /**
   * Every programme, best first: likely, then needs_check, then not_eligible; within each, the programmes for her
   * purpose first (main, then partial), then by lowest rate, then highest ceiling. So when nothing fits, the first
   * reasons are those of the programmes meant for what she needs the money for.
   */
  programmes: ProgrammeResult[];
  /** No programme is likely or needs checking. */
  nothingFits: boolean;
  /** What might help instead (only when nothing fits). */
  suggestions: Suggestion[];
  /** "The group and the bank decide." */
  disclaimer: I18nText;
}

const STATUS_RANK: Record<EligibilityStatus, number> = { likely: 0, needs_check: 1, not_eligible: 2 };
const FIT_RANK: Record<PurposeFit, number> = { main: 0, partial: 1, none: 2 };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The ISO calendar date (YYYY-MM-DD). A Date is read in `timeZone` (an IANA name: the configured TIME_ZONE; by
 * default Vietnam's); a string must be a real YYYY-MM-DD date. Throws RangeError otherwise.
 */
export function toIsoDate(date: string | Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
    return localIsoDate(date, timeZone);
  }
  const parsed = ISO_DATE.test(date) ? new Date(`${date}T00:00:00Z`) : null;
  if (parsed === null || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
  return date;
}

/**
 * Evaluates every programme of the data for these answers, on `date` (ISO date, or a Date read in the default zone,
 * Vietnam's: callers with a configured zone pass `localIsoDate(now, timeZone)`), for the member's commune (its code,
 * or null when not known). Pure and deterministic.
 */
export function evaluate(
  answers: CreditAnswers,
  date: string | Date,
  communeCode: string | null | undefined,
  data: ProgrammeData,
): CreditEvaluation {
  const day = toIsoDate(date);
  const commune = communeCode ?? null;
  const { facts, sources } = resolveFacts(answers, commune, data);
  const order = new Map(data.programmes.map((p, i) => [p.id, i]));
  const fitRank = (r: ProgrammeResult) => (r.purposeFit === null ? FIT_RANK.none : FIT_RANK[r.purposeFit]);
  const programmes = data.programmes
    .map((p) => evaluateProgramme(p, day, commune, facts, data))
    .sort(
      (a, b) =>
        STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
        fitRank(a) - fitRank(b) ||
        (a.rate?.perYear ?? Infinity) - (b.rate?.perYear ?? Infinity) ||
        ceiling(b) - ceiling(a) ||
        order.get(a.id)! - order.get(b.id)!,
    );
  const nothingFits = programmes.every((p) => p.status === 'not_eligible');
  const purpose = facts.purpose as Purpose | undefined;
  const suggestions = nothingFits
    ? data.suggestions.filter(
        (s) => s.forPurposes === undefined || (purpose !== undefined && s.forPurposes.includes(purpose)),
      )
    : [];
  return {
    date: day,
    communeCode: commune,
    dataVersion: data.version,
    facts,
    factSources: sources,
    programmes,
    nothingFits,
    suggestions,
    disclaimer: data.disclaimer,
  };
}

/** See PurposeFit. */
export function purposeFit(programme: Programme, purpose: Purpose | undefined): PurposeFit | null {
  if (purpose === undefined) return null;
  if (evaluateCondition(programme.eligibility, { purpose }).value === false) return 'none';
  const naming = factTests(programme.eligibility)
    .map(({ test }) => test)
    .filter((t) => t.fact === 'purpose' && (t.equals === purpose || (t.in?.includes(purpose) ?? false)));
  // No test names it, yet it is not ruled out: a programme for any purpose.
  if (naming.length === 0) return 'main';
  return naming.some((t) => t.onTrue !== 'check') ? 'main' : 'partial';
}

function ceiling(result: ProgrammeResult): number {
  return result.maxAmount.maxTotal ?? result.maxAmount.amount;
}

function evaluateProgramme(
  programme: Programme,
  date: string,
  communeCode: string | null,
  facts: Facts,
  data: ProgrammeData,
): ProgrammeResult {
  const eligibility = evaluateCondition(programme.eligibility, facts);
  const status: EligibilityStatus =
    eligibility.value === true ? 'likely' : eligibility.value === false ? 'not_eligible' : 'needs_check';
  const { rate, otherRates, overdue } = ratesFor(programme, date, communeCode, facts, data);
  const requested = typeof facts.amountNeeded === 'number' ? facts.amountNeeded : null;
  const max = programme.maxAmount;
  const group = facts.savingsGroupMember === 'yes' ? 'yes' : facts.savingsGroupMember === 'no' ? 'no' : 'unknown';
  return {
    id: programme.id,
    names: programme.names,
    shortNames: programme.shortNames ?? programme.names,
    forWhom: programme.forWhom,
    status,
    reasons: eligibility.reasons,
    unknownFacts: status === 'needs_check' ? eligibility.unknownFacts : [],
    failedFacts: status === 'not_eligible' ? eligibility.failedFacts : [],
    purposeFit: purposeFit(programme, facts.purpose as Purpose | undefined),
    maxAmount: {
      amount: max.amount,
      unit: max.unit,
      maxTotal: max.maxTotal ?? null,
      confirmed: max.confirmed,
      note: max.note ?? null,
    },
    requestedAmount: requested,
    withinMaximum:
      requested === null || max.unit === 'student_month' ? null : requested <= (max.maxTotal ?? max.amount),
    rate,
    otherRates,
    overdueRate: overdue,
    term: {
      maxMonths: programme.term.maxMonths,
      confirmed: programme.term.confirmed,
      note: programme.term.note ?? null,
    },
    documents: { vi: [...programme.documents.vi], en: [...programme.documents.en] },
    nextSteps: [...(programme.viaSavingsGroup ? [data.savingsGroupSteps[group]] : []), programme.nextStep],
    legalBasis: programme.legalBasis,
    source: programme.source,
    confirmed: programme.confirmed,
    allConfirmed: programme.confirmed && max.confirmed && programme.term.confirmed && rate?.confirmed === true,
  };
}

/** The conditions of a programme: who is eligible, and who gets each rate tier. */
function conditionsOf(programme: Programme): Condition[] {
  return [programme.eligibility, ...programme.rates.flatMap((r) => (r.when ? [r.when] : []))];
}

function questionsOf(facts: Iterable<Fact>): CreditQuestion[] {
  const wanted = new Set<CreditQuestion>();
  for (const fact of facts) QUESTIONS_OF_FACT[fact].forEach((q) => wanted.add(q));
  return QUESTION_ORDER.filter((q) => wanted.has(q));
}

/**
 * The questions that can matter for a purpose, in the order to ask them: those read by the programmes the purpose
 * does not rule out (eligibility and rate tiers), plus the amount and the group membership when any programme is
 * possible. `outstandingLoanProgrammes` is to be asked only when `outstandingLoans` is "yes". Static: for a flow
 * that adapts to earlier answers and to what the data knows of the commune, use `questionsToAsk`.
 */
export function factsFor(purpose: Purpose, data: ProgrammeData): CreditQuestion[] {
  const possible = data.programmes.filter((p) => evaluateCondition(p.eligibility, { purpose }).value !== false);
  if (possible.length === 0) return ['purpose'];
  const facts = new Set<Fact>(possible.flatMap((p) => conditionsOf(p).flatMap(factsOf)));
  facts.add('purpose');
  facts.add('amountNeeded');
  facts.add('savingsGroupMember');
  return questionsOf(facts);
}

/**
 * The questions still worth asking, given the answers so far, the date and the commune, in the order to ask them. A
 * question is kept while its answer could still decide something: a programme's eligibility, or a rate tier of a
 * programme that is not ruled out (a fact tested in a part of a condition that the other answers leave undecided).
 * Facts the data settles for the commune are left out. An answered question stays in the list as long as it matters,
 * so a flow can use this for its steps' `when`; asking in this order, each answer narrows what comes next (a poor
 * household is not asked about loans that only matter to the difficult-area programme). Deterministic.
 */
export function questionsToAsk(
  answers: CreditAnswers,
  date: string | Date,
  communeCode: string | null | undefined,
  data: ProgrammeData,
): CreditQuestion[] {
  const day = toIsoDate(date);
  const { facts, sources } = resolveFacts(answers, communeCode ?? null, data);
  const relevant = new Set<Fact>(['purpose']);
  for (const fact of FACTS) {
    if (sources[fact] === 'data') continue;
    const without: Facts = { ...facts };
    delete without[fact];
    if (openFactsOf(data, day, without).has(fact)) relevant.add(fact);
  }
  if (data.programmes.some((p) => evaluateCondition(p.eligibility, facts).value !== false)) {
    relevant.add('amountNeeded');
    relevant.add('savingsGroupMember');
  }
  return questionsOf(relevant).filter((q) => q !== 'outstandingLoanProgrammes' || answers.outstandingLoans === 'yes');
}

/** The facts that could still decide an eligibility, or a rate tier (in force that day) of a programme not ruled out. */
function openFactsOf(data: ProgrammeData, date: string, facts: Facts): Set<Fact> {
  const open = new Set<Fact>();
  for (const p of data.programmes) {
    openFacts(p.eligibility, facts).forEach((f) => open.add(f));
    if (evaluateCondition(p.eligibility, facts).value === false) continue;
    for (const rate of p.rates) {
      if (rate.when && inForce(rate, date)) openFacts(rate.when, facts).forEach((f) => open.add(f));
    }
  }
  return open;
}
