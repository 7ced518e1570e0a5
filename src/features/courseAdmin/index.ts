// The admin's and officer's side of the vocational courses in the chat: admins create a course by a guided flow,
// edit a field, open or close registration and cancel it (everyone registered or waiting is told, by the service);
// officers see the courses they are in charge of (province officers and admins: all), the registrants and the
// waiting list, mark attendance and completion, and record a three-month answer collected by phone. The rules are
// the courses service's (src/features/courses/service.ts); this module only asks and shows. Texts:
// locales/<lng>/courseAdmin.json. The admin command line does the same and more (src/cli/admin/courses.ts).
import type { AreaDirectory } from '../../domain/areas.ts';
import type { MemberRepository } from '../../domain/member.ts';
import type { OfficerRepository } from '../../domain/officers.ts';
import type { FeatureModule } from '../module.ts';
import { createCourseAdminActions } from './actions.ts';
import { createCourseAdminFlows, createCourseMenuEntry, myCoursesMenuEntry } from './flows.ts';
import { createCoursePresenter } from './present.ts';
import type { CourseTools } from './tools.ts';

export interface CourseAdminDeps {
  /** The courses service and repository; in the chat, `run` joins the turn's unit of work. */
  tools: CourseTools;
  areas: AreaDirectory;
  officers: Pick<OfficerRepository, 'list' | 'areasOf'>;
  members: Pick<MemberRepository, 'findById'>;
  /** IANA zone of every date a person reads (TIME_ZONE). */
  timeZone: string;
  /** Every language's phrases of a locales list key, as written (the typed commands' words). */
  phrases: (key: string) => string[];
}

export function courseAdminFeature(deps: CourseAdminDeps): FeatureModule {
  const presenter = createCoursePresenter(deps);
  return {
    name: 'courseAdmin',
    flows: createCourseAdminFlows({ ...deps, presenter }),
    // After every feature's entries: the numbers officers learnt for theirs keep meaning the same items.
    menuAtEnd: [createCourseMenuEntry, myCoursesMenuEntry],
    actions: createCourseAdminActions({ ...deps, presenter }),
  };
}
