// The OA channel with a stub bot (to send what the engine does not send yet, such as photos) and Zalo faked on
// loopback: photo uploads, media templates and the channel's counters.
import { FakeGateway, RecordingLogger, pushVia } from '../../../helpers/fakes.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloOaChannel, type ZaloOaChannel } from '../../../../src/channels/zalo/oa/index.ts';
import type { InboundMessage, OutboundMessage } from '../../../../src/conversation/messages.ts';
import type { CredentialStore, StoredTokenPair } from '../../../../src/domain/credentials.ts';
import {
  APP_ID,
  APP_SECRET,
  CS_PATH,
  FakeZalo,
  OA_SECRET,
  UPLOAD_PATH,
  outsideWindow,
  sign,
  textEvent,
} from './fake-zalo.ts';

let zalo: FakeZalo;
let channel: ZaloOaChannel;
let gateway: FakeGateway;
let replies: OutboundMessage[];
let handled: InboundMessage[];
let images: Map<string, Uint8Array>;
/** Photos the project stored (StoredPhotos), by StoredFile id. */
let stored: Map<string, { bytes: Uint8Array; mime: string }>;
let unreachable: string[];
let logs: RecordingLogger;

/** A credential store in memory (the database one is tested in test/data). */
function memoryStore(pair: StoredTokenPair): CredentialStore {
  let current = pair;
  return {
    load: async () => current,
    swap: async (_id, next, expected) => {
      if (expected !== current.version) return null;
      current = { ...next, version: expected + 1 };
      return current.version;
    },
  };
}

beforeEach(async () => {
  zalo = await FakeZalo.start();
  replies = [];
  handled = [];
  images = new Map();
  stored = new Map();
  unreachable = [];
  logs = new RecordingLogger();
  // The replies go out through the channel's delivery after the turn, as the real gateway's outbox sends them.
  gateway = new FakeGateway();
  gateway.script = (message) => {
    handled.push(message);
    return replies;
  };
  gateway.markUnreachable = async (user) => {
    unreachable.push(user.userId);
  };
  const pair = zalo.issuePair();
  channel = createZaloOaChannel({
    appId: APP_ID,
    oaSecretKey: OA_SECRET,
    appSecret: APP_SECRET,
    webhookPath: '/zalo/oa/webhook',
    apiBase: zalo.baseUrl,
    oauthBase: zalo.baseUrl,
    credentials: memoryStore({
      ...pair,
      accessExpiresAt: new Date(Date.now() + 3_600_000 * 25),
      refreshExpiresAt: null,
      version: 1,
    }),
    gateway,
    logger: logs,
    sleep: async () => undefined,
    readImage: async (ref) => {
      const bytes = images.get(ref);
      if (!bytes) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return bytes;
    },
    storedPhotos: { read: async (id) => stored.get(id) ?? null },
  });
  await channel.start();
});
afterEach(async () => {
  await channel.stop();
  await zalo.close();
});

async function receive(text = 'alo', msgId = `m-${Math.random()}`): Promise<void> {
  const event = textEvent('77', text, msgId);
  const body = JSON.stringify(event);
  const answer = await channel.route.handle({
    headers: { 'x-zevent-signature': sign(body, event.timestamp) },
    rawBody: Buffer.from(body),
  });
  expect(answer.status).toBe(200);
  await channel.idle();
}

describe('photos to a member on Zalo', () => {
  it('uploads a local image, then sends it as a media template with its caption', async () => {
    images.set('assets/huong-dan.png', new Uint8Array(2048).fill(7));
    replies = [{ kind: 'photo', ref: 'assets/huong-dan.png', caption: 'Hướng dẫn' }];
    await receive();
    const upload = zalo.calls.find((c) => c.path === UPLOAD_PATH);
    expect(upload?.body).toMatchObject({ field: 'file', filename: 'huong-dan.png', contentType: 'image/png' });
    expect(zalo.messages().at(-1)).toMatchObject({
      message: {
        text: 'Hướng dẫn',
        attachment: {
          type: 'template',
          payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: 'att-photo-1' }] },
        },
      },
    });
  });

  it('does not upload an image over 1 MB (a configuration problem: the rest of that answer is not sent)', async () => {
    images.set('big.jpg', new Uint8Array(1024 * 1024 + 1));
    replies = [
      { kind: 'photo', ref: 'big.jpg' },
      { kind: 'text', text: 'Tiếp theo' },
    ];
    await receive();
    expect(zalo.calls.filter((c) => c.path === UPLOAD_PATH)).toEqual([]);
    expect(zalo.messages()).toEqual([]);
  });

  it('sends the rest when a photo file is missing', async () => {
    replies = [
      { kind: 'photo', ref: 'missing.jpg' },
      { kind: 'text', text: 'Tiếp theo' },
    ];
    await receive();
    expect(zalo.messages()).toEqual([
      { recipient: { user_id: '77', message_id: expect.any(String) }, message: { text: 'Tiếp theo' } },
    ]);
  });
});

describe('photos the project stored ("stored:<id>": a listing\'s photos to its reviewers)', () => {
  it('uploads the stored bytes and sends them as a media template with the caption', async () => {
    const bytes = new Uint8Array(4096).fill(9);
    stored.set('f-1', { bytes, mime: 'image/jpeg' });
    replies = [{ kind: 'photo', ref: 'stored:f-1', caption: 'Ảnh 1/2' }];
    await receive();
    const upload = zalo.calls.find((c) => c.path === UPLOAD_PATH);
    expect(upload?.body).toMatchObject({ field: 'file', filename: 'photo.jpg', contentType: 'image/jpeg' });
    expect((upload?.body as { file: Buffer }).file.equals(Buffer.from(bytes))).toBe(true);
    expect(zalo.messages().at(-1)).toMatchObject({
      message: {
        text: 'Ảnh 1/2',
        attachment: { payload: { template_type: 'media', elements: [{ attachment_id: expect.any(String) }] } },
      },
    });
  });

  it('a stored photo that is gone (or over 1 MB) is its caption alone, and the rest is sent', async () => {
    stored.set('big', { bytes: new Uint8Array(1024 * 1024 + 1), mime: 'image/jpeg' });
    replies = [
      { kind: 'photo', ref: 'stored:gone', caption: 'Ảnh 1/2' },
      { kind: 'photo', ref: 'stored:big', caption: 'Ảnh 2/2' },
      { kind: 'photo', ref: 'stored:gone' },
      { kind: 'text', text: 'Tiếp theo' },
    ];
    await receive();
    expect(zalo.calls.filter((c) => c.path === UPLOAD_PATH)).toEqual([]);
    expect(zalo.messages().map((m) => (m['message'] as { text?: string }).text)).toEqual([
      'Ảnh 1/2',
      'Ảnh 2/2',
      'Tiếp theo',
    ]);
  });
});

describe('taps', () => {
  it('recognises a tap on a button whose data has another format, sent by this process', async () => {
    replies = [
      { kind: 'choices', text: 'Việc mới #12', choices: [{ label: 'Nhận việc', data: 'claim:12' }], freeText: true },
    ];
    await receive();
    expect(zalo.calls.filter((c) => c.path === CS_PATH)).toHaveLength(1);
    replies = [];
    await receive('claim:12');
    expect(handled.at(-1)?.content).toEqual({ kind: 'choice', data: 'claim:12' });
    await receive('claim:13');
    expect(handled.at(-1)?.content).toEqual({ kind: 'text', text: 'claim:13' });
  });

  it('counts events', async () => {
    await receive();
    expect(channel.stats()).toEqual({
      events: 1,
      stored: 1,
      duplicates: 0,
      processing: { handled: 1, retried: 0, failed: 0 },
      ignored: {},
      rejected: { signature: 0, malformed: 0, stale: 0, future: 0, unstored: 0 },
    });
  });
});

describe('signed events whose fields fail the schema', () => {
  // Zalo sent it (the signature says so) and would resend a refused event unchanged: acknowledged, counted as ignored,
  // warned about, never stored or handled — as an event not for the bot is (a 400 is only for a body that is not an
  // event at all, whose signature cannot be checked).
  it.each([
    [
      'a 900 KB msg_id',
      (event: ReturnType<typeof textEvent>) => ({
        ...event,
        message: { ...event.message, msg_id: 'm'.repeat(900_000) },
      }),
    ],
    [
      'a msg_id of 65 characters',
      (event: ReturnType<typeof textEvent>) => ({ ...event, message: { ...event.message, msg_id: 'm'.repeat(65) } }),
    ],
    ['no sender', (event: ReturnType<typeof textEvent>) => ({ ...event, sender: undefined })],
  ])('%s: 200, counted as ignored, a warning without its content, nothing handled', async (_what, spoil) => {
    const event = spoil(textEvent('77', 'Tôi cần vay vốn', 'msg-ok'));
    const body = JSON.stringify(event);
    const answer = await channel.route.handle({
      headers: { 'x-zevent-signature': sign(body, event.timestamp) },
      rawBody: Buffer.from(body),
    });
    expect(answer.status).toBe(200);
    await channel.idle();
    expect(handled).toEqual([]);
    expect(channel.stats()).toMatchObject({ events: 1, stored: 0, ignored: { user_send_text: 1 } });
    expect(logs.at('warn')).toEqual([
      {
        level: 'warn',
        obj: { event: 'user_send_text' },
        msg: 'zalo oa event ignored: its fields do not match the schema',
      },
    ]);
    expect(logs.dump()).not.toContain('mmmm');
    expect(logs.dump()).not.toContain('vay vốn');
  });
});

describe('notifications (push)', () => {
  const member = (daysAgo: number | null) => ({
    channel: 'zalo' as const,
    userId: '77',
    lastInboundAt: daysAgo === null ? null : new Date(Date.now() - daysAgo * 86_400_000),
  });
  const note: OutboundMessage[] = [{ kind: 'text', text: 'Có việc mới' }];

  it('sends within the 7-day window, quoting the member’s last message when it was seen', async () => {
    expect(await pushVia(channel.delivery, member(1), note)).toBe('sent');
    expect(zalo.messages().at(-1)).toEqual({ recipient: { user_id: '77' }, message: { text: 'Có việc mới' } });
    await receive('alo', 'last-msg');
    expect(await pushVia(channel.delivery, member(0), note)).toBe('sent');
    expect(zalo.messages().at(-1)).toEqual({
      recipient: { user_id: '77', message_id: 'last-msg' },
      message: { text: 'Có việc mới' },
    });
  });

  it('keeps the message for later outside the window, without calling Zalo', async () => {
    expect(await pushVia(channel.delivery, member(8), note)).toBe('later');
    expect(await pushVia(channel.delivery, member(null), note)).toBe('later');
    expect(zalo.messages()).toEqual([]);
  });

  it('keeps it for later when Zalo says the window is closed, and reports an unfollowed member unreachable', async () => {
    zalo.reply(CS_PATH, outsideWindow);
    // The outbox marks her in both cases (the channel only reports): pushVia does what the outbox does.
    expect(await pushVia(channel.delivery, member(6), note, gateway)).toBe('later');
    zalo.reply(CS_PATH, { error: -213, message: 'User has not followed OA' });
    expect(await pushVia(channel.delivery, member(6), note, gateway)).toBe('unreachable');
    expect(unreachable).toEqual(['77', '77']);
  });

  it('pushes only to Zalo OA members', async () => {
    expect(await pushVia(channel.delivery, { ...member(0), channel: 'telegram' }, note)).toBe('later');
    expect(zalo.messages()).toEqual([]);
  });
});
