// Structured logs (pino) on standard error, so the console channel's standard output stays the conversation.
// Code never logs names, phone numbers or message texts; the redaction list is a second line of defence.
import pino from 'pino';
import type { Logger } from './conversation/ports.ts';

const REDACT = ['text', 'phone', 'displayName', 'name', 'token', 'secret', 'caption'].flatMap((k) => [k, `*.${k}`]);

export function createLogger(level: string): Logger & { level: string } {
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'hoi-vien-bot' } },
    pino.destination(2),
  );
}
