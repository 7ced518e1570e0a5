// Browsing the catalogue in chat: the courses open for registration, her commune's first then by start date
// (CourseService.browse), PAGE_SIZE at a time so a page fits the smallest phone; each course is an option (a button,
// or a numbered line on channels without buttons), then "Xem thêm lớp", "Lọc theo nghề" / "Xem tất cả các nghề",
// "Về menu". A course's details (dates in Vietnamese format, the deadline in local time, seats left, support,
// eligibility) come with "Đăng ký" while it takes registrations.
//
// The list is loaded in a flow's finish (async) and carried to the choice that shows it (COURSE_LIST_FLOW), as the
// credit answer's "Xem thêm" is: options are built from the answers, never stored elsewhere.
import type { Answers, ChoiceOption, Flow, FlowContext, FlowOutcome, Json } from '../../conversation/flow.ts';
import { answerText, prefilledOf, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import { COURSE_OCCUPATIONS, type CourseOccupation } from '../../domain/courses.ts';
import { compareWords, normalizeWords } from '../../domain/text.ts';
import { herRegistration, MY_COURSE_FLOW } from './mine.ts';
import { courseDetails, courseLine, isFull, takesRegistrations } from './presenter.ts';
import type { CourseService } from './service.ts';

/** The catalogue: her commune's courses first; with `filter` (an occupation) only that trade; `page` 0-based. */
export const COURSES_FLOW = 'courses';
/** One page of courses as a choice (answers: items, heading, page, total, filter). */
export const COURSE_LIST_FLOW = 'courseList';
/** A course's details (answers: courseId, and the list's filter and page to go back to). */
export const COURSE_DETAIL_FLOW = 'courseDetail';
export const COURSE_DETAIL_NEXT_FLOW = 'courseDetailNext';
/** Where "Đăng ký" leads (register.ts); answers: courseId. */
export const COURSE_REGISTER_FLOW = 'courseRegister';

export interface BrowseDeps {
  service: CourseService;
  areas: AreaDirectory;
  /** Every language's phrases of a locales list key (the occupations' typed words). */
  phrases: (key: string) => string[];
}

const isOccupation = (value: Json | undefined): value is CourseOccupation =>
  typeof value === 'string' && (COURSE_OCCUPATIONS as readonly string[]).includes(value);

/**
 * The trade the list is filtered by: chosen at the occupation step, carried from the list (`filter`), or read from
 * her words ("có lớp may không": the intent's reading, under PREFILL): the list shows that trade at once, with "Xem
 * tất cả các nghề" beside it, rather than asking her to confirm what she plainly said.
 */
function filterOf(answers: Answers): CourseOccupation | null {
  for (const value of [answers['occupation'], answers['filter'], prefilledOf(answers, 'occupation')?.value]) {
    if (isOccupation(value)) return value;
  }
  return null;
}

/** The typed words of each trade, in every language (locales courses:occupations.<code>.words). */
export function occupationWords(phrases: BrowseDeps['phrases']): Record<CourseOccupation, string[]> {
  return Object.fromEntries(
    COURSE_OCCUPATIONS.map((code) => [code, phrases(`courses:occupations.${code}.words`)]),
  ) as Record<CourseOccupation, string[]>;
}

/**
 * The trade named in what she typed ("có lớp may không" → sewing, "co lop nuoi ga ko" → livestock), or null. Words
 * are compared as typed (compareWords): "máy" with its marks is not "may", and a longer phrase ("sửa máy") beats a
 * shorter one ("may"); an exact match beats one typed without marks.
 */
export function occupationIn(input: string, words: Record<CourseOccupation, string[]>): CourseOccupation | null {
  const typed = normalizeWords(input)
    .split(' ')
    .filter((w) => w !== '');
  let best: { code: CourseOccupation; length: number; exact: boolean } | null = null;
  for (const code of COURSE_OCCUPATIONS) {
    for (const phrase of words[code]) {
      const length = normalizeWords(phrase).split(' ').length;
      for (let i = 0; i + length <= typed.length; i++) {
        const m = compareWords(typed.slice(i, i + length).join(' '), phrase);
        if (!m) continue;
        const exact = m === 'exact';
        if (!best || length > best.length || (length === best.length && exact && !best.exact)) {
          best = { code, length, exact };
        }
      }
    }
  }
  return best?.code ?? null;
}

export function createBrowseFlows(deps: BrowseDeps): Flow[] {
  const { service, areas } = deps;
  const words = occupationWords(deps.phrases);
  const occupationOptions = (): ChoiceOption[] => [
    ...COURSE_OCCUPATIONS.map((code) => ({
      value: code,
      label: text(`courses:occupations.${code}.label`),
      synonyms: words[code],
    })),
    { value: 'all', label: text('courses:browse.all') },
  ];

  /** One page of the list as the choice that shows it; an empty unfiltered catalogue says so and goes home. */
  async function listPage(ctx: FlowContext, filter: CourseOccupation | null, page: number): Promise<FlowOutcome> {
    const { t, member } = ctx;
    const found = await service.browse(member, { occupation: filter, page });
    const occupation = filter ? t(`courses:occupations.${filter}.label`) : '';
    if (found.total === 0 && filter === null) return { say: [text('courses:browse.none')], next: { to: 'home' } };
    // A page past the end (the list shrank since): back to the first.
    if (found.courses.length === 0 && page > 0) return listPage(ctx, filter, 0);
    const pages = Math.max(1, Math.ceil(found.total / found.pageSize));
    // "Các lớp học nghề (6 lớp, trang 2/2)"; a single page says no page at all.
    const where =
      pages > 1
        ? t('courses:browse.countPages', { count: found.total, page: found.page + 1, pages })
        : t('courses:browse.count', { count: found.total });
    const heading =
      found.total === 0
        ? t('courses:browse.noneOccupation', { occupation })
        : t(filter ? 'courses:browse.titleOccupation' : 'courses:browse.title', { where, occupation });
    const items = found.courses.map((c) => ({ id: c.id, label: courseLine(c, ctx, areas) }));
    const more = (found.page + 1) * found.pageSize < found.total;
    return {
      say: [],
      next: {
        to: 'flow',
        flowId: COURSE_LIST_FLOW,
        answers: { items, heading, page: found.page, more, filter },
      },
    };
  }

  const courses: Flow = {
    id: COURSES_FLOW,
    steps: [
      {
        // Asked when she asks to filter ("Lọc theo nghề").
        id: 'occupation',
        prompt: text('courses:browse.askOccupation'),
        input: { kind: 'choice', options: occupationOptions },
        when: (answers) => answers['askOccupation'] === true,
      },
    ],
    finish: async (ctx) => listPage(ctx, filterOf(ctx.answers), Number(ctx.answers['page'] ?? 0) || 0),
  };

  const itemsOf = (answers: Answers): { id: number; label: string }[] => {
    const items = answers['items'];
    if (!Array.isArray(items)) return [];
    return items.flatMap((item) =>
      item && typeof item === 'object' && !Array.isArray(item) && typeof item['id'] === 'number'
        ? [{ id: item['id'], label: answerText(item['label']) }]
        : [],
    );
  };
  const back = (answers: Answers): Answers => ({ filter: answers['filter'] ?? null, page: answers['page'] ?? 0 });

  const list: Flow = {
    id: COURSE_LIST_FLOW,
    steps: [
      {
        id: 'pick',
        prompt: ({ answers }) => ({ raw: answerText(answers['heading']) }),
        input: {
          kind: 'choice',
          // The courses, then "more" (only while there is more), "previous" (past the first page), the filter, the menu.
          options: ({ answers }) => [
            ...itemsOf(answers).map((item) => ({ value: `course:${item.id}`, label: { raw: item.label } })),
            ...(answers['more'] === true ? [{ value: 'more', label: text('courses:browse.more') }] : []),
            ...(Number(answers['page'] ?? 0) > 0
              ? [{ value: 'previous', label: text('courses:browse.previous') }]
              : []),
            isOccupation(answers['filter'])
              ? { value: 'all', label: text('courses:browse.all') }
              : { value: 'filter', label: text('courses:browse.filter') },
            { value: 'menu', label: text('courses:browse.menu') },
          ],
        },
      },
    ],
    // Seats and courses change: the page is read again when she comes back to it (Flow.reload).
    reload: (answers) => ({ to: 'flow', flowId: COURSES_FLOW, answers: back(answers) }),
    finish: async ({ answers }): Promise<FlowOutcome> => {
      const pick = answerText(answers['pick']);
      const page = Number(answers['page'] ?? 0) || 0;
      if (pick.startsWith('course:')) {
        const courseId = Number(pick.slice('course:'.length));
        return { say: [], next: { to: 'flow', flowId: COURSE_DETAIL_FLOW, answers: { courseId, ...back(answers) } } };
      }
      switch (pick) {
        case 'more':
          return {
            say: [],
            next: { to: 'flow', flowId: COURSES_FLOW, answers: { filter: answers['filter'] ?? null, page: page + 1 } },
          };
        case 'previous':
          return {
            say: [],
            next: {
              to: 'flow',
              flowId: COURSES_FLOW,
              answers: { filter: answers['filter'] ?? null, page: Math.max(0, page - 1) },
            },
          };
        case 'filter':
          return { say: [], next: { to: 'flow', flowId: COURSES_FLOW, answers: { askOccupation: true } } };
        case 'all':
          return { say: [], next: { to: 'flow', flowId: COURSES_FLOW } };
        default:
          return { say: [], next: { to: 'home' } };
      }
    },
  };

  const detail: Flow = {
    id: COURSE_DETAIL_FLOW,
    steps: [],
    finish: async (ctx) => {
      const course = await service.get(Number(ctx.answers['courseId']));
      if (!course || course.status === 'draft') {
        return {
          say: [text('courses:detail.notFound')],
          next: { to: 'flow', flowId: COURSES_FLOW, answers: back(ctx.answers) },
        };
      }
      // Her own course (registered, waiting, offered...): the page reads from her side, with what she can do.
      const hers = await herRegistration(service, ctx.member, course.id);
      if (hers) {
        const from = { to: 'flow', flowId: COURSES_FLOW, answers: back(ctx.answers) };
        return {
          say: [],
          next: { to: 'flow', flowId: MY_COURSE_FLOW, answers: { registrationId: hers.registration.id, back: from } },
        };
      }
      const open = takesRegistrations(course, ctx.now);
      return {
        say: [{ raw: courseDetails(course, ctx, areas) }],
        next: {
          to: 'flow',
          flowId: COURSE_DETAIL_NEXT_FLOW,
          answers: { courseId: course.id, open, full: open && isFull(course), ...back(ctx.answers) },
        },
      };
    },
  };

  const detailNext: Flow = {
    id: COURSE_DETAIL_NEXT_FLOW,
    steps: [
      {
        id: 'next',
        prompt: text('courses:detail.ask'),
        input: {
          kind: 'choice',
          options: ({ answers }) => [
            // Full when she looked: she is told so, and the button says what it does.
            ...(answers['open'] === true
              ? [
                  {
                    value: 'register',
                    label: text(answers['full'] === true ? 'courses:detail.joinWaiting' : 'courses:detail.register'),
                  },
                ]
              : []),
            { value: 'back', label: text('courses:detail.back') },
            { value: 'menu', label: text('courses:browse.menu') },
          ],
        },
      },
    ],
    // The seats left and her own registration change: the page is read again when she comes back to it.
    reload: (answers) => ({
      to: 'flow',
      flowId: COURSE_DETAIL_FLOW,
      answers: { courseId: answers['courseId'] ?? null, ...back(answers) },
    }),
    finish: async ({ answers }) => {
      switch (answers['next']) {
        case 'register':
          return {
            say: [],
            next: {
              to: 'flow',
              flowId: COURSE_REGISTER_FLOW,
              answers: {
                courseId: answers['courseId'] ?? null,
                ...(answers['full'] === true ? { waitingList: true } : {}),
              },
            },
          };
        case 'back':
          return { say: [], next: { to: 'flow', flowId: COURSES_FLOW, answers: back(answers) } };
        default:
          return { say: [], next: { to: 'home' } };
      }
    },
  };

  return [courses, list, detail, detailNext];
}
