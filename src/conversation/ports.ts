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
