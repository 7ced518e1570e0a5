// The conversation engine: one for every flow and every channel.
// For each message it loads the member's state from the database, applies the message to the current question
// (a step, the closing summary, the "edit which field?" list or a pending confirmation), and saves the new state
// before answering, so a restart or a second process continues exactly where the member was.
import { createHash, randomUUID } from 'node:crypto';
import type { ConversationRepository, Member } from '../domain/member.ts';
import { answerPhrase, matchByName, matchPhrase } from '../domain/text.ts';
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
import { answerText, isActionMessage, mayRun, photoAnswerValue, text } from './flow.ts';
import { displayDate, displayNumber, displayPhone, parseDate, parseNumber, parsePhone, parseText } from './inputs.ts';
import { MAX_CHOICE_DATA_BYTES, type InboundContent, type OutboundMessage } from './messages.ts';
import type { Clock } from './ports.ts';

/**
 * Words members type for the global commands, yes/no and the like, in every language, normalised with their
 * diacritics kept (normalizeWords): "đúng" (yes) and "dừng" (cancel) are different words; a member who types "dung"
 * without marks is compatible with both, and the question she is at decides (see pick and command).
 */
export interface Vocabulary {
  back: readonly string[];
  cancel: readonly string[];
  menu: readonly string[];
  help: readonly string[];
  skip: readonly string[];
  yes: readonly string[];
  no: readonly string[];
  /** "Sửa", "edit": picks "edit" at a summary. */
  edit: readonly string[];
  /** "alo", "xin chào": never an answer; the question she is at is asked again. */
  greeting: readonly string[];
}

/** The global commands a member can type at any step. */
type Command = 'back' | 'cancel' | 'menu' | 'help';
const COMMANDS: readonly Command[] = ['back', 'cancel', 'menu', 'help'];

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
  /**
   * After this long without a message (default 30 min), or on the first message this process handles for a member
   * (a restart), an answer that does not fit the question gets the question again with "we were at this question"
   * rather than an error: she may have forgotten where she was.
   */
  resumeAfterMs?: number;
  /**
   * Checked before a flow starts and on every message inside it (after `access`): null lets the flow run; otherwise
   * where she goes instead (the consent feature asks for a purpose the flow needs; see Flow.purposes). The flow it
   * sends her to must itself pass (it declares no purpose), or flows would hand over to each other forever.
   */
  beforeFlow?: (member: Member, flow: Flow, answers: Answers) => Promise<FlowNext | null>;
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
  | { kind: 'pick'; question: Text; options: { value: Json; label: Text }[] }
  /** A free-text answer that is also a command word ("Dung" as a name, "hủy" as a description): which was meant? */
  | { kind: 'command'; command: Command; input: string };

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
  /** Counts the member's turns; part of every button's data, so a repeated tap on one message is told apart. */
  seq?: number;
  /** The button data accepted in the last turn: the same data again is a double tap, and changes nothing. */
  lastChoice?: string;
  /** The engine instance that saved this state: another one (a restart) means she may have lost her place. */
  boot?: string;
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
const DEFAULT_RESUME_AFTER_MS = 30 * 60_000;

export class ConversationEngine {
  private readonly flows: Map<string, Flow>;
  /** Identifies this engine instance in saved states (see State.boot). */
  private readonly boot = randomUUID().slice(0, 8);

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

    if (state && !mayRun(member, this.flow(state.flowId).access)) {
      // She lost the right to this flow since it started (demoted, consent withdrawn): nothing more of it runs.
      turn.say(text('common:notAllowed'));
      return this.save(turn, await turn.startFlow(this.deps.home(member)), stored?.version ?? 0);
    }

    if (state && this.deps.beforeFlow) {
      // A purpose she withdrew on another device since the flow started: nothing more of it runs.
      const detour = await this.deps.beforeFlow(member, this.flow(state.flowId), state.answers);
      if (detour) return this.save(turn, await turn.detour(detour), stored?.version ?? 0);
    }

    const action = this.actionIn(content);
    if (action) {
      state = await turn.runAction(state, action.name, action.arg);
    } else if (!state) {
      state = await turn.startFlow(this.deps.home(member));
    } else if (content.kind === 'start') {
      // /start or a new follow never throws away what she was doing: she is welcomed and asked her question again.
      turn.say(text(state.flowId === this.deps.home(member) ? 'common:welcomeBack' : 'common:resume'));
    } else {
      const resuming =
        state.boot !== this.boot ||
        (lastActivity !== undefined && turn.now.getTime() - lastActivity > this.resumeAfterMs);
      state = await turn.apply(state, content, resuming);
    }

    return this.save(turn, state, stored?.version ?? 0);
  }

  /** Saves the state the turn ends in (guarded by the stored version) and renders the replies. */
  private async save(turn: Turn, state: State | null, version: number): Promise<EngineResult> {
    if (turn.ended) return { replies: turn.render(null), member: null };
    if (!state) throw new Error('engine produced no state');
    const next: State = {
      ...state,
      at: turn.now.toISOString(),
      seq: ((state.seq ?? 0) + 1) % SEQ_MODULO,
      lastChoice: turn.tapped,
      boot: this.boot,
    };
    if (turn.silent) Object.assign(next, { seq: state.seq, lastChoice: state.lastChoice });
    const saved = await this.deps.conversations.save(turn.member.id, { flowId: next.flowId, data: next }, version);
    if (saved === null) throw new ConversationConflictError();
    return { replies: turn.silent ? [] : turn.render(next), member: turn.member };
  }

  /**
   * How many photos the member's current question takes (`max`), or null when it asks for none: the gateway then
   * downloads and stores nothing. Read-only; an expired conversation asks for none (it starts over).
   */
  async photoStep(member: Member): Promise<{ max: number } | null> {
    const stored = await this.deps.conversations.load(member.id);
    const state = stored ? parseState(stored.data) : null;
    if (!stored || state?.mode !== 'ask') return null;
    const last = state.at ? Date.parse(state.at) : stored.updatedAt.getTime();
    if (this.deps.clock.now().getTime() - last > this.deps.timeoutMs) return null;
    const step = this.flows.get(state.flowId)?.steps.find((s) => s.id === state.stepId);
    return step?.input.kind === 'photo' ? { max: step.input.max ?? 1 } : null;
  }

  /** @internal */
  get resumeAfterMs(): number {
    return this.deps.resumeAfterMs ?? DEFAULT_RESUME_AFTER_MS;
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
  get beforeFlow(): EngineDeps['beforeFlow'] {
    return this.deps.beforeFlow;
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
  /** Nothing to say at all (a double tap on a button already answered). */
  silent = false;
  /** The button data this turn accepted, remembered to recognise a double tap (State.lastChoice). */
  tapped: string | undefined;

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
    let flow = this.engine.flow(flowId);
    if (!mayRun(this.member, flow.access)) {
      // A stale menu button, a resumed detour, an action naming a flow she may not run.
      this.say(text('common:notAllowed'));
      flow = this.engine.flow(this.engine.home(this.member));
      answers = {};
      flowId = flow.id;
    }
    const detour = await this.engine.beforeFlow?.(this.member, flow, answers);
    if (detour) return this.follow(detour, hops + 1);
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

  /** Sends her where the engine's beforeFlow hook says, instead of the flow she was in. */
  detour(next: FlowNext): Promise<State | null> {
    return this.follow(next, 1);
  }

  private async goHome(): Promise<State | null> {
    return this.startFlow(this.engine.home(this.member));
  }

  // ---- applying a message --------------------------------------------------------------------------------

  /**
   * Applies one message to the question she is at. The question's own answers come first (a tapped button, a typed
   * number, label or synonym); only a message that answers nothing is read as a global command (back, cancel, menu,
   * help). A command word that is also a valid answer to a free-text step ("Dung" as a name) is asked about, never
   * guessed. `resuming`: she comes back after a pause or a restart (EngineDeps.resumeAfterMs).
   */
  async apply(state: State, content: InboundContent, resuming = false): Promise<State | null> {
    if (content.kind === 'unsupported') {
      this.say(text('common:errors.unsupported'));
      return state;
    }
    if (content.kind === 'refused') {
      this.say(text(content.reason, content.vars));
      return state;
    }
    if (content.kind === 'choice' && state.lastChoice !== undefined && content.data === state.lastChoice) {
      // The same button of the same message again (a double tap, a slow network): it was answered already.
      this.silent = true;
      return state;
    }

    const question = this.question(state);
    const picked = this.pick(question, content);
    if (picked === 'stale') {
      this.say(text('common:errors.staleButton'));
      return state;
    }
    if (content.kind === 'choice') this.tapped = content.data;

    if (!picked && content.kind === 'text') {
      const command = this.command(content.text);
      if (command) {
        // Typed exactly ("hủy", "menu", "quay lại"), the word is meant as the command. Typed without its marks it may
        // be another word ("Dung" the name, "Huy" the name, "dung" = đúng): if it is also a valid answer, ask.
        if (command.match === 'exact' || !this.couldBeAnswer(state, content.text)) {
          return this.runCommand(command.name, state);
        }
        return {
          ...state,
          mode: 'pending',
          pending: { kind: 'command', command: command.name, input: content.text.trim() },
        };
      }
      if (matchPhrase(content.text, this.engine.vocabulary.greeting)) {
        // "alo" is never an answer (not a commune, not a name): greet her and ask what she is at again.
        this.say(text(state.flowId === this.engine.home(this.member) ? 'common:hello' : 'common:resume'));
        return state;
      }
      if (resuming && state.flowId !== this.engine.home(this.member) && !this.fitsQuestion(state, content.text)) {
        this.say(text('common:resume'));
        return state;
      }
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

  /** The global command a message names, if any, and how: exactly, or typed without diacritics ("huy", "quay lai"). */
  private command(input: string): { name: Command; match: 'exact' | 'loose' } | null {
    const v = this.engine.vocabulary;
    const found: { name: Command; match: 'exact' | 'loose' }[] = [];
    for (const name of COMMANDS) {
      const match = matchPhrase(input, v[name]);
      if (match) found.push({ name, match });
    }
    return found.find((c) => c.match === 'exact') ?? found[0] ?? null;
  }

  /** Whether typed text is a possible answer to the free-text step she is at (then a command word is ambiguous). */
  private couldBeAnswer(state: State, input: string): boolean {
    if (state.mode !== 'ask') return false;
    const step = this.currentStep(state);
    if (!step || !['text', 'number', 'phone', 'date', 'custom'].includes(step.input.kind)) return false;
    const result = this.parse(step, state, { kind: 'text', text: input });
    return result.ok !== false && (result.ok !== true || validate(step, result.value) === null);
  }

  /** Whether typed text answers the question at all (a valid answer, or something the step asks about). */
  private fitsQuestion(state: State, input: string): boolean {
    if (state.mode !== 'ask') return false;
    const step = this.currentStep(state);
    if (!step) return false;
    if (step.input.kind === 'choice' && step.input.otherwise?.(input, this.context(state))) return true;
    return this.couldBeAnswer(state, input);
  }

  private async runCommand(command: Command, state: State): Promise<State | null> {
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
    if (pending.kind === 'command') {
      const asked: State = { ...state, mode: 'ask', pending: undefined };
      if (picked?.value === 'yes') return this.runCommand(pending.command, asked);
      // "No, that is my answer": the words she typed are her answer after all.
      if (picked?.value === 'no') return this.onAnswer(asked, null, { kind: 'text', text: pending.input });
      if (content.kind === 'text') return this.onAnswer(asked, null, content);
      this.say(text('common:errors.choice', { count: 2 }));
      return state;
    }
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
    if (content.kind === 'photo' || content.kind === 'storedPhotos') {
      if (input.kind !== 'photo') return { ok: false, error: text('common:errors.photoNotExpected') };
      // The gateway stores the photos of a photo step before the flow sees them (photoStep): a platform ref here means
      // the gateway was built without its photo stage, and no answer may keep a ref the project does not own.
      if (content.kind === 'photo') throw new Error('a photo reached a photo step without being stored');
      return { ok: true, value: photoAnswerValue(content.fileIds, content.caption) };
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
    const { key, ...question } = this.questionParts(state);
    return {
      id: questionId(
        `${state.flowId}/${key}`,
        question.options.map((o) => o.value),
      ),
      ...question,
    };
  }

  private questionParts(state: State): Omit<Question, 'id'> & { key: string } {
    const flow = this.engine.flow(state.flowId);
    const ctx = this.context(state);
    const t = ctx.t;
    const v = this.engine.vocabulary;
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
      default:
        return { ...base, options: skip, freeText: true, numbersPickOptions: step.input.kind !== 'number' };
    }
  }

  /**
   * Which option the message picks: a tapped button, a typed number ("2", "2.", "2)", "số 2"), or a typed label or
   * synonym, politeness particles and shorthand aside ("có ạ", "dạ vâng", "ko co", "hộ nghèo ạ"). Words typed with
   * their diacritics beat words typed without; two options equally likely pick neither.
   */
  private pick(question: Question, content: InboundContent): ChoiceOption | null | 'stale' {
    if (content.kind === 'choice') {
      const { qid, index } = splitChoiceData(content.data);
      if (qid !== question.id) return 'stale';
      return question.options[index] ?? 'stale';
    }
    if (content.kind !== 'text' || question.options.length === 0) return null;
    const typed = content.text.trim();
    const number = TYPED_NUMBER.exec(typed);
    if (question.numbersPickOptions && number) return question.options[Number(number[1]) - 1] ?? null;

    const t = this.engine.translate(this.member);
    const scored = question.options.map((o) => ({
      option: o,
      m: matchPhrase(typed, [render(t, o.label), ...(o.synonyms ?? [])]),
    }));
    for (const level of ['exact', 'loose'] as const) {
      let found = scored.filter((s) => s.m === level).map((s) => s.option);
      // "không" is both "no" and "skip" at an optional yes/no question: the question's own answer wins.
      if (found.length > 1) found = found.filter((o) => o.value !== SKIP);
      if (found.length === 1) return found[0]!;
      if (found.length > 1) return null;
    }
    // Free-text questions only take a whole label ("Bỏ qua"), so a name that merely starts like a label is kept.
    if (question.freeText) return null;
    const byLabel = matchByName(answerPhrase(typed), question.options, (o) => [render(t, o.label)]);
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
        choices: q.options.map((o, i) => ({ label: render(t, o.label), data: choiceData(q.id, state.seq ?? 0, i) })),
        freeText: q.freeText,
      });
    }
    return replies;
  }
}

const SKIP = '_skip';
/** Choice data of action buttons: "!claim:12". Question buttons start with their question id instead. */
const ACTION_PREFIX = '!';
const SEQ_MODULO = 1296; // two base-36 digits
/** "2", "2.", "2)", "(2)", "số 2", "#2": the bot numbers choices "1)" and members copy that. */
const TYPED_NUMBER = /^(?:(?:s[oố]|no\.?|#)\s*)?\(?\s*(\d{1,2})\s*[.)]?$/iu;

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
        const data = `${ACTION_PREFIX}${a.action}`;
        // Action data is "<name>:<record id>", short by construction; a longer one is a bug, caught here rather than
        // as a message the platform refuses and the member never sees.
        if (new TextEncoder().encode(data).length > MAX_CHOICE_DATA_BYTES) {
          throw new Error(`action button data over ${MAX_CHOICE_DATA_BYTES} bytes: ${a.action.split(':')[0] ?? ''}`);
        }
        return { label: render(t, a.label), data, ...(typed ? { typed } : {}) };
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
    seq: typeof s.seq === 'number' ? s.seq : undefined,
    lastChoice: typeof s.lastChoice === 'string' ? s.lastChoice : undefined,
    boot: typeof s.boot === 'string' ? s.boot : undefined,
  };
}
