// The platforms' "start" command with a deep-link parameter: Telegram's https://t.me/<bot>?start=sp12 opens the chat
// and sends "/start sp12" (the Zalo Bot Platform's /start likewise). Shared by the channels; imports no channel.
import type { InboundContent } from '../../conversation/messages.ts';

/** The parameters the bot reads: "sp<product id>" (the public catalogue's links). Any other is a plain start. */
const PAYLOAD = /^sp[1-9]\d{0,8}$/i;

/**
 * The content of a "/start …" message: a plain start when it carries nothing, or the parameter as text she typed
 * (`/start sp12` → "sp12", read like any message: the public catalogue's links carry "sp<product id>", a buyer's
 * enquiry). Any other parameter (a campaign tag) is a plain start, as before. `rest`: what follows "/start".
 */
export function startContent(rest: string): InboundContent {
  const payload = rest.trim();
  return PAYLOAD.test(payload) ? { kind: 'text', text: payload } : { kind: 'start' };
}
