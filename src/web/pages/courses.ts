// The console's Courses section (issue 16). See src/web/page.ts for the rules every page keeps.
//
// Every change goes through the courses service the chat and the admin CLI use (src/features/courses/service.ts), with
// the signed-in viewer as the actor: it decides who may edit the catalogue (admins), who may see a course's lists and
// mark attendance (its officer in charge, its commune's officers, admins), validates a course (zod and the date rules)
// and tells registrants of a cancellation or a change of date or venue through the outbox. This file reads the form,
// turns the people's way of writing dates into the service's values (features/courseAdmin/fields.ts, as the chat and
// the CLI do) and presents the results; the lists' reads the repository lacks are in src/data/webCourses.ts.
import type { AreaDirectory } from '../../domain/areas.ts';
import {
  COURSE_OCCUPATIONS,
  COURSE_STATUSES,
  COURSE_SUPPORT,
  MARKABLE,
  type AttendanceMark,
  type Course,
  type CourseInput,
  type CourseStatus,
  type RegistrationStatus,
} from '../../domain/courses.ts';
import type { Member } from '../../domain/member.ts';
import { formatIsoDate, localIsoDate, localParts } from '../../domain/time.ts';
import { createCourseConsoleQueries } from '../../data/webCourses.ts';
import { courseDate, courseDeadline, MAX_SEATS } from '../../features/courseAdmin/fields.ts';
import {
  percentText,
  reportTotal,
  type CatalogueResult,
  type CourseActor,
  type TrainingReportRow,
} from '../../features/courses/service.ts';
import { csvText, plainText } from '../../domain/csv.ts';
import { unitLabel } from '../../features/profile/areaInput.ts';
import {
  actionButton,
  badge,
  type BadgeTone,
  dataTable,
  factList,
  filterBar,
  pager,
  postForm,
  select,
  withQuery,
} from '../components.ts';
import type { PageModule, WebDeps } from '../deps.ts';
import { html, type Html, type HtmlValue } from '../html.ts';
import type { PageResult, WebContext } from '../page.ts';

const BASE = '/console/courses';
const PAGE_SIZE = 25;

const STATUS_TONE: Record<CourseStatus, BadgeTone> = {
  draft: 'neutral',
  open: 'ok',
  closed: 'warn',
  cancelled: 'danger',
};
const REG_TONE: Record<RegistrationStatus, BadgeTone> = {
  registered: 'info',
  waiting: 'neutral',
  offered: 'warn',
  cancelled: 'danger',
  attended: 'ok',
  absent: 'danger',
  completed: 'ok',
  referred: 'warn',
};

const actorOf = (ctx: WebContext): CourseActor => ({ kind: 'member', member: ctx.viewer.member });
const titleOf = (course: Course, ctx: WebContext) =>
  ctx.language === 'en' && course.titleEn ? course.titleEn : course.titleVi;
const courseId = (ctx: WebContext): number | null => {
  const raw = ctx.params.id ?? '';
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
};
/** Courses an officer sees: her areas' and those in her charge; null = every course (admins, province-wide). */
function scopeOf(ctx: WebContext) {
  const { member, areas } = ctx.viewer;
  if (member.role === 'admin' || areas.includes('*')) return null;
  return { communes: areas, officerId: member.id };
}
const isAdmin = (ctx: WebContext) => ctx.viewer.member.role === 'admin';

/**
 * A CSV file of the console's courses pages: UTF-8 with BOM (Excel reads Vietnamese correctly only with it), CRLF;
 * every cell kept as text (a leading =, +, -, @ is not a formula), quoted when it holds a ",", ";", quote or line
 * break; no line break after the last line.
 */
const csvFile = (rows: readonly (readonly string[])[]) =>
  csvText(
    rows.map((r) => r.map(plainText)),
    { quoteSemicolons: true, finalLineBreak: false },
  );

function communeName(code: string, directory: AreaDirectory, ctx: WebContext): string {
  const unit = directory.byCodeOrNull(code);
  return unit === null ? code : unitLabel(unit, ctx.t);
}

/** The refusal of the service as a sentence (webCourses:refused.*). */
function refusal(result: Exclude<CatalogueResult<unknown>, { ok: true }>, ctx: WebContext): string {
  return ctx.t(`webCourses:refused.${result.reason}`);
}

// ---- the course form -----------------------------------------------------------------------------------------------

/** The form's fields, in the order it asks them (the CLI's options, by the import file's column names). */
const FORM_FIELDS = [
  'titleVi',
  'titleEn',
  'occupation',
  'organiser',
  'commune',
  'address',
  'startDate',
  'endDate',
  'schedule',
  'seats',
  'registrationDeadline',
  'eligibilityNotes',
  'support',
  'officer',
  'externalKey',
] as const;
type FormField = (typeof FORM_FIELDS)[number];
type FormValues = Partial<Record<FormField | 'openNow', string>>;
type FieldErrors = Partial<Record<FormField, string[]>>;

/** The service's field (and issue) as the form's field. */
const formFieldOf = (field: string): FormField | null => {
  const name = field === 'communeCode' ? 'commune' : field === 'officerId' ? 'officer' : field;
  return (FORM_FIELDS as readonly string[]).includes(name) ? (name as FormField) : null;
};

/** "17:00 15/03/2026": the deadline as the form shows it (and reads it back), in TIME_ZONE. */
function deadlineText(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(p.hour)}:${pad(p.minute)} ${formatIsoDate(localIsoDate(at, timeZone), 'vi')}`;
}

/** The commune as the form shows it: its name when the name alone finds it again, else its code. */
function communeInput(code: string, directory: AreaDirectory): string {
  const unit = directory.byCodeOrNull(code);
  if (unit === null) return code;
  const match = directory.match(unit.name);
  return match.kind === 'exact' && match.unit.code === code ? unit.name : code;
}

function valuesOf(course: Course, timeZone: string, directory: AreaDirectory): FormValues {
  return {
    titleVi: course.titleVi,
    titleEn: course.titleEn ?? '',
    occupation: course.occupation,
    organiser: course.organiser,
    commune: communeInput(course.communeCode, directory),
    address: course.address,
    startDate: formatIsoDate(course.startDate, 'vi'),
    endDate: formatIsoDate(course.endDate, 'vi'),
    schedule: course.schedule,
    seats: String(course.seats),
    registrationDeadline: deadlineText(course.registrationDeadline, timeZone),
    eligibilityNotes: course.eligibilityNotes ?? '',
    support: course.support,
    officer: course.officerId ?? '',
    externalKey: course.externalKey ?? '',
  };
}

/**
 * Reads the POSTed form into the service's input: the dates as people write them ("15/3/2026", ISO too), the
 * deadline with an optional time ("17:00 15/3/2026"; a date alone is the end of that day), the commune by name or
 * statistics code. Problems are i18n keys per field; the service then checks the rest (its zod schema, the date order,
 * a start in the past) and its issues are shown the same way.
 */
function readForm(
  form: URLSearchParams,
  directory: AreaDirectory,
  officers: ReadonlySet<string>,
  timeZone: string,
): { values: FormValues; input: Partial<CourseInput>; errors: FieldErrors } {
  const values: FormValues = {};
  for (const name of [...FORM_FIELDS, 'openNow'] as const) values[name] = (form.get(name) ?? '').trim();
  const errors: FieldErrors = {};
  const problem = (field: FormField, key: string) => (errors[field] ??= []).push(`webCourses:errors.${key}`);
  const input: Partial<CourseInput> = {};
  const required = (field: 'titleVi' | 'organiser' | 'address' | 'schedule') => {
    if (values[field] === '') problem(field, 'required');
    else if (values[field]!.length > 300) problem(field, 'tooLong');
    else input[field] = values[field];
  };
  const optional = (field: 'titleEn' | 'eligibilityNotes') => {
    const limit = field === 'titleEn' ? 200 : 1000;
    if (values[field]!.length > limit) problem(field, 'tooLong');
    else input[field] = values[field] === '' ? null : values[field]!;
  };
  required('titleVi');
  optional('titleEn');
  if ((COURSE_OCCUPATIONS as readonly string[]).includes(values.occupation!)) {
    input.occupation = values.occupation as CourseInput['occupation'];
  } else problem('occupation', 'choose');
  required('organiser');
  const commune = values.commune!;
  if (commune === '') problem('commune', 'required');
  else {
    const byCode = directory.byCodeOrNull(commune);
    const match = byCode === null ? directory.match(commune) : null;
    if (byCode !== null) input.communeCode = byCode.code;
    else if (match?.kind === 'exact') input.communeCode = match.unit.code;
    else problem('commune', 'commune');
  }
  required('address');
  for (const field of ['startDate', 'endDate'] as const) {
    const iso = values[field] === '' ? null : courseDate(values[field]!);
    if (values[field] === '') problem(field, 'required');
    else if (iso === null) problem(field, 'date');
    else input[field] = iso;
  }
  required('schedule');
  const seats = values.seats!;
  if (seats === '') problem('seats', 'required');
  else if (!/^\d{1,6}$/.test(seats) || Number(seats) < 1 || Number(seats) > MAX_SEATS) problem('seats', 'seats');
  else input.seats = Number(seats);
  const deadline = values.registrationDeadline!;
  if (deadline === '') problem('registrationDeadline', 'required');
  else {
    const at = courseDeadline(deadline, timeZone);
    if (at === null) problem('registrationDeadline', 'deadline');
    else input.registrationDeadline = at;
  }
  optional('eligibilityNotes');
  if ((COURSE_SUPPORT as readonly string[]).includes(values.support!)) {
    input.support = values.support as CourseInput['support'];
  } else problem('support', 'choose');
  if (values.officer === '') input.officerId = null;
  else if (officers.has(values.officer!)) input.officerId = values.officer!;
  else problem('officer', 'choose');
  if (values.externalKey!.length > 100) problem('externalKey', 'tooLong');
  else input.externalKey = values.externalKey === '' ? null : values.externalKey!;
  return { values, input, errors };
}

/** A labelled control with its errors next to it (read out with the control: aria-describedby, aria-invalid). */
function formField(
  ctx: WebContext,
  name: FormField,
  control: (attrs: Html) => Html,
  errors: FieldErrors,
  hint?: string,
): Html {
  const id = `course-${name}`;
  const problems = errors[name] ?? [];
  const described = [hint ? `${id}-hint` : '', problems.length > 0 ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = html`id="${id}"
  name="${name}"${described ? html` aria-describedby="${described}"` : ''}${
    problems.length > 0 ? html` aria-invalid="true"` : ''
  }`;
  return html`<div class="field${problems.length > 0 ? ' has-error' : ''}">
    <label for="${id}">${ctx.t(`webCourses:form.${name}`)}</label>${control(attrs)}${
      hint ? html`<small id="${id}-hint" class="hint">${hint}</small>` : ''
    }${
      problems.length > 0
        ? html`<p id="${id}-error" class="field-error">${problems.map((key) => ctx.t(key)).join(' ')}</p>`
        : ''
    }
  </div>`;
}

function options(
  values: readonly string[],
  label: (v: string) => string,
  selected: string | undefined,
  blank?: string,
): Html {
  return html`${blank === undefined ? '' : html`<option value="">${blank}</option>`}${values.map(
    (v) => html`<option value="${v}" ${v === selected ? html` selected` : ''}>${label(v)}</option>`,
  )}`;
}

async function formPage(
  deps: WebDeps,
  ctx: WebContext,
  mode: { kind: 'create' } | { kind: 'edit'; course: Course },
  values: FormValues,
  errors: FieldErrors,
  status?: number,
): Promise<PageResult> {
  const officers = await deps.runtime.officers.list();
  const text = (name: FormField, attrs: Html, type = 'text') =>
    html`<input type="${type}" ${attrs} value="${values[name] ?? ''}" />`;
  const f = (name: FormField, control: (attrs: Html) => Html, hint?: string) =>
    formField(ctx, name, control, errors, hint);
  const title =
    mode.kind === 'create'
      ? ctx.t('webCourses:form.createTitle')
      : ctx.t('webCourses:form.editTitle', { title: titleOf(mode.course, ctx) });
  const action = mode.kind === 'create' ? `${BASE}/new` : `${BASE}/${mode.course.id}/edit`;
  const errorCount = Object.values(errors).reduce((n, list) => n + list.length, 0);
  const body = html`<h1>${title}</h1>
    ${
      errorCount > 0
        ? html`<div class="flash error" role="alert" id="course-form-errors">
            ${ctx.t('webCourses:form.hasErrors', { count: errorCount })}
          </div>`
        : ''
    }
    ${postForm(
      ctx,
      action,
      html`<div class="grid">
          <fieldset class="card">
            <legend>${ctx.t('webCourses:form.about')}</legend>
            ${f('titleVi', (a) => html`<input type="text" ${a} value="${values.titleVi ?? ''}" required />`)}
            ${f('titleEn', (a) => text('titleEn', a))}
            ${f(
              'occupation',
              (a) =>
                html`<select ${a} required>
                  ${options(
                    COURSE_OCCUPATIONS,
                    (o) => ctx.t(`courses:occupations.${o}.label`),
                    values.occupation,
                    ctx.t('webCourses:form.choose'),
                  )}
                </select>`,
            )}
            ${f('organiser', (a) => html`<input type="text" ${a} value="${values.organiser ?? ''}" required />`)}
            ${f('eligibilityNotes', (a) => html`<textarea ${a} rows="3">${values.eligibilityNotes ?? ''}</textarea>`)}
            ${f(
              'support',
              (a) =>
                html`<select ${a}>
                  ${options(COURSE_SUPPORT, (s) => ctx.t(`courseAdmin:supportPolicies.${s}`), values.support)}
                </select>`,
            )}
          </fieldset>
          <fieldset class="card">
            <legend>${ctx.t('webCourses:form.whereWhen')}</legend>
            ${f(
              'commune',
              (a) => html`<input type="text" ${a} value="${values.commune ?? ''}" required />`,
              ctx.t('webCourses:form.communeHint'),
            )}
            ${f('address', (a) => html`<input type="text" ${a} value="${values.address ?? ''}" required />`)}
            ${f(
              'startDate',
              (a) => html`<input type="text" ${a} value="${values.startDate ?? ''}" inputmode="numeric" required />`,
              ctx.t('webCourses:form.dateHint'),
            )}
            ${f(
              'endDate',
              (a) => html`<input type="text" ${a} value="${values.endDate ?? ''}" inputmode="numeric" required />`,
              ctx.t('webCourses:form.dateHint'),
            )}
            ${f('schedule', (a) => html`<input type="text" ${a} value="${values.schedule ?? ''}" required />`)}
            ${f(
              'seats',
              (a) =>
                html`<input type="number" ${a} value="${values.seats ?? ''}" min="1" max="${MAX_SEATS}" required />`,
            )}
            ${f(
              'registrationDeadline',
              (a) => html`<input type="text" ${a} value="${values.registrationDeadline ?? ''}" required />`,
              ctx.t('webCourses:form.deadlineHint'),
            )}
          </fieldset>
          <fieldset class="card">
            <legend>${ctx.t('webCourses:form.people')}</legend>
            ${f(
              'officer',
              (a) =>
                html`<select ${a}>
                  ${options(
                    officers.map((o) => o.member.id),
                    (id) => {
                      const o = officers.find((x) => x.member.id === id)!;
                      return `${o.member.displayName ?? ctx.t('webCourses:noName')} (${ctx.t(`webCourses:role.${o.member.role}`)})`;
                    },
                    values.officer,
                    ctx.t('webCourses:form.noOfficer'),
                  )}
                </select>`,
              ctx.t('webCourses:form.officerHint'),
            )}
            ${
              mode.kind === 'create'
                ? html`${f('externalKey', (a) => text('externalKey', a), ctx.t('webCourses:form.externalKeyHint'))}
                    <div class="field checkbox">
                      <label
                        ><input
                          type="checkbox"
                          name="openNow"
                          value="yes"
                          ${values.openNow === 'yes' ? html` checked` : ''}
                        />
                        ${ctx.t('webCourses:form.openNow')}</label
                      >
                    </div>`
                : ''
            }
          </fieldset>
        </div>
        <div class="actions">
          <button type="submit" class="button primary">
            ${mode.kind === 'create' ? ctx.t('webCourses:form.create') : ctx.t('webCourses:form.save')}
          </button>
          <a class="button secondary" href="${mode.kind === 'create' ? BASE : `${BASE}/${mode.course.id}`}"
            >${ctx.t('webCourses:form.cancel')}</a
          >
        </div>`,
      { id: 'course-form' },
    )}`;
  return { kind: 'page', section: 'courses', title, body, ...(status === undefined ? {} : { status }) };
}

/** Adds the service's issues (courseNotices:errors.* keys) to the form's errors, each next to its field. */
function addIssues(errors: FieldErrors, issues: readonly { field: string; key: string }[]): void {
  for (const issue of issues) {
    const field = formFieldOf(issue.field) ?? 'titleVi';
    const list = (errors[field] ??= []);
    if (!list.includes(issue.key)) list.push(issue.key);
  }
}

// ---- the list ------------------------------------------------------------------------------------------------------

async function listPage(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const queries = createCourseConsoleQueries(deps.runtime.db);
  const directory = (await deps.admin.areaData.inForce()).directory;
  const scope = scopeOf(ctx);
  const status = ctx.query.get('status') ?? '';
  const commune = ctx.query.get('commune') ?? '';
  const search = (ctx.query.get('q') ?? '').slice(0, 100);
  const pageNumber = Math.max(1, Math.min(10_000, Number.parseInt(ctx.query.get('page') ?? '1', 10) || 1));
  const validStatus = (COURSE_STATUSES as readonly string[]).includes(status) ? (status as CourseStatus) : undefined;
  const communes = await queries.communes(scope);
  const validCommune = communes.includes(commune) ? commune : undefined;
  const { courses, total } = await queries.list({
    scope,
    ...(validStatus ? { status: validStatus } : {}),
    ...(validCommune ? { communeCode: validCommune } : {}),
    ...(search.trim() ? { search } : {}),
    offset: (pageNumber - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const waiting = await queries.waitingCounts(courses.map((c) => c.id));
  const filters = filterBar(
    BASE,
    html`<div class="field">
        <label for="course-q">${ctx.t('webCourses:list.search')}</label>
        <input type="search" id="course-q" name="q" value="${search}" />
      </div>
      <div class="field">
        <label for="course-status">${ctx.t('webCourses:list.status')}</label>
        ${select(
          'course-status',
          'status',
          [
            { value: '', label: ctx.t('webCourses:list.all') },
            ...COURSE_STATUSES.map((s) => ({ value: s, label: ctx.t(`courseAdmin:status.${s}`) })),
          ],
          validStatus ?? '',
        )}
      </div>
      <div class="field">
        <label for="course-commune">${ctx.t('webCourses:list.commune')}</label>
        ${select(
          'course-commune',
          'commune',
          [
            { value: '', label: ctx.t('webCourses:list.all') },
            ...communes.map((c) => ({ value: c, label: communeName(c, directory, ctx) })),
          ],
          validCommune ?? '',
        )}
      </div>`,
    ctx.t('webCourses:list.apply'),
  );
  const rows: HtmlValue[][] = courses.map((c) => [
    html`<a href="${BASE}/${c.id}">${titleOf(c, ctx)}</a><br /><small class="muted"
        >${ctx.t(`courses:occupations.${c.occupation}.label`)}</small
      >`,
    badge(ctx.t(`courseAdmin:status.${c.status}`), STATUS_TONE[c.status]),
    `${formatIsoDate(c.startDate, ctx.language)} – ${formatIsoDate(c.endDate, ctx.language)}`,
    communeName(c.communeCode, directory, ctx),
    html`<meter min="0" max="${c.seats}" value="${c.seatsTaken}" aria-hidden="true"></meter>
      ${ctx.t('webCourses:list.seatsOf', { taken: c.seatsTaken, seats: c.seats })}`,
    String(waiting.get(c.id) ?? 0),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const href = (n: number) =>
    withQuery(BASE, { q: search, status: validStatus, commune: validCommune, page: n > 1 ? n : null });
  const title = ctx.t('webCourses:list.title');
  const body = html`<div class="page-head">
      <h1>${title}</h1>
      <div class="actions">
        ${isAdmin(ctx) ? html`<a class="button primary" href="${BASE}/new">${ctx.t('webCourses:list.new')}</a>` : ''}
        <a class="button secondary" href="${BASE}/report">${ctx.t('webCourses:list.report')}</a>
      </div>
    </div>
    ${filters}
    <p class="muted">${ctx.t('webCourses:list.count', { count: total })}</p>
    ${dataTable(
      title,
      [
        ctx.t('webCourses:list.course'),
        ctx.t('webCourses:list.status'),
        ctx.t('webCourses:list.dates'),
        ctx.t('webCourses:list.commune'),
        ctx.t('webCourses:list.seats'),
        ctx.t('webCourses:list.waiting'),
      ],
      rows,
      { empty: ctx.t('webCourses:list.empty'), captionHidden: true },
    )}
    ${pager(pageNumber, pages, href, {
      previous: ctx.t('webCourses:list.previous'),
      next: ctx.t('webCourses:list.next'),
      of: ctx.t('webCourses:list.pages'),
    })}`;
  return { kind: 'page', section: 'courses', title, body };
}

// ---- one course ----------------------------------------------------------------------------------------------------

async function coursePage(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const id = courseId(ctx);
  if (id === null) return { kind: 'notFound' };
  const service = deps.runtime.features.courses.service;
  const listed = await service.registrants(ctx.viewer.member, id);
  // Another commune's course is answered as not found: she learns nothing of it.
  if (!listed.ok) return { kind: 'notFound' };
  const { course, registered, waiting } = listed.value;
  const directory = (await deps.admin.areaData.inForce()).directory;
  const officer = course.officerId === null ? null : await deps.runtime.members.findById(course.officerId);
  const phones = [...registered, ...waiting].filter((r) => r.member.phone !== null).length;
  await ctx.audit('course.registrants', `course:${course.id}`, {
    registered: registered.length,
    waiting: waiting.length,
    phones,
  });
  const name = (m: Member) => m.displayName ?? ctx.t('webCourses:noName');
  const phone = (m: Member) => m.phone ?? html`<span class="muted">${ctx.t('webCourses:course.noPhone')}</span>`;
  const commune = (m: Member) => (m.communeCode ? communeName(m.communeCode, directory, ctx) : '');
  const markButtons = (registrationId: number, status: RegistrationStatus) => {
    if (!MARKABLE.includes(status) || course.status === 'cancelled') return '';
    const marks: AttendanceMark[] = ['attended', 'absent', 'completed'];
    const target: Record<AttendanceMark, RegistrationStatus> = {
      attended: 'attended',
      absent: 'absent',
      completed: 'completed',
    };
    return html`<div class="actions">
      ${marks
        .filter((m) => target[m] !== status)
        .map((m) =>
          actionButton(ctx, `${BASE}/${course.id}/mark`, ctx.t(`webCourses:course.mark.${m}`), {
            tone: m === 'absent' ? 'secondary' : 'primary',
            fields: { registration: String(registrationId), mark: m },
          }),
        )}
    </div>`;
  };
  const registeredRows = registered.map(({ registration: r, member }, i) => [
    String(i + 1),
    name(member),
    phone(member),
    commune(member),
    r.supportGroup === null ? '' : ctx.t(`courseAdmin:supportGroups.${r.supportGroup}`),
    badge(ctx.t(`courseAdmin:regStatus.${r.status}`), REG_TONE[r.status]),
    markButtons(r.id, r.status),
  ]);
  const waitingRows = waiting.map(({ registration: r, member, place }) => [
    String(place),
    name(member),
    phone(member),
    commune(member),
    r.waitingSince ? ctx.dateTime(r.waitingSince) : '',
  ]);
  const admin = isAdmin(ctx);
  const statusActions = admin
    ? html`<div class="actions">
        <a class="button secondary" href="${BASE}/${course.id}/edit">${ctx.t('webCourses:course.edit')}</a>
        ${
          course.status === 'draft' || course.status === 'closed'
            ? actionButton(ctx, `${BASE}/${course.id}/open`, ctx.t('webCourses:course.open'), { tone: 'primary' })
            : ''
        }
        ${
          course.status === 'open'
            ? actionButton(ctx, `${BASE}/${course.id}/close`, ctx.t('webCourses:course.close'))
            : ''
        }
        ${
          course.status !== 'cancelled'
            ? actionButton(ctx, `${BASE}/${course.id}/cancel`, ctx.t('webCourses:course.cancel'), {
                tone: 'danger',
                confirm: ctx.t('webCourses:course.cancelConfirm', { count: registered.length + waiting.length }),
              })
            : ''
        }
      </div>`
    : '';
  const facts: [string, HtmlValue][] = [
    [
      ctx.t('courseAdmin:fields.status'),
      badge(ctx.t(`courseAdmin:status.${course.status}`), STATUS_TONE[course.status]),
    ],
    [ctx.t('courseAdmin:fields.occupation'), ctx.t(`courses:occupations.${course.occupation}.label`)],
    [ctx.t('courseAdmin:fields.organiser'), course.organiser],
    [ctx.t('courseAdmin:fields.commune'), communeName(course.communeCode, directory, ctx)],
    [ctx.t('courseAdmin:fields.address'), course.address],
    [
      ctx.t('courseAdmin:fields.dates'),
      `${formatIsoDate(course.startDate, ctx.language)} – ${formatIsoDate(course.endDate, ctx.language)}`,
    ],
    [ctx.t('courseAdmin:fields.schedule'), course.schedule],
    [
      ctx.t('courseAdmin:fields.seats'),
      html`<meter min="0" max="${course.seats}" value="${course.seatsTaken}" aria-hidden="true"></meter>
        ${ctx.t('webCourses:list.seatsOf', { taken: course.seatsTaken, seats: course.seats })}`,
    ],
    [ctx.t('courseAdmin:fields.registrationDeadline'), ctx.dateTime(course.registrationDeadline)],
    [ctx.t('courseAdmin:fields.support'), ctx.t(`courseAdmin:supportPolicies.${course.support}`)],
    // Conditions only when the course has some (an empty row reads as if something were missing).
    ...(course.eligibilityNotes
      ? [[ctx.t('courseAdmin:fields.eligibilityNotes'), course.eligibilityNotes] as [string, HtmlValue]]
      : []),
    [ctx.t('courseAdmin:fields.officer'), officer ? name(officer) : ctx.t('webCourses:course.noOfficer')],
  ];
  const title = titleOf(course, ctx);
  const body = html`<p><a href="${BASE}">${ctx.t('webCourses:course.back')}</a></p>
    <div class="page-head">
      <h1>${title}</h1>
      ${statusActions}
    </div>
    <section class="card" aria-labelledby="course-facts">
      <h2 id="course-facts">${ctx.t('webCourses:course.facts')}</h2>
      ${factList(facts)}
    </section>
    <section aria-labelledby="course-registered">
      <div class="page-head">
        <h2 id="course-registered">${ctx.t('webCourses:course.registered', { count: registered.length })}</h2>
        <a class="button secondary" href="${BASE}/${course.id}/rollcall.csv" download
          >${ctx.t('webCourses:course.rollcall')}</a
        >
      </div>
      <p class="muted">${ctx.t('webCourses:course.markRules')}</p>
      ${dataTable(
        ctx.t('webCourses:course.registeredCaption'),
        [
          '#',
          ctx.t('courseAdmin:rollcall.name'),
          ctx.t('courseAdmin:rollcall.phone'),
          ctx.t('courseAdmin:rollcall.commune'),
          ctx.t('courseAdmin:rollcall.support'),
          ctx.t('webCourses:course.state'),
          ctx.t('webCourses:course.actions'),
        ],
        registeredRows,
        { empty: ctx.t('webCourses:course.noneRegistered'), captionHidden: true },
      )}
    </section>
    <section aria-labelledby="course-waiting">
      <h2 id="course-waiting">${ctx.t('webCourses:course.waiting', { count: waiting.length })}</h2>
      ${dataTable(
        ctx.t('webCourses:course.waitingCaption'),
        [
          ctx.t('courseAdmin:rollcall.place'),
          ctx.t('courseAdmin:rollcall.name'),
          ctx.t('courseAdmin:rollcall.phone'),
          ctx.t('courseAdmin:rollcall.commune'),
          ctx.t('webCourses:course.since'),
        ],
        waitingRows,
        { empty: ctx.t('webCourses:course.noneWaiting'), captionHidden: true },
      )}
    </section>`;
  return { kind: 'page', section: 'courses', title, body };
}

/**
 * The roll call as CSV for Excel: the CLI's columns (courseAdmin:rollcall.*: registration id, list, place, name,
 * phone, commune, support, attended, completed, note), UTF-8 with BOM, CRLF; those holding a seat then the waiting
 * list in order. Name (as the CLI's) and phone only where she consented (the service's registrants list); attendance
 * marks as "x".
 */
async function rollCall(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const id = courseId(ctx);
  if (id === null) return { kind: 'notFound' };
  const listed = await deps.runtime.features.courses.service.registrants(ctx.viewer.member, id);
  if (!listed.ok) return { kind: 'notFound' };
  const { course, registered, waiting } = listed.value;
  const directory = (await deps.admin.areaData.inForce()).directory;
  const columns = ['id', 'list', 'place', 'name', 'phone', 'commune', 'support', 'attended', 'completed', 'note'];
  const mark = (at: Date | null) => (at === null ? '' : 'x');
  const line = (r: (typeof registered)[number]['registration'], m: Member, place: number | null): string[] => [
    String(r.id),
    ctx.t(`courseAdmin:regStatus.${r.status}`),
    place === null ? '' : String(place),
    // As the CLI's file: her name only when she consented to her data going to the Union's officers.
    m.consentAt === null ? ctx.t('courseAdmin:rollcall.noConsent') : (m.displayName ?? ''),
    m.phone ?? '',
    m.communeCode ? communeName(m.communeCode, directory, ctx) : '',
    r.supportGroup === null ? '' : ctx.t(`courseAdmin:supportGroups.${r.supportGroup}`),
    r.status === 'absent' ? '0' : mark(r.attendedAt),
    mark(r.completedAt),
    '',
  ];
  const rows = [
    columns.map((c) => ctx.t(`courseAdmin:rollcall.${c}`)),
    ...registered.map((r) => line(r.registration, r.member, null)),
    ...waiting.map((w) => line(w.registration, w.member, w.place)),
  ];
  await ctx.audit('course.rollcall', `course:${course.id}`, { count: registered.length + waiting.length });
  return {
    kind: 'file',
    contentType: 'text/csv; charset=utf-8',
    body: csvFile(rows),
    filename: `course-${course.id}-rollcall.csv`,
    cache: 'none',
  };
}

// ---- the report ----------------------------------------------------------------------------------------------------

const COUNT_COLUMNS = ['registered', 'attended', 'absent', 'completed', 'earning', 'earningPartly'] as const;

/** The period of the report: `from`/`to` as people write dates; this year (local) when not given. */
function periodOf(ctx: WebContext): { from: string; to: string; error: boolean } {
  const year = localParts(ctx.now, ctx.timeZone).year;
  const read = (name: string, fallback: string) => {
    const given = (ctx.query.get(name) ?? '').trim();
    if (given === '') return { iso: fallback, bad: false };
    const iso = courseDate(given);
    return iso === null ? { iso: fallback, bad: true } : { iso, bad: false };
  };
  const from = read('from', `${year}-01-01`);
  const to = read('to', `${year}-12-31`);
  return { from: from.iso, to: to.iso, error: from.bad || to.bad };
}

async function reportData(deps: WebDeps, ctx: WebContext) {
  const period = periodOf(ctx);
  const result = await deps.runtime.features.courses.service.report({ from: period.from, to: period.to });
  const scope = scopeOf(ctx);
  // An officer's report covers the courses she sees: her communes' and those in her charge.
  if (scope !== null) {
    const mine = new Set<number>();
    for (const row of result.byCourse) {
      if (row.courseId === null) continue;
      const course = await deps.runtime.features.courses.service.find(row.courseId);
      if (course && (scope.communes.includes(course.communeCode) || course.officerId === scope.officerId)) {
        mine.add(row.courseId);
      }
    }
    const byCourse = result.byCourse.filter((r) => r.courseId !== null && mine.has(r.courseId));
    const byCommune = result.byCommune.filter(
      (row) => row.communeCode !== null && scope.communes.includes(row.communeCode),
    );
    return { period, byCourse, byCommune };
  }
  return { period, byCourse: result.byCourse, byCommune: result.byCommune };
}

async function reportPage(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { period, byCourse, byCommune } = await reportData(deps, ctx);
  const directory = (await deps.admin.areaData.inForce()).directory;
  const total = reportTotal(byCommune);
  const headers = [...COUNT_COLUMNS.map((c) => ctx.t(`webCourses:report.${c}`)), ctx.t('webCourses:report.answered')];
  const counts = (row: TrainingReportRow): HtmlValue[] => [
    ...COUNT_COLUMNS.map((c) => String(row[c])),
    `${row.answered}/${row.asked} (${percentText(row.answered, row.asked)})`,
  ];
  const titles = new Map<number, string>();
  for (const row of byCourse) {
    if (row.courseId === null) continue;
    const course = await deps.runtime.features.courses.service.find(row.courseId);
    if (course) titles.set(row.courseId, titleOf(course, ctx));
  }
  const maxCompleted = Math.max(1, ...byCommune.map((r) => r.completed), ...byCommune.map((r) => r.registered));
  const range = ctx.t('webCourses:report.range', {
    from: formatIsoDate(period.from, ctx.language),
    to: formatIsoDate(period.to, ctx.language),
  });
  const title = ctx.t('webCourses:report.title');
  const csvHref = withQuery(`${BASE}/report.csv`, {
    from: ctx.query.get('from'),
    to: ctx.query.get('to'),
  });
  const body = html`<p><a href="${BASE}">${ctx.t('webCourses:course.back')}</a></p>
    <div class="page-head">
      <h1>${title}</h1>
      <a class="button secondary" href="${csvHref}" download>${ctx.t('webCourses:report.csv')}</a>
    </div>
    ${filterBar(
      `${BASE}/report`,
      html`<div class="field">
          <label for="report-from">${ctx.t('webCourses:report.from')}</label>
          <input type="text" id="report-from" name="from" value="${formatIsoDate(period.from, 'vi')}" />
        </div>
        <div class="field">
          <label for="report-to">${ctx.t('webCourses:report.to')}</label>
          <input type="text" id="report-to" name="to" value="${formatIsoDate(period.to, 'vi')}" />
        </div>`,
      ctx.t('webCourses:list.apply'),
    )}
    ${period.error ? html`<div class="flash error" role="alert">${ctx.t('webCourses:report.badDate')}</div>` : ''}
    <p class="muted">${range}</p>
    <div class="grid">
      <div class="card stat">
        <p class="stat-number">${total.registered}</p>
        <p>${ctx.t('webCourses:report.registered')}</p>
      </div>
      <div class="card stat">
        <p class="stat-number">${total.attended}</p>
        <p>${ctx.t('webCourses:report.attended')}</p>
      </div>
      <div class="card stat">
        <p class="stat-number">${total.completed}</p>
        <p>${ctx.t('webCourses:report.completed')}</p>
      </div>
      <div class="card stat">
        <p class="stat-number">${total.earning + total.earningPartly}</p>
        <p>${ctx.t('webCourses:report.earningAny')}</p>
      </div>
    </div>
    <section aria-labelledby="report-communes">
      <h2 id="report-communes">${ctx.t('webCourses:report.byCommune')}</h2>
      ${dataTable(
        ctx.t('webCourses:report.byCommune'),
        [ctx.t('webCourses:report.commune'), ctx.t('webCourses:report.bar'), ...headers],
        [
          ...byCommune.map((row) => [
            communeName(row.communeCode ?? '', directory, ctx),
            html`<meter
              min="0"
              max="${maxCompleted}"
              value="${row.completed}"
              aria-label="${ctx.t('webCourses:report.completed')}"
            ></meter>`,
            ...counts(row),
          ]),
          ...(byCommune.length > 0
            ? [[html`<strong>${ctx.t('webCourses:report.total')}</strong>`, '', ...counts(total)]]
            : []),
        ],
        { empty: ctx.t('webCourses:report.empty'), captionHidden: true },
      )}
    </section>
    <section aria-labelledby="report-courses">
      <h2 id="report-courses">${ctx.t('webCourses:report.byCourse')}</h2>
      ${dataTable(
        ctx.t('webCourses:report.byCourse'),
        [ctx.t('webCourses:report.course'), ...headers],
        byCourse.map((row) => [
          html`<a href="${BASE}/${row.courseId ?? ''}"
            >${titles.get(row.courseId ?? 0) ?? `#${row.courseId ?? ''}`}</a
          >`,
          ...counts(row),
        ]),
        { empty: ctx.t('webCourses:report.empty'), captionHidden: true },
      )}
    </section>
    <p class="muted">${ctx.t('webCourses:report.legend')}</p>`;
  return { kind: 'page', section: 'courses', title, body };
}

/** The report as CSV (UTF-8 with BOM): one line per commune, the total, then one line per course. */
async function reportCsv(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { period, byCourse, byCommune } = await reportData(deps, ctx);
  const directory = (await deps.admin.areaData.inForce()).directory;
  const counts = (row: TrainingReportRow) => [
    ...COUNT_COLUMNS.map((c) => String(row[c])),
    String(row.asked),
    String(row.answered),
  ];
  const rows: string[][] = [
    [
      ctx.t('webCourses:report.level'),
      ctx.t('webCourses:report.commune'),
      ctx.t('webCourses:report.course'),
      ...COUNT_COLUMNS.map((c) => ctx.t(`webCourses:report.${c}`)),
      ctx.t('webCourses:report.asked'),
      ctx.t('webCourses:report.answeredOnly'),
    ],
  ];
  for (const row of byCommune) {
    rows.push([
      ctx.t('webCourses:report.commune'),
      communeName(row.communeCode ?? '', directory, ctx),
      '',
      ...counts(row),
    ]);
  }
  rows.push([ctx.t('webCourses:report.total'), '', '', ...counts(reportTotal(byCommune))]);
  for (const row of byCourse) {
    const course = row.courseId === null ? null : await deps.runtime.features.courses.service.find(row.courseId);
    rows.push([
      ctx.t('webCourses:report.course'),
      communeName(row.communeCode ?? '', directory, ctx),
      course ? `#${course.id} ${titleOf(course, ctx)}` : '',
      ...counts(row),
    ]);
  }
  await ctx.audit('course.report', undefined, { from: period.from, to: period.to });
  return {
    kind: 'file',
    contentType: 'text/csv; charset=utf-8',
    body: csvFile(rows),
    filename: `training-report-${period.from}-${period.to}.csv`,
    cache: 'none',
  };
}

// ---- the routes ----------------------------------------------------------------------------------------------------

export const coursesPages: PageModule = (deps) => {
  const service = deps.runtime.features.courses.service;
  const officerIds = async () => new Set((await deps.runtime.officers.list()).map((o) => o.member.id));
  const directory = async () => (await deps.admin.areaData.inForce()).directory;

  const statusChange =
    (what: 'open' | 'close' | 'cancel') =>
    async (ctx: WebContext): Promise<PageResult> => {
      const id = courseId(ctx);
      if (id === null) return { kind: 'notFound' };
      const result =
        what === 'cancel'
          ? await service.cancel(actorOf(ctx), id)
          : await service.setOpen(actorOf(ctx), id, what === 'open');
      if (!result.ok) {
        if (result.reason === 'notFound') return { kind: 'notFound' };
        return { kind: 'redirect', to: `${BASE}/${id}`, flash: { tone: 'error', text: refusal(result, ctx) } };
      }
      await ctx.audit(`course.${what}`, `course:${id}`);
      return { kind: 'redirect', to: `${BASE}/${id}`, flash: { tone: 'ok', text: ctx.t(`webCourses:done.${what}`) } };
    };

  return [
    { method: 'GET', path: BASE, role: 'officer', handle: (ctx) => listPage(deps, ctx) },
    {
      method: 'GET',
      path: `${BASE}/new`,
      role: 'admin',
      handle: (ctx) => formPage(deps, ctx, { kind: 'create' }, { support: 'decision46' }, {}),
    },
    {
      method: 'POST',
      path: `${BASE}/new`,
      role: 'admin',
      async handle(ctx) {
        const read = readForm(ctx.form, await directory(), await officerIds(), ctx.timeZone);
        if (Object.keys(read.errors).length > 0) {
          return formPage(deps, ctx, { kind: 'create' }, read.values, read.errors, 400);
        }
        const input = { ...read.input, status: read.values.openNow === 'yes' ? 'open' : 'draft' } as CourseInput;
        const result = await service.create(actorOf(ctx), input);
        if (!result.ok) {
          if (result.reason !== 'invalid') return { kind: 'forbidden', text: refusal(result, ctx) };
          const errors: FieldErrors = {};
          addIssues(errors, result.issues);
          return formPage(deps, ctx, { kind: 'create' }, read.values, errors, 400);
        }
        await ctx.audit('course.create', `course:${result.value.id}`, { status: result.value.status });
        return {
          kind: 'redirect',
          to: `${BASE}/${result.value.id}`,
          flash: { tone: 'ok', text: ctx.t('webCourses:done.create', { title: result.value.titleVi }) },
        };
      },
    },
    { method: 'GET', path: `${BASE}/report`, role: 'officer', handle: (ctx) => reportPage(deps, ctx) },
    { method: 'GET', path: `${BASE}/report.csv`, role: 'officer', handle: (ctx) => reportCsv(deps, ctx) },
    { method: 'GET', path: `${BASE}/:id`, role: 'officer', handle: (ctx) => coursePage(deps, ctx) },
    { method: 'GET', path: `${BASE}/:id/rollcall.csv`, role: 'officer', handle: (ctx) => rollCall(deps, ctx) },
    {
      method: 'GET',
      path: `${BASE}/:id/edit`,
      role: 'admin',
      async handle(ctx) {
        const id = courseId(ctx);
        const course = id === null ? null : await service.find(id);
        if (!course) return { kind: 'notFound' };
        if (course.status === 'cancelled') {
          return {
            kind: 'redirect',
            to: `${BASE}/${course.id}`,
            flash: { tone: 'error', text: ctx.t('webCourses:refused.cancelled') },
          };
        }
        return formPage(deps, ctx, { kind: 'edit', course }, valuesOf(course, ctx.timeZone, await directory()), {});
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:id/edit`,
      role: 'admin',
      async handle(ctx) {
        const id = courseId(ctx);
        const course = id === null ? null : await service.find(id);
        if (!course) return { kind: 'notFound' };
        const read = readForm(ctx.form, await directory(), await officerIds(), ctx.timeZone);
        delete read.errors.externalKey;
        if (Object.keys(read.errors).length > 0) {
          return formPage(deps, ctx, { kind: 'edit', course }, read.values, read.errors, 400);
        }
        const { externalKey: _key, status: _status, ...patch } = read.input;
        const result = await service.update(actorOf(ctx), course.id, patch);
        if (!result.ok) {
          if (result.reason === 'invalid') {
            const errors: FieldErrors = {};
            addIssues(errors, result.issues);
            return formPage(deps, ctx, { kind: 'edit', course }, read.values, errors, 400);
          }
          if (result.reason === 'seatsBelowTaken') {
            return formPage(
              deps,
              ctx,
              { kind: 'edit', course },
              read.values,
              { seats: ['webCourses:refused.seatsBelowTaken'] },
              400,
            );
          }
          return { kind: 'redirect', to: `${BASE}/${course.id}`, flash: { tone: 'error', text: refusal(result, ctx) } };
        }
        await ctx.audit('course.edit', `course:${course.id}`);
        return {
          kind: 'redirect',
          to: `${BASE}/${course.id}`,
          flash: { tone: 'ok', text: ctx.t('webCourses:done.edit') },
        };
      },
    },
    { method: 'POST', path: `${BASE}/:id/open`, role: 'admin', handle: statusChange('open') },
    { method: 'POST', path: `${BASE}/:id/close`, role: 'admin', handle: statusChange('close') },
    { method: 'POST', path: `${BASE}/:id/cancel`, role: 'admin', handle: statusChange('cancel') },
    {
      method: 'POST',
      path: `${BASE}/:id/mark`,
      role: 'officer',
      async handle(ctx) {
        const id = courseId(ctx);
        if (id === null) return { kind: 'notFound' };
        const rawRegistration = ctx.form.get('registration') ?? '';
        const mark = ctx.form.get('mark') ?? '';
        const back = `${BASE}/${id}`;
        if (!/^\d{1,9}$/.test(rawRegistration) || !['attended', 'absent', 'completed'].includes(mark)) {
          return { kind: 'redirect', to: back, flash: { tone: 'error', text: ctx.t('webCourses:refused.badMark') } };
        }
        const registrationId = Number(rawRegistration);
        // The registration must be of this course (the URL's): a mark is never applied to another course's row.
        const listed = await service.registrants(ctx.viewer.member, id);
        if (!listed.ok) return { kind: 'notFound' };
        if (!listed.value.registered.some((r) => r.registration.id === registrationId)) {
          return { kind: 'redirect', to: back, flash: { tone: 'error', text: ctx.t('webCourses:refused.notFound') } };
        }
        const result = await service.mark(actorOf(ctx), registrationId, mark as AttendanceMark);
        if (!result.ok) return { kind: 'redirect', to: back, flash: { tone: 'error', text: refusal(result, ctx) } };
        await ctx.audit('course.mark', `course:${id}`, { registration: registrationId, mark });
        return { kind: 'redirect', to: back, flash: { tone: 'ok', text: ctx.t(`webCourses:done.mark.${mark}`) } };
      },
    },
  ];
};
