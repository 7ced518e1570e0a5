// Parsing of the built-in input kinds. Each returns a JSON value or an i18n error key; nothing here throws.
import { parseVietnamesePhone, formatVietnamesePhone } from '../domain/phone.ts';
import type { Json, ParseResult, Text } from './flow.ts';
import { text } from './flow.ts';

/** Long enough for any real answer, short enough to keep junk (a pasted 5,000-character message) out of the DB. */
export const DEFAULT_MAX_TEXT = 500;

const fail = (key: string, vars?: Record<string, unknown>): ParseResult => ({ ok: false, error: text(key, vars) });

/**
 * Her words, tidied: runs of spaces become one and the ends are trimmed. `multiline` keeps her line breaks (an
 * announcement's paragraphs and lists): spaces are tidied within each line, at most one blank line is kept between
 * paragraphs, and blank lines at the ends go. Errors: common:errors.empty, common:errors.tooLong ({max}: characters).
 */
export function parseText(input: string, maxLength = DEFAULT_MAX_TEXT, multiline = false): ParseResult {
  const value = multiline
    ? input
        .split(/\r\n|\r|\n|\u2028|\u2029/u)
        .map((line) => line.replace(/\s+/gu, ' ').trim())
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim()
    : input.replace(/\s+/gu, ' ').trim();
  if (value === '') return fail('common:errors.empty');
  if ([...value].length > maxLength) return fail('common:errors.tooLong', { max: maxLength });
  return { ok: true, value };
}

/**
 * "12", "1.500.000", "1,500,000", "2,5", "2.5". A dot or comma followed by exactly three digits groups thousands
 * (Vietnamese writes 1.500.000); otherwise it is a decimal separator.
 */
export function parseNumber(input: string, opts: { min?: number; max?: number; integer?: boolean }): ParseResult {
  const s = input.replace(/\s+/g, '');
  let value: number;
  if (/^-?\d{1,3}([.,]\d{3})+$/.test(s)) value = Number(s.replace(/[.,]/g, ''));
  else if (/^-?\d+([.,]\d+)?$/.test(s)) value = Number(s.replace(',', '.'));
  else return fail('common:errors.number');
  if (opts.integer && !Number.isInteger(value)) return fail('common:errors.integer');
  if (opts.min !== undefined && value < opts.min) return fail('common:errors.min', { min: opts.min });
  if (opts.max !== undefined && value > opts.max) return fail('common:errors.max', { max: opts.max });
  return { ok: true, value };
}

export function parsePhone(input: string): ParseResult {
  const result = parseVietnamesePhone(input);
  if (result.ok) return { ok: true, value: result.e164 };
  return fail(result.reason === 'not_mobile' ? 'common:errors.phoneNotMobile' : 'common:errors.phoneFormat');
}

/** dd/mm/yyyy (also with - or . and 2-digit years) or ISO yyyy-mm-dd; stored as ISO yyyy-mm-dd. */
export function parseDate(input: string): ParseResult {
  const s = input.trim();
  let y: number, m: number, d: number;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) {
    [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
    if (y < 100) y += 2000;
  } else return fail('common:errors.date');
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return fail('common:errors.date');
  }
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

export function displayDate(iso: string): string {
  const [y = '', m = '', d = ''] = iso.split('-');
  return `${d}/${m}/${y}`;
}

export function displayNumber(value: number): string {
  return new Intl.NumberFormat('vi-VN').format(value);
}

export function displayPhone(value: Json): Text {
  return { raw: typeof value === 'string' ? formatVietnamesePhone(value) : '' };
}
