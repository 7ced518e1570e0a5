// The small declarative condition language of the programme data, and its three-valued evaluator.
//
// A condition is a JSON object with exactly one operator:
//   { "fact": "householdStatus", "equals": "poor" }          { "fact": "purpose", "in": ["production", "housing"] }
//   { "fact": "amountNeeded", "atMost": 100000000 }           { "fact": "amountNeeded", "atLeast": 1000000 }
//   { "fact": "outstandingLoanProgrammes", "includes": [...] } { "fact": "outstandingLoanProgrammes", "excludes": [...] }
//   { "all": [ ... ] }   { "any": [ ... ] }   { "not": { ... } }
// and its reasons, written for the member in both languages (the data is i18n-free: the words are in the file):
//   "notMet"  why she is not eligible when the condition is false (required on a fact test, `any` and `not`),
//   "unknown" what an officer must check when the condition cannot be decided (required on a fact test),
//   "check"   what an officer must check when `onTrue` / `onFalse` is "check": the condition is decided, but the
//             outcome is for an officer to confirm (e.g. "a poor-household loan may also cover housing").
//
// Evaluation is three-valued (Kleene): an absent fact makes its test unknown, never a false yes or no; `all` is false
// when any part is false, else unknown when any part is unknown; `any` is true when any part is true, else unknown when
// any part is unknown; `not` swaps true and false and keeps unknown.
import { z } from 'zod';
import { FACT_TYPES, FACTS, type Fact, type Facts, type FactValue } from './facts.ts';

export interface I18nText {
  vi: string;
  en: string;
}

export const i18nTextSchema = z.strictObject({ vi: z.string().trim().min(1), en: z.string().trim().min(1) });

export interface Condition {
  fact?: Fact;
  equals?: string | number;
  in?: string[];
  atMost?: number;
  atLeast?: number;
  includes?: string[];
  excludes?: string[];
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
  notMet?: I18nText;
  unknown?: I18nText;
  check?: I18nText;
  onTrue?: 'check';
  onFalse?: 'check';
  /** For the people who maintain the data; never shown to members. */
  comment?: string;
}

const FACT_OPERATORS = ['equals', 'in', 'atMost', 'atLeast', 'includes', 'excludes'] as const;
const GROUP_OPERATORS = ['all', 'any', 'not'] as const;
const OPERATORS = [...FACT_OPERATORS, ...GROUP_OPERATORS] as const;
type Operator = (typeof OPERATORS)[number];

const OPERATORS_OF_KIND = {
  enum: ['equals', 'in'],
  number: ['equals', 'atMost', 'atLeast'],
  set: ['includes', 'excludes'],
} as const satisfies Record<string, readonly Operator[]>;

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .strictObject({
      fact: z.enum(FACTS as [Fact, ...Fact[]]).optional(),
      equals: z.union([z.string().min(1), z.number()]).optional(),
      in: z.array(z.string().min(1)).min(1).optional(),
      atMost: z.number().optional(),
      atLeast: z.number().optional(),
      includes: z.array(z.string().min(1)).min(1).optional(),
      excludes: z.array(z.string().min(1)).min(1).optional(),
      all: z.array(conditionSchema).min(1).optional(),
      any: z.array(conditionSchema).min(1).optional(),
      not: conditionSchema.optional(),
      notMet: i18nTextSchema.optional(),
      unknown: i18nTextSchema.optional(),
      check: i18nTextSchema.optional(),
      onTrue: z.literal('check').optional(),
      onFalse: z.literal('check').optional(),
      comment: z.string().optional(),
    })
    .superRefine((c, ctx) => {
      const ops = OPERATORS.filter((op) => c[op] !== undefined);
      if (ops.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            ops.length === 0
              ? `a condition needs one of ${OPERATORS.join(', ')}`
              : `a condition has exactly one operator, found ${ops.join(' and ')}`,
        });
        return;
      }
      const op = ops[0]!;
      const isFactTest = (FACT_OPERATORS as readonly string[]).includes(op);
      if (isFactTest && c.fact === undefined) {
        ctx.addIssue({ code: 'custom', path: ['fact'], message: `"${op}" tests a fact: "fact" is required` });
      }
      if (!isFactTest && c.fact !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['fact'], message: `"${op}" combines conditions and takes no "fact"` });
      }
      if (isFactTest || op === 'any' || op === 'not') {
        if (c.notMet === undefined) {
          ctx.addIssue({ code: 'custom', path: ['notMet'], message: `required on "${op}": why she is not eligible` });
        }
      }
      if (isFactTest && c.unknown === undefined) {
        ctx.addIssue({ code: 'custom', path: ['unknown'], message: 'required on a fact test: what an officer checks' });
      }
      if ((c.onTrue !== undefined || c.onFalse !== undefined) && c.check === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['check'],
          message: 'required with onTrue/onFalse: what an officer checks',
        });
      }
      if (c.onTrue !== undefined && c.onFalse !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['onFalse'], message: 'onTrue and onFalse together would never decide' });
      }
      if (!isFactTest || c.fact === undefined) return;

      const type = FACT_TYPES[c.fact];
      if (!(OPERATORS_OF_KIND[type.kind] as readonly string[]).includes(op)) {
        ctx.addIssue({
          code: 'custom',
          path: [op],
          message: `fact "${c.fact}" takes ${OPERATORS_OF_KIND[type.kind].join(' or ')}, not "${op}"`,
        });
        return;
      }
      if (type.kind === 'enum') {
        const fact = c.fact;
        const allowed: readonly string[] = type.values;
        const check = (value: unknown, path: (string | number)[]) => {
          if (typeof value !== 'string' || !allowed.includes(value)) {
            ctx.addIssue({
              code: 'custom',
              path,
              message: `${JSON.stringify(value)} is not a value of "${fact}" (${allowed.join(', ')})`,
            });
          }
        };
        if (c.equals !== undefined) check(c.equals, ['equals']);
        c.in?.forEach((value, i) => check(value, ['in', i]));
      }
      if (type.kind === 'number' && c.equals !== undefined && typeof c.equals !== 'number') {
        ctx.addIssue({ code: 'custom', path: ['equals'], message: `fact "${c.fact}" is a number` });
      }
    }),
);

export type Truth = true | false | 'unknown';

export interface ConditionResult {
  value: Truth;
  /** false: why not (the `notMet` reasons); unknown: what an officer must check; true: none. */
  reasons: I18nText[];
  /** The facts whose absence left the result unknown. */
  unknownFacts: Fact[];
  /** false: the facts whose tests failed (e.g. `area` for "rural households only"); otherwise []. */
  failedFacts: Fact[];
}

/** Evaluates a condition on known facts (an absent fact is unknown). Pure. */
export function evaluateCondition(condition: Condition, facts: Facts): ConditionResult {
  return applyChecks(condition, evaluateOperator(condition, facts));
}

function evaluateOperator(c: Condition, facts: Facts): ConditionResult {
  if (c.all !== undefined) {
    const parts = c.all.map((part) => evaluateCondition(part, facts));
    const falses = parts.filter((p) => p.value === false);
    if (falses.length > 0) {
      return no(
        c.notMet ? [c.notMet] : falses.flatMap((p) => p.reasons),
        falses.flatMap((p) => p.failedFacts),
      );
    }
    if (parts.every((p) => p.value === true)) return yes();
    return combineUnknown(c, parts);
  }
  if (c.any !== undefined) {
    const parts = c.any.map((part) => evaluateCondition(part, facts));
    if (parts.some((p) => p.value === true)) return yes();
    if (parts.every((p) => p.value === false)) {
      return no(
        c.notMet ? [c.notMet] : parts.flatMap((p) => p.reasons),
        parts.flatMap((p) => p.failedFacts),
      );
    }
    return combineUnknown(c, parts);
  }
  if (c.not !== undefined) {
    const inner = evaluateCondition(c.not, facts);
    if (inner.value === 'unknown') return combineUnknown(c, [inner]);
    return inner.value ? no(c.notMet ? [c.notMet] : [], factsOf(c.not)) : yes();
  }
  const fact = c.fact!;
  const value = facts[fact];
  if (value === undefined) {
    return { value: 'unknown', reasons: c.unknown ? [c.unknown] : [], unknownFacts: [fact], failedFacts: [] };
  }
  return testFact(c, value) ? yes() : no(c.notMet ? [c.notMet] : [], [fact]);
}

function testFact(c: Condition, value: FactValue): boolean {
  if (c.equals !== undefined) return value === c.equals;
  if (c.in !== undefined) return typeof value === 'string' && c.in.includes(value);
  if (c.atMost !== undefined) return typeof value === 'number' && value <= c.atMost;
  if (c.atLeast !== undefined) return typeof value === 'number' && value >= c.atLeast;
  if (c.includes !== undefined) return Array.isArray(value) && c.includes.some((v) => value.includes(v));
  if (c.excludes !== undefined) return Array.isArray(value) && !c.excludes.some((v) => value.includes(v));
  return false;
}

/** onTrue/onFalse "check": a decided condition whose outcome an officer must confirm. */
function applyChecks(c: Condition, result: ConditionResult): ConditionResult {
  const flagged = (result.value === true && c.onTrue === 'check') || (result.value === false && c.onFalse === 'check');
  if (!flagged) return result;
  return { value: 'unknown', reasons: c.check ? [c.check] : [], unknownFacts: [], failedFacts: [] };
}

function combineUnknown(c: Condition, parts: ConditionResult[]): ConditionResult {
  const unknown = parts.filter((p) => p.value === 'unknown');
  return {
    value: 'unknown',
    reasons: c.unknown ? [c.unknown] : uniqueTexts(unknown.flatMap((p) => p.reasons)),
    unknownFacts: [...new Set(unknown.flatMap((p) => p.unknownFacts))],
    failedFacts: [],
  };
}

const yes = (): ConditionResult => ({ value: true, reasons: [], unknownFacts: [], failedFacts: [] });
const no = (reasons: I18nText[], failedFacts: Fact[]): ConditionResult => ({
  value: false,
  reasons: uniqueTexts(reasons),
  unknownFacts: [],
  failedFacts: [...new Set(failedFacts)],
});

export function uniqueTexts(texts: readonly I18nText[]): I18nText[] {
  const seen = new Set<string>();
  return texts.filter((t) => {
    const key = `${t.vi}\u0000${t.en}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every fact a condition reads. */
export function factsOf(condition: Condition): Fact[] {
  const found = new Set<Fact>();
  const walk = (c: Condition) => {
    if (c.fact !== undefined) found.add(c.fact);
    c.all?.forEach(walk);
    c.any?.forEach(walk);
    if (c.not) walk(c.not);
  };
  walk(condition);
  return [...found];
}

/** Every fact test in a condition, with its JSON path below the condition (for cross-checks of the data file). */
export function factTests(
  condition: Condition,
  path: (string | number)[] = [],
): { test: Condition; path: (string | number)[] }[] {
  const found: { test: Condition; path: (string | number)[] }[] = [];
  if (condition.fact !== undefined) found.push({ test: condition, path });
  condition.all?.forEach((c, i) => found.push(...factTests(c, [...path, 'all', i])));
  condition.any?.forEach((c, i) => found.push(...factTests(c, [...path, 'any', i])));
  if (condition.not) found.push(...factTests(condition.not, [...path, 'not']));
  return found;
}

/**
 * The facts that can still decide a condition: those tested in a part that is undecided (neither true nor false,
 * before onTrue/onFalse) and whose ancestors are undecided too. A part already decided (a true branch of an `any`, a
 * false branch of an `all`, a test of a known fact) needs nothing more.
 */
export function openFacts(condition: Condition, facts: Facts): Set<Fact> {
  const open = new Set<Fact>();
  const walk = (c: Condition) => {
    if (evaluateOperator(c, facts).value !== 'unknown') return;
    if (c.fact !== undefined) open.add(c.fact);
    c.all?.forEach(walk);
    c.any?.forEach(walk);
    if (c.not) walk(c.not);
  };
  walk(condition);
  return open;
}
