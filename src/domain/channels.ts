// The channels a member can use and the shape of what the bot sends her, as the domain knows them: a member belongs
// to one channel; a stored notification holds messages already rendered in her language. The conversation layer and
// the channels build on these (src/conversation/messages.ts re-exports them); nothing here knows a platform.

/** Every channel the bot serves; a member row names one. */
export const CHANNELS = ['console', 'telegram', 'zalo', 'zalobot'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** The most a button's data may hold: Telegram's callback_data limit (64 bytes), the smallest of the channels. */
export const MAX_CHOICE_DATA_BYTES = 64;

export interface OutboundChoice {
  label: string;
  /** What to type instead of tapping, for channels without buttons (e.g. "nhan 12"); otherwise its number works. */
  typed?: string;
  /** Opaque token for the channel to send back in InboundContent.choice (≤ MAX_CHOICE_DATA_BYTES). */
  data: string;
}

export type OutboundMessage =
  /**
   * `noPreview`: the channel must not unfurl a link in the text (a single-use sign-in link: Telegram's
   * link_preview_options.is_disabled; channels without such a switch send it as it is).
   */
  | { kind: 'text'; text: string; noPreview?: boolean }
  /**
   * A question with choices. `numbered` choices can also be answered by typing their number;
   * `freeText` means the member may type something else too (e.g. a phone number with a "Skip" button).
   */
  | { kind: 'choices'; text: string; choices: OutboundChoice[]; freeText: boolean }
  | { kind: 'photo'; ref: string; caption?: string };
