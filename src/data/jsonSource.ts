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
  if (parsed.success) return { ok: true, data: parsed.data, json };

  const located = parsed.error.issues
    .map((issue) => {
      // An unknown key (a typo such as "effectiveto") is reported at the key's own line, not its object's.
      const path: JsonPath =
        issue.code === 'unrecognized_keys' && issue.keys.length > 0 ? [...issue.path, issue.keys[0]!] : issue.path;
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
