// `courses ...`: the catalogue of vocational courses from the command line (list, show, create, edit, open, close,
// cancel, import a file), the roll call for Excel and its import back (attendance and completion), a three-month
// answer collected by phone, and the report the Union publishes (trained, finished, earning from it). Everything goes
// through the bot's own courses service in one unit of work per command: the records and the messages to members
// (a cancellation, a change of date or venue) are committed together, or nothing is when something fails.
import { readFile, writeFile } from 'node:fs/promises';
import type { Translate } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import {
  MARKABLE,
  SEAT_HOLDING,
  type Course,
  type CourseRegistration,
  type RegistrationStatus,
} from '../../domain/courses.ts';
import { LANGUAGES } from '../../domain/member.ts';
import { occupationKey } from '../../features/courseAdmin/present.ts';
import type { CourseTools } from '../../features/courseAdmin/tools.ts';
import { fold } from '../../domain/text.ts';
import { formatDateTime, formatIsoDate } from '../../domain/time.ts';
import {
  percentText,
  reportTotal,
  type CatalogueResult,
  type CourseActor,
  type CourseService,
  type TrainingReportRow,
} from '../../features/courses/service.ts';
import { unitLabel } from '../../features/profile/areaInput.ts';
import type { CoursesCommand } from './args.ts';
import {
  checkCourseFields,
  DATE_ORDER_PROBLEMS,
  readCourseFile,
  type CourseFields,
  type FieldContext,
} from './courseFile.ts';
import { ACTOR, AdminError, table, type AdminContext } from './context.ts';
import { csvText, parseCsv, spreadsheetText } from '../../domain/csv.ts';

const CLI_ACTOR: CourseActor = { kind: 'cli', operator: ACTOR };

/** Thrown inside a unit of work to roll it back (the problems are printed by the command). */
class Rollback extends Error {
  constructor(readonly problems: string[]) {
    super('rolled back');
  }
}

/** A file refused as a whole: every problem with the file's name, exit status 1. */
function notImported(file: string, problems: readonly string[]): AdminError {
  return new AdminError(
    `${file} was not imported (nothing was changed):\n` + problems.map((p) => `  ${file}: ${p}`).join('\n'),
    1,
  );
}

/** Runs `work` in one unit of work; a Rollback it throws undoes everything and becomes the file's refusal. */
async function allOrNothing<T>(tools: CourseTools, file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await tools.run(work);
  } catch (error) {
    if (error instanceof Rollback) throw notImported(file, error.problems);
    throw error;
  }
}

export async function runCourses(command: CoursesCommand, s: AdminContext): Promise<void> {
  const tools = await s.services.courses();
  switch (command.name) {
    case 'courses list':
      return list(command, tools, s);
    case 'courses show':
      return show(command, tools, s);
    case 'courses create':
    case 'courses edit':
      return createOrEdit(command, tools, s);
    case 'courses open':
    case 'courses close':
    case 'courses cancel':
      return changeStatus(command, tools, s);
    case 'courses import':
      return importCourses(command, tools, s);
    case 'courses rollcall':
      return rollCall(command, tools, s);
    case 'courses attendance':
      return attendance(command, tools, s);
    case 'courses outcome':
      return outcome(command, tools, s);
    case 'courses report':
      return report(command, tools, s);
  }
}

// ---- the catalogue -----------------------------------------------------------------------------------------------

function communeOf(code: string, directory: AreaDirectory, t: Translate): string {
  const unit = directory.byCodeOrNull(code);
  return unit === null ? code : unitLabel(unit, t);
}

async function list(
  command: Extract<CoursesCommand, { name: 'courses list' }>,
  tools: CourseTools,
  s: AdminContext,
): Promise<void> {
  const { courses, total } = await tools.repository.listAll({
    ...(command.status ? { status: command.status } : {}),
    offset: 0,
    limit: 1_000,
  });
  if (total === 0) {
    s.print(
      command.status
        ? `No ${command.status} courses.`
        : 'No courses yet. Create one: npm run admin -- courses create ...',
    );
    return;
  }
  const t = s.translator(command.language);
  const language = command.language ?? s.language;
  const directory = await s.areas();
  const header = ['id', 'status', 'start', 'seats', 'commune', 'title'].map((c) => t(`courseAdmin:cli.${c}`));
  s.print(
    table([
      header,
      ...courses.map((c) => [
        String(c.id),
        t(`courseAdmin:status.${c.status}`),
        formatIsoDate(c.startDate, language),
        `${c.seatsTaken}/${c.seats}`,
        communeOf(c.communeCode, directory, t),
        language === 'en' && c.titleEn ? c.titleEn : c.titleVi,
      ]),
    ]),
  );
  if (total > courses.length) s.print(`(${courses.length} of ${total} shown)`);
}

async function courseOrFail(tools: CourseTools, id: number): Promise<Course> {
  const course = await tools.service.find(id);
  if (course === null) throw new AdminError(`No course #${id} (see: npm run admin -- courses list)`, 2);
  return course;
}

async function show(
  command: Extract<CoursesCommand, { name: 'courses show' }>,
  tools: CourseTools,
  s: AdminContext,
): Promise<void> {
  const course = await courseOrFail(tools, command.id);
  const t = s.translator(command.language);
  const language = command.language ?? s.language;
  const registrations = await tools.repository.registrationsOf(course.id);
  const count = (status: RegistrationStatus) => registrations.filter((r) => r.status === status).length;
  const officer = course.officerId === null ? null : await tools.members.findById(course.officerId);
  const lines: [string, string][] = [
    ['titleVi', course.titleVi],
    ['titleEn', course.titleEn ?? ''],
    ['status', t(`courseAdmin:status.${course.status}`)],
    ['occupation', t(occupationKey(course.occupation))],
    ['organiser', course.organiser],
    ['commune', `${communeOf(course.communeCode, await s.areas(), t)} (${course.communeCode})`],
    ['address', course.address],
    ['dates', `${formatIsoDate(course.startDate, language)} – ${formatIsoDate(course.endDate, language)}`],
    ['schedule', course.schedule],
    ['seats', `${course.seatsTaken}/${course.seats}`],
    ['registrationDeadline', formatDateTime(course.registrationDeadline, s.timeZone, language)],
    ['eligibilityNotes', course.eligibilityNotes ?? ''],
    ['support', t(`courseAdmin:supportPolicies.${course.support}`)],
    ['officer', officer === null ? '' : `${officer.displayName ?? t('courseAdmin:cli.noName')} (${officer.id})`],
    ['externalKey', course.externalKey ?? ''],
    [
      'registrations',
      (['registered', 'offered', 'waiting', 'attended', 'absent', 'completed', 'cancelled'] as const)
        .map((status) => `${t(`courseAdmin:regStatus.${status}`)} ${count(status)}`)
        .join(', '),
    ],
  ];
  s.print(`#${course.id}`);
  s.print(table(lines.map(([k, v]) => [`  ${t(`courseAdmin:fields.${k}`)}:`, v])));
}

/**
 * The refusal of a catalogue change as the CLI's error (bad input, exit status 2), in the CLI's language for operators
 * (English, as every admin command's messages): a field by the name the operator gave it (`name`: "--deadline" for a
 * flag, "column registrationDeadline" in a file), the service's reason in the same words as the CLI's own checks.
 */
function catalogueProblem(
  result: Exclude<CatalogueResult<unknown>, { ok: true }>,
  id: number | null,
  s: AdminContext,
  name: (column: string) => string = (column) => `column ${column}`,
) {
  switch (result.reason) {
    case 'invalid': {
      const en = s.translator('en');
      return result.issues
        .map((i) => `${name(columnOf(i.field))}: ${DATE_ORDER_PROBLEMS[i.key] ?? en(i.key)}`)
        .join('; ');
    }
    case 'notFound':
      return `No course #${id ?? '?'} (see: npm run admin -- courses list)`;
    case 'forbidden':
      return 'Not allowed';
    case 'cancelled':
      return `Course #${id ?? '?'} is cancelled: it cannot be changed`;
    case 'seatsBelowTaken':
      return 'Fewer seats than are taken already: cancel registrations first, or give more seats';
    case 'started':
      return `Course #${id ?? '?'} has started (or starts today): registration cannot be opened`;
    case 'notStarted':
      return `Course #${id ?? '?'} has not started yet: attendance is recorded from its start date`;
    case 'notEnded':
      return `Course #${id ?? '?'} has not ended yet: completion is recorded from its end date`;
    case 'notCompleted':
      return 'This registration is not completed: a three-month answer is recorded only after completion';
  }
}

/** The import file's column (and option) of a field of the courses service. */
function columnOf(field: string): string {
  return field === 'communeCode' ? 'commune' : field === 'officerId' ? 'officer' : field;
}

/** What the checks of the fields work with; their problems in English, the language of the CLI's messages. */
function fieldContext(s: AdminContext, officers: FieldContext['officers'], directory: AreaDirectory): FieldContext {
  return { directory, officers, timeZone: s.timeZone, t: s.translator('en') };
}

async function createOrEdit(
  command: Extract<CoursesCommand, { name: 'courses create' | 'courses edit' }>,
  tools: CourseTools,
  s: AdminContext,
): Promise<void> {
  const ctx = fieldContext(s, await s.services.officers.list(), await s.areas());
  const checked = checkCourseFields(command.fields, ctx, command.name === 'courses edit');
  if (!checked.ok) {
    throw new AdminError(
      `Not saved:\n${checked.problems.map((p) => `  --${optionOf(p.column)}: ${p.message}`).join('\n')}`,
      2,
    );
  }
  const result = await tools.run(() =>
    command.name === 'courses edit'
      ? tools.service.update(CLI_ACTOR, command.id, patchOf(checked.fields))
      : tools.service.create(CLI_ACTOR, checked.fields as Parameters<CourseService['create']>[1]),
  );
  const id = command.name === 'courses edit' ? command.id : null;
  if (!result.ok) {
    const problem = catalogueProblem(result, id, s, (column) => `--${optionOf(column)}`);
    throw new AdminError(
      result.reason === 'invalid' ? `Not saved:\n  ${problem.split('; ').join('\n  ')}` : problem,
      2,
    );
  }
  const course = result.value;
  s.print(
    command.name === 'courses edit'
      ? `Course #${course.id} "${course.titleVi}" saved.`
      : `Created course #${course.id} "${course.titleVi}" (${course.status}).` +
          (course.status === 'draft'
            ? ' Members see it once it is open: npm run admin -- courses open ' + course.id
            : ''),
  );
}

/** The option of `courses create|edit` that gives an import-file column (for messages). */
function optionOf(column: string): string {
  const options: Record<string, string> = {
    externalKey: 'key',
    titleVi: 'title-vi',
    titleEn: 'title-en',
    startDate: 'start',
    officer: 'officer',
    endDate: 'end',
    registrationDeadline: 'deadline',
    eligibilityNotes: 'notes',
  };
  return options[column] ?? column;
}

/** The fields of a checked row that an edit may change (not its key nor its status). */
function patchOf(fields: CourseFields): Parameters<CourseService['update']>[2] {
  const { externalKey: _key, status: _status, ...patch } = fields;
  return patch;
}

async function changeStatus(
  command: Extract<CoursesCommand, { name: 'courses open' | 'courses close' | 'courses cancel' }>,
  tools: CourseTools,
  s: AdminContext,
): Promise<void> {
  if (command.name === 'courses cancel' && !command.yes) {
    const course = await courseOrFail(tools, command.id);
    const registrations = await tools.repository.registrationsOf(course.id, [...SEAT_HOLDING, 'waiting']);
    throw new AdminError(
      `Course #${course.id} "${course.titleVi}" has ${registrations.length} member(s) registered or waiting; ` +
        'each will be told it is cancelled. This cannot be undone. To cancel it, run again with --yes.',
      2,
    );
  }
  const result = await tools.run(() =>
    command.name === 'courses cancel'
      ? tools.service.cancel(CLI_ACTOR, command.id)
      : tools.service.setOpen(CLI_ACTOR, command.id, command.name === 'courses open'),
  );
  if (!result.ok) throw new AdminError(catalogueProblem(result, command.id, s), 2);
  const course = result.value;
  s.print(
    command.name === 'courses cancel'
      ? `Course #${course.id} "${course.titleVi}" is cancelled; everyone registered or waiting is being told.`
      : `Course #${course.id} "${course.titleVi}": registration ${course.status === 'open' ? 'open' : 'closed'}.`,
  );
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new AdminError(`Cannot read ${file}: ${(error as Error).message}`, 2);
  }
}

async function importCourses(
  command: Extract<CoursesCommand, { name: 'courses import' }>,
  tools: CourseTools,
  s: AdminContext,
): Promise<void> {
  const source = await readText(command.file);
  const format = /\.json$/i.test(command.file) || /^\uFEFF?\s*[[{]/.test(source) ? 'json' : 'csv';
  const ctx = fieldContext(s, await s.services.officers.list(), await s.areas());
  const read = readCourseFile(source, format, ctx);
  const refuse = (problems: readonly string[]) => notImported(command.file, problems);
  if (!read.ok) throw refuse(read.problems);
  const counts = await allOrNothing(tools, command.file, async () => {
    const problems: string[] = [];
    let created = 0;
    let updated = 0;
    for (const row of read.rows) {
      const existing = row.fields.externalKey ? await tools.service.byExternalKey(row.fields.externalKey) : null;
      const problem = existing
        ? await updateFromRow(tools, existing, row.fields, s)
        : await createFromRow(tools, row.fields, s);
      if (problem !== null) problems.push(`line ${row.line}: ${problem}`);
      else if (existing) updated++;
      else created++;
    }
    if (problems.length > 0) throw new Rollback(problems);
    await s.services.audit.record({
      actor: ACTOR,
      action: 'courses.imported',
      details: { created, updated, rows: read.rows.length },
    });
    return { created, updated };
  });
  s.print(`Imported ${command.file}: ${counts.created} course(s) created, ${counts.updated} updated.`);
}

async function createFromRow(tools: CourseTools, fields: CourseFields, s: AdminContext): Promise<string | null> {
  const result = await tools.service.create(CLI_ACTOR, fields as Parameters<CourseService['create']>[1]);
  return result.ok ? null : catalogueProblem(result, null, s);
}

/** Re-import of a row whose key is known: its fields are updated, and registration opened or closed as it says. */
async function updateFromRow(
  tools: CourseTools,
  existing: Course,
  fields: CourseFields,
  s: AdminContext,
): Promise<string | null> {
  const updated = await tools.service.update(CLI_ACTOR, existing.id, patchOf(fields));
  if (!updated.ok) return catalogueProblem(updated, existing.id, s);
  const wanted = fields.status;
  if (wanted === 'draft' && existing.status !== 'draft') {
    return `status: course #${existing.id} is ${existing.status} already; it cannot go back to draft`;
  }
  if ((wanted === 'open' || wanted === 'closed') && wanted !== updated.value.status) {
    const opened = await tools.service.setOpen(CLI_ACTOR, existing.id, wanted === 'open');
    if (!opened.ok) return catalogueProblem(opened, existing.id, s);
  }
  return null;
}

// ---- the roll call -------------------------------------------------------------------------------------------------

/** The roll call's columns, in order; headers are `courseAdmin:rollcall.<column>` in the chosen language. */
const ROLL_COLUMNS = [
  'id',
  'list',
  'place',
  'name',
  'phone',
  'commune',
  'support',
  'attended',
  'completed',
  'note',
] as const;

/** Registrations on the roll call: those holding a seat (in registration order), then the waiting list in order. */
async function rollOf(tools: CourseTools, courseId: number) {
  const seated = await tools.repository.registrationsOf(courseId, SEAT_HOLDING);
  const waiting = await tools.repository.registrationsOf(courseId, ['waiting']);
  return { seated, waiting };
}

/**
 * The roll call as CSV for Excel (UTF-8 with BOM, CRLF): one row per registrant, then the waiting list with each
 * place. Name and phone only for members who consented to their data being passed to the Union's officers (the
 * profile consent); attendance and completion columns show what is recorded ("x") for the officer to fill in.
 */
export async function rollCallCsv(
  tools: Pick<CourseTools, 'repository' | 'members'>,
  course: Course,
  options: { t: Translate; directory: AreaDirectory },
): Promise<{ csv: string; count: number }> {
  const { t } = options;
  const { seated, waiting } = await rollOf(tools as CourseTools, course.id);
  const rows: string[][] = [ROLL_COLUMNS.map((c) => t(`courseAdmin:rollcall.${c}`))];
  const mark = (at: Date | null) => (at === null ? '' : 'x');
  const row = async (r: CourseRegistration, place: number | null) => {
    const member = await tools.members.findById(r.memberId);
    const consented = member !== null && member.consentAt !== null;
    return [
      String(r.id),
      t(`courseAdmin:regStatus.${r.status}`),
      place === null ? '' : String(place),
      consented ? (member.displayName ?? '') : t('courseAdmin:rollcall.noConsent'),
      consented ? (member.phone ?? '') : '',
      member?.communeCode ? communeOf(member.communeCode, options.directory, t) : '',
      r.supportGroup === null ? '' : t(`courseAdmin:supportGroups.${r.supportGroup}`),
      r.status === 'absent' ? '0' : mark(r.attendedAt),
      mark(r.completedAt),
      '',
    ];
  };
  for (const r of seated) rows.push(await row(r, null));
  for (const [i, r] of waiting.entries()) rows.push(await row(r, i + 1));
  // Every cell formula-safe: a phone "+84…" (or a name "=…") would be read by Excel as a number or a formula.
  const safe = rows.map((cells) => cells.map((cell) => spreadsheetText(cell)));
  return { csv: csvText(safe), count: seated.length + waiting.length };
}

async function rollCall(
  command: Extract<CoursesCommand, { name: 'courses rollcall' }>,
  tools: CourseTools,
  s: AdminContext,
): Promise<void> {
  const course = await courseOrFail(tools, command.id);
  const { csv, count } = await rollCallCsv(tools, course, {
    t: s.translator(command.language),
    directory: await s.areas(),
  });
  if (command.out === undefined) s.output.out(csv);
  else {
    try {
      // Names and phone numbers: readable by its owner only.
      await writeFile(command.out, csv, { encoding: 'utf8', mode: 0o600 });
    } catch (error) {
      throw new AdminError(`Cannot write ${command.out}: ${(error as Error).message}`, 1);
    }
  }
  await s.services.audit.record({
    actor: ACTOR,
    action: 'courses.rollcallExported',
    subject: `course:${course.id}`,
    details: { count },
  });
  if (command.out !== undefined) {
    s.print(
      `Wrote the roll call of course #${course.id} (${count} member(s)) to ${command.out}. It holds names and ` +
        'phone numbers: keep it safe and delete it when done. Mark "x" under attended / completed, then: ' +
        `npm run admin -- courses attendance ${course.id} ${command.out}`,
    );
  }
}

/** Words for a mark in the roll call's attendance columns, folded: yes, no, or empty (unchanged). */
const YES_MARKS = ['x', 'co', 'yes', 'y', '1', 'true', 'da', 'roi', 'dat', 'v'];
const NO_MARKS = ['khong', 'ko', 'k', 'no', 'n', '0', 'false', 'vang', 'absent', '-'];

function readMark(cell: string | undefined): 'yes' | 'no' | 'blank' | null {
  const raw = (cell ?? '').trim();
  if (raw === '') return 'blank';
  if (raw === '✓' || raw === '✔') return 'yes';
  if (raw === '-') return 'no';
  const word = fold(raw);
  if (YES_MARKS.includes(word)) return 'yes';
  if (NO_MARKS.includes(word)) return 'no';
  return null;
}

/** The column of a roll call header cell, in any language the roll call is written in. */
function columnIndex(header: readonly string[], column: string, s: AdminContext): number {
  const names = LANGUAGES.map((l) => fold(s.translator(l)(`courseAdmin:rollcall.${column}`)));
  return header.findIndex((cell) => names.includes(fold(cell)));
}

async function attendance(
  command: Extract<CoursesCommand, { name: 'courses attendance' }>,
  tools: CourseTools,
  s: AdminContext,
): Promise<void> {
  const course = await courseOrFail(tools, command.id);
  const parsed = parseCsv(await readText(command.file));
  const refuse = (problems: readonly string[]) => notImported(command.file, problems);
  if (!parsed.ok) throw refuse([`line ${parsed.line}: ${parsed.problem}`]);
  const [header, ...records] = parsed.records;
  const columns = header ? { id: 0, attended: 0, completed: 0 } : null;
  if (header === undefined || columns === null) throw refuse(['the file is empty']);
  const missing: string[] = [];
  for (const column of ['id', 'attended', 'completed'] as const) {
    columns[column] = columnIndex(header.cells, column, s);
    if (columns[column] < 0) missing.push(`'${s.t(`courseAdmin:rollcall.${column}`)}'`);
  }
  if (missing.length > 0) {
    throw refuse([`line ${header.line}: missing column(s) ${missing.join(', ')} (the roll call's own headers)`]);
  }
  const all = new Map((await tools.repository.registrationsOf(course.id)).map((r) => [r.id, r]));
  const problems: string[] = [];
  const marks: { line: number; id: number; mark: 'attended' | 'completed' | 'absent' }[] = [];
  const seen = new Map<number, number>();
  for (const record of records) {
    const at = (name: string) => `line ${record.line}, column ${name}`;
    const rawId = (record.cells[columns.id] ?? '').trim();
    const id = /^\d{1,9}$/.test(rawId) ? Number(rawId) : NaN;
    const registration = all.get(id);
    if (registration === undefined) {
      problems.push(`${at(s.t('courseAdmin:rollcall.id'))}: '${rawId}' is no registration of course #${course.id}`);
      continue;
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problems.push(`${at(s.t('courseAdmin:rollcall.id'))}: registration ${id} is already on line ${earlier}`);
      continue;
    }
    seen.set(id, record.line);
    const attended = readMark(record.cells[columns.attended]);
    const completed = readMark(record.cells[columns.completed]);
    const unreadable = [
      [attended, 'attended'],
      [completed, 'completed'],
    ] as const;
    let bad = false;
    for (const [value, column] of unreadable) {
      if (value === null) {
        const cell = (record.cells[columns[column]] ?? '').trim();
        problems.push(
          `${at(s.t(`courseAdmin:rollcall.${column}`))}: '${cell}' is not a mark (x for yes, empty or 0 for no)`,
        );
        bad = true;
      }
    }
    if (bad || attended === null || completed === null) continue;
    if (completed === 'yes' && attended === 'no') {
      problems.push(`${at(s.t('courseAdmin:rollcall.completed'))}: completed, but marked absent`);
      continue;
    }
    const target =
      completed === 'yes' ? 'completed' : attended === 'yes' ? 'attended' : attended === 'no' ? 'absent' : null;
    if (target === null || target === registration.status) continue;
    if (!MARKABLE.includes(registration.status)) {
      problems.push(
        `${at(s.t('courseAdmin:rollcall.list'))}: registration ${id} is ${registration.status}; only registered members ` +
          'can be marked',
      );
      continue;
    }
    // A member marked "completed" who was already completed stays so; blank completion on a completed one is left.
    if (target === 'attended' && registration.status === 'completed' && completed === 'blank') continue;
    marks.push({ line: record.line, id, mark: target });
  }
  if (problems.length > 0) throw refuse(problems);
  await allOrNothing(tools, command.file, async () => {
    const failed: string[] = [];
    for (const m of marks) {
      const result = await tools.service.mark(CLI_ACTOR, m.id, m.mark);
      if (!result.ok) failed.push(`line ${m.line}: ${catalogueProblem(result, course.id, s)}`);
    }
    if (failed.length > 0) throw new Rollback(failed);
    await s.services.audit.record({
      actor: ACTOR,
      action: 'courses.attendanceImported',
      subject: `course:${course.id}`,
      details: { marks: marks.length },
    });
  });
  const count = (mark: string) => marks.filter((m) => m.mark === mark).length;
  s.print(
    `Course #${course.id}: ${count('completed')} marked completed, ${count('attended')} attended, ` +
      `${count('absent')} absent; ${records.length - marks.length} row(s) unchanged.`,
  );
}

async function outcome(
  command: Extract<CoursesCommand, { name: 'courses outcome' }>,
  tools: CourseTools,
  s: AdminContext,
): Promise<void> {
  const allowed = await tools.run(() => tools.service.canRecordOutcome(CLI_ACTOR, command.registrationId));
  if (!allowed.ok && allowed.reason !== 'notFound') {
    throw new AdminError(`Registration ${command.registrationId}: ${catalogueProblem(allowed, null, s)}`, 2);
  }
  const result = await tools.run(() =>
    tools.service.recordOutcome(command.registrationId, command.outcome, { kind: 'officer', actor: CLI_ACTOR }),
  );
  if (!result.ok) {
    throw new AdminError(
      `Registration ${command.registrationId} has no completed course to record an answer for ` +
        '(see: npm run admin -- courses rollcall <course id>)',
      2,
    );
  }
  s.print(`Registration ${command.registrationId}: answer "${command.outcome}" recorded (collected by phone).`);
}

// ---- the report ----------------------------------------------------------------------------------------------------

function channels(row: TrainingReportRow): string {
  return Object.entries(row.answeredByChannel)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channel, n]) => `${channel} ${n}`)
    .join(', ');
}

async function report(
  command: Extract<CoursesCommand, { name: 'courses report' }>,
  tools: CourseTools,
  s: AdminContext,
): Promise<void> {
  const result = await tools.service.report({
    ...(command.from ? { from: command.from } : {}),
    ...(command.to ? { to: command.to } : {}),
  });
  const total = reportTotal(result.byCommune);
  if (command.json) {
    s.print(JSON.stringify({ from: command.from ?? null, to: command.to ?? null, ...result, total }, null, 2));
    return;
  }
  const t = s.translator(command.language);
  const language = command.language ?? s.language;
  const directory = await s.areas();
  const counts = (row: TrainingReportRow) => [
    String(row.registered),
    String(row.attended),
    String(row.absent),
    String(row.completed),
    String(row.earning),
    String(row.earningPartly),
    `${row.answered}/${row.asked} (${percentText(row.answered, row.asked)})`,
    channels(row),
  ];
  const countHeaders = [
    'registered',
    'attended',
    'absent',
    'completed',
    'earning',
    'partly',
    'answered',
    'byChannel',
  ].map((c) => t(`courseAdmin:report.${c}`));
  const titles = new Map<number, string>();
  for (const row of result.byCourse) {
    if (row.courseId === null || titles.has(row.courseId)) continue;
    const course = await tools.service.find(row.courseId);
    titles.set(
      row.courseId,
      course === null ? '' : language === 'en' && course.titleEn ? course.titleEn : course.titleVi,
    );
  }
  const range =
    command.from || command.to
      ? ` (${t('courseAdmin:report.starting')} ${command.from ? formatIsoDate(command.from, language) : '…'} – ` +
        `${command.to ? formatIsoDate(command.to, language) : '…'})`
      : '';
  s.print(`${t('courseAdmin:report.byCourse')}${range}`);
  s.print(
    table([
      [t('courseAdmin:report.course'), ...countHeaders],
      ...result.byCourse.map((row) => [
        `#${row.courseId ?? ''} ${titles.get(row.courseId ?? 0) ?? ''}`,
        ...counts(row),
      ]),
      [t('courseAdmin:report.total'), ...counts(total)],
    ]),
  );
  s.print();
  s.print(`${t('courseAdmin:report.byCommune')}${range}`);
  s.print(
    table([
      [t('courseAdmin:report.commune'), ...countHeaders],
      ...result.byCommune.map((row) => [communeOf(row.communeCode ?? '', directory, t), ...counts(row)]),
      [t('courseAdmin:report.total'), ...counts(total)],
    ]),
  );
  s.print();
  s.print(t('courseAdmin:report.legend'));
}
