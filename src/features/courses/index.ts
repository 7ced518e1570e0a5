// The courses feature, assembled: the service (the one place of the rules: catalogue, seats, waiting list, offers,
// attendance, outcomes, report), the notices it sends through the outbox, the jobs (offers lapsing, the officers'
// hourly batch, the day-before reminder, the three-month question), the buttons (Accept / Decline an offer, the
// three-month answer) and the personal-data kind of her registrations; and the chat (flows, menu entries, intents)
// from ./flows.ts. Built once per runtime.
import type { FeatureModule } from '../module.ts';
import { COURSE_ACTIONS, createCourseActions } from './actions.ts';
import { courseIntents, courseMenuAtEnd, courseMenuEntries, createCourseFlows } from './flows.ts';
import { courseJobDefinitions, createCourseJobs } from './jobs.ts';
import { createCourseNotices } from './notices.ts';
import type { CourseFeatureParts, CoursesModuleDeps } from './parts.ts';
import { courseRegistrationsDataKind } from './personalData.ts';
import { createCourseService } from './service.ts';

export type { CourseFeatureParts, CoursesModuleDeps };

/** The courses feature's module, with its service (for the admin CLI, the admin chat, the tests). */
export function coursesFeature(deps: CoursesModuleDeps) {
  const notices = createCourseNotices(deps);
  const service = createCourseService({
    ...deps,
    notices,
    policy: deps.coursePolicy,
    offerHours: deps.courseOfferHours ?? 24,
  });
  const jobs = createCourseJobs({ ...deps, service, notices });
  const parts: CourseFeatureParts = { service, notices, deps };
  const handler = createCourseActions({ service, words: deps.courseWords });
  const module: FeatureModule = {
    name: 'courses',
    flows: createCourseFlows(parts),
    menu: courseMenuEntries,
    menuAtEnd: courseMenuAtEnd,
    actions: { names: COURSE_ACTIONS, ...handler },
    jobs: courseJobDefinitions(jobs, {
      reminderHour: deps.courseReminderHour ?? 8,
      timeZone: deps.timeZone,
      logger: deps.logger,
    }),
    personalData: [courseRegistrationsDataKind(service)],
    intents: courseIntents(parts),
  };
  return { module, service, jobs, notices };
}

export type CoursesFeature = ReturnType<typeof coursesFeature>;
