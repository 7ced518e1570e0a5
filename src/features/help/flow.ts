// Help: what the bot can do and the words that work at any step.
import type { Flow } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { MenuEntry } from '../menu/flow.ts';

export const HELP_FLOW = 'help';
/** "cảm ơn", "ok", "thôi không cần nữa": a short polite answer and the menu (intent "ack"). */
export const ACK_FLOW = 'ack';

export const helpMenuEntry: MenuEntry = { flowId: HELP_FLOW, label: text('menu:help'), audience: 'everyone' };

export function createHelpFlow(): Flow {
  return {
    id: HELP_FLOW,
    steps: [],
    finish: async () => ({ say: [text('common:about'), text('common:help')], next: { to: 'home' } }),
  };
}

/**
 * Thanks and closings typed at the menu ("cảm ơn", "ok", "thôi không cần nữa") ask for nothing: a short polite
 * answer and the menu, rather than "em chưa chắc chị cần gì" and a list of features.
 */
export function createAckFlow(): Flow {
  return {
    id: ACK_FLOW,
    steps: [],
    finish: async () => ({ say: [text('common:understanding.ack')], next: { to: 'home' } }),
  };
}
