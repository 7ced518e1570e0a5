// The engine's port to the understanding layer (src/features/understanding.ts builds it from the feature modules'
// intents and the locales' example phrases): what a typed message asks for, as places the engine can send her.
import type { Member } from '../domain/member.ts';
import type { FlowContext, FlowNext, Text } from './flow.ts';

/** A feature she can be sent to for what she typed. */
export interface IntentTarget {
  intent: string;
  /** How the choice reads on a button ("Kiểm tra khả năng vay vốn", "Sửa tên"). */
  label: Text;
  /** Where it starts (a flow, with what she already said filled in to confirm). */
  next: FlowNext;
  flowId: string;
}

/** What a message typed at the menu asks for. */
export type Reading =
  /** One feature, clearly: it starts. */
  | { kind: 'start'; target: IntentTarget }
  /** Two close candidates: a short choice. */
  | { kind: 'choose'; targets: IntentTarget[] }
  /**
   * Nothing close: the nearest features, and `officer` (her text sent to a Union officer) when she may open a case.
   * Never a bare "I don't understand".
   */
  | { kind: 'unsure'; nearest: IntentTarget[]; officer: IntentTarget | null };

export interface Understanding {
  /** A message typed at the menu that is no menu item and no quick question. */
  read(input: string, ctx: FlowContext): Reading;
  /**
   * A message typed in a flow, at a step it may not answer: the feature it clearly asks for (above the mid-flow
   * threshold), or null. Conservative: names and communes are answers.
   */
  readAside(input: string, ctx: FlowContext): IntentTarget | null;
  /**
   * The first message of a member without a conversation: where she goes when it clearly asks for a feature (through
   * first contact for a newcomer, keeping only the intent and values parsed from it), or null for her home.
   */
  arrival(input: string, member: Member, ctx: FlowContext): FlowNext | null;
}
