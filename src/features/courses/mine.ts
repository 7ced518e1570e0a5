// "Lớp học của tôi" (issue 12, point 4, the member's part): her registrations with their status (registered, waiting
// with her place, offered with its deadline in local time, cancelled, attended, completed), a registration's details,
// and what she can do with it: take or decline an offered seat, cancel (always confirmed; a freed seat goes to the
// first member waiting — the service does it in the same transaction).
// "Em không đi học được nữa" (intent courseCancel) opens COURSE_CANCEL_FLOW: a confirmation first (a destructive
// intent only ever opens one), then the registration to cancel, then the cancellation confirmed by name.
import type { Answers, Flow, FlowContext, FlowNext, FlowOutcome, Json } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Course, CourseRegistration, RegistrationStatus } from '../../domain/courses.ts';
import type { Member } from '../../domain/member.ts';
import { communeName, courseDetails, courseTitle, registrationStatus } from './presenter.ts';
import { formatIsoDate } from '../../domain/time.ts';
import type { CourseService } from './service.ts';

export const MY_COURSES_FLOW = 'myCourses';
export const MY_COURSE_LIST_FLOW = 'myCourseList';
export const MY_COURSE_FLOW = 'myCourse';
export const MY_COURSE_NEXT_FLOW = 'myCourseNext';
export const COURSE_CANCEL_CONFIRM_FLOW = 'courseCancelConfirm';
/** The courseCancel intent's flow ("em không đi học được nữa"). */
export const COURSE_CANCEL_FLOW = 'courseCancel';
export const COURSE_CANCEL_PICK_FLOW = 'courseCancelPick';
/** Her registrations she may still cancel, read afresh: one → its confirmation, several → the pick. */
export const COURSE_CANCEL_LIST_FLOW = 'courseCancelList';

/** A list that fits one screen: her most recent registrations. */
const MAX_LISTED = 8;

/** The statuses she may still cancel (a seat or a place on the waiting list). */
const CANCELLABLE: readonly RegistrationStatus[] = ['registered', 'waiting', 'offered'];

export interface MineDeps {
  service: CourseService;
  areas: AreaDirectory;
}

type Mine = { registration: CourseRegistration; course: Course; place: number | null };

/** The statuses that make a course's page hers (every one but cancelled). */
const CURRENT: readonly RegistrationStatus[] = ['registered', 'waiting', 'offered', 'attended', 'absent', 'completed'];

/** Her current registration for a course (not a cancelled one), with her place when waiting; null when none. */
export async function herRegistration(service: CourseService, member: Member, courseId: number): Promise<Mine | null> {
  const mine = await service.mine(member);
  return mine.find((m) => m.course.id === courseId && CURRENT.includes(m.registration.status)) ?? null;
}

/** Where "back" leads from a registration's page opened from the catalogue (answers.back: a FlowNext), or null. */
function backOf(answers: Answers): FlowNext | null {
  const back = answers['back'];
  if (!back || typeof back !== 'object' || Array.isArray(back) || back['to'] !== 'flow') return null;
  const flowId = back['flowId'];
  const next = back['answers'];
  if (typeof flowId !== 'string') return null;
  return { to: 'flow', flowId, answers: next && typeof next === 'object' && !Array.isArray(next) ? next : {} };
}

export function createMineFlows(deps: MineDeps): Flow[] {
  const { service } = deps;
  // "Chế biến chè xanh · 20/03/2026, Xã Dân Tiến · Đã đăng ký": when and where with her status ("khi nào lớp bắt đầu").
  const lineOf = (item: Mine, ctx: FlowContext) =>
    ctx.t('courses:mine.line', {
      title: courseTitle(item.course, ctx.member.language),
      start: formatIsoDate(item.course.startDate, ctx.member.language),
      commune: communeName(item.course.communeCode, deps.areas, ctx.t),
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

  /**
   * A registration's page: the course's details from her side with her status, then what she can do (take or
   * decline an offered seat, cancel), back (to `back`: the catalogue page she came from, else her list), the menu.
   */
  const registrationPage = (item: Mine, ctx: FlowContext, back: FlowNext | null): FlowOutcome => ({
    say: [{ raw: courseDetails(item.course, ctx, deps.areas, item) }],
    next: {
      to: 'flow',
      flowId: MY_COURSE_NEXT_FLOW,
      answers: {
        registrationId: item.registration.id,
        status: item.registration.status,
        title: courseTitle(item.course, ctx.member.language),
        back: (back ?? backOf(ctx.answers)) as unknown as Json,
      },
    },
  });

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
    // Statuses and places change (an offer taken, a seat freed): the list is read again when she comes back to it.
    reload: () => ({ to: 'flow', flowId: MY_COURSES_FLOW }),
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
      return registrationPage(item, ctx, null);
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
              {
                value: 'back',
                label: text(backOf(answers) ? 'courses:detail.back' : 'courses:mine.back'),
              },
              menu,
            ];
          },
        },
      },
    ],
    // The page shows her status (an offer may lapse, a place move up): read again when she comes back to it.
    reload: (answers) => ({
      to: 'flow',
      flowId: MY_COURSE_FLOW,
      answers: { registrationId: answers['registrationId'] ?? null, back: answers['back'] ?? null },
    }),
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
          return { say: [], next: backOf(answers) ?? { to: 'flow', flowId: MY_COURSES_FLOW } };
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
    finish: async (ctx) =>
      ctx.answers['sure'] === 'yes'
        ? { say: [], next: { to: 'flow', flowId: COURSE_CANCEL_LIST_FLOW } }
        : { say: [text('courses:cancel.notAsked')], next: { to: 'home' } },
  };

  // What she may cancel, read now (also when she comes back to the pick: COURSE_CANCEL_PICK_FLOW's reload).
  const cancelList: Flow = {
    id: COURSE_CANCEL_LIST_FLOW,
    access: 'consented',
    steps: [],
    finish: async (ctx) => {
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
    reload: () => ({ to: 'flow', flowId: COURSE_CANCEL_LIST_FLOW }),
    finish: async (ctx) => {
      if (ctx.answers['pick'] === 'menu') return { say: [], next: { to: 'home' } };
      const id = Number(ctx.answers['pick']);
      const item = (await service.mine(ctx.member)).find((m) => m.registration.id === id);
      if (!item) return { say: [text('courses:mine.notFound')], next: { to: 'home' } };
      return toConfirm(item, ctx);
    },
  };

  return [myCourses, list, one, next, confirm, cancel, cancelList, cancelPick];
}
