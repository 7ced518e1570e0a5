// Validates the text of a JSON data file against a zod schema, reporting every problem with its line and column (via
// the JSON locator): "line 141, column 15: programmes.2.rates.1.effectiveFrom: tier "standard": ... overlaps ...".
import type { z } from 'zod';
import { createJsonLocator, JsonSyntaxError, type JsonPath } from './jsonLocator.ts';

/** At most this many problems are listed (a wrong file can have one per item). */
export const MAX_PROBLEMS = 50;

export type JsonSourceCheck<T> =
  | { ok: true; data: T; json: unknown }
  /** One line per problem, in the order of the file. */
  | { ok: false; problems: string[] };

export function checkJsonSource<S extends z.ZodType>(source: string, schema: S): JsonSourceCheck<z.output<S>> {
  // Editors on Windows often save UTF-8 with a byte-order mark, which JSON.parse refuses.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  let locator;
  try {
    locator = createJsonLocator(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, problems: [`${error.message} (not valid JSON)`] };
    throw error;
  }
  const json: unknown = JSON.parse(text);
  const parsed = schema.safeParse(json);
  const unstorable = controlCharacterIssues(json);
  if (parsed.success && unstorable.length === 0) return { ok: true, data: parsed.data, json };

  const issues: { path: JsonPath; message: string; code?: string; keys?: readonly string[] }[] = [
    ...(parsed.success ? [] : parsed.error.issues),
    ...unstorable,
  ];
  const located = issues
    .map((issue) => {
      // An unknown key (a typo such as "effectiveto") is reported at the key's own line, not its object's.
      const path: JsonPath =
        issue.code === 'unrecognized_keys' && issue.keys !== undefined && issue.keys.length > 0
          ? [...issue.path, issue.keys[0]!]
          : issue.path;
      return { issue, path, where: locator.locate(path) };
    })
    .sort((a, b) => a.where.offset - b.where.offset);
  const problems = located.slice(0, MAX_PROBLEMS).map(({ issue, path, where }) => {
    const name = path.map(String).join('.') || '(the file)';
    const missing = where.exact ? '' : ` (missing; line of ${where.found.map(String).join('.') || 'the file'})`;
    return `line ${where.line}, column ${where.column}: ${name}: ${issue.message}${missing}`;
  });
  if (located.length > MAX_PROBLEMS) problems.push(`... and ${located.length - MAX_PROBLEMS} more problems`);
  return { ok: false, problems };
}

/**
 * Strings (values or keys) of a parsed document that hold a control character other than tab, line feed or carriage
 * return, e.g. a `\u0000` escape: PostgreSQL cannot store NUL in text, and the others are never meant. One issue each.
 */
export function controlCharacterIssues(json: unknown, path: JsonPath = []): { path: JsonPath; message: string }[] {
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
  const message = 'contains a control character (such as \\u0000), which cannot be stored';
  if (typeof json === 'string') return CONTROL.test(json) ? [{ path, message }] : [];
  if (Array.isArray(json)) return json.flatMap((item, index) => controlCharacterIssues(item, [...path, index]));
  if (typeof json === 'object' && json !== null) {
    return Object.entries(json).flatMap(([key, value]) => [
      ...(CONTROL.test(key) ? [{ path: [...path, key], message }] : []),
      ...controlCharacterIssues(value, [...path, key]),
    ]);
  }
  return [];
}
