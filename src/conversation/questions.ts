// The question a member is answering, rebuilt from her state (choices are never stored), its buttons' data, and
// which option a message picks.
import { createHash } from 'node:crypto';
import { answerPhrase, matchByName, matchPhrase } from '../domain/text.ts';
import { summaryLines } from './answers.ts';
import type { ChoiceOption, Flow, FlowContext, Text, Translate } from './flow.ts';
import { photoAnswer, text } from './flow.ts';
import type { InboundContent, OutboundMessage } from './messages.ts';
import { render } from './render.ts';
import type { State } from './state.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface Question {
  id: string;
  lines: Text[];
  options: ChoiceOption[];
  /** The member may type something other than an option (a name, a phone number...). */
  freeText: boolean;
  /** Typed digits select options by position (not for number steps, where digits are the answer). */
  numbersPickOptions: boolean;
}

/** The options of a collecting photo step once she sent one (InputSpec photo `collect`): done, start again. */
export const PHOTOS_DONE = '_done';
export const PHOTOS_CLEAR = '_clear';

/** The value of the Skip option an optional step adds. */
export const SKIP = '_skip';
/** "2", "2.", "2)", "(2)", "số 2", "#2": the bot numbers choices "1)" and members copy that. */
const TYPED_NUMBER = /^(?:(?:s[oố]|no\.?|#)\s*)?\(?\s*(\d{1,2})\s*[.)]?$/iu;

/** The question the member is answering now in `flow` (the flow of `state`), rebuilt from the state. */
export function buildQuestion(flow: Flow, state: State, ctx: FlowContext, vocabulary: Vocabulary): Question {
  const { key, ...question } = questionParts(flow, state, ctx, vocabulary);
  return {
    id: questionId(
      `${state.flowId}/${key}`,
      question.options.map((o) => o.value),
    ),
    ...question,
  };
}

function questionParts(
  flow: Flow,
  state: State,
  ctx: FlowContext,
  v: Vocabulary,
): Omit<Question, 'id'> & { key: string } {
  const t = ctx.t;
  const yesNo = (labels: { yesLabel?: Text; noLabel?: Text } = {}): ChoiceOption[] => [
    { value: 'yes', label: labels.yesLabel ?? text('common:yes'), synonyms: v.yes },
    { value: 'no', label: labels.noLabel ?? text('common:no'), synonyms: v.no },
  ];

  if (state.mode === 'summary') {
    const lines = summaryLines(flow, state.answers, ctx).map(({ label, value }) => ({
      raw: t('common:summary.line', { label: render(t, label), value: render(t, value) }),
    }));
    return {
      key: 'summary',
      lines: [flow.summary?.title ?? text('common:summary.title'), ...lines, text('common:summary.question')],
      // "Thông tin đã đúng chưa?" is a yes/no question too: "đúng rồi", "dung", "ok" confirm. The cancel option keeps
      // only its label, so "dung" (đúng? dừng?) confirms here, and "dừng" still cancels as the global command.
      options: [
        { value: 'confirm', label: text('common:summary.confirm'), synonyms: v.yes },
        { value: 'edit', label: text('common:summary.edit'), synonyms: v.edit },
        { value: 'cancel', label: text('common:summary.cancel') },
      ],
      freeText: false,
      numbersPickOptions: true,
    };
  }
  if (state.mode === 'editPick') {
    const editable = summaryLines(flow, state.answers, ctx).map(({ step, label }) => ({ value: step.id, label }));
    return {
      key: 'edit',
      lines: [text('common:summary.whichField')],
      options: [...editable, { value: '', label: text('common:summary.backToSummary') }],
      freeText: false,
      numbersPickOptions: true,
    };
  }

  const step = flow.steps.find((s) => s.id === state.stepId);
  if (!step) return { key: 'none', lines: [], options: [], freeText: true, numbersPickOptions: false };

  if (state.mode === 'pending' && state.pending?.kind === 'command') {
    const pending = state.pending;
    if (pending.answer) {
      // Both readings as buttons: the command ("Hủy việc đang làm", also taken by its own words: "hủy", "dừng"), or
      // the option the word picked ("Ý tôi là "Có""). Other words answer the step itself ("đúng", "có", "không").
      const answer = render(t, pending.answer);
      return {
        key: `command:${step.id}`,
        lines: [text(`common:commandCheck.asOption.${pending.command}`, { input: pending.input, answer })],
        options: [
          { value: 'yes', label: text(`common:commandCheck.doIt.${pending.command}`), synonyms: v[pending.command] },
          { value: 'no', label: text('common:commandCheck.isOption', { answer }) },
        ],
        freeText: true,
        numbersPickOptions: true,
      };
    }
    return {
      key: `command:${step.id}`,
      lines: [text(`common:commandCheck.${pending.command}`, { input: pending.input })],
      options: [
        { value: 'yes', label: text(`common:commandCheck.doIt.${pending.command}`), synonyms: v.yes },
        { value: 'no', label: text('common:commandCheck.isAnswer'), synonyms: v.no },
      ],
      freeText: true,
      numbersPickOptions: true,
    };
  }
  const pending = state.pending;
  if (state.mode === 'pending' && pending?.kind === 'offer') {
    return {
      key: `offer:${step.id}`,
      lines: [pending.question],
      options: pending.options.map((o, i) => ({ value: String(i), label: o.label })),
      freeText: true,
      numbersPickOptions: true,
    };
  }
  if (state.mode === 'pending' && pending && pending.kind !== 'command') {
    const options: ChoiceOption[] =
      pending.kind === 'confirm'
        ? yesNo()
        : [
            ...pending.options.map((o, i) => ({ value: String(i), label: o.label })),
            { value: 'none', label: text('common:noneOfThese') },
          ];
    return {
      key: `pending:${step.id}`,
      lines: [pending.question],
      options,
      freeText: true,
      numbersPickOptions: true,
    };
  }

  const prompt = typeof step.prompt === 'function' ? step.prompt(ctx) : step.prompt;
  const skip: ChoiceOption[] = step.optional ? [{ value: SKIP, label: text('common:skip'), synonyms: v.skip }] : [];
  const base = { key: `ask:${step.id}`, lines: [prompt] };
  switch (step.input.kind) {
    case 'choice': {
      // A yes/no question with more answers ("Có / Không / Không biết"): its yes and no take the usual words too.
      const options = step.input
        .options(ctx)
        .map((o) =>
          o.synonyms || (o.value !== 'yes' && o.value !== 'no')
            ? o
            : { ...o, synonyms: o.value === 'yes' ? v.yes : v.no },
        );
      return { ...base, options: [...options, ...skip], freeText: false, numbersPickOptions: true };
    }
    case 'yesno':
      return { ...base, options: [...yesNo(step.input), ...skip], freeText: false, numbersPickOptions: true };
    case 'photo': {
      const count = step.input.collect ? (photoAnswer(state.answers[step.id])?.files.length ?? 0) : 0;
      if (count === 0) return { ...base, options: skip, freeText: true, numbersPickOptions: true };
      const max = step.input.max ?? 1;
      return {
        ...base,
        // One short line per photo message (the step's whole question was asked once): how many, and what next —
        // at the most, only "Xong".
        lines: [text(count >= max ? 'common:photos.full' : 'common:photos.have', { count, max })],
        options: [
          { value: PHOTOS_DONE, label: text('common:photos.done'), synonyms: v.yes },
          { value: PHOTOS_CLEAR, label: text('common:photos.clear') },
          ...skip,
        ],
        freeText: true,
        numbersPickOptions: true,
      };
    }
    default:
      return { ...base, options: skip, freeText: true, numbersPickOptions: step.input.kind !== 'number' };
  }
}

/**
 * Which option the message picks: a tapped button, a typed number ("2", "2.", "2)", "số 2"), or a typed label or
 * synonym, politeness particles and shorthand aside ("có ạ", "dạ vâng", "ko co", "hộ nghèo ạ"). Words typed with
 * their diacritics beat words typed without; two options equally likely pick neither. 'stale': a button of another
 * question (or another version of this one). `isCommand`: whether typed text is a global command word ("hủy", "huy",
 * "menu"): such a word picks an option only by its whole label or a synonym, never by resembling part of a label
 * ("huy" is not "Nói chuyện với cán bộ Hội"), so it stays the command.
 */
export function pickOption(
  question: Question,
  content: InboundContent,
  t: Translate,
  words: Vocabulary['answerWords'],
  isCommand: (typed: string) => boolean = () => false,
): ChoiceOption | null | 'stale' {
  if (content.kind === 'choice') {
    const { qid, index } = splitChoiceData(content.data);
    if (qid !== question.id) return 'stale';
    return question.options[index] ?? 'stale';
  }
  if (content.kind !== 'text' || question.options.length === 0) return null;
  const typed = content.text.trim();
  const number = TYPED_NUMBER.exec(typed);
  if (question.numbersPickOptions && number) return question.options[Number(number[1]) - 1] ?? null;

  const scored = question.options.map((o) => ({
    option: o,
    m: matchPhrase(typed, [render(t, o.label), ...(o.synonyms ?? [])], words),
  }));
  for (const level of ['exact', 'loose'] as const) {
    let found = scored.filter((s) => s.m === level).map((s) => s.option);
    // "không" is both "no" and "skip" at an optional yes/no question: the question's own answer wins.
    if (found.length > 1) found = found.filter((o) => o.value !== SKIP);
    if (found.length === 1) return found[0]!;
    if (found.length > 1) return null;
  }
  // Free-text questions only take a whole label ("Bỏ qua"), so a name that merely starts like a label is kept.
  if (question.freeText || isCommand(typed)) return null;
  const byLabel = matchByName(answerPhrase(typed, words), question.options, (o) => [render(t, o.label)]);
  return byLabel.length === 1 ? byLabel[0]! : null;
}

/** The question as one outbound message: its lines, and its options as buttons carrying choiceData. */
export function renderQuestion(question: Question, seq: number, t: Translate): OutboundMessage {
  const body = question.lines.map((l) => render(t, l)).join('\n');
  if (question.options.length === 0) return { kind: 'text', text: body };
  return {
    kind: 'choices',
    text: body,
    choices: question.options.map((o, i) => ({ label: render(t, o.label), data: choiceData(question.id, seq, i) })),
    freeText: question.freeText,
  };
}

/**
 * A short, stable id for "this question and these options": buttons from an older question, or from the same
 * question with other options, are recognised as stale.
 */
function questionId(key: string, values: readonly string[] = []): string {
  return createHash('sha256')
    .update([key, ...values].join('\u0000'))
    .digest('base64url')
    .slice(0, 8);
}

/**
 * A question button's data: "<question id>.<turn>|<option index>", at most 16 bytes whatever the options' values
 * (a data file's long id never reaches Telegram's 64-byte callback_data limit). The turn number tells a double tap on
 * one message (same data twice) from a tap on the same question asked again (new data).
 */
function choiceData(qid: string, seq: number, index: number): string {
  return `${qid}.${seq.toString(36)}|${index}`;
}

function splitChoiceData(data: string): { qid: string; index: number } {
  const match = /^([\w-]{8})\.[0-9a-z]{1,2}\|(\d{1,3})$/.exec(data);
  return match ? { qid: match[1]!, index: Number(match[2]) } : { qid: '', index: -1 };
}
