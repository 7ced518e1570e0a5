// The times an admin types for a scheduled broadcast (issue 14: "schedule for a later time"), read in TIME_ZONE:
// each input stands for a kind (a time alone, a time and a day word, a Vietnamese date without a year, an ISO date,
// the afternoon/evening words), and a past time or words that are no time are refused, never guessed.
import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../../src/features/broadcasts/when.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
// 13:00 on Monday 7 December 2026 in Vietnam.
const NOW = new Date('2026-12-07T06:00:00Z');
const at = (input: string) => {
  const r = parseWhen(input, NOW, ZONE);
  return r.ok ? r.at.toISOString() : r.problem;
};

describe('parseWhen', () => {
  it('reads the ways admins type a time, in TIME_ZONE', () => {
    expect(at('18:00')).toBe('2026-12-07T11:00:00.000Z');
    expect(at('18h hôm nay')).toBe('2026-12-07T11:00:00.000Z');
    expect(at('18h hom nay')).toBe('2026-12-07T11:00:00.000Z');
    expect(at('lúc 18h30')).toBe('2026-12-07T11:30:00.000Z');
    expect(at('7h tối')).toBe('2026-12-07T12:00:00.000Z');
    expect(at('mai 7h')).toBe('2026-12-08T00:00:00.000Z');
    expect(at('ngày mai 7:30')).toBe('2026-12-08T00:30:00.000Z');
    expect(at('tomorrow 7:00')).toBe('2026-12-08T00:00:00.000Z');
    expect(at('8:00 10/12')).toBe('2026-12-10T01:00:00.000Z');
    expect(at('10/12 8h sáng')).toBe('2026-12-10T01:00:00.000Z');
    expect(at('2026-12-10 08:00')).toBe('2026-12-10T01:00:00.000Z');
    expect(at('8:00 10/12/2026')).toBe('2026-12-10T01:00:00.000Z');
    // A day of the year already gone, without a year: next year's.
    expect(at('8:00 5/1')).toBe('2027-01-05T01:00:00.000Z');
  });

  it('a time alone that has passed today is tomorrow (README: "a time alone is today, or tomorrow when passed")', () => {
    // At 13:00: 9h and 13:00 have passed → tomorrow; 18:00 has not → today.
    expect(at('9h')).toBe('2026-12-08T02:00:00.000Z');
    expect(at('13:00')).toBe('2026-12-08T06:00:00.000Z');
    expect(at('18:00')).toBe('2026-12-07T11:00:00.000Z');
    // At several clock times: "7h sáng" typed at 21:51, at 06:59 and at 07:00 local.
    const when = (input: string, iso: string) => {
      const r = parseWhen(input, new Date(iso), ZONE);
      return r.ok ? `${r.at.toISOString()}${r.rolled ? ' (tomorrow)' : ''}` : r.problem;
    };
    expect(when('7h sáng', '2026-12-07T14:51:00Z')).toBe('2026-12-08T00:00:00.000Z (tomorrow)');
    expect(when('7h sáng', '2026-12-07T23:59:00Z')).toBe('2026-12-08T00:00:00.000Z');
    expect(when('7h sáng', '2026-12-08T00:00:00Z')).toBe('2026-12-09T00:00:00.000Z (tomorrow)');
    expect(when('23:59', '2026-12-07T16:58:00Z')).toBe('2026-12-07T16:59:00.000Z');
  });

  it('refuses a past time and anything that is no time', () => {
    // A day named ("hôm nay") or a date is never moved: a past one is refused.
    expect(at('9h hôm nay')).toBe('past');
    expect(at('13:00 hôm nay')).toBe('past');
    expect(at('8:00 1/12/2026')).toBe('past');
    expect(at('chiều nay')).toBe('format');
    expect(at('abc')).toBe('format');
    expect(at('25:00')).toBe('format');
    expect(at('31/2 8h')).toBe('format');
    expect(at('mai 8:00 10/12')).toBe('format');
    expect(at('18h thứ bảy')).toBe('format');
  });
});
