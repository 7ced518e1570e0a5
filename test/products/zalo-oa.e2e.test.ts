// The full path of a product listing on a Zalo Official Account, at the OA seam (Zalo faked over HTTP, the real OA
// channel): her photos are user_send_image events whose URLs the fake serves; the officer's notice carries the photos
// uploaded by the bot (upload/image, then media messages) and the buttons, which she taps (Zalo sends the button's
// payload back as her text).
import sharp from 'sharp';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createZaloOaChannel, type ZaloOaChannel } from '../../src/channels/zalo/oa/index.ts';
import { createCredentialStore } from '../../src/data/credentialStore.ts';
import { zaloOaCredentialId } from '../../src/domain/credentials.ts';
import type { Runtime } from '../../src/wiring.ts';
import {
  APP_ID,
  APP_SECRET,
  FakeZalo,
  imageEvent,
  OA_SECRET,
  sign,
  textEvent,
  UPLOAD_PATH,
} from '../channels/zalo/oa/fake-zalo.ts';
import { HOUR, realRuntime, silentLogger, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { jpeg } from '../helpers/photos.ts';
import { memberWithProfile, reportChangesResubmitApprove, type Party } from './fullPath.ts';

const MEMBER = '8001002003004005006';
const OFFICER = '8001002003004005007';

let db: FreshDatabase;
let rt: Runtime;
let zalo: FakeZalo;
let channel: ZaloOaChannel;
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  zalo = await FakeZalo.start();
  const clock = new TestClock(new Date());
  rt = realRuntime(db.prisma, clock);
  const credentials = createCredentialStore(db.prisma);
  await credentials.swap(
    zaloOaCredentialId(APP_ID),
    { ...zalo.issuePair(), accessExpiresAt: new Date(Date.now() + 25 * HOUR), refreshExpiresAt: null },
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
    sleep: async () => undefined,
    storedPhotos: rt.storedPhotos,
  });
  rt.media.register('zalo', channel.media);
  await channel.start();
});
afterEach(async () => {
  await channel.stop();
  await zalo.close();
  await db.close();
});

async function post(event: { timestamp: string }): Promise<void> {
  const body = JSON.stringify(event);
  const answer = await channel.route.handle({
    headers: { 'x-zevent-signature': sign(body, event.timestamp) },
    rawBody: Buffer.from(body),
  });
  expect(answer.status).toBe(200);
  await channel.idle();
}

interface OaBody {
  recipient: { user_id: string };
  message: {
    text?: string;
    attachment?: { payload: { template_type: string; buttons?: { title: string; payload: string }[] } };
  };
}

/** One follower's chat with the OA. */
function zaloParty(userId: string): Party {
  let read = 0;
  let mediaRead = 0;
  const sent = () => (zalo.messages() as unknown as OaBody[]).filter((m) => m.recipient.user_id === userId);
  return {
    say: (text) => post(textEvent(userId, text, `z-${++seq}`)),
    async tap(label) {
      const button = sent()
        .reverse()
        .flatMap((m) => m.message.attachment?.payload.buttons ?? [])
        .find((b) => b.title === label);
      // A tapped oa.query.hide button comes back as her text: its payload.
      if (button) return post(textEvent(userId, button.payload, `z-${++seq}`));
      // More choices than Zalo's buttons hold: numbered lines ("  12) Label"), answered by the number; actions
      // without a button are typed as their words ("  [duyet sp 1] Duyệt").
      const lines = sent()
        .flatMap((m) => (m.message.text ?? '').split('\n'))
        .reverse();
      for (const line of lines) {
        const numbered = /^\s+(\d+)\) (.+)$/.exec(line);
        if (numbered?.[2] === label) return post(textEvent(userId, numbered[1]!, `z-${++seq}`));
        const typed = /^\s+\[(.+?)\] (.+)$/.exec(line);
        if (typed?.[2] === label) return post(textEvent(userId, typed[1]!, `z-${++seq}`));
      }
      throw new Error(`no button "${label}" for ${userId}`);
    },
    async photos(count) {
      for (let i = 0; i < count; i++) {
        const url = zalo.servePhoto(`p-${++seq}.jpg`, await jpeg({ width: 640, height: 480 }));
        await post(imageEvent(userId, url, `z-${++seq}`));
      }
    },
    async shown() {
      const all = sent();
      const fresh = all.slice(read);
      read = all.length;
      return fresh
        .map((m) =>
          [m.message.text ?? '', ...(m.message.attachment?.payload.buttons ?? []).map((b) => `[${b.title}]`)].join(
            '\n',
          ),
        )
        .join('\n');
    },
    async photosShown() {
      const media = sent().filter((m) => m.message.attachment?.payload.template_type === 'media');
      const fresh = media.slice(mediaRead);
      mediaRead = media.length;
      return fresh.length;
    },
  };
}

it('report → ask for changes → resubmit → approve, on a Zalo OA (image events, uploaded photos, button payloads)', async () => {
  const member = zaloParty(MEMBER);
  await memberWithProfile(member);
  const { code } = await rt.features.invitations.create({
    role: 'officer',
    areas: ['05755'],
    createdBy: 'cli',
    ttlHours: 72,
  });
  const officer = zaloParty(OFFICER);
  await officer.say(code);
  await officer.shown();
  await reportChangesResubmitApprove(rt, member, officer);
  // The photos the officer saw were uploaded from the project's store: real JPEGs (cleaned, no EXIF).
  const uploads = zalo.calls.filter((c) => c.path === UPLOAD_PATH).map((c) => (c.body as { file: Buffer }).file);
  expect(uploads.length).toBeGreaterThanOrEqual(2);
  for (const bytes of uploads) {
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
  }
});
