// The words members type for the global commands, yes/no and greetings, and how a message is read as a command.
import { matchPhrase } from '../domain/text.ts';

/**
 * Words members type for the global commands, yes/no and the like, in every language, normalised with their
 * diacritics kept (normalizeWords): "đúng" (yes) and "dừng" (cancel) are different words; a member who types "dung"
 * without marks is compatible with both, and the question she is at decides (see pickOption and findCommand).
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
export type Command = 'back' | 'cancel' | 'menu' | 'help';
const COMMANDS: readonly Command[] = ['back', 'cancel', 'menu', 'help'];

/**
 * The global command a message names, if any, and how: exactly (typed with its marks: "hủy", "quay lại"), or loosely
 * (typed without them: "huy", "quay lai"), in which case the caller decides whether it may also be an answer.
 */
export function findCommand(vocabulary: Vocabulary, input: string): { name: Command; match: 'exact' | 'loose' } | null {
  const found: { name: Command; match: 'exact' | 'loose' }[] = [];
  for (const name of COMMANDS) {
    const match = matchPhrase(input, vocabulary[name]);
    if (match) found.push({ name, match });
  }
  return found.find((c) => c.match === 'exact') ?? found[0] ?? null;
}
