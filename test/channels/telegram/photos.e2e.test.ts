// Photos a member sends on Telegram, end to end: the real bot (first contact, consent, "delete my data") plus a test
// flow with a photo step, behind the Telegram webhook, with the Bot API faked at its HTTP seam (getFile and the file
// download included). What is stored is read back from the files folder and the database.
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../../src/app/bot.ts';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { answerText, photoAnswer, type Answers, type Flow } from '../../../src/conversation/flow.ts';
import type { BotGateway } from '../../../src/conversation/messages.ts';
import { createConversationRepository } from '../../../src/data/conversationRepository.ts';
import type { FileLimits } from '../../../src/domain/files.ts';
import { DELETE_DATA_FLOW } from '../../../src/features/privacy/flows.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { HOUR, realRuntime, silentLogger, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { jpeg } from '../../helpers/photos.ts';
import { FakeBotApi, TOKEN } from './fake-bot-api.ts';
import { CHAT_ID, messageUpdate, tapUpdate, textUpdate } from './fakes.ts';

const SECRET = 'photos-secret-token-0123456789';
/** ALBUM_GAP_MS for the tests: long enough for a loaded machine to post an album's parts within it. */
const GAP_MS = 400;
const raw = (s: string) => ({ raw: s });

/** A menu with a photo step (no feature asks for photos yet) and the real "delete my data". */
function testFlows(finished: Answers[]): Flow[] {
  return [
    {
      id: 'photoMenu',
      steps: [
        {
          id: 'pick',
          prompt: raw('PHOTO MENU'),
          input: {
            kind: 'choice',
            options: () => [
              { value: 'photos', label: raw('Gửi ảnh') },
              { value: DELETE_DATA_FLOW, label: raw('Xóa dữ liệu') },
            ],
          },
        },
      ],
      finish: async ({ answers }) => ({ say: [], next: { to: 'flow', flowId: answerText(answers['pick']) } }),
    },
    {
      id: 'photos',
      steps: [{ id: 'papers', prompt: raw('GỬI ẢNH GIẤY TỜ (tối đa 5)'), input: { kind: 'photo', max: 5 } }],
      finish: async ({ answers }) => {
        finished.push(answers);
        const photos = photoAnswer(answers['papers']);
        return {
          say: [raw(`ĐÃ NHẬN ${photos?.files.length ?? 0} ẢNH: ${photos?.caption ?? ''}`)],
          next: { to: 'home' },
        };
      },
    },
  ];
}

let db: FreshDatabase;
let api: FakeBotApi;
let runtime: Runtime;
let channel: TelegramChannel;
let finished: Answers[];
let updateId = 5000;

/** The real bot's pieces (consent, privacy, photo stage, erasure) with the test flows; decided members go home to them. */
function photoBot(rt: Runtime): BotGateway {
  return createBot({
    members: rt.members,
    outbox: rt.outbox,
    conversations: createConversationRepository(rt.db),
    inbound: rt.inbound,
    transactor: rt.transactor,
    flows: [...rt.features.flows, ...testFlows(finished)],
    home: (m) => (m.consentAt !== null || m.optedOutAt !== null ? 'photoMenu' : rt.features.home(m)),
    translator: rt.localisation.translator,
    vocabulary: rt.localisation.vocabulary,
    clock: new TestClock(),
    logger: silentLogger,
    conversationTimeoutMs: 24 * HOUR,
    defaultLanguage: 'vi',
    photos: rt.photos,
  });
}

function telegramChannel(gateway: BotGateway, gapMs = GAP_MS): TelegramChannel {
  const created = createTelegramChannel({
    token: TOKEN,
    apiRoot: api.apiRoot,
    mode: 'webhook',
    webhook: { secret: SECRET, path: '/telegram/webhook' },
    gateway,
    logger: silentLogger,
    albums: { store: runtime.pendingParts, gapMs },
  });
  runtime.media.register('telegram', created.media);
  return created;
}

async function setUp(limits: Partial<FileLimits> = {}): Promise<void> {
  runtime = realRuntime(db.prisma, new TestClock(), { files: limits });
  channel = telegramChannel(photoBot(runtime));
  await channel.start();
}

beforeEach(async () => {
  db = await freshDatabase();
  api = await FakeBotApi.start();
  finished = [];
  await setUp();
});
afterEach(async () => {
  await channel.stop();
  await api.close();
  await db.close();
});

/** Posts an update to the webhook (answered once it is stored or handled). */
async function deliver(update: object): Promise<void> {
  const answer = await channel.route!.handle({
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
    rawBody: Buffer.from(JSON.stringify(update)),
  });
  expect(answer.status).toBe(200);
}

/** Posts updates (an album's parts: all of them before waiting), waits for albums, and returns the texts sent. */
async function post(...updates: object[]): Promise<string[]> {
  const before = api.calls('sendMessage').length;
  for (const update of updates) await deliver(update);
  await channel.idle();
  return api
    .calls('sendMessage')
    .slice(before)
    .map((m) => String(m['text']));
}

const say = (text: string) => post(textUpdate(++updateId, text));

async function tap(label: string): Promise<string[]> {
  const question = api
    .calls('sendMessage')
    .filter((c) => c['reply_markup'])
    .at(-1);
  const markup = question?.['reply_markup'] as { inline_keyboard: { text: string; callback_data: string }[][] };
  const button = markup.inline_keyboard.flat().find((b) => b.text === label);
  if (!button) throw new Error(`no button ${label}`);
  return post(tapUpdate(++updateId, button.callback_data, { message_id: 1, text: String(question?.['text']) }));
}

/** A photo message as Telegram sends it (sizes of one picture; the largest is fetched), maybe part of an album. */
function photoUpdate(fileId: string, options: { album?: string; caption?: string } = {}) {
  return messageUpdate(++updateId, {
    photo: [
      { file_id: `${fileId}-thumb`, file_unique_id: `${fileId}-t`, width: 90, height: 60 },
      { file_id: fileId, file_unique_id: fileId, width: 1280, height: 853 },
    ],
    ...(options.album === undefined ? {} : { media_group_id: options.album }),
    ...(options.caption === undefined ? {} : { caption: options.caption }),
  });
}

/** A file sent "as a file" (a document), with the name and type the member's phone gave it. */
function documentUpdate(fileId: string, fileName: string, mimeType: string) {
  return messageUpdate(++updateId, {
    document: { file_id: fileId, file_unique_id: fileId, file_name: fileName, mime_type: mimeType },
  });
}

/** A member who consented (first contact done, and the "photos" purpose), at the test menu. */
async function consentedMember(): Promise<string> {
  const member = await runtime.members.create({ channel: 'telegram', channelUserId: String(CHAT_ID), language: 'vi' });
  const updated = await runtime.members.update(member.id, { consentAt: new Date(), displayName: 'Lan' });
  await runtime.features.consent.decide(updated, 'photos', true, new Date());
  await say('alo');
  return member.id;
}

async function storedFilesOf(memberId: string): Promise<string[]> {
  const keys = await runtime.files.store.list(`${memberId}/`);
  return keys.map((k) => path.basename(k));
}

describe('photos on Telegram', () => {
  it('an album of three photos with a caption, at a photo step, is one answer with three stored files', async () => {
    const memberId = await consentedMember();
    expect(await tap('Gửi ảnh')).toEqual(['GỬI ẢNH GIẤY TỜ (tối đa 5)']);
    const colours = ['#aa0000', '#00aa00', '#0000aa'];
    for (const [i, colour] of colours.entries()) api.addFile(`album-${i}`, await jpeg({ colour }));

    // Three updates sharing a media_group_id, the caption on the first (as Telegram sends an album).
    const parts = colours.map((_, i) =>
      photoUpdate(`album-${i}`, { album: 'grp-1', ...(i === 0 ? { caption: 'Giấy xác nhận hộ nghèo' } : {}) }),
    );
    const before = api.calls('sendMessage').length;
    // A part delivered twice (Telegram redelivers an update it got no answer for) counts once.
    for (const part of [...parts, parts[1]!]) await deliver(part);
    // Nothing is fetched nor answered before the album is complete.
    expect(api.calls('getFile')).toEqual([]);
    expect(api.calls('sendMessage').length).toBe(before);
    await channel.idle();
    const replies = api
      .calls('sendMessage')
      .slice(before)
      .map((m) => String(m['text']));

    // One answer for the whole album, then the menu again.
    expect(replies).toEqual(['ĐÃ NHẬN 3 ẢNH: Giấy xác nhận hộ nghèo', 'PHOTO MENU']);
    expect(finished).toHaveLength(1);
    const answer = photoAnswer(finished[0]?.['papers']);
    expect(answer?.caption).toBe('Giấy xác nhận hộ nghèo');
    expect(answer?.files).toHaveLength(3);
    // The largest size of each photo was fetched, in the album's order, and each is stored once.
    expect(api.calls('getFile').map((c) => c['file_id'])).toEqual(['album-0', 'album-1', 'album-2']);
    const rows = await db.prisma.storedFile.findMany({ where: { memberId }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => r.id).sort()).toEqual([...answer!.files].sort());
    expect(rows.every((r) => r.mime === 'image/jpeg' && r.width === 64 && r.height === 48)).toBe(true);
    expect(await storedFilesOf(memberId)).toHaveLength(3);
    // The answer keeps the project's own file, readable back: the first photo is the red one.
    const first = rows.find((r) => r.id === answer!.files[0])!;
    const bytes = await runtime.files.store.get(first.key);
    const { dominant } = await sharp(bytes!).stats();
    expect(dominant.r).toBeGreaterThan(150);
  });

  it('a photo carrying a GPS position in its EXIF is stored without it, upright and no larger than 2048 px', async () => {
    const memberId = await consentedMember();
    await tap('Gửi ảnh');
    const withGps = await sharp(await jpeg({ width: 3000, height: 1000, gps: true }))
      .withMetadata({ orientation: 6 }) // the phone was held upright: the pixels are stored on their side
      .toBuffer();
    const sent = await sharp(withGps).metadata();
    expect(sent.exif?.toString('latin1')).toContain('PhoneMaker');
    expect(sent.orientation).toBe(6);
    api.addFile('gps-photo', new Uint8Array(withGps));

    expect(await post(photoUpdate('gps-photo'))).toEqual(['ĐÃ NHẬN 1 ẢNH: ', 'PHOTO MENU']);

    const [row] = await db.prisma.storedFile.findMany({ where: { memberId } });
    const stored = Buffer.from((await runtime.files.store.get(row!.key))!);
    const metadata = await sharp(stored).metadata();
    expect(metadata.format).toBe('jpeg');
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.iptc).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(stored.toString('latin1')).not.toMatch(/PhoneMaker|Phone X1|GPS/);
    // Turned upright (the orientation baked in), then scaled to 2048 px on its longest side.
    expect([metadata.width, metadata.height]).toEqual([683, 2048]);
    expect([row!.width, row!.height]).toEqual([683, 2048]);
  });

  it('a file that is not an image is refused by its content, whatever its name, and nothing is stored', async () => {
    const memberId = await consentedMember();
    await tap('Gửi ảnh');
    api.addFile('pdf-as-jpg', new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF'));
    api.addFile('text-as-jpg', new TextEncoder().encode('Giấy xác nhận hộ nghèo, xã Tân Cương'));
    for (const update of [
      documentUpdate('pdf-as-jpg', 'giay-xac-nhan.jpg', 'image/jpeg'),
      documentUpdate('text-as-jpg', 'anh.jpg', 'image/jpeg'),
      photoUpdate('pdf-as-jpg'),
    ]) {
      expect(await post(update)).toEqual([
        'Tệp chị gửi không phải là ảnh (JPEG, PNG hoặc WebP). Mời chị chụp ảnh và gửi lại.',
        'GỬI ẢNH GIẤY TỜ (tối đa 5)',
      ]);
    }
    expect(finished).toEqual([]);
    expect(await db.prisma.storedFile.count()).toBe(0);
    expect(await storedFilesOf(memberId)).toEqual([]);
    // A real photo sent as a file is taken (and cleaned like any other).
    api.addFile('real-doc', await jpeg({ gps: true }));
    expect((await post(documentUpdate('real-doc', 'IMG_2041.JPG', 'image/jpeg')))[0]).toBe('ĐÃ NHẬN 1 ẢNH: ');
  });

  it('a photo over the size limit is refused before it is downloaded; too many photos for the step too', async () => {
    await channel.stop();
    await setUp({ maxBytes: 1024 * 1024 });
    const memberId = await consentedMember();
    await tap('Gửi ảnh');
    api.addFile('huge', new Uint8Array(1024 * 1024 + 1));
    expect(await post(photoUpdate('huge'))).toEqual([
      'Ảnh chị gửi lớn quá (tối đa 1 MB). Mời chị gửi ảnh nhỏ hơn, hoặc gửi dạng ảnh thường thay vì dạng tệp.',
      'GỬI ẢNH GIẤY TỜ (tối đa 5)',
    ]);
    expect(api.requests.filter((r) => r.method === 'download')).toEqual([]);

    for (let i = 0; i < 6; i++) api.addFile(`six-${i}`, await jpeg());
    expect(await post(...[0, 1, 2, 3, 4, 5].map((i) => photoUpdate(`six-${i}`, { album: 'grp-6' })))).toEqual([
      'Ở bước này chị gửi tối đa 5 ảnh thôi ạ. Mời chị gửi lại.',
      'GỬI ẢNH GIẤY TỜ (tối đa 5)',
    ]);
    expect(api.calls('getFile').map((c) => c['file_id'])).toEqual(['huge']);
    expect(await storedFilesOf(memberId)).toEqual([]);
  });

  it('a photo sent before consent, after declining, or where no photo is asked is not downloaded nor stored', async () => {
    api.addFile('early', await jpeg({ gps: true }));
    // First contact: the language question, then the consent question. A photo at either is not asked for.
    await say('alo');
    expect(await post(photoUpdate('early'))).toEqual([
      'Ở bước này em chưa cần ảnh. Mời chị gõ câu trả lời.',
      'Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?',
    ]);
    await tap('Tiếng Việt');
    expect((await post(photoUpdate('early')))[0]).toBe('Ở bước này em chưa cần ảnh. Mời chị gõ câu trả lời.');

    // She declines; the test menu (a choice) asks for no photo either.
    await tap('Không đồng ý');
    expect((await post(photoUpdate('early')))[0]).toBe('Ở bước này em chưa cần ảnh. Mời chị gõ câu trả lời.');
    // At a photo step, without consent, nothing is kept and she is told why.
    await tap('Gửi ảnh');
    expect(await post(photoUpdate('early'))).toEqual([
      'Em chỉ lưu ảnh khi chị đã đồng ý cho Hội lưu thông tin (trong danh sách chính). Ảnh vừa gửi chưa được lưu.',
      'GỬI ẢNH GIẤY TỜ (tối đa 5)',
    ]);
    expect(api.calls('getFile')).toEqual([]);
    expect(await db.prisma.storedFile.count()).toBe(0);
  });

  it('delete my data removes her photos: the files and their records', async () => {
    const memberId = await consentedMember();
    await tap('Gửi ảnh');
    for (let i = 0; i < 2; i++) api.addFile(`mine-${i}`, await jpeg());
    await post(
      photoUpdate('mine-0', { album: 'grp-mine', caption: 'của tôi' }),
      photoUpdate('mine-1', { album: 'grp-mine' }),
    );
    expect(await storedFilesOf(memberId)).toHaveLength(2);

    await tap('Xóa dữ liệu');
    expect((await tap('Có'))[0]).toContain('Đã xóa toàn bộ dữ liệu của chị');
    expect(await db.prisma.member.count()).toBe(0);
    expect(await db.prisma.storedFile.count()).toBe(0);
    expect(await storedFilesOf(memberId)).toEqual([]);
  });

  it('an erasure the platform asks for (Zalo’s user_withdraw, through the gateway) removes her photos too', async () => {
    const memberId = await consentedMember();
    await tap('Gửi ảnh');
    api.addFile('withdrawn', await jpeg());
    await post(photoUpdate('withdrawn'));
    expect(await storedFilesOf(memberId)).toHaveLength(1);
    await photoBot(runtime).erase({ channel: 'telegram', userId: String(CHAT_ID) });
    expect(await db.prisma.storedFile.count()).toBe(0);
    expect(await storedFilesOf(memberId)).toEqual([]);
  });

  it('an album whose parts arrived before a restart is handed over once after it, as one message', async () => {
    const memberId = await consentedMember();
    await tap('Gửi ảnh');
    // This instance waits long for more parts; it stops before the album is complete.
    await channel.stop();
    channel = telegramChannel(photoBot(runtime), 60_000);
    await channel.start();
    for (let i = 0; i < 2; i++) api.addFile(`restart-${i}`, await jpeg());
    await deliver(photoUpdate('restart-0', { album: 'grp-r', caption: 'sau khởi động' }));
    await deliver(photoUpdate('restart-1', { album: 'grp-r' }));
    await channel.stop();
    expect(await db.prisma.pendingPart.count({ where: { doneAt: null } })).toBe(2);
    expect(finished).toEqual([]);

    runtime = realRuntime(db.prisma);
    channel = telegramChannel(photoBot(runtime));
    await channel.start();
    await channel.idle();
    expect(api.calls('sendMessage').at(-2)?.['text']).toBe('ĐÃ NHẬN 2 ẢNH: sau khởi động');
    expect(await db.prisma.storedFile.count({ where: { memberId } })).toBe(2);
    // Handed over parts keep no ref nor caption.
    expect(await db.prisma.pendingPart.findMany({ select: { ref: true, caption: true, doneAt: true } })).toEqual([
      { ref: '', caption: null, doneAt: expect.any(Date) },
      { ref: '', caption: null, doneAt: expect.any(Date) },
    ]);
  });
});
