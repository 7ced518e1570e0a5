// The credit pre-screen: asks only what matters for the member's purpose and commune, shows the programmes she may
// qualify for (best first, with the rate in force today), and hands a lead to the officers of her commune.
// The bot pre-screens; it never approves: the savings-and-loan group, the commune and the bank decide.
import type { Answers, ChoiceOption, Flow, FlowContext, Json, ParseResult, Step } from '../../conversation/flow.ts';
import { answerText, RESUME, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type {
  CreditAnswers,
  CreditInquiryRepository,
  CreditQuestion,
  ProgrammeData,
} from '../../domain/credit/index.ts';
import {
  creditAnswersSchema,
  evaluate,
  HOUSEHOLD_STATUSES,
  parseAmount,
  PURPOSES,
  questionsToAsk,
  toIsoDate,
} from '../../domain/credit/index.ts';
import type { Language } from '../../domain/member.ts';
import { fold, matchByName } from '../../domain/text.ts';
import { areaInput } from '../areaInput.ts';
import type { CaseService } from '../cases/service.ts';
import { CONSENT_FLOW } from '../consent.ts';
import type { MenuEntry } from '../menu.ts';
import { formatVnd, resultMessages } from './format.ts';

export const CREDIT_FLOW = 'credit';
export const CREDIT_NEXT_FLOW = 'creditNext';

export const creditMenuEntry: MenuEntry = { flowId: CREDIT_FLOW, label: text('menu:credit'), audience: 'everyone' };

export interface CreditDeps {
  programmes: ProgrammeData;
  areas: AreaDirectory;
  cases: CaseService;
  inquiries: CreditInquiryRepository;
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

/** xã → rural; phường, thị trấn → urban (the clean-water programme is for rural households). */
function areaKindOf(code: string | null, areas: AreaDirectory): 'rural' | 'urban' | undefined {
  const unit = areas.byCodeOrNull(code);
  if (!unit) return undefined;
  return fold(unit.type) === 'xa' ? 'rural' : 'urban';
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

export function createCreditFlows(deps: CreditDeps): Flow[] {
  const data = deps.programmes;
  const asks = (question: CreditQuestion) => (answers: Answers, ctx: FlowContext) => {
    if (question === 'area' && areaKindOf(communeOf(answers, ctx), deps.areas)) return false;
    const credit = creditAnswersOf(answers, ctx, deps.areas);
    return questionsToAsk(credit, ctx.now, communeOf(answers, ctx), data).includes(question);
  };
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
      const parsed = parseAmount(input);
      if (parsed.ok) return { ok: true, value: parsed.vnd };
      if (parsed.reason === 'no_unit' && parsed.guess) {
        return {
          ok: 'confirm',
          value: parsed.guess,
          question: text('credit:amountGuess', { amount: formatVnd(parsed.guess, ctx.member.language, ctx.t) }),
        };
      }
      return { ok: false, error: text(`credit:errors.amount.${parsed.reason}`) };
    },
    display: (value: Json, ctx: FlowContext) =>
      typeof value === 'number' ? { raw: formatVnd(value, ctx.member.language, ctx.t) } : text('credit:dontKnow'),
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
      const date = toIsoDate(ctx.now);
      const result = evaluate(answers, date, commune, data);
      return {
        say: resultMessages(result, ctx.member.language, ctx.t),
        next: {
          to: 'flow',
          flowId: CREDIT_NEXT_FLOW,
          answers: { inquiry: { answers: answers as Json, commune, date } },
        },
      };
    },
  };

  const next: Flow = {
    id: CREDIT_NEXT_FLOW,
    steps: [
      {
        id: 'next',
        prompt: text('credit:next.prompt'),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'lead', label: text('credit:next.lead') },
            { value: 'again', label: text('credit:next.again') },
            { value: 'menu', label: text('credit:next.menu') },
          ],
        },
      },
    ],
    finish: async ({ member, answers }) => {
      const choice = answers['next'];
      if (choice === 'again') return { say: [], next: { to: 'flow', flowId: CREDIT_FLOW } };
      if (choice !== 'lead') return { say: [], next: { to: 'home' } };
      // A lead stores her answers and passes her name and commune to an officer: only with her consent.
      if (!member.consentAt) {
        // After consent (and the profile) she comes back here, to the same choice, with her answers kept.
        const resume = { flowId: CREDIT_NEXT_FLOW, answers: { inquiry: answers['inquiry'] ?? null } };
        return {
          say: [text('credit:lead.needConsent')],
          next: { to: 'flow', flowId: CONSENT_FLOW, answers: { [RESUME]: resume } },
        };
      }
      const saved = answers['inquiry'] as { answers: CreditAnswers; commune: string | null; date: string };
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
              : vi('credit:dontKnow'),
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
      const sent = opened.notified > 0 ? 'credit:lead.sent' : 'credit:lead.sentNobody';
      return { say: [text(sent, { id: c.id })], next: { to: 'home' } };
    },
  };

  return [credit, next];
}
