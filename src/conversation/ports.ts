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
