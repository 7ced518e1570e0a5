// Scheduled work: the digest's day is the officers' local day, and it waits for the digest hour.
import { describe, expect, it } from 'vitest';
import { localDayAndHour, runScheduledWork } from '../../src/app/schedules.ts';
import { silentLogger, TestClock } from '../helpers/chat.ts';

describe('localDayAndHour', () => {
  it('uses the time zone, not UTC', () => {
    // 23:30 UTC on 1 March is 06:30 on 2 March in Vietnam (UTC+7).
    expect(localDayAndHour(new Date('2026-03-01T23:30:00Z'), 'Asia/Ho_Chi_Minh')).toEqual({
      day: '2026-03-02',
      hour: 6,
    });
    expect(localDayAndHour(new Date('2026-03-01T23:30:00Z'), 'UTC')).toEqual({ day: '2026-03-01', hour: 23 });
  });
});

describe('runScheduledWork', () => {
  it('escalates on every tick and sends the digest only from the digest hour on, for the local day', async () => {
    const periods: string[] = [];
    let escalations = 0;
    const clock = new TestClock(new Date('2026-03-01T23:30:00Z')); // 06:30 local
    const deps = {
      escalateOverdue: async () => ++escalations,
      sendDigests: async (period: string) => {
        periods.push(period);
        return 1;
      },
      clock,
      logger: silentLogger,
      digestHour: 7,
      timeZone: 'Asia/Ho_Chi_Minh',
    };
    expect(await runScheduledWork(deps)).toEqual({ escalated: 1, digests: 0 });
    clock.advance(60 * 60_000); // 07:30 local
    expect(await runScheduledWork(deps)).toEqual({ escalated: 2, digests: 1 });
    expect(periods).toEqual(['2026-03-02']);
  });
});
