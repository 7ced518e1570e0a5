// Flood control end to end (issue 15): the real runtime with FLOOD_MESSAGES=5 in FLOOD_WINDOW_SECONDS=10 on a clock that
// stands still. A member sending more gets ONE polite notice (in her language, through the outbox), every one of her
// messages is still handled, in order, and another member's message waiting at the same time is served before her
// waiting ones (order asserted by holding the only turn slot, no timing). On Telegram, Zalo OA (the stored-event path)
// and Zalo Bot through their webhooks on the real HTTP server.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryTarget, OutboundMessage } from '../../src/conversation/messages.ts';
import { createLocalisation } from '../../src/i18n/i18n.ts';
import { postEvent, textEvent } from '../channels/zalo/oa/fake-zalo.ts';
import { TestClock } from '../helpers/chat.ts';
import { PATHS, postRaw, startHostileBot, TELEGRAM_SECRET, ZALO_BOT_SECRET, type HostileBot } from './harness.ts';

const FLOOD = { floodMessages: 5, floodWindowMs: 10_000 };
const translate = createLocalisation().translator;
const NOTICE_VI = translate('vi')('common:flood');

let bot: HostileBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const textOf = (m: OutboundMessage) => ('text' in m ? String(m.text) : '');

describe('flood control', () => {
  it('one notice; her messages all handled in order; another member served before her waiting ones', async () => {
    const clock = new TestClock(new Date());
    bot = await startHostileBot('sqlite', { clock, turns: { ...FLOOD, concurrency: 1 } });
    const gateway = bot.runtime.bot;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const delivered: { to: string; text: string }[] = [];
    gateway.connect('console', {
      async deliver(to: DeliveryTarget, message: OutboundMessage) {
        // C's first reply holds the only turn slot until released.
        if (to.userId === 'C' && !delivered.some((d) => d.to === 'C')) await held;
        delivered.push({ to: to.userId, text: textOf(message) });
        return { kind: 'sent' };
      },
    });
    const handled: string[] = [];
    const say = (userId: string, id: string, text: string) =>
      gateway
        .handle({
          channel: 'console',
          userId,
          messageId: id,
          content: { kind: 'text', text },
          receivedAt: clock.now(),
        })
        .then((replies) => {
          handled.push(id);
          return replies;
        });

    const all: Promise<OutboundMessage[]>[] = [say('C', 'c1', 'xin chào')];
    for (let i = 1; i <= 12; i++) all.push(say('A', `a${i}`, i === 1 ? 'xin chào' : 'abc'));
    all.push(say('B', 'b1', 'xin chào'));
    release();
    const replies = await Promise.all(all);

    // Nothing dropped: each of her 12 messages got its answer, in her order.
    expect(replies.every((r) => r.length > 0)).toBe(true);
    expect(handled.filter((id) => id.startsWith('a'))).toEqual(Array.from({ length: 12 }, (_, i) => `a${i + 1}`));
    // B waited at the same time as A's flood and was served before her waiting messages.
    expect(handled.indexOf('b1')).toBeLessThan(handled.indexOf('a6'));
    expect(handled.indexOf('b1')).toBe(1);
    // One notice, to her only, in Vietnamese (she is new: the default language).
    await vi.waitFor(() => expect(delivered.filter((d) => d.text === NOTICE_VI).map((d) => d.to)).toEqual(['A']));
    expect(delivered.filter((d) => d.to === 'B' && d.text === NOTICE_VI)).toEqual([]);
    expect(
      await bot.db.prisma.processedInbound.count({ where: { channel: 'console', messageId: { startsWith: 'a' } } }),
    ).toBe(12);
    expect(bot.crashes).toEqual([]);
  });

  it('on every webhook (Telegram, Zalo OA stored events, Zalo Bot): one notice, every message handled', async () => {
    const clock = new TestClock(new Date());
    bot = await startHostileBot('sqlite', { clock, turns: { ...FLOOD, concurrency: 4 } });
    const b = bot;
    const sends: Promise<unknown>[] = [];
    for (let i = 1; i <= 12; i++) {
      const update = {
        update_id: 100 + i,
        message: {
          message_id: 100 + i,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 4242, type: 'private' },
          from: { id: 4242, is_bot: false, first_name: 'X' },
          text: `tin ${i}`,
        },
      };
      sends.push(
        postRaw(
          b.url + PATHS.telegram,
          { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET, 'content-type': 'application/json' },
          Buffer.from(JSON.stringify(update)),
        ),
      );
      const zb = {
        ok: true,
        result: {
          event_name: 'message.text.received',
          message: {
            message_id: `zbf-${i}`,
            date: Date.now(),
            chat: { id: 'zb-flooder', chat_type: 'PRIVATE' },
            from: { id: 'zb-flooder', display_name: 'X', is_bot: false },
            text: `tin ${i}`,
          },
        },
      };
      sends.push(
        postRaw(
          b.url + PATHS.zalobot,
          { 'x-bot-api-secret-token': ZALO_BOT_SECRET, 'content-type': 'application/json' },
          Buffer.from(JSON.stringify(zb)),
        ),
      );
      sends.push(postEvent(b.url + PATHS.oa, textEvent('oa-flooder', `tin ${i}`, `oaf-${i}`, String(Date.now() + i))));
    }
    await Promise.all(sends);
    await b.oa.idle();
    const handledOf = (channel: string, prefix: string) =>
      b.db.prisma.processedInbound.count({ where: { channel, messageId: { startsWith: prefix } } });
    await vi.waitFor(
      async () => {
        expect(await handledOf('telegram', 'u')).toBe(12);
        expect(await handledOf('zalobot', 'zbf-')).toBe(12);
        expect(await handledOf('zalo', 'oaf-')).toBe(12);
      },
      { timeout: 30_000, interval: 200 },
    );
    await vi.waitFor(() => {
      expect(b.telegramApi.calls('sendMessage').filter((m) => m.text === NOTICE_VI)).toHaveLength(1);
      expect(b.zaloBotApi.calls('sendMessage').filter((m) => m.text === NOTICE_VI)).toHaveLength(1);
      expect(b.zaloOa.messages().filter((m) => JSON.stringify(m).includes(NOTICE_VI))).toHaveLength(1);
    });
    expect(b.crashes).toEqual([]);
  });
});
