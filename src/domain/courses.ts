// Short vocational courses (đào tạo nghề, under 3 months): the catalogue, registrations with a seat limit, the
// waiting list with time-limited offers, and what training led to. Plain types, the rules as pure functions, and the
// port the data layer implements (src/data/courseRepository.ts). Figures (support amounts, working age) are data:
// prisma/data/course-support.json, read through CourseSupportPolicy — never constants here.
// Source of the rules: Decision 46/2015/QĐ-TTg (support per person per course, once per person, the highest group
// applies), Labour Code 2019 / Decree 135/2020 as summarised in ../shared/domain/REFERENCE.md ("Vocational training").

import type { Member } from './member.ts';

/** Occupation codes of the catalogue; labels and typed synonyms in locales/<lng>/courses.json "occupations". */
export const COURSE_OCCUPATIONS = [
  'tea',
  'livestock',
  'aquaculture',
  'veterinary',
  'cooking',
  'sewing',
  'embroidery',
  'weaving',
  'beauty',
  'machinery',
  'forestry',
  'other',
] as const;
export type CourseOccupation = (typeof COURSE_OCCUPATIONS)[number];

/**
 * draft (not shown to members) → open (registration accepted until the deadline) ⇄ closed (shown, no new
 * registrations; the waiting list still moves) → cancelled (final; everyone registered or waiting is told).
 */
export const COURSE_STATUSES = ['draft', 'open', 'closed', 'cancelled'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/** The support policy of a course: Decision 46/2015 levels, or none (the member pays or the organiser funds it). */
export const COURSE_SUPPORT = ['decision46', 'none'] as const;
export type CourseSupport = (typeof COURSE_SUPPORT)[number];

export interface Course {
  id: number;
  titleVi: string;
  titleEn: string | null;
  occupation: CourseOccupation;
  organiser: string;
  /** Statistics code of the venue's commune/ward. */
  communeCode: string;
  address: string;
  /** Local (TIME_ZONE) calendar dates, "YYYY-MM-DD". */
  startDate: string;
  endDate: string;
  schedule: string;
  seats: number;
  /** Seats held by registered, offered, attended and completed registrations. */
  seatsTaken: number;
  registrationDeadline: Date;
  eligibilityNotes: string | null;
  support: CourseSupport;
  officerId: string | null;
  status: CourseStatus;
  externalKey: string | null;
  cancelledAt: Date | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What an admin gives to create a course (CLI, import file, chat, web). Validated by the service (zod). */
export type CourseInput = Omit<
  Course,
  'id' | 'seatsTaken' | 'status' | 'cancelledAt' | 'revision' | 'createdAt' | 'updatedAt' | 'externalKey'
> & { status?: 'draft' | 'open' | 'closed'; externalKey?: string | null };

/**
 * The course's own fields an admin sets (create) and may change (CoursePatch), in the order forms ask them; the
 * officer in charge last. One list for the service's patch filter and the admin chat's form.
 */
export const COURSE_FIELDS = [
  'titleVi',
  'titleEn',
  'occupation',
  'organiser',
  'communeCode',
  'address',
  'startDate',
  'endDate',
  'schedule',
  'seats',
  'registrationDeadline',
  'eligibilityNotes',
  'support',
  'officerId',
] as const satisfies readonly (keyof CoursePatch)[];

/** Fields an admin may change; a change of dates or venue is told to everyone registered or waiting. */
export type CoursePatch = Partial<Omit<CourseInput, 'status' | 'externalKey'>>;

/**
 * registered (holds a seat) · waiting (on the waiting list) · offered (a freed seat held for her until the offer's
 * deadline) · cancelled · attended · absent (marked absent by the officer once the course started: she keeps her
 * seat in the records, so marking her attended or completed later needs no free seat) · completed · referred (a child
 * under POLICY.childConsentBelow asked by chat: no seat, no registration; the officer in charge was asked once to
 * contact her family — the row is that alert's once-only mark, erased with her data).
 */
export const REGISTRATION_STATUSES = [
  'registered',
  'waiting',
  'offered',
  'cancelled',
  'attended',
  'absent',
  'completed',
  'referred',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Statuses that hold a seat (Course.seatsTaken counts them). */
export const SEAT_HOLDING: readonly RegistrationStatus[] = ['registered', 'offered', 'attended', 'absent', 'completed'];

/** The statuses an officer's roll-call marks move between (attendance is reversible until completion is marked). */
export const MARKABLE: readonly RegistrationStatus[] = ['registered', 'attended', 'absent', 'completed'];

/** An officer's roll-call mark. */
export type AttendanceMark = 'attended' | 'completed' | 'absent';

/** Why a roll-call mark or an outcome is refused by the calendar or the registration's status. */
export type MarkBlock = 'notStarted' | 'notEnded' | 'notCompleted';

export const CANCEL_REASONS = ['member', 'offerLapsed', 'offerDeclined', 'courseCancelled', 'officer'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** Three months after completion: does she now earn from the skill? */
export const TRAINING_OUTCOMES = ['yes', 'partly', 'notYet'] as const;
export type TrainingOutcome = (typeof TRAINING_OUTCOMES)[number];

export interface CourseRegistration {
  id: number;
  courseId: number;
  memberId: string;
  status: RegistrationStatus;
  waitingSince: Date | null;
  offeredAt: Date | null;
  offerExpiresAt: Date | null;
  cancelReason: CancelReason | null;
  cancelledAt: Date | null;
  /** The support group decided at registration (SupportGroupId or "alreadySupported"), and its amount in VND. */
  supportGroup: string | null;
  supportVnd: number | null;
  attendedAt: Date | null;
  completedAt: Date | null;
  outcome: TrainingOutcome | null;
  outcomeAt: Date | null;
  outcomeSource: 'chat' | 'officer' | null;
  outcomeChannel: string | null;
  outcomeAskedAt: Date | null;
  officerToldAt: Date | null;
  /** The start date she was reminded of (the day-before reminder's once-only mark); null before. */
  remindedFor: string | null;
  createdAt: Date;
}

// --- Support level (Decision 46/2015/QĐ-TTg) ------------------------------------------------------------------------

/**
 * The groups of Decision 46/2015, highest first. A person in several groups gets the highest; a person supported once
 * (a past completed course with support) is not supported again ("alreadySupported", 0 VND).
 */
export const SUPPORT_GROUP_IDS = ['disability', 'poorEthnicOrDifficult', 'priority', 'nearPoor', 'other'] as const;
export type SupportGroupId = (typeof SUPPORT_GROUP_IDS)[number];

/**
 * prisma/data/course-support.json, validated (src/data/courseSupportFile.ts): amounts per group in VND, meals per
 * study day, travel per course and the distance rule, the working-age rule, the age under which a child's data needs
 * her legal representative (no registration by chat), and the source of each figure.
 */
export interface CourseSupportPolicy {
  source: string;
  groups: Record<SupportGroupId, number>;
  mealsPerDayVnd: number;
  travel: { vnd: number; minKm: number; priorityVnd: number; priorityMinKm: number };
  /** Working age (inclusive, in years reached during the year of the course's start): women 15–55 (2016 rule). */
  workingAge: { min: number; max: number };
  /** Under this age (years) a registration by chat is not taken: an officer is asked to call. */
  childConsentBelow: number;
}

/**
 * The questions that decide her support group, each asked only when it can still change the answer. `sensitive`
 * questions (disability, ethnic minority: special-category data under Decree 356/2025) are asked only after a consent
 * that names them; their answers are never stored, only the resulting group.
 */
export const SUPPORT_QUESTIONS = [
  { id: 'disability', sensitive: true },
  { id: 'household', sensitive: false },
  { id: 'ethnicMinority', sensitive: true },
  { id: 'difficultCommune', sensitive: false },
  { id: 'otherPriority', sensitive: false },
] as const;
export type SupportQuestionId = (typeof SUPPORT_QUESTIONS)[number]['id'];

/** Her answers so far (in the flow's state only, until the group is decided). */
export interface SupportAnswers {
  disability?: boolean;
  household?: 'poor' | 'nearPoor' | 'none';
  ethnicMinority?: boolean;
  difficultCommune?: boolean;
  /** Revolutionary merit, land recovered, lost her job, fisher. */
  otherPriority?: boolean;
  /** She declined the consent for the sensitive questions: they are not asked. */
  noSensitive?: boolean;
}

export type SupportDecision =
  { kind: 'group'; group: SupportGroupId; vnd: number } | { kind: 'alreadySupported' } | { kind: 'none' };

/** Why a member may not register by chat now (the service's answer before any question is asked). */
export type RegistrationBlock =
  | 'notFound'
  | 'notOpen'
  | 'deadlinePassed'
  | 'cancelled'
  | 'alreadyRegistered'
  | 'alreadyWaiting'
  | 'alreadyOffered'
  /** Under POLICY.childConsentBelow: an officer is asked to call her family. */
  | 'child'
  /** The same, but she gave no phone: nobody can call, so she is told how her family can reach the Union. */
  | 'childNoPhone';

/** Outside working age (but not a child): registered or waiting, with "an officer will check". */
export type AgeCheck = 'ok' | 'officerCheck' | 'child' | 'unknown';

/** What registering gave her. */
export type RegisterResult =
  | { kind: 'registered'; registration: CourseRegistration; course: Course; officerCheck: boolean }
  | { kind: 'full'; course: Course }
  /** On the waiting list; `officerCheck`: outside working age, the officer was asked to check (she is told so). */
  | { kind: 'waiting'; registration: CourseRegistration; course: Course; place: number; officerCheck: boolean }
  | { kind: 'blocked'; reason: RegistrationBlock; course: Course | null };

/** The port the data layer implements (src/data/courseRepository.ts); all of it runs in the caller's transaction. */
export interface CourseRepository {
  create(input: CourseInput): Promise<Course>;
  update(
    id: number,
    patch: CoursePatch & { status?: CourseStatus; revision?: number; cancelledAt?: Date | null },
  ): Promise<Course | null>;
  get(id: number): Promise<Course | null>;
  byExternalKey(key: string): Promise<Course | null>;
  /**
   * Courses members can see (open or closed, start date today or later), the given commune's first, then by start
   * date then id; optionally one occupation. `offset`/`limit` page through them; `total` counts them all.
   */
  listVisible(opts: {
    today: string;
    communeCode: string | null;
    occupation: CourseOccupation | null;
    offset: number;
    limit: number;
  }): Promise<{ courses: Course[]; total: number }>;
  /** Every course (admins: CLI, web), newest start first, optionally by status. */
  listAll(opts: {
    status?: CourseStatus;
    offset: number;
    limit: number;
  }): Promise<{ courses: Course[]; total: number }>;
  /**
   * Takes a seat when one is free: `UPDATE Course SET seatsTaken = seatsTaken + 1 WHERE id = ? AND seatsTaken < seats`
   * (atomic on SQLite and PostgreSQL); false when full.
   */
  takeSeat(courseId: number): Promise<boolean>;
  releaseSeat(courseId: number): Promise<void>;
  /**
   * Locks the course's row until the transaction ends (a no-op update: PostgreSQL's row lock; SQLite has one writer
   * anyway): joins to the waiting list of one course then happen one after the other, so her place is exact and
   * first come is first offered.
   */
  lockCourse(courseId: number): Promise<void>;
  registration(id: number): Promise<CourseRegistration | null>;
  registrationOf(courseId: number, memberId: string): Promise<CourseRegistration | null>;
  /** Inserts or (for a cancelled row of hers) revives her registration with these fields. */
  upsertRegistration(
    courseId: number,
    memberId: string,
    fields: Partial<Omit<CourseRegistration, 'id' | 'courseId' | 'memberId' | 'createdAt'>> & {
      status: RegistrationStatus;
    },
  ): Promise<CourseRegistration>;
  /**
   * Moves a registration from one status to another only if it is still in `from` (a compare-and-set: two workers
   * never both move it); null when it was not.
   */
  transition(
    id: number,
    from: readonly RegistrationStatus[],
    fields: Partial<Omit<CourseRegistration, 'id' | 'courseId' | 'memberId' | 'createdAt'>> & {
      status?: RegistrationStatus;
    },
  ): Promise<CourseRegistration | null>;
  /** Her place on the waiting list (1 = next), or null when she is not waiting. */
  waitingPlace(registrationId: number): Promise<number | null>;
  /** The first waiting registration of a course (waitingSince, then id), or null. */
  firstWaiting(courseId: number): Promise<CourseRegistration | null>;
  /** Registrations of a course in these statuses, in registration (then waiting) order. */
  registrationsOf(courseId: number, statuses?: readonly RegistrationStatus[]): Promise<CourseRegistration[]>;
  /** Her registrations, newest first, each with its course. */
  registrationsOfMember(memberId: string): Promise<{ registration: CourseRegistration; course: Course }[]>;
  /** Offers whose deadline passed before `now`. */
  lapsedOffers(now: Date, limit: number): Promise<CourseRegistration[]>;
  /** Whether she completed a course with support before (Decision 46: supported once per person). */
  hasSupportedCompletion(memberId: string): Promise<boolean>;
  /** Erasure: deletes her registrations, releasing the seats they held; returns how many rows. */
  deleteOfMember(memberId: string): Promise<number>;
  /** Open or closed courses starting on this local date ("YYYY-MM-DD"): the day-before reminder's. */
  coursesStarting(date: string): Promise<Course[]>;
  /** Registrations (registered, waiting) the officer in charge has not been told of yet (an accepted offer too), by course. */
  untold(limit: number): Promise<CourseRegistration[]>;
  /** Completions on or before `completedBefore` whose three-month question was neither asked nor answered. */
  dueOutcomes(completedBefore: Date, limit: number): Promise<CourseRegistration[]>;
  /** Every registration of the courses (not cancelled) starting within [from, to] (local dates), with its course. */
  forReport(opts: { from?: string; to?: string }): Promise<{ registration: CourseRegistration; course: Course }[]>;
}

// --- The rules, as pure functions --------------------------------------------------------------------------------

/**
 * Her age for the course: the years she reaches during the year the course starts (birth year only is stored), checked
 * against the policy file's working age (women 15–55, Labour Code 2019 / 2016 rule) and the age under which a
 * child's data needs her legal representative's consent (16, Decree 356/2025): `child` (no registration by chat: an
 * officer is asked to call), `officerCheck` (outside working age: she may register, an officer checks), `unknown`
 * (no birth year given), `ok`.
 */
export function ageCheck(
  birthYear: number | null | undefined,
  courseStartDate: string,
  policy: Pick<CourseSupportPolicy, 'workingAge' | 'childConsentBelow'>,
): AgeCheck {
  if (birthYear === null || birthYear === undefined || !Number.isInteger(birthYear)) return 'unknown';
  const startYear = Number(courseStartDate.slice(0, 4));
  if (!Number.isInteger(startYear)) return 'unknown';
  const age = startYear - birthYear;
  if (age < policy.childConsentBelow) return 'child';
  if (age < policy.workingAge.min || age > policy.workingAge.max) return 'officerCheck';
  return 'ok';
}

/**
 * The next question that can still change her support group, or null when the group is decided (Decision 46/2015:
 * the highest applicable group). Nothing is asked when the course has no support or she was supported before (once
 * per person). Order: disability (yes → highest, done); household (poor / near-poor / none); for a poor household,
 * ethnic minority then extremely difficult commune (either → poorEthnicOrDifficult); otherwise ethnic minority then
 * the other priority groups (either → priority). Sensitive questions (disability, ethnic minority) are skipped when
 * she declined their consent (`answers.noSensitive`): they count as "no".
 */
export function nextSupportQuestion(
  course: Pick<Course, 'support'>,
  answers: SupportAnswers,
  alreadySupported: boolean,
): SupportQuestionId | null {
  if (course.support === 'none' || alreadySupported) return null;
  const sensitive = !answers.noSensitive;
  if (sensitive && answers.disability === undefined) return 'disability';
  if (answers.disability === true) return null;
  if (answers.household === undefined) return 'household';
  const ethnic = sensitive ? answers.ethnicMinority : false;
  if (ethnic === undefined) return 'ethnicMinority';
  if (ethnic) return null;
  if (answers.household === 'poor') return answers.difficultCommune === undefined ? 'difficultCommune' : null;
  return answers.otherPriority === undefined ? 'otherPriority' : null;
}

/**
 * Her support decision from her answers (unanswered questions count as "no"): `none` when the course has no
 * support, `alreadySupported` when she completed a supported course before (Decision 46/2015: supported once per
 * person), otherwise the highest applicable group with its amount from the policy file.
 */
export function supportDecision(
  course: Pick<Course, 'support'>,
  answers: SupportAnswers,
  alreadySupported: boolean,
  policy: Pick<CourseSupportPolicy, 'groups'>,
): SupportDecision {
  if (course.support === 'none') return { kind: 'none' };
  if (alreadySupported) return { kind: 'alreadySupported' };
  const sensitive = !answers.noSensitive;
  const disability = sensitive && answers.disability === true;
  const ethnic = sensitive && answers.ethnicMinority === true;
  const poor = answers.household === 'poor';
  const group: SupportGroupId = disability
    ? 'disability'
    : poor && (ethnic || answers.difficultCommune === true)
      ? 'poorEthnicOrDifficult'
      : poor || ethnic || answers.otherPriority === true
        ? 'priority'
        : answers.household === 'nearPoor'
          ? 'nearPoor'
          : 'other';
  return { kind: 'group', group, vnd: policy.groups[group] };
}

/** The group and amount stored on a registration for a decision (only the result is stored, never the answers). */
export function storedSupport(decision: SupportDecision): { supportGroup: string | null; supportVnd: number | null } {
  switch (decision.kind) {
    case 'group':
      return { supportGroup: decision.group, supportVnd: decision.vnd };
    case 'alreadySupported':
      return { supportGroup: 'alreadySupported', supportVnd: 0 };
    case 'none':
      return { supportGroup: null, supportVnd: null };
  }
}

/**
 * Whether a roll-call mark may be recorded on local date `today` ("YYYY-MM-DD", TIME_ZONE): attendance and absence
 * from the course's start date, completion from its end date (as a training register does: nobody completes a course
 * that has not ended — a completion counts in the report and makes her "already supported", Decision 46/2015).
 * Returns null when allowed, else the reason.
 */
export function markBlock(
  course: Pick<Course, 'startDate' | 'endDate'>,
  mark: AttendanceMark,
  today: string,
): MarkBlock | null {
  if (today < course.startDate) return 'notStarted';
  if (mark === 'completed' && today < course.endDate) return 'notEnded';
  return null;
}

/**
 * Her phone only where she consented to the processing of her profile (first contact, not withdrawn): every list of
 * members an officer sees (registrants, roll call, batched and undelivered notices, "please check" alerts) goes through
 * this one rule.
 */
export function contactIfConsented(member: Member): Member {
  return member.consentAt !== null && member.optedOutAt === null ? member : { ...member, phone: null };
}

/**
 * The local date three calendar months after `isoDate` ("2026-03-31" → "2026-06-30": the last day when the month is
 * shorter): the day the three-month outcome question becomes due.
 */
export function threeMonthsAfter(isoDate: string): string {
  const [y = 0, m = 1, d = 1] = isoDate.split('-').map(Number);
  const monthIndex = m - 1 + 3;
  const year = y + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
