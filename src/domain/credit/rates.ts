// The interest rate of a programme on a date, in a commune: the period in force, the tier that applies, and the
// overrides of that date and area.
//
// Rates are percentages. Per month = per year / 12. Both are rounded to 4 decimal places (half up: 0.0001 percentage
// point), which is exact for every published VBSP rate (6.24 %/year = 0.52 %/month, 7.9248 = 0.6604, 8.25 = 0.6875).
// These are the exact figures (stored with an inquiry); how a member reads them is `displayRate`.
import { evaluateCondition, type I18nText } from './conditions.ts';
import type { Facts } from './facts.ts';
import { inForce, STANDARD_TIER, type Programme, type ProgrammeData, type RateOverride } from './programmes.ts';

export interface RateFigure {
  /** Percent per year. */
  perYear: number;
  /** Percent per month (perYear / 12, rounded to 4 decimals). */
  perMonth: number;
}

export interface AppliedOverride {
  id: string;
  reason: I18nText;
  effectiveFrom: string;
  effectiveTo: string;
  confirmed: boolean;
}

export interface RateInForce extends RateFigure {
  /** The period's rate before overrides. */
  basePerYear: number;
  /** "standard", or the tier whose condition holds (e.g. "priority"). */
  tier: string;
  tierName: I18nText | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  legalBasis: string | null;
  source: string;
  /** The period and every override applied to it are confirmed. */
  confirmed: boolean;
  overrides: AppliedOverride[];
}

/** A lower rate that may apply: a tier or an override whose condition an officer must check. */
export interface PossibleRate extends RateFigure {
  kind: 'tier' | 'override';
  /** The tier name or the override id. */
  id: string;
  /** Who it is for, for members: the tier's name, or the override's reason. */
  name: I18nText;
  /**
   * What an officer checks, from what is known of the borrower: the tier condition's open questions ("it is not known
   * whether the household is poor"), or the override's reason. Shown to officers, not in a member's answer line.
   */
  checks: I18nText[];
  confirmed: boolean;
}

export interface OverdueRate extends RateFigure {
  percentOfRate: number;
  confirmed: boolean;
}

export interface ProgrammeRates {
  /** null: the data has no rate for that date. */
  rate: RateInForce | null;
  /** Lower rates that may apply (lowest first). */
  otherRates: PossibleRate[];
  overdue: OverdueRate | null;
}

/**
 * A rate as a member reads it, the way the bank writes rates: up to 3 decimals as they are (6.24, 7.488, 0.624),
 * anything finer rounded to 2 (7.9248 → 7.92, 0.6604 → 0.66, 0.4367 → 0.44). The exact figure stays in the data and
 * in the stored result.
 */
export function displayRate(percent: number): number {
  const thousandths = Math.round(percent * 1000);
  if (Math.abs(percent * 1000 - thousandths) < 1e-6) return thousandths / 1000;
  return Math.round(percent * 100) / 100;
}

/** A percentage rounded to 4 decimal places. */
export function roundRate(percent: number): number {
  return Math.round(percent * 10_000) / 10_000;
}

export function rateFigure(perYear: number): RateFigure {
  const year = roundRate(perYear);
  return { perYear: year, perMonth: roundRate(year / 12) };
}

/**
 * The rates of a programme on `date` (ISO) for `communeCode` (null: not known) and what is known of the borrower.
 * The standard period in force applies, or a tier's when its condition holds and it is lower; a tier whose condition
 * is unknown is listed in `otherRates`. Overrides in force for the programme apply in file order (a `perYear` sets the
 * rate, a `delta` changes it, never below 0) when they are for every borrower of the area; an override for some
 * borrowers only (storm victims), or for an area when the commune is not known, is listed in `otherRates`.
 */
export function ratesFor(
  programme: Programme,
  date: string,
  communeCode: string | null,
  facts: Facts,
  data: Pick<ProgrammeData, 'overrides' | 'overduePenalty'>,
): ProgrammeRates {
  const periods = programme.rates.filter((r) => inForce(r, date));
  let chosen = periods.find((r) => r.tier === STANDARD_TIER);
  const maybeTiers: { period: (typeof periods)[number]; checks: I18nText[] }[] = [];
  for (const period of periods) {
    if (period.tier === STANDARD_TIER || period.when === undefined) continue;
    const result = evaluateCondition(period.when, facts);
    if (result.value === true) {
      if (chosen === undefined || period.perYear < chosen.perYear) chosen = period;
    } else if (result.value === 'unknown') {
      maybeTiers.push({ period, checks: result.reasons });
    }
  }

  const overrides = data.overrides.filter(
    (o) => inForce(o, date) && (o.programmes.includes('*') || o.programmes.includes(programme.id)),
  );
  const areaMatch = (o: RateOverride): boolean | 'unknown' =>
    o.areas.includes('*') ? true : communeCode === null ? 'unknown' : o.areas.includes(communeCode);
  const definite = overrides.filter((o) => o.appliesTo === 'all' && areaMatch(o) === true);
  const possible = overrides.filter((o) => !definite.includes(o) && areaMatch(o) !== false);
  const apply = (perYear: number, list: readonly RateOverride[]) =>
    roundRate(list.reduce((rate, o) => Math.max(0, o.perYear ?? rate + (o.delta ?? 0)), perYear));
  const applied = (list: readonly RateOverride[]): AppliedOverride[] =>
    list.map((o) => ({
      id: o.id,
      reason: o.reason,
      effectiveFrom: o.effectiveFrom,
      effectiveTo: o.effectiveTo,
      confirmed: o.confirmed,
    }));

  const rate: RateInForce | null =
    chosen === undefined
      ? null
      : {
          ...rateFigure(apply(chosen.perYear, definite)),
          basePerYear: chosen.perYear,
          tier: chosen.tier,
          tierName: chosen.tierName ?? null,
          effectiveFrom: chosen.effectiveFrom,
          effectiveTo: chosen.effectiveTo,
          legalBasis: chosen.legalBasis ?? null,
          source: chosen.source,
          confirmed: chosen.confirmed && definite.every((o) => o.confirmed),
          overrides: applied(definite),
        };

  const otherRates: PossibleRate[] = [];
  for (const { period, checks } of maybeTiers) {
    const figure = rateFigure(apply(period.perYear, definite));
    if (rate !== null && figure.perYear >= rate.perYear) continue;
    otherRates.push({
      ...figure,
      kind: 'tier',
      id: period.tier,
      // The schema requires a name on every tier but the standard one.
      name: period.tierName ?? { vi: period.tier, en: period.tier },
      checks,
      confirmed: period.confirmed && definite.every((o) => o.confirmed),
    });
  }
  if (rate !== null) {
    for (const o of possible) {
      const figure = rateFigure(apply(rate.perYear, [o]));
      if (figure.perYear >= rate.perYear) continue;
      otherRates.push({
        ...figure,
        kind: 'override',
        id: o.id,
        name: o.reason,
        checks: [o.reason],
        confirmed: o.confirmed,
      });
    }
  }
  otherRates.sort((a, b) => a.perYear - b.perYear);

  const penalty = data.overduePenalty;
  const overdue: OverdueRate | null =
    rate === null
      ? null
      : {
          ...rateFigure((rate.perYear * penalty.percentOfRate) / 100),
          percentOfRate: penalty.percentOfRate,
          confirmed: penalty.confirmed,
        };
  return { rate, otherRates, overdue };
}
