// The full path of a product listing on Telegram, at the real webhook seam with the Bot API faked over HTTP: her
// photos are photo updates whose files the fake serves (getFile, download); the officer's notice carries the photos
// uploaded by the bot (multipart sendPhoto, the bytes read back) and the inline buttons, which she taps as
// callback_query updates.
import sharp from 'sharp';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/index.ts';
import type { Runtime } from '../../src/wiring.ts';
import { FakeBotApi, TOKEN } from '../channels/telegram/fake-bot-api.ts';
import { realRuntime, silentLogger, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { jpeg } from '../helpers/photos.ts';
import { consentToPublishing, submitted } from '../helpers/products.ts';
import { memberWithProfile, reportChangesResubmitApprove, type Party } from './fullPath.ts';

const SECRET = 'products-e2e-secret-0123456789';
const MEMBER_CHAT = 7_000_001;
const OFFICER_CHAT = 7_000_002;

let db: FreshDatabase;
let rt: Runtime;
let api: FakeBotApi;
let channel: TelegramChannel;
let updateId = 90_000;

beforeEach(async () => {
  db = await freshDatabase();
  api = await FakeBotApi.start();
  rt = realRuntime(db.prisma, new TestClock(new Date('2026-03-02T08:00:00Z')));
  channel = createTelegramChannel({
    token: TOKEN,
    apiRoot: api.apiRoot,
    mode: 'webhook',
    webhook: { secret: SECRET, path: '/telegram/webhook' },
    gateway: rt.bot,
    logger: silentLogger,
    albums: { store: rt.pendingParts, gapMs: 50 },
    storedPhotos: rt.storedPhotos,
  });
  rt.media.register('telegram', channel.media);
  await channel.start();
});
afterEach(async () => {
  await channel.stop();
  await api.close();
  await db.close();
});

const chatOf = (chatId: number) => ({ id: chatId, type: 'private', first_name: 'Lan' });
const fromOf = (chatId: number) => ({ id: chatId, is_bot: false, first_name: 'Lan', language_code: 'vi' });

async function post(update: object): Promise<void> {
  const answer = await channel.route!.handle({
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
    rawBody: Buffer.from(JSON.stringify(update)),
  });
  expect(answer.status).toBe(200);
  await channel.idle();
}

/** One person's Telegram chat with the bot. */
function telegramParty(chatId: number): Party {
  let read = 0;
  let uploadsRead = 0;
  const message = (fields: object) => ({
    update_id: ++updateId,
    message: { message_id: updateId, date: 1_750_000_000, from: fromOf(chatId), chat: chatOf(chatId), ...fields },
  });
  /** The bot's calls to this chat, in order. */
  const sent = () =>
    api.requests.filter(
      (r) => (r.method === 'sendMessage' || r.method === 'sendPhoto') && String(r.body.chat_id) === String(chatId),
    );
  return {
    say: (text) => post(message({ text })),
    async tap(label) {
      const withButton = sent()
        .map((r) => r.body)
        .reverse()
        .find((b) => {
          const markup = b['reply_markup'] as { inline_keyboard?: { text: string }[][] } | undefined;
          return markup?.inline_keyboard?.flat().some((button) => button.text === label);
        });
      if (!withButton) throw new Error(`no button "${label}" in chat ${chatId}`);
      const markup = withButton['reply_markup'] as { inline_keyboard: { text: string; callback_data: string }[][] };
      const button = markup.inline_keyboard.flat().find((b) => b.text === label)!;
      await post({
        update_id: ++updateId,
        callback_query: {
          id: `cbq-${updateId}`,
          from: fromOf(chatId),
          chat_instance: '-1',
          data: button.callback_data,
          message: {
            message_id: 700 + updateId,
            date: 1_750_000_000,
            chat: chatOf(chatId),
            from: { id: 123456, is_bot: true, first_name: 'Bot' },
            text: String(withButton['text']),
            reply_markup: markup,
          },
        },
      });
    },
    async photos(count) {
      for (let i = 0; i < count; i++) {
        const fileId = `photo-${chatId}-${++updateId}`;
        api.addFile(fileId, await jpeg({ width: 640, height: 480, colour: i === 0 ? '#aa6600' : '#336699' }));
        await post(
          message({
            photo: [
              { file_id: `${fileId}-small`, file_unique_id: `${fileId}-s`, width: 90, height: 68 },
              { file_id: fileId, file_unique_id: fileId, width: 640, height: 480 },
            ],
          }),
        );
      }
    },
    async shown() {
      const all = sent();
      const fresh = all.slice(read);
      read = all.length;
      // The texts and captions, each followed by its buttons' labels.
      return fresh
        .map((r) => {
          const markup = r.body['reply_markup'] as { inline_keyboard?: { text: string }[][] } | undefined;
          const labels = markup?.inline_keyboard?.flat().map((b) => `[${b.text}]`) ?? [];
          const said = r.body['text'] ?? r.body['caption'];
          return [typeof said === 'string' ? said : '', ...labels].join('\n');
        })
        .join('\n');
    },
    async photosShown() {
      const all = api.uploads().filter((u) => u.chatId === String(chatId));
      const fresh = all.slice(uploadsRead);
      uploadsRead = all.length;
      // What she sees is a real picture: the stored, cleaned JPEG (EXIF-free), decoded here.
      for (const upload of fresh) expect((await sharp(upload.bytes).metadata()).format).toBe('jpeg');
      return fresh.length;
    },
  };
}

it('report → ask for changes → resubmit → approve, on Telegram (photos uploaded, buttons tapped)', async () => {
  const member = telegramParty(MEMBER_CHAT);
  await memberWithProfile(member);
  const { code } = await rt.features.invitations.create({
    role: 'officer',
    areas: ['05755'],
    createdBy: 'cli',
    ttlHours: 72,
  });
  const officer = telegramParty(OFFICER_CHAT);
  await officer.say(code);
  await officer.shown();
  await reportChangesResubmitApprove(rt, member, officer);
  // Her photos were fetched from Telegram (getFile, then the download), never kept as a Telegram file id.
  expect(api.methods().filter((m) => m === 'download')).toHaveLength(2);
});

it('a member forging the approve callback on Telegram is refused in words, and nothing changes', async () => {
  const member = telegramParty(MEMBER_CHAT);
  await memberWithProfile(member);
  const owner = (await rt.members.findByChannelUser('telegram', String(MEMBER_CHAT)))!;
  await consentToPublishing(rt, owner);
  const { id } = await submitted(rt, owner);
  await post({
    update_id: ++updateId,
    callback_query: {
      id: `cbq-${updateId}`,
      from: fromOf(MEMBER_CHAT),
      chat_instance: '-1',
      data: `!lok:${id}`,
      message: { message_id: 1, date: 1_750_000_000, chat: chatOf(MEMBER_CHAT), text: 'Duyệt?' },
    },
  });
  expect(await member.shown()).toContain('Chức năng duyệt sản phẩm chỉ dành cho cán bộ Hội.');
  expect((await rt.db.listing.findUniqueOrThrow({ where: { id } })).status).toBe('pending');
  // Her tap was answered (the spinner stops), as every tap is.
  expect(api.calls('answerCallbackQuery').at(-1)).toEqual({ callback_query_id: `cbq-${updateId}` });
});
