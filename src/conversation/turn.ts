// One member message being handled: which question it answers, the global commands, entering and leaving flows,
// the summary with its "edit a field", and pending confirmations. The engine (engine.ts) loads and saves the state
// around it; questions.ts builds the question and reads a pick; answers.ts parses and checks an answer.
import type { Member } from '../domain/member.ts';
import { matchPhrase } from '../domain/text.ts';
import { displayValue, parseAnswer, pruneAnswers, validate } from './answers.ts';
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
import { mayRun, photoAnswer, photoAnswerValue, prefilledOf, RETURN_TO, text, withoutPrefilled } from './flow.ts';
import type { InboundContent, OutboundMessage } from './messages.ts';
import {
  buildQuestion,
  PHOTOS_CLEAR,
  PHOTOS_DONE,
  pickOption,
  renderQuestion,
  SKIP,
  type Question,
} from './questions.ts';
import { render, renderSaid } from './render.ts';
import { parseState, type Pending, type State } from './state.ts';
import type { Understanding } from './understanding.ts';
import { findCommand, type Command, type Vocabulary } from './vocabulary.ts';

/** What a turn needs from the engine that runs it (ConversationEngine implements it). */
export interface TurnHost {
  readonly actions: ActionHandler | undefined;
  readonly timeZone: string;
  readonly vocabulary: Vocabulary;
  /** The flow with this id; throws for an unknown id. */
  flow(id: string): Flow;
  translate(member: Member): Translate;
  /** The flow a member returns to (first contact or the menu). */
  home(member: Member): string;
  /** Where she goes instead of a flow about to start, or null to let it run (EngineDeps.beforeFlow). */
  readonly beforeFlow:
    | ((member: Member, flow: Flow, answers: Answers, how?: { entering: boolean }) => Promise<FlowNext | null>)
    | undefined;
  /** A global command typed at home: where it leads instead, or null (EngineDeps.homeCommand). */
  readonly homeCommand: ((member: Member, command: Command, input: string) => FlowNext | null) | undefined;
  /** What typed text asks for, at the menu and aside in a flow (EngineDeps.understanding). */
  readonly understanding: Understanding | undefined;
}

/** Flows handing over to each other more often than this in one turn is a bug (a loop), not a conversation. */
const MAX_FLOW_HOPS = 5;

/** One member message being handled: collects what to say, then renders it in the member's (final) language. */
export class Turn {
  private readonly said: Said[] = [];
  ended = false;
  /** Nothing to say at all (a double tap on a button already answered). */
  silent = false;
  /** The button data this turn accepted, remembered to recognise a double tap (State.lastChoice). */
  tapped: string | undefined;
  /**
   * The flow in which she answered a step (or added photos) in this turn: its onAnswer hook runs before the state is
   * saved, when she is still in it.
   */
  answeredIn: string | undefined;
  /** The stored state's turn counter (State.seq) when the turn began. */
  previousSeq: number | undefined;

  constructor(
    private readonly engine: TurnHost,
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
    const detour = await this.engine.beforeFlow?.(this.member, flow, answers, { entering: true });
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
    if (next) {
      const asked: State = { ...state, stepId: next.id, mode: 'ask', pending: undefined };
      const given = prefilledOf(state.answers, next.id);
      if (!given) return asked;
      // A value she already said when the flow started ("vay 30 triệu"): confirmed or taken, never asked again.
      asked.answers = withoutPrefilled(state.answers, next.id);
      if (!given.confirm) return this.accept(asked, given.value);
      const t = ctx.t;
      const question = text('common:understanding.prefilled', {
        field: next.summaryLabel ? render(t, next.summaryLabel) : '',
        value: render(t, displayValue(next, given.value, ctx)),
      });
      return { ...asked, mode: 'pending', pending: { kind: 'confirm', value: given.value, question } };
    }

    state.answers = pruneAnswers(flow, state.answers, ctx);
    if (flow.summary) return { ...state, stepId: null, mode: 'summary', editing: false, pending: undefined };
    return this.finish(state, hops);
  }

  private async finish(state: State, hops: number): Promise<State | null> {
    const flow = this.engine.flow(state.flowId);
    const outcome = await flow.finish(this.context(state));
    if (outcome.member) this.member = outcome.member;
    outcome.say.forEach((m) => this.say(m));
    const returnTo = state.answers[RETURN_TO];
    if (returnTo !== undefined && outcome.next.to === 'flow') {
      // She left a step for this feature (onAside): the place she left travels on until she is done here.
      return this.follow({ ...outcome.next, answers: { ...outcome.next.answers, [RETURN_TO]: returnTo } }, hops + 1);
    }
    const left = parseState(returnTo);
    if (left && outcome.next.to === 'home' && this.mayReturnTo(left.flowId)) {
      this.say(text('common:understanding.backTo'));
      return this.reask({ ...left, mode: 'ask', pending: undefined }, hops + 1);
    }
    return this.follow(outcome.next, hops + 1);
  }

  /** Runs an action; afterwards the member is where the action sends her, or back at her current question. */
  async runAction(state: State | null, name: string, arg: string): Promise<State | null> {
    const actions = this.engine.actions;
    if (!actions) return state;
    const outcome = await actions.run(this.context(state ?? { answers: {} }), name, arg);
    if (outcome.member) this.member = outcome.member;
    outcome.say.forEach((m) => this.say(m));
    if (outcome.next.to === 'stay') return state ? this.reask(state, 1) : this.goHome();
    return this.follow(outcome.next, 1);
  }

  /**
   * The question she is brought back to (not one she answered): a page declaring `reload` (Flow.reload) is built
   * afresh from its stored answers; any other question is asked again as it stands. Only a page she is at ('ask'):
   * a pending confirmation or a summary stays as it is.
   */
  async reask(state: State, hops = 1): Promise<State | null> {
    if (state.mode !== 'ask') return state;
    let reload: Flow['reload'];
    try {
      reload = this.engine.flow(state.flowId).reload;
    } catch {
      return state; // a flow removed in an upgrade: handled where the state is loaded
    }
    return reload ? this.follow(reload(state.answers), hops + 1) : state;
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

  /** Whether she can be brought back to a flow she left (it still exists, and she may still run it). */
  private mayReturnTo(flowId: string): boolean {
    try {
      return mayRun(this.member, this.engine.flow(flowId).access);
    } catch {
      return false; // a flow removed in an upgrade
    }
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

    // A word typed without its marks that picked an option and is also a command word ("dung": "đúng" = yes, "dừng" =
    // stop; the same at a choice whose option takes the yes words): asked about, never guessed.
    if (picked && content.kind === 'text') {
      const ambiguous = this.ambiguousPick(state, picked, content.text);
      if (ambiguous) {
        return {
          ...state,
          mode: 'pending',
          pending: { kind: 'command', command: ambiguous, input: content.text.trim(), answer: picked.label },
        };
      }
    }

    if (!picked && content.kind === 'text') {
      const command = findCommand(this.engine.vocabulary, content.text);
      if (command) {
        // Typed exactly ("hủy", "menu", "quay lại"), the word is meant as the command. Typed without its marks it may
        // be another word ("Dung" the name, "Huy" the name, "dung" = đúng): if it is also a valid answer, ask.
        if (command.match === 'exact' || !this.couldBeAnswer(state, content.text)) {
          return this.runCommand(command.name, state, content.text);
        }
        return {
          ...state,
          mode: 'pending',
          pending: { kind: 'command', command: command.name, input: content.text.trim() },
        };
      }
      if (matchPhrase(content.text, this.engine.vocabulary.greeting, this.engine.vocabulary.answerWords)) {
        // "alo" is never an answer (not a commune, not a name): greet her and ask what she is at again.
        this.say(text(state.flowId === this.engine.home(this.member) ? 'common:hello' : 'common:resume'));
        return this.reask(state);
      }
      // Back after a pause (or a restart), words that fit no question remind her where she is — but a value she tried
      // (one word, or digits) at a step that reads typed values says what it could not read: "abc" at the price,
      // "12345" at the phone ("cho em hỏi chút" at the commune still gets the reminder).
      if (
        resuming &&
        state.flowId !== this.engine.home(this.member) &&
        !this.triesValue(state, content.text) &&
        !this.fitsQuestion(state, content.text)
      ) {
        this.say(text('common:resume'));
        return this.reask(state);
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

  /**
   * The command a typed answer may also mean, when the option it picked is not certain: she typed a command word
   * without its marks ("dung", "DUNG", "huy") and the option only matched loosely too ("đúng" among the yes words) —
   * not by its number, not exactly as its label or a synonym is written, and not by a synonym that is itself that
   * command word (an option that takes "dừng" as its answer, like "Không nhận" at the announcements question, owns
   * it). Only at a step's question (mode ask); the summary keeps its rule ("dung" confirms, "dừng" cancels).
   */
  private ambiguousPick(state: State, picked: ChoiceOption, typed: string): Command | null {
    if (state.mode !== 'ask') return null;
    const vocabulary = this.engine.vocabulary;
    const command = findCommand(vocabulary, typed);
    if (!command || command.match === 'exact') return null;
    if (/\d/.test(typed)) return null;
    const words = vocabulary.answerWords;
    const label = render(this.engine.translate(this.member), picked.label);
    const known = [label, ...(picked.synonyms ?? [])];
    if (matchPhrase(typed, known, words) === 'exact') return null;
    const owned = known.some(
      (k) => findCommand(vocabulary, k)?.match === 'exact' && matchPhrase(typed, [k], words) !== null,
    );
    return owned ? null : command.name;
  }

  /** Whether typed text is a possible answer to the free-text step she is at (then a command word is ambiguous). */
  private couldBeAnswer(state: State, input: string): boolean {
    if (state.mode !== 'ask') return false;
    const step = this.currentStep(state);
    if (!step || !['text', 'number', 'phone', 'date', 'custom'].includes(step.input.kind)) return false;
    const result = this.parse(step, state, { kind: 'text', text: input });
    return result.ok !== false && (result.ok !== true || validate(step, result.value) === null);
  }

  /**
   * Whether typed text is an attempt at the value a step reads (a price, a phone number, a date, a custom value):
   * one word, or with digits. Such a step has its own message for what it cannot read.
   */
  private triesValue(state: State, input: string): boolean {
    if (state.mode !== 'ask') return false;
    const kind = this.currentStep(state)?.input.kind;
    if (kind !== 'custom' && kind !== 'phone' && kind !== 'number' && kind !== 'date') return false;
    return /\d/.test(input) || input.trim().split(/\s+/).length === 1;
  }

  /** Whether typed text answers the question at all (a valid answer, or something the step asks about). */
  private fitsQuestion(state: State, input: string): boolean {
    if (state.mode !== 'ask') return false;
    const step = this.currentStep(state);
    if (!step) return false;
    // Her own words (Step.message): whatever she types is meant as the answer — too long or blank, she is told why.
    if (step.message === true) return true;
    if (step.input.kind === 'choice' && step.input.several?.(input, this.context(state)) != null) return true;
    if (step.input.kind === 'choice' && step.input.otherwise?.(input, this.context(state))) return true;
    return this.couldBeAnswer(state, input);
  }

  private async runCommand(command: Command, state: State, input = ''): Promise<State | null> {
    const isHome = state.flowId === this.engine.home(this.member);
    // Outside any flow a command word may mean something of its own there (EngineDeps.homeCommand: "dừng" at the
    // menu opens the announcements opt-out confirmation); inside a flow it never does.
    const instead = isHome ? (this.engine.homeCommand?.(this.member, command, input) ?? null) : null;
    if (instead) return this.follow(instead, 1);
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
        if (state.mode === 'summary') await this.engine.flow(state.flowId).onCancel?.(this.context(state));
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
        await this.engine.flow(state.flowId).onCancel?.(this.context(state));
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
    if (pending.kind === 'offer') {
      const asked: State = { ...state, mode: 'ask', pending: undefined };
      const option = picked ? pending.options[Number(picked.value)] : undefined;
      if (option) {
        // "That is my answer": what she typed answers the step after all, whatever else it could mean.
        if (option.next === null) return this.onAnswer(asked, null, { kind: 'text', text: pending.input }, true);
        return this.follow(option.next, 1);
      }
      if (content.kind === 'text') return this.onAnswer(asked, null, content);
      this.say(text('common:errors.choice', { count: pending.options.length }));
      return state;
    }
    if (pending.kind === 'command') {
      const asked: State = { ...state, mode: 'ask', pending: undefined };
      if (picked?.value === 'yes') return this.runCommand(pending.command, asked, pending.input);
      // "No, that is my answer": the words she typed are her answer after all (the option they picked, if any).
      if (picked?.value === 'no') {
        const typed: InboundContent = { kind: 'text', text: pending.input };
        return this.onAnswer(asked, pending.answer ? this.repick(asked, typed) : null, typed, true);
      }
      if (content.kind === 'text')
        return this.onAnswer(asked, pending.answer ? this.repick(asked, content) : null, content);
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

  private async onAnswer(
    state: State,
    picked: ChoiceOption | null,
    content: InboundContent,
    /** She said it is her answer: it is not read as a request for another feature. */
    asAnswer = false,
  ): Promise<State | null> {
    const step = this.currentStep(state);
    if (!step) return this.goHome();
    if (step.input.kind === 'photo' && step.input.collect) {
      const collected = this.collectPhotos(state, step, picked, content, step.input.max ?? 1);
      if (collected) return collected;
    }
    // Several options typed at once ("5, 7"): read before a loose match could take one of them.
    if (step.input.kind === 'choice' && step.input.several && content.kind === 'text' && content.text.trim() !== '') {
      const several = step.input.several(content.text, this.context(state));
      if (several !== null) return this.accept(state, several);
    }
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
    const understanding = this.engine.understanding;
    if (understanding && !asAnswer && content.kind === 'text' && content.text.trim() !== '' && !step.message) {
      const atHome = state.flowId === this.engine.home(this.member);
      if (atHome && step.input.kind === 'choice') return this.onMenuText(state, content.text, understanding);
      if (!atHome) {
        const aside = this.onAside(state, content.text, understanding);
        if (aside) return aside;
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

  /**
   * Text typed at the menu that is no item and no quick question: the feature it asks for starts; two close ones
   * are a short choice; otherwise the nearest ones and "send this to a Union officer" — never a bare "not understood".
   */
  private async onMenuText(state: State, input: string, understanding: Understanding): Promise<State | null> {
    const reading = understanding.read(input, this.context(state));
    if (reading.kind === 'start') return this.follow(reading.target.next, 1);
    const options: { label: Text; next: FlowNext | null }[] =
      reading.kind === 'choose'
        ? reading.targets.map((t) => ({ label: t.label, next: t.next }))
        : [
            ...reading.nearest.map((t) => ({ label: t.label, next: t.next })),
            ...(reading.officer
              ? [{ label: text('common:understanding.sendToOfficer'), next: reading.officer.next }]
              : []),
          ];
    if (options.length === 0) {
      this.say(text('common:errors.choice', { count: this.question(state).options.length }));
      return state;
    }
    // The sentence promises sending her words to an officer only when that option is shown (she may open a case).
    const question = text(
      reading.kind === 'choose'
        ? 'common:understanding.choose'
        : reading.officer
          ? 'common:understanding.nearest'
          : 'common:understanding.nearestOnly',
    );
    return { ...state, mode: 'pending', pending: { kind: 'offer', question, options, input } };
  }

  /**
   * Text typed in a flow that clearly asks for another feature ("à mà em muốn hỏi vay vốn" at the name step): she is
   * asked whether to leave the step for it — keeping what she entered, to come back to — or to take it as her answer,
   * whatever the step's validator would say. Null when it asks for nothing else (then it is read as an answer).
   */
  private onAside(state: State, input: string, understanding: Understanding): State | null {
    if (state.mode !== 'ask') return null;
    // A step that reads a known thing (a commune of the directory: "xã Chợ Mới") and recognises it outright is
    // answered, not asked about; free text (a name) is asked about whatever its validator would say.
    const step = this.currentStep(state);
    if (step?.input.kind === 'custom' && this.parse(step, state, { kind: 'text', text: input }).ok === true)
      return null;
    const target = understanding.readAside(input, this.context(state));
    if (!target || target.flowId === state.flowId) return null;
    const left: State = { ...state, mode: 'ask', pending: undefined };
    delete left.seq;
    delete left.lastChoice;
    delete left.boot;
    delete left.at;
    const next: FlowNext =
      target.next.to === 'flow'
        ? { ...target.next, answers: { ...target.next.answers, [RETURN_TO]: left as unknown as Json } }
        : target.next;
    const item = target.label;
    const t = this.engine.translate(this.member);
    return {
      ...state,
      mode: 'pending',
      pending: {
        kind: 'offer',
        question: text('common:understanding.leave', { item: render(t, item) }),
        options: [
          { label: text('common:understanding.leaveGo', { item: render(t, item) }), next },
          { label: text('common:understanding.leaveStay'), next: null },
        ],
        input,
      },
    };
  }

  /**
   * A collecting photo step (InputSpec photo `collect`): photos add to what she sent before and she stays at the step,
   * told how many she has; "Xong" takes them (at least one), "Gửi lại từ đầu" clears them. Null: not handled here.
   */
  private collectPhotos(
    state: State,
    step: Step,
    picked: ChoiceOption | null,
    content: InboundContent,
    max: number,
  ): Promise<State | null> | State | null {
    const have = photoAnswer(state.answers[step.id])?.files ?? [];
    if (picked?.value === PHOTOS_DONE) {
      if (have.length === 0) {
        this.say(text('common:photos.needOne'));
        return state;
      }
      return this.accept(state, state.answers[step.id] ?? null);
    }
    if (picked?.value === PHOTOS_CLEAR) {
      const { [step.id]: _cleared, ...answers } = state.answers;
      this.answeredIn = state.flowId;
      this.say(text('common:photos.cleared', { max }));
      return { ...state, answers };
    }
    if (content.kind !== 'storedPhotos') return null;
    const files = [...have, ...content.fileIds];
    if (files.length > max) {
      // The gateway takes only what is left (photoStep); more here is a race between two albums.
      this.say(text('files:errors.tooMany', { count: max }));
      return state;
    }
    const caption = content.caption ?? photoAnswer(state.answers[step.id])?.caption;
    this.answeredIn = state.flowId;
    // Said by the question that follows ("Đã nhận 2/5 ảnh…", with its buttons): one message per photo message.
    return { ...state, answers: { ...state.answers, [step.id]: photoAnswerValue(files, caption) } };
  }

  private accept(state: State, value: Json): Promise<State | null> {
    const stepId = state.stepId;
    if (stepId === null) return Promise.resolve(state);
    this.answeredIn = state.flowId;
    const answered: State = { ...state, answers: { ...state.answers, [stepId]: value }, pending: undefined };
    return this.advance(answered, stepId);
  }

  private parse(step: Step, state: State, content: InboundContent): ParseResult {
    return parseAnswer(step, content, this.context(state), () => this.question(state).options.length);
  }

  private currentStep(state: State): Step | undefined {
    return this.engine.flow(state.flowId).steps.find((s) => s.id === state.stepId);
  }

  // ---- questions and choices -----------------------------------------------------------------------------

  /** The question the member is answering now, rebuilt from the state (choices are never stored). */
  question(state: State): Question {
    return buildQuestion(this.engine.flow(state.flowId), state, this.context(state), this.engine.vocabulary);
  }

  /** The option typed text picks at the step's own question (after a pending check), or null. */
  private repick(state: State, content: InboundContent): ChoiceOption | null {
    const picked = this.pick(this.question(state), content);
    return picked === 'stale' ? null : picked;
  }

  private pick(question: Question, content: InboundContent): ChoiceOption | null | 'stale' {
    const vocabulary = this.engine.vocabulary;
    return pickOption(question, content, this.engine.translate(this.member), vocabulary.answerWords, (typed) =>
      Boolean(findCommand(vocabulary, typed)),
    );
  }

  // ---- rendering -----------------------------------------------------------------------------------------

  render(state: State | null): OutboundMessage[] {
    const t = this.engine.translate(this.member);
    const actions = this.engine.actions;
    const replies = renderSaid(this.said, t, actions ? (a) => actions.typedFor(a, t) : undefined);
    if (state) replies.push(renderQuestion(this.question(state), state.seq ?? 0, t));
    return replies;
  }
}
