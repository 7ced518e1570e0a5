// Registering for a course in chat (issue 12, point 3).
//
// 1. COURSE_REGISTER_FLOW (answers: courseId): the basic consent first (her name, commune and phone go to the
//    officer in charge), then the service's check before any question (CourseService.canRegister: open, deadline,
//    already registered, under 16 → "an officer will call", never a registration by chat).
// 2. COURSE_PROFILE_FLOW: only what her profile lacks (name, commune, phone, birth year), saved to her profile, then
//    back to 1, so the age rule (data: the support-policy file) is checked before a single support question.
// 3. COURSE_FORM_FLOW: her profile data shown for confirmation (prefilled answers, editable at the summary), then only
//    the support questions that can still change her level (CourseService.nextSupportQuestion); the sensitive ones
//    (disability, ethnic minority) after a consent that names them (purpose `courseSensitive`; declined → skipped,
//    counted as "no"). Only the resulting level is stored (on the registration), never the answers. A summary with
//    confirm / edit / cancel, then `register`: the seat is taken in the turn's transaction, never overbooked.
// 4. Full: COURSE_WAIT_FLOW offers the waiting list, saying what it means (an offer with a deadline when a seat frees).
// Outside working age (not a child) she is registered and told an officer will check.
import type { Answers, Flow, FlowContext, FlowOutcome, Json, ParseResult, Step } from '../../conversation/flow.ts';
import { answerText, PREFILL, RESUME, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type {
  Course,
  RegisterResult,
  RegistrationBlock,
  SupportAnswers,
  SupportDecision,
  SupportQuestionId,
} from '../../domain/courses.ts';
import type { Member, MemberPatch, MemberRepository } from '../../domain/member.ts';
import { formatDateTime, formatIsoDate } from '../../domain/time.ts';
import { CONSENT_FLOW } from '../consent/flow.ts';
import type { ConsentService } from '../consent/purposes.ts';
import { fieldSteps, patchOf } from '../profile/flows.ts';
import { COURSE_REGISTER_FLOW } from './browse.ts';
import { communeName, courseFromJson, courseTitle, courseToJson, isFull, supportSentence } from './presenter.ts';
import type { CourseService } from './service.ts';

export const COURSE_PROFILE_FLOW = 'courseProfile';
export const COURSE_FORM_FLOW = 'courseForm';
export const COURSE_WAIT_FLOW = 'courseWait';

/** The consent purpose of the sensitive support questions (disability, ethnic minority): Decree 356/2025. */
export const SENSITIVE_PURPOSE = 'courseSensitive';

export interface RegisterDeps {
  service: CourseService;
  members: MemberRepository;
  areas: AreaDirectory;
  consent: Pick<ConsentService, 'stateOf' | 'decide'>;
  /** How long an offered seat is held for her (COURSE_OFFER_HOURS), said when she is offered the waiting list. */
  offerHours: number;
}

/** A year of birth as members type it: "1988", "sinh năm 1988", "năm 88" is not enough (which century?). */
const YEAR = /(?:^|\D)((?:19|20)\d{2})(?:\D|$)/u;

const birthYearInput = {
  kind: 'custom' as const,
  parse: (input: string, ctx: FlowContext): ParseResult => {
    const found = YEAR.exec(input);
    const year = found ? Number(found[1]) : NaN;
    const thisYear = ctx.now.getUTCFullYear();
    if (!Number.isInteger(year) || year > thisYear || year < thisYear - 110) {
      return { ok: false, error: text('courses:register.birthYearInvalid') };
    }
    return { ok: true, value: year };
  },
  // A year, not an amount: "1988", never "1.988".
  display: (value: Json): { raw: string } => ({ raw: answerText(value) }),
};

const birthYearStep: Step = {
  id: 'birthYear',
  prompt: text('courses:register.askBirthYear'),
  help: text('courses:register.birthYearHelp'),
  input: birthYearInput,
  summaryLabel: text('courses:register.birthYearField'),
};

/** What a blocked registration says (the course's title and deadline in it). */
function blockedSaid(reason: RegistrationBlock, course: Course | null, ctx: FlowContext): FlowOutcome['say'] {
  return [
    text(`courses:register.blocked.${reason}`, {
      title: course ? courseTitle(course, ctx.member.language) : '',
      deadline: course ? formatDateTime(course.registrationDeadline, ctx.timeZone, ctx.member.language) : '',
    }),
  ];
}

const yesNoOf = (value: Json | undefined): boolean | undefined =>
  value === 'yes' ? true : value === 'no' ? false : undefined;

/** Her support answers so far, from the form's answers (the consent declined → noSensitive). */
export function supportAnswersOf(answers: Answers): SupportAnswers {
  const support: SupportAnswers = {};
  if (answers['sensitiveState'] === 'declined' || answers['sensitive'] === 'no') support.noSensitive = true;
  const disability = yesNoOf(answers['disability']);
  if (disability !== undefined) support.disability = disability;
  const household = answers['household'];
  if (household === 'poor' || household === 'nearPoor' || household === 'none') support.household = household;
  const ethnic = yesNoOf(answers['ethnicMinority']);
  if (ethnic !== undefined) support.ethnicMinority = ethnic;
  const difficult = yesNoOf(answers['difficultCommune']);
  if (difficult !== undefined) support.difficultCommune = difficult;
  const other = yesNoOf(answers['otherPriority']);
  if (other !== undefined) support.otherPriority = other;
  return support;
}

/**
 * Profile fields the registration needs and her profile lacks. The phone is asked once, with the reason, and she may
 * skip it: `phoneSkipped` (she registered before without giving one — every registration asks it) is respected.
 */
function missingProfile(member: Member, answers: Answers, phoneSkipped: boolean): boolean {
  return (
    member.displayName === null ||
    member.communeCode === null ||
    member.birthYear === null ||
    (member.phone === null && answers['phoneAsked'] !== true && !phoneSkipped)
  );
}

/**
 * Her profile as the form's prefilled answers (PREFILL, taken as given: shown at the summary to confirm, editable
 * there); a phone she skipped before is taken as skipped.
 */
function profileAnswers(member: Member): Answers {
  const given = (value: Json) => ({ value, confirm: false });
  return {
    [PREFILL]: {
      ...(member.displayName !== null ? { name: given(member.displayName) } : {}),
      ...(member.communeCode !== null ? { commune: given(member.communeCode) } : {}),
      phone: given(member.phone),
      ...(member.birthYear !== null ? { birthYear: given(member.birthYear) } : {}),
    },
  };
}

/** The profile changes in the answers (only the fields that differ from her profile). */
function profilePatch(member: Member, answers: Answers): MemberPatch {
  const patch: MemberPatch = {};
  if ('name' in answers) {
    const name = patchOf('name', answers['name']).displayName;
    if (name && name !== member.displayName) patch.displayName = name;
  }
  if ('commune' in answers) {
    const commune = patchOf('commune', answers['commune']).communeCode;
    if (commune && commune !== member.communeCode) patch.communeCode = commune;
  }
  if ('phone' in answers) {
    const phone = patchOf('phone', answers['phone']).phone ?? null;
    if (phone !== null && phone !== member.phone) patch.phone = phone;
  }
  if (typeof answers['birthYear'] === 'number' && answers['birthYear'] !== member.birthYear) {
    patch.birthYear = answers['birthYear'];
  }
  return patch;
}

export function createRegisterFlows(deps: RegisterDeps): Flow[] {
  const { service } = deps;
  const profileSteps = fieldSteps({ members: deps.members, areas: deps.areas }, false);

  /**
   * Saves the profile changes in the answers; the member as she now is. A birth year that makes her a child for this
   * course is not stored (data minimisation: a child's data needs her legal representative's consent; the officer
   * needs only her name, commune and phone to reach the family) — it is passed to the service's check instead.
   */
  async function saveProfile(
    member: Member,
    answers: Answers,
    courseId: number,
  ): Promise<{ member: Member; changed: boolean }> {
    const patch = profilePatch(member, answers);
    if (patch.birthYear !== undefined) {
      const course = await service.get(courseId);
      if (course && service.ageCheck(patch.birthYear, course) === 'child') delete patch.birthYear;
    }
    if (Object.keys(patch).length === 0) return { member, changed: false };
    return { member: await deps.members.update(member.id, patch), changed: true };
  }

  const register: Flow = {
    id: COURSE_REGISTER_FLOW,
    steps: [],
    finish: async (ctx): Promise<FlowOutcome> => {
      const { member, answers } = ctx;
      const courseId = Number(answers['courseId']);
      // Her name, commune and phone go to the officer in charge: only with her consent (then back here).
      if (!member.consentAt) {
        return {
          say: [text('courses:register.needConsent')],
          next: { to: 'flow', flowId: CONSENT_FLOW, answers: { [RESUME]: { flowId: COURSE_REGISTER_FLOW, answers } } },
        };
      }
      const given = typeof answers['birthYear'] === 'number' ? answers['birthYear'] : undefined;
      const check = await service.canRegister(member, courseId, given === undefined ? {} : { birthYear: given });
      if (!check.ok) return { say: blockedSaid(check.reason, check.course, ctx), next: { to: 'home' } };
      const title = courseTitle(check.course, member.language);
      const waitingList = answers['waitingList'] === true;
      // Full when she starts: told before a single question, and asked whether to wait (the seat itself is only
      // taken at the end; one freed meanwhile is hers).
      if (isFull(check.course) && !waitingList) {
        return { say: [], next: { to: 'flow', flowId: COURSE_WAIT_FLOW, answers: { courseId, title, before: true } } };
      }
      const intro =
        answers['introduced'] === true
          ? []
          : [
              waitingList
                ? text('courses:register.introWaiting', { title, hours: deps.offerHours })
                : text('courses:register.intro', { title }),
            ];
      const phoneSkipped = member.phone === null && (await service.mine(member)).length > 0;
      if (missingProfile(member, answers, phoneSkipped)) {
        return {
          say: intro,
          next: { to: 'flow', flowId: COURSE_PROFILE_FLOW, answers: { courseId, title, waitingList, phoneSkipped } },
        };
      }
      const sensitiveState = await deps.consent.stateOf(member, SENSITIVE_PURPOSE);
      return {
        say: intro,
        next: {
          to: 'flow',
          flowId: COURSE_FORM_FLOW,
          answers: {
            courseId,
            waitingList,
            course: courseToJson(check.course),
            alreadySupported: check.alreadySupported,
            sensitiveState,
            ...profileAnswers(member),
          },
        },
      };
    },
  };

  // Only what her profile lacks; saved to her profile (as she is told), then the registration goes on.
  const profile: Flow = {
    id: COURSE_PROFILE_FLOW,
    access: 'consented',
    purposes: ['courseSupport'],
    steps: [
      ...profileSteps.map((step) => ({
        ...step,
        when: (_answers: Answers, { member }: FlowContext) =>
          step.id === 'name'
            ? member.displayName === null
            : step.id === 'commune'
              ? member.communeCode === null
              : member.phone === null && _answers['phoneSkipped'] !== true,
        // The phone with what it is for here (the officer calls about the course, an offered seat).
        ...(step.id === 'phone'
          ? { prompt: ({ t }: FlowContext) => text('courses:register.askPhone', { skip: t('common:skip') }) }
          : {}),
      })),
      { ...birthYearStep, when: (_answers, { member }) => member.birthYear === null },
    ],
    finish: async ({ member, answers }) => {
      const saved = await saveProfile(member, answers, Number(answers['courseId']));
      // A birth year not stored (a child's) still decides the check.
      const unsaved: Answers =
        typeof answers['birthYear'] === 'number' && saved.member.birthYear !== answers['birthYear']
          ? { birthYear: answers['birthYear'] }
          : {};
      return {
        say: saved.changed ? [text('courses:register.profileSaved')] : [],
        next: {
          to: 'flow',
          flowId: COURSE_REGISTER_FLOW,
          answers: {
            courseId: answers['courseId'] ?? null,
            phoneAsked: true,
            introduced: true,
            waitingList: answers['waitingList'] === true,
            ...unsaved,
          },
        },
        member: saved.member,
      };
    },
  };

  /** Whether the support question `id` is the next one that can change her level (the service decides). */
  const asks =
    (id: SupportQuestionId) =>
    (answers: Answers): boolean => {
      const course = courseFromJson(answers['course']);
      if (!course) return false;
      return (
        service.nextSupportQuestion(course, supportAnswersOf(answers), answers['alreadySupported'] === true) === id
      );
    };
  const yesNoStep = (id: 'disability' | 'ethnicMinority' | 'difficultCommune' | 'otherPriority'): Step => ({
    id,
    prompt: text(`courses:register.ask${id[0]!.toUpperCase()}${id.slice(1)}`),
    input: { kind: 'yesno' },
    when: asks(id),
    summaryLabel: text(`courses:register.${id}Field`),
  });

  const form: Flow = {
    id: COURSE_FORM_FLOW,
    access: 'consented',
    purposes: ['courseSupport'],
    steps: [
      // Her profile, prefilled: shown at the summary (to confirm, or edit there).
      ...profileSteps,
      birthYearStep,
      {
        // Before the first sensitive question (disability comes first whenever any question is asked), once.
        id: 'sensitive',
        prompt: text('courses:register.askSensitive'),
        input: {
          kind: 'yesno',
          yesLabel: text('courses:register.sensitiveYes'),
          noLabel: text('courses:register.sensitiveNo'),
        },
        when: (answers) => answers['sensitiveState'] === 'undecided' && asks('disability')(answers),
        summaryLabel: text('courses:register.sensitiveField'),
      },
      yesNoStep('disability'),
      {
        id: 'household',
        prompt: text('courses:register.askHousehold'),
        input: {
          kind: 'choice',
          options: () =>
            (['poor', 'nearPoor', 'none'] as const).map((h) => ({
              value: h,
              label: text(`courses:register.household.${h}`),
            })),
        },
        when: asks('household'),
        summaryLabel: text('courses:register.householdField'),
      },
      yesNoStep('ethnicMinority'),
      yesNoStep('difficultCommune'),
      yesNoStep('otherPriority'),
    ],
    summary: { title: text('courses:register.summaryTitle') },
    finish: async (ctx): Promise<FlowOutcome> => {
      const { answers, now } = ctx;
      const courseId = Number(answers['courseId']);
      let { member } = await saveProfile(ctx.member, answers, courseId);
      // Her decision on the sensitive questions is kept (as any consent, with its time); the answers are not.
      if (answers['sensitive'] === 'yes' || answers['sensitive'] === 'no') {
        member = await deps.consent.decide(member, SENSITIVE_PURPOSE, answers['sensitive'] === 'yes', now);
      }
      const said = { ...ctx, member };
      // Checked again: she may have changed her birth year at the summary (a child's is not stored), or the deadline
      // passed meanwhile.
      const given = typeof answers['birthYear'] === 'number' ? answers['birthYear'] : undefined;
      const check = await service.canRegister(member, courseId, given === undefined ? {} : { birthYear: given });
      if (!check.ok) return { say: blockedSaid(check.reason, check.course, said), next: { to: 'home' }, member };
      const decision = service.supportDecision(check.course, supportAnswersOf(answers), check.alreadySupported);
      let result = await service.register(member, courseId, decision);
      // Full, and she chose the waiting list before the questions: she is put on it without being asked again.
      if (result.kind === 'full' && answers['waitingList'] === true) {
        result = await service.joinWaitingList(member, courseId, decision);
      }
      return { ...registeredOutcome(result, decision, said), member };
    },
  };

  /** What registering (or joining the waiting list) gave her. */
  function registeredOutcome(result: RegisterResult, decision: SupportDecision, ctx: FlowContext): FlowOutcome {
    const { member, t } = ctx;
    const language = member.language;
    switch (result.kind) {
      case 'registered': {
        const course = result.course;
        const lines = [
          t('courses:register.registered', {
            title: courseTitle(course, language),
            start: formatIsoDate(course.startDate, language),
            address: course.address,
            commune: communeName(course.communeCode, deps.areas, t),
          }),
          supportSentence(decision, ctx),
          ...(result.officerCheck ? [t('courses:register.officerCheck')] : []),
        ];
        return { say: [{ raw: lines.join('\n') }], next: { to: 'home' } };
      }
      case 'waiting':
        return {
          say: [
            text('courses:register.waiting', { title: courseTitle(result.course, language), place: result.place }),
            ...(result.officerCheck ? [text('courses:register.officerCheck')] : []),
          ],
          next: { to: 'home' },
        };
      case 'full':
        return {
          say: [],
          next: {
            to: 'flow',
            flowId: COURSE_WAIT_FLOW,
            answers: {
              courseId: result.course.id,
              title: courseTitle(result.course, language),
              decision: decision as unknown as Json,
            },
          },
        };
      case 'blocked':
        return { say: blockedSaid(result.reason, result.course, ctx), next: { to: 'home' } };
    }
  }

  const wait: Flow = {
    id: COURSE_WAIT_FLOW,
    access: 'consented',
    purposes: ['courseSupport'],
    steps: [
      {
        id: 'join',
        // Before the questions ("đã đủ chỗ"), or at the end when the last seat went while she answered ("vừa đủ").
        prompt: ({ answers }) =>
          text(answers['before'] === true ? 'courses:register.fullBefore' : 'courses:register.offerFull', {
            title: answerText(answers['title']),
            hours: deps.offerHours,
          }),
        input: {
          kind: 'yesno',
          yesLabel: text('courses:register.joinWaiting'),
          noLabel: text('courses:register.noWaiting'),
        },
      },
    ],
    finish: async (ctx) => {
      const { answers, member } = ctx;
      if (answers['join'] !== 'yes') return { say: [text('courses:register.notWaiting')], next: { to: 'home' } };
      if (answers['before'] === true) {
        // Then her profile and the support questions, as for a seat (her support level goes with her place).
        return {
          say: [],
          next: {
            to: 'flow',
            flowId: COURSE_REGISTER_FLOW,
            answers: { courseId: answers['courseId'] ?? null, waitingList: true },
          },
        };
      }
      const decision = answers['decision'] as unknown as SupportDecision;
      const result = await service.joinWaitingList(member, Number(answers['courseId']), decision);
      return registeredOutcome(result, decision, ctx);
    },
  };

  return [register, profile, form, wait];
}
