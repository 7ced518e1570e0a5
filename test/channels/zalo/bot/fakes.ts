// A scripted BotGateway, a recording logger, a recording sleep and Bot Platform event builders for the channel tests.
export { FakeGateway, RecordingLogger, type LogEntry } from '../../../helpers/fakes.ts';

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

export const CHAT_ID = '6ede9afa66b88fe6d6a9';

/** A message event as Zalo documents it: {ok:true, result:{event_name, message}}. */
export function zaloEvent(
  eventName: string,
  messageId: string,
  fields: Record<string, unknown> = {},
  options: { chatId?: string; chatType?: string; wrapped?: boolean } = {},
): object {
  const chatId = options.chatId ?? CHAT_ID;
  const event = {
    event_name: eventName,
    message: {
      from: { id: chatId, display_name: 'Lan', is_bot: false },
      chat: { id: chatId, chat_type: options.chatType ?? 'PRIVATE' },
      message_id: messageId,
      date: 1_750_316_131_602,
      ...fields,
    },
  };
  return options.wrapped === false ? event : { ok: true, result: event };
}

export const textEvent = (messageId: string, text: string, options: { chatId?: string; wrapped?: boolean } = {}) =>
  zaloEvent('message.text.received', messageId, { text }, options);

export const imageEvent = (messageId: string, photoUrl: string, caption?: string) =>
  zaloEvent('message.image.received', messageId, {
    photo_url: photoUrl,
    ...(caption === undefined ? {} : { caption }),
  });

/** Waits until `condition` holds (polling every 5 ms), or fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
