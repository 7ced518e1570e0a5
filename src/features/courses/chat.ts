// The member's side of the courses in chat, assembled: browse (./browse.ts), register (./register.ts), her
// registrations (./mine.ts), the menu entries, and the intents members reach them with in their own words ("em muốn
// đi học nghề", "co khoa hoc nao", "khi nao lop bat dau", "em không đi học được nữa"), whose examples are in
// locales/<lng>/courses.json "intents".
import type { Flow, Json } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { MenuEntry } from '../menu/flow.ts';
import type { IntentDeclaration } from '../understanding.ts';
import { COURSES_FLOW, createBrowseFlows, occupationIn, occupationWords, type BrowseDeps } from './browse.ts';
import { COURSE_CANCEL_FLOW, createMineFlows, MY_COURSES_FLOW } from './mine.ts';
import { createRegisterFlows, type RegisterDeps } from './register.ts';

export type CourseChatDeps = BrowseDeps & RegisterDeps;

/**
 * The courses' menu entries. They come after every other feature's entries (FeatureModule.menuAtEnd), so the numbers
 * members learnt for the existing items keep their meaning. Browsing is public information (everyone); her
 * registrations need her consent.
 */
export const courseMenuAtEnd: MenuEntry[] = [
  { flowId: COURSES_FLOW, label: text('courses:menu.browse'), audience: 'everyone' },
  { flowId: MY_COURSES_FLOW, label: text('courses:menu.mine'), audience: 'consented' },
];

export function createCourseChat(deps: CourseChatDeps): { flows: Flow[]; intents: IntentDeclaration[] } {
  const words = occupationWords(deps.phrases);
  const intents: IntentDeclaration[] = [
    {
      // "có lớp may không": the list shows that trade at once (browse.ts, filterOf).
      id: 'courses',
      namespace: 'courses',
      flowId: COURSES_FLOW,
      read: (input): Record<string, Json> => {
        const occupation = occupationIn(input, words);
        return occupation ? { occupation } : {};
      },
    },
    { id: 'myCourses', namespace: 'courses', flowId: MY_COURSES_FLOW },
    // Cancels a registration: it only ever opens a confirmation (then the course, named), and is read only from a
    // message naming a course, a class or the waiting list (intents.courseCancel.needs). Not `destructive`: nothing is
    // erased, and the distinctive-words gate turned away her ordinary words ("cho em huy dang ky lop hoc").
    { id: 'courseCancel', namespace: 'courses', flowId: COURSE_CANCEL_FLOW, cancels: true },
  ];
  return {
    flows: [...createBrowseFlows(deps), ...createRegisterFlows(deps), ...createMineFlows(deps)],
    intents,
  };
}
