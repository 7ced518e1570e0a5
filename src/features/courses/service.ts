// The courses use cases, one service for every entry point (chat flows, admin chat commands, the admin CLI, the web
// console): the catalogue, browsing, registration with a seat limit, the waiting list and its offers, cancellation,
// attendance and completion, the three-month outcome, the report. Every method runs in the caller's unit of work
// (a turn, a CLI command, a job): the records it writes and the messages it sends through the outbox are committed
// together. Results are domain values; wording is the presenter's (./presenter.ts) and the locales'.
import type { Member } from '../../domain/member.ts';
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
  | { ok: false; reason: 'notFound' | 'forbidden' | 'cancelled' | 'seatsBelowTaken' };

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

  // Browse (members)
  /** Courses open for registration (and closed ones not yet started), her commune's first, then by start date. */
  browse(member: Member, opts: { occupation: CourseOccupation | null; page: number }): Promise<CoursePage>;
  get(id: number): Promise<Course | null>;

  // Register
  /** Whether she may start registering for this course now (before any question), and the working-age check. */
  canRegister(
    member: Member,
    courseId: number,
  ): Promise<
    | { ok: true; course: Course; age: AgeCheck; alreadySupported: boolean }
    | { ok: false; reason: RegistrationBlock; course: Course | null }
  >;
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
  acceptOffer(
    member: Member,
    registrationId: number,
  ): Promise<{ ok: true; registration: CourseRegistration } | { ok: false; reason: 'notFound' | 'lapsed' }>;
  declineOffer(member: Member, registrationId: number): Promise<{ ok: boolean }>;
  /** Job: lapses offers past their deadline and offers each seat to the next waiting member. Returns how many. */
  lapseOffers(): Promise<number>;

  // Officers
  registrants(officer: Member, courseId: number): Promise<CatalogueResult<RegistrantList>>;
  /** Attendance and completion (chat, CLI roll-call import, web). */
  mark(
    actor: CourseActor,
    registrationId: number,
    mark: 'attended' | 'completed' | 'absent',
  ): Promise<CatalogueResult<CourseRegistration>>;
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
