// When a recurring job runs next. "Daily at 07:00" is 07:00 on the officers' clock (TIME_ZONE), not UTC's; "every
// ten minutes" is ten minutes after the run that was due (after a retry, after the retry's time). A bot that was stopped for a while runs a missed job once when it
// comes back, then goes on from the present: no burst of catch-up runs.
import type { Schedule } from '../../domain/jobs.ts';
import { localParts, zonedTime } from '../../domain/time.ts';

/** The first run of a recurring job declared at `now`: at once for an interval, the next HH:MM for a daily job. */
export function firstOccurrence(schedule: Schedule, now: Date, timeZone: string): Date {
  return 'every' in schedule ? now : nextDaily(schedule.daily, now, timeZone);
}

/**
 * The run after the one that was due at `dueAt`, finishing at `now` (≥ dueAt): for an interval, `dueAt` plus the
 * smallest whole number of intervals that lands after `now`; for a daily job, the first HH:MM in `timeZone` after
 * `now`.
 */
export function nextOccurrence(schedule: Schedule, dueAt: Date, now: Date, timeZone: string): Date {
  if ('daily' in schedule) return nextDaily(schedule.daily, now, timeZone);
  const every = schedule.every;
  const periods = Math.max(1, Math.floor((now.getTime() - dueAt.getTime()) / every) + 1);
  return new Date(dueAt.getTime() + periods * every);
}

function nextDaily(time: { hour: number; minute: number }, now: Date, timeZone: string): Date {
  const today = localParts(now, timeZone);
  for (let days = 0; days <= 2; days++) {
    const candidate = zonedTime({ ...today, day: today.day + days, hour: time.hour, minute: time.minute }, timeZone);
    if (candidate.getTime() > now.getTime()) return candidate;
  }
  // Unreachable: the day after tomorrow at HH:MM is always later than now.
  throw new Error('nextDaily: no later occurrence found');
}
