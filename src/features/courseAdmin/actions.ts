// The admin's and officer's course buttons, and the same actions typed on channels without buttons ("lop 12",
// "ds lop 12", "co mat 34", "hoan thanh 34", "vang 34", "ghi ket qua 34", "sua lop 12", "mo lop 12", "dong lop 12",
// "huy lop 12"; English "course 12", "list 12"...). The words are in locales courseAdmin:words.<action>, the words
// shown for a button in courseAdmin:typed.<action>. Who may do what is the service's rule (the officer in charge,
// province officers and admins); a member gets "this is for officers" before the service is asked.
import type { ActionHandler, FlowOutcome, Said } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { MemberRepository } from '../../domain/member.ts';
import { SEAT_HOLDING } from '../../domain/courses.ts';
import { fold } from '../../domain/text.ts';
import { actorOf, COURSE_CANCEL_FLOW, COURSE_EDIT_FLOW, COURSE_OUTCOME_FLOW, refusalOf } from './flows.ts';
import { CA, COURSE_ADMIN_ACTIONS, titleOf, type CourseAdminAction, type CoursePresenter } from './present.ts';
import type { CourseTools } from './tools.ts';

/** The key of an action in courseAdmin:words / courseAdmin:typed ("caList" → "list"). */
const keyOf = (action: CourseAdminAction): string => action.slice(2, 3).toLowerCase() + action.slice(3);

const TYPED = /^(.+?)\s*#?\s*(\d{1,9})$/;

/** Admin-only actions (the catalogue); the others are for officers and admins. */
const ADMIN_ONLY: readonly CourseAdminAction[] = [CA.edit, CA.open, CA.close, CA.cancel];

export function createCourseAdminActions(deps: {
  tools: CourseTools;
  presenter: CoursePresenter;
  members: Pick<MemberRepository, 'findById'>;
  /** Every language's phrases of a locales list key, as written. */
  phrases: (key: string) => string[];
}): ActionHandler & { names: readonly string[] } {
  const { tools } = deps;
  const words = new Map<CourseAdminAction, string[]>(
    COURSE_ADMIN_ACTIONS.map((a) => [a, deps.phrases(`courseAdmin:words.${keyOf(a)}`).map(fold)]),
  );
  const stay = (say: Said[]): FlowOutcome => ({ say, next: { to: 'stay' } });

  return {
    names: COURSE_ADMIN_ACTIONS,

    parseTyped(input) {
      const m = TYPED.exec(fold(input));
      if (!m) return null;
      const verb = m[1]!;
      const name = COURSE_ADMIN_ACTIONS.find((a) => words.get(a)?.includes(verb));
      return name ? { name, arg: m[2]! } : null;
    },

    typedFor(action, t) {
      const [name = '', arg = ''] = action.split(':');
      return (COURSE_ADMIN_ACTIONS as readonly string[]).includes(name)
        ? t(`courseAdmin:typed.${keyOf(name as CourseAdminAction)}`, { id: arg })
        : undefined;
    },

    async run({ member, t }, name, arg) {
      const action = name as CourseAdminAction;
      const id = Number(arg);
      if (!Number.isSafeInteger(id) || id <= 0) return stay([text('common:errors.staleButton')]);
      if (member.role === 'member') return stay([text('courseAdmin:errors.forbidden')]);
      if (ADMIN_ONLY.includes(action) && member.role !== 'admin') return stay([text('courseAdmin:errors.adminOnly')]);
      const actor = actorOf(member);
      switch (action) {
        case CA.course: {
          const course = await tools.service.find(id);
          return stay([course === null ? text('courseAdmin:errors.notFound') : deps.presenter.card(course, member, t)]);
        }
        case CA.list: {
          const result = await tools.service.registrants(member, id);
          if (!result.ok) return stay([{ raw: refusalOf(result, t) }]);
          return stay(deps.presenter.registrants(result.value, member, t));
        }
        case CA.edit: {
          const course = await tools.service.find(id);
          if (course === null) return stay([text('courseAdmin:errors.notFound')]);
          if (course.status === 'cancelled') return stay([text('courseAdmin:errors.cancelled')]);
          return { say: [], next: { to: 'flow', flowId: COURSE_EDIT_FLOW, answers: { courseId: id } } };
        }
        case CA.open:
        case CA.close: {
          const result = await tools.service.setOpen(actor, id, action === CA.open);
          if (!result.ok) return stay([{ raw: refusalOf(result, t) }]);
          const heading = t(action === CA.open ? 'courseAdmin:chat.opened' : 'courseAdmin:chat.closed');
          return stay([deps.presenter.card(result.value, member, t, heading)]);
        }
        case CA.cancel: {
          const course = await tools.service.find(id);
          if (course === null) return stay([text('courseAdmin:errors.notFound')]);
          if (course.status === 'cancelled') return stay([text('courseAdmin:errors.cancelled')]);
          const count = (await tools.repository.registrationsOf(id, [...SEAT_HOLDING, 'waiting'])).length;
          return {
            say: [],
            next: {
              to: 'flow',
              flowId: COURSE_CANCEL_FLOW,
              answers: { courseId: id, title: titleOf(course, member), count },
            },
          };
        }
        case CA.attended:
        case CA.completed:
        case CA.absent: {
          const mark = action === CA.attended ? 'attended' : action === CA.completed ? 'completed' : 'absent';
          const result = await tools.service.mark(actor, id, mark);
          if (!result.ok) return stay([{ raw: refusalOf(result, t) }]);
          const who = await deps.members.findById(result.value.memberId);
          const name = who?.consentAt && who.displayName ? who.displayName : t('courseAdmin:chat.memberNo', { id });
          return stay([text(`courseAdmin:marked.${mark}`, { id, name })]);
        }
        case CA.outcome: {
          // Refused before the question is asked: only a completed registration of a course she manages.
          const allowed = await tools.service.canRecordOutcome(actor, id);
          if (!allowed.ok) return stay([{ raw: refusalOf(allowed, t) }]);
          return { say: [], next: { to: 'flow', flowId: COURSE_OUTCOME_FLOW, answers: { registrationId: id } } };
        }
        default:
          return stay([text('common:errors.staleButton')]);
      }
    },
  };
}
