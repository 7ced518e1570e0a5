// When a broadcast starts, as an admin types it in the chat or the CLI: "18:00", "18h hôm nay", "7h tối",
// "8:00 10/12", "mai 7h", "ngày mai 7:30", "2026-12-10 08:00", "tomorrow 7:00". Read as wall-clock time in TIME_ZONE.
// Pure; the wording of problems is the caller's (locales broadcastAdmin:errors.when / whenPast).
import type { DailyWindow } from '../../domain/broadcasts.ts';
import { localParts, zonedTime } from '../../domain/time.ts';

/**
 * The parsed start: the instant, or why not (`format`: not a time she can be understood to mean; `past`). `rolled`:
 * a time alone that had passed today, read as tomorrow (the confirmation says "sáng mai").
 */
export type WhenResult = { ok: true; at: Date; rolled: boolean } | { ok: false; problem: 'format' | 'past' };

/** Lower case, no diacritics, đ → d (":" "/" "-" kept: they carry the time and the date). */
function plain(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[,.;]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ISO = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/;
const DMY = /\b(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?\b/;
const TIME = /\b(\d{1,2})(?:\s*(?::|h|g|gio)\s*(\d{2})?)(?![\d/])/;
/** Words for the day (offset in days from today) and for the afternoon/evening (12 added to 1–11). */
const DAY_WORDS: ReadonlyArray<[RegExp, number]> = [
  [/\b(ngay mai|mai|tomorrow)\b/, 1],
  [/\b(hom nay|nay|today)\b/, 0],
];
const PM = /\b(chieu|toi|pm|evening|afternoon)\b/;
const AM = /\b(sang|am|morning)\b/;

/**
 * The instant `input` names, read in `timeZone` relative to `now`. A time alone is today, or tomorrow when it has
 * passed today ("7h sáng" typed at 21:51); a date without a year is this year (next year when that day has passed);
 * any other past instant ("18h hôm nay" at 19:00, a past date) is `past`. Null words around it ("lúc", "at",
 * "ngày") are allowed; anything else left over makes it `format` (never a guess).
 */
export function parseWhen(input: string, now: Date, timeZone: string): WhenResult {
  let rest = ` ${plain(input)} `;
  const today = localParts(now, timeZone);
  let date: { year: number; month: number; day: number } | null = null;
  let offset = 0;
  const iso = ISO.exec(rest);
  if (iso) {
    date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
    rest = rest.replace(iso[0], ' ');
  } else {
    const dmy = DMY.exec(rest);
    if (dmy) {
      const year = dmy[3] === undefined ? today.year : Number(dmy[3].length === 2 ? `20${dmy[3]}` : dmy[3]);
      date = { year, month: Number(dmy[2]), day: Number(dmy[1]) };
      if (dmy[3] === undefined) {
        const key = (p: { month: number; day: number }) => p.month * 100 + p.day;
        if (key(date) < key(today)) date.year += 1;
      }
      rest = rest.replace(dmy[0], ' ');
    }
  }
  const time = TIME.exec(rest);
  if (!time) return { ok: false, problem: 'format' };
  let hour = Number(time[1]);
  const minute = Number(time[2] ?? '0');
  rest = rest.replace(time[0], ' ');
  if (PM.test(rest)) {
    if (hour >= 1 && hour <= 11) hour += 12;
    rest = rest.replace(PM, ' ');
  } else if (AM.test(rest)) rest = rest.replace(AM, ' ');
  if (hour > 23 || minute > 59) return { ok: false, problem: 'format' };
  let dayNamed = false;
  for (const [words, days] of DAY_WORDS) {
    if (words.test(rest)) {
      if (date !== null) return { ok: false, problem: 'format' };
      offset = days;
      dayNamed = true;
      rest = rest.replace(words, ' ');
      break;
    }
  }
  rest = rest.replace(/\b(luc|vao|ngay|at|on|the)\b/g, ' ');
  if (rest.trim() !== '') return { ok: false, problem: 'format' };
  const day = date ?? { year: today.year, month: today.month, day: today.day + offset };
  if (day.month < 1 || day.month > 12 || day.day < 1 || day.day > 31) return { ok: false, problem: 'format' };
  let at = zonedTime({ ...day, hour, minute }, timeZone);
  // A day that does not exist (31/2) rolls over in zonedTime: refused rather than moved.
  if (date !== null && localParts(at, timeZone).day !== date.day) return { ok: false, problem: 'format' };
  const timeAlone = date === null && !dayNamed;
  let rolled = false;
  if (timeAlone && at.getTime() <= now.getTime()) {
    at = zonedTime({ ...day, day: day.day + 1, hour, minute }, timeZone);
    rolled = true;
  }
  if (at.getTime() <= now.getTime()) return { ok: false, problem: 'past' };
  return { ok: true, at, rolled };
}

const minutesOf = (p: { hour: number; minute: number }) => p.hour * 60 + p.minute;

/** Whether `at` falls inside the daily window in `timeZone` (a window may cross midnight: 22:00–06:00). */
export function insideWindow(at: Date, window: DailyWindow, timeZone: string): boolean {
  const m = minutesOf(localParts(at, timeZone));
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  return start <= end ? m >= start && m < end : m >= start || m < end;
}

/**
 * When sending a non-urgent broadcast asked for `at` really starts: `at` inside the quiet-hours window
 * (BROADCAST_HOURS, in TIME_ZONE; the dispatcher holds deliveries outside it), else the window's next opening after
 * `at`. An urgent one starts at `at`.
 */
export function sendingStart(at: Date, window: DailyWindow, urgent: boolean, timeZone: string): Date {
  if (urgent || insideWindow(at, window, timeZone)) return at;
  const p = localParts(at, timeZone);
  const today = zonedTime({ ...p, hour: window.start.hour, minute: window.start.minute }, timeZone);
  return today.getTime() > at.getTime()
    ? today
    : zonedTime({ ...p, day: p.day + 1, hour: window.start.hour, minute: window.start.minute }, timeZone);
}

/** Which day `at` is, seen from `now` in `timeZone`: today, tomorrow, or another day. */
export function dayFrom(at: Date, now: Date, timeZone: string): 'today' | 'tomorrow' | 'other' {
  const a = localParts(at, timeZone);
  const n = localParts(now, timeZone);
  const key = (p: { year: number; month: number; day: number }) => Date.UTC(p.year, p.month - 1, p.day);
  const days = Math.round((key(a) - key(n)) / 86_400_000);
  return days === 0 ? 'today' : days === 1 ? 'tomorrow' : 'other';
}

/** The part of the day of an hour (0–23): morning before 11, noon before 13, afternoon before 18, else evening. */
export function partOfDay(hour: number): 'morning' | 'noon' | 'afternoon' | 'evening' {
  return hour < 11 ? 'morning' : hour < 13 ? 'noon' : hour < 18 ? 'afternoon' : 'evening';
}
