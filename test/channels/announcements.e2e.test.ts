// A broadcast's action button on each channel (issue 14), the real bot behind each channel with its platform faked at
// the HTTP seam: a member who could not be sent an announcement writes, is shown it with its button, and starts its
// target (the credit pre-screen) by tapping it (Telegram inline button; Zalo OA button whose payload comes back as
// text) or typing its words (Zalo Bot Platform: "tb <id>"). The tap is counted once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/index.ts';
import { createZaloBotChannel, type ZaloBotChannel } from '../../src/channels/zalo/bot/index.ts';
import { createZaloOaChannel, type ZaloOaChannel } from '../../src/channels/zalo/oa/index.ts';
import { createCredentialStore } from '../../src/data/credentialStore.ts';
import { zaloOaCredentialId } from '../../src/domain/credentials.ts';
import type { ChannelName } from '../../src/domain/channels.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import type { Runtime } from '../../src/wiring.ts';
import { HOUR, realRuntime, silentLogger, TestClock } from '../helpers/chat.ts';
import { courseMember } from '../helpers/courses.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { FakeBotApi, TOKEN } from './telegram/fake-bot-api.ts';
import { CHAT_ID as TG_CHAT, tapUpdate, textUpdate } from './telegram/fakes.ts';
import { FakeZaloBot, TOKEN as ZB_TOKEN } from './zalo/bot/fake-zalo-bot.ts';
import { CHAT_ID as ZB_CHAT, textEvent as zbText } from './zalo/bot/fakes.ts';
import { APP_ID, APP_SECRET, FakeZalo, OA_SECRET, sign, textEvent as oaText } from './zalo/oa/fake-zalo.ts';

const CREDIT_INTRO = 'Em sẽ hỏi vài câu để xem chị có thể vay';
let db: FreshDatabase;
let rt: Runtime;
const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma, clock);
});
afterEach(async () => {
  await rt.jobs.stop();
  await db.close();
});

/** A consented member who gets announcements, and a current broadcast she could not be sent (notNow). */
async function memberWithMissed(channel: ChannelName, userId: string): Promise<number> {
  const member = await courseMember(rt, channel, userId, clock.now());
  await rt.features.consent.decide(member, 'announcements', true, clock.now());
  const b = await db.prisma.broadcast.create({
    data: {
      status: 'sending',
      texts: { vi: 'Ngân hàng CSXH mở đợt cho vay mới' },
      audience: {},
      button: { target: 'credit' },
      expiresAt: new Date(clock.now().getTime() + 7 * 24 * HOUR),
    },
  });
  await db.prisma.broadcastDelivery.create({
    data: { broadcastId: b.id, memberId: member.id, channel, language: 'vi', status: 'notNow', reason: 'window' },
  });
  return b.id;
}

const taps = async (id: number) => (await db.prisma.broadcast.findUniqueOrThrow({ where: { id } })).taps;

function serve(route: NonNullable<TelegramChannel['route']>): Promise<{ server: HttpServer; base: string }> {
  const server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 64 * 1024,
    logger: silentLogger,
    routes: [route],
    health: async () => ({ ok: true }),
  });
  return server.start().then(({ port }) => ({ server, base: `http://127.0.0.1:${port}` }));
}

describe('Telegram (fake Bot API): the inline button', () => {
  let api: FakeBotApi;
  let channel: TelegramChannel;
  let http: { server: HttpServer; base: string };
  const SECRET = 'e2e-secret-token-0123456789';
  beforeEach(async () => {
    api = await FakeBotApi.start();
    channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: api.apiRoot,
      mode: 'webhook',
      webhook: { secret: SECRET, path: '/telegram/webhook' },
      gateway: rt.bot,
      logger: silentLogger,
    });
    http = await serve(channel.route!);
  });
  afterEach(async () => {
    await http.server.close();
    await channel.stop();
    await api.close();
  });
  const post = async (update: object) => {
    const before = api.calls('sendMessage').length;
    const res = await fetch(`${http.base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    return api.calls('sendMessage').slice(before);
  };

  it('shown when she writes; tapping it starts the credit pre-screen, counted once', async () => {
    const id = await memberWithMissed('telegram', String(TG_CHAT));
    const sent = await post(textUpdate(++seq, 'alo'));
    const shown = sent.find((m) => m['text'] === 'Ngân hàng CSXH mở đợt cho vay mới');
    const keyboard = (shown?.['reply_markup'] as { inline_keyboard: { text: string; callback_data: string }[][] })
      .inline_keyboard;
    expect(keyboard).toEqual([[{ text: 'Kiểm tra khả năng vay', callback_data: `!bcTap:${id}` }]]);
    const after = await post(tapUpdate(++seq, `!bcTap:${id}`, { message_id: 9, text: String(shown?.['text']) }));
    expect(after.map((m) => String(m['text'])).join('\n')).toContain(CREDIT_INTRO);
    await post(tapUpdate(++seq, `!bcTap:${id}`, { message_id: 9, text: String(shown?.['text']) }));
    expect(await taps(id)).toBe(1);
  });
});

describe('Zalo OA (fake API): the button payload comes back as text', () => {
  let zalo: FakeZalo;
  let channel: ZaloOaChannel;
  const USER = '7001002003004005999';
  beforeEach(async () => {
    zalo = await FakeZalo.start();
    const credentials = createCredentialStore(db.prisma);
    await credentials.swap(
      zaloOaCredentialId(APP_ID),
      { ...zalo.issuePair(), accessExpiresAt: new Date(clock.now().getTime() + 25 * HOUR), refreshExpiresAt: null },
      0,
    );
    channel = createZaloOaChannel({
      appId: APP_ID,
      oaSecretKey: OA_SECRET,
      appSecret: APP_SECRET,
      webhookPath: '/zalo/oa/webhook',
      apiBase: zalo.baseUrl,
      oauthBase: zalo.baseUrl,
      credentials,
      gateway: rt.bot,
      logger: silentLogger,
      clock,
      sleep: async () => {},
    });
  });
  afterEach(async () => {
    await channel.stop();
    await zalo.close();
  });
  async function says(text: string): Promise<void> {
    const ts = String(clock.now().getTime());
    const body = JSON.stringify(oaText(USER, text, `z-${++seq}`, ts));
    const answer = await channel.route.handle({
      headers: { 'x-zevent-signature': sign(body, ts) },
      rawBody: Buffer.from(body),
    });
    expect(answer.status).toBe(200);
    await channel.idle();
  }
  type Sent = {
    text?: string;
    attachment?: { payload: { text?: string; buttons?: { title: string; payload: string }[] } };
  };
  const sent = () => zalo.messages().map((m) => m.message as Sent);

  it('shown when she writes; its button (payload as text) starts the credit pre-screen, counted once', async () => {
    const id = await memberWithMissed('zalo', USER);
    await says('alo');
    const button = sent()
      .flatMap((m) => m.attachment?.payload.buttons ?? [])
      .find((b) => b.title === 'Kiểm tra khả năng vay');
    expect(button).toBeDefined();
    const before = sent().length;
    await says(button!.payload);
    const texts = sent()
      .slice(before)
      .map((m) => m.text ?? m.attachment?.payload.text ?? '');
    expect(texts.join('\n')).toContain(CREDIT_INTRO);
    await says(button!.payload);
    expect(await taps(id)).toBe(1);
  });
});

describe('Zalo Bot Platform (fake API): typed', () => {
  let api: FakeZaloBot;
  let channel: ZaloBotChannel;
  let http: { server: HttpServer; base: string };
  const SECRET = 'e2e-zalo-bot-secret-0123456789';
  beforeEach(async () => {
    api = await FakeZaloBot.start();
    channel = createZaloBotChannel({
      token: ZB_TOKEN,
      apiBase: api.apiBase,
      mode: 'webhook',
      webhook: { secret: SECRET, path: '/zalo/bot/webhook' },
      gateway: rt.bot,
      logger: silentLogger,
    });
    http = await serve(channel.route!);
  });
  afterEach(async () => {
    await http.server.close();
    await channel.stop();
    await api.close();
  });
  async function says(text: string): Promise<string[]> {
    const before = api.calls('sendMessage').length;
    const res = await fetch(`${http.base}/zalo/bot/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': SECRET },
      body: JSON.stringify(zbText(`zb-${++seq}`, text)),
    });
    expect(res.status).toBe(200);
    return api
      .calls('sendMessage')
      .slice(before)
      .map((p) => String(p['text']));
  }

  it('shown with the words to type; typing them starts the credit pre-screen, counted once', async () => {
    const id = await memberWithMissed('zalobot', ZB_CHAT);
    const shown = (await says('alo')).join('\n');
    expect(shown).toContain('Ngân hàng CSXH mở đợt cho vay mới');
    expect(shown).toContain(`tb ${id}`);
    expect((await says(`tb ${id}`)).join('\n')).toContain(CREDIT_INTRO);
    await says(`TB ${id}`);
    expect(await taps(id)).toBe(1);
  });
});
