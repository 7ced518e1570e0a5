// The conversation engine: one for every flow and every channel.
// For each message it loads the member's state from the database, applies the message to the current question
// (a step, the closing summary, the "edit which field?" list or a pending confirmation), and saves the new state
// before answering, so a restart or a second process continues exactly where the member was.
import { createHash } from 'node:crypto';
import type { ConversationRepository, Member } from '../domain/member.ts';
import { fold, matchByName } from '../domain/text.ts';
import type {
  ActionHandler,
  Answers,
  ChoiceOption,
  Flow,
  FlowContext,
  FlowNext,
  Json,
  ParseResult,
  Said,
  Step,
  Text,
  Translate,
} from './flow.ts';
import { answerText, isActionMessage, text } from './flow.ts';
import { displayDate, displayNumber, displayPhone, parseDate, parseNumber, parsePhone, parseText } from './inputs.ts';
import type { InboundContent, OutboundMessage } from './messages.ts';
import type { Clock } from './ports.ts';

/** Words members type for the global commands and for yes/no, in every language, folded. */
export interface Vocabulary {
  back: readonly string[];
  cancel: readonly string[];
  menu: readonly string[];
  help: readonly string[];
  skip: readonly string[];
  yes: readonly string[];
  no: readonly string[];
}

export interface EngineDeps {
  flows: readonly Flow[];
  conversations: ConversationRepository;
  clock: Clock;
  /** A conversation left this long is dropped; the member is told on their next message. */
  timeoutMs: number;
  /** IANA zone of the dates members read (TIME_ZONE); handed to flows in FlowContext. */
  timeZone: string;
  /** The flow a member returns to: first contact for newcomers, the menu for everyone else. */
  home: (member: Member) => string;
  translator: (language: Member['language']) => Translate;
  vocabulary: Vocabulary;
  /** Buttons and typed commands that act outside the current question (officer case actions, invitations). */
  actions?: ActionHandler;
}

/** Another process saved this member's state first; the caller reloads and handles the message again. */
export class ConversationConflictError extends Error {
  constructor() {
    super('conversation state changed concurrently');
  }
}

type Mode = 'ask' | 'summary' | 'editPick' | 'pending';

type Pending =
  | { kind: 'confirm'; value: Json; question: Text }
  | { kind: 'pick'; question: Text; options: { value: Json; label: Text }[] };

interface State {
  flowId: string;
  /** The step being asked (mode ask/pending), or null at the summary and the edit list. */
  stepId: string | null;
  mode: Mode;
  answers: Answers;
  /** Steps answered before the current one, for "back". */
  history: string[];
  /** Set while the member edits one field from the summary: after it, return to the summary. */
  editing: boolean;
  pending?: Pending;
  /** When the member last moved the conversation, by the engine's clock (ISO). */
  at?: string;
}

interface Question {
  id: string;
  lines: Text[];
  options: ChoiceOption[];
  /** The member may type something other than an option (a name, a phone number...). */
  freeText: boolean;
  /** Typed digits select options by position (not for number steps, where digits are the answer). */
  numbersPickOptions: boolean;
}

export interface EngineResult {
  replies: OutboundMessage[];
  /** The member after the turn (a flow may have changed the language), or null if the member was erased. */
  member: Member | null;
}

const MAX_FLOW_HOPS = 5;

export class ConversationEngine {
  private readonly flows: Map<string, Flow>;

  constructor(private readonly deps: EngineDeps) {
    this.flows = new Map(deps.flows.map((f) => [f.id, f]));
  }

  async handle(member: Member, content: InboundContent): Promise<EngineResult> {
    const stored = await this.deps.conversations.load(member.id);
    const turn = new Turn(this, member, this.deps.clock.now());
    let state: State | null = stored ? parseState(stored.data) : null;

    if (state && !this.flows.has(state.flowId)) state = null; // a flow removed in an upgrade: start over cleanly
    const lastActivity = state?.at ? Date.parse(state.at) : stored?.updatedAt.getTime();
    if (state && lastActivity !== undefined && turn.now.getTime() - lastActivity > this.deps.timeoutMs) {
      const wasHome = state.flowId === this.deps.home(member);
      state = null;
      if (!wasHome) turn.say(text('common:expired'));
    }

    const action = this.actionIn(content);
    if (action) {
      state = await turn.runAction(state, action.name, action.arg);
    } else if (!state || content.kind === 'start') {
      if (content.kind === 'start' && state) turn.say(text('common:welcomeBack'));
      state = await turn.startFlow(this.deps.home(member));
    } else {
      state = await turn.apply(state, content);
    }

    if (turn.ended) return { replies: turn.render(null), member: null };
    if (!state) throw new Error('engine produced no state');
    const saved = await this.deps.conversations.save(
      turn.member.id,
      { flowId: state.flowId, data: { ...state, at: turn.now.toISOString() } },
      stored?.version ?? 0,
    );
    if (saved === null) throw new ConversationConflictError();
    return { replies: turn.render(state), member: turn.member };
  }

  /** An action button ("!claim:12") or a typed action command ("nhan 12", an invitation code), if this is one. */
  private actionIn(content: InboundContent): { name: string; arg: string } | null {
    const actions = this.deps.actions;
    if (!actions) return null;
    if (content.kind === 'choice' && content.data.startsWith(ACTION_PREFIX)) {
      const body = content.data.slice(ACTION_PREFIX.length);
      const at = body.indexOf(':');
      return at < 0 ? { name: body, arg: '' } : { name: body.slice(0, at), arg: body.slice(at + 1) };
    }
    return content.kind === 'text' ? actions.parseTyped(content.text) : null;
  }

  /** @internal */
  get actions(): ActionHandler | undefined {
    return this.deps.actions;
  }

  /** @internal used by Turn */
  flow(id: string): Flow {
    const flow = this.flows.get(id);
    if (!flow) throw new Error(`unknown flow ${id}`);
    return flow;
  }

  /** @internal */
  get timeZone(): string {
    return this.deps.timeZone;
  }

  /** @internal */
  get vocabulary(): Vocabulary {
    return this.deps.vocabulary;
  }

  /** @internal */
  translate(member: Member): Translate {
    return this.deps.translator(member.language);
  }

  /** @internal */
  home(member: Member): string {
    return this.deps.home(member);
  }
}

/** One member message being handled: collects what to say, then renders it in the member's (final) language. */
class Turn {
  private readonly said: Said[] = [];
  ended = false;

  constructor(
    private readonly engine: ConversationEngine,
    public member: Member,
    readonly now: Date,
  ) {}

  say(message: Said): void {
    this.said.push(message);
  }

  context(state: Pick<State, 'answers'>): FlowContext {
    return {
      member: this.member,
      answers: state.answers,
      t: this.engine.translate(this.member),
      now: this.now,
      timeZone: this.engine.timeZone,
    };
  }

  // ---- entering and leaving flows -------------------------------------------------------------------------

  async startFlow(flowId: string, answers: Answers = {}, hops = 0): Promise<State | null> {
    const flow = this.engine.flow(flowId);
    const state: State = { flowId, stepId: null, mode: 'ask', answers, history: [], editing: false };
    if (flow.intro) this.say(typeof flow.intro === 'function' ? flow.intro(this.context(state)) : flow.intro);
    return this.advance(state, null, hops);
  }

  /** Moves to the next step that applies after `fromStepId` (or the first), or to the summary, or finishes. */
  private async advance(state: State, fromStepId: string | null, hops = 0): Promise<State | null> {
    const flow = this.engine.flow(state.flowId);
    const ctx = this.context(state);
    const applies = (s: Step) => !s.when || s.when(state.answers, ctx);
    let next: Step | undefined;
    if (state.editing) {
      // After an edit, ask any step that now applies and was never answered (branching may have opened one).
      next = flow.steps.find((s) => applies(s) && !(s.id in state.answers));
    } else {
      const from = fromStepId === null ? -1 : flow.steps.findIndex((s) => s.id === fromStepId);
      next = flow.steps.slice(from + 1).find(applies);
    }
    if (fromStepId !== null && !state.editing) state.history = [...state.history, fromStepId];
    if (next) return { ...state, stepId: next.id, mode: 'ask', pending: undefined };

    state.answers = pruneAnswers(flow, state.answers, ctx);
    if (flow.summary) return { ...state, stepId: null, mode: 'summary', editing: false, pending: undefined };
    return this.finish(state, hops);
  }

  private async finish(state: State, hops: number): Promise<State | null> {
    const flow = this.engine.flow(state.flowId);
    const outcome = await flow.finish(this.context(state));
    if (outcome.member) this.member = outcome.member;
    outcome.say.forEach((m) => this.say(m));
    return this.follow(outcome.next, hops + 1);
  }

  /** Runs an action; afterwards the member is where the action sends her, or back at her current question. */
  async runAction(state: State | null, name: string, arg: string): Promise<State | null> {
    const actions = this.engine.actions;
    if (!actions) return state;
    const outcome = await actions.run(this.context(state ?? { answers: {} }), name, arg);
    if (outcome.member) this.member = outcome.member;
    outcome.say.forEach((m) => this.say(m));
    if (outcome.next.to === 'stay') return state ?? this.goHome();
    return this.follow(outcome.next, 1);
  }

  private async follow(next: FlowNext, hops: number): Promise<State | null> {
    if (next.to === 'end') {
      this.ended = true;
      return null;
    }
    if (hops > MAX_FLOW_HOPS) throw new Error('flows keep handing over to each other');
    // 'stay' only means something for actions (runAction); after a flow it is the same as home.
    const flowId = next.to === 'flow' ? next.flowId : this.engine.home(this.member);
    return this.startFlow(flowId, next.to === 'flow' ? (next.answers ?? {}) : {}, hops);
  }

  private async goHome(): Promise<State | null> {
    return this.startFlow(this.engine.home(this.member));
  }

  // ---- applying a message --------------------------------------------------------------------------------

  async apply(state: State, content: InboundContent): Promise<State | null> {
    const question = this.question(state);

    if (content.kind === 'unsupported') {
      this.say(text('common:errors.unsupported'));
      return state;
    }
    if (content.kind === 'text') {
      const command = this.command(content.text);
      if (command) return this.runCommand(command, state);
    }

    const picked = this.pick(question, content);
    if (picked === 'stale') {
      this.say(text('common:errors.staleButton'));
      return state;
    }

    switch (state.mode) {
      case 'summary':
        return this.onSummary(state, picked);
      case 'editPick':
        return this.onEditPick(state, picked);
      case 'pending':
        return this.onPending(state, picked, content);
      case 'ask':
        return this.onAnswer(state, picked, content);
    }
  }

  private command(input: string): keyof Omit<Vocabulary, 'skip' | 'yes' | 'no'> | null {
    const folded = fold(input);
    const v = this.engine.vocabulary;
    for (const name of ['back', 'cancel', 'menu', 'help'] as const) {
      if (v[name].includes(folded)) return name;
    }
    return null;
  }

  private async runCommand(command: 'back' | 'cancel' | 'menu' | 'help', state: State): Promise<State | null> {
    const isHome = state.flowId === this.engine.home(this.member);
    switch (command) {
      case 'help': {
        const step = this.currentStep(state);
        if (step?.help && state.mode === 'ask') this.say(step.help);
        this.say(text('common:help'));
        return state;
      }
      case 'menu':
        return this.goHome();
      case 'cancel':
        if (!isHome) this.say(text('common:cancelled'));
        return this.goHome();
      case 'back':
        return this.back(state);
    }
  }

  private async back(state: State): Promise<State | null> {
    if (state.mode === 'editPick' || (state.mode === 'ask' && state.editing)) {
      return { ...state, mode: 'summary', stepId: null, editing: false, pending: undefined };
    }
    if (state.mode === 'pending') return { ...state, mode: 'ask', pending: undefined };
    const previous = state.history.at(-1);
    if (previous === undefined) {
      if (state.flowId === this.engine.home(this.member)) {
        this.say(text('common:nothingToGoBackTo'));
        return state;
      }
      return this.goHome();
    }
    return { ...state, mode: 'ask', stepId: previous, history: state.history.slice(0, -1), pending: undefined };
  }

  private async onSummary(state: State, picked: ChoiceOption | null): Promise<State | null> {
    switch (picked?.value) {
      case 'confirm':
        return this.finish(state, 0);
      case 'edit':
        return { ...state, mode: 'editPick' };
      case 'cancel':
        this.say(text('common:cancelled'));
        return this.goHome();
      default:
        this.say(text('common:errors.choice', { count: 3 }));
        return state;
    }
  }

  private async onEditPick(state: State, picked: ChoiceOption | null): Promise<State | null> {
    if (!picked) {
      this.say(text('common:errors.choice', { count: this.question(state).options.length }));
      return state;
    }
    if (picked.value === '') return { ...state, mode: 'summary' };
    return { ...state, mode: 'ask', stepId: picked.value, editing: true };
  }

  private async onPending(state: State, picked: ChoiceOption | null, content: InboundContent): Promise<State | null> {
    const pending = state.pending;
    if (!pending) return { ...state, mode: 'ask' };
    if (picked) {
      if (pending.kind === 'confirm') {
        if (picked.value === 'yes') return this.accept(state, pending.value);
        this.say(text('common:tryAgain'));
        return { ...state, mode: 'ask', pending: undefined };
      }
      if (picked.value === 'none') {
        this.say(text('common:tryAgain'));
        return { ...state, mode: 'ask', pending: undefined };
      }
      const option = pending.options[Number(picked.value)];
      if (option) return this.accept(state, option.value);
    }
    // Not an answer to the pending question: maybe the member simply typed a new answer to the step.
    if (content.kind === 'text') return this.onAnswer({ ...state, mode: 'ask', pending: undefined }, null, content);
    this.say(text('common:errors.choice', { count: this.question(state).options.length }));
    return state;
  }

  private async onAnswer(state: State, picked: ChoiceOption | null, content: InboundContent): Promise<State | null> {
    const step = this.currentStep(state);
    if (!step) return this.goHome();
    if (picked) {
      if (picked.value === SKIP) return this.accept(state, null);
      if (step.input.kind === 'choice' || step.input.kind === 'yesno') return this.accept(state, picked.value);
    }
    if (step.input.kind === 'choice' && step.input.otherwise && content.kind === 'text' && content.text.trim() !== '') {
      const answer = step.input.otherwise(content.text, this.context(state));
      if (answer) {
        answer.forEach((m) => this.say(m));
        return state;
      }
    }
    const result = this.parse(step, state, content);
    if (result.ok === true) {
      const invalid = validate(step, result.value);
      if (invalid) {
        this.say(invalid);
        return state;
      }
      return this.accept(state, result.value);
    }
    if (result.ok === false) {
      this.say(result.error);
      return state;
    }
    const pending: Pending =
      result.ok === 'confirm'
        ? { kind: 'confirm', value: result.value, question: result.question }
        : { kind: 'pick', question: result.question, options: result.options };
    return { ...state, mode: 'pending', pending };
  }

  private accept(state: State, value: Json): Promise<State | null> {
    const stepId = state.stepId;
    if (stepId === null) return Promise.resolve(state);
    const answered: State = { ...state, answers: { ...state.answers, [stepId]: value }, pending: undefined };
    return this.advance(answered, stepId);
  }

  private parse(step: Step, state: State, content: InboundContent): ParseResult {
    const input = step.input;
    if (content.kind === 'photo') {
      return input.kind === 'photo'
        ? { ok: true, value: content.ref }
        : { ok: false, error: text('common:errors.photoNotExpected') };
    }
    if (content.kind !== 'text') return { ok: false, error: text('common:errors.unsupported') };
    if (input.kind === 'photo') return { ok: false, error: text('common:errors.photoExpected') };
    if (content.text.trim() === '') return { ok: false, error: text('common:errors.empty') };
    switch (input.kind) {
      case 'text':
        return parseText(content.text, input.maxLength);
      case 'number':
        return parseNumber(content.text, input);
      case 'phone':
        return parsePhone(content.text);
      case 'date':
        return parseDate(content.text);
      case 'custom': {
        const tidied = parseText(content.text);
        return tidied.ok === true ? input.parse(answerText(tidied.value), this.context(state)) : tidied;
      }
      case 'choice':
      case 'yesno':
        return { ok: false, error: text('common:errors.choice', { count: this.question(state).options.length }) };
    }
  }

  private currentStep(state: State): Step | undefined {
    return this.engine.flow(state.flowId).steps.find((s) => s.id === state.stepId);
  }

  // ---- questions and choices -----------------------------------------------------------------------------

  /** The question the member is answering now, rebuilt from the state (choices are never stored). */
  question(state: State): Question {
    const flow = this.engine.flow(state.flowId);
    const ctx = this.context(state);
    const t = ctx.t;
    const v = this.engine.vocabulary;
    const yesNo = (labels: { yesLabel?: Text; noLabel?: Text } = {}): ChoiceOption[] => [
      { value: 'yes', label: labels.yesLabel ?? text('common:yes'), synonyms: v.yes },
      { value: 'no', label: labels.noLabel ?? text('common:no'), synonyms: v.no },
    ];
    const id = (key: string) => questionId(`${state.flowId}/${key}`);

    if (state.mode === 'summary') {
      const lines = summaryLines(flow, state.answers, ctx).map(({ label, value }) => ({
        raw: t('common:summary.line', { label: render(t, label), value: render(t, value) }),
      }));
      return {
        id: id('summary'),
        lines: [flow.summary?.title ?? text('common:summary.title'), ...lines, text('common:summary.question')],
        options: [
          { value: 'confirm', label: text('common:summary.confirm') },
          { value: 'edit', label: text('common:summary.edit') },
          { value: 'cancel', label: text('common:summary.cancel') },
        ],
        freeText: false,
        numbersPickOptions: true,
      };
    }
    if (state.mode === 'editPick') {
      const editable = summaryLines(flow, state.answers, ctx).map(({ step, label }) => ({ value: step.id, label }));
      return {
        id: id('edit'),
        lines: [text('common:summary.whichField')],
        options: [...editable, { value: '', label: text('common:summary.backToSummary') }],
        freeText: false,
        numbersPickOptions: true,
      };
    }

    const step = flow.steps.find((s) => s.id === state.stepId);
    if (!step) return { id: id('none'), lines: [], options: [], freeText: true, numbersPickOptions: false };

    if (state.mode === 'pending' && state.pending) {
      const pending = state.pending;
      const options: ChoiceOption[] =
        pending.kind === 'confirm'
          ? yesNo()
          : [
              ...pending.options.map((o, i) => ({ value: String(i), label: o.label })),
              { value: 'none', label: text('common:noneOfThese') },
            ];
      return {
        id: id(`pending:${step.id}`),
        lines: [pending.question],
        options,
        freeText: true,
        numbersPickOptions: true,
      };
    }

    const prompt = typeof step.prompt === 'function' ? step.prompt(ctx) : step.prompt;
    const skip: ChoiceOption[] = step.optional ? [{ value: SKIP, label: text('common:skip'), synonyms: v.skip }] : [];
    const base = { id: id(`ask:${step.id}`), lines: [prompt] };
    switch (step.input.kind) {
      case 'choice':
        return { ...base, options: [...step.input.options(ctx), ...skip], freeText: false, numbersPickOptions: true };
      case 'yesno':
        return { ...base, options: [...yesNo(step.input), ...skip], freeText: false, numbersPickOptions: true };
      default:
        return { ...base, options: skip, freeText: true, numbersPickOptions: step.input.kind !== 'number' };
    }
  }

  /** Which option the message picks: a tapped button, a typed number, or a typed label/synonym (no diacritics needed). */
  private pick(question: Question, content: InboundContent): ChoiceOption | null | 'stale' {
    if (content.kind === 'choice') {
      const [qid, value] = splitChoiceData(content.data);
      if (qid !== question.id) return 'stale';
      return question.options.find((o) => o.value === value) ?? 'stale';
    }
    if (content.kind !== 'text' || question.options.length === 0) return null;
    const typed = content.text.trim();
    if (question.numbersPickOptions && /^\d{1,2}$/.test(typed)) {
      return question.options[Number(typed) - 1] ?? null;
    }
    const t = this.engine.translate(this.member);
    const folded = fold(typed);
    const bySynonym = question.options.filter((o) => o.synonyms?.some((s) => fold(s) === folded));
    if (bySynonym.length === 1) return bySynonym[0]!;
    // Free-text questions only take an exact label ("Bỏ qua"), so a name that merely starts like a label is kept.
    const byLabel = question.freeText
      ? question.options.filter((o) => fold(render(t, o.label)) === folded)
      : matchByName(typed, question.options, (o) => [render(t, o.label)]);
    return byLabel.length === 1 ? byLabel[0]! : null;
  }

  // ---- rendering -----------------------------------------------------------------------------------------

  render(state: State | null): OutboundMessage[] {
    const t = this.engine.translate(this.member);
    const actions = this.engine.actions;
    const replies = renderSaid(this.said, t, actions ? (a) => actions.typedFor(a, t) : undefined);
    if (!state) return replies;
    const q = this.question(state);
    const body = q.lines.map((l) => render(t, l)).join('\n');
    if (q.options.length === 0) {
      replies.push({ kind: 'text', text: body });
    } else {
      replies.push({
        kind: 'choices',
        text: body,
        choices: q.options.map((o) => ({ label: render(t, o.label), data: `${q.id}${CHOICE_SEPARATOR}${o.value}` })),
        freeText: q.freeText,
      });
    }
    return replies;
  }
}

const SKIP = '_skip';
/** Choice data of action buttons: "!claim:12". Question buttons start with their question id instead. */
const ACTION_PREFIX = '!';
const CHOICE_SEPARATOR = '|';

/** A short, stable id for "this question": buttons from an older question are recognised as stale. */
function questionId(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

function splitChoiceData(data: string): [string, string] {
  const at = data.indexOf(CHOICE_SEPARATOR);
  return at < 0 ? ['', ''] : [data.slice(0, at), data.slice(at + 1)];
}

/** Renders what the bot says (texts and action messages) for one member: used for replies and for the outbox. */
export function renderSaid(
  said: readonly Said[],
  t: Translate,
  typedFor?: (action: string) => string | undefined,
): OutboundMessage[] {
  return said.map((m): OutboundMessage => {
    if (!isActionMessage(m)) return { kind: 'text', text: render(t, m) };
    return {
      kind: 'choices',
      text: render(t, m.text),
      choices: m.actions.map((a) => {
        const typed = typedFor?.(a.action);
        return { label: render(t, a.label), data: `${ACTION_PREFIX}${a.action}`, ...(typed ? { typed } : {}) };
      }),
      freeText: true,
    };
  });
}

export function render(t: Translate, message: Text): string {
  return 'raw' in message ? message.raw : t(message.key, message.vars);
}

function validate(step: Step, value: Json): Text | null {
  if (!step.validate) return null;
  const result = step.validate.safeParse(value);
  if (result.success) return null;
  return text(result.error.issues[0]?.message ?? 'common:errors.invalid');
}

/**
 * Drops answers of steps that no longer apply (an edit changed a branch), so finish() sees a coherent set.
 * Values that are not step answers (context the flow was started with, e.g. a case id) are kept.
 */
function pruneAnswers(flow: Flow, answers: Answers, ctx: FlowContext): Answers {
  const stepIds = new Set(flow.steps.map((s) => s.id));
  const kept: Answers = Object.fromEntries(Object.entries(answers).filter(([key]) => !stepIds.has(key)));
  for (const step of flow.steps) {
    if (!(step.id in answers)) continue;
    if (step.when && !step.when(kept, { ...ctx, answers: kept })) continue;
    kept[step.id] = answers[step.id] ?? null;
  }
  return kept;
}

function summaryLines(flow: Flow, answers: Answers, ctx: FlowContext): { step: Step; label: Text; value: Text }[] {
  return flow.steps
    .filter((s) => s.summaryLabel && s.id in answers)
    .map((s) => ({ step: s, label: s.summaryLabel!, value: displayValue(s, answers[s.id] ?? null, ctx) }));
}

function displayValue(step: Step, value: Json, ctx: FlowContext): Text {
  const input = step.input;
  // A custom input says itself what a skipped answer means ("I don't know" for an amount).
  if (value === null && input.kind !== 'custom') return text('common:summary.skipped');
  switch (input.kind) {
    case 'choice':
      return input.options(ctx).find((o) => o.value === value)?.label ?? { raw: answerText(value) };
    case 'yesno':
      return value === 'yes' ? (input.yesLabel ?? text('common:yes')) : (input.noLabel ?? text('common:no'));
    case 'number':
      return { raw: typeof value === 'number' ? displayNumber(value) : answerText(value) };
    case 'phone':
      return displayPhone(value);
    case 'date':
      return { raw: displayDate(answerText(value)) };
    case 'photo':
      return text('common:summary.photo');
    case 'custom':
      return input.display(value, ctx);
    case 'text':
      return { raw: answerText(value) };
  }
}

function parseState(data: unknown): State | null {
  if (!data || typeof data !== 'object') return null;
  const s = data as Partial<State>;
  if (typeof s.flowId !== 'string' || typeof s.mode !== 'string' || typeof s.answers !== 'object') return null;
  return {
    flowId: s.flowId,
    stepId: s.stepId ?? null,
    mode: s.mode,
    answers: s.answers ?? {},
    history: Array.isArray(s.history) ? s.history : [],
    editing: Boolean(s.editing),
    pending: s.pending,
    at: typeof s.at === 'string' ? s.at : undefined,
  };
}
