// Small interfaces the core needs from the outside world. Implementations live in src/data, src/i18n, src/logger.

/** Structured logger (pino-compatible subset). Never pass names, phone numbers or message texts. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * What may be logged of an error: its name, its code (Prisma's P2002, a platform's error code) and where it was
 * thrown — never its message, which can carry what a member typed or a database row (a name, a phone number).
 */
export function loggableError(error: unknown): { name: string; code?: string | number; at?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  const code = (error as { code?: unknown }).code;
  const at = error.stack
    ?.split('\n')
    .slice(1)
    .find((line) => line.includes('/src/'))
    ?.trim();
  return {
    name: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(at ? { at } : {}),
  };
}

/**
 * One unit of work: everything the repositories do inside `run` is committed together or not at all (a turn's new
 * conversation state, its handled mark, the records it writes and the messages it queues). Calls nested inside a
 * running unit join it. `afterCommit` work runs once the outermost unit has committed (never after a rollback), and
 * outside any unit it runs at once: that is where a message leaves the process, so a rolled-back turn sends nothing.
 * Implemented in src/data/transactions.ts (Prisma interactive transactions); errors thrown by `work` roll back and
 * are rethrown unchanged.
 */
export interface Transactor {
  run<T>(work: () => Promise<T>): Promise<T>;
  afterCommit(work: () => void | Promise<void>): void;
  /** Whether the caller runs inside a unit (so its writes commit later, with the unit). */
  inUnit(): boolean;
}

/** A Transactor without a database (unit tests of pure code): runs the work, then its after-commit work. */
export const immediateTransactor: Transactor = {
  run: (work) => work(),
  afterCommit: (work) => void Promise.resolve().then(work),
  inUnit: () => false,
};

/**
 * Operational counters and timings for `GET /metrics` (Prometheus; the adapter is src/http/metrics.ts). The core only
 * reports events through this port; labels are closed sets of words (channel, outcome, reason, job name): never a
 * member's, chat's or case's id, nor any text she wrote. Every method is cheap and never throws.
 */
export interface Metrics {
  /** One inbound update handled by the gateway: its outcome and the time from arrival to replies queued (seconds). */
  updateHandled(channel: string, outcome: UpdateOutcome, seconds: number): void;
  /** One message (reply, push, broadcast delivery) given to a platform: how it ended. */
  delivery(channel: string, kind: DeliveryKind, result: DeliveryResult): void;
  /** One run of a job (src/app/jobs): succeeded, failed (will retry) or failed for good. */
  jobRun(job: string, outcome: 'ok' | 'failed' | 'dead'): void;
  /** A database call that failed (a conflict retried is not an error): its kind, e.g. 'busy', 'conflict', 'other'. */
  databaseError(kind: string): void;
  /** A webhook request refused before any turn: which route family and why (secret, signature, body, json...). */
  webhookRefused(route: string, reason: string): void;
  /** A member crossed the flood limit (FLOOD_MESSAGES in FLOOD_WINDOW_SECONDS) and was sent the one notice. */
  floodNotice(channel: string): void;
}

/** What became of one inbound update. */
export type UpdateOutcome = 'handled' | 'duplicate' | 'failed';
/** What a delivery was. */
export type DeliveryKind = 'reply' | 'push' | 'broadcast';
/** How a delivery ended this time ('held': not now, nothing wrong, e.g. Zalo's window closed; see app/deliveryMetrics). */
export type DeliveryResult = 'sent' | 'retry' | 'failed' | 'unreachable' | 'rateLimited' | 'held';

/** Metrics that record nothing (tests, the terminal chat, the CLI). */
export const noMetrics: Metrics = {
  updateHandled: () => undefined,
  delivery: () => undefined,
  jobRun: () => undefined,
  databaseError: () => undefined,
  webhookRefused: () => undefined,
  floodNotice: () => undefined,
};
