// The platforms' "start" command with a deep-link parameter: Telegram's https://t.me/<bot>?start=sp12 opens the chat
// and sends "/start sp12" (the Zalo Bot Platform's /start likewise). Shared by the channels; imports no channel.
import type { InboundContent } from '../../conversation/messages.ts';

/** Telegram's deep-link parameter: 1–64 of A–Z, a–z, 0–9, _ and -. */
const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The content of a "/start …" message: a plain start when it carries nothing, or the parameter as text she typed
 * (`/start sp12` → "sp12", read like any message: the public catalogue's links carry "sp<product id>", a buyer's
 * enquiry). A parameter outside Telegram's alphabet is ignored (a plain start). `rest`: what follows "/start".
 */
export function startContent(rest: string): InboundContent {
  const payload = rest.trim();
  return PAYLOAD.test(payload) ? { kind: 'text', text: payload } : { kind: 'start' };
}
