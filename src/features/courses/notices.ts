// What members and officers are told about courses without asking: an offered seat (with Accept / Decline), a lapsed
// offer, the day-before reminder, a change of date or venue, a cancellation, the three-month question (yes / partly /
// not yet), and the officer's notices (new registrations in one batch per course, "please check" at once, the list of
// members a message could not reach with their phones). Texts are in locales/<lng>/courseNotices.json; dates are
// formatted in the recipient's language and TIME_ZONE. Everything goes through the outbox in the caller's unit of
// work: stored with the records, sent after the commit.
import { text, type Said, type Translate } from '../../conversation/flow.ts';
import type { OutboxPort } from '../../conversation/outbox.ts';
import type { PushResult } from '../../conversation/messages.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import {
  contactIfConsented,
  type Course,
  type CourseRegistration,
  type TrainingOutcome,
} from '../../domain/courses.ts';
import type { Language, Member } from '../../domain/member.ts';
import { formatDateTime, formatIsoDate } from '../../domain/time.ts';
import { communeName, courseTitle } from './presenter.ts';
import { COURSE_ACCEPT, COURSE_DECLINE, COURSE_OUTCOME } from './actionNames.ts';

/** Why the officer is asked to look at a member at once. */
export type OfficerCheckReason = 'age' | 'child' | 'childNoPhone';

/** The message a member could not be reached with, for the officer's list. */
export type UndeliveredWhat = 'offer' | 'reminder' | 'changed' | 'cancelled' | 'outcome';

export interface CourseNotices {
  /** A freed seat held for her until `registration.offerExpiresAt`, with Accept / Decline buttons. */
  offer(member: Member, registration: CourseRegistration, course: Course): Promise<PushResult>;
  /** Her offer lapsed (she did not answer in time). */
  offerLapsed(member: Member, course: Course): Promise<PushResult>;
  /** The day-before reminder. */
  reminder(member: Member, course: Course): Promise<PushResult>;
  /** The course's dates or venue changed (the course as it is now). */
  changed(member: Member, course: Course): Promise<PushResult>;
  /** The course was cancelled: her registration or place on the waiting list too. */
  cancelled(member: Member, course: Course): Promise<PushResult>;
  /** Three months after completion: does she now earn from the skill? Buttons yes / partly / not yet. */
  outcomeQuestion(member: Member, registration: CourseRegistration, course: Course): Promise<PushResult>;
  /** The officer in charge: registrations she was not told of yet, in one message for the course. */
  newRegistrations(
    officer: Member,
    course: Course,
    entries: readonly { member: Member; registration: CourseRegistration; place: number | null }[],
  ): Promise<void>;
  /** The officer in charge, at once: a member needs her check (outside working age) or a call (a child). */
  officerCheck(officer: Member, course: Course, member: Member, reason: OfficerCheckReason): Promise<void>;
  /** The officer in charge: members a message could not reach, with their phones where given, to call them. */
  undelivered(officer: Member, course: Course, what: UndeliveredWhat, members: readonly Member[]): Promise<void>;
}

export function createCourseNotices(deps: {
  outbox: OutboxPort;
  areas: AreaDirectory;
  /** IANA zone of every date a person reads (TIME_ZONE). */
  timeZone: string;
  translator: (language: Language) => Translate;
}): CourseNotices {
  const { outbox } = deps;
  const send = (to: Member, said: Said[]) => outbox.send(to, said, { kind: 'course' });

  /** "xã Dân Tiến" in the reader's language; the code when the areas data does not know it. */
  const communeLabel = (code: string, language: Language) => communeName(code, deps.areas, deps.translator(language));

  /** The values every course message shows, in the reader's language. */
  const courseVars = (course: Course, language: Language) => ({
    id: course.id,
    title: courseTitle(course, language),
    start: formatIsoDate(course.startDate, language),
    end: formatIsoDate(course.endDate, language),
    schedule: course.schedule,
    address: course.address,
    commune: communeLabel(course.communeCode, language),
  });

  /**
   * "Lan (0912 345 678)" or "Lan (chưa cho số điện thoại)": who, and how to reach her. Every officer-facing line goes
   * through here, so her phone shows only where she consented (contactIfConsented, the roll call's rule).
   */
  const who = (member: Member) => ({
    name: member.displayName ?? '',
    phone: contactIfConsented(member).phone ?? '',
  });
  const memberLine = (member: Member, place: number | null) =>
    text(
      contactIfConsented(member).phone
        ? place === null
          ? 'courseNotices:officer.line'
          : 'courseNotices:officer.lineWaiting'
        : place === null
          ? 'courseNotices:officer.lineNoPhone'
          : 'courseNotices:officer.lineWaitingNoPhone',
      { ...who(member), place: place ?? 0 },
    );

  return {
    offer(member, registration, course) {
      const vars = {
        ...courseVars(course, member.language),
        deadline: registration.offerExpiresAt
          ? formatDateTime(registration.offerExpiresAt, deps.timeZone, member.language)
          : '',
      };
      return send(member, [
        {
          text: text('courseNotices:offer', vars),
          actions: [
            { label: text('courseNotices:buttons.accept'), action: `${COURSE_ACCEPT}:${registration.id}` },
            { label: text('courseNotices:buttons.decline'), action: `${COURSE_DECLINE}:${registration.id}` },
          ],
        },
      ]);
    },

    offerLapsed: (member, course) =>
      send(member, [text('courseNotices:offerLapsed', courseVars(course, member.language))]),

    reminder: (member, course) => send(member, [text('courseNotices:reminder', courseVars(course, member.language))]),

    changed: (member, course) => send(member, [text('courseNotices:changed', courseVars(course, member.language))]),

    cancelled: (member, course) => send(member, [text('courseNotices:cancelled', courseVars(course, member.language))]),

    outcomeQuestion(member, registration, course) {
      const button = (outcome: TrainingOutcome) => ({
        label: text(`courseNotices:buttons.outcome.${outcome}`),
        action: `${COURSE_OUTCOME}:${registration.id}-${outcome}`,
      });
      return send(member, [
        {
          text: text('courseNotices:outcomeQuestion', courseVars(course, member.language)),
          actions: [button('yes'), button('partly'), button('notYet')],
        },
      ]);
    },

    async newRegistrations(officer, course, entries) {
      const registered = entries.filter((e) => e.place === null);
      const waiting = entries.filter((e) => e.place !== null);
      await send(officer, [
        text('courseNotices:officer.newRegistrations', {
          ...courseVars(course, officer.language),
          count: entries.length,
          taken: course.seatsTaken,
          seats: course.seats,
        }),
        ...registered.map((e) => memberLine(e.member, null)),
        ...waiting.map((e) => memberLine(e.member, e.place)),
      ]);
    },

    async officerCheck(officer, course, member, reason) {
      await send(officer, [
        text(`courseNotices:officer.check.${reason}`, { ...courseVars(course, officer.language), ...who(member) }),
        memberLine(member, null),
      ]);
    },

    async undelivered(officer, course, what, members) {
      if (members.length === 0) return;
      await send(officer, [
        text(`courseNotices:officer.undelivered.${what}`, {
          ...courseVars(course, officer.language),
          count: members.length,
        }),
        ...members.map((m) => memberLine(m, null)),
      ]);
    },
  };
}
