// A course's fields as people type them, shared by the admin's chat flow and the admin command line (flags and
// import files): dates the Vietnamese way ("15/1/2027") or ISO, and a registration deadline with an optional time of
// day, read in TIME_ZONE. Pure functions; wording of problems is the caller's.
import { parseDate } from '../../conversation/inputs.ts';
import { zonedTime } from '../../domain/time.ts';

/** "15/1/2027", "15-01-27", "2027-01-15" → "2027-01-15" (a local calendar date); null when it is no real date. */
export function courseDate(input: string): string | null {
  const parsed = parseDate(input);
  return parsed.ok === true && typeof parsed.value === 'string' ? parsed.value : null;
}

/** The columns of an admin's import file (and its JSON keys; the CLI's options fill the same), in the order a template lists them. */
export const COURSE_COLUMNS = [
  'externalKey',
  'titleVi',
  'titleEn',
  'occupation',
  'organiser',
  'commune',
  'address',
  'startDate',
  'endDate',
  'schedule',
  'seats',
  'registrationDeadline',
  'eligibilityNotes',
  'support',
  'officer',
  'status',
] as const;
export type CourseColumn = (typeof COURSE_COLUMNS)[number];

/** Most seats a course may have (a short course is a class, not a stadium: this catches a typo such as 2000). */
export const MAX_SEATS = 500;

const TIME = /^(\d{1,2})[:h](\d{2})?$/i;

/**
 * A registration deadline: a date, optionally with a time of day before or after it ("17:00 15/1/2027",
 * "15/1/2027 17h", "2027-01-15T17:00"), in `timeZone`. A date alone means the end of that day (23:59): registration
 * is accepted all day. Null when it is not a date (and time).
 */
export function courseDeadline(input: string, timeZone: string): Date | null {
  const parts = input.trim().replace('T', ' ').split(/\s+/);
  let day: string | null = null;
  let time: { hour: number; minute: number } | null = null;
  if (parts.length === 1) day = courseDate(parts[0]!);
  else if (parts.length === 2) {
    const [a = '', b = ''] = parts;
    const asTime = (s: string) => {
      const m = TIME.exec(s);
      if (!m) return null;
      const hour = Number(m[1]);
      const minute = Number(m[2] ?? '0');
      return hour <= 23 && minute <= 59 ? { hour, minute } : null;
    };
    if (asTime(a)) [time, day] = [asTime(a), courseDate(b)];
    else [day, time] = [courseDate(a), asTime(b)];
    if (time === null) return null;
  }
  if (day === null) return null;
  const [year = 0, month = 0, date = 0] = day.split('-').map(Number);
  return zonedTime({ year, month, day: date, ...(time ?? { hour: 23, minute: 59 }) }, timeZone);
}
