// The figures of the web console's Overview (issue 16): how many requests per commune and week, open cases by age,
// course registrations and completions per month, products by status, the reach of the latest broadcasts. Counts only:
// no name, no message text, no phone. The port (ConsoleStats) is implemented on the database in
// src/data/consoleStats.ts (aggregates computed by the database, a bounded number of queries); the calendar buckets are
// computed here, in the Union's time zone (TIME_ZONE), so that a request made at 23:30 UTC on a Sunday counts in the
// week that begins the next day in Vietnam.
import type { CourseStatus } from './courses.ts';
import type { ListingStatus } from './listings.ts';
import { localParts, zonedTime } from './time.ts';

/**
 * Whose data a figure counts. `communes: null` is the whole province (an admin, a province-wide officer); otherwise the
 * communes' statistics codes (an officer's areas, or the one commune an admin filtered on). An empty list counts
 * nothing. Cases, courses (their venue) and listings are placed by their own commune; broadcast deliveries by the
 * recipient's commune.
 */
export interface StatsScope {
  communes: readonly string[] | null;
}

/** A period [start, end) and the local calendar date it starts on ("YYYY-MM-DD", for its label). */
export interface TimeBucket {
  start: Date;
  end: Date;
  /** The local (TIME_ZONE) date of `start`. */
  startsOn: string;
}

/** Requests (cases) opened in one commune, per bucket (same order as the buckets asked). */
export interface CommuneSeries {
  /** null: cases of members without a commune. */
  communeCode: string | null;
  counts: number[];
}

/** Cases not closed yet, per age bucket: still unclaimed (`open`) or taken by an officer (`claimed`). */
export interface OpenCasesByAge {
  open: number[];
  claimed: number[];
}

/** Course registrations (sign-ups, waiting list included) and completions, per bucket. */
export interface CourseActivity {
  registrations: number[];
  completions: number[];
}

/** How the deliveries of one broadcast stand, in four groups of DeliveryStatus. */
export interface BroadcastReach {
  id: number;
  /** Its text in Vietnamese (else English): the admin's own words, for a label. */
  text: string;
  startedAt: Date | null;
  /** Deliveries in scope (its audience there). */
  audience: number;
  /** sent or shown when she next wrote. */
  delivered: number;
  /** pending or sending. */
  waiting: number;
  /** notNow, optedOut, cancelled: not sent, by rule or by choice. */
  notSent: number;
  /** failed or unreachable. */
  failed: number;
}

/** Age limits of the open-cases chart, in hours: under 1 day, 1–3 days, 3–7 days, 7 days and more. */
export const CASE_AGE_LIMITS_HOURS = [24, 72, 168] as const;

/** The queries behind the Overview page (src/data/consoleStats.ts). Every method is a few aggregate queries. */
export interface ConsoleStats {
  /** Cases opened in each bucket, per commune (communes with none in every bucket are left out). */
  casesPerCommune(scope: StatsScope, buckets: readonly TimeBucket[]): Promise<CommuneSeries[]>;
  /**
   * Cases open or claimed at `now`, by age: bucket i holds those opened between limitsHours[i-1] and limitsHours[i]
   * hours before `now` (the last one: limitsHours.at(-1) hours or more). Length limitsHours.length + 1.
   */
  openCasesByAge(scope: StatsScope, now: Date, limitsHours: readonly number[]): Promise<OpenCasesByAge>;
  /** Registrations created and completions recorded in each bucket, for courses held in scope. */
  courseActivity(scope: StatsScope, buckets: readonly TimeBucket[]): Promise<CourseActivity>;
  /** Courses per status (venue in scope). */
  coursesByStatus(scope: StatsScope): Promise<Record<CourseStatus, number>>;
  /** Listings per status (their commune in scope). */
  listingsByStatus(scope: StatsScope): Promise<Record<ListingStatus, number>>;
  /** The latest `limit` broadcasts that started sending, newest first, with their deliveries in scope. */
  broadcastReach(scope: StatsScope, limit: number): Promise<BroadcastReach[]>;
  /** Commune codes with any case, course or listing in scope (the Overview's commune filter), unordered. */
  activeCommunes(scope: StatsScope): Promise<string[]>;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDate = (year: number, month: number, day: number): string => {
  const d = new Date(Date.UTC(year, month - 1, day));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};
const midnight = (iso: string, timeZone: string): Date => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return zonedTime({ year: y, month: m, day: d, hour: 0, minute: 0 }, timeZone);
};

/**
 * The last `count` calendar weeks (Monday 00:00 to the next Monday 00:00 in `timeZone`, ISO 8601 weeks), oldest first;
 * the last one is the week `now` is in (so it ends in the future).
 */
export function weekBuckets(now: Date, timeZone: string, count: number): TimeBucket[] {
  const today = localParts(now, timeZone);
  // Day of the week of the local date: 0 Monday … 6 Sunday.
  const weekday = (new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() + 6) % 7;
  const buckets: TimeBucket[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const startsOn = isoDate(today.year, today.month, today.day - weekday - 7 * i);
    const endsOn = isoDate(today.year, today.month, today.day - weekday - 7 * i + 7);
    buckets.push({ start: midnight(startsOn, timeZone), end: midnight(endsOn, timeZone), startsOn });
  }
  return buckets;
}

/** The last `count` calendar months in `timeZone`, oldest first; the last one is the month `now` is in. */
export function monthBuckets(now: Date, timeZone: string, count: number): TimeBucket[] {
  const today = localParts(now, timeZone);
  const buckets: TimeBucket[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const startsOn = isoDate(today.year, today.month - i, 1);
    const endsOn = isoDate(today.year, today.month - i + 1, 1);
    buckets.push({ start: midnight(startsOn, timeZone), end: midnight(endsOn, timeZone), startsOn });
  }
  return buckets;
}

/** From 1 January of `now`'s year (local) to the start of next year: "this year". */
export function yearBucket(now: Date, timeZone: string): TimeBucket {
  const { year } = localParts(now, timeZone);
  const startsOn = `${year}-01-01`;
  return { start: midnight(startsOn, timeZone), end: midnight(`${year + 1}-01-01`, timeZone), startsOn };
}
