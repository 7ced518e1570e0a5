// Zalo OA promotion messages ("tin truyền thông", issue 14 point 2): a broadcast to a follower outside the 7-day
// window goes to POST /v3.0/oa/message/promotion with the element-based body (banner from the uploaded photo, header,
// text, buttons), in ONE message (asOnePromotion folds the rendered broadcast); Zalo's refusals come back as the
// dispatcher's reasons (quota → later "promotionQuota", she refuses promotions → refused "promotionRefused"); a
// consultation push outside the window is still kept for later; other channels ignore `via`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asOnePromotion } from '../../../../src/app/broadcasts/dispatcher.ts';
import { createZaloOaChannel, type ZaloOaChannel } from '../../../../src/channels/zalo/oa/index.ts';
import type { Delivery, DeliveryTarget, OutboundMessage } from '../../../../src/conversation/messages.ts';
import type { CredentialStore, StoredTokenPair } from '../../../../src/domain/credentials.ts';
import { FakeGateway, RecordingLogger } from '../../../helpers/fakes.ts';
import { APP_ID, APP_SECRET, CS_PATH, FakeZalo, OA_SECRET, PROMOTION_PATH, UPLOAD_PATH } from './fake-zalo.ts';

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

let zalo: FakeZalo;
let channel: ZaloOaChannel;
let delivery: Delivery;
let stored: Map<string, { bytes: Uint8Array; mime: string }>;

beforeEach(async () => {
  zalo = await FakeZalo.start();
  stored = new Map();
  const gateway = new FakeGateway();
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
    logger: new RecordingLogger(),
    sleep: async () => undefined,
    readImage: async () => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    },
    storedPhotos: { read: async (id) => stored.get(id) ?? null },
  });
  await channel.start();
  delivery = gateway.deliveryFor('zalo')!;
});
afterEach(async () => {
  await channel.stop();
  await zalo.close();
});

/** Outside the window: her last message was 30 days ago. */
const far: DeliveryTarget = {
  kind: 'push',
  channel: 'zalo',
  userId: 'follower-1',
  lastInboundAt: new Date(Date.now() - 30 * 86_400_000),
  via: 'promotion',
};

async function sendAll(to: DeliveryTarget, messages: OutboundMessage[]) {
  const results = [];
  for (const m of messages) results.push(await delivery.deliver(to, m));
  return results;
}

const promotions = () => zalo.calls.filter((c) => c.path === PROMOTION_PATH).map((c) => c.body);

describe('Zalo OA promotion messages', () => {
  it('a photo, a titled text and a button: one promotion with banner, header, text and the button', async () => {
    stored.set('photo-1', { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), mime: 'image/jpeg' });
    const rendered: OutboundMessage[] = [
      { kind: 'photo', ref: 'stored:photo-1', caption: 'Hội chợ nông sản\nChủ nhật này tại xã Tức Tranh.' },
      {
        kind: 'choices',
        text: 'Bấm nút bên dưới:',
        choices: [{ label: 'Đăng ký lớp này', data: 'bcTap:7' }],
        freeText: true,
      },
    ];
    const results = await sendAll(far, asOnePromotion(rendered));
    expect(results).toEqual([{ kind: 'sent' }, { kind: 'sent' }]);
    expect(zalo.calls.filter((c) => c.path === CS_PATH)).toHaveLength(0);
    expect(zalo.calls.filter((c) => c.path === UPLOAD_PATH)).toHaveLength(1);
    expect(promotions()).toEqual([
      {
        recipient: { user_id: 'follower-1' },
        message: {
          attachment: {
            type: 'template',
            payload: {
              template_type: 'promotion',
              elements: [
                { type: 'banner', attachment_id: 'att-photo-1' },
                { type: 'header', content: 'Hội chợ nông sản' },
                {
                  type: 'text',
                  content: 'Chủ nhật này tại xã Tức Tranh.\n\nBấm nút bên dưới:',
                  align: 'left',
                },
              ],
              buttons: [{ title: 'Đăng ký lớp này', type: 'oa.query.hide', payload: 'bcTap:7' }],
            },
          },
        },
      },
    ]);
  });

  it('a photo that cannot be uploaded: the text alone', async () => {
    const results = await sendAll(far, asOnePromotion([{ kind: 'photo', ref: 'stored:gone', caption: 'Họp chi hội' }]));
    expect(results).toEqual([{ kind: 'sent' }]);
    const [body] = promotions();
    expect(JSON.stringify(body)).not.toContain('banner');
    expect(JSON.stringify(body)).toContain('Họp chi hội');
  });

  it("Zalo's refusals: she refuses promotions → refused; out of quota → later promotionQuota", async () => {
    zalo.reply(PROMOTION_PATH, { error: -244, message: 'User refused' }, 1);
    expect(await delivery.deliver(far, { kind: 'text', text: 'Bão số 3' })).toEqual({
      kind: 'refused',
      reason: 'promotionRefused',
    });
    // Quota: the sender's own short retries all get -211 too.
    zalo.reply(PROMOTION_PATH, { error: -211, message: 'Out of quota' }, 10);
    expect(await delivery.deliver(far, { kind: 'text', text: 'Bão số 3' })).toEqual({
      kind: 'later',
      reason: 'promotionQuota',
    });
  });

  it('without via, a push outside the window is kept for later (no promotion, no call)', async () => {
    const { via: _via, ...plain } = far;
    expect(await delivery.deliver(plain, { kind: 'text', text: 'Thông báo' })).toEqual({
      kind: 'later',
      reason: 'window',
    });
    expect(zalo.calls.filter((c) => c.path === CS_PATH || c.path === PROMOTION_PATH)).toHaveLength(0);
  });
});
