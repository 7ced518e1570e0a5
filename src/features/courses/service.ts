// The courses use cases, one service for every entry point (chat flows, admin chat commands, the admin CLI, the web
// console): the catalogue, browsing, registration with a seat limit, the waiting list and its offers, cancellation,
// attendance and completion, the three-month outcome, the report. Every method runs in the caller's unit of work
// (a turn, a CLI command, a job): the records it writes and the messages it sends through the outbox are committed
// together. Results are domain values; wording is the presenter's (./presenter.ts) and the locales'.
import { z } from 'zod';
import type { Clock, Logger, Transactor } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Member, MemberRepository } from '../../domain/member.ts';
import type { OfficerRepository } from '../../domain/officers.ts';
import { localIsoDate } from '../../domain/time.ts';
import {
  ageCheck,
  contactIfConsented,
  COURSE_OCCUPATIONS,
  MARKABLE,
  markBlock,
  COURSE_FIELDS,
  COURSE_SUPPORT,
  nextSupportQuestion,
  SEAT_HOLDING,
  storedSupport,
  supportDecision,
  type AttendanceMark,
  type CourseRepository,
  type MarkBlock,
  type CourseStatus,
  type CourseSupportPolicy,
  type RegistrationStatus,
} from '../../domain/courses.ts';
import type { CourseNotices } from './notices.ts';
import type {
  CancelReason,
  Course,
  CourseInput,
  CourseOccupation,
  CoursePatch,
  CourseRegistration,
  RegisterResult,
  RegistrationBlock,
  AgeCheck,
  SupportAnswers,
  SupportDecision,
  SupportQuestionId,
  TrainingOutcome,
} from '../../domain/courses.ts';

/** Who acts on the catalogue: an admin (chat or web, by member id) or the CLI operator (by name). */
export type CourseActor = { kind: 'member'; member: Member } | { kind: 'cli'; operator: string };

export type CatalogueResult<T> =
  | { ok: true; value: T }
  /** Field-level problems, as i18n keys per field (courses:errors.*). */
  | { ok: false; reason: 'invalid'; issues: { field: string; key: string }[] }
  | { ok: false; reason: 'notFound' | 'forbidden' | 'cancelled' | 'seatsBelowTaken' }
  /** Opening a course that has started (registration closes the day it starts). */
  | { ok: false; reason: 'started' }
  /** A roll-call mark or outcome refused by the calendar or her status (see markBlock in domain/courses.ts). */
  | { ok: false; reason: MarkBlock };

export interface CoursePage {
  courses: Course[];
  /** How many match (all pages). */
  total: number;
  /** 0-based page, page size. */
  page: number;
  pageSize: number;
}

export interface RegistrantList {
  course: Course;
  /** In registration order; waiting in waiting-list order. Contact fields only where she consented. */
  registered: { registration: CourseRegistration; member: Member }[];
  waiting: { registration: CourseRegistration; member: Member; place: number }[];
}

/** Per course and per commune (of the course's venue): counts and the three-month response rate per channel. */
export interface TrainingReportRow {
  courseId: number | null;
  communeCode: string | null;
  registered: number;
  attended: number;
  /** Marked absent (counted in registered, not in attended). */
  absent: number;
  completed: number;
  earning: number;
  earningPartly: number;
  /** Completions three months old or more, asked; answered; per channel (telegram, zalo-oa, zalo-bot, console, officer). */
  asked: number;
  answered: number;
  answeredByChannel: Record<string, number>;
}

export interface CourseService {
  // Catalogue (admins)
  create(actor: CourseActor, input: CourseInput): Promise<CatalogueResult<Course>>;
  /** A change of dates or venue bumps the revision and tells everyone registered or waiting (once each). */
  update(actor: CourseActor, id: number, patch: CoursePatch): Promise<CatalogueResult<Course>>;
  setOpen(actor: CourseActor, id: number, open: boolean): Promise<CatalogueResult<Course>>;
  /** Cancels the course: every registration and place on the waiting list is cancelled and each member told. */
  cancel(actor: CourseActor, id: number): Promise<CatalogueResult<Course>>;
  /** Admins: every course (drafts and cancelled ones too), newest start first, optionally one status; 20 a page. */
  catalogue(opts: { status?: CourseStatus; page: number }): Promise<CoursePage>;
  /** Admins: a course whatever its status (`get` hides drafts from members). */
  find(id: number): Promise<Course | null>;
  /** The course an import row made (its externalKey): imports update it instead of adding a second one. */
  byExternalKey(key: string): Promise<Course | null>;

  // Browse (members)
  /** Courses open for registration (and closed ones not yet started), her commune's first, then by start date. */
  browse(member: Member, opts: { occupation: CourseOccupation | null; page: number }): Promise<CoursePage>;
  get(id: number): Promise<Course | null>;

  // Register
  /**
   * Whether she may start registering for this course now (before any question), and the working-age check.
   * `birthYear`: the year she just gave, when it is not stored (a child's is not: data minimisation). A child is
   * refused ('child', or 'childNoPhone' when she gave no phone) and the course's officers are alerted once per child
   * and course (a 'referred' row marks it).
   */
  canRegister(
    member: Member,
    courseId: number,
    opts?: { birthYear?: number | null },
  ): Promise<
    | { ok: true; course: Course; age: AgeCheck; alreadySupported: boolean }
    | { ok: false; reason: RegistrationBlock; course: Course | null }
  >;
  /** The working-age rule for a birth year and a course (POLICY from the support file): see ageCheck. */
  ageCheck(birthYear: number | null, course: Course): AgeCheck;
  /** The next support question to ask given her answers so far, or null when the group is decided. */
  nextSupportQuestion(course: Course, answers: SupportAnswers, alreadySupported: boolean): SupportQuestionId | null;
  supportDecision(course: Course, answers: SupportAnswers, alreadySupported: boolean): SupportDecision;
  /**
   * Takes a seat in one transaction (never overbooked); when full, `full` (she may then join the waiting list).
   * Tells the officer in charge in the batched notice, or at once when `officerCheck` (outside working age).
   */
  register(member: Member, courseId: number, support: SupportDecision): Promise<RegisterResult>;
  joinWaitingList(member: Member, courseId: number, support: SupportDecision): Promise<RegisterResult>;

  // Her registrations
  mine(member: Member): Promise<{ registration: CourseRegistration; course: Course; place: number | null }[]>;
  /** Cancels her registration or place; a freed seat is offered to the first waiting member. */
  cancelMine(
    member: Member,
    registrationId: number,
  ): Promise<{ ok: true; registration: CourseRegistration } | { ok: false; reason: 'notFound' | 'notCancellable' }>;
  /**
   * She takes the seat offered. `officerCheck`: she is outside working age — the officer in charge is asked at once
   * to check (as on every path that registers her) and she is to be told so.
   */
  acceptOffer(
    member: Member,
    registrationId: number,
  ): Promise<
    { ok: true; registration: CourseRegistration; officerCheck: boolean } | { ok: false; reason: 'notFound' | 'lapsed' }
  >;
  declineOffer(member: Member, registrationId: number): Promise<{ ok: boolean }>;
  /** Job: lapses offers past their deadline and offers each seat to the next waiting member. Returns how many. */
  lapseOffers(): Promise<number>;

  // Officers
  /** The lists of a course for its officers and admins (a member in chat), or the CLI operator (the roll call). */
  registrants(officer: Member | CourseActor, courseId: number): Promise<CatalogueResult<RegistrantList>>;
  /** Attendance and completion (chat, CLI roll-call import, web). */
  /**
   * Attendance, absence and completion: attendance and absence from the course's start date, completion from its end
   * date (local); reversible between themselves. Refusals: notFound, forbidden, cancelled, notStarted, notEnded.
   */
  mark(actor: CourseActor, registrationId: number, mark: AttendanceMark): Promise<CatalogueResult<CourseRegistration>>;
  /**
   * Whether an officer (or the CLI) may record a three-month answer for this registration: only a completed one, of a
   * course she manages. Asked before the question is put to the officer.
   */
  canRecordOutcome(actor: CourseActor, registrationId: number): Promise<CatalogueResult<CourseRegistration>>;
  /** The three-month answer, from her chat (source chat) or collected by phone (source officer). */
  recordOutcome(
    registrationId: number,
    outcome: TrainingOutcome,
    source: { kind: 'chat'; member: Member } | { kind: 'officer'; actor: CourseActor },
  ): Promise<{ ok: boolean }>;
  report(opts: {
    from?: string;
    to?: string;
  }): Promise<{ byCourse: TrainingReportRow[]; byCommune: TrainingReportRow[] }>;
}

export type { CancelReason };

// --- The implementation --------------------------------------------------------------------------------------------

/** Courses per page when browsing: five short entries fit the smallest phone's screen. */
export const COURSE_PAGE_SIZE = 5;

/** The fields `update` changes (CoursePatch); anything else in a patch is ignored. */
const PATCHABLE = new Set<string>(COURSE_FIELDS);

/** Courses per page of the admins' catalogue. */
export const CATALOGUE_PAGE_SIZE = 20;

/** At most this many waiting members are tried in turn for one freed seat (a safety bound, never reached). */
const MAX_OFFER_TRIES = 20;

const HOUR_MS = 3_600_000;

/** Statuses she can cancel herself. */
const CANCELLABLE: readonly RegistrationStatus[] = ['registered', 'waiting', 'offered'];
/** Statuses told of a change or cancellation of the course. */
const CONCERNED: readonly RegistrationStatus[] = ['registered', 'offered', 'waiting', 'attended', 'absent'];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));
const shortText = (max: number) => z.string().trim().min(1).max(max);

/**
 * What an admin gives for a course (CLI, import file, chat, web). Each field's problem becomes the i18n key
 * `courseNotices:errors.<field>`; the cross-field rules `endBeforeStart` and `deadlineAfterStart`.
 */
export const courseInputSchema = z.object({
  titleVi: shortText(200),
  titleEn: shortText(200).nullable(),
  occupation: z.enum(COURSE_OCCUPATIONS),
  organiser: shortText(200),
  communeCode: shortText(10),
  address: shortText(300),
  startDate: isoDate,
  endDate: isoDate,
  schedule: shortText(300),
  seats: z.number().int().min(1).max(10_000),
  registrationDeadline: z.date(),
  eligibilityNotes: shortText(1000).nullable(),
  support: z.enum(COURSE_SUPPORT),
  officerId: z.string().min(1).nullable(),
  status: z.enum(['draft', 'open', 'closed']).optional(),
  externalKey: shortText(100).nullable().optional(),
});

export interface CourseServiceDeps {
  courses: CourseRepository;
  members: Pick<MemberRepository, 'findById'>;
  officers: Pick<OfficerRepository, 'areasOf' | 'forCommune' | 'provinceWide'>;
  areas: AreaDirectory;
  notices: CourseNotices;
  /** prisma/data/course-support.json (COURSE_SUPPORT_FILE). */
  policy: CourseSupportPolicy;
  transactor: Transactor;
  clock: Clock;
  /** IANA zone of the courses' calendar dates (TIME_ZONE). */
  timeZone: string;
  /** How long an offered seat is held for her, from the offer's sending (COURSE_OFFER_HOURS). Default 24. */
  offerHours: number;
  logger: Logger;
}

/** The service plus what the jobs and the personal-data kind need (not for the chat flows). */
export interface CourseServiceInternals extends CourseService {
  /** Erasure: deletes her registrations; each seat she held is offered to the first waiting member. */
  eraseMember(member: Member): Promise<number>;
  /** The officers who hear about a course: the officer in charge, else the commune's officers, else the province's. */
  officersFor(course: Course): Promise<Member[]>;
  /** Offers the free seats of a course to the members waiting, first come first offered; returns how many. */
  offerFreeSeats(courseId: number): Promise<number>;
}

export function createCourseService(deps: CourseServiceDeps): CourseServiceInternals {
  const { courses, notices, transactor } = deps;
  const now = () => deps.clock.now();
  const today = () => localIsoDate(now(), deps.timeZone);
  const unit = <T>(work: () => Promise<T>) => transactor.run(work);

  async function officersFor(course: Course): Promise<Member[]> {
    if (course.officerId) {
      const officer = await deps.members.findById(course.officerId);
      if (officer && officer.role !== 'member') return [officer];
    }
    const local = await deps.officers.forCommune(course.communeCode);
    const found = local.length > 0 ? local : await deps.officers.provinceWide();
    if (found.length === 0) deps.logger.warn({ courseId: course.id }, 'no officer to tell about a course');
    return found.map((o) => o.member);
  }

  /** Lists the members a message could not reach to the course's officers (so someone calls them). */
  async function tellUndelivered(course: Course, what: Parameters<CourseNotices['undelivered']>[2], missed: Member[]) {
    if (missed.length === 0) return;
    for (const officer of await officersFor(course)) await notices.undelivered(officer, course, what, missed);
  }

  /** May this actor change the catalogue? Admins (chat, web) and the CLI operator. */
  const mayEdit = (actor: CourseActor) => actor.kind === 'cli' || actor.member.role === 'admin';

  /** May this actor see a course's lists and mark attendance? The officer in charge, its commune's officers, admins. */
  async function mayManage(actor: CourseActor, course: Course): Promise<boolean> {
    if (actor.kind === 'cli') return true;
    const m = actor.member;
    if (m.role === 'admin') return true;
    if (m.role !== 'officer') return false;
    if (course.officerId === m.id) return true;
    const areas = await deps.officers.areasOf(m.id);
    return areas.includes(course.communeCode) || areas.includes('*');
  }

  /**
   * Zod issues and the cross-field rules as `courseNotices:errors.*` keys per field; [] when valid. `startChanged`:
   * the start date is new (a creation, or an edit of it) and so may not be in the past (local date, TIME_ZONE) —
   * every entry point (CLI, import, chat, web) gets the rule here.
   */
  async function validate(input: unknown, startChanged: boolean): Promise<{ field: string; key: string }[]> {
    const parsed = courseInputSchema.safeParse(input);
    const issues = parsed.success
      ? []
      : parsed.error.issues.map((i) => {
          const field = String(i.path[0] ?? 'course');
          return { field, key: `courseNotices:errors.${field}` };
        });
    const value = input as Partial<CourseInput>;
    if (startChanged && typeof value.startDate === 'string' && value.startDate < today()) {
      issues.push({ field: 'startDate', key: 'courseNotices:errors.startPast' });
    }
    if (typeof value.startDate === 'string' && typeof value.endDate === 'string' && value.endDate < value.startDate) {
      issues.push({ field: 'endDate', key: 'courseNotices:errors.endBeforeStart' });
    }
    if (value.registrationDeadline instanceof Date && typeof value.startDate === 'string') {
      if (localIsoDate(value.registrationDeadline, deps.timeZone) > value.startDate) {
        issues.push({ field: 'registrationDeadline', key: 'courseNotices:errors.deadlineAfterStart' });
      }
    }
    if (typeof value.communeCode === 'string' && deps.areas.byCodeOrNull(value.communeCode) === null) {
      issues.push({ field: 'communeCode', key: 'courseNotices:errors.communeCode' });
    }
    if (typeof value.officerId === 'string') {
      const officer = await deps.members.findById(value.officerId);
      if (!officer || officer.role === 'member')
        issues.push({ field: 'officerId', key: 'courseNotices:errors.officerId' });
    }
    return issues.filter((x, i, all) => all.findIndex((y) => y.field === x.field && y.key === x.key) === i);
  }

  /** Whether she may register now, without side effects (canRegister adds the officer's call for a child). */
  async function check(member: Member, courseId: number, birthYear: number | null = member.birthYear) {
    const course = await courses.get(courseId);
    if (!course) return { ok: false as const, reason: 'notFound' as const, course: null };
    const block = (reason: RegistrationBlock) => ({ ok: false as const, reason, course });
    if (course.status === 'cancelled') return block('cancelled');
    if (course.status !== 'open' || course.startDate <= today()) return block('notOpen');
    if (course.registrationDeadline.getTime() <= now().getTime()) return block('deadlinePassed');
    const existing = await courses.registrationOf(courseId, member.id);
    // A child referred to the officer before may ask again (and register once she is old enough).
    if (existing && existing.status !== 'referred') {
      if (existing.status === 'waiting') return block('alreadyWaiting');
      if (existing.status === 'offered') return block('alreadyOffered');
      if (existing.status !== 'cancelled') return block('alreadyRegistered');
    }
    const age = ageCheck(birthYear, course.startDate, deps.policy);
    if (age === 'child') return block(member.phone ? 'child' : 'childNoPhone');
    const alreadySupported = await courses.hasSupportedCompletion(member.id);
    return { ok: true as const, course, age, alreadySupported };
  }

  /** A fresh registration row's fields (a cancelled row of hers is revived with these). */
  const freshFields = (support: SupportDecision) => ({
    ...storedSupport(support),
    waitingSince: null,
    offeredAt: null,
    offerExpiresAt: null,
    cancelReason: null,
    cancelledAt: null,
    attendedAt: null,
    completedAt: null,
    outcome: null,
    outcomeAt: null,
    outcomeSource: null,
    outcomeChannel: null,
    outcomeAskedAt: null,
    officerToldAt: null,
    remindedFor: null,
  });

  async function registerWithSeat(member: Member, course: Course, support: SupportDecision, officerCheck: boolean) {
    const registration = await courses.upsertRegistration(course.id, member.id, {
      ...freshFields(support),
      status: 'registered',
      // Something needs her check: the officer is told at once, not in the hourly batch.
      officerToldAt: officerCheck ? now() : null,
    });
    const fresh = (await courses.get(course.id)) ?? course;
    if (officerCheck) await askOfficersToCheck(fresh, member);
    return { kind: 'registered' as const, registration, course: fresh, officerCheck };
  }

  /** Outside working age: the course's officers are asked at once to check (registered, waiting or offer accepted). */
  async function askOfficersToCheck(course: Course, member: Member) {
    for (const officer of await officersFor(course)) await notices.officerCheck(officer, course, member, 'age');
  }

  /** Ends an offer (lapsed or declined): her seat goes back and on to the next waiting member. */
  async function endOffer(registration: CourseRegistration, reason: 'offerLapsed' | 'offerDeclined') {
    const ended = await courses.transition(registration.id, ['offered'], {
      status: 'cancelled',
      cancelReason: reason,
      cancelledAt: now(),
      offerExpiresAt: null,
    });
    if (!ended) return null;
    await courses.releaseSeat(registration.courseId);
    await offerFreeSeats(registration.courseId);
    return ended;
  }

  async function offerFreeSeats(courseId: number): Promise<number> {
    const course = await courses.get(courseId);
    // No offers once the course is cancelled or has started.
    if (!course || course.status === 'cancelled' || course.status === 'draft' || course.startDate <= today()) return 0;
    let offered = 0;
    const missed: Member[] = [];
    for (let tries = 0; tries < MAX_OFFER_TRIES; tries++) {
      const next = await courses.firstWaiting(courseId);
      if (!next) break;
      if (!(await courses.takeSeat(courseId))) break;
      const at = now();
      // Compare-and-set: of two cancellations at once, one moves her; the other sees she is no longer waiting.
      const offer = await courses.transition(next.id, ['waiting'], {
        status: 'offered',
        offeredAt: at,
        offerExpiresAt: new Date(at.getTime() + deps.offerHours * HOUR_MS),
        officerToldAt: null,
      });
      if (!offer) {
        await courses.releaseSeat(courseId);
        continue;
      }
      offered++;
      const member = await deps.members.findById(offer.memberId);
      if (!member) continue;
      const fresh = (await courses.get(courseId)) ?? course;
      if ((await notices.offer(member, offer, fresh)) !== 'sent') missed.push(member);
    }
    await tellUndelivered(course, 'offer', missed);
    return offered;
  }

  /** Tells everyone concerned by a course (registered, offered, waiting) with `say`; the unreachable to the officer. */
  async function tellConcerned(
    course: Course,
    registrations: readonly CourseRegistration[],
    what: 'changed' | 'cancelled',
  ) {
    const missed: Member[] = [];
    for (const registration of registrations) {
      const member = await deps.members.findById(registration.memberId);
      if (!member) continue;
      if ((await notices[what](member, course)) !== 'sent') missed.push(member);
    }
    await tellUndelivered(course, what, missed);
  }

  const service: CourseServiceInternals = {
    officersFor,
    offerFreeSeats: (courseId) => unit(() => offerFreeSeats(courseId)),

    create(actor, input) {
      return unit(async () => {
        if (!mayEdit(actor)) return { ok: false, reason: 'forbidden' };
        const issues = await validate(input, true);
        if (issues.length > 0) return { ok: false, reason: 'invalid', issues };
        return { ok: true, value: await courses.create(courseInputSchema.parse(input)) };
      });
    },

    update(actor, id, patch) {
      return unit(async () => {
        if (!mayEdit(actor)) return { ok: false, reason: 'forbidden' };
        const course = await courses.get(id);
        if (!course) return { ok: false, reason: 'notFound' };
        if (course.status === 'cancelled') return { ok: false, reason: 'cancelled' };
        // Only the fields an admin may change (an object with more keys cannot touch seatsTaken, status, ...).
        const definedPatch = Object.fromEntries(
          Object.entries(patch as Record<string, unknown>).filter(([key, v]) => PATCHABLE.has(key) && v !== undefined),
        ) as CoursePatch;
        const merged = { ...course, ...definedPatch };
        const { id: _id, seatsTaken, cancelledAt, revision, createdAt, updatedAt, ...input } = merged;
        const issues = await validate(
          { ...input, status: course.status === 'draft' ? 'draft' : 'open' },
          merged.startDate !== course.startDate,
        );
        if (issues.length > 0) return { ok: false, reason: 'invalid', issues };
        if (merged.seats < seatsTaken) return { ok: false, reason: 'seatsBelowTaken' };
        // Dates, schedule or venue: everyone registered or waiting is told, once (the revision is the notice's mark,
        // and the notices commit with the change).
        const told =
          merged.startDate !== course.startDate ||
          merged.endDate !== course.endDate ||
          merged.schedule !== course.schedule ||
          merged.address !== course.address ||
          merged.communeCode !== course.communeCode;
        const updated = await courses.update(id, { ...definedPatch, ...(told ? { revision: revision + 1 } : {}) });
        if (!updated) return { ok: false, reason: 'notFound' };
        if (told && updated.status !== 'draft') {
          await tellConcerned(updated, await courses.registrationsOf(id, CONCERNED), 'changed');
        }
        // A new start date: a new day-before reminder (remindedFor no longer matches). More seats: offered on.
        if (updated.seats > course.seats) await offerFreeSeats(id);
        return { ok: true, value: (await courses.get(id)) ?? updated };
      });
    },

    setOpen(actor, id, open) {
      return unit(async () => {
        if (!mayEdit(actor)) return { ok: false, reason: 'forbidden' };
        const course = await courses.get(id);
        if (!course) return { ok: false, reason: 'notFound' };
        if (course.status === 'cancelled') return { ok: false, reason: 'cancelled' };
        // Closing a draft does not publish it.
        if (!open && course.status === 'draft') return { ok: true, value: course };
        // Registration closes the day a course starts (check): opening a started course would take nobody.
        if (open && course.startDate <= today()) return { ok: false, reason: 'started' };
        const updated = await courses.update(id, { status: open ? 'open' : 'closed' });
        if (!updated) return { ok: false, reason: 'notFound' };
        if (open) await offerFreeSeats(id);
        return { ok: true, value: updated };
      });
    },

    cancel(actor, id) {
      return unit(async () => {
        if (!mayEdit(actor)) return { ok: false, reason: 'forbidden' };
        const course = await courses.get(id);
        if (!course) return { ok: false, reason: 'notFound' };
        if (course.status === 'cancelled') return { ok: false, reason: 'cancelled' };
        const at = now();
        const concerned = await courses.registrationsOf(id, CONCERNED);
        for (const registration of concerned) {
          const cancelled = await courses.transition(registration.id, [registration.status], {
            status: 'cancelled',
            cancelReason: 'courseCancelled',
            cancelledAt: at,
            offerExpiresAt: null,
          });
          if (cancelled && SEAT_HOLDING.includes(registration.status)) await courses.releaseSeat(id);
        }
        const updated = await courses.update(id, {
          status: 'cancelled',
          cancelledAt: at,
          revision: course.revision + 1,
        });
        if (!updated) return { ok: false, reason: 'notFound' };
        if (course.status !== 'draft') await tellConcerned(updated, concerned, 'cancelled');
        return { ok: true, value: updated };
      });
    },

    async catalogue({ status, page }) {
      const safePage = Number.isSafeInteger(page) && page > 0 ? page : 0;
      const { courses: list, total } = await courses.listAll({
        ...(status === undefined ? {} : { status }),
        offset: safePage * CATALOGUE_PAGE_SIZE,
        limit: CATALOGUE_PAGE_SIZE,
      });
      return { courses: list, total, page: safePage, pageSize: CATALOGUE_PAGE_SIZE };
    },

    find: (id) => courses.get(id),
    byExternalKey: (key) => courses.byExternalKey(key),

    async browse(member, { occupation, page }) {
      const safePage = Number.isSafeInteger(page) && page > 0 ? page : 0;
      const { courses: list, total } = await courses.listVisible({
        today: today(),
        communeCode: member.communeCode,
        occupation,
        offset: safePage * COURSE_PAGE_SIZE,
        limit: COURSE_PAGE_SIZE,
      });
      return { courses: list, total, page: safePage, pageSize: COURSE_PAGE_SIZE };
    },

    async get(id) {
      const course = await courses.get(id);
      return course && course.status !== 'draft' ? course : null;
    },

    canRegister(member, courseId, opts) {
      return unit(async () => {
        const checked = await check(member, courseId, opts?.birthYear ?? member.birthYear);
        // A child: no registration by chat (her data needs her legal representative's consent); the officer in
        // charge is asked at once to call her family — once per child and course, however often she tries.
        if (!checked.ok && (checked.reason === 'child' || checked.reason === 'childNoPhone')) {
          const earlier = await courses.registrationOf(courseId, member.id);
          if (earlier?.status !== 'referred') {
            await courses.upsertRegistration(courseId, member.id, {
              ...freshFields({ kind: 'none' }),
              status: 'referred',
              officerToldAt: now(),
            });
            for (const officer of await officersFor(checked.course)) {
              await notices.officerCheck(officer, checked.course, member, checked.reason);
            }
          }
        }
        return checked;
      });
    },

    ageCheck: (birthYear, course) => ageCheck(birthYear, course.startDate, deps.policy),

    nextSupportQuestion: (course, answers, alreadySupported) => nextSupportQuestion(course, answers, alreadySupported),
    supportDecision: (course, answers, alreadySupported) =>
      supportDecision(course, answers, alreadySupported, deps.policy),

    register(member, courseId, support) {
      return unit(async () => {
        const checked = await check(member, courseId);
        if (!checked.ok) return { kind: 'blocked', reason: checked.reason, course: checked.course };
        // The seat lock: one conditional update in this transaction (courseRepository.takeSeat).
        if (!(await courses.takeSeat(courseId))) return { kind: 'full', course: checked.course };
        return registerWithSeat(member, checked.course, support, checked.age === 'officerCheck');
      });
    },

    joinWaitingList(member, courseId, support) {
      return unit(async () => {
        const checked = await check(member, courseId);
        if (!checked.ok) return { kind: 'blocked', reason: checked.reason, course: checked.course };
        // One join at a time per course (the course row's lock): her place is exact, first come first offered.
        await courses.lockCourse(courseId);
        // A seat freed meanwhile and nobody waits for it: she gets it.
        if ((await courses.firstWaiting(courseId)) === null && (await courses.takeSeat(courseId))) {
          return registerWithSeat(member, checked.course, support, checked.age === 'officerCheck');
        }
        const registration = await courses.upsertRegistration(courseId, member.id, {
          ...freshFields(support),
          status: 'waiting',
          waitingSince: now(),
        });
        const place = (await courses.waitingPlace(registration.id)) ?? 1;
        const officerCheck = checked.age === 'officerCheck';
        if (officerCheck) {
          await courses.transition(registration.id, ['waiting'], { officerToldAt: now() });
          await askOfficersToCheck(checked.course, member);
        }
        return { kind: 'waiting', registration, course: checked.course, place, officerCheck };
      });
    },

    async mine(member) {
      const list = await courses.registrationsOfMember(member.id);
      const result = [];
      for (const { registration, course } of list) {
        const place = registration.status === 'waiting' ? await courses.waitingPlace(registration.id) : null;
        result.push({ registration, course, place });
      }
      return result;
    },

    cancelMine(member, registrationId) {
      return unit(async () => {
        const registration = await courses.registration(registrationId);
        if (registration?.memberId !== member.id) return { ok: false, reason: 'notFound' };
        if (!CANCELLABLE.includes(registration.status)) return { ok: false, reason: 'notCancellable' };
        const cancelled = await courses.transition(registrationId, CANCELLABLE, {
          status: 'cancelled',
          cancelReason: 'member',
          cancelledAt: now(),
          offerExpiresAt: null,
        });
        if (!cancelled) return { ok: false, reason: 'notCancellable' };
        // Her seat goes to the first person waiting, in this same transaction: it is never free for a newcomer
        // while someone waits.
        if (SEAT_HOLDING.includes(registration.status)) {
          await courses.releaseSeat(registration.courseId);
          await offerFreeSeats(registration.courseId);
        }
        return { ok: true, registration: cancelled };
      });
    },

    acceptOffer(member, registrationId) {
      return unit(async () => {
        const registration = await courses.registration(registrationId);
        if (registration?.memberId !== member.id) return { ok: false, reason: 'notFound' };
        if (registration.status !== 'offered') {
          // A second tap on Accept: she has the seat already (the officer was asked to check the first time).
          if (registration.status === 'registered') return { ok: true, registration, officerCheck: false };
          return { ok: false, reason: registration.cancelReason === 'offerLapsed' ? 'lapsed' : 'notFound' };
        }
        if (registration.offerExpiresAt && registration.offerExpiresAt.getTime() <= now().getTime()) {
          // Past its deadline but the lapse job has not run yet: it lapses now, and the seat moves on.
          await endOffer(registration, 'offerLapsed');
          return { ok: false, reason: 'lapsed' };
        }
        const course = await courses.get(registration.courseId);
        const officerCheck =
          course !== null && ageCheck(member.birthYear, course.startDate, deps.policy) === 'officerCheck';
        const accepted = await courses.transition(registrationId, ['offered'], {
          status: 'registered',
          offerExpiresAt: null,
          // Something needs her check: the officer is told at once, not in the hourly batch.
          officerToldAt: officerCheck ? now() : null,
        });
        if (!accepted) return { ok: false, reason: 'lapsed' };
        if (officerCheck) await askOfficersToCheck(course, member);
        return { ok: true, registration: accepted, officerCheck };
      });
    },

    declineOffer(member, registrationId) {
      return unit(async () => {
        const registration = await courses.registration(registrationId);
        if (registration?.memberId !== member.id || registration.status !== 'offered') {
          return { ok: false };
        }
        return { ok: (await endOffer(registration, 'offerDeclined')) !== null };
      });
    },

    async lapseOffers() {
      let lapsed = 0;
      for (;;) {
        const due = await courses.lapsedOffers(now(), 100);
        if (due.length === 0) break;
        let progressed = false;
        for (const offer of due) {
          // One unit per offer: her seat, the next offer and both messages commit together.
          const done = await unit(async () => {
            const ended = await endOffer(offer, 'offerLapsed');
            if (!ended) return false;
            const member = await deps.members.findById(offer.memberId);
            const course = await courses.get(offer.courseId);
            if (member && course) await notices.offerLapsed(member, course);
            return true;
          });
          if (done) {
            lapsed++;
            progressed = true;
          }
        }
        if (!progressed || due.length < 100) break;
      }
      return lapsed;
    },

    async registrants(officer, courseId) {
      const course = await courses.get(courseId);
      if (!course) return { ok: false, reason: 'notFound' };
      const actor: CourseActor = 'kind' in officer ? officer : { kind: 'member', member: officer };
      if (!(await mayManage(actor, course))) return { ok: false, reason: 'forbidden' };
      const registered: RegistrantList['registered'] = [];
      const waiting: RegistrantList['waiting'] = [];
      for (const registration of await courses.registrationsOf(courseId, [...SEAT_HOLDING])) {
        const member = await deps.members.findById(registration.memberId);
        if (member) registered.push({ registration, member: contactIfConsented(member) });
      }
      const queue = (await courses.registrationsOf(courseId, ['waiting'])).sort(
        (a, b) => (a.waitingSince?.getTime() ?? 0) - (b.waitingSince?.getTime() ?? 0) || a.id - b.id,
      );
      for (const [index, registration] of queue.entries()) {
        const member = await deps.members.findById(registration.memberId);
        if (member) waiting.push({ registration, member: contactIfConsented(member), place: index + 1 });
      }
      return { ok: true, value: { course, registered, waiting } };
    },

    mark(actor, registrationId, mark) {
      return unit(async () => {
        const registration = await courses.registration(registrationId);
        if (!registration) return { ok: false, reason: 'notFound' };
        const course = await courses.get(registration.courseId);
        if (!course) return { ok: false, reason: 'notFound' };
        if (!(await mayManage(actor, course))) return { ok: false, reason: 'forbidden' };
        if (course.status === 'cancelled') return { ok: false, reason: 'cancelled' };
        if (!MARKABLE.includes(registration.status)) return { ok: false, reason: 'notFound' };
        const blocked = markBlock(course, mark, today());
        if (blocked) return { ok: false, reason: blocked };
        const at = now();
        const fields =
          mark === 'attended'
            ? { status: 'attended' as const, attendedAt: registration.attendedAt ?? at, completedAt: null }
            : mark === 'completed'
              ? { status: 'completed' as const, attendedAt: registration.attendedAt ?? at, completedAt: at }
              : { status: 'absent' as const, attendedAt: null, completedAt: null };
        // Already so: nothing changes (an import of the same roll call twice).
        if (registration.status === fields.status && (mark !== 'completed' || registration.completedAt)) {
          return { ok: true, value: registration };
        }
        const updated = await courses.transition(registrationId, MARKABLE, fields);
        if (!updated) return { ok: false, reason: 'notFound' };
        return { ok: true, value: updated };
      });
    },

    async canRecordOutcome(actor, registrationId) {
      const registration = await courses.registration(registrationId);
      if (!registration) return { ok: false, reason: 'notFound' };
      const course = await courses.get(registration.courseId);
      if (!course) return { ok: false, reason: 'notFound' };
      if (!(await mayManage(actor, course))) return { ok: false, reason: 'forbidden' };
      if (registration.status !== 'completed') return { ok: false, reason: 'notCompleted' };
      return { ok: true, value: registration };
    },

    recordOutcome(registrationId, outcome, source) {
      return unit(async () => {
        const registration = await courses.registration(registrationId);
        if (registration?.status !== 'completed') return { ok: false };
        if (source.kind === 'chat') {
          if (registration.memberId !== source.member.id) return { ok: false };
          // Her first answer counts; a second tap changes nothing.
          if (registration.outcome !== null) return { ok: true };
        } else {
          const course = await courses.get(registration.courseId);
          if (!course || !(await mayManage(source.actor, course))) return { ok: false };
        }
        const updated = await courses.transition(registrationId, ['completed'], {
          outcome,
          outcomeAt: now(),
          outcomeSource: source.kind,
          outcomeChannel: source.kind === 'chat' ? source.member.channel : 'officer',
        });
        return { ok: updated !== null };
      });
    },

    async report(opts) {
      const rows = await courses.forReport(opts);
      const byCourse = new Map<number, TrainingReportRow>();
      const byCommune = new Map<string, TrainingReportRow>();
      for (const { registration: r, course } of rows) {
        const targets = [
          byCourse.get(course.id) ??
            byCourse.set(course.id, emptyReportRow(course.id, course.communeCode)).get(course.id)!,
          byCommune.get(course.communeCode) ??
            byCommune.set(course.communeCode, emptyReportRow(null, course.communeCode)).get(course.communeCode)!,
        ];
        for (const row of targets) countInto(row, r);
      }
      return {
        byCourse: [...byCourse.values()],
        byCommune: [...byCommune.values()].sort((a, b) => (a.communeCode ?? '').localeCompare(b.communeCode ?? '')),
      };
    },

    eraseMember(member) {
      return unit(async () => {
        const held = (await courses.registrationsOfMember(member.id)).filter(({ registration }) =>
          SEAT_HOLDING.includes(registration.status),
        );
        const count = await courses.deleteOfMember(member.id);
        for (const courseId of new Set(held.map((h) => h.course.id))) await offerFreeSeats(courseId);
        return count;
      });
    },
  };
  return service;
}

export { contactIfConsented };

/** A report row with every count at zero (`courseId`/`communeCode` as given). */
export function emptyReportRow(courseId: number | null, communeCode: string | null): TrainingReportRow {
  return {
    courseId,
    communeCode,
    registered: 0,
    attended: 0,
    absent: 0,
    completed: 0,
    earning: 0,
    earningPartly: 0,
    asked: 0,
    answered: 0,
    answeredByChannel: {},
  };
}

/**
 * The province's figures (the CLI's and the console's "total" line): the sum of the communes' rows, each registration
 * being in exactly one commune's row (that of the course's venue). `courseId` and `communeCode` are null.
 */
export function reportTotal(byCommune: readonly TrainingReportRow[]): TrainingReportRow {
  const total = emptyReportRow(null, null);
  for (const row of byCommune) {
    for (const key of REPORT_COUNTS) total[key] += row[key];
    for (const [channel, n] of Object.entries(row.answeredByChannel)) {
      total.answeredByChannel[channel] = (total.answeredByChannel[channel] ?? 0) + n;
    }
  }
  return total;
}

const REPORT_COUNTS = [
  'registered',
  'attended',
  'absent',
  'completed',
  'earning',
  'earningPartly',
  'asked',
  'answered',
] as const satisfies readonly (keyof TrainingReportRow)[];

/** A share as people read it: "67%" (rounded), "–" when the whole is zero. */
export function percentText(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((100 * part) / whole)}%`;
}

/** Adds one registration to a report row (see TrainingReportRow). */
function countInto(row: TrainingReportRow, r: CourseRegistration): void {
  if (SEAT_HOLDING.includes(r.status) && r.status !== 'offered') row.registered++;
  if (r.status === 'attended' || r.status === 'completed') row.attended++;
  if (r.status === 'absent') row.absent++;
  if (r.status !== 'completed') return;
  row.completed++;
  if (r.outcome === 'yes') row.earning++;
  if (r.outcome === 'partly') row.earningPartly++;
  if (r.outcomeAskedAt !== null || r.outcome !== null) row.asked++;
  if (r.outcome !== null) {
    row.answered++;
    const channel = r.outcomeChannel ?? 'officer';
    row.answeredByChannel[channel] = (row.answeredByChannel[channel] ?? 0) + 1;
  }
}
