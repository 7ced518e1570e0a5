// HTML for the web console and the public catalogue (issue 16), written as tagged templates: every interpolated value
// is escaped (html-escaper: &, <, >, ", ') unless it is itself `Html` (a fragment built the same way, or `raw`).
// There is no other way to put text into a page, so a member's name, a product description or a case note can never
// become markup. Attribute values must be quoted in the template (`value="${x}"`).
import { escape } from 'html-escaper';

const HTML = Symbol('html');

/** A fragment of trusted markup (built by `html` or `raw`). */
export interface Html {
  readonly [HTML]: true;
  readonly text: string;
}

/** Marks markup as trusted. Only for constants written in code (never anything that came from a person). */
export function raw(text: string): Html {
  return { [HTML]: true, text };
}

export function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && (value as Partial<Html>)[HTML] === true;
}

/** What may go into `${...}`: arrays are joined, null/undefined/false are left out, numbers are written as they are. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const isList = (value: HtmlValue): value is readonly HtmlValue[] => Array.isArray(value);

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (isList(value)) return value.map(render).join('');
  if (isHtml(value)) return value.text;
  return escape(String(value));
}

/**
 * `html\`<p>${name}</p>\`` → Html with `name` escaped. Nested fragments and arrays of fragments are kept as markup.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return raw(out);
}

/** Joins fragments (e.g. table rows). */
export function join(parts: readonly HtmlValue[], separator: Html = raw('')): Html {
  return raw(parts.map(render).join(separator.text));
}
