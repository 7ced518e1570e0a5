// How the admin and officer chat tools show a course and its registrants: an officer's course card (dates in her
// language's format, deadline in TIME_ZONE, seats taken), the list of registrants and the waiting list (names and
// phones only of members who consented to pass them to the Union's officers), and the buttons she may use. Words
// are in locales/<lng>/courseAdmin.json.
import type { ActionMessage, Said, Translate } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Course, CourseRegistration } from '../../domain/courses.ts';
import type { Member } from '../../domain/member.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { formatDateTime, formatIsoDate } from '../../domain/time.ts';
import { unitLabel } from '../profile/areaInput.ts';
import type { RegistrantList } from '../courses/service.ts';

/** Action names of the admin and officer course tools ("<name>:<arg>"); unique across features. */
export const CA = {
  /** The course card (arg: course id). */
  course: 'caCourse',
  /** Registrants and waiting list (arg: course id). */
  list: 'caList',
  /** Edit a field (admin; arg: course id). */
  edit: 'caEdit',
  open: 'caOpen',
  close: 'caClose',
  /** Cancel the course, after a confirmation (admin; arg: course id). */
  cancel: 'caCancel',
  /** Attendance and completion (arg: registration id). */
  attended: 'caAttended',
  completed: 'caCompleted',
  absent: 'caAbsent',
  /** Record a three-month answer collected by phone (arg: registration id). */
  outcome: 'caOutcome',
} as const;
export type CourseAdminAction = (typeof CA)[keyof typeof CA];
export const COURSE_ADMIN_ACTIONS: readonly CourseAdminAction[] = Object.values(CA);

/** The course's title in her language (the Vietnamese one when there is no English title). */
export function titleOf(course: Pick<Course, 'titleVi' | 'titleEn'>, member: Pick<Member, 'language'>): string {
  return member.language === 'en' && course.titleEn ? course.titleEn : course.titleVi;
}

export function communeName(code: string | null, areas: AreaDirectory, t: Translate): string {
  const unit = areas.byCodeOrNull(code);
  return unit === null ? (code ?? '') : unitLabel(unit, t);
}

/** A member as an officer sees her on a list: her name and phone where she consented, else "a member (#id)". */
export function registrantLine(
  entry: { registration: CourseRegistration; member: Member; place?: number },
  t: Translate,
  areas: AreaDirectory,
): string {
  const { registration: r, member } = entry;
  const consented = member.consentAt !== null;
  const name = consented && member.displayName ? member.displayName : t('courseAdmin:chat.noContact');
  const phone = consented && member.phone ? formatVietnamesePhone(member.phone) : t('courseAdmin:chat.noPhone');
  const support = r.supportGroup === null ? '' : t(`courseAdmin:supportGroups.${r.supportGroup}`);
  return t('courseAdmin:chat.registrant', {
    id: r.id,
    name,
    phone,
    commune: communeName(member.communeCode, areas, t),
    support: support === '' ? t('courseAdmin:supportGroups.none') : support,
    status:
      entry.place === undefined
        ? t(`courseAdmin:regStatus.${r.status}`)
        : t('courseAdmin:chat.place', { place: entry.place }),
  });
}

export function createCoursePresenter(deps: { areas: AreaDirectory; timeZone: string }) {
  return {
    /** The course as an officer or admin sees it, with the buttons she may use. */
    card(course: Course, member: Member, t: Translate, heading?: string): ActionMessage {
      const lines = [
        ...(heading ? [heading] : []),
        t('courseAdmin:chat.card', {
          id: course.id,
          title: titleOf(course, member),
          status: t(`courseAdmin:status.${course.status}`),
          start: formatIsoDate(course.startDate, member.language),
          end: formatIsoDate(course.endDate, member.language),
          schedule: course.schedule,
          commune: communeName(course.communeCode, deps.areas, t),
          address: course.address,
          organiser: course.organiser,
          taken: course.seatsTaken,
          seats: course.seats,
          deadline: formatDateTime(course.registrationDeadline, deps.timeZone, member.language),
        }),
      ];
      const actions: ActionMessage['actions'] = [
        { label: text('courseAdmin:buttons.list'), action: `${CA.list}:${course.id}` },
      ];
      if (member.role === 'admin' && course.status !== 'cancelled') {
        actions.push({ label: text('courseAdmin:buttons.edit'), action: `${CA.edit}:${course.id}` });
        actions.push(
          course.status === 'open'
            ? { label: text('courseAdmin:buttons.close'), action: `${CA.close}:${course.id}` }
            : { label: text('courseAdmin:buttons.open'), action: `${CA.open}:${course.id}` },
        );
        actions.push({ label: text('courseAdmin:buttons.cancel'), action: `${CA.cancel}:${course.id}` });
      }
      return { text: { raw: lines.join('\n') }, actions };
    },

    /**
     * Registrants then the waiting list: one text listing everyone, then each registrant holding a seat with the
     * buttons to mark her (present, completed, absent; after completion, record a three-month answer).
     */
    registrants(list: RegistrantList, member: Member, t: Translate): Said[] {
      const { course } = list;
      const lines = [t('courseAdmin:chat.listTitle', { id: course.id, title: titleOf(course, member) })];
      if (list.registered.length === 0) lines.push(t('courseAdmin:chat.noneRegistered'));
      for (const entry of list.registered) lines.push(registrantLine(entry, t, deps.areas));
      lines.push('', t('courseAdmin:chat.waitingTitle', { count: list.waiting.length }));
      for (const entry of list.waiting) lines.push(registrantLine(entry, t, deps.areas));
      const said: Said[] = [{ raw: lines.join('\n') }];
      for (const { registration: r, member: m } of list.registered.slice(0, MAX_MARK_MESSAGES)) {
        if (r.status === 'offered') continue;
        const who =
          m.consentAt !== null && m.displayName ? m.displayName : t('courseAdmin:chat.memberNo', { id: r.id });
        const actions: ActionMessage['actions'] =
          r.status === 'completed'
            ? [{ label: text('courseAdmin:buttons.outcome'), action: `${CA.outcome}:${r.id}` }]
            : [
                ...(r.status !== 'attended'
                  ? [{ label: text('courseAdmin:buttons.attended'), action: `${CA.attended}:${r.id}` }]
                  : []),
                { label: text('courseAdmin:buttons.completed'), action: `${CA.completed}:${r.id}` },
                ...(r.status !== 'absent'
                  ? [{ label: text('courseAdmin:buttons.absent'), action: `${CA.absent}:${r.id}` }]
                  : []),
              ];
        said.push({
          text: text('courseAdmin:chat.markWho', {
            id: r.id,
            name: who,
            status: t(`courseAdmin:regStatus.${r.status}`),
          }),
          actions,
        });
      }
      return said;
    },
  };
}

/** At most this many registrants get their own message with marking buttons (the rest: typed commands, the CLI). */
const MAX_MARK_MESSAGES = 40;

export type CoursePresenter = ReturnType<typeof createCoursePresenter>;
