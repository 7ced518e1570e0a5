// Outbound photos the project stored ("stored:<StoredFile id>": a listing's photos sent to the officers reviewing it),
// on every channel: Telegram uploads the bytes (multipart sendPhoto, recorded by the fake Bot API), the Zalo Bot
// Platform (no upload) sends the caption with a mark, the terminal names the file; a file that is gone is its caption
// alone, never a failure to retry. Zalo OA: test/channels/zalo/oa/channel.test.ts.
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleDelivery, STORED_PHOTO_LINE } from '../../src/channels/console/console.ts';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/index.ts';
import { renderOutbound as renderZaloBot, STORED_PHOTO_MARK } from '../../src/channels/zalo/bot/render.ts';
import type { DeliveryTarget, StoredPhotos } from '../../src/conversation/messages.ts';
import { FakeBotApi, TOKEN } from './telegram/fake-bot-api.ts';
import { CHAT_ID, FakeGateway, RecordingLogger } from './telegram/fakes.ts';

const BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x0d, 0x0a, 0x80, 0xfe, 0x42, 0xff, 0xd9]);
const photos: StoredPhotos = {
  read: async (id) => (id === 'f-1' ? { bytes: BYTES, mime: 'image/jpeg' } : null),
};
const target = (userId: string, channel: DeliveryTarget['channel']): DeliveryTarget => ({
  channel,
  userId,
  kind: 'push',
  lastInboundAt: new Date(),
});

describe('Telegram', () => {
  let api: FakeBotApi;
  let channel: TelegramChannel;
  beforeEach(async () => {
    api = await FakeBotApi.start();
    channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: api.apiRoot,
      mode: 'webhook',
      webhook: { secret: 'stored-photos-secret', path: '/telegram/webhook' },
      gateway: new FakeGateway(),
      logger: new RecordingLogger(),
      storedPhotos: photos,
    });
  });
  afterEach(async () => {
    await channel.stop();
    await api.close();
  });

  it('uploads the stored bytes with sendPhoto (multipart), with the caption', async () => {
    const result = await channel.delivery.deliver(target(String(CHAT_ID), 'telegram'), {
      kind: 'photo',
      ref: 'stored:f-1',
      caption: 'Ảnh 1/3 — Mật ong rừng',
    });
    expect(result).toEqual({ kind: 'sent' });
    const uploads = api.uploads();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.chatId).toBe(String(CHAT_ID));
    expect(uploads[0]?.caption).toBe('Ảnh 1/3 — Mật ong rừng');
    expect(uploads[0]?.bytes.equals(Buffer.from(BYTES))).toBe(true);
  });

  it('a stored photo that is gone is its caption alone (no sendPhoto, no retry)', async () => {
    const target0 = target(String(CHAT_ID), 'telegram');
    expect(await channel.delivery.deliver(target0, { kind: 'photo', ref: 'stored:gone', caption: 'Ảnh 2/3' })).toEqual({
      kind: 'sent',
    });
    expect(await channel.delivery.deliver(target0, { kind: 'photo', ref: 'stored:gone' })).toEqual({ kind: 'sent' });
    expect(api.methods()).toEqual(['sendMessage']);
    expect(api.calls('sendMessage')[0]?.['text']).toBe('Ảnh 2/3');
  });

  it('a platform photo ref is still sent by reference', async () => {
    await channel.delivery.deliver(target(String(CHAT_ID), 'telegram'), { kind: 'photo', ref: 'AgACAgIAAxkBAAIB' });
    expect(api.calls('sendPhoto')).toEqual([{ chat_id: CHAT_ID, photo: 'AgACAgIAAxkBAAIB' }]);
  });
});

describe('Zalo Bot Platform', () => {
  it('cannot upload: sends the caption with the photo mark', () => {
    expect(renderZaloBot('u1', { kind: 'photo', ref: 'stored:f-1', caption: 'Ảnh 1/2' })).toEqual([
      { method: 'sendMessage', payload: { chat_id: 'u1', text: `${STORED_PHOTO_MARK} Ảnh 1/2` } },
    ]);
    expect(renderZaloBot('u1', { kind: 'photo', ref: 'stored:f-1' })).toEqual([
      { method: 'sendMessage', payload: { chat_id: 'u1', text: STORED_PHOTO_MARK } },
    ]);
  });
});

describe('the terminal', () => {
  it('names the stored photo by its id, with the caption; a file that is gone is its caption alone', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const delivery = consoleDelivery(output, 'local-officer', photos);
    const to = target('local-officer', 'console');
    expect(await delivery.deliver(to, { kind: 'photo', ref: 'stored:f-1', caption: 'Ảnh 1/2' })).toEqual({
      kind: 'sent',
    });
    await delivery.deliver(to, { kind: 'photo', ref: 'stored:gone', caption: 'Ảnh 2/2' });
    expect(printed).toBe(`${STORED_PHOTO_LINE} f-1\nẢnh 1/2\n\nẢnh 2/2\n\n`);
  });
});
