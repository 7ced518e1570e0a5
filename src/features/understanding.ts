// The understanding layer for every feature: each feature module declares its intents (FeatureModule.intents: which
// flow an intent starts, with which answers given or read from her words, and whether it destroys something); their
// example phrases are data in locales/<lng>/<namespace>.json ("intents.<id>.examples", label "intents.<id>.label").
// The classifier (domain/understanding) is built once, at start-up, from every language's examples; adding a phrase
// to the locales is all it takes to teach one.
import type { Answers, Flow, FlowContext, FlowNext, Json } from '../conversation/flow.ts';
import { mayRun, PREFILL, RESUME, text } from '../conversation/flow.ts';
import type { IntentTarget, Reading, Understanding } from '../conversation/understanding.ts';
import type { Member } from '../domain/member.ts';
import { IntentClassifier, NONE_INTENT, type Example } from '../domain/understanding/classifier.ts';
import { asideIntent, decide, type Decision } from '../domain/understanding/decide.ts';
import { foldLexicon, namesOneOf, type Lexicon } from '../domain/understanding/words.ts';

/** One thing a member can ask for in her own words, declared by the feature that does it. */
export interface IntentDeclaration {
  /** Unique across features ("credit", "profileName"); its phrases are `<namespace>:intents.<id>.examples`. */
  id: string;
  /** The feature's locales namespace ("credit", "profile"). */
  namespace: string;
  /** The flow it starts. */
  flowId: string;
  /** Answers of its steps given by the intent itself, taken without asking (the profile field she named). */
  given?: Record<string, Json>;
  /**
   * Answers read from what she said, each confirmed at its step ("vay 30 triệu để nuôi lợn": purpose and amount).
   * Only these values are kept across first contact, never her text.
   */
  read?: (input: string) => Record<string, Json>;
  /**
   * Deletes, stops, cancels or withdraws something: its flow must only ever open a confirmation, and it is read only
   * from words its own examples alone use, above THRESHOLDS.destructive — and, when its locales list
   * `intents.<id>.needs` exists, only from a message naming one of those objects ("dữ liệu", "tài khoản", "tất cả"):
   * "xóa tên cũ đi" or "xóa tin nhắn vừa gửi" never lead towards erasing everything.
   */
  destructive?: boolean;
  /**
   * Cancels one thing of hers that its flow names before doing it (a course registration: "em không đi học được
   * nữa"), nothing that cannot be had again. Like `destructive`, its flow must start with a confirmation the intent
   * may not answer; unlike it, it is read as any intent is — her everyday words for it share "đăng ký", "lớp", "học"
   * with browsing and registering, and the distinctive-words gate and higher threshold turned most of them away —
   * but, when its locales list `intents.<id>.needs` exists, only from a message naming one of those objects ("lớp",
   * "học", "danh sách chờ"): "hủy đăng ký" alone is never read as it. Deleting her data stays `destructive`.
   */
  cancels?: boolean;
  /**
   * Only officers (and admins) are sent to it ("các yêu cầu cần xử lý": her queue); members' words are never read
   * as it, as the menu shows it only to them (MenuEntry.audience).
   */
  audience?: 'officer';
  /** The step that takes her own words: "send this to a Union officer" fills it with what she typed. */
  takesText?: string;
  /**
   * Thanks, greetings, closings ("cảm ơn", "chào em", "ok"): answered where she is, but never a request that a
   * newcomer's first message carries through first contact (she would be thanked after saving her profile).
   */
  smallTalk?: boolean;
}

/** Chit-chat examples (common:intents.none): messages that ask for nothing the bot does. */
const NONE_KEY = `common:intents.${NONE_INTENT}.examples`;

export interface UnderstandingDeps {
  intents: readonly IntentDeclaration[];
  flows: readonly Flow[];
  /** Every language's phrases of a locales list key, as written. */
  phrases: (key: string) => string[];
  lexicon: Lexicon;
  /** Her home flow (first contact or the menu). */
  home: (member: Member) => string;
  /** Whether she still goes through first contact (language, consent), which a first request then waits for. */
  inFirstContact: (member: Member) => boolean;
}

export interface FeatureUnderstanding extends Understanding {
  readonly classifier: IntentClassifier;
  /** The decision for a message as this member would get it (tests, the labelled sets). */
  decision(input: string, member: Member): Decision;
}

/**
 * Builds the understanding from the feature modules' intents. Throws at start-up when an intent has no example
 * phrase, two features declare one id, an intent names an unknown flow, or a destructive intent's flow does not
 * start with an unconditional confirmation (or the intent would answer it).
 */
export function createUnderstanding(deps: UnderstandingDeps): FeatureUnderstanding {
  const flows = new Map(deps.flows.map((f) => [f.id, f]));
  const byId = new Map<string, IntentDeclaration>();
  const examples: Example[] = [];
  for (const intent of deps.intents) {
    if (byId.has(intent.id)) throw new Error(`intent ${intent.id} is declared twice`);
    const flow = flows.get(intent.flowId);
    if (!flow) throw new Error(`intent ${intent.id} starts unknown flow ${intent.flowId}`);
    // A destructive intent only ever opens a confirmation: its flow must ask before anything else happens.
    const first = flow.steps[0];
    const confirmsFirst = intent.destructive === true || intent.cancels === true;
    if (confirmsFirst && (first?.when || (first?.input.kind !== 'yesno' && first?.input.kind !== 'choice'))) {
      throw new Error(`destructive intent ${intent.id} must start with a confirmation (a yes/no or choice step)`);
    }
    if (intent.destructive && intent.cancels) throw new Error(`intent ${intent.id} is both destructive and cancels`);
    if (confirmsFirst && (intent.given || intent.read)) {
      throw new Error(`destructive intent ${intent.id} may not answer its confirmation`);
    }
    byId.set(intent.id, intent);
    const phrases = deps.phrases(`${intent.namespace}:intents.${intent.id}.examples`);
    if (phrases.length === 0) throw new Error(`intent ${intent.id} has no example phrases in the locales`);
    examples.push(...phrases.map((p) => ({ intent: intent.id, text: p })));
  }
  examples.push(...deps.phrases(NONE_KEY).map((p) => ({ intent: NONE_INTENT, text: p })));
  const lexicon = foldLexicon(deps.lexicon);
  const classifier = new IntentClassifier(examples, lexicon);
  // What an intent's message must name (intents.<id>.needs: the objects a destructive or cancelling intent acts on,
  // the verbs of turning announcements on or off) and must not name (intents.<id>.unless: "tắt", "không nhận" for
  // turning them on). Words alone cannot tell "khi nào có thông báo họp" from "bật thông báo": the verb does.
  const needs = new Map<string, string[]>();
  const unless = new Map<string, string[]>();
  for (const intent of deps.intents) {
    const list = deps.phrases(`${intent.namespace}:intents.${intent.id}.needs`);
    if (list.length > 0) needs.set(intent.id, list);
    const not = deps.phrases(`${intent.namespace}:intents.${intent.id}.unless`);
    if (not.length > 0) unless.set(intent.id, not);
  }

  const allowed = (member: Member) => (id: string) => {
    const intent = byId.get(id);
    if (intent?.audience === 'officer' && member.role !== 'officer' && member.role !== 'admin') return false;
    return intent !== undefined && mayRun(member, flows.get(intent.flowId)?.access);
  };
  const destructive = (input: string) => (id: string) => {
    const intent = byId.get(id);
    // Her words as written, or as the classifier read them (a typo or Telex marks corrected: "lowps" is "lớp").
    const names = (o: string[]) =>
      namesOneOf(input, o, lexicon) || namesOneOf(classifier.words(input).join(' '), o, lexicon);
    const objects = needs.get(id);
    if (objects && !names(objects)) return 'shared' as const;
    const not = unless.get(id);
    if (not && namesOneOf(input, not, lexicon)) return 'shared' as const;
    if (!intent?.destructive && !intent?.cancels) return 'no' as const;
    if (intent.cancels) return 'no' as const;
    return classifier.hasDistinctive(input, id) ? ('distinctive' as const) : ('shared' as const);
  };
  const decision = (input: string, member: Member): Decision =>
    decide(classifier.score(input), allowed(member), destructive(input));

  /** Where an intent starts: its flow, with the answers it gives and those read from her words (to confirm). */
  const targetOf = (id: string, input: string, extra: Record<string, Json> = {}): IntentTarget => {
    const intent = byId.get(id)!;
    const given = { ...(intent.given ?? {}), ...extra };
    const read = intent.read?.(input) ?? {};
    const entries: Record<string, Json> = {};
    for (const [step, value] of Object.entries(read)) entries[step] = { value, confirm: true };
    for (const [step, value] of Object.entries(given)) entries[step] = { value, confirm: false };
    const answers: Answers = Object.keys(entries).length > 0 ? { [PREFILL]: entries } : {};
    return {
      intent: id,
      flowId: intent.flowId,
      label: text(`${intent.namespace}:intents.${id}.label`),
      next: { to: 'flow', flowId: intent.flowId, answers },
    };
  };

  /**
   * Where a request leads a member who has no conversation yet, or is at first contact: its feature, through first
   * contact for a newcomer; null when it asks for nothing clearly, or for her home itself.
   */
  const arrivalTarget = (input: string, member: Member): IntentTarget | null => {
    // A newcomer may run what a consenting member may once first contact is done: that is where she will land.
    const decided = decision(input, deps.inFirstContact(member) ? { ...member, consentAt: new Date(0) } : member);
    if (decided.kind !== 'start' || byId.get(decided.intent)?.smallTalk) return null;
    const target = targetOf(decided.intent, input);
    const home = deps.home(member);
    if (target.flowId === home) return null;
    if (!deps.inFirstContact(member)) return target;
    // Language and consent first; then her request. Only the intent's flow and the values read from her words
    // travel (RESUME), never her text; declining consent drops them.
    const answers = target.next.to === 'flow' ? (target.next.answers ?? {}) : {};
    return { ...target, next: { to: 'flow', flowId: home, answers: { [RESUME]: { flowId: target.flowId, answers } } } };
  };

  return {
    classifier,
    decision,

    read(input: string, ctx: FlowContext): Reading {
      if (deps.inFirstContact(ctx.member)) {
        // Typed at first contact's own question (the language): a request waits through first contact, as a first
        // message does; anything else gets that question again.
        const target = arrivalTarget(input, ctx.member);
        return target ? { kind: 'start', target } : { kind: 'unsure', nearest: [], officer: null };
      }
      const decided = decision(input, ctx.member);
      if (decided.kind === 'start') return { kind: 'start', target: targetOf(decided.intent, input) };
      if (decided.kind === 'choose') return { kind: 'choose', targets: decided.intents.map((i) => targetOf(i, input)) };
      const officer = deps.intents.find((i) => i.takesText && allowed(ctx.member)(i.id));
      return {
        kind: 'unsure',
        nearest: decided.nearest.filter((i) => i !== officer?.id).map((i) => targetOf(i, input)),
        officer: officer ? targetOf(officer.id, input, { [officer.takesText!]: input }) : null,
      };
    },

    readAside(input: string, ctx: FlowContext): IntentTarget | null {
      const scored = classifier.score(input);
      const decided = decide(scored, allowed(ctx.member), destructive(input));
      const intent = asideIntent(decided, scored, classifier.knownWords(input));
      return intent ? targetOf(intent, input) : null;
    },

    arrival(input: string, member: Member): FlowNext | null {
      return arrivalTarget(input, member)?.next ?? null;
    },
  };
}
