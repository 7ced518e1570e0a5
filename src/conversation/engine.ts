// The conversation engine: one for every flow and every channel.
// For each message it loads the member's state from the database, applies the message to the current question
// (a step, the closing summary, the "edit which field?" list or a pending confirmation), and saves the new state
// before answering, so a restart or a second process continues exactly where the member was.
import { randomUUID } from 'node:crypto';
import type { ConversationRepository, Member } from '../domain/member.ts';
import type { ActionHandler, Answers, Flow, FlowNext, Translate } from './flow.ts';
import { mayRun, photoAnswer, text } from './flow.ts';
import type { InboundContent, OutboundMessage } from './messages.ts';
import type { Clock } from './ports.ts';
import { ACTION_PREFIX } from './render.ts';
import { parseState, SEQ_MODULO, type State } from './state.ts';
import { Turn, type TurnHost } from './turn.ts';
import type { Understanding } from './understanding.ts';
import type { Command, Vocabulary } from './vocabulary.ts';

/**
 * How beforeFlow is called: `entering` when the flow is about to start (a hand-over, the menu after a flow ended),
 * false on a message inside a flow already running (she is answering its question).
 */
export interface BeforeFlowCall {
  entering: boolean;
}

// The engine is split by responsibility: state.ts (the stored state), turn.ts (one message: commands, answers,
// summary and edit, pending confirmations, entering and leaving flows), questions.ts (the question, its buttons,
// which option a message picks), answers.ts (parsing and checking an answer, the summary's lines), render.ts (what
// the member reads), vocabulary.ts (command words). What other layers use is re-exported here.
export { render, renderSaid } from './render.ts';
export type { Vocabulary } from './vocabulary.ts';
export type { IntentTarget, Reading, Understanding } from './understanding.ts';

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
  beforeFlow?: (member: Member, flow: Flow, answers: Answers, how?: BeforeFlowCall) => Promise<FlowNext | null>;
  /**
   * A global command typed at home (the menu: outside any flow), with what she typed: where it leads instead of its
   * usual meaning there, or null to keep it (the broadcasts feature: "dừng" / "stop" open the announcements opt-out
   * confirmation, where "cancel" would otherwise do nothing). Never consulted inside a flow: there the word cancels
   * the flow, or answers the question where it is an answer (Turn.apply).
   */
  homeCommand?: (member: Member, command: Command, input: string) => FlowNext | null;
  /**
   * What typed text asks for (src/features/understanding.ts): at the menu, text that is no item starts the feature it
   * names (or offers a choice); in a flow, text that clearly asks for another feature is asked about; a first message
   * that asks for one leads there (through first contact). Without it, only menu items and commands are understood.
   */
  understanding?: Understanding;
  /**
   * Where a member whose conversation expired or was reset goes on her next message when that message asks for
   * nothing in particular (not a request the understanding reads, not an action), or null for home: e.g. back to an
   * unfinished draft ("Chị đang gửi dở sản phẩm…").
   */
  onReturn?: (member: Member) => Promise<FlowNext | null>;
}

/** Another process saved this member's state first; the caller reloads and handles the message again. */
export class ConversationConflictError extends Error {
  constructor() {
    super('conversation state changed concurrently');
  }
}

export interface EngineResult {
  replies: OutboundMessage[];
  /** The member after the turn (a flow may have changed the language), or null if the member was erased. */
  member: Member | null;
}

const DEFAULT_RESUME_AFTER_MS = 30 * 60_000;

export class ConversationEngine implements TurnHost {
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
    // The turn counter runs on across flows: a question asked again in a new flow (two consent purposes in a row, the
    // same page re-read) never gets the button data of the one she just tapped (which would read as a double tap).
    turn.previousSeq = state?.seq;

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
      const detour = await this.deps.beforeFlow(member, this.flow(state.flowId), state.answers, { entering: false });
      if (detour) return this.save(turn, await turn.detour(detour), stored?.version ?? 0);
    }

    const action = this.actionIn(content);
    if (action) {
      state = await turn.runAction(state, action.name, action.arg);
    } else if (!state) {
      // Her first message (or the first after a long pause) counts: a request leads to its feature.
      const arrival =
        content.kind === 'text' && content.text.trim() !== ''
          ? (this.deps.understanding?.arrival(content.text, member, turn.context({ answers: {} })) ?? null)
          : null;
      const back = arrival ? null : ((await this.deps.onReturn?.(member)) ?? null);
      const next = arrival ?? back;
      state = next ? await turn.detour(next) : await turn.startFlow(this.deps.home(member));
    } else if (content.kind === 'start') {
      // /start or a new follow never throws away what she was doing: she is welcomed and asked her question again.
      turn.say(text(state.flowId === this.deps.home(member) ? 'common:welcomeBack' : 'common:resume'));
      state = await turn.reask(state);
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
      seq: ((state.seq ?? turn.previousSeq ?? 0) + 1) % SEQ_MODULO,
      lastChoice: turn.tapped,
      boot: this.boot,
    };
    if (turn.silent) Object.assign(next, { seq: state.seq, lastChoice: state.lastChoice });
    if (turn.answeredIn === next.flowId) {
      // She answered a step of the flow she is still in: its hook (a draft kept beside the conversation) runs now, in
      // the turn's transaction.
      const flow = this.flows.get(next.flowId);
      if (flow?.onAnswer) await flow.onAnswer(turn.context(next), { stepId: next.stepId, answers: next.answers });
    }
    const saved = await this.deps.conversations.save(turn.member.id, { flowId: next.flowId, data: next }, version);
    if (saved === null) throw new ConversationConflictError();
    return { replies: turn.silent ? [] : turn.render(next), member: turn.member };
  }

  /**
   * How many photos the member's current question takes (`max`), or null when it asks for none: the gateway then
   * downloads and stores nothing. A collecting step (InputSpec photo `collect`) also says its `total` and how many she
   * `have`s already, so the refusal of one too many can say so. Read-only; an expired conversation asks for none (it starts over).
   */
  async photoStep(member: Member): Promise<{ max: number; total?: number; have?: number } | null> {
    const stored = await this.deps.conversations.load(member.id);
    const state = stored ? parseState(stored.data) : null;
    if (!stored || state?.mode !== 'ask') return null;
    const last = state.at ? Date.parse(state.at) : stored.updatedAt.getTime();
    if (this.deps.clock.now().getTime() - last > this.deps.timeoutMs) return null;
    const step = this.flows.get(state.flowId)?.steps.find((s) => s.id === state.stepId);
    if (step?.input.kind !== 'photo') return null;
    const total = step.input.max ?? 1;
    if (!step.input.collect) return { max: total };
    // A collecting step takes only what is left: a sixth photo is refused, saying how many she has.
    const have = photoAnswer(state.answers[step.id])?.files.length ?? 0;
    return { max: Math.max(0, total - have), total, have };
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
  get homeCommand(): EngineDeps['homeCommand'] {
    return this.deps.homeCommand;
  }

  /** @internal */
  get understanding(): Understanding | undefined {
    return this.deps.understanding;
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
