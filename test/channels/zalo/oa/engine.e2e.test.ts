// The engine behind the OA channel with test flows (not the real features, which may change): a menu too long for
// Zalo's buttons becomes numbered text answered by number or label, and a photo is downloaded from its URL and
// reaches the flow as a file the project stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloOaChannel, type ZaloOaChannel } from '../../../../src/channels/zalo/oa/index.ts';
import { answerText, photoAnswer, type Answers, type Flow } from '../../../../src/conversation/flow.ts';
import { createCredentialStore } from '../../../../src/data/credentialStore.ts';
import { zaloOaCredentialId } from '../../../../src/domain/credentials.ts';
import { botWithFlows, silentLogger, TestClock } from '../../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../../helpers/database.ts';
import { jpeg } from '../../../helpers/photos.ts';
import { APP_ID, APP_SECRET, FakeZalo, OA_SECRET, imageEvent, sign, textEvent } from './fake-zalo.ts';

const raw = (s: string) => ({ raw: s });
const USER = '5550001';

function flows(finished: Answers[]): Flow[] {
  const menu: Flow = {
    id: 'menu',
    steps: [
      {
        id: 'pick',
        prompt: raw('MENU'),
        input: {
          kind: 'choice',
          options: () => [
            ...Array.from({ length: 6 }, (_, i) => ({ value: `m${i + 1}`, label: raw(`Mục ${i + 1}`) })),
            { value: 'photo', label: raw('Gửi ảnh') },
          ],
        },
      },
    ],
    finish: async ({ answers }) => {
      const pick = answerText(answers['pick']);
      if (pick === 'photo') return { say: [], next: { to: 'flow', flowId: 'photo' } };
      return { say: [raw(`CHOSE ${pick}`)], next: { to: 'home' } };
    },
  };
  const photo: Flow = {
    id: 'photo',
    steps: [{ id: 'photo', prompt: raw('ASK PHOTO'), input: { kind: 'photo' } }],
    finish: async ({ answers }) => {
      finished.push(answers);
      return { say: [raw('GOT PHOTO')], next: { to: 'home' } };
    },
  };
  return [menu, photo];
}

let db: FreshDatabase;
let zalo: FakeZalo;
let channel: ZaloOaChannel;
let finished: Answers[];
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  zalo = await FakeZalo.start();
  finished = [];
  const credentials = createCredentialStore(db.prisma);
  await credentials.swap(
    zaloOaCredentialId(APP_ID),
    { ...zalo.issuePair(), accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null },
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
    // Photos are fetched the way main.ts wires it: through the OA channel's own media source.
    gateway: botWithFlows(db.prisma, flows(finished), () => 'menu', new TestClock(), {
      download: (ref, maxBytes) => channel.media.download(ref, maxBytes),
    }),
    logger: silentLogger,
  });
});
afterEach(async () => {
  await channel.stop();
  await zalo.close();
  await db.close();
});

/** Hands a signed event to the route and returns the texts the member received. */
async function deliver(event: { timestamp: string }): Promise<string[]> {
  const before = zalo.messages().length;
  const body = JSON.stringify(event);
  const answer = await channel.route.handle({
    headers: { 'x-zevent-signature': sign(body, event.timestamp) },
    rawBody: Buffer.from(body),
  });
  expect(answer.status).toBe(200);
  await channel.idle();
  return zalo
    .messages()
    .slice(before)
    .map((m) => String((m.message as { text?: string }).text));
}

const say = (text: string) => deliver(textEvent(USER, text, `m-${++seq}`));

describe('the engine on Zalo', () => {
  it('shows 7 choices as numbered text, answered by number or by label without accents', async () => {
    const menu = await say('alo');
    expect(menu).toEqual([
      'MENU\n  1) Mục 1\n  2) Mục 2\n  3) Mục 3\n  4) Mục 4\n  5) Mục 5\n  6) Mục 6\n  7) Gửi ảnh',
    ]);
    expect(zalo.messages()[0]?.message).not.toHaveProperty('attachment');
    expect((await say('6'))[0]).toBe('CHOSE m6');
    expect((await say('muc 3'))[0]).toBe('CHOSE m3');
  });

  it('downloads a member’s photo from its URL and hands the flow the file it stored, not the URL', async () => {
    await say('alo');
    await db.prisma.member.updateMany({ data: { consentAt: new Date() } });
    expect(await say('7')).toEqual(['ASK PHOTO']);
    const url = zalo.servePhoto('abc.jpg', await jpeg({ width: 80, height: 60, gps: true }));
    expect((await deliver(imageEvent(USER, url, `m-${++seq}`)))[0]).toBe('GOT PHOTO');
    expect(zalo.calls.filter((c) => c.path === '/photos/abc.jpg')).toHaveLength(1);
    expect(JSON.stringify(finished[0])).not.toContain(url);
    const files = photoAnswer(finished[0]?.['photo'])?.files ?? [];
    expect(files).toHaveLength(1);
    const row = await db.prisma.storedFile.findUniqueOrThrow({ where: { id: files[0] } });
    expect(row).toMatchObject({ mime: 'image/jpeg', width: 80, height: 60, keptBy: null });
  });

  it('a URL that does not serve an image is refused with a clear message, and the question asked again', async () => {
    await say('alo');
    await db.prisma.member.updateMany({ data: { consentAt: new Date() } });
    await say('7');
    const url = zalo.servePhoto('not-a-photo.jpg', new TextEncoder().encode('<html>Not found</html>'));
    expect(await deliver(imageEvent(USER, url, `m-${++seq}`))).toEqual([
      'Tệp chị gửi không phải là ảnh (JPEG, PNG hoặc WebP). Mời chị chụp ảnh và gửi lại.',
      'ASK PHOTO',
    ]);
    const missing = `${zalo.baseUrl}/photos/expired.jpg`;
    expect((await deliver(imageEvent(USER, missing, `m-${++seq}`)))[0]).toBe(
      'Em chưa tải được ảnh chị gửi. Mời chị gửi lại ảnh.',
    );
    expect(await db.prisma.storedFile.count()).toBe(0);
    expect(finished).toEqual([]);
  });
});
