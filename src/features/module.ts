// What a feature brings to the bot, declared in one object (src/features/<name>/index.ts) and composed in
// src/features/index.ts: its flows, its menu entries (in menu order), the actions it runs (buttons and typed commands
// outside the current question), its jobs, the kinds of personal data it stores (the registry) and its check before
// a flow runs (the consent feature's purpose gate). Adding a feature = one folder with its module + one line in the
// list.
import type { ActionHandler, Answers, Flow, FlowContext, FlowNext, FlowOutcome, Said } from '../conversation/flow.ts';
import type { Command } from '../conversation/vocabulary.ts';
import { text } from '../conversation/flow.ts';
import type { JobDefinition } from '../domain/jobs.ts';
import type { Member } from '../domain/member.ts';
import type { ConsentPurposeId } from '../domain/privacy.ts';
import type { CaseTypeHandlers } from './cases/caseTypes.ts';
import type { MenuEntry } from './menu/flow.ts';
import type { PersonalDataKind } from './privacy/registry.ts';
import type { IntentDeclaration } from './understanding.ts';

/**
 * The engine's hook before a flow runs (EngineDeps.beforeFlow), on entering it and on every message inside it: null
 * lets the flow run; otherwise where she goes instead.
 */
export type BeforeFlow = (
  member: Member,
  flow: Flow,
  answers: Answers,
  /** How it is called (BeforeFlowCall in conversation/engine.ts): entering the flow, or a message inside it. */
  how?: { entering: boolean },
) => Promise<FlowNext | null>;

/** A global command typed at home (EngineDeps.homeCommand): where it leads instead, or null to keep its meaning. */
export type HomeCommand = (member: Member, command: Command, input: string) => FlowNext | null;

/** A feature's actions: the handler, and the action names it owns ("claim", "creditMore"...), unique across features. */
export interface FeatureActions extends ActionHandler {
  names: readonly string[];
}

export interface FeatureModule {
  /** The feature's folder name, for messages about the composition. */
  name: string;
  flows: readonly Flow[];
  /** Its entries in the main menu, in the order they appear there. */
  menu?: readonly MenuEntry[];
  /**
   * Entries added to the main menu after members learnt its numbers: they come after every feature's `menu`, so the
   * number a member knows for an item keeps meaning that item.
   */
  menuAtEnd?: readonly MenuEntry[];
  actions?: FeatureActions;
  /** Recurring jobs and one-off job kinds it declares (run by app/jobs). */
  jobs?: readonly JobDefinition[];
  /**
   * Its answer to text typed at the menu that is no menu item (the credit feature's quick questions), or null; the
   * first feature with an answer gives it, before the intents are read (`intents`).
   */
  menuAnswer?: (input: string, ctx: FlowContext) => Said[] | null;
  /**
   * The kinds of personal data it stores (features/privacy/registry.ts), in the order "my data" shows them; "my
   * data", erasure and the prune job read the whole registry (every feature's kinds and the app's, src/wiring.ts).
   */
  personalData?: readonly PersonalDataKind[];
  /** Its check before any flow runs (see BeforeFlow); the first feature that sends her elsewhere decides. */
  beforeFlow?: BeforeFlow;
  /** Its meaning of a global command typed at home (see HomeCommand); the first feature with one decides. */
  homeCommand?: HomeCommand;
  /**
   * What members ask for in their own words that this feature does (understanding.ts); the example phrases are in
   * locales/<lng>/<namespace>.json under "intents".
   */
  intents?: readonly IntentDeclaration[];
  /**
   * Where a member whose conversation expired or was reset goes back to on her next message (EngineDeps.onReturn:
   * an unfinished draft of hers), or null; the first feature with somewhere to go decides.
   */
  onReturn?: (member: Member) => Promise<FlowNext | null>;
  /**
   * The case types it shows and decides itself (cases/caseTypes.ts: the products feature's review and problem cases):
   * the officer's case view adds the record, and the generic decisions it replaces route to its own.
   */
  caseTypes?: CaseTypeHandlers;
  /**
   * What giving or withdrawing a consent purpose changes in this feature, said to her right after the change in
   * "Quyền dùng dữ liệu" (the products feature: her approved listings leave / return to the public catalogue).
   */
  consentConsequences?: ConsentConsequences;
}

/**
 * Per purpose, what a change of her decision means elsewhere: the messages to add to "consent withdrawn / given"
 * (empty when it changes nothing she can see). `given`: the decision now in force.
 */
export type ConsentConsequences = Partial<
  Record<ConsentPurposeId, (member: Member, given: boolean) => Promise<Said[]>>
>;

/** A handler that owns no action (a feature's actions before the others are composed, in tests). */
export const NO_ACTIONS: ActionHandler = {
  parseTyped: () => null,
  typedFor: () => undefined,
  run: async (): Promise<FlowOutcome> => ({ say: [text('common:errors.staleButton')], next: { to: 'stay' } }),
};

/**
 * One ActionHandler for every feature's actions: a typed command is the first feature's reading of it, a button or
 * command runs in the feature that owns its name, and an unknown name (an old button) gets "that button is old".
 * Throws when two features claim one action name (a bug, caught at start).
 */
export function composeActions(modules: readonly FeatureModule[]): ActionHandler {
  const owners = new Map<string, FeatureActions>();
  const handlers: FeatureActions[] = [];
  for (const module of modules) {
    if (!module.actions) continue;
    handlers.push(module.actions);
    for (const name of module.actions.names) {
      if (owners.has(name)) throw new Error(`action ${name} is declared by two features (${module.name})`);
      owners.set(name, module.actions);
    }
  }
  return {
    parseTyped(input) {
      for (const handler of handlers) {
        const found = handler.parseTyped(input);
        if (found) return found;
      }
      return null;
    },
    typedFor(action, t) {
      return owners.get(action.split(':')[0] ?? '')?.typedFor(action, t);
    },
    run(ctx, name, arg) {
      return (owners.get(name) ?? NO_ACTIONS).run(ctx, name, arg);
    },
  };
}

/** Every feature's menu answer in turn (see FeatureModule.menuAnswer); undefined when none has one. */
export function composeMenuAnswers(
  modules: readonly FeatureModule[],
): ((input: string, ctx: FlowContext) => Said[] | null) | undefined {
  const answers = modules.flatMap((m) => (m.menuAnswer ? [m.menuAnswer] : []));
  if (answers.length === 0) return undefined;
  return (input, ctx) => {
    for (const answer of answers) {
      const said = answer(input, ctx);
      if (said) return said;
    }
    return null;
  };
}

/** Every feature's onReturn in module order: the first place to go back to wins. */
export function composeOnReturn(modules: readonly FeatureModule[]): (member: Member) => Promise<FlowNext | null> {
  const hooks = modules.flatMap((m) => (m.onReturn ? [m.onReturn] : []));
  return async (member) => {
    for (const hook of hooks) {
      const next = await hook(member);
      if (next) return next;
    }
    return null;
  };
}

/** Every feature's check before a flow runs (FeatureModule.beforeFlow), in module order: the first detour wins. */
export function composeBeforeFlow(modules: readonly FeatureModule[]): BeforeFlow {
  const checks = modules.flatMap((m) => (m.beforeFlow ? [m.beforeFlow] : []));
  return async (member, flow, answers, how) => {
    for (const check of checks) {
      const detour = await check(member, flow, answers, how);
      if (detour) return detour;
    }
    return null;
  };
}

/** Every feature's meaning of a command typed at home (FeatureModule.homeCommand), in module order: the first wins. */
export function composeHomeCommand(modules: readonly FeatureModule[]): HomeCommand {
  const hooks = modules.flatMap((m) => (m.homeCommand ? [m.homeCommand] : []));
  return (member, command, input) => {
    for (const hook of hooks) {
      const next = hook(member, command, input);
      if (next) return next;
    }
    return null;
  };
}
