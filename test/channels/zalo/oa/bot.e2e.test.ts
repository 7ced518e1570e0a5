// The real bot (engine, flows, SQLite) behind the Zalo OA webhook on the real HTTP server, with Zalo faked at its
// HTTP seam (fake-zalo.ts): what a member sees on Zalo, what is stored, and how the webhook treats bad requests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloOaChannel, type ZaloOaChannel } from '../../../../src/channels/zalo/oa/index.ts';
import type { Logger } from '../../../../src/conversation/ports.ts';
import { createCredentialStore } from '../../../../src/data/credentialStore.ts';
import { createInboundLog } from '../../../../src/data/inboundLog.ts';
import { zaloOaCredentialId } from '../../../../src/domain/credentials.ts';
import { createHttpServer, type HttpServer } from '../../../../src/http/server.ts';
import { realBot } from '../../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../../helpers/database.ts';
import {
  APP_ID,
  APP_SECRET,
  CS_PATH,
  FakeZalo,
  OA_SECRET,
  followEvent,
  imageEvent,
  outsideWindow,
  postEvent,
  rateLimited,
  sign,
  textEvent,
  timestamp,
  withdrawEvent,
} from './fake-zalo.ts';

const PATH = '/zalo/oa/webhook';
const USER = '8264519937102846123';
const BODY_LIMIT = 16 * 1024;

/** Collects log lines, to check that nothing personal is logged. */
class MemoryLogger implements Logger {
  readonly lines: { level: string; obj: object; msg?: string }[] = [];
  debug(obj: object, msg?: string) {
    this.lines.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string) {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string) {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string) {
    this.lines.push({ level: 'error', obj, msg });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

let db: FreshDatabase;
let zalo: FakeZalo;
let channel: ZaloOaChannel;
let server: HttpServer;
let url: string;
let logger: MemoryLogger;
let accessToken: string;
let sleeps: number[];
let msgSeq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  zalo = await FakeZalo.start();
  logger = new MemoryLogger();
  sleeps = [];
  const pair = zalo.issuePair();
  accessToken = pair.accessToken;
  const credentials = createCredentialStore(db.prisma);
  await credentials.swap(
    zaloOaCredentialId(APP_ID),
    { ...pair, accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null },
    0,
  );
  const inbound = createInboundLog(db.prisma);
  channel = createZaloOaChannel({
    appId: APP_ID,
    oaSecretKey: OA_SECRET,
    appSecret: APP_SECRET,
    webhookPath: PATH,
    apiBase: zalo.baseUrl,
    oauthBase: zalo.baseUrl,
    credentials,
    gateway: realBot(db.prisma),
    logger,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    claimEvent: (eventId) => inbound.claim('zalo', eventId),
  });
  await channel.start();
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: BODY_LIMIT,
    logger,
    routes: [channel.route],
    health: async () => ({ ok: true }),
  });
  url = `http://127.0.0.1:${(await server.start()).port}${PATH}`;
});

afterEach(async () => {
  await server.close();
  await channel.stop();
  await zalo.close();
  await db.close();
});

type Sent = {
  recipient: { user_id: string; message_id?: string };
  message: {
    text?: string;
    attachment?: {
      type: string;
      payload: { template_type: string; buttons?: { title: string; type: string; payload: string }[] };
    };
  };
};

/** Posts an event, waits until the bot has answered, and returns the cs messages it sent. */
async function deliver(event: Parameters<typeof postEvent>[1]): Promise<Sent[]> {
  const before = zalo.messages().length;
  const res = await postEvent(url, event);
  expect(res.status).toBe(200);
  await channel.idle();
  return zalo.messages().slice(before) as Sent[];
}

function say(text: string, userId = USER): Promise<Sent[]> {
  return deliver(textEvent(userId, text, `msg-${++msgSeq}`));
}

const buttonsOf = (sent: Sent | undefined) => sent?.message.attachment?.payload.buttons ?? [];

/** Taps a button of the last question: Zalo sends its payload back as the member's text. */
function tap(label: string, userId = USER): Promise<Sent[]> {
  const question = (zalo.messages() as Sent[]).filter((m) => buttonsOf(m).length > 0).at(-1);
  const button = buttonsOf(question).find((b) => b.title === label);
  if (!button) throw new Error(`no button ${label} in ${JSON.stringify(buttonsOf(question).map((b) => b.title))}`);
  return say(button.payload, userId);
}

describe('a member on Zalo (Official Account)', () => {
  it('goes through first contact and the profile with buttons and typed answers, and is stored', async () => {
    const first = await say('Chào em');
    expect(first).toHaveLength(2);
    const choicePayload = expect.stringMatching(/^[A-Za-z0-9_-]{8}\.[0-9a-z]{1,2}\|\d{1,3}$/);
    expect(first[0]).toEqual({
      recipient: { user_id: USER, message_id: `msg-${msgSeq}` },
      message: { text: expect.stringContaining('Xin chào! Đây là trợ lý của Hội Liên hiệp Phụ nữ tỉnh.') },
    });
    expect(first[1]).toEqual({
      recipient: { user_id: USER, message_id: `msg-${msgSeq}` },
      message: {
        text: 'Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?',
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            buttons: [
              { title: 'Tiếng Việt', type: 'oa.query.hide', payload: choicePayload },
              { title: 'English', type: 'oa.query.hide', payload: choicePayload },
            ],
          },
        },
      },
    });
    // Every call carries the stored access token in its header.
    expect(zalo.calls.filter((c) => c.path === CS_PATH).every((c) => c.headers['access_token'] === accessToken)).toBe(
      true,
    );

    const consent = await tap('Tiếng Việt');
    expect(consent.at(-1)?.message.text).toContain('Chị có đồng ý không?');
    expect(buttonsOf(consent.at(-1)).map((b) => b.title)).toEqual(['Đồng ý', 'Không đồng ý']);

    const name = await tap('Đồng ý');
    expect(name.at(-1)?.message).toEqual({ text: 'Họ và tên của chị là gì?' });

    await say('Nguyễn Thị Lan');
    const confirm = await say('tuc duyen');
    expect(confirm.at(-1)?.message.text).toBe('Túc Duyên nay thuộc Phường Phan Đình Phùng — đúng không ạ?');
    await tap('Có');
    const summary = await say('0912 345 678');
    expect(summary.at(-1)?.message.text).toContain('• Điện thoại: 0912 345 678');
    expect(buttonsOf(summary.at(-1)).map((b) => b.title)).toEqual(['Xác nhận', 'Sửa thông tin', 'Hủy']);
    await tap('Xác nhận');

    const stored = await db.prisma.member.findFirstOrThrow({ where: { channel: 'zalo' } });
    expect(stored).toMatchObject({
      channelUserId: USER,
      displayName: 'Nguyễn Thị Lan',
      communeCode: '05443',
      phone: '+84912345678',
      unreachableAt: null,
    });
    expect(stored.lastInboundAt).not.toBeNull();
    // Nothing personal in the logs.
    for (const secret of ['Nguyễn Thị Lan', '0912 345 678', '+84912345678', 'tuc duyen', accessToken]) {
      expect(logger.text()).not.toContain(secret);
    }
  });

  it('greets a new follower (a reply without a message to quote)', async () => {
    const greeting = await deliver(followEvent('follow', USER));
    expect(greeting).toHaveLength(2);
    expect(greeting[0]?.recipient).toEqual({ user_id: USER });
    expect(greeting[0]?.message.text).toContain('Xin chào!');
    expect(await db.prisma.member.count({ where: { channel: 'zalo', channelUserId: USER } })).toBe(1);
  });

  it('answers a photo where text is expected, and a sticker, without crashing', async () => {
    await say('alo');
    await tap('Tiếng Việt');
    await tap('Đồng ý');
    const photo = await deliver(imageEvent(USER, 'https://photo.zdn.vn/a.jpg', `msg-${++msgSeq}`));
    expect(photo.length).toBeGreaterThan(0);
    expect(photo.at(-1)?.message.text).toBe('Họ và tên của chị là gì?');
    const sticker = await deliver({
      app_id: APP_ID,
      event_name: 'user_send_sticker',
      timestamp: timestamp(),
      sender: { id: USER },
      recipient: { id: 'oa-579' },
      message: {
        msg_id: `msg-${++msgSeq}`,
        attachments: [{ type: 'sticker', payload: { id: 's', url: 'https://x' } }],
      },
    });
    expect(sticker[0]?.message.text).toContain('Em chỉ đọc được chữ và ảnh');
  });
});

describe('the OA webhook', () => {
  it('an event delivered twice (same msg_id) has exactly one effect', async () => {
    const event = textEvent(USER, 'alo', 'msg-twice');
    const once = await deliver(event);
    expect(once).toHaveLength(2);
    const again = await deliver(event);
    expect(again).toEqual([]);
    expect(await db.prisma.processedInbound.count({ where: { channel: 'zalo' } })).toBe(1);
    expect(await db.prisma.member.count()).toBe(1);
  });

  it('refuses a forged or missing signature with 401, and nothing happens', async () => {
    const event = textEvent(USER, 'alo', 'msg-forged');
    const body = JSON.stringify(event);
    const forged = await postEvent(url, event, sign(body, event.timestamp, 'not-the-oa-secret-key'));
    expect(forged.status).toBe(401);
    const missing = await postEvent(url, event, null);
    expect(missing.status).toBe(401);
    // A signature of another body (the event altered after signing).
    const tampered = await postEvent(
      url,
      { ...event, message: { ...event.message, text: 'xoa du lieu' } },
      sign(body, event.timestamp),
    );
    expect(tampered.status).toBe(401);
    const garbage = await postEvent(url, event, 'mac=zz');
    expect(garbage.status).toBe(401);
    await channel.idle();
    expect(zalo.messages()).toEqual([]);
    expect(await db.prisma.member.count()).toBe(0);
    expect(await db.prisma.processedInbound.count()).toBe(0);
    expect(channel.stats().rejected.signature).toBe(4);
    expect(channel.stats().events).toBe(0);
  });

  it('answers 400 to a malformed body and 413 to a huge one, and keeps working', async () => {
    const ts = timestamp();
    const malformed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': sign('{"event_name":', ts) },
      body: '{"event_name":',
    });
    expect(malformed.status).toBe(400);
    const notAnEvent = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': sign('[1,2,3]', ts) },
      body: '[1,2,3]',
    });
    expect(notAnEvent.status).toBe(400);
    const huge = textEvent(USER, 'x'.repeat(BODY_LIMIT + 10), 'msg-huge');
    const tooBig = await postEvent(url, huge);
    expect(tooBig.status).toBe(413);
    expect(channel.stats().rejected.malformed).toBe(2);
    expect(zalo.messages()).toEqual([]);
    expect(await db.prisma.member.count()).toBe(0);

    expect(await say('alo')).toHaveLength(2);
  });

  it('accepts an unknown event with 200, ignores it and counts it', async () => {
    const seen = {
      app_id: APP_ID,
      event_name: 'user_seen_message',
      timestamp: timestamp(),
      sender: { id: 'oa-579' },
      recipient: { id: USER },
      message: { msg_ids: ['oa-msg-1'] },
    };
    expect(await deliver(seen)).toEqual([]);
    expect(await deliver({ ...seen, timestamp: timestamp() })).toEqual([]);
    const echo = {
      app_id: APP_ID,
      event_name: 'oa_send_text',
      timestamp: timestamp(),
      sender: { id: 'oa-579' },
      recipient: { id: USER },
      message: { msg_id: 'x', text: 'hi' },
    };
    expect(await deliver(echo)).toEqual([]);
    expect(channel.stats().ignored).toEqual({ user_seen_message: 2, oa_send_text: 1 });
    expect(await db.prisma.member.count()).toBe(0);
  });
});

describe('members out of reach', () => {
  it('a -230 answer marks the member unreachable instead of retrying', async () => {
    zalo.reply(CS_PATH, outsideWindow);
    const sent = await say('alo');
    expect(sent).toHaveLength(1); // the first reply was refused; the second was not even tried
    expect(sleeps).toEqual([]);
    const member = await db.prisma.member.findFirstOrThrow({ where: { channel: 'zalo', channelUserId: USER } });
    expect(member.unreachableAt).not.toBeNull();
  });

  it('a rate limit is retried after a pause, and the reply goes out', async () => {
    zalo.reply(CS_PATH, rateLimited, 2);
    const sent = await say('alo');
    expect(sent).toHaveLength(4); // 2 refused + the same message accepted + the next one
    expect(sent[2]).toEqual(sent[0]);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('gives up after the bounded number of attempts on a server error', async () => {
    zalo.reply(CS_PATH, 'Bad gateway', 5, 502);
    const sent = await say('alo');
    // 3 attempts for the greeting; the question is not sent before it (her messages stay in order): the outbox keeps
    // both, to be sent again after a pause (test/app/outbox.test.ts shows such a row delivered afterwards, in order).
    expect(sent).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
    expect(logger.lines.some((l) => l.level === 'error' && l.msg === 'zalo call failed, giving up')).toBe(true);
    const kept = await db.prisma.notification.findFirstOrThrow({ where: { kind: 'reply', status: 'pending' } });
    expect(kept).toMatchObject({ attempts: 1, progress: 0, lastError: expect.stringMatching(/^zalo/) });
    expect(kept.nextAttemptAt.getTime()).toBeGreaterThan(kept.createdAt.getTime());
  });

  it('unfollowing marks the member unreachable (once, even if Zalo redelivers)', async () => {
    await say('alo');
    const unfollow = followEvent('unfollow', USER);
    expect(await deliver(unfollow)).toEqual([]);
    const member = await db.prisma.member.findFirstOrThrow({ where: { channel: 'zalo', channelUserId: USER } });
    expect(member.unreachableAt).not.toBeNull();
    expect(await deliver(unfollow)).toEqual([]);
    expect(await db.prisma.processedInbound.count({ where: { messageId: { startsWith: 'unfollow:' } } })).toBe(1);
    // Writing again makes her reachable again.
    await say('alo');
    const back = await db.prisma.member.findFirstOrThrow({ where: { channel: 'zalo', channelUserId: USER } });
    expect(back.unreachableAt).toBeNull();
  });

  it('user_withdraw erases the member (row and conversation gone), and a redelivery erases nothing new', async () => {
    await say('alo');
    await tap('Tiếng Việt');
    await tap('Đồng ý');
    await say('Nguyễn Thị Lan');
    expect(await db.prisma.member.count()).toBe(1);
    const withdraw = withdrawEvent(USER);
    expect(await deliver(withdraw)).toEqual([]);
    expect(await db.prisma.member.count()).toBe(0);
    expect(await db.prisma.conversationState.count()).toBe(0);

    // She comes back; the old withdrawal redelivered must not erase her new conversation.
    await say('alo lại');
    expect(await db.prisma.member.count()).toBe(1);
    await deliver(withdraw);
    expect(await db.prisma.member.count()).toBe(1);
  });
});
