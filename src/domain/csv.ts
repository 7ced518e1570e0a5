// CSV files the way Excel and LibreOffice read and write them (RFC 4180), shared by the admin CLI (src/cli/admin) and
// the web console's downloads (src/web/pages): one writer, so a file is the same whichever door it leaves by.
// Reading: UTF-8 with or without a byte-order mark, CRLF or LF line ends, fields in double quotes when they hold a
// separator, a quote ("" inside) or a line break. Excel with Vietnamese regional settings separates fields with ";"
// rather than ","; the separator is read from the header line. No CSV package is installed, and this grammar is small
// enough to own (tested in test/cli/courseFile.test.ts and the CLI's and console's CSV tests).
// Writing: `csvText` (a whole file), `csvField` (one field), `plainText` (text typed by people, made safe from Excel's
// formulas). Pure: no I/O.

/** One record of the file: its cells as written (quotes removed), and the line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export type CsvParse =
  | { ok: true; records: CsvRecord[]; separator: ',' | ';' }
  /** The first problem: a quoted field never closed, or text after a closing quote. */
  | { ok: false; line: number; problem: string };

/**
 * Parses the text into records. A byte-order mark is dropped; records whose cells are all empty (Excel's trailing
 * ",,,," lines, blank lines) are skipped. A quote inside an unquoted field is kept as text (as Excel reads it).
 */
export function parseCsv(source: string): CsvParse {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const separator = detectSeparator(text);
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    // One record: fields until an unquoted line break or the end.
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) return { ok: false, line: quoteLine, problem: 'a quoted field is never closed (missing ")' };
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          if (c === '\r' && text[i + 1] !== '\n') line++;
          cell += c;
          i++;
        }
        if (i < n && text[i] !== separator && text[i] !== '\r' && text[i] !== '\n') {
          return { ok: false, line, problem: `text after a closing quote (a field must be quoted as a whole)` };
        }
      } else {
        while (i < n && text[i] !== separator && text[i] !== '\r' && text[i] !== '\n') cell += text[i++];
      }
      cells.push(cell);
      if (i < n && text[i] === separator) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (cells.some((c) => c.trim() !== '')) records.push({ line: start, cells });
  }
  return { ok: true, records, separator };
}

/** "," unless the header line (up to its first unquoted line break) has ";" and no ",". */
function detectSeparator(text: string): ',' | ';' {
  let quoted = false;
  let commas = 0;
  let semicolons = 0;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return commas === 0 && semicolons > 0 ? ';' : ',';
}

/** How `csvText` writes a file; the defaults are the CLI's files (and RFC 4180's). */
export interface CsvStyle {
  /** Quote a field holding ";" too (Excel with Vietnamese regional settings may split on it). Default false. */
  quoteSemicolons?: boolean;
  /** End the last record with CRLF as every other one. Default true. */
  finalLineBreak?: boolean;
}

/**
 * A CSV file for Excel: a byte-order mark (Excel then reads UTF-8), fields separated by "," and quoted as needed
 * (as `csvField`), CRLF line ends. Cells are written as given: pass text typed by people through `plainText` first.
 */
export function csvText(rows: readonly (readonly string[])[], style: CsvStyle = {}): string {
  const special = style.quoteSemicolons ? /[",\r\n;]/ : /[",\r\n]/;
  const field = (value: string) => (special.test(value) ? quoted(value) : value);
  const end = (style.finalLineBreak ?? true) ? '\r\n' : '';
  return `\uFEFF${rows.map((row) => row.map(field).join(',')).join('\r\n')}${end}`;
}

/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? quoted(value) : value;
}

const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** Text typed by people: a leading = + - @ would make Excel run it as a formula; a leading ' keeps it text. */
export function plainText(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** `plainText` under the name the roll call uses. */
export const spreadsheetText = plainText;
