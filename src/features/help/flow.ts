// Help: what the bot can do and the words that work at any step.
import type { Flow } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { MenuEntry } from '../menu/flow.ts';

export const HELP_FLOW = 'help';

export const helpMenuEntry: MenuEntry = { flowId: HELP_FLOW, label: text('menu:help'), audience: 'everyone' };

export function createHelpFlow(): Flow {
  return {
    id: HELP_FLOW,
    steps: [],
    finish: async () => ({ say: [text('common:about'), text('common:help')], next: { to: 'home' } }),
  };
}
