import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatIsoDate, formatTimestamp, localIsoDate } from '../../src/domain/time.ts';

// 2026-11-30T19:25Z is 02:25 on 1 December in Vietnam (UTC+7): the day a member reads must be the 1st, not the 30th.
const lateNightUtc = new Date('2026-11-30T19:25:00Z');
const TZ = 'Asia/Ho_Chi_Minh';

describe('dates as people read them', () => {
  it('shows the local day, not the UTC day', () => {
    expect(formatDate(lateNightUtc, TZ, 'vi')).toBe('01/12/2026');
    expect(formatDate(lateNightUtc, TZ, 'en')).toBe('1 Dec 2026');
    expect(localIsoDate(lateNightUtc, TZ)).toBe('2026-12-01');
  });

  it('shows local time in the reader’s format', () => {
    expect(formatDateTime(lateNightUtc, TZ, 'vi')).toBe('02:25 01/12/2026');
    expect(formatDateTime(lateNightUtc, TZ, 'en')).toBe('1 Dec 2026, 02:25');
  });

  it('follows the configured zone', () => {
    expect(formatDateTime(lateNightUtc, 'UTC', 'vi')).toBe('19:25 30/11/2026');
  });

  it('writes timestamps for files with their offset', () => {
    expect(formatTimestamp(new Date('2026-11-30T19:25:07Z'), TZ)).toBe('2026-12-01 02:25:07 +07:00');
    expect(formatTimestamp(new Date('2026-11-30T19:25:07Z'), 'UTC')).toBe('2026-11-30 19:25:07 +00:00');
  });

  it('formats calendar dates from data files', () => {
    expect(formatIsoDate('2025-12-01', 'vi')).toBe('01/12/2025');
    expect(formatIsoDate('2025-12-01', 'en')).toBe('1 Dec 2025');
  });
});
