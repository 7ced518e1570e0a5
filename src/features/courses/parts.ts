// What the courses feature is built from (its dependencies) and what its chat flows are built on (./flows.ts).
import type { Translate } from '../../conversation/flow.ts';
import type { OutboxPort } from '../../conversation/outbox.ts';
import type { Clock, Logger, Transactor } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { CourseRepository, CourseSupportPolicy } from '../../domain/courses.ts';
import type { Language, MemberRepository } from '../../domain/member.ts';
import type { OfficerRepository } from '../../domain/officers.ts';
import type { ConsentRepository } from '../../domain/privacy.ts';
import type { CourseActionWords } from './actions.ts';
import type { CourseNotices } from './notices.ts';
import type { CourseServiceInternals } from './service.ts';

export interface CoursesModuleDeps {
  courses: CourseRepository;
  members: MemberRepository;
  officers: OfficerRepository;
  areas: AreaDirectory;
  outbox: OutboxPort;
  /** prisma/data/course-support.json (COURSE_SUPPORT_FILE), checked at start. */
  coursePolicy: CourseSupportPolicy;
  transactor: Transactor;
  translator: (language: Language) => Translate;
  clock: Clock;
  /** IANA zone of every date a person reads (TIME_ZONE). */
  timeZone: string;
  logger: Logger;
  /** COURSE_OFFER_HOURS (default 24) and COURSE_REMINDER_HOUR (default 8). */
  courseOfferHours?: number;
  courseReminderHour?: number;
  /** The typed forms of the courses' buttons, folded (locales courseNotices:words.*). */
  courseWords: CourseActionWords;
  /** Every language's phrases of a locales list key (the chat: the trades' typed words). */
  phrases: (key: string) => string[];
  /** Her consent decisions (the chat: the consent to the sensitive support questions). */
  consents: ConsentRepository;
}

/** What the chat flows are built on (./flows.ts). */
export interface CourseFeatureParts {
  service: CourseServiceInternals;
  notices: CourseNotices;
  deps: CoursesModuleDeps;
}
