// Structured logs (pino) on standard error, so the console channel's standard output stays the conversation; or in a
// file (LOG_FILE, and the terminal chat's default when standard error is that terminal: see main.ts).
// Code never logs names, phone numbers or message texts; two lines of defence behind that rule:
// - redaction of the fields that hold personal data wherever code might put them (a member's `name`, `text`,
//   `phone`…), precisely: an error's `name` (its type, e.g. "PrismaClientKnownRequestError") stays visible;
// - bounds: every logged object is copied within a budget (strings cut at MAX_LOG_STRING characters, at most
//   MAX_LOG_ITEMS keys or items per level, MAX_LOG_DEPTH levels, LOG_BUDGET_BYTES of JSON in all), so a platform's
//   oversized field (a 1 MB message_id) can never make a line longer than a few KB. Errors are reduced to their
//   type, code and place (their message can quote what a member typed).
import pino, { type DestinationStream } from 'pino';
import { loggableError, type Logger } from './conversation/ports.ts';

/** Fields that may hold personal data or secrets, wherever they are nested (one level down: `*.text`). */
const PERSONAL_ANYWHERE = [
  'text',
  'phone',
  'displayName',
  'fullName',
  'first_name',
  'last_name',
  'username',
  'address',
  'caption',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
];
/** `name` is personal on a person, not on an error (err.name is its type): redacted only where it is a person's. */
const PERSONAL_NAMES = ['name', 'member.name', 'user.name', 'officer.name', 'sender.name', 'from.name'];
const REDACT = [...PERSONAL_ANYWHERE.flatMap((k) => [k, `*.${k}`]), ...PERSONAL_NAMES];

export const MAX_LOG_STRING = 300;
export const MAX_LOG_ITEMS = 30;
export const MAX_LOG_DEPTH = 4;
/** JSON bytes of one log call's object; the line adds the level, time, app name and message. */
export const LOG_BUDGET_BYTES = 2_500;
const MAX_MESSAGE = 200;

/**
 * A logger at `level` writing JSON lines to standard error; or appending them to `output` when it is a file path
 * (LOG_FILE; its folder created); or to `output` when it is a stream (tests read the lines back).
 */
export function createLogger(level: string, output?: string | DestinationStream): Logger & { level: string } {
  const destination =
    output === undefined
      ? pino.destination(2)
      : typeof output === 'string'
        ? pino.destination({ dest: output, mkdir: true, sync: true })
        : output;
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { app: 'hoi-vien-bot' },
      formatters: { log: (object) => boundForLog(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const bounded = args.map((arg) =>
            typeof arg === 'string' && arg.length > MAX_MESSAGE ? `${arg.slice(0, MAX_MESSAGE)}…` : arg,
          ) as Parameters<typeof method>;
          method.apply(this, bounded);
        },
      },
    },
    destination,
  );
}

/**
 * A copy of `value` whose JSON is at most about `budget` bytes (see the file comment); what is left out is marked
 * ("…[+N]" on a string, "[+N more]" in a list, "[truncated]" once the budget is spent). Errors become
 * { name, code?, at? }. Pure; never throws (cycles become "[cycle]").
 */
export function boundForLog(value: unknown, budget = LOG_BUDGET_BYTES): unknown {
  const state = { left: budget, seen: new Set<object>() };
  return bound(value, 0, state);
}

function bound(value: unknown, depth: number, state: { left: number; seen: Set<object> }): unknown {
  if (state.left <= 0) return '[truncated]';
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'number') {
    state.left -= 8;
    return value;
  }
  if (typeof value === 'bigint') return bound(value.toString(), depth, state);
  if (typeof value === 'string') {
    const cut =
      value.length > MAX_LOG_STRING ? `${value.slice(0, MAX_LOG_STRING)}…[+${value.length - MAX_LOG_STRING}]` : value;
    const cost = Buffer.byteLength(JSON.stringify(cut));
    if (cost > state.left) {
      const keep = Math.max(0, Math.floor(state.left / 6));
      state.left = 0;
      return `${value.slice(0, keep)}…[truncated]`;
    }
    state.left -= cost;
    return cut;
  }
  if (typeof value !== 'object') return `[${typeof value}]`;
  if (value instanceof Error) return bound(loggableError(value), depth, state);
  if (value instanceof Date)
    return bound(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString(), depth, state);
  if (state.seen.has(value)) return '[cycle]';
  if (depth >= MAX_LOG_DEPTH) return '[depth]';
  state.seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_LOG_ITEMS).map((item) => bound(item, depth + 1, state));
      if (value.length > MAX_LOG_ITEMS) items.push(`[+${value.length - MAX_LOG_ITEMS} more]`);
      return items;
    }
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    for (const key of keys.slice(0, MAX_LOG_ITEMS)) {
      if (state.left <= 0) {
        out['…'] = '[truncated]';
        break;
      }
      const boundedKey = key.length > 64 ? `${key.slice(0, 64)}…` : key;
      state.left -= boundedKey.length + 4;
      out[boundedKey] = bound((value as Record<string, unknown>)[key], depth + 1, state);
    }
    if (keys.length > MAX_LOG_ITEMS) out['…'] = `[+${keys.length - MAX_LOG_ITEMS} more keys]`;
    return out;
  } finally {
    state.seen.delete(value);
  }
}
