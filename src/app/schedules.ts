// Work the bot does on its own: escalating cases nobody claimed, and the officers' daily digest. Each tick is safe to
// run in several instances at once (escalation marks cases atomically; the digest takes a once-per-day lock).
import { loggableError, type Clock, type Logger } from '../conversation/ports.ts';

export interface ScheduleDeps {
  escalateOverdue(): Promise<number>;
  sendDigests(period: string): Promise<number>;
  clock: Clock;
  logger: Logger;
  digestHour: number;
  timeZone: string;
}

/** The local date and hour in a time zone: the digest's "day" is the officers' day, not UTC's. */
export function localDayAndHour(date: Date, timeZone: string): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/** One tick: escalate what is overdue, and send today's digest once the digest hour has come. */
export async function runScheduledWork(deps: ScheduleDeps): Promise<{ escalated: number; digests: number }> {
  const escalated = await deps.escalateOverdue();
  const { day, hour } = localDayAndHour(deps.clock.now(), deps.timeZone);
  const digests = hour >= deps.digestHour ? await deps.sendDigests(day) : 0;
  if (escalated > 0 || digests > 0) deps.logger.info({ escalated, digests }, 'scheduled work done');
  return { escalated, digests };
}

/** Ticks every minute until stopped. A failing tick is logged and the next one tries again. */
export function startSchedules(deps: ScheduleDeps, everyMs = 60_000): { stop(): void } {
  const timer = setInterval(() => {
    runScheduledWork(deps).catch((error: unknown) =>
      deps.logger.error({ err: loggableError(error) }, 'scheduled work failed'),
    );
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
