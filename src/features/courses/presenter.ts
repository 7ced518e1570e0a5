// How courses read for a member: a one-line label for lists and buttons ("May công nghiệp · 16/03/2026 · Xã Đại
// Từ"), the details of a course, the status of her registration, her support level. Every date is a local calendar
// date (Course.startDate/endDate, "YYYY-MM-DD") or a moment shown in TIME_ZONE (the deadline, an offer's expiry),
// Vietnamese format in Vietnamese (domain/time.ts). Wording is in locales/<lng>/courses.json.
import type { FlowContext, Json, Translate } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Course, CourseRegistration, SupportDecision } from '../../domain/courses.ts';
import type { Language } from '../../domain/member.ts';
import { formatDateTime, formatIsoDate } from '../../domain/time.ts';
import { formatVndExact } from '../credit/format.ts';
import { unitLabel } from '../profile/areaInput.ts';

/** The course's title in her language (the Vietnamese one when it has no English title). */
export const courseTitle = (course: Pick<Course, 'titleVi' | 'titleEn'>, language: Language): string =>
  language === 'en' && course.titleEn ? course.titleEn : course.titleVi;

/** "Xã Đại Từ" for a commune code; the bare code when the area file does not know it (never empty). */
export function communeName(code: string | null, areas: AreaDirectory, t: Translate): string {
  const unit = areas.byCodeOrNull(code);
  return unit ? unitLabel(unit, t) : (code ?? '');
}

/**
 * One short line for a list or a button: title · start date · commune, then what stops her registering right away
 * when something does ("hết chỗ, còn danh sách chờ", "tạm dừng nhận đăng ký", "đã hết hạn đăng ký"): the list holds
 * closed courses not yet started too, and a member must not take one for open.
 */
export function courseLine(
  course: Course,
  ctx: Pick<FlowContext, 't' | 'member' | 'now'>,
  areas: AreaDirectory,
): string {
  const language = ctx.member.language;
  const line = ctx.t('courses:browse.line', {
    title: courseTitle(course, language),
    start: formatIsoDate(course.startDate, language),
    commune: communeName(course.communeCode, areas, ctx.t),
  });
  const mark = registrationMark(course, ctx.now);
  return mark ? ctx.t('courses:browse.lineMarked', { line, mark: ctx.t(`courses:browse.mark.${mark}`) }) : line;
}

/** Why a course shown to members does not take a plain registration now, or null when it does. */
export function registrationMark(course: Course, now: Date): 'cancelled' | 'closed' | 'deadlinePassed' | 'full' | null {
  if (course.status === 'cancelled') return 'cancelled';
  if (course.status !== 'open') return 'closed';
  if (now > course.registrationDeadline) return 'deadlinePassed';
  return isFull(course) ? 'full' : null;
}

/** Every seat taken (she may still join the waiting list while the course takes registrations). */
export const isFull = (course: Pick<Course, 'seats' | 'seatsTaken'>): boolean => course.seatsTaken >= course.seats;

/** Her registration for the course a page shows, with her place when waiting (CourseService.mine). */
export interface HerRegistration {
  registration: Pick<CourseRegistration, 'status' | 'offerExpiresAt'>;
  place: number | null;
}

/**
 * The details of a course, one fact a line: title, trade, venue, dates, schedule, organiser, seats left (or full,
 * with the waiting list), the registration deadline in local time (or "closed"), its support, eligibility notes.
 * With `her` (her registration for it: registered, waiting, offered...) the page reads from her side: no "you may
 * join the waiting list", no "when you register I will ask...", and her status last ("Tình trạng: Đang chờ, vị trí
 * số 2"); without it, what registering means now (full: the waiting list; Decision 46: a few questions).
 */
export function courseDetails(
  course: Course,
  ctx: FlowContext,
  areas: AreaDirectory,
  her: HerRegistration | null = null,
): string {
  const { t, member, now, timeZone } = ctx;
  const language = member.language;
  const left = Math.max(0, course.seats - course.seatsTaken);
  const deadline = formatDateTime(course.registrationDeadline, timeZone, language);
  const registering = her === null && takesRegistrations(course, now);
  const lines = [
    t('courses:detail.title', { title: courseTitle(course, language) }),
    t('courses:detail.occupation', { occupation: t(`courses:occupations.${course.occupation}.label`) }),
    t('courses:detail.where', { address: course.address, commune: communeName(course.communeCode, areas, t) }),
    t('courses:detail.when', {
      start: formatIsoDate(course.startDate, language),
      end: formatIsoDate(course.endDate, language),
    }),
    ...(course.schedule ? [t('courses:detail.schedule', { schedule: course.schedule })] : []),
    t('courses:detail.organiser', { organiser: course.organiser }),
    left > 0
      ? t('courses:detail.seatsLeft', { left, seats: course.seats })
      : t(registering ? 'courses:detail.fullWaiting' : 'courses:detail.full', { seats: course.seats }),
    course.status === 'cancelled'
      ? t('courses:detail.cancelled')
      : course.status !== 'open'
        ? t('courses:detail.closed')
        : now > course.registrationDeadline
          ? t('courses:detail.deadlinePassed', { deadline })
          : t('courses:detail.deadline', { deadline }),
    t(course.support === 'decision46' ? 'courses:detail.supportDecision46' : 'courses:detail.supportNone'),
    ...(course.support === 'decision46' && registering ? [t('courses:detail.supportAsk')] : []),
    ...(course.eligibilityNotes ? [t('courses:detail.eligibility', { notes: course.eligibilityNotes })] : []),
    ...(her ? [t('courses:mine.statusLine', { status: registrationStatus(her.registration, her.place, ctx) })] : []),
  ];
  return lines.join('\n');
}

/** Whether the course takes registrations now (open, deadline not passed): its details then offer "Đăng ký". */
export const takesRegistrations = (course: Course, now: Date): boolean =>
  course.status === 'open' && now <= course.registrationDeadline;

/** Her registration's status as she reads it: "Đang chờ, vị trí số 3", "Có chỗ cho chị, xác nhận trước 08:00 …". */
export function registrationStatus(
  registration: Pick<CourseRegistration, 'status' | 'offerExpiresAt'>,
  place: number | null,
  ctx: Pick<FlowContext, 't' | 'member' | 'timeZone'>,
): string {
  const deadline = registration.offerExpiresAt
    ? formatDateTime(registration.offerExpiresAt, ctx.timeZone, ctx.member.language)
    : '';
  return ctx.t(`courses:mine.status.${registration.status}`, { place: place ?? '?', deadline });
}

/** What her support decision means for her, in one sentence (the amount from the policy file, via the service). */
export function supportSentence(decision: SupportDecision, ctx: Pick<FlowContext, 't' | 'member'>): string {
  switch (decision.kind) {
    case 'group':
      return ctx.t('courses:register.support.group', {
        amount: formatVndExact(decision.vnd, ctx.member.language, ctx.t),
      });
    case 'alreadySupported':
      return ctx.t('courses:register.support.alreadySupported');
    case 'none':
      return ctx.t('courses:register.support.none');
  }
}

/**
 * A course kept in a flow's answers (JSON: dates become strings) and read back: the form's `when` conditions need it
 * synchronously (the support questions). Null when the answers hold none.
 */
export function courseFromJson(value: Json | undefined): Course | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const raw = value as unknown as Record<string, unknown>;
  const date = (key: string): Date | null => (typeof raw[key] === 'string' ? new Date(raw[key]) : null);
  return {
    ...(raw as unknown as Course),
    registrationDeadline: date('registrationDeadline') ?? new Date(0),
    cancelledAt: date('cancelledAt'),
    createdAt: date('createdAt') ?? new Date(0),
    updatedAt: date('updatedAt') ?? new Date(0),
  };
}

/** A course as a flow answer (see courseFromJson). */
export const courseToJson = (course: Course): Json => JSON.parse(JSON.stringify(course)) as Json;
