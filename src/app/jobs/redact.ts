// What is kept of a job's error. It is stored in the database and shown by `npm run admin -- jobs`, so it must not
// carry personal data: code never puts names, phone numbers or message texts in an error message (the same rule as
// for logs), and this is the second line of defence — what could be such data is masked before it is stored.

/** Longest stored error, in characters. */
export const MAX_ERROR_LENGTH = 500;

const MASKS: [RegExp, string][] = [
  // Anything quoted: values in messages are usually quoted ("…", '…', `…`, “…”, «…»).
  [/"[^"\n]*"|'[^'\n]*'|`[^`\n]*`|“[^”\n]*”|«[^»\n]*»/g, '[…]'],
  // URLs: their paths and query strings carry ids and tokens.
  [/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[url]'],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]'],
  // Phone numbers and other long numbers (ids of people on a platform), with their usual separators.
  [/\+?\d[\d .-]{5,}\d/g, '[number]'],
  // Tokens and secrets: long runs of letters, digits, _ and -.
  [/\b[A-Za-z0-9_-]{24,}\b/g, '[token]'],
  // Names: two or more capitalised words in a row ("Nguyen Van An", "Nguyễn Thị Hoa"); also costs "Bad Request".
  [/\p{Lu}[\p{L}\p{M}]*(?:[ \t]+\p{Lu}[\p{L}\p{M}]*)+/gu, '[…]'],
  // A lone capitalised word inside a sentence ("chị Lan ơi", "for Hoa"); also costs "request to Zalo failed".
  [/(?<=[\s(,;])(?<![.!?:]\s)\p{Lu}[\p{Ll}\p{M}]*(?![\p{L}\p{M}\d_])/gu, '[…]'],
  // Vietnamese words (names, what a member typed): any word with a letter outside ASCII.
  [/[\p{L}\p{M}]*[^\p{ASCII}\s\p{P}\p{S}\p{N}][\p{L}\p{M}]*/gu, '[…]'],
];

/**
 * The text with whatever may be personal data masked: quoted values, URLs, e-mails, long numbers, tokens, runs of
 * capitalised words, a capitalised word inside a sentence, words with Vietnamese letters. A heuristic: a name typed
 * in lower case without accents would pass, which is why error messages must not carry personal data in the first place.
 */
export function redactText(text: string): string {
  let result = text.normalize('NFC');
  for (const [pattern, mask] of MASKS) result = result.replace(pattern, mask);
  return result.replace(/\s+/g, ' ').trim();
}

/**
 * An error as stored with a failed job: "Name [code]: redacted message", at most MAX_ERROR_LENGTH characters.
 * Not an Error (a thrown string, an object): its type only, since its content is unknown.
 */
export function redactError(error: unknown): string {
  if (!(error instanceof Error)) return `thrown ${error === null ? 'null' : typeof error}`;
  const code = (error as { code?: unknown }).code;
  const head = typeof code === 'string' || typeof code === 'number' ? `${error.name} [${code}]` : error.name;
  const message = redactText(error.message);
  const text = message === '' ? head : `${head}: ${message}`;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
