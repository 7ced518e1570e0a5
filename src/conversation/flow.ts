// How a flow is declared: once, as typed steps. Flows know nothing about Telegram or Zalo; the engine
// (engine.ts) asks, validates, branches, summarises and stores the state after every step.
import type { z } from 'zod';
import type { Member } from '../domain/member.ts';

/** A sentence for the member: an i18n key with values, or the member's own words shown back (raw). */
/**
 * A text: a translation key with its values, or text taken as it is. `noPreview`: the channel must not unfurl a link
 * in it (a single-use sign-in link; OutboundMessage `noPreview`).
 */
export type Text = ({ key: string; vars?: Record<string, unknown> } | { raw: string }) & { noPreview?: boolean };

export const text = (key: string, vars?: Record<string, unknown>): Text => (vars ? { key, vars } : { key });

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

/** Answers are stored as JSON in the database, so values are plain JSON. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Answers = Record<string, Json>;

/** A stored answer as text: strings as they are, other JSON values serialised (never "[object Object]"). */
export function answerText(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A photo step's answer: the stored files (StoredFile ids, oldest first) and the caption she wrote with them. */
export interface PhotoAnswer {
  files: string[];
  caption?: string;
}

export function photoAnswerValue(fileIds: readonly string[], caption?: string): Json {
  return caption === undefined ? { files: [...fileIds] } : { files: [...fileIds], caption };
}

/** Reads a photo step's stored answer; null when skipped (or not a photo answer). */
export function photoAnswer(value: Json | undefined): PhotoAnswer | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const files = value['files'];
  if (!Array.isArray(files) || !files.every((f): f is string => typeof f === 'string')) return null;
  const caption = value['caption'];
  return typeof caption === 'string' ? { files, caption } : { files };
}

export interface FlowContext {
  member: Member;
  answers: Answers;
  t: Translate;
  now: Date;
  /** IANA zone every date a person reads is shown in (TIME_ZONE); see domain/time.ts. */
  timeZone: string;
}

export interface ChoiceOption {
  value: string;
  label: Text;
  /**
   * Extra words that pick this option (compared with compareWords, so typed without diacritics too). An option whose
   * value is "yes" or "no" and has none gets the vocabulary's yes/no words ("có ạ", "dạ vâng", "chưa", "ko").
   */
  synonyms?: readonly string[];
}

/** What a custom parser can answer. */
export type ParseResult =
  | { ok: true; value: Json }
  | { ok: false; error: Text }
  /** Plausible but the member must confirm it first ("Túc Duyên is now part of Phan Đình Phùng — right?"). */
  | { ok: 'confirm'; value: Json; question: Text }
  /** Several plausible values: the member picks one (or none, and types again). */
  | { ok: 'pick'; question: Text; options: { value: Json; label: Text }[] };

export type InputSpec =
  /** `multiline`: her line breaks are kept (an announcement's paragraphs); otherwise the text is one line. */
  | { kind: 'text'; maxLength?: number; multiline?: boolean }
  | {
      kind: 'choice';
      options: (ctx: FlowContext) => ChoiceOption[];
      /**
       * Typed text that matches no option: a chance to answer it anyway (a quick question typed at the menu, e.g.
       * "lãi suất hộ nghèo bao nhiêu"). What it returns is said, and the same question is asked again.
       */
      otherwise?: (input: string, ctx: FlowContext) => Said[] | null;
      /**
       * Typed text that names several options at once ("5, 7", "5 và 7", two labels): the answer to accept (e.g. the
       * list of their values), or null when it does not (then it is read as usual). Tried before `otherwise`.
       */
      several?: (input: string, ctx: FlowContext) => Json | null;
    }
  /** Yes / no, with the usual words (có, ko, ok, no...) understood; labels may be worded for the question. */
  | { kind: 'yesno'; yesLabel?: Text; noLabel?: Text }
  | { kind: 'number'; min?: number; max?: number; integer?: boolean }
  | { kind: 'phone' }
  | { kind: 'date' }
  /**
   * One photo, or up to `max` (an album). The answer is a PhotoAnswer: the files as the project stored them (the
   * gateway downloads, checks and cleans them before the flow sees the message), never a platform's ref.
   */
  | {
      kind: 'photo';
      max?: number;
      /**
       * Photos are collected over several messages (one by one, or albums): each message adds to the answer and she
       * stays at the step, told how many she has ("Đã nhận 2/5 ảnh"), until she taps "Xong" (at least one photo) —
       * "Gửi lại từ đầu" clears them. The gateway takes only what is left of `max` (a sixth photo is refused).
       */
      collect?: boolean;
    }
  | {
      kind: 'custom';
      parse: (input: string, ctx: FlowContext) => ParseResult;
      /** How a stored value is shown in the summary. */
      display: (value: Json, ctx: FlowContext) => Text;
    };

export interface Step {
  id: string;
  prompt: Text | ((ctx: FlowContext) => Text);
  input: InputSpec;
  /** Optional steps get a "Skip" choice; a skipped answer is stored as null. */
  optional?: boolean;
  /** Branching: the step is asked only when this holds for the answers so far. */
  when?: (answers: Answers, ctx: FlowContext) => boolean;
  /** Checked on the parsed value; each issue's message is an i18n key shown to the member. */
  validate?: z.ZodType;
  /** Label in the closing summary and in the "edit which field?" list. Steps without one are not listed. */
  summaryLabel?: Text;
  /** Shown when the member asks for help at this step. */
  help?: Text;
  /**
   * Her own words for a person (a message to an officer, an officer's reply): whatever she types is the answer, never
   * read as a request for another feature (EngineDeps.understanding).
   */
  message?: boolean;
}

/**
 * A message with buttons that act outside the current question (claim case #12, reply, done...). Each button's
 * `action` is "<name>:<argument>"; a channel without buttons shows `typed`, the words a member can type instead.
 */
export interface ActionMessage {
  text: Text;
  actions: { label: Text; action: string }[];
}

/**
 * A photo the project stored (a StoredFile id: a listing's photo shown to the officers reviewing it), with an optional
 * caption. Rendered as an outbound photo whose ref is STORED_PHOTO_REF + the id; each channel sends the stored bytes
 * (Telegram: an upload; Zalo: an uploaded image; the console: a line naming it).
 */
export interface PhotoSaid {
  photo: string;
  caption?: Text;
}

export type Said = Text | ActionMessage | PhotoSaid;

export const isActionMessage = (m: Said): m is ActionMessage => 'actions' in m;
export const isPhotoSaid = (m: Said): m is PhotoSaid => 'photo' in m;

/** The ref prefix of an outbound photo the project stored (OutboundMessage photo ref "stored:<StoredFile id>"). */
export const STORED_PHOTO_REF = 'stored:';

export type FlowNext =
  /** Back to the member's home (the menu, or first contact). */
  | { to: 'home' }
  | { to: 'flow'; flowId: string; answers?: Answers }
  /** The conversation is over and nothing is stored (e.g. the member's data was just erased). */
  | { to: 'end' }
  /** Only for actions: leave the member where she was and ask her current question again. */
  | { to: 'stay' };

/**
 * Where to go back to after a detour (e.g. consent, then the profile, then back to the loan lead that needed them):
 * passed along in a flow's answers under RESUME.
 */
export const RESUME = 'resume';

/**
 * Answers a flow is started with for some of its steps (values read from what she said: "vay 30 triệu để nuôi lợn"),
 * under PREFILL in the flow's answers: { [stepId]: { value, confirm } }. When the flow reaches such a step, the value
 * is its answer: asked to confirm first ("Số tiền: 30 triệu — đúng không?") when `confirm`, else taken as given (the
 * field of the profile she named). A step that does not apply is passed over as usual, and its value dropped.
 */
export const PREFILL = 'prefill';

export interface Prefilled {
  value: Json;
  confirm: boolean;
}

/** The prefilled value of a step, if any (see PREFILL). */
export function prefilledOf(answers: Answers, stepId: string): Prefilled | null {
  const all = answers[PREFILL];
  if (!all || typeof all !== 'object' || Array.isArray(all)) return null;
  const entry = all[stepId];
  if (!entry || typeof entry !== 'object' || Array.isArray(entry) || !('value' in entry)) return null;
  return { value: entry['value'] ?? null, confirm: entry['confirm'] === true };
}

/** The answers without the prefilled value of a step (it is used once). */
export function withoutPrefilled(answers: Answers, stepId: string): Answers {
  const all = answers[PREFILL];
  if (!all || typeof all !== 'object' || Array.isArray(all) || !(stepId in all)) return answers;
  const rest = Object.fromEntries(Object.entries(all).filter(([k]) => k !== stepId));
  const { [PREFILL]: _dropped, ...others } = answers;
  return Object.keys(rest).length === 0 ? others : { ...others, [PREFILL]: rest };
}

/**
 * Where she was when she left a step for another feature (the engine's "leave this step?" question), under RETURN_TO
 * in the new flow's answers: the flow, step, answers and history she had. It travels with her from flow to flow; when
 * the flows she went to end at home, she is brought back to that step with her answers (EngineDeps.understanding).
 */
export const RETURN_TO = 'returnTo';

export function resumeFrom(answers: Answers): FlowNext | null {
  const resume = answers[RESUME];
  if (!resume || typeof resume !== 'object' || Array.isArray(resume)) return null;
  const flowId = resume['flowId'];
  const next = resume['answers'];
  if (typeof flowId !== 'string') return null;
  return { to: 'flow', flowId, answers: next && typeof next === 'object' && !Array.isArray(next) ? next : {} };
}

export interface FlowOutcome {
  say: Said[];
  next: FlowNext;
  /** The member as changed by the flow (e.g. new language), so what follows is said the right way. */
  member?: Member;
}

/** Buttons and typed commands that act outside the current question (officers' case actions, invitation codes). */
export interface ActionHandler {
  /** Recognises a typed command ("nhan 12", an invitation code); null if the text is not one. */
  parseTyped(input: string): { name: string; arg: string } | null;
  /** The words to type for an action, shown on channels without buttons ("nhan 12"). */
  typedFor(action: string, t: Translate): string | undefined;
  run(ctx: FlowContext, name: string, arg: string): Promise<FlowOutcome>;
}

/**
 * Who may run a flow: anyone (the default), members who consented to data processing, officers (and admins), or
 * admins. The engine checks it on every message, not only when the menu is drawn: a member who loses the right in the
 * middle of a flow (an admin demoted, consent withdrawn on another device) is told so and sent home before anything
 * else happens.
 */
export type FlowAccess = 'everyone' | 'consented' | 'officer' | 'admin';

/** Whether a member may run a flow with this access (see FlowAccess). */
export function mayRun(member: Member, access: FlowAccess = 'everyone'): boolean {
  switch (access) {
    case 'everyone':
      return true;
    case 'consented':
      return member.consentAt !== null;
    case 'officer':
      return member.role === 'officer' || member.role === 'admin';
    case 'admin':
      return member.role === 'admin';
  }
}

export interface Flow {
  id: string;
  /** Who may run it (default everyone); checked on every message. */
  access?: FlowAccess;
  /**
   * The consent purposes it needs (ids of domain/privacy.ts CONSENT_PURPOSES; a photo step needs "photos" without
   * saying so). Before the flow runs, and on every message in it, the engine's `beforeFlow` hook (the consent
   * feature's purpose gate) asks her once for a purpose she has not decided on, or explains a declined one.
   */
  purposes?: readonly string[];
  /**
   * Whose photos its photo steps take: 'member' (default) — her own material, so the flow needs the "photos" purpose
   * without declaring it; 'union' — the Union's own material sent by an officer or admin at work (an announcement's
   * picture), which is not her personal data: no "photos" purpose is asked for it.
   */
  photosOf?: 'member' | 'union';
  /** Said once when the flow starts. */
  intro?: Text | ((ctx: FlowContext) => Text);
  steps: Step[];
  /** With a summary, the member confirms, edits a field or cancels before finish() runs. */
  summary?: { title: Text };
  finish(ctx: FlowContext): Promise<FlowOutcome>;
  /**
   * A page built from data read when it was shown (a list of courses, her registrations with their places): when she
   * is brought back to it rather than answering it (after a detour she left it for, after an action run beside it,
   * after a pause or /start), the engine follows this instead of asking its stored question again, so the page is
   * read afresh (never a seat count or a waiting place from before). Given the page's stored answers.
   */
  reload?: (answers: Answers) => FlowNext;
  /**
   * Called at the end of a turn in which she answered a step of this flow (or added photos) and is still in it: her
   * answers so far and where she is (the step, or null at the summary), e.g. to keep a draft. Runs in the turn's
   * transaction (the gateway's unit of work), before the state is saved.
   */
  onAnswer?: (ctx: FlowContext, at: { stepId: string | null; answers: Answers }) => Promise<void>;
  /** Called when she cancels the flow at its summary (e.g. to discard a draft), in the turn's transaction. */
  onCancel?: (ctx: FlowContext) => Promise<void>;
}
