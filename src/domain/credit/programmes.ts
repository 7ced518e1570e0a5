// The loan programme data file (prisma/data/credit-programmes.json): versioned, dated, and validated here. Every
// figure is data: rates, ceilings, terms, conditions, overrides, the commune lists, and the words quick questions are
// matched with. Figures not confirmed from a primary source carry `confirmed: false` and a `source`.
//
// Dates are ISO calendar dates (YYYY-MM-DD, Vietnam time); `effectiveFrom` and `effectiveTo` are both inclusive, and
// null means "open" (a period whose start was not recorded, or one still in force).
import { z } from 'zod';
import { conditionSchema, factTests, i18nTextSchema, type Condition, type I18nText } from './conditions.ts';
import { FACT_TYPES, PURPOSES } from './facts.ts';

const isoDate = z.iso.date();

/**
 * Longest id of a programme, tier, override or suggestion. Ids travel in button data (Telegram allows 64 bytes of
 * callback_data in all, question id included) and in stored answers: short and plain ASCII.
 */
export const MAX_ID_LENGTH = 32;
const id = z
  .string()
  .max(MAX_ID_LENGTH, `at most ${MAX_ID_LENGTH} characters (ids travel in button data, which channels limit)`)
  .regex(/^[a-z][a-z0-9_-]*$/, 'lower case letters, digits, - and _ (starting with a letter)');

/** Longest text that is shown on a button: a Zalo OA button title holds 100 characters; phones show far fewer. */
export const MAX_BUTTON_LABEL = 40;
/** Longest programme name (said in answers; a button when no short name is given). */
export const MAX_NAME_LENGTH = 100;
const labelText = (max: number, what: string) =>
  z.strictObject({
    vi: z.string().trim().min(1).max(max, `at most ${max} characters (${what})`),
    en: z.string().trim().min(1).max(max, `at most ${max} characters (${what})`),
  });
const communeCode = z.string().regex(/^\d{5}$/, 'a 5-digit commune code');

const wordsSchema = z.strictObject({ vi: z.array(z.string().trim().min(1)), en: z.array(z.string().trim().min(1)) });
export type Words = z.infer<typeof wordsSchema>;
const noWords: Words = { vi: [], en: [] };

/** A list of items in both languages: item i of `vi` is item i of `en`. */
const i18nListSchema = wordsSchema.superRefine((list, ctx) => {
  if (list.vi.length !== list.en.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['en'],
      message: `has ${list.en.length} items and vi has ${list.vi.length}: each item is needed in both languages`,
    });
  }
});

export const AMOUNT_UNITS = ['household', 'worker', 'facility', 'student_month', 'business'] as const;
export type AmountUnit = (typeof AMOUNT_UNITS)[number];

const maxAmountSchema = z.strictObject({
  /** VND per `unit`. */
  amount: z.number().int().positive(),
  unit: z.enum(AMOUNT_UNITS),
  /** VND for one borrower in all (e.g. 50M for both water and latrine at 25M per facility). */
  maxTotal: z.number().int().positive().optional(),
  confirmed: z.boolean(),
  note: i18nTextSchema.optional(),
  comment: z.string().optional(),
});

/** The standard tier applies to everyone eligible; another tier (e.g. "priority") applies when its `when` holds. */
export const STANDARD_TIER = 'standard';

const ratePeriodSchema = z
  .strictObject({
    effectiveFrom: isoDate.nullable(),
    effectiveTo: isoDate.nullable(),
    /** Percent per year (6.24 = 6.24 %/year). */
    perYear: z.number().min(0).max(100),
    tier: id.default(STANDARD_TIER),
    tierName: i18nTextSchema.optional(),
    when: conditionSchema.optional(),
    legalBasis: z.string().min(1).optional(),
    source: z.string().min(1),
    confirmed: z.boolean(),
    comment: z.string().optional(),
  })
  .superRefine((rate, ctx) => {
    if (rate.effectiveFrom !== null && rate.effectiveTo !== null && rate.effectiveFrom > rate.effectiveTo) {
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: `${rate.effectiveTo} is before effectiveFrom ${rate.effectiveFrom}`,
      });
    }
    if (rate.tier === STANDARD_TIER && rate.when !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['when'], message: 'the standard tier applies to everyone: no "when"' });
    }
    if (rate.tier !== STANDARD_TIER && rate.when === undefined) {
      ctx.addIssue({ code: 'custom', path: ['when'], message: `tier "${rate.tier}" needs "when": who it is for` });
    }
    if (rate.tier !== STANDARD_TIER && rate.tierName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tierName'], message: `tier "${rate.tier}" needs a name for members` });
    }
  });
export type RatePeriod = z.infer<typeof ratePeriodSchema>;

const termSchema = z
  .strictObject({
    /** null: no fixed maximum (the note says how it is set). */
    maxMonths: z.number().int().positive().nullable(),
    confirmed: z.boolean(),
    note: i18nTextSchema.optional(),
    comment: z.string().optional(),
  })
  .superRefine((term, ctx) => {
    if (term.maxMonths === null && term.note === undefined) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'required when maxMonths is null: how the term is set' });
    }
  });

const programmeSchema = z
  .strictObject({
    id,
    names: labelText(MAX_NAME_LENGTH, 'a programme name'),
    /**
     * The name on buttons and in short lists ("Hộ nghèo", "Nước sạch nông thôn"); `names` when absent (then it must
     * fit a button too).
     */
    shortNames: labelText(MAX_BUTTON_LABEL, 'it is shown on buttons').optional(),
    /** Other names members use, matched by quick questions (with or without diacritics). */
    aliases: wordsSchema.default(noWords),
    /** Words that point at this programme in a free question ("hộ nghèo", "nuoc sach", "student"). */
    keywords: wordsSchema.default(noWords),
    forWhom: i18nTextSchema,
    eligibility: conditionSchema,
    maxAmount: maxAmountSchema,
    rates: z.array(ratePeriodSchema).min(1),
    term: termSchema,
    documents: i18nListSchema,
    nextStep: i18nTextSchema,
    /** Borrowers apply through a savings-and-loan group (the group step comes first in the next steps). */
    viaSavingsGroup: z.boolean(),
    legalBasis: z.string().min(1),
    source: z.string().min(1),
    /** The programme's rules (who is eligible) are confirmed from a primary source. */
    confirmed: z.boolean(),
    comment: z.string().optional(),
  })
  .superRefine((programme, ctx) => {
    if (programme.shortNames === undefined) {
      for (const language of ['vi', 'en'] as const) {
        if (programme.names[language].length > MAX_BUTTON_LABEL) {
          ctx.addIssue({
            code: 'custom',
            path: ['names', language],
            message: `longer than ${MAX_BUTTON_LABEL} characters: add "shortNames" for buttons and short lists`,
          });
        }
      }
    }
    // Periods of one tier must not overlap: on any date at most one rate of a tier is in force.
    programme.rates.forEach((rate, j) => {
      const k = programme.rates.findIndex((other, i) => i < j && other.tier === rate.tier && overlaps(other, rate));
      if (k === -1) return;
      const other = programme.rates[k]!;
      ctx.addIssue({
        code: 'custom',
        path: ['rates', j, 'effectiveFrom'],
        message: `tier "${rate.tier}": ${describePeriod(rate)} overlaps rates.${k} (${describePeriod(other)})`,
      });
    });
  });
export type Programme = z.infer<typeof programmeSchema>;

const overrideSchema = z
  .strictObject({
    id,
    /** Programme ids, or "*" for every programme. */
    programmes: z.array(z.string().min(1)).min(1),
    /** Commune codes, or "*" for the whole province. */
    areas: z.array(z.union([z.literal('*'), communeCode])).min(1),
    effectiveFrom: isoDate,
    effectiveTo: isoDate,
    /** The rate in force during the override, percent per year... */
    perYear: z.number().min(0).max(100).optional(),
    /** ...or the change to the rate in force, in percentage points (-2 = two points lower). */
    delta: z.number().min(-100).max(100).optional(),
    /**
     * "all": every borrower of these programmes in these areas gets it. "qualifying_borrowers": only some (the reason
     * says who, e.g. storm victims): the bot mentions it as a rate that may apply, for an officer to confirm.
     */
    appliesTo: z.enum(['all', 'qualifying_borrowers']),
    reason: i18nTextSchema,
    legalBasis: z.string().min(1).optional(),
    source: z.string().min(1),
    confirmed: z.boolean(),
    comment: z.string().optional(),
  })
  .superRefine((o, ctx) => {
    if ((o.perYear === undefined) === (o.delta === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'an override has either "perYear" (a new rate) or "delta" (a change)' });
    }
    if (o.effectiveFrom > o.effectiveTo) {
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: `${o.effectiveTo} is before effectiveFrom ${o.effectiveFrom}`,
      });
    }
  });
export type RateOverride = z.infer<typeof overrideSchema>;

const communeListSchema = z.strictObject({
  codes: z.array(communeCode),
  /** true: a commune not listed is known to be off the list; false: the bot asks the member. */
  complete: z.boolean(),
  confirmed: z.boolean(),
  source: z.string().min(1),
  note: z.string().min(1),
});

const suggestionSchema = z.strictObject({
  id,
  /** The purposes it helps with; absent: any purpose. */
  forPurposes: z.array(z.enum(PURPOSES)).min(1).optional(),
  /** The programme it points at, if any. */
  programmeId: z.string().min(1).optional(),
  title: i18nTextSchema,
  text: i18nTextSchema,
});
export type Suggestion = z.infer<typeof suggestionSchema>;

const figureWordsSchema = z.strictObject({
  keywords: wordsSchema,
  /** Count only when no other figure's keyword is in the question ("bao nhiêu" alone means the amount). */
  weakKeywords: wordsSchema.default(noWords),
});

export const programmeFileSchema = z
  .strictObject({
    /** The file's own version label, stored with every inquiry it answered. */
    version: z.string().min(1),
    /** When this version of the data was compiled. */
    publishedOn: isoDate,
    province: z.string().min(1),
    source: z.array(z.string().min(1)).min(1),
    comment: z.string().optional(),
    /** Said with every answer: the bot pre-screens, the group and the bank decide. */
    disclaimer: i18nTextSchema,
    /** Overdue debt is charged this percentage of the loan's rate. */
    overduePenalty: z.strictObject({
      percentOfRate: z.number().positive(),
      confirmed: z.boolean(),
      legalBasis: z.string().min(1).optional(),
      source: z.string().min(1),
    }),
    /** The first next step, by her answer to "are you in a savings-and-loan group?". */
    savingsGroupSteps: z.strictObject({ yes: i18nTextSchema, no: i18nTextSchema, unknown: i18nTextSchema }),
    difficultCommunes: communeListSchema,
    extremelyDifficultCommunes: communeListSchema,
    programmes: z.array(programmeSchema).min(1),
    overrides: z.array(overrideSchema).default([]),
    /** Offered when no programme fits. */
    suggestions: z.array(suggestionSchema).default([]),
    quickQuestions: z.strictObject({
      figures: z.strictObject({ rate: figureWordsSchema, maxAmount: figureWordsSchema, term: figureWordsSchema }),
      /** Words that make a question about loans ("vay", "loan"). */
      loanWords: wordsSchema,
      /** Words that ask for the full detail rather than the short list ("chi tiết", "details"). */
      detailWords: wordsSchema.default(noWords),
    }),
  })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.programmes.forEach((p, i) => {
      if (ids.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['programmes', i, 'id'], message: `duplicate id ${p.id}` });
      ids.add(p.id);
    });

    // Conditions that name programmes (the household's current loans) must name programmes of this file.
    const checkConditionIds = (condition: Condition, path: (string | number)[]) => {
      for (const { test, path: below } of factTests(condition)) {
        if (test.fact === undefined || FACT_TYPES[test.fact].kind !== 'set') continue;
        const key = test.includes !== undefined ? 'includes' : 'excludes';
        (test[key] ?? []).forEach((value, k) => {
          if (value !== 'other' && !ids.has(value)) {
            ctx.addIssue({
              code: 'custom',
              path: [...path, ...below, key, k],
              message: `unknown programme id ${value}`,
            });
          }
        });
      }
    };
    file.programmes.forEach((p, i) => {
      checkConditionIds(p.eligibility, ['programmes', i, 'eligibility']);
      p.rates.forEach((r, j) => {
        if (r.when) checkConditionIds(r.when, ['programmes', i, 'rates', j, 'when']);
      });
    });

    const overrideIds = new Set<string>();
    file.overrides.forEach((o, i) => {
      if (overrideIds.has(o.id)) {
        ctx.addIssue({ code: 'custom', path: ['overrides', i, 'id'], message: `duplicate id ${o.id}` });
      }
      overrideIds.add(o.id);
      o.programmes.forEach((pid, k) => {
        if (pid !== '*' && !ids.has(pid)) {
          ctx.addIssue({
            code: 'custom',
            path: ['overrides', i, 'programmes', k],
            message: `unknown programme id ${pid}`,
          });
        }
      });
    });

    const suggestionIds = new Set<string>();
    file.suggestions.forEach((s, i) => {
      if (suggestionIds.has(s.id)) {
        ctx.addIssue({ code: 'custom', path: ['suggestions', i, 'id'], message: `duplicate id ${s.id}` });
      }
      suggestionIds.add(s.id);
      if (s.programmeId !== undefined && !ids.has(s.programmeId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['suggestions', i, 'programmeId'],
          message: `unknown programme id ${s.programmeId}`,
        });
      }
    });
  });

/** The programme data, validated. */
export type ProgrammeData = z.infer<typeof programmeFileSchema>;
export type { I18nText };

/** Validates parsed JSON as programme data (throws a ZodError). */
export function parseProgrammeData(json: unknown): ProgrammeData {
  return programmeFileSchema.parse(json);
}

function overlaps(a: RatePeriod, b: RatePeriod): boolean {
  // Open ends are -∞ / +∞; both ends inclusive.
  const aStartsAfterBEnds = a.effectiveFrom !== null && b.effectiveTo !== null && a.effectiveFrom > b.effectiveTo;
  const bStartsAfterAEnds = b.effectiveFrom !== null && a.effectiveTo !== null && b.effectiveFrom > a.effectiveTo;
  return !aStartsAfterBEnds && !bStartsAfterAEnds;
}

function describePeriod(rate: RatePeriod): string {
  return `${rate.effectiveFrom ?? '(open)'} to ${rate.effectiveTo ?? '(open)'}`;
}

/** True when the period is in force on the date (an ISO date). */
export function inForce(period: { effectiveFrom: string | null; effectiveTo: string | null }, date: string): boolean {
  return (
    (period.effectiveFrom === null || period.effectiveFrom <= date) &&
    (period.effectiveTo === null || date <= period.effectiveTo)
  );
}
