import { describe, expect, it } from 'vitest';
import {
  evaluate,
  factsFor,
  HOUSEHOLD_STATUSES,
  PURPOSES,
  questionsToAsk,
  toIsoDate,
  type CreditAnswers,
  type EligibilityStatus,
  type Fact,
  type ProgrammeData,
  type ProgrammeResult,
} from '../../../src/domain/credit/index.ts';
import { C_CITY, C_DIFFICULT, C_EXTREME, C_FLOOD, shipped, variant } from './data.ts';

// Dates: before the 1 Dec 2025 rate change (and inside the storm-relief window, Oct–Dec 2025), its two edges, December
// 2025 (new rates; the job-creation rates of Decree 338 start on 2026-01-01), and 2026 (in and out of the test flood
// override, March–May 2026, and the test water override, June 2026).
const BEFORE = '2025-11-15';
const LAST_OLD = '2025-11-30';
const FIRST_NEW = '2025-12-01';
const DECEMBER = '2025-12-10';
const NEW = '2026-03-10';
const JUNE = '2026-06-15';
const JULY = '2026-07-01';

const POOR = 'poor_households';
const NEAR = 'near_poor_households';
const LEFT = 'recently_escaped_households';
const JOB = 'job_creation';
const AREA = 'difficult_area_production';
const WATER = 'clean_water_sanitation';
const STUDENT = 'students';
const HOUSING = 'ethnic_minority_housing';

const M = 1_000_000;
const HOUSEHOLD = HOUSEHOLD_STATUSES;
const PURPOSE_LIST = PURPOSES;

/** [programme, status, maximum amount, rate per year, rate per month]: every programme not ruled out, best first. */
type Expected = [id: string, status: EligibilityStatus, max: number, perYear: number | null, perMonth: number | null];

interface Row {
  name: string;
  answers: CreditAnswers;
  date: string;
  commune?: string;
  data?: 'shipped' | 'variant';
  expect: Expected[];
  /** Per programme: her amount within the ceiling. */
  within?: Record<string, boolean | null>;
  /** Per programme: the facts that left it unknown. */
  unknownFacts?: Record<string, Fact[]>;
  /** Per programme: "id:perYear" of the lower rates that may apply. */
  otherRates?: Record<string, string[]>;
  /** Per programme: the overrides applied to its rate. */
  overrides?: Record<string, string[]>;
  /** Per programme: the rate tier that applies. */
  tier?: Record<string, string>;
  /** Per programme: a part of the English reason (not eligible, or what an officer checks). */
  reason?: Record<string, string>;
  /** When nothing fits: the suggestions, in order. */
  suggestions?: string[];
}

const production = (householdStatus: CreditAnswers['householdStatus'], more: CreditAnswers = {}): CreditAnswers => ({
  purpose: 'production',
  householdStatus,
  ...more,
});

const rows: Row[] = [
  // ---- poor households: rate before / on / after 1 Dec 2025, amount under / over the ceiling, overrides ------------
  {
    name: 'poor, production, 2026',
    answers: production('poor'),
    date: NEW,
    expect: [[POOR, 'likely', 100 * M, 6.24, 0.52]],
    otherRates: { [POOR]: [] },
  },
  {
    name: 'poor, production, before the rate change (storm relief may apply)',
    answers: production('poor'),
    date: BEFORE,
    expect: [[POOR, 'likely', 100 * M, 6.6, 0.55]],
    otherRates: { [POOR]: ['storm_relief_2025:4.6'] },
  },
  {
    name: 'poor, production, last day of the old rate',
    answers: production('poor'),
    date: LAST_OLD,
    expect: [[POOR, 'likely', 100 * M, 6.6, 0.55]],
  },
  {
    name: 'poor, production, first day of the new rate',
    answers: production('poor'),
    date: FIRST_NEW,
    expect: [[POOR, 'likely', 100 * M, 6.24, 0.52]],
    otherRates: { [POOR]: ['storm_relief_2025:4.24'] },
  },
  {
    name: 'poor, production, 150 million: over the ceiling, still likely',
    answers: production('poor', { amountNeeded: 150 * M }),
    date: NEW,
    expect: [[POOR, 'likely', 100 * M, 6.24, 0.52]],
    within: { [POOR]: false },
  },
  {
    name: 'poor, production, 80 million: under the ceiling',
    answers: production('poor', { amountNeeded: 80 * M }),
    date: NEW,
    expect: [[POOR, 'likely', 100 * M, 6.24, 0.52]],
    within: { [POOR]: true },
  },
  {
    name: 'poor, production, amount unknown',
    answers: production('poor', { amountNeeded: 'unknown' }),
    date: NEW,
    expect: [[POOR, 'likely', 100 * M, 6.24, 0.52]],
    within: { [POOR]: null },
  },
  {
    name: 'poor, production, flood-override commune inside its dates: one point lower',
    answers: production('poor'),
    date: NEW,
    commune: C_FLOOD,
    data: 'variant',
    expect: [[POOR, 'likely', 100 * M, 5.24, 0.4367]],
    overrides: { [POOR]: ['flood_test_2026'] },
  },
  {
    name: 'poor, production, flood-override commune after its dates',
    answers: production('poor'),
    date: JULY,
    commune: C_FLOOD,
    data: 'variant',
    expect: [[POOR, 'likely', 100 * M, 6.24, 0.52]],
    overrides: { [POOR]: [] },
  },
  {
    name: 'poor, production, another commune inside the override dates',
    answers: production('poor'),
    date: NEW,
    commune: C_CITY,
    data: 'variant',
    expect: [[POOR, 'likely', 100 * M, 6.24, 0.52]],
    overrides: { [POOR]: [] },
    otherRates: { [POOR]: [] },
  },
  {
    name: 'poor, production, commune not known: the area override may apply',
    answers: production('poor'),
    date: NEW,
    data: 'variant',
    expect: [[POOR, 'likely', 100 * M, 6.24, 0.52]],
    otherRates: { [POOR]: ['flood_test_2026:5.24'] },
  },

  // ---- near-poor and recently out of poverty ------------------------------------------------------------------------
  {
    name: 'near-poor, production, 2026',
    answers: production('near_poor'),
    date: NEW,
    expect: [[NEAR, 'likely', 100 * M, 7.488, 0.624]],
  },
  {
    name: 'near-poor, production, before the rate change',
    answers: production('near_poor'),
    date: BEFORE,
    expect: [[NEAR, 'likely', 100 * M, 7.92, 0.66]],
  },
  {
    name: 'near-poor, production, flood-override commune',
    answers: production('near_poor'),
    date: NEW,
    commune: C_FLOOD,
    data: 'variant',
    expect: [[NEAR, 'likely', 100 * M, 6.488, 0.5407]],
  },
  {
    name: 'left the list within 3 years, production, 2026',
    answers: production('recently_left'),
    date: NEW,
    expect: [[LEFT, 'likely', 100 * M, 7.8, 0.65]],
  },
  {
    name: 'left the list within 3 years, production, before the rate change',
    answers: production('recently_left'),
    date: BEFORE,
    expect: [[LEFT, 'likely', 100 * M, 8.25, 0.6875]],
  },

  // ---- not on any list: production in difficult areas --------------------------------------------------------------
  {
    name: 'none, production, difficult commune, no loans, 2026',
    answers: production('none', { communeDifficult: 'yes', outstandingLoans: 'none' }),
    date: NEW,
    expect: [[AREA, 'likely', 100 * M, 7.8, 0.65]],
  },
  {
    name: 'none, production, difficult commune, no loans, before the rate change',
    answers: production('none', { communeDifficult: 'yes', outstandingLoans: 'none' }),
    date: BEFORE,
    expect: [[AREA, 'likely', 100 * M, 9, 0.75]],
  },
  {
    name: 'none, production, commune not difficult: nothing fits',
    answers: production('none', { communeDifficult: 'no', outstandingLoans: 'none' }),
    date: NEW,
    expect: [],
    reason: { [AREA]: 'only for households in communes on the difficult-area list' },
    suggestions: ['job_creation_loan', 'vocational_course', 'ask_officer'],
  },
  {
    name: "none, production, doesn't know whether the commune is difficult",
    answers: production('none', { communeDifficult: 'unknown', outstandingLoans: 'none' }),
    date: NEW,
    expect: [[AREA, 'needs_check', 100 * M, 7.8, 0.65]],
    unknownFacts: { [AREA]: ['communeDifficult'] },
    reason: { [AREA]: 'whether your commune is on the difficult-area list' },
  },
  {
    name: 'none, production, difficult commune, has a job-creation loan: not eligible',
    answers: production('none', {
      communeDifficult: 'yes',
      outstandingLoans: 'yes',
      outstandingLoanProgrammes: [JOB],
    }),
    date: NEW,
    expect: [],
    reason: { [AREA]: 'job-creation loan cannot borrow' },
  },
  {
    name: "none, production, difficult commune, has a loan but doesn't know which",
    answers: production('none', {
      communeDifficult: 'yes',
      outstandingLoans: 'yes',
      outstandingLoanProgrammes: 'unknown',
    }),
    date: NEW,
    expect: [[AREA, 'needs_check', 100 * M, 7.8, 0.65]],
    unknownFacts: { [AREA]: ['outstandingLoanProgrammes'] },
  },
  {
    name: 'none, production, difficult commune, has a student loan only',
    answers: production('none', {
      communeDifficult: 'yes',
      outstandingLoans: 'yes',
      outstandingLoanProgrammes: [STUDENT],
    }),
    date: NEW,
    expect: [[AREA, 'likely', 100 * M, 7.8, 0.65]],
  },
  {
    name: 'none, production, commune on the data list (she said no: the list wins)',
    answers: production('none', { communeDifficult: 'no', outstandingLoans: 'none' }),
    date: NEW,
    commune: C_DIFFICULT,
    data: 'variant',
    expect: [[AREA, 'likely', 100 * M, 7.8, 0.65]],
  },
  {
    name: 'none, production, commune off a complete data list (she said yes)',
    answers: production('none', { communeDifficult: 'yes', outstandingLoans: 'none' }),
    date: NEW,
    commune: C_CITY,
    data: 'variant',
    expect: [],
  },
  {
    name: 'none, production, shipped data: empty list, the commune is not assumed difficult or not',
    answers: production('none', { outstandingLoans: 'none' }),
    date: NEW,
    commune: C_DIFFICULT,
    expect: [[AREA, 'needs_check', 100 * M, 7.8, 0.65]],
    unknownFacts: { [AREA]: ['communeDifficult'] },
  },

  // ---- "I don't know" on the household status ---------------------------------------------------------------------
  {
    name: "doesn't know the household status, production, difficult commune",
    answers: production('unknown', { communeDifficult: 'yes', outstandingLoans: 'none' }),
    date: NEW,
    expect: [
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
      [NEAR, 'needs_check', 100 * M, 7.488, 0.624],
      [LEFT, 'needs_check', 100 * M, 7.8, 0.65],
      [AREA, 'needs_check', 100 * M, 7.8, 0.65],
    ],
    unknownFacts: { [POOR]: ['householdStatus'], [AREA]: ['householdStatus'] },
  },
  {
    name: "doesn't know the household status, production, commune not difficult",
    answers: production('unknown', { communeDifficult: 'no' }),
    date: BEFORE,
    expect: [
      [POOR, 'needs_check', 100 * M, 6.6, 0.55],
      [NEAR, 'needs_check', 100 * M, 7.92, 0.66],
      [LEFT, 'needs_check', 100 * M, 8.25, 0.6875],
    ],
  },
  {
    name: 'production, nothing else answered',
    answers: { purpose: 'production' },
    date: NEW,
    expect: [
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
      [NEAR, 'needs_check', 100 * M, 7.488, 0.624],
      [LEFT, 'needs_check', 100 * M, 7.8, 0.65],
      [AREA, 'needs_check', 100 * M, 7.8, 0.65],
    ],
    unknownFacts: { [AREA]: ['householdStatus', 'communeDifficult', 'outstandingLoanProgrammes'] },
  },

  // ---- clean water and sanitation ---------------------------------------------------------------------------------
  {
    name: 'none, water, rural, 40 million (under the 50 million for both facilities)',
    answers: { purpose: 'water_sanitation', householdStatus: 'none', area: 'rural', amountNeeded: 40 * M },
    date: NEW,
    expect: [[WATER, 'likely', 25 * M, 8.4, 0.7]],
    within: { [WATER]: true },
  },
  {
    name: 'none, water, rural, 60 million: over the ceiling',
    answers: { purpose: 'water_sanitation', householdStatus: 'none', area: 'rural', amountNeeded: 60 * M },
    date: NEW,
    expect: [[WATER, 'likely', 25 * M, 8.4, 0.7]],
    within: { [WATER]: false },
  },
  {
    name: 'none, water, rural, before the rate change',
    answers: { purpose: 'water_sanitation', householdStatus: 'none', area: 'rural' },
    date: BEFORE,
    expect: [[WATER, 'likely', 25 * M, 9, 0.75]],
  },
  {
    name: 'none, water, urban: nothing fits',
    answers: { purpose: 'water_sanitation', householdStatus: 'none', area: 'urban' },
    date: NEW,
    expect: [],
    reason: { [WATER]: 'rural areas' },
    suggestions: ['vocational_course', 'ask_officer'],
  },
  {
    name: "none, water, doesn't know whether rural",
    answers: { purpose: 'water_sanitation', householdStatus: 'none', area: 'unknown' },
    date: NEW,
    expect: [[WATER, 'needs_check', 25 * M, 8.4, 0.7]],
    unknownFacts: { [WATER]: ['area'] },
  },
  {
    name: 'poor, water, rural: the water loan, and the poor-household loan for an officer to check',
    answers: { purpose: 'water_sanitation', householdStatus: 'poor', area: 'rural' },
    date: NEW,
    expect: [
      [WATER, 'likely', 25 * M, 8.4, 0.7],
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
    ],
    unknownFacts: { [POOR]: [] },
    reason: { [POOR]: 'partly cover' },
  },
  {
    name: 'none, water, rural, during the province-wide fixed-rate test override',
    answers: { purpose: 'water_sanitation', householdStatus: 'none', area: 'rural' },
    date: JUNE,
    commune: C_CITY,
    data: 'variant',
    expect: [[WATER, 'likely', 25 * M, 5, 0.4167]],
    overrides: { [WATER]: ['water_fixed_test'] },
  },

  // ---- students -------------------------------------------------------------------------------------------------
  {
    name: 'poor, student, 2026: per student-month, the amount is not compared',
    answers: { purpose: 'student_tuition', householdStatus: 'poor', amountNeeded: 20 * M },
    date: NEW,
    expect: [
      [STUDENT, 'likely', 4 * M, 6.24, 0.52],
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
    ],
    within: { [STUDENT]: null, [POOR]: true },
  },
  {
    name: 'near-poor, student, before the rate change',
    answers: { purpose: 'student_tuition', householdStatus: 'near_poor' },
    date: BEFORE,
    expect: [
      [STUDENT, 'likely', 4 * M, 6.6, 0.55],
      [NEAR, 'needs_check', 100 * M, 7.92, 0.66],
    ],
  },
  {
    name: 'none, student: average living standard, for an officer to check',
    answers: { purpose: 'student_tuition', householdStatus: 'none' },
    date: NEW,
    expect: [[STUDENT, 'needs_check', 4 * M, 6.24, 0.52]],
    unknownFacts: { [STUDENT]: [] },
    reason: { [STUDENT]: 'average living standard may also qualify' },
  },
  {
    name: "doesn't know the household status, student",
    answers: { purpose: 'student_tuition', householdStatus: 'unknown' },
    date: NEW,
    // The programme meant for her purpose first, then those that may cover it in part.
    expect: [
      [STUDENT, 'needs_check', 4 * M, 6.24, 0.52],
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
      [NEAR, 'needs_check', 100 * M, 7.488, 0.624],
      [LEFT, 'needs_check', 100 * M, 7.8, 0.65],
    ],
    unknownFacts: { [STUDENT]: ['householdStatus'] },
  },
  {
    name: 'left the list within 3 years, student',
    answers: { purpose: 'student_tuition', householdStatus: 'recently_left' },
    date: NEW,
    expect: [
      [STUDENT, 'needs_check', 4 * M, 6.24, 0.52],
      [LEFT, 'needs_check', 100 * M, 7.8, 0.65],
    ],
  },

  // ---- housing ------------------------------------------------------------------------------------------------------
  {
    name: 'poor ethnic-minority household, housing',
    answers: { purpose: 'housing', householdStatus: 'poor', ethnicMinority: 'yes' },
    date: NEW,
    expect: [
      [HOUSING, 'likely', 40 * M, 3, 0.25],
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
    ],
  },
  {
    name: 'poor Kinh household outside extremely difficult communes, housing',
    answers: { purpose: 'housing', householdStatus: 'poor', ethnicMinority: 'no', communeExtremelyDifficult: 'no' },
    date: NEW,
    expect: [[POOR, 'needs_check', 100 * M, 6.24, 0.52]],
    reason: { [HOUSING]: 'poor Kinh households in extremely difficult communes' },
  },
  {
    name: "poor Kinh household, doesn't know whether the commune is extremely difficult, housing",
    answers: {
      purpose: 'housing',
      householdStatus: 'poor',
      ethnicMinority: 'no',
      communeExtremelyDifficult: 'unknown',
    },
    date: NEW,
    expect: [
      [HOUSING, 'needs_check', 40 * M, 3, 0.25],
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
    ],
    unknownFacts: { [HOUSING]: ['communeExtremelyDifficult'] },
  },
  {
    name: 'poor Kinh household in a commune on the extremely-difficult data list, housing',
    answers: { purpose: 'housing', householdStatus: 'poor', ethnicMinority: 'no' },
    date: NEW,
    commune: C_EXTREME,
    data: 'variant',
    expect: [
      [HOUSING, 'likely', 40 * M, 3, 0.25],
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
    ],
  },
  {
    name: 'near-poor ethnic-minority household, housing: the housing loan is for poor households',
    answers: { purpose: 'housing', householdStatus: 'near_poor', ethnicMinority: 'yes' },
    date: NEW,
    expect: [[NEAR, 'needs_check', 100 * M, 7.488, 0.624]],
    reason: { [HOUSING]: 'for poor households' },
  },
  {
    name: "poor household, doesn't know ethnicity or commune list, housing",
    answers: {
      purpose: 'housing',
      householdStatus: 'poor',
      ethnicMinority: 'unknown',
      communeExtremelyDifficult: 'unknown',
    },
    date: NEW,
    expect: [
      [HOUSING, 'needs_check', 40 * M, 3, 0.25],
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
    ],
    unknownFacts: { [HOUSING]: ['ethnicMinority', 'communeExtremelyDifficult'] },
  },

  // ---- job creation -------------------------------------------------------------------------------------------------
  {
    name: 'none, job creation, 2026: standard rate, the priority rate may apply',
    answers: { purpose: 'job_creation', householdStatus: 'none' },
    date: NEW,
    expect: [[JOB, 'likely', 200 * M, 7.9248, 0.6604]],
    tier: { [JOB]: 'standard' },
    otherRates: { [JOB]: ['priority:6.24'] },
  },
  {
    name: 'none, job creation, December 2025: no rate in the data before Decree 338',
    answers: { purpose: 'job_creation', householdStatus: 'none' },
    date: DECEMBER,
    expect: [[JOB, 'likely', 200 * M, null, null]],
  },
  {
    name: 'poor ethnic-minority worker, job creation: priority rate',
    answers: { purpose: 'job_creation', householdStatus: 'poor', ethnicMinority: 'yes' },
    date: NEW,
    expect: [[JOB, 'likely', 200 * M, 6.24, 0.52]],
    tier: { [JOB]: 'priority' },
    otherRates: { [JOB]: [] },
  },
  {
    name: 'poor Kinh worker in an extremely difficult commune (data list), job creation: priority rate',
    answers: { purpose: 'job_creation', householdStatus: 'poor', ethnicMinority: 'no' },
    date: NEW,
    commune: C_EXTREME,
    data: 'variant',
    expect: [[JOB, 'likely', 200 * M, 6.24, 0.52]],
    tier: { [JOB]: 'priority' },
  },
  {
    name: 'job creation, 250 million for one worker: over the ceiling',
    answers: { purpose: 'job_creation', amountNeeded: 250 * M },
    date: NEW,
    expect: [[JOB, 'likely', 200 * M, 7.9248, 0.6604]],
    within: { [JOB]: false },
  },

  // ---- nothing fits, nothing known ----------------------------------------------------------------------------------
  {
    name: 'poor, other purpose: nothing fits',
    answers: { purpose: 'other', householdStatus: 'poor' },
    date: NEW,
    expect: [],
    suggestions: ['job_creation_loan', 'vocational_course', 'ask_officer'],
  },
  {
    name: 'nothing answered: every programme needs checking, lowest rate first',
    answers: {},
    date: NEW,
    expect: [
      [HOUSING, 'needs_check', 40 * M, 3, 0.25],
      [POOR, 'needs_check', 100 * M, 6.24, 0.52],
      [STUDENT, 'needs_check', 4 * M, 6.24, 0.52],
      [NEAR, 'needs_check', 100 * M, 7.488, 0.624],
      [LEFT, 'needs_check', 100 * M, 7.8, 0.65],
      [AREA, 'needs_check', 100 * M, 7.8, 0.65],
      [JOB, 'needs_check', 200 * M, 7.9248, 0.6604],
      [WATER, 'needs_check', 25 * M, 8.4, 0.7],
    ],
  },
];

const dataOf = (row: Row): ProgrammeData => (row.data === 'variant' ? variant : shipped);
const byId = (programmes: ProgrammeResult[], id: string): ProgrammeResult => {
  const found = programmes.find((p) => p.id === id);
  if (found === undefined) throw new Error(`no programme ${id}`);
  return found;
};

describe('evaluate: the table', () => {
  it('has at least 40 cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it.each(rows.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const data = dataOf(row);
    const result = evaluate(row.answers, row.date, row.commune ?? null, data);

    const fitting = result.programmes.filter((p) => p.status !== 'not_eligible');
    expect(
      fitting.map((p): Expected => [
        p.id,
        p.status,
        p.maxAmount.amount,
        p.rate?.perYear ?? null,
        p.rate?.perMonth ?? null,
      ]),
    ).toEqual(row.expect);
    // Every other programme is listed after them, as not eligible, with a reason.
    const rest = result.programmes.slice(fitting.length);
    expect(rest.every((p) => p.status === 'not_eligible' && p.reasons.length > 0)).toBe(true);
    expect(result.programmes.map((p) => p.id).sort()).toEqual(data.programmes.map((p) => p.id).sort());
    expect(result.nothingFits).toBe(row.expect.length === 0);
    if (row.expect.length > 0) expect(result.suggestions).toEqual([]);

    for (const [id, within] of Object.entries(row.within ?? {}))
      expect(byId(result.programmes, id).withinMaximum).toBe(within);
    for (const [id, facts] of Object.entries(row.unknownFacts ?? {})) {
      expect(byId(result.programmes, id).unknownFacts).toEqual(facts);
    }
    for (const [id, rates] of Object.entries(row.otherRates ?? {})) {
      expect(byId(result.programmes, id).otherRates.map((r) => `${r.id}:${r.perYear}`)).toEqual(rates);
    }
    for (const [id, overrides] of Object.entries(row.overrides ?? {})) {
      expect(byId(result.programmes, id).rate?.overrides.map((o) => o.id)).toEqual(overrides);
    }
    for (const [id, tier] of Object.entries(row.tier ?? {})) expect(byId(result.programmes, id).rate?.tier).toBe(tier);
    for (const [id, reason] of Object.entries(row.reason ?? {})) {
      expect(
        byId(result.programmes, id)
          .reasons.map((r) => r.en)
          .join(' / '),
      ).toContain(reason);
    }
    if (row.suggestions) expect(result.suggestions.map((s) => s.id)).toEqual(row.suggestions);

    // Likely programmes have no reasons; the others say why (in both languages).
    for (const p of result.programmes) {
      if (p.status === 'likely') expect(p.reasons).toEqual([]);
      else expect(p.reasons.length).toBeGreaterThan(0);
      for (const r of p.reasons) expect(r.vi.length * r.en.length).toBeGreaterThan(0);
    }
  });
});

describe('evaluate: the rest of the answer', () => {
  it('is deterministic and plain JSON (stored as is with an inquiry)', () => {
    const answers: CreditAnswers = { purpose: 'production', householdStatus: 'unknown', communeDifficult: 'yes' };
    const a = evaluate(answers, NEW, C_FLOOD, variant);
    const b = evaluate(structuredClone(answers), NEW, C_FLOOD, variant);
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(a.dataVersion).toBe(variant.version);
    expect(a.date).toBe(NEW);
    expect(a.communeCode).toBe(C_FLOOD);
  });

  it('reads a Date in Vietnam time (UTC+7)', () => {
    // 2025-11-30 18:00 UTC is 1 December 01:00 in Thái Nguyên: the new rate.
    const result = evaluate(production('poor'), new Date('2025-11-30T18:00:00Z'), null, shipped);
    expect(result.date).toBe('2025-12-01');
    expect(byId(result.programmes, POOR).rate?.perYear).toBe(6.24);
    expect(toIsoDate(new Date('2025-11-30T16:59:59Z'))).toBe('2025-11-30');
  });

  it('refuses a date that is not a calendar date', () => {
    expect(() => evaluate({}, '2025-02-30', null, shipped)).toThrow(RangeError);
    expect(() => evaluate({}, '1/12/2025', null, shipped)).toThrow(RangeError);
    expect(() => evaluate({}, new Date('nonsense'), null, shipped)).toThrow(RangeError);
  });

  it('gives the figures, documents, legal basis and confirmation flags of each programme', () => {
    const result = evaluate(production('near_poor', { savingsGroupMember: 'yes' }), NEW, null, shipped);
    const near = byId(result.programmes, NEAR);
    expect(near.names.vi).toBe('Cho vay hộ cận nghèo');
    expect(near.maxAmount).toEqual({
      amount: 100 * M,
      unit: 'household',
      maxTotal: null,
      confirmed: false,
      note: null,
    });
    expect(near.term).toMatchObject({ maxMonths: 60, confirmed: false });
    expect(near.rate).toMatchObject({
      perYear: 7.488,
      perMonth: 0.624,
      basePerYear: 7.488,
      tier: 'standard',
      effectiveFrom: '2025-12-01',
      effectiveTo: null,
      confirmed: true,
    });
    expect(near.rate?.legalBasis).toContain('2553/QĐ-TTg');
    expect(near.overdueRate).toEqual({ perYear: 9.7344, perMonth: 0.8112, percentOfRate: 130, confirmed: true });
    expect(near.documents.vi.length).toBe(near.documents.en.length);
    expect(near.documents.vi.length).toBeGreaterThan(0);
    expect(near.legalBasis).toContain('15/2013/QĐ-TTg');
    expect(near.confirmed).toBe(true);
    expect(near.allConfirmed).toBe(false);
    expect(result.disclaimer.vi).toContain('Ngân hàng Chính sách xã hội quyết định');

    const water = byId(evaluate({ purpose: 'water_sanitation', area: 'rural' }, NEW, null, shipped).programmes, WATER);
    expect(water.maxAmount).toMatchObject({ amount: 25 * M, unit: 'facility', maxTotal: 50 * M, confirmed: true });
    expect(water.allConfirmed).toBe(true);
    const student = byId(evaluate({ purpose: 'student_tuition' }, NEW, null, shipped).programmes, STUDENT);
    expect(student.term.maxMonths).toBeNull();
    expect(student.term.note?.en).toContain('12 months after the course');
  });

  it('keeps the rate history: the pre-December rate, and the period it belongs to', () => {
    const old = byId(evaluate(production('poor'), BEFORE, null, shipped).programmes, POOR).rate;
    expect(old).toMatchObject({ perYear: 6.6, effectiveFrom: null, effectiveTo: '2025-11-30' });
  });

  it('puts the savings-group step first in the next steps, by her answer', () => {
    const steps = (savingsGroupMember?: CreditAnswers['savingsGroupMember']) =>
      byId(evaluate(production('poor', { savingsGroupMember }), NEW, null, shipped).programmes, POOR).nextSteps;
    expect(steps('yes')[0]).toEqual(shipped.savingsGroupSteps.yes);
    expect(steps('no')[0]).toEqual(shipped.savingsGroupSteps.no);
    expect(steps('unknown')[0]).toEqual(shipped.savingsGroupSteps.unknown);
    expect(steps(undefined)[0]).toEqual(shipped.savingsGroupSteps.unknown);
    expect(steps('yes')).toHaveLength(2);
    expect(steps('yes')[1]).toEqual(shipped.programmes.find((p) => p.id === POOR)?.nextStep);
  });

  it('never turns "I don\'t know" into a yes or a no', () => {
    // For every purpose, and each question answered in turn with each of its values on a few backgrounds: when the
    // known answers give different verdicts for a programme, "I don't know" gives needs_check; when they all agree,
    // it gives that same verdict (the question did not matter).
    const backgrounds: CreditAnswers[] = [
      {
        householdStatus: 'poor',
        area: 'rural',
        communeDifficult: 'yes',
        ethnicMinority: 'yes',
        communeExtremelyDifficult: 'yes',
        outstandingLoans: 'none',
      },
      {
        householdStatus: 'none',
        area: 'urban',
        communeDifficult: 'no',
        ethnicMinority: 'no',
        communeExtremelyDifficult: 'no',
        outstandingLoans: 'yes',
        outstandingLoanProgrammes: [JOB],
      },
      {
        householdStatus: 'none',
        area: 'rural',
        communeDifficult: 'yes',
        ethnicMinority: 'no',
        communeExtremelyDifficult: 'unknown',
        outstandingLoans: 'none',
      },
    ];
    const variations: Record<string, { known: CreditAnswers[]; unknown: CreditAnswers }> = {
      householdStatus: {
        known: HOUSEHOLD.map((householdStatus) => ({ householdStatus })),
        unknown: { householdStatus: 'unknown' },
      },
      area: { known: [{ area: 'rural' }, { area: 'urban' }], unknown: { area: 'unknown' } },
      communeDifficult: {
        known: [{ communeDifficult: 'yes' }, { communeDifficult: 'no' }],
        unknown: { communeDifficult: 'unknown' },
      },
      ethnicMinority: {
        known: [{ ethnicMinority: 'yes' }, { ethnicMinority: 'no' }],
        unknown: { ethnicMinority: 'unknown' },
      },
      communeExtremelyDifficult: {
        known: [{ communeExtremelyDifficult: 'yes' }, { communeExtremelyDifficult: 'no' }],
        unknown: { communeExtremelyDifficult: 'unknown' },
      },
      outstandingLoans: {
        known: [
          { outstandingLoans: 'none', outstandingLoanProgrammes: undefined },
          { outstandingLoans: 'yes', outstandingLoanProgrammes: [JOB] },
          { outstandingLoans: 'yes', outstandingLoanProgrammes: [STUDENT] },
        ],
        unknown: { outstandingLoans: 'unknown', outstandingLoanProgrammes: undefined },
      },
    };
    let compared = 0;
    for (const purpose of PURPOSE_LIST) {
      for (const background of backgrounds) {
        for (const { known, unknown } of Object.values(variations)) {
          const statuses = (answers: CreditAnswers) =>
            new Map(
              evaluate({ ...background, ...answers, purpose }, NEW, null, shipped).programmes.map((p) => [
                p.id,
                p.status,
              ]),
            );
          const knownStatuses = known.map(statuses);
          const unknownStatuses = statuses(unknown);
          for (const id of shipped.programmes.map((p) => p.id)) {
            const verdicts = new Set(knownStatuses.map((m) => m.get(id)));
            expect(unknownStatuses.get(id)).toBe(verdicts.size > 1 ? 'needs_check' : [...verdicts][0]);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(PURPOSE_LIST.length * backgrounds.length * Object.keys(variations).length * 8);
  });

  it('says which facts came from the data', () => {
    const result = evaluate(production('none', { communeDifficult: 'no' }), NEW, C_DIFFICULT, variant);
    expect(result.facts.communeDifficult).toBe('yes');
    expect(result.factSources).toMatchObject({ communeDifficult: 'data', householdStatus: 'member' });
  });
});

describe('which questions matter', () => {
  it('factsFor lists the questions a purpose can need, in order', () => {
    expect(factsFor('production', shipped)).toEqual([
      'purpose',
      'householdStatus',
      'communeDifficult',
      'outstandingLoans',
      'outstandingLoanProgrammes',
      'amountNeeded',
      'savingsGroupMember',
    ]);
    expect(factsFor('water_sanitation', shipped)).toEqual([
      'purpose',
      'householdStatus',
      'area',
      'amountNeeded',
      'savingsGroupMember',
    ]);
    expect(factsFor('student_tuition', shipped)).toEqual([
      'purpose',
      'householdStatus',
      'amountNeeded',
      'savingsGroupMember',
    ]);
    expect(factsFor('housing', shipped)).toEqual([
      'purpose',
      'householdStatus',
      'ethnicMinority',
      'communeExtremelyDifficult',
      'amountNeeded',
      'savingsGroupMember',
    ]);
    // Job creation: the status, ethnicity and commune only decide the priority rate.
    expect(factsFor('job_creation', shipped)).toEqual([
      'purpose',
      'householdStatus',
      'ethnicMinority',
      'communeExtremelyDifficult',
      'amountNeeded',
      'savingsGroupMember',
    ]);
    expect(factsFor('other', shipped)).toEqual(['purpose']);
  });

  it('questionsToAsk narrows with each answer', () => {
    const ask = (answers: CreditAnswers, commune: string | null = null, data = shipped) =>
      questionsToAsk(answers, NEW, commune, data);
    // A poor household producing: the difficult-area programme is out, so neither the commune nor the loans matter.
    expect(ask({ purpose: 'production', householdStatus: 'poor' })).toEqual([
      'purpose',
      'householdStatus',
      'amountNeeded',
      'savingsGroupMember',
    ]);
    expect(ask({ purpose: 'production', householdStatus: 'none' })).toEqual([
      'purpose',
      'householdStatus',
      'communeDifficult',
      'outstandingLoans',
      'amountNeeded',
      'savingsGroupMember',
    ]);
    // "Which loans?" only after "yes".
    expect(ask({ purpose: 'production', householdStatus: 'none', outstandingLoans: 'yes' })).toContain(
      'outstandingLoanProgrammes',
    );
    // The data knows the commune is difficult: not asked.
    expect(ask({ purpose: 'production', householdStatus: 'none' }, C_DIFFICULT, variant)).not.toContain(
      'communeDifficult',
    );
    // Housing: an ethnic-minority household need not be asked about the commune list; a Kinh one is.
    expect(ask({ purpose: 'housing', householdStatus: 'poor', ethnicMinority: 'yes' })).not.toContain(
      'communeExtremelyDifficult',
    );
    expect(ask({ purpose: 'housing', householdStatus: 'poor', ethnicMinority: 'no' })).toContain(
      'communeExtremelyDifficult',
    );
    // An answered question stays while it matters (a flow's `when` must not drop it).
    expect(ask({ purpose: 'housing', householdStatus: 'poor', ethnicMinority: 'no' })).toContain('ethnicMinority');
    // Job creation: the priority rate needs the status; a household on no list has nothing more to tell.
    expect(ask({ purpose: 'job_creation' })).toContain('householdStatus');
    expect(ask({ purpose: 'job_creation', householdStatus: 'none' })).toEqual([
      'purpose',
      'householdStatus',
      'amountNeeded',
      'savingsGroupMember',
    ]);
    // Before Decree 338 there is no priority tier in force: only the purpose, the amount and the group.
    expect(questionsToAsk({ purpose: 'job_creation' }, DECEMBER, null, shipped)).toEqual([
      'purpose',
      'amountNeeded',
      'savingsGroupMember',
    ]);
    // Nothing possible: nothing more to ask.
    expect(ask({ purpose: 'other' })).toEqual(['purpose']);
  });
});
