// The courses' buttons, run outside her current question: an offer's Accept / Decline and the three-month answer.
// On channels without buttons the same is typed ("nhan cho 12", "tu choi 12", "ket qua 12 co"): the words are in
// locales/<lng>/courseNotices.json "words" and "typed".
import type { ActionHandler, FlowOutcome, Translate } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import { TRAINING_OUTCOMES, type TrainingOutcome } from '../../domain/courses.ts';
import { fold } from '../../domain/text.ts';
import { COURSE_ACCEPT, COURSE_ACTIONS, COURSE_DECLINE, COURSE_OUTCOME } from './actionNames.ts';
import type { CourseService } from './service.ts';

export { COURSE_ACCEPT, COURSE_ACTIONS, COURSE_DECLINE, COURSE_OUTCOME };

/** The typed words of each button, folded, in every language (locales courseNotices:words.*). */
export type CourseActionWords = Record<'accept' | 'decline' | TrainingOutcome, readonly string[]> & {
  outcome: readonly string[];
};

const TYPED = /^(.+?)\s*#?\s*(\d{1,9})(?:\s+(.+))?$/;

/** The handler of the courses' buttons and typed commands (FeatureActions with COURSE_ACTIONS). */
export function createCourseActions(deps: { service: CourseService; words: CourseActionWords }): ActionHandler {
  const stay = (say: FlowOutcome['say']): FlowOutcome => ({ say, next: { to: 'stay' } });

  return {
    parseTyped(input) {
      const m = TYPED.exec(fold(input).trim());
      if (!m) return null;
      const [, verb = '', id = '', rest] = m;
      if (rest === undefined) {
        if (deps.words.accept.includes(verb)) return { name: COURSE_ACCEPT, arg: id };
        if (deps.words.decline.includes(verb)) return { name: COURSE_DECLINE, arg: id };
        return null;
      }
      if (!deps.words.outcome.includes(verb)) return null;
      const outcome = TRAINING_OUTCOMES.find((o) => deps.words[o].includes(rest.trim()));
      return outcome ? { name: COURSE_OUTCOME, arg: `${id}-${outcome}` } : null;
    },

    typedFor(action: string, t: Translate) {
      const [name = '', arg = ''] = action.split(':');
      if (name === COURSE_ACCEPT) return t('courseNotices:typed.accept', { id: arg });
      if (name === COURSE_DECLINE) return t('courseNotices:typed.decline', { id: arg });
      if (name === COURSE_OUTCOME) {
        const [id = '', outcome = ''] = arg.split('-');
        return t(`courseNotices:typed.outcome.${outcome}`, { id });
      }
      return undefined;
    },

    async run({ member }, name, arg) {
      const [idText = '', outcomeText] = arg.split('-');
      const id = Number(idText);
      if (!Number.isSafeInteger(id) || id <= 0) return stay([text('common:errors.staleButton')]);
      switch (name) {
        case COURSE_ACCEPT: {
          const result = await deps.service.acceptOffer(member, id);
          if (result.ok) {
            return stay([
              text('courseNotices:replies.accepted', { id: result.registration.courseId }),
              ...(result.officerCheck ? [text('courses:register.officerCheck')] : []),
            ]);
          }
          return stay([text(`courseNotices:replies.${result.reason === 'lapsed' ? 'lapsed' : 'offerGone'}`)]);
        }
        case COURSE_DECLINE: {
          const result = await deps.service.declineOffer(member, id);
          return stay([text(result.ok ? 'courseNotices:replies.declined' : 'courseNotices:replies.offerGone')]);
        }
        case COURSE_OUTCOME: {
          const outcome = TRAINING_OUTCOMES.find((o) => o === outcomeText);
          if (!outcome) return stay([text('common:errors.staleButton')]);
          const result = await deps.service.recordOutcome(id, outcome, { kind: 'chat', member });
          return stay([text(result.ok ? `courseNotices:replies.outcome.${outcome}` : 'common:errors.staleButton')]);
        }
        default:
          return stay([text('common:errors.staleButton')]);
      }
    },
  };
}
