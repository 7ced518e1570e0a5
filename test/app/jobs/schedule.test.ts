// When recurring jobs run: "daily at 07:00" on the officers' clock (TIME_ZONE), not UTC's; intervals; and the
// wall-clock conversion behind them.
import { describe, expect, it } from 'vitest';
import { firstOccurrence, nextOccurrence } from '../../../src/app/jobs/index.ts';
import { dailyAt, describeSchedule, everyMinutes, everySeconds } from '../../../src/domain/jobs.ts';
import { localParts, zonedTime } from '../../../src/domain/time.ts';

const VN = 'Asia/Ho_Chi_Minh';

describe('schedules', () => {
  it('are written and described as people say them', () => {
    expect(describeSchedule(dailyAt('07:00'))).toBe('daily 07:00');
    expect(describeSchedule(dailyAt('7:05'))).toBe('daily 07:05');
    expect(describeSchedule(everyMinutes(1))).toBe('every 60s');
    expect(describeSchedule(everySeconds(30))).toBe('every 30s');
    for (const bad of ['24:00', '07:60', '7h', '', '07:00:00']) expect(() => dailyAt(bad)).toThrow(RangeError);
    expect(() => everyMinutes(0)).toThrow(RangeError);
    expect(() => everySeconds(1.5)).toThrow(RangeError);
  });
});

describe('daily at 07:00 in Asia/Ho_Chi_Minh', () => {
  const morning = dailyAt('07:00');

  it('uses the time zone, not UTC', () => {
    // 23:30 UTC on 1 March is 06:30 on 2 March in Vietnam (UTC+7): the next 07:00 is that same local morning.
    const now = new Date('2026-03-01T23:30:00Z');
    expect(firstOccurrence(morning, now, VN)).toEqual(new Date('2026-03-02T00:00:00Z'));
    expect(firstOccurrence(morning, now, 'UTC')).toEqual(new Date('2026-03-02T07:00:00Z'));
  });

  it('runs next on the following local day once 07:00 has passed, across a month and a year end', () => {
    expect(nextOccurrence(morning, new Date('2026-03-02T00:00:00Z'), new Date('2026-03-02T00:00:05Z'), VN)).toEqual(
      new Date('2026-03-03T00:00:00Z'),
    );
    expect(nextOccurrence(morning, new Date('2026-12-31T00:00:00Z'), new Date('2026-12-31T03:00:00Z'), VN)).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
  });

  it('runs a missed day once, then goes on from the present (no catch-up burst)', () => {
    // Stopped for three days: the overdue run happens at restart; the next is tomorrow's 07:00, not the missed ones.
    const restart = new Date('2026-03-05T09:00:00Z'); // 16:00 local
    expect(nextOccurrence(morning, new Date('2026-03-02T00:00:00Z'), restart, VN)).toEqual(
      new Date('2026-03-06T00:00:00Z'),
    );
  });
});

describe('every N', () => {
  it('is N after the run that was due, and skips the slots missed while stopped', () => {
    const due = new Date('2026-03-02T08:00:00Z');
    const minute = everyMinutes(1);
    expect(nextOccurrence(minute, due, new Date('2026-03-02T08:00:02Z'), VN)).toEqual(new Date('2026-03-02T08:01:00Z'));
    expect(nextOccurrence(minute, due, new Date('2026-03-02T08:01:00Z'), VN)).toEqual(new Date('2026-03-02T08:02:00Z'));
    expect(nextOccurrence(minute, due, new Date('2026-03-02T10:30:30Z'), VN)).toEqual(new Date('2026-03-02T10:31:00Z'));
    expect(firstOccurrence(minute, due, VN)).toEqual(due);
  });
});

describe('zonedTime', () => {
  it('is the instant a wall clock in the zone shows', () => {
    expect(zonedTime({ year: 2026, month: 12, day: 3, hour: 7, minute: 0 }, VN)).toEqual(
      new Date('2026-12-03T00:00:00Z'),
    );
    expect(zonedTime({ year: 2026, month: 12, day: 32, hour: 0, minute: 30 }, VN)).toEqual(
      new Date('2026-12-31T17:30:00Z'),
    );
    // A zone with daylight saving, both sides of the change.
    expect(zonedTime({ year: 2026, month: 1, day: 15, hour: 7, minute: 0 }, 'America/New_York')).toEqual(
      new Date('2026-01-15T12:00:00Z'),
    );
    expect(zonedTime({ year: 2026, month: 7, day: 15, hour: 7, minute: 0 }, 'America/New_York')).toEqual(
      new Date('2026-07-15T11:00:00Z'),
    );
    const at = zonedTime({ year: 2026, month: 3, day: 8, hour: 7, minute: 0 }, 'America/New_York');
    expect(localParts(at, 'America/New_York')).toMatchObject({ day: 8, hour: 7, minute: 0 });
  });
});
