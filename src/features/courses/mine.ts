// "Lớp học của tôi" (issue 12, point 4, the member's part): her registrations with their status (registered, waiting
// with her place, offered with its deadline in local time, cancelled, attended, completed), a registration's details,
// and what she can do with it: take or decline an offered seat, cancel (always confirmed; a freed seat goes to the
// first member waiting — the service does it in the same transaction).
// "Em không đi học được nữa" (intent courseCancel) opens COURSE_CANCEL_FLOW: a confirmation first (a destructive
// intent only ever opens one), then the registration to cancel, then the cancellation confirmed by name.
import type { Answers, Flow, FlowContext, FlowOutcome, Json } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Course, CourseRegistration, RegistrationStatus } from '../../domain/courses.ts';
import { courseDetails, courseTitle, registrationStatus } from './presenter.ts';
import type { CourseService } from './service.ts';

export const MY_COURSES_FLOW = 'myCourses';
export const MY_COURSE_LIST_FLOW = 'myCourseList';
export const MY_COURSE_FLOW = 'myCourse';
export const MY_COURSE_NEXT_FLOW = 'myCourseNext';
export const COURSE_CANCEL_CONFIRM_FLOW = 'courseCancelConfirm';
/** The courseCancel intent's flow ("em không đi học được nữa"). */
export const COURSE_CANCEL_FLOW = 'courseCancel';
export const COURSE_CANCEL_PICK_FLOW = 'courseCancelPick';

/** A list that fits one screen: her most recent registrations. */
const MAX_LISTED = 8;

/** The statuses she may still cancel (a seat or a place on the waiting list). */
const CANCELLABLE: readonly RegistrationStatus[] = ['registered', 'waiting', 'offered'];

export interface MineDeps {
  service: CourseService;
  areas: AreaDirectory;
}

type Mine = { registration: CourseRegistration; course: Course; place: number | null };

export function createMineFlows(deps: MineDeps): Flow[] {
  const { service } = deps;
  const lineOf = (item: Mine, ctx: FlowContext) =>
    ctx.t('courses:mine.line', {
      title: courseTitle(item.course, ctx.member.language),
      status: registrationStatus(item.registration, item.place, ctx),
    });
  /** Her registrations as options of a choice flow's answers ({ id, label }). */
  const itemsJson = (mine: Mine[], ctx: FlowContext): Json =>
    mine.slice(0, MAX_LISTED).map((item) => ({ id: item.registration.id, label: lineOf(item, ctx) }));
  const itemsOf = (answers: Answers): { id: number; label: string }[] => {
    const items = answers['items'];
    if (!Array.isArray(items)) return [];
    return items.flatMap((item) =>
      item && typeof item === 'object' && !Array.isArray(item) && typeof item['id'] === 'number'
        ? [{ id: item['id'], label: answerText(item['label']) }]
        : [],
    );
  };
  const pickStep = (prompt: string, extra: { value: string; label: ReturnType<typeof text> }[]) => ({
    id: 'pick',
    prompt: text(prompt),
    input: {
      kind: 'choice' as const,
      options: ({ answers }: FlowContext) => [
        ...itemsOf(answers).map((item) => ({ value: String(item.id), label: { raw: item.label } })),
        ...extra,
      ],
    },
  });
  const toConfirm = (item: Mine, ctx: FlowContext): FlowOutcome => ({
    say: [],
    next: {
      to: 'flow',
      flowId: COURSE_CANCEL_CONFIRM_FLOW,
      answers: { registrationId: item.registration.id, title: courseTitle(item.course, ctx.member.language) },
    },
  });
  const menu = { value: 'menu', label: text('courses:browse.menu') };

  const myCourses: Flow = {
    id: MY_COURSES_FLOW,
    access: 'consented',
    steps: [],
    finish: async (ctx) => {
      const mine = await service.mine(ctx.member);
      if (mine.length === 0) return { say: [text('courses:mine.none')], next: { to: 'home' } };
      return { say: [], next: { to: 'flow', flowId: MY_COURSE_LIST_FLOW, answers: { items: itemsJson(mine, ctx) } } };
    },
  };

  const list: Flow = {
    id: MY_COURSE_LIST_FLOW,
    access: 'consented',
    steps: [pickStep('courses:mine.title', [menu])],
    finish: async ({ answers }) =>
      answers['pick'] === 'menu'
        ? { say: [], next: { to: 'home' } }
        : {
            say: [],
            next: { to: 'flow', flowId: MY_COURSE_FLOW, answers: { registrationId: Number(answers['pick']) } },
          },
  };

  const one: Flow = {
    id: MY_COURSE_FLOW,
    access: 'consented',
    steps: [],
    finish: async (ctx) => {
      const id = Number(ctx.answers['registrationId']);
      const item = (await service.mine(ctx.member)).find((m) => m.registration.id === id);
      if (!item) return { say: [text('courses:mine.notFound')], next: { to: 'flow', flowId: MY_COURSES_FLOW } };
      const status = ctx.t('courses:mine.statusLine', {
        status: registrationStatus(item.registration, item.place, ctx),
      });
      return {
        say: [{ raw: `${courseDetails(item.course, ctx, deps.areas)}\n${status}` }],
        next: {
          to: 'flow',
          flowId: MY_COURSE_NEXT_FLOW,
          answers: {
            registrationId: id,
            status: item.registration.status,
            title: courseTitle(item.course, ctx.member.language),
          },
        },
      };
    },
  };

  const next: Flow = {
    id: MY_COURSE_NEXT_FLOW,
    access: 'consented',
    steps: [
      {
        id: 'next',
        prompt: text('courses:detail.ask'),
        input: {
          kind: 'choice',
          options: ({ answers }) => {
            const status = answers['status'];
            return [
              ...(status === 'offered'
                ? [
                    { value: 'accept', label: text('courses:mine.accept') },
                    { value: 'decline', label: text('courses:mine.decline') },
                  ]
                : []),
              ...(status === 'registered' || status === 'waiting'
                ? [{ value: 'cancel', label: text('courses:mine.cancel') }]
                : []),
              { value: 'back', label: text('courses:mine.back') },
              menu,
            ];
          },
        },
      },
    ],
    finish: async ({ answers, member }): Promise<FlowOutcome> => {
      const registrationId = Number(answers['registrationId']);
      const title = answerText(answers['title']);
      switch (answers['next']) {
        case 'accept': {
          const accepted = await service.acceptOffer(member, registrationId);
          const key = accepted.ok
            ? 'courses:mine.accepted'
            : accepted.reason === 'lapsed'
              ? 'courses:mine.lapsed'
              : 'courses:mine.notFound';
          const check = accepted.ok && accepted.officerCheck ? [text('courses:register.officerCheck')] : [];
          return { say: [text(key, { title }), ...check], next: { to: 'home' } };
        }
        case 'decline': {
          const declined = await service.declineOffer(member, registrationId);
          return { say: [text(declined.ok ? 'courses:mine.declined' : 'courses:mine.notFound')], next: { to: 'home' } };
        }
        case 'cancel':
          return {
            say: [],
            next: { to: 'flow', flowId: COURSE_CANCEL_CONFIRM_FLOW, answers: { registrationId, title } },
          };
        case 'back':
          return { say: [], next: { to: 'flow', flowId: MY_COURSES_FLOW } };
        default:
          return { say: [], next: { to: 'home' } };
      }
    },
  };

  const confirm: Flow = {
    id: COURSE_CANCEL_CONFIRM_FLOW,
    access: 'consented',
    steps: [
      {
        id: 'sure',
        prompt: ({ answers }) => text('courses:mine.askCancel', { title: answerText(answers['title']) }),
        input: { kind: 'yesno', yesLabel: text('courses:mine.confirmCancel'), noLabel: text('courses:mine.keep') },
      },
    ],
    finish: async ({ answers, member }) => {
      if (answers['sure'] !== 'yes') return { say: [text('courses:mine.kept')], next: { to: 'home' } };
      const result = await service.cancelMine(member, Number(answers['registrationId']));
      const key = result.ok
        ? 'courses:mine.cancelled'
        : result.reason === 'notCancellable'
          ? 'courses:mine.notCancellable'
          : 'courses:mine.notFound';
      return { say: [text(key, { title: answerText(answers['title']) })], next: { to: 'home' } };
    },
  };

  // "Em không đi học được nữa": asked first, as every destructive request is; then which course; then by name.
  const cancel: Flow = {
    id: COURSE_CANCEL_FLOW,
    access: 'consented',
    steps: [
      {
        id: 'sure',
        prompt: text('courses:cancel.ask'),
        input: { kind: 'yesno', yesLabel: text('courses:cancel.yes'), noLabel: text('courses:cancel.no') },
      },
    ],
    finish: async (ctx) => {
      if (ctx.answers['sure'] !== 'yes') return { say: [text('courses:cancel.notAsked')], next: { to: 'home' } };
      const open = (await service.mine(ctx.member)).filter((m) => CANCELLABLE.includes(m.registration.status));
      if (open.length === 0) return { say: [text('courses:cancel.none')], next: { to: 'home' } };
      if (open.length === 1) return toConfirm(open[0]!, ctx);
      return {
        say: [],
        next: { to: 'flow', flowId: COURSE_CANCEL_PICK_FLOW, answers: { items: itemsJson(open, ctx) } },
      };
    },
  };

  const cancelPick: Flow = {
    id: COURSE_CANCEL_PICK_FLOW,
    access: 'consented',
    steps: [pickStep('courses:cancel.pick', [menu])],
    finish: async (ctx) => {
      if (ctx.answers['pick'] === 'menu') return { say: [], next: { to: 'home' } };
      const id = Number(ctx.answers['pick']);
      const item = (await service.mine(ctx.member)).find((m) => m.registration.id === id);
      if (!item) return { say: [text('courses:mine.notFound')], next: { to: 'home' } };
      return toConfirm(item, ctx);
    },
  };

  return [myCourses, list, one, next, confirm, cancel, cancelPick];
}
