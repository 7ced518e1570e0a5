// Structured logs (pino) on standard error, so the console channel's standard output stays the conversation; or in a
// file (LOG_FILE, and the terminal chat's default when standard error is that terminal: see main.ts).
// Code never logs names, phone numbers or message texts; the redaction list is a second line of defence.
import pino from 'pino';
import type { Logger } from './conversation/ports.ts';

const REDACT = ['text', 'phone', 'displayName', 'name', 'token', 'secret', 'caption'].flatMap((k) => [k, `*.${k}`]);

/** A logger at `level` writing JSON lines to standard error, or appending them to `file` (its folder created). */
export function createLogger(level: string, file?: string): Logger & { level: string } {
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'hoi-vien-bot' } },
    file === undefined ? pino.destination(2) : pino.destination({ dest: file, mkdir: true, sync: true }),
  );
}
