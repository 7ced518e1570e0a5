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
