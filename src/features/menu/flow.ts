// The main menu. Each feature adds its own entry (one feature per file); the menu shows a member only the entries
// meant for her: members who declined consent get public information only.
import type { Flow, FlowContext, Said, Text } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { Member } from '../../domain/member.ts';

export const MENU_FLOW = 'menu';

export interface MenuEntry {
  flowId: string;
  label: Text;
  /** Who sees it: members who consented, members who did not, everyone, or officers (and admins), or admins. */
  audience: 'consented' | 'notConsented' | 'everyone' | 'officer' | 'admin';
}

export function seesEntry(member: Member, entry: MenuEntry): boolean {
  if (entry.audience === 'everyone') return true;
  if (entry.audience === 'admin') return member.role === 'admin';
  if (entry.audience === 'officer') return member.role === 'officer' || member.role === 'admin';
  return (member.consentAt !== null) === (entry.audience === 'consented');
}

/**
 * The label of a menu entry as this member sees it in her menu, for a sentence that tells her to choose it
 * ("… chọn "Hồ sơ của tôi""), or null when the entry is not in her menu: a hint never names an item she lacks.
 */
export function menuItemFor(member: Member, entry: MenuEntry, t: FlowContext['t']): string | null {
  if (!seesEntry(member, entry)) return null;
  return 'raw' in entry.label ? entry.label.raw : t(entry.label.key, entry.label.vars);
}

export function createMenuFlow(
  entries: readonly MenuEntry[],
  /** Answers typed text that is no menu item (quick questions); null when it has no answer either. */
  otherwise?: (input: string, ctx: FlowContext) => Said[] | null,
): Flow {
  return {
    id: MENU_FLOW,
    steps: [
      {
        id: 'pick',
        prompt: text('menu:prompt'),
        input: {
          kind: 'choice',
          options: ({ member }) =>
            entries.filter((e) => seesEntry(member, e)).map((e) => ({ value: e.flowId, label: e.label })),
          ...(otherwise ? { otherwise } : {}),
        },
      },
    ],
    finish: async ({ answers }) => ({ say: [], next: { to: 'flow', flowId: answerText(answers['pick']) } }),
  };
}
