// The course work nobody asks for, run by the job runner (app/jobs: each run claimed by one instance):
//   courses.lapseOffers    every minute: offers past their deadline lapse, each seat goes to the next waiting member;
//   courses.officerBatch   every hour: the officer in charge gets ONE message per course listing the registrations
//                          she was not told of (at most hourly; "please check" ones went at once);
//   courses.reminders      daily at COURSE_REMINDER_HOUR: registrants of courses starting tomorrow are reminded;
//   courses.outcomes       daily at COURSE_REMINDER_HOUR: three months after completion, "do you earn from it?".
// Exactly once: each message is written to the outbox in the same transaction as its mark on the registration
// (officerToldAt, remindedFor = the start date, outcomeAskedAt), so a crash or restart repeats nothing and misses
// nothing: a run that died is run again by the runner and finds the marks of what was done. A member out of reach
// (Zalo outside its window, a blocked bot) gets it when she next writes (the outbox's held rows), and the officer in
// charge gets her name and phone in the same transaction.
import { z } from 'zod';
import type { Clock, Logger, Transactor } from '../../conversation/ports.ts';
import { threeMonthsAfter, type CourseRegistration, type CourseRepository } from '../../domain/courses.ts';
import { dailyAt, defineJob, everyMinutes, type JobDefinition } from '../../domain/jobs.ts';
import type { Member, MemberRepository } from '../../domain/member.ts';
import { localIsoDate } from '../../domain/time.ts';
import type { CourseNotices } from './notices.ts';
import type { CourseServiceInternals } from './service.ts';

const DAY_MS = 86_400_000;
/** Rows one pass reads (a pass loops until nothing is left). */
const BATCH = 200;

export interface CourseJobsDeps {
  courses: CourseRepository;
  members: Pick<MemberRepository, 'findById'>;
  service: CourseServiceInternals;
  notices: CourseNotices;
  transactor: Transactor;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

export function createCourseJobs(deps: CourseJobsDeps) {
  const { courses, notices } = deps;
  const unit = <T>(work: () => Promise<T>) => deps.transactor.run(work);
  const now = () => deps.clock.now();

  return {
    /** Offers past their deadline lapse; each seat is offered to the next waiting member. Returns how many lapsed. */
    lapseOffers: () => deps.service.lapseOffers(),

    /**
     * The officers' batched notice: per course, one message with every registration not told yet, marked told in
     * the same transaction. Returns how many courses were reported.
     */
    async tellOfficers(): Promise<number> {
      const untold = await courses.untold(BATCH * 10);
      const byCourse = new Map<number, CourseRegistration[]>();
      for (const r of untold) byCourse.set(r.courseId, [...(byCourse.get(r.courseId) ?? []), r]);
      let told = 0;
      for (const [courseId, registrations] of byCourse) {
        await unit(async () => {
          const course = await courses.get(courseId);
          if (!course) return;
          const entries = [];
          for (const registration of registrations) {
            // Compare-and-set on the status it had: a registration that moved meanwhile waits for the next batch.
            const marked = await courses.transition(registration.id, [registration.status], { officerToldAt: now() });
            const member = await deps.members.findById(registration.memberId);
            if (!marked || !member) continue;
            const place = marked.status === 'waiting' ? await courses.waitingPlace(marked.id) : null;
            entries.push({ member, registration: marked, place });
          }
          if (entries.length === 0 || course.status === 'cancelled') return;
          for (const officer of await deps.service.officersFor(course)) {
            await notices.newRegistrations(officer, course, entries);
          }
          told++;
        });
      }
      return told;
    },

    /**
     * The day-before reminder for the courses starting the day after `day` (a local date): each registrant once per
     * start date (remindedFor), the ones it cannot reach listed to the officer. Returns how many were reminded.
     */
    async sendReminders(day: string): Promise<number> {
      const tomorrow = localIsoDate(new Date(Date.parse(`${day}T12:00:00Z`) + DAY_MS), 'UTC');
      let reminded = 0;
      for (const course of await courses.coursesStarting(tomorrow)) {
        reminded += await unit(async () => {
          const missed: Member[] = [];
          let sent = 0;
          for (const registration of await courses.registrationsOf(course.id, ['registered', 'offered'])) {
            if (registration.remindedFor === course.startDate) continue;
            const marked = await courses.transition(registration.id, [registration.status], {
              remindedFor: course.startDate,
            });
            const member = await deps.members.findById(registration.memberId);
            if (!marked || !member) continue;
            sent++;
            if ((await notices.reminder(member, course)) !== 'sent') missed.push(member);
          }
          if (missed.length > 0) {
            for (const officer of await deps.service.officersFor(course)) {
              await notices.undelivered(officer, course, 'reminder', missed);
            }
          }
          return sent;
        });
      }
      return reminded;
    },

    /**
     * The three-month question, once per completion (outcomeAskedAt): to everyone whose course was completed three
     * calendar months ago or more (local dates). Out of reach: held by the outbox until she next writes, and the
     * officer is told (an officer can record the answer she collects by phone). Returns how many were asked.
     */
    async askOutcomes(): Promise<number> {
      const today = localIsoDate(now(), deps.timeZone);
      // Three calendar months are at least 89 days: read those, keep the ones due by the calendar.
      const due = await courses.dueOutcomes(new Date(now().getTime() - 89 * DAY_MS), BATCH * 10);
      let asked = 0;
      for (const registration of due) {
        const completed = registration.completedAt;
        if (!completed || threeMonthsAfter(localIsoDate(completed, deps.timeZone)) > today) continue;
        await unit(async () => {
          const marked = await courses.transition(registration.id, ['completed'], { outcomeAskedAt: now() });
          const member = await deps.members.findById(registration.memberId);
          const course = await courses.get(registration.courseId);
          if (!marked || !member || !course) return;
          asked++;
          if ((await notices.outcomeQuestion(member, marked, course)) !== 'sent') {
            for (const officer of await deps.service.officersFor(course)) {
              await notices.undelivered(officer, course, 'outcome', [member]);
            }
          }
        });
      }
      return asked;
    },
  };
}

export type CourseJobs = ReturnType<typeof createCourseJobs>;

/** Recurring jobs take no payload. */
const noPayload = z.object({}).strict();

/** The courses' recurring jobs (see the head of this file). */
export function courseJobDefinitions(
  jobs: CourseJobs,
  options: { reminderHour: number; timeZone: string; logger: Logger },
): JobDefinition[] {
  const at = `${String(options.reminderHour).padStart(2, '0')}:00`;
  return [
    defineJob({
      kind: 'courses.lapseOffers',
      schedule: everyMinutes(1),
      payload: noPayload,
      async run() {
        const lapsed = await jobs.lapseOffers();
        if (lapsed > 0) options.logger.info({ lapsed }, 'course offers lapsed');
      },
    }),
    defineJob({
      kind: 'courses.officerBatch',
      schedule: everyMinutes(60),
      payload: noPayload,
      async run() {
        const courses = await jobs.tellOfficers();
        if (courses > 0) options.logger.info({ courses }, 'officers told of new course registrations');
      },
    }),
    defineJob({
      kind: 'courses.reminders',
      schedule: dailyAt(at),
      payload: noPayload,
      async run(_payload, context) {
        const reminded = await jobs.sendReminders(localIsoDate(context.dueAt, options.timeZone));
        options.logger.info({ reminded }, 'course reminders sent');
      },
    }),
    defineJob({
      kind: 'courses.outcomes',
      schedule: dailyAt(at),
      payload: noPayload,
      async run() {
        const asked = await jobs.askOutcomes();
        options.logger.info({ asked }, 'three-month course questions asked');
      },
    }),
  ];
}
