// Dates and times as a person reads them: always in the configured time zone (TIME_ZONE, default Asia/Ho_Chi_Minh),
// never in UTC, in the reader's language. Vietnamese writes day/month/year and a 24-hour clock ("02:25 01/12/2026");
// English gets "1 Dec 2026, 02:25" so that neither reader has to guess which number is the month.
import type { Language } from './member.ts';

/** The zone of the Union's members and officers, the default of TIME_ZONE. */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A calendar date and wall-clock time in one zone; month 1–12. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock date and time of `date` in `timeZone` (an IANA name; an unknown one throws RangeError, which
 * config.ts rules out at start-up).
 */
export function localParts(date: Date, timeZone: string): LocalParts {
  let format = partFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    partFormatters.set(timeZone, format);
  }
  const parts = format.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** The local calendar day as ISO "yyyy-mm-dd" (for comparing with dated data such as a rate's effectiveFrom). */
export function localIsoDate(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A day for a reader: vi "01/12/2026", en "1 Dec 2026". */
export function formatDate(date: Date, timeZone: string, language: Language): string {
  return formatParts(localParts(date, timeZone), language);
}

/** A moment for a reader: vi "02:25 01/12/2026", en "1 Dec 2026, 02:25". */
export function formatDateTime(date: Date, timeZone: string, language: Language): string {
  const p = localParts(date, timeZone);
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  return language === 'vi' ? `${time} ${formatParts(p, 'vi')}` : `${formatParts(p, 'en')}, ${time}`;
}

/** An ISO calendar date ("2026-12-01", no time, no zone) for a reader: vi "01/12/2026", en "1 Dec 2026". */
export function formatIsoDate(iso: string, language: Language): string {
  const [y = '', m = '', d = ''] = iso.split('-');
  return formatParts({ year: Number(y), month: Number(m), day: Number(d), hour: 0, minute: 0 }, language);
}

/**
 * A moment for files and logs read by people and spreadsheets (CSV exports, the audit listing): local time with its
 * offset, "2026-12-01 02:25:00 +07:00", so it sorts as text and is never mistaken for UTC.
 */
export function formatTimestamp(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  const seconds = date.getUTCSeconds();
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, seconds);
  const offsetMinutes = Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(seconds)} ` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

function formatParts(p: LocalParts, language: Language): string {
  return language === 'vi'
    ? `${pad(p.day)}/${pad(p.month)}/${p.year}`
    : `${p.day} ${EN_MONTHS[p.month - 1] ?? ''} ${p.year}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The instant at which the wall clock in `timeZone` shows `parts` (seconds 0): the inverse of `localParts`, e.g.
 * 07:00 on 3 Dec 2026 in Asia/Ho_Chi_Minh is 2026-12-03T00:00:00Z. Out-of-range parts roll over as in `Date.UTC`
 * (day 32 is the 1st of the next month). In a zone that skips an hour (daylight saving) a time inside the gap comes
 * out one hour later; a time that occurs twice gives the first. Used for "daily at 07:00" jobs.
 */
export function zonedTime(parts: LocalParts, timeZone: string): Date {
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  let guess = wall;
  // Two rounds settle the offset even when the first guess lands on the other side of a daylight-saving change.
  for (let round = 0; round < 2; round++) {
    const seen = localParts(new Date(guess), timeZone);
    const shown = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    guess += wall - shown;
  }
  return new Date(guess);
}
