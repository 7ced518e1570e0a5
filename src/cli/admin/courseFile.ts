// A course as an admin writes it outside the chat: a row of an import file (CSV as Excel saves it, or JSON) or the
// flags of `courses create|edit`. Every field is checked with zod and every problem is reported with its line and
// column ("line 7, column seats: must be a whole number ≥ 1"); the commune is given by name or code (read through
// the areas directory), the officer in charge by phone or member id. Nothing here writes: the import applies the
// checked rows in one transaction (courses.ts).
import { z } from 'zod';
import { createJsonLocator, JsonSyntaxError } from '../../data/jsonLocator.ts';
import { controlCharacterIssues } from '../../data/jsonSource.ts';
import type { Translate } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import {
  COURSE_OCCUPATIONS,
  COURSE_SUPPORT,
  type CourseInput,
  type CourseOccupation,
  type CourseSupport,
} from '../../domain/courses.ts';
import type { Officer } from '../../domain/officers.ts';
import { parseVietnamesePhone } from '../../domain/phone.ts';
import {
  COURSE_COLUMNS,
  courseDate,
  courseDeadline,
  MAX_SEATS,
  type CourseColumn,
} from '../../features/courseAdmin/fields.ts';

export { COURSE_COLUMNS, type CourseColumn };
import { parseCsv } from '../../domain/csv.ts';
import { resolveAreas } from './officers.ts';

/** Columns a new course must have; the others may be left empty. */
const REQUIRED: readonly CourseColumn[] = [
  'titleVi',
  'occupation',
  'organiser',
  'commune',
  'address',
  'startDate',
  'endDate',
  'schedule',
  'seats',
  'registrationDeadline',
];

const MAX_TEXT = 300;
const MAX_ROWS = 2_000;

/** What a checked row gives: the fields given (all of them for a new course), status and key included. */
export type CourseFields = Partial<CourseInput> & { externalKey?: string | null };

export interface FieldProblem {
  column: string;
  message: string;
}

/** Where names are resolved: the areas in force, the officers and admins, the zone of the dates. */
export interface FieldContext {
  directory: AreaDirectory;
  officers: readonly Officer[];
  timeZone: string;
  /** For the messages of area names (the commune labels). */
  t: Translate;
}

/** A cell or a JSON value: empty text and null are "not given". */
const given = (v: unknown): boolean => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');

function schemaFor(ctx: FieldContext) {
  const requiredText = z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: 'is required' })
    .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` });
  const optionalText = z.preprocess(
    (v) => (given(v) ? v : null),
    z
      .string({ error: 'must be text' })
      .trim()
      .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` })
      .nullable(),
  );
  const oneOf = <T extends string>(values: readonly T[], what: string) =>
    z
      .string({ error: `must be one of ${values.join(', ')}` })
      .trim()
      .transform((v, c) => {
        const found = values.find((x) => x.toLowerCase() === v.toLowerCase());
        if (found === undefined)
          c.addIssue({ code: 'custom', message: `unknown ${what} '${v}' (known: ${values.join(', ')})` });
        return found as T;
      });
  const date = z.string({ error: 'must be a date such as 15/01/2027' }).transform((v, c) => {
    const iso = courseDate(v);
    if (iso === null) c.addIssue({ code: 'custom', message: `'${v}' is not a date such as 15/01/2027 or 2027-01-15` });
    return iso ?? '';
  });
  const seats = z
    .union(
      [
        z.number(),
        z
          .string()
          .trim()
          .regex(/^\d{1,6}$/, { error: `must be a whole number ≥ 1` }),
      ],
      {
        error: 'must be a whole number ≥ 1',
      },
    )
    .transform(Number)
    .pipe(
      z
        .number()
        .int({ error: 'must be a whole number ≥ 1' })
        .min(1, { error: 'must be a whole number ≥ 1' })
        .max(MAX_SEATS, { error: `must be at most ${MAX_SEATS}` }),
    );
  const deadline = z.string({ error: 'must be a date, with an optional time' }).transform((v, c) => {
    const at = courseDeadline(v, ctx.timeZone);
    if (at === null) {
      c.addIssue({ code: 'custom', message: `'${v}' is not a date (and time) such as 10/01/2027 or 17:00 10/01/2027` });
    }
    return at ?? new Date(0);
  });
  const commune = z.string({ error: 'must be a commune or ward name or code' }).transform((v, c) => {
    const resolved = resolveAreas([v.trim()], ctx.directory, ctx.t);
    if (!resolved.ok || resolved.codes.length !== 1 || resolved.codes[0] === '*') {
      c.addIssue({
        code: 'custom',
        message: resolved.ok ? 'must be one commune or ward' : resolved.problems.join('; '),
      });
      return '';
    }
    return resolved.codes[0]!;
  });
  const officer = z.preprocess(
    (v) => (given(v) ? String(v) : null),
    z
      .string()
      .nullable()
      .transform((v, c) => {
        if (v === null) return null;
        const wanted = v.trim();
        const phone = parseVietnamesePhone(wanted);
        const found = ctx.officers.find(
          (o) => o.member.id === wanted || (phone.ok && o.member.phone !== null && o.member.phone === phone.e164),
        );
        if (!found) {
          c.addIssue({
            code: 'custom',
            message: `no officer or admin has the phone or member id '${wanted}' (see: npm run admin -- officers list)`,
          });
          return null;
        }
        return found.member.id;
      }),
  );
  return z.strictObject({
    externalKey: z.preprocess(
      (v) => (given(v) ? String(v) : null),
      z.string().trim().max(100, { error: 'must be at most 100 characters' }).nullable(),
    ),
    titleVi: requiredText,
    titleEn: optionalText,
    occupation: oneOf<CourseOccupation>(COURSE_OCCUPATIONS, 'occupation'),
    organiser: requiredText,
    commune,
    address: requiredText,
    startDate: date,
    endDate: date,
    schedule: requiredText,
    seats,
    registrationDeadline: deadline,
    eligibilityNotes: optionalText,
    support: oneOf<CourseSupport>(COURSE_SUPPORT, 'support'),
    officer,
    status: oneOf(['draft', 'open', 'closed'] as const, 'status'),
  });
}

/**
 * Checks the fields of one course. `partial` (an edit): only the fields given are checked and returned; otherwise
 * the required ones must be there, support defaults to decision46 and status to draft. Dates must be in order: end
 * on or after start, the registration deadline no later than the start day's end.
 */
export function checkCourseFields(
  raw: Record<string, unknown>,
  ctx: FieldContext,
  partial: boolean,
): { ok: true; fields: CourseFields } | { ok: false; problems: FieldProblem[] } {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => given(v)));
  const problems: FieldProblem[] = [];
  if (!partial) {
    for (const column of REQUIRED) if (!(column in present)) problems.push({ column, message: 'is required' });
    // Optional text columns given empty are cleared; the others take their defaults.
    for (const column of ['titleEn', 'eligibilityNotes', 'officer', 'externalKey'] as const) {
      if (!(column in present) && column in raw) present[column] = null;
    }
  } else {
    for (const column of ['titleEn', 'eligibilityNotes', 'officer'] as const) {
      if (column in raw && !given(raw[column])) present[column] = null;
    }
  }
  const schema = schemaFor(ctx).partial();
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({ column: key, message: `unknown column (known: ${COURSE_COLUMNS.join(', ')})` });
        }
      } else problems.push({ column: String(issue.path[0] ?? '(row)'), message: issue.message });
    }
  }
  if (problems.length > 0 || !parsed.success) {
    // Every problem at once: the order of the dates among those that are valid on their own, too.
    const dates: CourseFields = {};
    for (const key of ['startDate', 'endDate', 'registrationDeadline'] as const) {
      if (!(key in present) || problems.some((p) => p.column === key)) continue;
      const one = schema.safeParse({ [key]: present[key] });
      if (!one.success) continue;
      if (key === 'registrationDeadline') dates.registrationDeadline = one.data.registrationDeadline;
      else dates[key] = one.data[key];
    }
    return { ok: false, problems: dedupe([...problems, ...datesInOrder(dates, ctx.timeZone)]) };
  }
  const v = parsed.data;
  const fields: CourseFields = {};
  if (v.externalKey !== undefined) fields.externalKey = v.externalKey;
  if (v.titleVi !== undefined) fields.titleVi = v.titleVi;
  if (v.titleEn !== undefined) fields.titleEn = v.titleEn;
  if (v.occupation !== undefined) fields.occupation = v.occupation;
  if (v.organiser !== undefined) fields.organiser = v.organiser;
  if (v.commune !== undefined) fields.communeCode = v.commune;
  if (v.address !== undefined) fields.address = v.address;
  if (v.startDate !== undefined) fields.startDate = v.startDate;
  if (v.endDate !== undefined) fields.endDate = v.endDate;
  if (v.schedule !== undefined) fields.schedule = v.schedule;
  if (v.seats !== undefined) fields.seats = v.seats;
  if (v.registrationDeadline !== undefined) fields.registrationDeadline = v.registrationDeadline;
  if (v.eligibilityNotes !== undefined) fields.eligibilityNotes = v.eligibilityNotes;
  if (v.support !== undefined) fields.support = v.support;
  if (v.officer !== undefined) fields.officerId = v.officer;
  if (v.status !== undefined) fields.status = v.status;
  if (!partial) {
    fields.support ??= 'decision46';
    fields.status ??= 'draft';
    fields.titleEn ??= null;
    fields.eligibilityNotes ??= null;
    fields.officerId ??= null;
  }
  const order = datesInOrder(fields, ctx.timeZone);
  return order.length > 0 ? { ok: false, problems: order } : { ok: true, fields };
}

/**
 * The problems of date order in the operator's words, by the courses service's issue key (the service checks the
 * same against the stored course on an edit: one wording whichever finds it).
 */
export const DATE_ORDER_PROBLEMS: Readonly<Record<string, string>> = {
  'courseNotices:errors.endBeforeStart': 'must be on or after the start date',
  'courseNotices:errors.deadlineAfterStart': 'must be no later than the start date',
};

/** End on or after start; the deadline no later than the end of the start day (local). Only among fields given. */
function datesInOrder(fields: CourseFields, timeZone: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (fields.startDate !== undefined && fields.endDate !== undefined && fields.endDate < fields.startDate) {
    problems.push({ column: 'endDate', message: DATE_ORDER_PROBLEMS['courseNotices:errors.endBeforeStart']! });
  }
  if (fields.startDate !== undefined && fields.registrationDeadline !== undefined) {
    const lastMoment = courseDeadline(fields.startDate, timeZone);
    if (lastMoment !== null && fields.registrationDeadline > lastMoment) {
      problems.push({
        column: 'registrationDeadline',
        message: DATE_ORDER_PROBLEMS['courseNotices:errors.deadlineAfterStart']!,
      });
    }
  }
  return problems;
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.column}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface CourseRow {
  /** The line the row starts on in the file (1-based). */
  line: number;
  fields: CourseFields & CourseInput;
}

/**
 * Reads an import file: CSV (header line of COURSE_COLUMNS names, any order; UTF-8 with or without BOM; "," or ";")
 * or JSON (an array of objects with those keys, or { "courses": [...] }). Every problem of every row, each with its
 * line and column; a key given twice in the file is a problem of its second row.
 */
export function readCourseFile(
  source: string,
  format: 'csv' | 'json',
  ctx: FieldContext,
): { ok: true; rows: CourseRow[] } | { ok: false; problems: string[] } {
  const items = format === 'csv' ? csvItems(source) : jsonItems(source);
  if (!items.ok) return items;
  if (items.items.length === 0) return { ok: false, problems: ['the file has no course rows'] };
  if (items.items.length > MAX_ROWS) {
    return { ok: false, problems: [`the file has ${items.items.length} rows; at most ${MAX_ROWS} at once`] };
  }
  const problems: string[] = [];
  const rows: CourseRow[] = [];
  const keys = new Map<string, number>();
  for (const item of items.items) {
    const checked = checkCourseFields(item.raw, ctx, false);
    if (!checked.ok) {
      for (const p of checked.problems)
        problems.push(`line ${item.lineOf(p.column)}, column ${p.column}: ${p.message}`);
      continue;
    }
    const key = checked.fields.externalKey;
    if (key) {
      const first = keys.get(key);
      if (first !== undefined) {
        problems.push(`line ${item.lineOf('externalKey')}, column externalKey: '${key}' is already on line ${first}`);
        continue;
      }
      keys.set(key, item.line);
    }
    rows.push({ line: item.line, fields: checked.fields as CourseRow['fields'] });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}

interface FileItem {
  line: number;
  raw: Record<string, unknown>;
  /** The line of one of its fields (a JSON object spreads over lines; a CSV record is on its line). */
  lineOf(column: string): number;
}

function csvItems(source: string): { ok: true; items: FileItem[] } | { ok: false; problems: string[] } {
  const parsed = parseCsv(source);
  if (!parsed.ok) return { ok: false, problems: [`line ${parsed.line}: ${parsed.problem}`] };
  const [header, ...records] = parsed.records;
  if (header === undefined) return { ok: true, items: [] };
  const columns = header.cells.map((c) => c.trim());
  const problems: string[] = [];
  columns.forEach((name, i) => {
    if (!(COURSE_COLUMNS as readonly string[]).includes(name)) {
      problems.push(
        `line ${header.line}, column ${i + 1}: unknown column '${name}' (known: ${COURSE_COLUMNS.join(', ')})`,
      );
    } else if (columns.indexOf(name) !== i) {
      problems.push(`line ${header.line}, column ${i + 1}: column '${name}' is given twice`);
    }
  });
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) problems.push(`line ${header.line}: missing column(s) ${missing.join(', ')}`);
  for (const record of records) {
    if (record.cells.length > columns.length) {
      problems.push(`line ${record.line}: ${record.cells.length} fields, but the header has ${columns.length}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    items: records.map((record) => ({
      line: record.line,
      raw: Object.fromEntries(columns.map((name, i) => [name, record.cells[i] ?? ''])),
      lineOf: () => record.line,
    })),
  };
}

function jsonItems(source: string): { ok: true; items: FileItem[] } | { ok: false; problems: string[] } {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  let locator;
  try {
    locator = createJsonLocator(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, problems: [`${error.message} (not valid JSON)`] };
    throw error;
  }
  const json: unknown = JSON.parse(text);
  const wrapped = json !== null && typeof json === 'object' && !Array.isArray(json) && 'courses' in json;
  const list: unknown = wrapped ? json.courses : json;
  const prefix = wrapped ? ['courses'] : [];
  if (!Array.isArray(list)) {
    return { ok: false, problems: ['line 1: expected a list of courses: [ {...}, ... ] or { "courses": [ ... ] }'] };
  }
  const unstorable = controlCharacterIssues(list);
  if (unstorable.length > 0) {
    return {
      ok: false,
      problems: unstorable.map((u) => `line ${locator.locate([...prefix, ...u.path]).line}: ${u.message}`),
    };
  }
  const problems: string[] = [];
  const items: FileItem[] = [];
  list.forEach((entry: unknown, index) => {
    const line = locator.locate([...prefix, index]).line;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`line ${line}: course ${index + 1} must be an object with the course's fields`);
      return;
    }
    items.push({
      line,
      raw: entry as Record<string, unknown>,
      lineOf: (column) => locator.locate([...prefix, index, column]).line,
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, items };
}
