// What a member can tell the credit pre-screen, and the facts the programme conditions are written in.
//
// Answers are what the flow stores (one key per question; "unknown" is the member's "I don't know"). Facts are what the
// conditions of the programme data read: the answers with "unknown" removed, plus what the data itself knows (a commune
// on the difficult-area list). A fact that is absent is unknown: the rules engine never guesses it.
import { z } from 'zod';

/** What the money is for. */
export const PURPOSES = [
  'production',
  'job_creation',
  'water_sanitation',
  'student_tuition',
  'housing',
  'other',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** The household on the commune's official lists: poor, near-poor, left the poor/near-poor list within 3 years, none. */
export const HOUSEHOLD_STATUSES = ['poor', 'near_poor', 'recently_left', 'none'] as const;
export type HouseholdStatus = (typeof HOUSEHOLD_STATUSES)[number];

export const AREA_KINDS = ['rural', 'urban'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

export const YES_NO = ['yes', 'no'] as const;
export type YesNo = (typeof YES_NO)[number];

/** The member's "I don't know". */
export const UNKNOWN = 'unknown';

const yesNoUnknown = z.enum(['yes', 'no', 'unknown']);

/**
 * The answers of one pre-screen, as the flow stores them (every key optional: a question not asked is unknown).
 *
 * - `purpose`: what the money is for.
 * - `householdStatus`: on the commune's poor list, near-poor list, left one of them within the last 3 years, none.
 * - `area`: does the household live in a rural or an urban area (the clean-water programme is rural only).
 * - `communeDifficult`: is the commune on the difficult-area list. Filled from the data when the commune's code is listed
 *   (the member is not asked then; see `questionsToAsk`).
 * - `communeExtremelyDifficult`: is the commune (or hamlet) on the extremely-difficult list (housing programme). Same.
 * - `ethnicMinority`: is the household an ethnic-minority household (asked only where a programme needs it).
 * - `amountNeeded`: VND (see `parseAmount`); compared with each programme's ceiling, never a reason to refuse.
 * - `outstandingLoans`: does the household owe the VBSP now; when "yes", `outstandingLoanProgrammes` says which
 *   (programme ids of the data, or "other"; "unknown" when she does not know which).
 * - `savingsGroupMember`: is she in a savings-and-loan group (Tổ TK&VV). Not a condition: it changes the next step.
 */
export const creditAnswersSchema = z.strictObject({
  purpose: z.enum(PURPOSES).optional(),
  householdStatus: z.enum([...HOUSEHOLD_STATUSES, UNKNOWN]).optional(),
  area: z.enum([...AREA_KINDS, UNKNOWN]).optional(),
  communeDifficult: yesNoUnknown.optional(),
  communeExtremelyDifficult: yesNoUnknown.optional(),
  ethnicMinority: yesNoUnknown.optional(),
  amountNeeded: z.union([z.number().int().positive(), z.literal(UNKNOWN)]).optional(),
  outstandingLoans: z.enum(['none', 'yes', UNKNOWN]).optional(),
  outstandingLoanProgrammes: z.union([z.array(z.string().min(1)), z.literal(UNKNOWN)]).optional(),
  savingsGroupMember: yesNoUnknown.optional(),
});
export type CreditAnswers = z.infer<typeof creditAnswersSchema>;
/** A question of the pre-screen: one key of the answers. */
export type CreditQuestion = keyof CreditAnswers;

/** The order in which questions are asked (purpose first; what members know before what they may not). */
export const QUESTION_ORDER: readonly CreditQuestion[] = [
  'purpose',
  'householdStatus',
  'area',
  'ethnicMinority',
  'communeDifficult',
  'communeExtremelyDifficult',
  'outstandingLoans',
  'outstandingLoanProgrammes',
  'amountNeeded',
  'savingsGroupMember',
];

/**
 * The facts conditions can test, and the type of each: `enum` facts take `equals` / `in`, `number` facts `atMost` /
 * `atLeast` (and `equals`), `set` facts `includes` / `excludes`.
 */
export const FACT_TYPES = {
  purpose: { kind: 'enum', values: PURPOSES },
  householdStatus: { kind: 'enum', values: HOUSEHOLD_STATUSES },
  area: { kind: 'enum', values: AREA_KINDS },
  communeDifficult: { kind: 'enum', values: YES_NO },
  communeExtremelyDifficult: { kind: 'enum', values: YES_NO },
  ethnicMinority: { kind: 'enum', values: YES_NO },
  savingsGroupMember: { kind: 'enum', values: YES_NO },
  amountNeeded: { kind: 'number' },
  /** Programme ids of the household's current VBSP loans ([] = none); "other" for one the data does not list. */
  outstandingLoanProgrammes: { kind: 'set' },
} as const satisfies Record<string, { kind: 'enum'; values: readonly string[] } | { kind: 'number' } | { kind: 'set' }>;
export type Fact = keyof typeof FACT_TYPES;
export const FACTS = Object.keys(FACT_TYPES) as Fact[];

/** The questions whose answers make a fact. */
export const QUESTIONS_OF_FACT: Record<Fact, readonly CreditQuestion[]> = {
  purpose: ['purpose'],
  householdStatus: ['householdStatus'],
  area: ['area'],
  communeDifficult: ['communeDifficult'],
  communeExtremelyDifficult: ['communeExtremelyDifficult'],
  ethnicMinority: ['ethnicMinority'],
  savingsGroupMember: ['savingsGroupMember'],
  amountNeeded: ['amountNeeded'],
  outstandingLoanProgrammes: ['outstandingLoans', 'outstandingLoanProgrammes'],
};

export type FactValue = string | number | readonly string[];
/** Known facts; an absent key is unknown. */
export type Facts = Partial<Record<Fact, FactValue>>;
/** Where a known fact came from. */
export type FactSource = 'member' | 'data';

/** The commune lists of the data that can settle a fact without asking. */
export interface CommuneList {
  codes: readonly string[];
  /** true: a commune that is not listed is known not to be on the list. */
  complete: boolean;
}

export interface ResolvedFacts {
  facts: Facts;
  sources: Partial<Record<Fact, FactSource>>;
}

/**
 * The facts of a set of answers. The data wins over the member for the commune lists: a listed commune is on the list
 * (even if she said no); an unlisted one is off it only when the data says its list is complete; otherwise her answer
 * counts.
 */
export function resolveFacts(
  answers: CreditAnswers,
  communeCode: string | null | undefined,
  lists: { difficultCommunes: CommuneList; extremelyDifficultCommunes: CommuneList },
): ResolvedFacts {
  const facts: Facts = {};
  const sources: Partial<Record<Fact, FactSource>> = {};
  const set = (fact: Fact, value: FactValue | undefined, source: FactSource = 'member') => {
    if (value === undefined || value === UNKNOWN) return;
    facts[fact] = value;
    sources[fact] = source;
  };

  set('purpose', answers.purpose);
  set('householdStatus', answers.householdStatus);
  set('area', answers.area);
  set('ethnicMinority', answers.ethnicMinority);
  set('savingsGroupMember', answers.savingsGroupMember);
  set('amountNeeded', answers.amountNeeded);

  const fromList = (fact: Fact, list: CommuneList, answer: string | undefined) => {
    if (communeCode && list.codes.includes(communeCode)) set(fact, 'yes', 'data');
    else if (communeCode && list.complete) set(fact, 'no', 'data');
    else set(fact, answer);
  };
  fromList('communeDifficult', lists.difficultCommunes, answers.communeDifficult);
  fromList('communeExtremelyDifficult', lists.extremelyDifficultCommunes, answers.communeExtremelyDifficult);

  // "none" settles the list of loans; "yes" needs to know which ("yes" with an empty or unknown list stays unknown).
  const programmes = answers.outstandingLoanProgrammes;
  if (answers.outstandingLoans === 'none') set('outstandingLoanProgrammes', []);
  else if (Array.isArray(programmes) && programmes.length > 0) set('outstandingLoanProgrammes', [...programmes]);
  return { facts, sources };
}
