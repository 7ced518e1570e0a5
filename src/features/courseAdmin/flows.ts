// The admin's and officer's course flows in the chat: create a course (a guided flow over the fields of the catalogue,
// dates typed the Vietnamese way, the commune by name), edit one field, cancel after a confirmation, the courses she
// is in charge of, and a three-month answer collected by phone. Every change goes through the courses service (the
// rules, the messages to members); the flows only ask and show.
import type {
  ActionMessage,
  ChoiceOption,
  Flow,
  FlowContext,
  FlowOutcome,
  Json,
  ParseResult,
  Said,
  Step,
} from '../../conversation/flow.ts';
import { answerText, PREFILL, text } from '../../conversation/flow.ts';
import { parsePhone } from '../../conversation/inputs.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import {
  COURSE_FIELDS,
  COURSE_OCCUPATIONS,
  TRAINING_OUTCOMES,
  type Course,
  type CourseInput,
  type CoursePatch,
  type TrainingOutcome,
} from '../../domain/courses.ts';
import type { Member } from '../../domain/member.ts';
import { WHOLE_PROVINCE, type OfficerRepository } from '../../domain/officers.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { formatDateTime, formatIsoDate, localIsoDate } from '../../domain/time.ts';
import type { CatalogueResult, CourseActor } from '../courses/service.ts';
import type { MenuEntry } from '../menu/flow.ts';
import { areaInput } from '../profile/areaInput.ts';
import { courseDate, courseDeadline, MAX_SEATS } from './fields.ts';
import { CA, occupationKey, type CoursePresenter } from './present.ts';
import type { CourseTools } from './tools.ts';

export const COURSE_CREATE_FLOW = 'courseAdminCreate';
/** The creation form itself (COURSE_CREATE_FLOW reads the officers' phones, then starts it). */
export const COURSE_CREATE_FORM_FLOW = 'courseAdminCreateForm';
export const COURSE_EDIT_FLOW = 'courseAdminEdit';
export const COURSE_CANCEL_FLOW = 'courseAdminCancel';
export const COURSE_MINE_FLOW = 'courseAdminMine';
export const COURSE_OUTCOME_FLOW = 'courseAdminOutcome';

export const createCourseMenuEntry: MenuEntry = {
  flowId: COURSE_CREATE_FLOW,
  label: text('courseAdmin:menu.create'),
  audience: 'admin',
};
export const myCoursesMenuEntry: MenuEntry = {
  flowId: COURSE_MINE_FLOW,
  label: text('courseAdmin:menu.mine'),
  audience: 'officer',
};

/** The fields an admin may change in the chat, in the order of the creation flow (step ids). */
export const EDITABLE_FIELDS = COURSE_FIELDS.filter(
  (f): f is Exclude<(typeof COURSE_FIELDS)[number], 'officerId'> => f !== 'officerId',
);
type EditableField = (typeof EDITABLE_FIELDS)[number];

/** The officer in charge, by her phone (a step of the creation and of the edit; not a column of the course). */
const OFFICER_STEP = 'officerPhone';

/**
 * Under this key in a flow's answers: the officers and admins by phone (E.164 → [member id, name]), read when the
 * flow starts, so the officer's phone is checked at the question (a step's parser cannot read the database).
 */
export const OFFICERS = 'officers';

/** The officers and admins by phone, as stored under OFFICERS. */
export async function officersByPhone(officers: Pick<OfficerRepository, 'list'>): Promise<Record<string, Json>> {
  const byPhone: Record<string, Json> = {};
  for (const { member } of await officers.list()) {
    if (member.phone) byPhone[member.phone] = [member.id, member.displayName ?? ''];
  }
  return byPhone;
}

/** The officer with this phone among those read when the flow started: her member id and name; null if none. */
function officerByPhone(answers: Record<string, Json>, phone: Json | undefined): { id: string; name: string } | null {
  const all = answers[OFFICERS];
  if (typeof phone !== 'string' || !all || typeof all !== 'object' || Array.isArray(all)) return null;
  const entry = all[phone];
  return Array.isArray(entry) && typeof entry[0] === 'string'
    ? { id: entry[0], name: typeof entry[1] === 'string' ? entry[1] : '' }
    : null;
}

/** The officer in charge: a phone of an officer or admin, refused at the question when no officer has it. */
const officerInput: Step['input'] = {
  kind: 'custom',
  parse: (input, ctx) => {
    const parsed = parsePhone(input);
    if (parsed.ok !== true) return parsed;
    if (officerByPhone(ctx.answers, parsed.value) === null) {
      return fail('courseAdmin:errors.officerUnknown', { phone: formatVietnamesePhone(answerText(parsed.value)) });
    }
    return parsed;
  },
  display: (value, ctx) => {
    const phone = formatVietnamesePhone(answerText(value));
    const officer = officerByPhone(ctx.answers, value);
    return { raw: officer?.name ? `${officer.name} (${phone})` : phone };
  },
};

const officerStep: Step = {
  id: OFFICER_STEP,
  prompt: text('courseAdmin:ask.officerPhone'),
  input: officerInput,
  optional: true,
  summaryLabel: text('courseAdmin:fields.officer'),
};

/**
 * Starts `flowId` again at the steps in `ask`, every other answer taken as given (PREFILL): after the service refused
 * a value, she answers that question again instead of losing what she typed.
 */
function askAgain(flowId: string, answers: Record<string, Json>, stepIds: readonly string[], ask: readonly string[]) {
  const context = Object.fromEntries(Object.entries(answers).filter(([k]) => !stepIds.includes(k) && k !== PREFILL));
  const prefill: Record<string, Json> = {};
  for (const id of stepIds) {
    if (id in answers && !ask.includes(id)) prefill[id] = { value: answers[id] ?? null, confirm: false };
  }
  return { to: 'flow' as const, flowId, answers: { ...context, [PREFILL]: prefill } };
}

export const actorOf = (member: Member): CourseActor => ({ kind: 'member', member });

const fail = (key: string, vars?: Record<string, unknown>): ParseResult => ({ ok: false, error: text(key, vars) });

/** A date step: "15/1/2027" or ISO; not before `earliest` (ISO) when given. Shown in her language's format. */
function dateInput(earliest: (ctx: FlowContext) => { iso: string; key: string } | null): Step['input'] {
  return {
    kind: 'custom',
    parse: (input, ctx) => {
      const iso = courseDate(input);
      if (iso === null) return fail('courseAdmin:errors.date');
      const bound = earliest(ctx);
      if (bound !== null && iso < bound.iso) {
        return fail(bound.key, { date: formatIsoDate(bound.iso, ctx.member.language) });
      }
      return { ok: true, value: iso };
    },
    display: (value, ctx) => ({ raw: formatIsoDate(answerText(value), ctx.member.language) }),
  };
}

/** The registration deadline: a date (until the end of that day) or a date and time, in TIME_ZONE; not past. */
const deadlineInput: Step['input'] = {
  kind: 'custom',
  parse: (input, ctx) => {
    const at = courseDeadline(input, ctx.timeZone);
    if (at === null) return fail('courseAdmin:errors.deadline');
    if (at <= ctx.now) return fail('courseAdmin:errors.deadlinePast');
    const start = ctx.answers['startDate'];
    if (typeof start === 'string') {
      const last = courseDeadline(start, ctx.timeZone);
      if (last !== null && at > last) {
        return fail('courseAdmin:errors.deadlineAfterStart', { date: formatIsoDate(start, ctx.member.language) });
      }
    }
    return { ok: true, value: at.toISOString() };
  },
  display: (value, ctx) => ({ raw: formatDateTime(new Date(answerText(value)), ctx.timeZone, ctx.member.language) }),
};

/** Text of at most 300 characters (a title, an address). */
const LONG_TEXT = 300;

/** The steps of a course's fields (creation; the edit flow asks one of them). */
function fieldSteps(areas: AreaDirectory): Record<EditableField, Step> {
  const today = (ctx: FlowContext) => localIsoDate(ctx.now, ctx.timeZone);
  const choice = (values: readonly string[], label: (value: string) => string): Step['input'] => ({
    kind: 'choice',
    options: (): ChoiceOption[] => values.map((v) => ({ value: v, label: text(label(v)) })),
  });
  const step = (id: EditableField, input: Step['input'], extra: Partial<Step> = {}): Step => ({
    id,
    prompt: text(`courseAdmin:ask.${id}`),
    input,
    summaryLabel: text(`courseAdmin:fields.${id === 'communeCode' ? 'commune' : id}`),
    ...extra,
  });
  return {
    titleVi: step('titleVi', { kind: 'text', maxLength: LONG_TEXT }),
    titleEn: step('titleEn', { kind: 'text', maxLength: LONG_TEXT }, { optional: true }),
    occupation: step('occupation', choice(COURSE_OCCUPATIONS, occupationKey)),
    organiser: step('organiser', { kind: 'text', maxLength: LONG_TEXT }),
    communeCode: step('communeCode', areaInput(areas)),
    address: step('address', { kind: 'text', maxLength: LONG_TEXT }),
    startDate: step(
      'startDate',
      dateInput((ctx) => ({ iso: today(ctx), key: 'courseAdmin:errors.startPast' })),
    ),
    endDate: step(
      'endDate',
      dateInput((ctx) => {
        const start = ctx.answers['startDate'];
        return typeof start === 'string'
          ? { iso: start, key: 'courseAdmin:errors.endBeforeStart' }
          : { iso: today(ctx), key: 'courseAdmin:errors.startPast' };
      }),
    ),
    schedule: step('schedule', { kind: 'text', maxLength: LONG_TEXT }),
    seats: step('seats', { kind: 'number', integer: true, min: 1, max: MAX_SEATS }),
    registrationDeadline: step('registrationDeadline', deadlineInput),
    eligibilityNotes: step('eligibilityNotes', { kind: 'text', maxLength: LONG_TEXT }, { optional: true }),
    support: step(
      'support',
      choice(['decision46', 'none'], (v) => `courseAdmin:supportPolicies.${v}`),
    ),
  };
}

/** A field's answer as the course's value. */
function fieldValue(field: EditableField, value: Json | undefined): CoursePatch[EditableField] {
  switch (field) {
    case 'seats':
      return typeof value === 'number' ? value : Number(value);
    case 'registrationDeadline':
      return new Date(answerText(value));
    case 'titleEn':
    case 'eligibilityNotes':
      return value === null || value === undefined ? null : answerText(value);
    default:
      return answerText(value);
  }
}

/** What the service refused, in her words. */
export function refusalOf(result: Exclude<CatalogueResult<unknown>, { ok: true }>, t: FlowContext['t']): string {
  if (result.reason !== 'invalid') return t(`courseAdmin:errors.${result.reason}`);
  return [
    t('courseAdmin:errors.invalid'),
    ...result.issues.map(
      (i) => `• ${t(`courseAdmin:fields.${i.field === 'communeCode' ? 'commune' : i.field}`)}: ${t(i.key)}`,
    ),
  ].join('\n');
}

export interface CourseAdminFlowDeps {
  tools: CourseTools;
  presenter: CoursePresenter;
  areas: AreaDirectory;
  officers: Pick<OfficerRepository, 'list' | 'areasOf'>;
}

/**
 * The courses an officer sees as hers (as the service lets her manage them): the ones she is in charge of and those
 * held in her communes; every course for admins and province officers. Cancelled ones are left out.
 */
export async function coursesOf(
  member: Member,
  deps: Pick<CourseAdminFlowDeps, 'tools' | 'officers'>,
): Promise<Course[]> {
  const { courses } = await deps.tools.repository.listAll({ offset: 0, limit: 500 });
  const areas = member.role === 'admin' ? [WHOLE_PROVINCE] : await deps.officers.areasOf(member.id);
  const everything = areas.includes(WHOLE_PROVINCE);
  return courses.filter(
    (c) => c.status !== 'cancelled' && (everything || c.officerId === member.id || areas.includes(c.communeCode)),
  );
}

/** How many courses a page of "my courses" shows (short pages for the smallest phone); the admin CLI lists them all. */
export const MY_COURSES_PAGE = 8;

/**
 * Page `page` (1-based; beyond the last: the last) of the courses she is in charge of, as `coursesOf` orders them:
 * a title "N courses (page p/P)", one card per course, and "previous" / "more" buttons when there are other pages.
 */
export async function myCoursesPage(
  member: Member,
  page: number,
  t: FlowContext['t'],
  deps: Pick<CourseAdminFlowDeps, 'tools' | 'officers' | 'presenter'>,
): Promise<Said[]> {
  const courses = await coursesOf(member, deps);
  if (courses.length === 0) return [text('courseAdmin:mine.none')];
  const pages = Math.ceil(courses.length / MY_COURSES_PAGE);
  const current = Math.min(Math.max(1, Math.trunc(page)), pages);
  const shown = courses.slice((current - 1) * MY_COURSES_PAGE, current * MY_COURSES_PAGE);
  const said: Said[] = [
    text('courseAdmin:mine.title', { count: courses.length, page: current, pages }),
    ...shown.map((c) => deps.presenter.card(c, member, t)),
  ];
  if (pages > 1) {
    const actions: ActionMessage['actions'] = [];
    if (current > 1) actions.push({ label: text('courseAdmin:buttons.previous'), action: `${CA.mine}:${current - 1}` });
    if (current < pages) actions.push({ label: text('courseAdmin:buttons.more'), action: `${CA.mine}:${current + 1}` });
    said.push({ text: text('courseAdmin:mine.page', { page: current, pages }), actions });
  }
  return said;
}

export function createCourseAdminFlows(deps: CourseAdminFlowDeps): Flow[] {
  const steps = fieldSteps(deps.areas);
  const home = (say: FlowOutcome['say']): FlowOutcome => ({ say, next: { to: 'home' } });

  const start: Flow = {
    id: COURSE_CREATE_FLOW,
    access: 'admin',
    intro: text('courseAdmin:create.intro'),
    steps: [],
    async finish() {
      const officers = await officersByPhone(deps.officers);
      return { say: [], next: { to: 'flow', flowId: COURSE_CREATE_FORM_FLOW, answers: { [OFFICERS]: officers } } };
    },
  };

  const createSteps: Step[] = [
    ...EDITABLE_FIELDS.map((f) => steps[f]),
    officerStep,
    {
      id: 'openNow',
      prompt: text('courseAdmin:ask.openNow'),
      input: { kind: 'yesno' },
      summaryLabel: text('courseAdmin:fields.openNow'),
    },
  ];
  const createStepIds = createSteps.map((step) => step.id);

  const create: Flow = {
    id: COURSE_CREATE_FORM_FLOW,
    access: 'admin',
    steps: createSteps,
    summary: { title: text('courseAdmin:create.summary') },
    async finish({ member, answers, t }) {
      const input = {} as Record<string, unknown>;
      for (const field of EDITABLE_FIELDS) input[field] = fieldValue(field, answers[field]);
      // The officer in charge, by her phone (checked at the question); the admin herself when skipped.
      input['officerId'] = officerByPhone(answers, answers[OFFICER_STEP])?.id ?? member.id;
      input['status'] = answers['openNow'] === 'yes' ? 'open' : 'draft';
      const result = await deps.tools.service.create(actorOf(member), input as CourseInput);
      if (!result.ok) {
        // A value the service refuses (rules the questions cannot all check): asked again, the rest kept.
        if (result.reason !== 'invalid') return home([{ raw: refusalOf(result, t) }]);
        const ask = result.issues.map((i) => (i.field === 'officerId' ? OFFICER_STEP : i.field));
        return { say: [{ raw: refusalOf(result, t) }], next: askAgain(create.id, answers, createStepIds, ask) };
      }
      const notes = [t('courseAdmin:create.done', { id: result.value.id })];
      if (result.value.status === 'draft') notes.push(t('courseAdmin:create.draft'));
      return home([deps.presenter.card(result.value, member, t, notes.join('\n'))]);
    },
  };
  const edit: Flow = {
    id: COURSE_EDIT_FLOW,
    access: 'admin',
    steps: [
      {
        id: 'field',
        prompt: text('courseAdmin:edit.which'),
        input: {
          kind: 'choice',
          options: () => [
            ...EDITABLE_FIELDS.map((f) => ({
              value: f,
              label: text(`courseAdmin:fields.${f === 'communeCode' ? 'commune' : f}`),
            })),
            { value: OFFICER_STEP, label: text('courseAdmin:fields.officer') },
          ],
        },
      },
      ...[...EDITABLE_FIELDS.map((f) => steps[f]), officerStep].map((step) => ({
        ...step,
        when: (answers: Record<string, Json>) => answers['field'] === step.id,
      })),
    ],
    async finish({ member, answers, t }) {
      const id = Number(answers['courseId']);
      const field = answerText(answers['field']);
      let patch: CoursePatch;
      if (field === OFFICER_STEP) {
        patch = { officerId: officerByPhone(answers, answers[OFFICER_STEP])?.id ?? member.id };
      } else if ((EDITABLE_FIELDS as readonly string[]).includes(field)) {
        const editable = field as EditableField;
        patch = { [editable]: fieldValue(editable, answers[editable]) };
      } else return home([text('common:errors.staleButton')]);
      const result = await deps.tools.service.update(actorOf(member), id, patch);
      if (!result.ok) {
        // A value the service refuses (fewer seats than are taken, dates out of order...): the question again.
        if (result.reason !== 'invalid' && result.reason !== 'seatsBelowTaken') {
          return home([{ raw: refusalOf(result, t) }]);
        }
        return {
          say: [{ raw: refusalOf(result, t) }],
          next: askAgain(edit.id, answers, ['field', field], [field]),
        };
      }
      return home([deps.presenter.card(result.value, member, t, t('courseAdmin:edit.done'))]);
    },
  };

  const cancel: Flow = {
    id: COURSE_CANCEL_FLOW,
    access: 'admin',
    steps: [
      {
        id: 'confirm',
        prompt: ({ answers }) =>
          text('courseAdmin:cancel.confirm', {
            id: answerText(answers['courseId']),
            title: answerText(answers['title']),
            count: Number(answers['count'] ?? 0),
          }),
        input: { kind: 'yesno', yesLabel: text('courseAdmin:cancel.yes'), noLabel: text('courseAdmin:cancel.no') },
      },
    ],
    async finish({ member, answers, t }) {
      const id = Number(answers['courseId']);
      if (answers['confirm'] !== 'yes') return home([text('courseAdmin:cancel.kept', { id })]);
      const result = await deps.tools.service.cancel(actorOf(member), id);
      if (!result.ok) return home([{ raw: refusalOf(result, t) }]);
      return home([text('courseAdmin:cancel.done', { id, count: Number(answers['count'] ?? 0) })]);
    },
  };

  const mine: Flow = {
    id: COURSE_MINE_FLOW,
    access: 'officer',
    steps: [],
    async finish({ member, t }) {
      return home(await myCoursesPage(member, 1, t, deps));
    },
  };

  const outcome: Flow = {
    id: COURSE_OUTCOME_FLOW,
    access: 'officer',
    steps: [
      {
        id: 'outcome',
        prompt: ({ answers }) => text('courseAdmin:outcome.ask', { id: answerText(answers['registrationId']) }),
        input: {
          kind: 'choice',
          options: () => TRAINING_OUTCOMES.map((o) => ({ value: o, label: text(`courseAdmin:outcomes.${o}`) })),
        },
      },
    ],
    async finish({ member, answers, t }) {
      const id = Number(answers['registrationId']);
      const answer = answerText(answers['outcome']) as TrainingOutcome;
      const result = await deps.tools.service.recordOutcome(id, answer, {
        kind: 'officer',
        actor: actorOf(member),
      });
      return home([
        result.ok
          ? text('courseAdmin:outcome.done', { id, answer: t(`courseAdmin:outcomes.${answer}`) })
          : text('courseAdmin:outcome.notCompleted', { id }),
      ]);
    },
  };

  return [start, create, edit, cancel, mine, outcome];
}
