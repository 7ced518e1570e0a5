// The credit pre-screen: asks only what matters for the member's purpose and commune, shows the programmes she may
// qualify for (best first, with the rate in force today), and hands a lead to the officers of her commune.
// The bot pre-screens; it never approves: the savings-and-loan group, the commune and the bank decide.
//
// After the answer comes one choice (CREDIT_NEXT_FLOW): "Xem thêm" (the next part of a long answer: see
// format.ts), "ask an officer to contact me", "start again", "menu". "Xem thêm" shows the next part and asks the same
// choice again, without it once everything is shown; on channels without buttons it is a numbered line, answered
// by its number or by typing "xem thêm". Asking for contact asks how the officer can reach her (her profile's
// phone, another number, or only this chat), and tells her honestly how she will be reached.
import type {
  Answers,
  ChoiceOption,
  Flow,
  FlowContext,
  FlowOutcome,
  Json,
  ParseResult,
  Step,
} from '../../conversation/flow.ts';
import { answerText, RESUME, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type {
  CreditAnswers,
  CreditEvaluation,
  CreditInquiryRepository,
  CreditQuestion,
  ProgrammeData,
} from '../../domain/credit/index.ts';
import {
  creditAnswersSchema,
  evaluate,
  HOUSEHOLD_STATUSES,
  PURPOSES,
  questionsToAsk,
  readLoanAmount,
} from '../../domain/credit/index.ts';
import type { Language, Member, MemberRepository } from '../../domain/member.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { fold, matchByName } from '../../domain/text.ts';
import { localIsoDate } from '../../domain/time.ts';
import { areaInput, unitLabel } from '../profile/areaInput.ts';
import type { CaseService } from '../cases/service.ts';
import { CONSENT_FLOW } from '../consent/flow.ts';
import type { MenuEntry } from '../menu/flow.ts';
import { formatVnd, formatVndExact, resultPages, type FactNotes } from './format.ts';

export const CREDIT_FLOW = 'credit';
export const CREDIT_NEXT_FLOW = 'creditNext';

export const creditMenuEntry: MenuEntry = { flowId: CREDIT_FLOW, label: text('menu:credit'), audience: 'everyone' };

export interface CreditDeps {
  programmes: ProgrammeData;
  areas: AreaDirectory;
  cases: CaseService;
  inquiries: CreditInquiryRepository;
  /** To save the phone number she gives for the officer to call (on her profile, as she is told). */
  members: MemberRepository;
  translator: (language: Language) => FlowContext['t'];
}

const UNKNOWN_OPTION = (): ChoiceOption => ({ value: 'unknown', label: text('credit:dontKnow') });
const yesNoUnknown = (): ChoiceOption[] => [
  { value: 'yes', label: text('common:yes') },
  { value: 'no', label: text('common:no') },
  UNKNOWN_OPTION(),
];

/** The commune the pre-screen is about: the one she gave here, else her profile's. */
const communeOf = (answers: Answers, ctx: FlowContext): string | null =>
  typeof answers['commune'] === 'string' ? answers['commune'] : ctx.member.communeCode;

const phoneText = (member: Member): string => (member.phone ? formatVietnamesePhone(member.phone) : '');

/** xã → rural; phường, thị trấn → urban (the clean-water programme is for rural households). */
function areaKindOf(code: string | null, areas: AreaDirectory): 'rural' | 'urban' | undefined {
  const unit = areas.byCodeOrNull(code);
  if (!unit) return undefined;
  return fold(unit.type) === 'xa' ? 'rural' : 'urban';
}

/**
 * What the result cannot show by itself: the area was not asked but read from her commune ("Phường Phan Đình Phùng
 * counts as urban"), so a reason "for rural households only" says why she counts as urban.
 */
function factNotesOf(
  answers: CreditAnswers,
  commune: string | null,
  areas: AreaDirectory,
  ctx: FlowContext,
): FactNotes {
  const unit = areas.byCodeOrNull(commune);
  const kind = areaKindOf(commune, areas);
  if (!unit || !kind || answers.area !== kind) return {};
  return { area: ctx.t(`credit:areaFromCommune.${kind}`, { unit: unitLabel(unit, ctx.t) }) };
}

/** The flow's answers as the rules engine reads them (a skipped amount is "I don't know"). */
export function creditAnswersOf(answers: Answers, ctx: FlowContext, areas: AreaDirectory): CreditAnswers {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(creditAnswersSchema.shape)) {
    const value = answers[key];
    if (value === undefined) continue;
    if (key === 'amountNeeded') raw[key] = typeof value === 'number' ? value : 'unknown';
    else if (key === 'outstandingLoanProgrammes') raw[key] = value === 'unknown' ? 'unknown' : [answerText(value)];
    else raw[key] = value;
  }
  raw['area'] ??= areaKindOf(communeOf(answers, ctx), areas);
  const parsed = creditAnswersSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** The saved pre-screen the choice after the answer works on. */
interface SavedInquiry {
  answers: CreditAnswers;
  commune: string | null;
  /** ISO date the rules were evaluated for. */
  date: string;
  /** Her answers as she saw them in the summary (the area: asked, or read from her commune). */
  areaAsked?: boolean;
}

export function createCreditFlows(deps: CreditDeps): Flow[] {
  const data = deps.programmes;
  const today = (ctx: FlowContext) => localIsoDate(ctx.now, ctx.timeZone);
  const asks = (question: CreditQuestion) => (answers: Answers, ctx: FlowContext) => {
    if (question === 'area' && areaKindOf(communeOf(answers, ctx), deps.areas)) return false;
    const credit = creditAnswersOf(answers, ctx, deps.areas);
    return questionsToAsk(credit, today(ctx), communeOf(answers, ctx), data).includes(question);
  };
  /** The answer in parts (format.ts): the first leads with the answer, the others come with "Xem thêm". */
  const pagesOf = (saved: SavedInquiry, result: CreditEvaluation, ctx: FlowContext): string[] =>
    resultPages(result, ctx.member.language, ctx.t, {
      purposeLabel: saved.answers.purpose ? ctx.t(`credit:purposes.${saved.answers.purpose}`) : null,
      factNotes: saved.areaAsked ? {} : factNotesOf(saved.answers, saved.commune, deps.areas, ctx),
    });
  const choiceStep = (id: CreditQuestion, options: (ctx: FlowContext) => ChoiceOption[]): Step => ({
    id,
    prompt: text(`credit:ask.${id}`),
    input: { kind: 'choice', options },
    when: asks(id),
    summaryLabel: text(`credit:fields.${id}`),
  });

  const amountInput = {
    kind: 'custom' as const,
    parse: (input: string, ctx: FlowContext): ParseResult => {
      // "không biết" / "don't know" typed instead of tapping Skip.
      if (matchByName(input, [ctx.t('credit:dontKnow')], (label) => [label]).length > 0)
        return { ok: true, value: null };
      const language = ctx.member.language;
      const read = readLoanAmount(input);
      switch (read.kind) {
        case 'ok':
          return { ok: true, value: read.vnd };
        case 'confirm':
          // "30" → "30 triệu?"; "50k" → "only 50.000 đồng?" (an implausibly small loan is confirmed first).
          return {
            ok: 'confirm',
            value: read.vnd,
            question:
              read.why === 'no_unit'
                ? text('credit:amountGuess', { amount: formatVnd(read.vnd, language, ctx.t) })
                : text('credit:amountSmall', { amount: formatVndExact(read.vnd, language, ctx.t) }),
          };
        case 'pick':
          // "3000": thousands of đồng (3 triệu) or really 3.000 đồng.
          return {
            ok: 'pick',
            question: text('credit:amountWhich'),
            options: read.options.map((vnd) => ({ value: vnd, label: { raw: formatVndExact(vnd, language, ctx.t) } })),
          };
        case 'invalid':
          return { ok: false, error: text(`credit:errors.amount.${read.reason}`) };
      }
    },
    display: (value: Json, ctx: FlowContext) =>
      typeof value === 'number' ? { raw: formatVnd(value, ctx.member.language, ctx.t) } : text('credit:amountUnknown'),
  };

  const credit: Flow = {
    id: CREDIT_FLOW,
    intro: text('credit:intro'),
    steps: [
      choiceStep('purpose', () => PURPOSES.map((p) => ({ value: p, label: text(`credit:purposes.${p}`) }))),
      {
        id: 'commune',
        prompt: text('profile:askCommune', { province: deps.areas.province }),
        input: areaInput(deps.areas),
        when: (_answers, ctx) => ctx.member.communeCode === null,
        // She may not know her new commune: the pre-screen still works, an officer checks the rest.
        optional: true,
        summaryLabel: text('profile:fields.commune'),
      },
      choiceStep('householdStatus', () => [
        ...HOUSEHOLD_STATUSES.map((s) => ({ value: s, label: text(`credit:household.${s}`) })),
        UNKNOWN_OPTION(),
      ]),
      choiceStep('area', () => [
        { value: 'rural', label: text('credit:area.rural') },
        { value: 'urban', label: text('credit:area.urban') },
        UNKNOWN_OPTION(),
      ]),
      choiceStep('ethnicMinority', yesNoUnknown),
      choiceStep('communeDifficult', yesNoUnknown),
      choiceStep('communeExtremelyDifficult', yesNoUnknown),
      choiceStep('outstandingLoans', () => [
        { value: 'none', label: text('credit:loans.none') },
        { value: 'yes', label: text('credit:loans.yes') },
        UNKNOWN_OPTION(),
      ]),
      choiceStep('outstandingLoanProgrammes', ({ member }) => [
        ...data.programmes.map((p) => ({ value: p.id, label: { raw: p.names[member.language] } })),
        { value: 'other', label: text('credit:loans.other') },
        UNKNOWN_OPTION(),
      ]),
      {
        id: 'amountNeeded',
        prompt: text('credit:ask.amountNeeded'),
        help: text('credit:amountHelp'),
        input: amountInput,
        optional: true,
        when: asks('amountNeeded'),
        summaryLabel: text('credit:fields.amountNeeded'),
      },
      choiceStep('savingsGroupMember', yesNoUnknown),
    ],
    summary: { title: text('credit:summaryTitle') },
    finish: async (ctx) => {
      const commune = communeOf(ctx.answers, ctx);
      const answers = creditAnswersOf(ctx.answers, ctx, deps.areas);
      const date = today(ctx);
      const saved: SavedInquiry = { answers, commune, date, areaAsked: typeof ctx.answers['area'] === 'string' };
      const pages = pagesOf(saved, evaluate(answers, date, commune, data), ctx);
      return {
        say: [{ raw: pages[0]! }],
        next: {
          to: 'flow',
          flowId: CREDIT_NEXT_FLOW,
          answers: { inquiry: saved as unknown as Json, page: 1, pages: pages.length },
        },
      };
    },
  };

  const wantsLead = (answers: Answers, ctx: FlowContext) => answers['next'] === 'lead' && ctx.member.consentAt !== null;

  const next: Flow = {
    id: CREDIT_NEXT_FLOW,
    steps: [
      {
        id: 'next',
        prompt: text('credit:next.prompt'),
        input: {
          kind: 'choice',
          // "Xem thêm" comes last, so the numbers of the others stay the same when it goes away on the last page
          // (a member who types "1" for "Nhờ cán bộ liên hệ" keeps getting it).
          options: ({ answers }) => [
            { value: 'lead', label: text('credit:next.lead') },
            { value: 'again', label: text('credit:next.again') },
            { value: 'menu', label: text('credit:next.menu') },
            ...(Number(answers['page']) < Number(answers['pages'])
              ? [{ value: 'more', label: text('credit:next.more') }]
              : []),
          ],
        },
      },
      {
        // She has a phone number in her profile: the officer calls it, another one, or writes here only.
        id: 'contact',
        prompt: ({ member }) => text('credit:contact.askKnown', { phone: phoneText(member) }),
        input: {
          kind: 'choice',
          options: ({ member }) => [
            { value: 'profile', label: text('credit:contact.useProfile', { phone: phoneText(member) }) },
            { value: 'other', label: text('credit:contact.other') },
            { value: 'chat', label: text('credit:contact.chatOnly') },
          ],
        },
        when: (answers, ctx) => wantsLead(answers, ctx) && ctx.member.phone !== null,
      },
      {
        // Optional, and she is told why and where it is kept.
        id: 'phone',
        prompt: text('credit:contact.askPhone'),
        help: text('credit:contact.phoneHelp'),
        input: { kind: 'phone' },
        optional: true,
        when: (answers, ctx) =>
          wantsLead(answers, ctx) && (ctx.member.phone === null || answers['contact'] === 'other'),
      },
    ],
    finish: async (ctx) => {
      const { member, answers } = ctx;
      const choice = answers['next'];
      const saved = answers['inquiry'] as unknown as SavedInquiry;
      if (choice === 'more') {
        const page = Number(answers['page']);
        const pages = pagesOf(saved, evaluate(saved.answers, saved.date, saved.commune, data), ctx);
        return {
          say: pages[page] ? [{ raw: pages[page] }] : [],
          next: {
            to: 'flow',
            flowId: CREDIT_NEXT_FLOW,
            answers: { inquiry: answers['inquiry'] ?? null, page: page + 1, pages: pages.length },
          },
        };
      }
      if (choice === 'again') return { say: [], next: { to: 'flow', flowId: CREDIT_FLOW } };
      if (choice !== 'lead') return { say: [], next: { to: 'home' } };
      // A lead stores her answers and passes her name and commune to an officer: only with her consent.
      if (!member.consentAt) {
        // After consent (and the profile) she comes back here, to the same choice, with her answers kept.
        const resume = {
          flowId: CREDIT_NEXT_FLOW,
          answers: { inquiry: answers['inquiry'] ?? null, page: answers['page'] ?? 1, pages: answers['pages'] ?? 1 },
        };
        return {
          say: [text('credit:lead.needConsent')],
          next: { to: 'flow', flowId: CONSENT_FLOW, answers: { [RESUME]: resume } },
        };
      }
      return openLead(ctx, saved);
    },
  };

  /** How the officer reaches her: the number she gave (saved on her profile, as she was told), or this chat. */
  async function contactOf(ctx: FlowContext): Promise<{ member: Member; phone: string | null; changed: boolean }> {
    const { member, answers } = ctx;
    const given = typeof answers['phone'] === 'string' ? answers['phone'] : null;
    if (given !== null && given !== member.phone) {
      const updated = await deps.members.update(member.id, { phone: given });
      return { member: updated, phone: given, changed: true };
    }
    if (given !== null || answers['contact'] === 'profile') return { member, phone: member.phone, changed: false };
    return { member, phone: null, changed: false };
  }

  async function openLead(ctx: FlowContext, saved: SavedInquiry): Promise<FlowOutcome> {
    const { member: before } = ctx;
    const { member, phone, changed } = await contactOf(ctx);
    const result = evaluate(saved.answers, saved.date, saved.commune, data);
    const vi = deps.translator('vi');
    const hopeful = result.programmes.filter((p) => p.status !== 'not_eligible').map((p) => p.names.vi);
    const opened = await deps.cases.open(
      { ...member, communeCode: saved.commune ?? member.communeCode },
      'credit_lead',
      {
        purpose: saved.answers.purpose ? vi(`credit:purposes.${saved.answers.purpose}`) : vi('credit:dontKnow'),
        programmes: hopeful.length > 0 ? hopeful.join(', ') : vi('credit:lead.noneFits'),
        amount:
          typeof saved.answers.amountNeeded === 'number'
            ? formatVnd(saved.answers.amountNeeded, 'vi', vi)
            : vi('credit:amountUnknown'),
      },
    );
    const c = opened.case;
    await deps.inquiries.create({
      memberId: member.id,
      answers: saved.answers,
      result: result as unknown as Record<string, unknown>,
      dataVersion: result.dataVersion,
      evaluatedOn: saved.date,
      caseId: c.id,
    });
    // Honest about how she will be reached: by phone only if she gave one; a chat reply on Zalo only while she has
    // written to the OA within the last 7 days (Zalo's messaging window).
    const t = ctx.t;
    const lines = [
      opened.notified > 0 ? t('credit:lead.sent', { id: c.id }) : t('credit:lead.sentNobody', { id: c.id }),
      ...(changed ? [t(before.phone ? 'credit:lead.phoneUpdated' : 'credit:lead.phoneSaved')] : []),
      phone
        ? t('credit:lead.byPhone', { phone: formatVietnamesePhone(phone) })
        : t(member.channel === 'zalo' ? 'credit:lead.byChatZalo' : 'credit:lead.byChat'),
      t('credit:lead.status'),
    ];
    return { say: [{ raw: lines.join('\n') }], next: { to: 'home' }, member };
  }

  return [credit, next];
}
