// The admin's and officer's course flows in the chat: create a course (a guided flow over the fields of the catalogue,
// dates typed the Vietnamese way, the commune by name), edit one field, cancel after a confirmation, the courses she
// is in charge of, and a three-month answer collected by phone. Every change goes through the courses service (the
// rules, the messages to members); the flows only ask and show.
import type { ChoiceOption, Flow, FlowContext, FlowOutcome, Json, ParseResult, Step } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import {
  COURSE_OCCUPATIONS,
  TRAINING_OUTCOMES,
  type Course,
  type CourseInput,
  type CoursePatch,
  type TrainingOutcome,
} from '../../domain/courses.ts';
import type { Member } from '../../domain/member.ts';
import { WHOLE_PROVINCE, type OfficerRepository } from '../../domain/officers.ts';
import { formatDateTime, formatIsoDate, localIsoDate } from '../../domain/time.ts';
import type { CatalogueResult, CourseActor } from '../courses/service.ts';
import type { MenuEntry } from '../menu/flow.ts';
import { areaInput } from '../profile/areaInput.ts';
import { courseDate, courseDeadline, MAX_SEATS } from './fields.ts';
import type { CoursePresenter } from './present.ts';
import type { CourseTools } from './tools.ts';

export const COURSE_CREATE_FLOW = 'courseAdminCreate';
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
export const EDITABLE_FIELDS = [
  'titleVi',
  'titleEn',
  'occupation',
  'organiser',
  'communeCode',
  'address',
  'startDate',
  'endDate',
  'schedule',
  'seats',
  'registrationDeadline',
  'eligibilityNotes',
  'support',
] as const;
type EditableField = (typeof EDITABLE_FIELDS)[number];

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
  const choice = (values: readonly string[], prefix: string): Step['input'] => ({
    kind: 'choice',
    options: (): ChoiceOption[] => values.map((v) => ({ value: v, label: text(`${prefix}${v}`) })),
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
    occupation: step('occupation', choice(COURSE_OCCUPATIONS, 'courseAdmin:occupations.')),
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
    support: step('support', choice(['decision46', 'none'], 'courseAdmin:supportPolicies.')),
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

/** How many courses the "my courses" list shows (the most recent starts); the admin CLI lists them all. */
const MY_COURSES_SHOWN = 8;

export function createCourseAdminFlows(deps: CourseAdminFlowDeps): Flow[] {
  const steps = fieldSteps(deps.areas);
  const home = (say: FlowOutcome['say']): FlowOutcome => ({ say, next: { to: 'home' } });

  const create: Flow = {
    id: COURSE_CREATE_FLOW,
    access: 'admin',
    intro: text('courseAdmin:create.intro'),
    steps: [
      ...EDITABLE_FIELDS.map((f) => steps[f]),
      {
        id: 'officerPhone',
        prompt: text('courseAdmin:ask.officerPhone'),
        input: { kind: 'phone' },
        optional: true,
        summaryLabel: text('courseAdmin:fields.officer'),
      },
      {
        id: 'openNow',
        prompt: text('courseAdmin:ask.openNow'),
        input: { kind: 'yesno' },
        summaryLabel: text('courseAdmin:fields.openNow'),
      },
    ],
    summary: { title: text('courseAdmin:create.summary') },
    async finish({ member, answers, t }) {
      const input = {} as Record<string, unknown>;
      for (const field of EDITABLE_FIELDS) input[field] = fieldValue(field, answers[field]);
      // The officer in charge, by her phone; the admin herself when skipped or when no officer has that phone.
      const phone = answers['officerPhone'];
      const officer =
        typeof phone === 'string' ? (await deps.officers.list()).find((o) => o.member.phone === phone) : undefined;
      input['officerId'] = officer?.member.id ?? member.id;
      input['status'] = answers['openNow'] === 'yes' ? 'open' : 'draft';
      const result = await deps.tools.service.create(actorOf(member), input as CourseInput);
      if (!result.ok) return home([{ raw: refusalOf(result, t) }]);
      const notes = [t('courseAdmin:create.done', { id: result.value.id })];
      if (typeof phone === 'string' && officer === undefined) notes.push(t('courseAdmin:create.officerUnknown'));
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
          options: () =>
            EDITABLE_FIELDS.map((f) => ({
              value: f,
              label: text(`courseAdmin:fields.${f === 'communeCode' ? 'commune' : f}`),
            })),
        },
      },
      ...EDITABLE_FIELDS.map((f) => ({ ...steps[f], when: (answers: Record<string, Json>) => answers['field'] === f })),
    ],
    async finish({ member, answers, t }) {
      const id = Number(answers['courseId']);
      const field = answerText(answers['field']) as EditableField;
      if (!EDITABLE_FIELDS.includes(field)) return home([text('common:errors.staleButton')]);
      const patch = { [field]: fieldValue(field, answers[field]) } as CoursePatch;
      const result = await deps.tools.service.update(actorOf(member), id, patch);
      if (!result.ok) return home([{ raw: refusalOf(result, t) }]);
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
      const courses = await coursesOf(member, deps);
      if (courses.length === 0) return home([text('courseAdmin:mine.none')]);
      const shown = courses.slice(0, MY_COURSES_SHOWN);
      return home([
        text('courseAdmin:mine.title', { count: courses.length, shown: shown.length }),
        ...shown.map((c) => deps.presenter.card(c, member, t)),
      ]);
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

  return [create, edit, cancel, mine, outcome];
}
