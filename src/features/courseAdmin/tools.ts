// What the admin and officer tools for courses work with, whatever their entry point (the admin command line, the
// chat commands): the courses service (the single place of the rules), the reads of its repository the lists need,
// and the unit of work their changes are committed in.
import type { CourseRepository } from '../../domain/courses.ts';
import type { MemberRepository } from '../../domain/member.ts';
import type { CourseService } from '../courses/service.ts';

export interface CourseTools {
  service: CourseService;
  /** Reads for the lists: the catalogue, a course's registrations in order. */
  repository: Pick<CourseRepository, 'listAll' | 'registrationsOf'>;
  members: Pick<MemberRepository, 'findById'>;
  /**
   * One unit of work: what `work` writes (records and the messages to members it sends through the outbox) is
   * committed together, or not at all when it throws. Inside a turn it joins the turn's.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
}
