// A scripted BotGateway, a recording logger and Telegram update builders for the channel tests.
export { FakeGateway, RecordingLogger, type LogEntry } from '../../helpers/fakes.ts';

export const CHAT_ID = 42_4242;

const from = (languageCode?: string) => ({
  id: CHAT_ID,
  is_bot: false,
  first_name: 'Lan',
  ...(languageCode === undefined ? {} : { language_code: languageCode }),
});
const privateChat = { id: CHAT_ID, type: 'private', first_name: 'Lan' };

export function messageUpdate(
  updateId: number,
  fields: Record<string, unknown>,
  options: { languageCode?: string; chat?: object } = {},
) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId + 10_000,
      date: 1_750_000_000,
      from: from(options.languageCode ?? 'vi'),
      chat: options.chat ?? privateChat,
      ...fields,
    },
  };
}

export const textUpdate = (updateId: number, text: string, options: { languageCode?: string; chat?: object } = {}) =>
  messageUpdate(updateId, { text }, options);

export function tapUpdate(
  updateId: number,
  data: string | undefined,
  question?: { message_id: number; text?: string; reply_markup?: object },
) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cbq-${updateId}`,
      from: from('vi'),
      chat_instance: '-99',
      ...(data === undefined ? {} : { data }),
      ...(question === undefined
        ? {}
        : {
            message: {
              date: 1_750_000_000,
              chat: privateChat,
              from: { id: 123456, is_bot: true, first_name: 'Bot' },
              ...question,
            },
          }),
    },
  };
}

export const keyboard = (...rows: [string, string][][]) => ({
  inline_keyboard: rows.map((row) => row.map(([text, data]) => ({ text, callback_data: data }))),
});
