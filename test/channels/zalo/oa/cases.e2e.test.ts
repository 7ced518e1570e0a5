// An officer answering a member on Zalo, at the OA seam (Zalo faked over HTTP, the real OA channel as the member's
// pusher, one injectable clock): inside the 7-day window the reply reaches her at once; outside it, nothing is sent to
// Zalo, the officer is told (with the member's phone) before and after typing, and the member gets the reply, with its
// "answer" button, the next time she writes (issue 8, item 4).
import { deliveryFrom } from '../../../helpers/fakes.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createZaloOaChannel, type ZaloOaChannel } from '../../../../src/channels/zalo/oa/index.ts';
import type { OutboundMessage } from '../../../../src/conversation/messages.ts';
import { createCredentialStore } from '../../../../src/data/credentialStore.ts';
import { zaloOaCredentialId } from '../../../../src/domain/credentials.ts';
import type { Runtime } from '../../../../src/wiring.ts';
import { Chat, HOUR, realRuntime, silentLogger, TestClock } from '../../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../../helpers/database.ts';
import { APP_ID, APP_SECRET, FakeZalo, OA_SECRET, sign, textEvent } from './fake-zalo.ts';

const USER = '7001002003004005006';
const DAN_TIEN = '05755';
const DAY = 24 * HOUR;

let db: FreshDatabase;
let zalo: FakeZalo;
let channel: ZaloOaChannel;
let clock: TestClock;
let rt: Runtime;
let toOfficer: OutboundMessage[];
let seq = 0;
let sleeps: number[];

beforeEach(async () => {
  db = await freshDatabase();
  zalo = await FakeZalo.start();
  sleeps = [];
  clock = new TestClock();
  rt = realRuntime(db.prisma, clock);
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
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  toOfficer = [];
  rt.bot.connect(
    'telegram',
    deliveryFrom(async (_to, messages) => {
      toOfficer.push(...messages);
      return 'sent';
    }),
  );
});
afterEach(async () => {
  await channel.stop();
  await zalo.close();
  await db.close();
});

/** The member writes on Zalo now (by the shared clock); returns the texts Zalo was asked to send her. */
async function memberSays(text: string): Promise<string[]> {
  const before = zalo.messages().length;
  const ts = String(clock.now().getTime());
  const body = JSON.stringify(textEvent(USER, text, `z-${++seq}`, ts));
  const answer = await channel.route.handle({
    headers: { 'x-zevent-signature': sign(body, ts) },
    rawBody: Buffer.from(body),
  });
  expect(answer.status).toBe(200);
  await channel.idle();
  return textsSince(before);
}

function textsSince(before: number): string[] {
  return zalo
    .messages()
    .slice(before)
    .map((m) => {
      const message = m.message as { text?: string; attachment?: { payload: { text?: string } } };
      return String(message.text ?? message.attachment?.payload.text ?? '');
    });
}

describe('an officer answers a Zalo member', () => {
  it('within the window the reply goes out at once; after 7 days it waits, and the officer is told', async () => {
    // A member who consented and gave her commune and phone, then wrote on Zalo.
    const created = await rt.members.create({ channel: 'zalo', channelUserId: USER, language: 'vi' });
    await rt.members.update(created.id, {
      displayName: 'Lò Thị Hoa',
      communeCode: DAN_TIEN,
      phone: '+84912345678',
      consentAt: clock.now(),
    });
    await memberSays('alo');
    const lan = (await rt.members.findByChannelUser('zalo', USER))!;
    const lead = (await rt.features.caseService.open(lan, 'credit_lead', { purpose: 'Chăn nuôi' })).case;

    const { code } = await rt.features.invitations.create({
      role: 'officer',
      areas: [DAN_TIEN],
      createdBy: 'cli',
      ttlHours: 72,
    });
    const officer = new Chat(rt.bot, 'officer', 'telegram');
    await officer.send(code);
    expect(officer.buttons()).toContain(`Xem #${lead.id}`);
    await officer.send(`nhan ${lead.id}`);
    await officer.send(`tra loi ${lead.id}`);
    expect(officer.text()).not.toContain('⚠️');
    let before = zalo.messages().length;
    await officer.send('Chị lên xã thứ Hai nhé');
    expect(officer.text()).toContain('Đã chuyển tin nhắn');
    // Pushed after the officer's turn has committed, not inside it.
    await vi.waitFor(() => expect(textsSince(before).join('\n')).toContain('Chị lên xã thứ Hai nhé'));

    // Eight days later she has not written: Zalo would refuse, so nothing is sent and the officer knows it.
    clock.advance(8 * DAY);
    await officer.send('menu');
    await officer.send(`tra loi ${lead.id}`);
    expect(officer.text()).toContain('⚠️ Hội viên không nhắn cho Hội từ 15:00 02/03/2026 (quá 7 ngày)');
    expect(officer.text()).toContain('Số điện thoại hội viên: 0912 345 678');
    before = zalo.messages().length;
    await officer.send('Hồ sơ của chị đã được duyệt');
    expect(officer.text()).toContain(`Đã lưu tin nhắn vào yêu cầu #${lead.id}, nhưng hội viên chưa nhận được ngay`);
    expect(zalo.messages().length).toBe(before);

    // She writes again: the reply comes first, and her answer reaches the officer.
    const seen = await memberSays('alo');
    expect(seen[0]).toContain('Hồ sơ của chị đã được duyệt');
    const answer = zalo
      .messages()
      .flatMap(
        (m) =>
          (m.message as { attachment?: { payload: { buttons?: { title: string; payload: string }[] } } }).attachment
            ?.payload.buttons ?? [],
      )
      .filter((b) => b.title === 'Trả lời cán bộ')
      .at(-1);
    expect(answer).toBeDefined();
    await memberSays(answer!.payload);
    await memberSays('Em cảm ơn chị');
    expect(toOfficer.map((m) => (m.kind === 'photo' ? '' : m.text)).join('\n')).toContain('Em cảm ơn chị');
    expect(sleeps).toEqual([]); // nothing was retried
  });
});
