// The broadcast dispatcher (src/app/broadcasts/dispatcher.ts, issue 14 point 2), against the fake Telegram Bot API on
// loopback (429 retry_after, 403, 5xx injected) and a fake Zalo OA delivery, with an injected clock: every recipient
// ends in the right state, nothing is sent twice, the configured rate holds (sends counted per simulated second, her
// replies included), quiet hours, the Zalo window and promotion rules, opt-out at send time, a cancel mid-way, a
// restart after a kill (uncertain), and two dispatchers on one database (SQLite and PostgreSQL).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBroadcastDispatcher,
  type BroadcastDispatcher,
  type BroadcastDispatcherSettings,
} from '../../src/app/broadcasts/dispatcher.ts';
import { createTelegramChannel } from '../../src/channels/telegram/index.ts';
import type { Delivery, DeliveryResult, DeliveryTarget, OutboundMessage } from '../../src/conversation/messages.ts';
import { createBroadcastDeliveryStore } from '../../src/data/broadcastDeliveryStore.ts';
import { openDatabase } from '../../src/data/database.ts';
import type { RateLimit } from '../../src/app/outbox/rate.ts';
import { createRuntime, type Runtime } from '../../src/wiring.ts';
import { FakeBotApi, TOKEN, blocked, tooManyRequests, type ApiReply } from '../channels/telegram/fake-bot-api.ts';
import { AREAS_FILE, silentLogger, TestClock, UNLIMITED_RATES } from '../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { plainRender, seedBroadcast, seedMembers, type SeedMember } from '../helpers/dispatchSeed.ts';

const TZ = 'Asia/Ho_Chi_Minh';
/** 10:00 in Hà Nội (inside 07:00-21:00 and the promotion hours 08:00-22:00). */
const MORNING = new Date('2026-12-01T03:00:00Z');
const badGateway: ApiReply = { ok: false, error_code: 502, description: 'Bad Gateway' };
const DAY = 86_400_000;

function runtime(db: FreshDatabase, clock: TestClock, telegram: RateLimit = UNLIMITED_RATES.telegram): Runtime {
  return createRuntime({
    prisma: db.prisma,
    logger: silentLogger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: DAY,
    clock,
    files: { dir: mkdtempSync(path.join(tmpdir(), 'dispatch-files-')) },
    outbox: { rates: { ...UNLIMITED_RATES, telegram } },
  });
}

function dispatcher(
  rt: Runtime,
  clock: TestClock,
  settings: Partial<BroadcastDispatcherSettings> = {},
): BroadcastDispatcher {
  return createBroadcastDispatcher({
    store: createBroadcastDeliveryStore(rt.db),
    bulk: rt.outbox.bulk,
    members: rt.members,
    render: plainRender,
    clock,
    logger: silentLogger,
    timeZone: TZ,
    settings,
  });
}

async function statuses(db: FreshDatabase, broadcastId: number): Promise<Record<string, string>> {
  const rows = await db.prisma.broadcastDelivery.findMany({
    where: { broadcastId },
    include: { member: { select: { channelUserId: true } } },
  });
  return Object.fromEntries(rows.map((r) => [r.member.channelUserId, r.reason ? `${r.status}:${r.reason}` : r.status]));
}

/**
 * Runs passes until nothing is left to send, moving the clock: by the wait a pass asked for, else to the next due row
 * (a retry_after, a backoff); bounded.
 */
async function drain(db: FreshDatabase, d: BroadcastDispatcher, clock: TestClock, maxSteps = 5000): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    const pass = await d.dispatchOnce();
    if (pass.claimed > 0 && pass.waitMs === null) continue;
    if (pass.waitMs !== null) {
      clock.advance(pass.waitMs);
      continue;
    }
    const next = await db.prisma.broadcastDelivery.findFirst({
      where: { status: { in: ['pending', 'sending'] }, broadcast: { status: 'sending' } },
      orderBy: { nextAttemptAt: 'asc' },
    });
    if (next === null) return;
    clock.advance(Math.max(1, next.nextAttemptAt.getTime() - clock.now().getTime()));
  }
  throw new Error('the broadcast did not finish in time');
}

describe('the dispatcher against the fake Bot API (429, 403, 5xx)', () => {
  let db: FreshDatabase;
  let api: FakeBotApi;
  let clock: TestClock;
  let rt: Runtime;
  /** Simulated time of each sendMessage the fake received, by chat. */
  let sentAt: { chat: string; at: number; text: string }[];

  async function setUp(rate: RateLimit): Promise<void> {
    db = await freshDatabase();
    api = await FakeBotApi.start();
    clock = new TestClock(MORNING);
    rt = runtime(db, clock, rate);
    createTelegramChannel({
      token: TOKEN,
      apiRoot: api.apiRoot,
      mode: 'webhook',
      webhook: { secret: 'dispatch-test-secret-0123', path: '/telegram/webhook' },
      gateway: rt.bot,
      logger: silentLogger,
    });
    sentAt = [];
    const push = api.requests.push.bind(api.requests);
    api.requests.push = (...items) => {
      for (const item of items)
        if (item.method === 'sendMessage')
          sentAt.push({
            chat: String(item.body['chat_id']),
            at: clock.now().getTime(),
            text: String(item.body['text']),
          });
      return push(...items);
    };
  }
  afterEach(async () => {
    await rt.outbox.stop();
    await api.close();
    await db.close();
  });

  it(
    'every recipient ends right, nothing twice, and 25/s holds per simulated second',
    { timeout: 30_000 },
    async () => {
      await setUp({ overallPerSecond: 25, chatPerSecond: 1, chatBurst: 3 });
      const people: SeedMember[] = Array.from({ length: 120 }, (_, i) => ({
        channelUserId: String(9000 + i),
        language: i % 3 === 0 ? 'en' : 'vi',
      }));
      const ids = await seedMembers(db.prisma, people, MORNING);
      const id = await seedBroadcast(db.prisma, ids, MORNING, {
        texts: { vi: 'Họp xét duyệt vốn', en: 'Loan meeting' },
      });
      api.replyForChat('sendMessage', 9001, tooManyRequests(7), 2); // two 429s, then through
      api.replyForChat('sendMessage', 9002, blocked, 1); // blocked the bot
      api.replyForChat('sendMessage', 9003, badGateway, 10); // 502 every time
      api.replyForChat('sendMessage', 9004, badGateway, 2); // two 502s, then through
      const d = dispatcher(rt, clock, { batchSize: 50 });
      await drain(db, d, clock);

      const end = await statuses(db, id);
      expect(end['9001']).toBe('sent');
      expect(end['9002']).toBe('unreachable:403');
      expect(end['9003']).toBe('failed:502');
      expect(end['9004']).toBe('sent');
      expect(Object.values(end).filter((s) => s === 'sent')).toHaveLength(118);
      // 9002 is marked unreachable (no later push tries her); 9003 was tried BROADCAST_MAX_ATTEMPTS times.
      expect((await rt.members.findByChannelUser('telegram', '9002'))?.unreachableAt).not.toBeNull();
      const failed = await db.prisma.broadcastDelivery.findFirstOrThrow({
        where: { broadcastId: id, status: 'failed' },
      });
      expect(failed.attempts).toBe(5);
      expect(sentAt.filter((s) => s.chat === '9003')).toHaveLength(5);
      // Once each (the refused attempts excepted), in her language.
      const accepted = sentAt.filter((s) => !['9002', '9003'].includes(s.chat));
      const perChat = new Map<string, number>();
      for (const s of accepted) perChat.set(s.chat, (perChat.get(s.chat) ?? 0) + 1);
      expect(perChat.get('9001')).toBe(3);
      expect(perChat.get('9004')).toBe(3);
      for (const [chat, count] of perChat) if (chat !== '9001' && chat !== '9004') expect(count).toBe(1);
      expect(sentAt.find((s) => s.chat === '9000')?.text).toBe('Loan meeting');
      expect(sentAt.find((s) => s.chat === '9005')?.text).toBe('Họp xét duyệt vốn');
      // The rate: the bucket starts full (25), then 25 a second: in every first n seconds at most 25·n + 25 calls,
      // and once the start's burst is spent no simulated second has more than 25 (+1 for rounding).
      const t0 = MORNING.getTime();
      const perSecond: number[] = [];
      for (const s of sentAt) {
        const k = Math.floor((s.at - t0) / 1000);
        perSecond[k] = (perSecond[k] ?? 0) + 1;
      }
      let total = 0;
      for (let n = 0; n < 5; n++) {
        total += perSecond[n] ?? 0;
        expect(total).toBeLessThanOrEqual(25 * (n + 1) + 25);
      }
      for (let n = 1; n < 5; n++) expect(perSecond[n] ?? 0).toBeLessThanOrEqual(26);
      // 120 recipients at 25/s: about 4 s for the first round, not much more (nothing slept in real time).
      expect(perSecond.slice(0, 5).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(110);
    },
  );

  it(
    'a reply during a broadcast goes out at once; the rate holds counting her replies',
    { timeout: 20_000 },
    async () => {
      await setUp({ overallPerSecond: 10, chatPerSecond: 1, chatBurst: 3 });
      const ids = await seedMembers(
        db.prisma,
        Array.from({ length: 60 }, (_, i) => ({ channelUserId: String(5000 + i) })),
        MORNING,
      );
      await seedBroadcast(db.prisma, ids, MORNING);
      const her = (await rt.members.findByChannelUser('telegram', '5059'))!;
      const d = dispatcher(rt, clock, { batchSize: 20 });
      // Two seconds of broadcast, then her reply (three messages) while the buckets are empty.
      for (let step = 0; step < 20; step++) {
        const pass = await d.dispatchOnce();
        clock.advance(pass.waitMs ?? 100);
        if (clock.now().getTime() - MORNING.getTime() >= 2000) break;
      }
      const replyAt = clock.now().getTime();
      await rt.outbox.queueReplies(her, [
        { kind: 'text', text: 'Trả lời 1' },
        { kind: 'text', text: 'Trả lời 2' },
        { kind: 'text', text: 'Trả lời 3' },
      ]);
      await rt.outbox.deliverNow(her.id);
      const replies = sentAt.filter((s) => s.text.startsWith('Trả lời'));
      expect(replies.map((s) => s.at)).toEqual([replyAt, replyAt, replyAt]);
      await drain(db, d, clock);
      // Every second counted with her replies: the bucket's start (10) plus 10 a second, never more.
      const t0 = MORNING.getTime();
      const perSecond: number[] = [];
      for (const s of sentAt) {
        const k = Math.floor((s.at - t0) / 1000);
        perSecond[k] = (perSecond[k] ?? 0) + 1;
      }
      let total = 0;
      for (let n = 0; n < perSecond.length; n++) {
        total += perSecond[n] ?? 0;
        expect(total).toBeLessThanOrEqual(10 * (n + 1) + 10);
      }
      // 60 broadcast messages and 3 replies: all went out, each recipient once.
      expect(sentAt).toHaveLength(63);
      expect(new Set(sentAt.filter((s) => !s.text.startsWith('Trả lời')).map((s) => s.chat)).size).toBe(60);
    },
  );
});

/** A recording delivery for any channel (Zalo OA here): what it answers is up to the test. */
function recorder(answer: (to: DeliveryTarget) => DeliveryResult = () => ({ kind: 'sent' })) {
  const calls: { to: DeliveryTarget; message: OutboundMessage }[] = [];
  const delivery: Delivery = {
    deliver: async (to, message) => {
      calls.push({ to, message });
      return answer(to);
    },
  };
  return { calls, delivery };
}

describe('the rules at send time (clock injected)', () => {
  let db: FreshDatabase;
  let clock: TestClock;
  let rt: Runtime;

  beforeEach(async () => {
    db = await freshDatabase();
    clock = new TestClock(MORNING);
    rt = runtime(db, clock);
  });
  afterEach(async () => {
    await rt.outbox.stop();
    await db.close();
  });

  it('quiet hours: a non-urgent broadcast waits until 07:00; an urgent one goes at once', async () => {
    clock = new TestClock(new Date('2026-12-01T15:30:00Z')); // 22:30 in Hà Nội
    rt = runtime(db, clock);
    const tg = recorder();
    rt.outbox.connect('telegram', tg.delivery);
    const ids = await seedMembers(db.prisma, [{ channelUserId: 'a' }, { channelUserId: 'b' }], clock.now());
    const plain = await seedBroadcast(db.prisma, ids, clock.now(), { texts: { vi: 'Hội chợ' } });
    const storm = await seedBroadcast(db.prisma, ids, clock.now(), { texts: { vi: 'Bão số 3' }, urgent: true });
    const d = dispatcher(rt, clock);
    await d.dispatchOnce();
    expect(tg.calls.map((c) => (c.message.kind === 'text' ? c.message.text : ''))).toEqual(['Bão số 3', 'Bão số 3']);
    expect(await statuses(db, storm)).toEqual({ a: 'sent', b: 'sent' });
    // 06:59 next morning: still waiting; 07:00: sent.
    clock.advance(8 * 3_600_000 + 29 * 60_000);
    await d.dispatchOnce();
    expect(await statuses(db, plain)).toEqual({ a: 'pending', b: 'pending' });
    clock.advance(60_000);
    await d.dispatchOnce();
    expect(await statuses(db, plain)).toEqual({ a: 'sent', b: 'sent' });
    expect(tg.calls).toHaveLength(4);
  });

  it('at send time: opted out after preparing, unreachable, erased — no call for any of them', async () => {
    const tg = recorder();
    rt.outbox.connect('telegram', tg.delivery);
    const ids = await seedMembers(
      db.prisma,
      [
        { channelUserId: 'ok' },
        { channelUserId: 'stopped' },
        { channelUserId: 'blocked', unreachableAt: MORNING },
        { channelUserId: 'erased' },
      ],
      MORNING,
    );
    const id = await seedBroadcast(db.prisma, ids, MORNING);
    // After the audience was written: she says "DỪNG" (consent withdrawn); another one's data is erased.
    await db.prisma.memberConsent.update({
      where: { memberId_purpose: { memberId: ids[1]!, purpose: 'announcements' } },
      data: { withdrawnAt: clock.now() },
    });
    await rt.members.delete(ids[3]!);
    await dispatcher(rt, clock).dispatchOnce();
    expect(await statuses(db, id)).toEqual({
      ok: 'sent',
      stopped: 'optedOut:announcements',
      blocked: 'unreachable:unreachable',
    });
    expect(tg.calls.map((c) => c.to.userId)).toEqual(['ok']);
  });

  it('Zalo OA: inside the window a consultation message; outside it, skipped or a promotion by the rules', async () => {
    const zalo = recorder();
    rt.outbox.connect('zalo', zalo.delivery);
    const old = new Date(MORNING.getTime() - 8 * DAY);
    const recent = new Date(MORNING.getTime() - 2 * DAY);
    const zaloMember = (id: string, lastInboundAt: Date): SeedMember => ({
      channel: 'zalo',
      channelUserId: id,
      lastInboundAt,
    });
    const ids = await seedMembers(
      db.prisma,
      [zaloMember('in', recent), zaloMember('out1', old), zaloMember('out2', old), zaloMember('out3', old)],
      MORNING,
    );
    // Chose "skip": those outside the window are not reachable now.
    const skip = await seedBroadcast(db.prisma, ids, MORNING);
    await dispatcher(rt, clock).dispatchOnce();
    expect(await statuses(db, skip)).toEqual({
      in: 'sent',
      out1: 'notNow:window',
      out2: 'notNow:window',
      out3: 'notNow:window',
    });
    expect(zalo.calls.map((c) => [c.to.userId, c.to.via])).toEqual([['in', undefined]]);
    expect(
      (await db.prisma.broadcastDelivery.findFirstOrThrow({ where: { broadcastId: skip, status: 'sent' } })).via,
    ).toBe('cs');

    // Chose "promotion" while ZALO_PROMOTION_ENABLED is off.
    const off = await seedBroadcast(db.prisma, ids.slice(1, 2), MORNING, { zaloOutsideWindow: 'promotion' });
    await dispatcher(rt, clock).dispatchOnce();
    expect(await statuses(db, off)).toEqual({ out1: 'notNow:promotionOff' });

    // Enabled, quota 2 a day: two go as promotions, the third is refused by the quota.
    const promotion = { enabled: true, hours: { start: { hour: 8, minute: 0 }, end: { hour: 22, minute: 0 } } };
    const first = await seedBroadcast(db.prisma, ids.slice(1), MORNING, { zaloOutsideWindow: 'promotion' });
    await dispatcher(rt, clock, { promotion: { ...promotion, dailyQuota: 2 } }).dispatchOnce();
    const firstEnd = await statuses(db, first);
    expect(Object.values(firstEnd).sort()).toEqual(['notNow:promotionQuota', 'sent', 'sent']);
    expect(zalo.calls.slice(1).map((c) => c.to.via)).toEqual(['promotion', 'promotion']);
    const promoted = Object.entries(firstEnd)
      .filter(([, s]) => s === 'sent')
      .map(([who]) => who);

    // The same day, a larger quota: the two who got one today are refused (one a day each); the third gets hers.
    const second = await seedBroadcast(db.prisma, ids.slice(1), MORNING, { zaloOutsideWindow: 'promotion' });
    clock.advance(3_600_000);
    await dispatcher(rt, clock, { promotion: { ...promotion, dailyQuota: 100 } }).dispatchOnce();
    const secondEnd = await statuses(db, second);
    for (const who of promoted) expect(secondEnd[who]).toBe('notNow:promotionDaily');
    expect(Object.values(secondEnd).filter((s) => s === 'sent')).toHaveLength(1);

    // Outside the promotion hours (07:30, inside the broadcast hours): refused with that rule.
    const early = new TestClock(new Date('2026-12-02T00:30:00Z'));
    const third = await seedBroadcast(db.prisma, ids.slice(1, 2), early.now(), { zaloOutsideWindow: 'promotion' });
    const rtEarly = runtime(db, early);
    rtEarly.outbox.connect('zalo', zalo.delivery);
    await dispatcher(rtEarly, early, { promotion: { ...promotion, dailyQuota: 100 } }).dispatchOnce();
    expect(await statuses(db, third)).toEqual({ out1: 'notNow:promotionHours' });
  });

  it('Zalo OA answers: quota exceeded → not reachable now; unfollowed → unreachable, not retried', async () => {
    const zalo = recorder((to) =>
      to.userId === 'gone'
        ? { kind: 'unreachable', reason: '-230' }
        : to.via === 'promotion'
          ? { kind: 'later', reason: 'promotionQuota' }
          : { kind: 'sent' },
    );
    rt.outbox.connect('zalo', zalo.delivery);
    const ids = await seedMembers(
      db.prisma,
      [
        { channel: 'zalo', channelUserId: 'gone', lastInboundAt: MORNING },
        { channel: 'zalo', channelUserId: 'far', lastInboundAt: new Date(MORNING.getTime() - 30 * DAY) },
      ],
      MORNING,
    );
    const id = await seedBroadcast(db.prisma, ids, MORNING, { zaloOutsideWindow: 'promotion' });
    const promotion = {
      enabled: true,
      hours: { start: { hour: 8, minute: 0 }, end: { hour: 22, minute: 0 } },
      dailyQuota: 10,
    };
    const d = dispatcher(rt, clock, { promotion });
    await d.dispatchOnce();
    clock.advance(DAY / 2);
    await d.dispatchOnce();
    expect(await statuses(db, id)).toEqual({ gone: 'unreachable:-230', far: 'notNow:promotionQuota' });
    expect(zalo.calls).toHaveLength(2);
    expect((await rt.members.findByChannelUser('zalo', 'gone'))?.unreachableAt).not.toBeNull();
  });

  it('cancelled mid-way: no further send; the sends in flight finish', async () => {
    rt = runtime(db, clock, { overallPerSecond: 5, chatPerSecond: 1, chatBurst: 3 });
    const tg = recorder();
    rt.outbox.connect('telegram', tg.delivery);
    const ids = await seedMembers(
      db.prisma,
      Array.from({ length: 20 }, (_, i) => ({ channelUserId: `c${i}` })),
      MORNING,
    );
    const id = await seedBroadcast(db.prisma, ids, MORNING);
    const d = dispatcher(rt, clock);
    const pass = await d.dispatchOnce();
    expect(tg.calls).toHaveLength(5);
    await db.prisma.broadcast.update({ where: { id }, data: { status: 'cancelled', cancelledAt: clock.now() } });
    clock.advance(pass.waitMs ?? 1000);
    for (let i = 0; i < 10; i++) {
      await d.dispatchOnce();
      clock.advance(1000);
    }
    expect(tg.calls).toHaveLength(5);
    const left = await db.prisma.broadcastDelivery.count({ where: { broadcastId: id, status: 'pending' } });
    expect(left).toBe(15);
    expect(await db.prisma.broadcastDelivery.count({ where: { broadcastId: id, leaseToken: { not: null } } })).toBe(0);
  });

  it('killed during the calls: the restart marks those sends uncertain and sends them again once', async () => {
    const ids = await seedMembers(
      db.prisma,
      Array.from({ length: 12 }, (_, i) => ({ channelUserId: `k${i}` })),
      MORNING,
    );
    const id = await seedBroadcast(db.prisma, ids, MORNING);
    // The first run's calls never return (the process is about to be killed).
    let started = 0;
    rt.outbox.connect('telegram', {
      deliver: () => {
        started++;
        return new Promise<DeliveryResult>(() => undefined);
      },
    });
    const dead = dispatcher(rt, clock, { instanceId: 'host:8080', concurrency: 4 });
    void dead.dispatchOnce();
    for (let i = 0; i < 100 && started < 4; i++) await new Promise((r) => setTimeout(r, 10));
    expect(started).toBe(4);
    expect(await db.prisma.broadcastDelivery.count({ where: { broadcastId: id, status: 'sending' } })).toBe(4);
    // The same instance starts again (lease not expired: its own earlier claims are taken back at once).
    const rt2 = runtime(db, clock);
    const tg = recorder();
    rt2.outbox.connect('telegram', tg.delivery);
    const again = dispatcher(rt2, clock, { instanceId: 'host:8080', concurrency: 4, pollMs: 10 });
    again.start();
    for (let i = 0; i < 300; i++) {
      if ((await db.prisma.broadcastDelivery.count({ where: { broadcastId: id, status: { not: 'sent' } } })) === 0)
        break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await again.stop();
    await rt2.outbox.stop();
    expect(tg.calls).toHaveLength(12);
    expect(new Set(tg.calls.map((c) => c.to.userId)).size).toBe(12);
    const uncertain = await db.prisma.broadcastDelivery.count({ where: { broadcastId: id, uncertain: true } });
    expect(uncertain).toBe(4);
  });

  it('one group sending at a time: during each call, only its own group is sending, the earlier ones are sent', async () => {
    const ids = await seedMembers(
      db.prisma,
      Array.from({ length: 20 }, (_, i) => ({ channelUserId: `g${i}` })),
      MORNING,
    );
    const id = await seedBroadcast(db.prisma, ids, MORNING);
    // Each call looks at the table: who is `sending` and how many are `sent` already (groups of 4, 4 calls at a time).
    const seen: { sending: number; sent: number }[] = [];
    rt.outbox.connect('telegram', {
      deliver: async () => {
        const [sending, sent] = await Promise.all([
          db.prisma.broadcastDelivery.count({ where: { broadcastId: id, status: 'sending' } }),
          db.prisma.broadcastDelivery.count({ where: { broadcastId: id, status: 'sent' } }),
        ]);
        seen.push({ sending, sent });
        return { kind: 'sent' };
      },
    });
    const pass = await dispatcher(rt, clock, { concurrency: 4 }).dispatchOnce();
    expect(pass.sent).toBe(20);
    expect(seen).toHaveLength(20);
    // Never more than one group `sending` (the most a kill can leave to send again), and every earlier group `sent`.
    for (const [k, s] of seen.entries()) {
      expect(s.sending).toBeLessThanOrEqual(4);
      expect(s.sent).toBe(Math.floor(k / 4) * 4);
    }
    expect(Object.values(await statuses(db, id)).every((status) => status === 'sent')).toBe(true);
  });
});

describeEachProvider('two dispatchers on one database', (provider) => {
  it('never send a delivery twice', { timeout: 40_000 }, async () => {
    const db = await freshDatabase(provider);
    const other = await openDatabase(db.url);
    const clock = new TestClock(MORNING);
    const seen: string[] = [];
    try {
      const ids = await seedMembers(
        db.prisma,
        Array.from({ length: 300 }, (_, i) => ({ channelUserId: `t${i}` })),
        MORNING,
      );
      const id = await seedBroadcast(db.prisma, ids, MORNING);
      const instances = [db, { prisma: other.prisma }].map((client, n) => {
        const rt = runtime({ ...db, prisma: client.prisma }, clock);
        rt.outbox.connect('telegram', {
          deliver: async (to) => {
            await new Promise((r) => setTimeout(r, 1));
            seen.push(to.userId);
            return { kind: 'sent' };
          },
        });
        return dispatcher(rt, clock, { batchSize: 25, concurrency: 4, instanceId: `host:${n}` });
      });
      for (let round = 0; round < 40; round++) {
        await Promise.all(instances.flatMap((d) => [d.dispatchOnce(), d.dispatchOnce()]));
        if ((await db.prisma.broadcastDelivery.count({ where: { broadcastId: id, status: 'pending' } })) === 0) break;
      }
      expect(await db.prisma.broadcastDelivery.count({ where: { broadcastId: id, status: 'sent' } })).toBe(300);
      expect(seen).toHaveLength(300);
      expect(new Set(seen).size).toBe(300);
    } finally {
      await other.close();
      await db.close();
    }
  });
});
