// Nothing Zalo got a 200 for is lost: the OA webhook stores the event (InboundEvent) before it answers, and the
// stored events are processed from the database — by this process right away, and after a crash by the next one.
// A "crash" here is a channel whose store stops writing after its claim (it died mid-event) or never claims (it died
// right after answering); the "restart" is a new channel with the real bot on the same database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloOaChannel, type ZaloOaChannel } from '../../../../src/channels/zalo/oa/index.ts';
import type { InboundEventStore } from '../../../../src/conversation/inboundEvents.ts';
import type { BotGateway } from '../../../../src/conversation/messages.ts';
import { createCredentialStore } from '../../../../src/data/credentialStore.ts';
import { createInboundEventStore } from '../../../../src/data/inboundEventStore.ts';
import { createInboundLog } from '../../../../src/data/inboundLog.ts';
import { ambientTransactions } from '../../../../src/data/transactions.ts';
import { zaloOaCredentialId } from '../../../../src/domain/credentials.ts';
import { realBot, silentLogger, TestClock } from '../../../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../../../helpers/database.ts';
import { APP_ID, APP_SECRET, FakeZalo, OA_SECRET, sign, textEvent, timestamp, withdrawEvent } from './fake-zalo.ts';

const PATH = '/zalo/oa/webhook';

describeEachProvider('Zalo OA events are durable', (provider) => {
  let db: FreshDatabase;
  let zalo: FakeZalo;
  const channels: ZaloOaChannel[] = [];

  beforeEach(async () => {
    db = await freshDatabase(provider);
    zalo = await FakeZalo.start();
    const pair = zalo.issuePair();
    await createCredentialStore(db.prisma).swap(
      zaloOaCredentialId(APP_ID),
      { ...pair, accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null },
      0,
    );
  });

  afterEach(async () => {
    await Promise.all(channels.splice(0).map((c) => c.stop()));
    await zalo.close();
    await db.close();
  });

  /** A channel on the test database: the real bot unless another gateway is given, and the database's store. */
  function channel(
    options: { gateway?: BotGateway; store?: InboundEventStore; name?: string; leaseMs?: number } = {},
  ): ZaloOaChannel {
    const inbound = createInboundLog(db.prisma);
    const created = createZaloOaChannel({
      appId: APP_ID,
      oaSecretKey: OA_SECRET,
      appSecret: APP_SECRET,
      webhookPath: PATH,
      apiBase: zalo.baseUrl,
      oauthBase: zalo.baseUrl,
      credentials: createCredentialStore(db.prisma),
      gateway: options.gateway ?? realBot(db.prisma, new TestClock(new Date())),
      logger: silentLogger,
      sleep: async () => undefined,
      claimEvent: (eventId) => inbound.claim('zalo', eventId),
      events: options.store ?? createInboundEventStore(db.prisma),
      processing: {
        leaseMs: options.leaseMs ?? 1_000,
        pollMs: 50,
        backoffMs: 50,
        ...(options.name ? { instanceId: options.name } : {}),
      },
    });
    channels.push(created);
    return created;
  }

  /** Hands a signed event to the route as the HTTP server would; returns the HTTP status. */
  async function post(ch: ZaloOaChannel, event: { timestamp: string } & Record<string, unknown>): Promise<number> {
    const rawBody = Buffer.from(JSON.stringify(event));
    const answer = await ch.route.handle({
      headers: { 'x-zevent-signature': sign(rawBody.toString(), event.timestamp) },
      rawBody,
    });
    return answer.status;
  }

  /** The database's store, as a process that died after claiming: nothing after the claim reaches the database. */
  function diesAfterClaim(): InboundEventStore {
    const real = createInboundEventStore(db.prisma);
    let dead = false;
    return {
      ...real,
      claim: async (options) => {
        if (dead) return [];
        const claimed = await real.claim(options);
        dead = claimed.length > 0;
        return claimed;
      },
      renew: async () => true,
      done: async () => undefined,
      retry: async () => undefined,
      fail: async () => undefined,
    };
  }

  const rows = () => db.prisma.inboundEvent.findMany({ orderBy: { id: 'asc' } });

  it('an event answered 200 is in the database before it is processed, and a restart processes it once', async () => {
    const seenInsideHandler: number[] = [];
    const dying = channel({
      store: diesAfterClaim(),
      gateway: {
        handle: async () => {
          // The turn starts only after the event is stored.
          seenInsideHandler.push(await db.prisma.inboundEvent.count({ where: { eventKey: 'msg-crash-1' } }));
          throw new Error('killed');
        },
        connect: () => undefined,
        markUnreachable: async () => undefined,
        erase: async () => undefined,
      },
    });
    await dying.start();
    expect(await post(dying, textEvent('7001', 'Chào em', 'msg-crash-1'))).toBe(200);
    await dying.idle();
    expect(seenInsideHandler).toEqual([1]);
    const stored = await rows();
    expect(stored).toMatchObject([{ eventKey: 'msg-crash-1', userId: '7001', status: 'running', attempts: 1 }]);
    expect(stored[0]?.payload).toContain('Chào em');
    await dying.stop();
    expect(zalo.messages()).toEqual([]);

    // The restart: another instance takes the event once the dead one's lease has run out.
    const restarted = channel({ name: 'restarted' });
    await restarted.start();
    await until(async () => (await rows())[0]?.status === 'done');
    await restarted.idle();
    expect(zalo.messages()).toHaveLength(2); // the greeting and the language question, once
    expect(await db.prisma.member.count({ where: { channel: 'zalo', channelUserId: '7001' } })).toBe(1);
    const [done] = await rows();
    expect(done).toMatchObject({ status: 'done', payload: '', attempts: 2, eventKey: 'msg-crash-1' });
  });

  it('the same instance restarted takes back at once what it was working on, without waiting for the lease', async () => {
    const dying = channel({
      name: 'bot-host:8080',
      leaseMs: 3_600_000,
      store: diesAfterClaim(),
      gateway: {
        handle: () => Promise.reject(new Error('killed')),
        connect: () => undefined,
        markUnreachable: async () => undefined,
        erase: async () => undefined,
      },
    });
    await dying.start();
    expect(await post(dying, textEvent('7101', 'alo', 'msg-own-1'))).toBe(200);
    // It dies while working on the event: once claimed (the claim may wait for the start-up release to finish).
    await until(async () => (await rows())[0]?.status === 'running');
    await dying.stop();
    expect(await rows()).toMatchObject([{ status: 'running', lockedBy: 'bot-host:8080' }]);

    const restarted = channel({ name: 'bot-host:8080', leaseMs: 3_600_000 });
    await restarted.start();
    await until(async () => (await rows())[0]?.status === 'done');
    await restarted.idle();
    expect(zalo.messages()).toHaveLength(2);
  });

  it('events stored before a crash are processed exactly once by two restarted instances, in order per member', async () => {
    // Died right after answering: the events are stored, none claimed.
    const real = createInboundEventStore(db.prisma);
    const dying = channel({ store: { ...real, claim: async () => [] } });
    const users = ['8001', '8002', '8003', '8004', '8005', '8006'];
    for (const user of users) {
      expect(await post(dying, textEvent(user, 'alo', `msg-${user}-1`))).toBe(200);
      expect(await post(dying, textEvent(user, '1', `msg-${user}-2`))).toBe(200);
    }
    await dying.stop();
    expect(await db.prisma.inboundEvent.count({ where: { status: 'pending' } })).toBe(12);
    expect(zalo.messages()).toEqual([]);

    const a = channel({ name: 'instance-a' });
    const b = channel({ name: 'instance-b' });
    await Promise.all([a.start(), b.start()]);
    await until(async () => (await db.prisma.inboundEvent.count({ where: { status: 'done' } })) === 12);
    await Promise.all([a.idle(), b.idle()]);

    expect((await rows()).map((r) => [r.status, r.attempts, r.payload])).toEqual(
      users.flatMap(() => [
        ['done', 1, ''],
        ['done', 1, ''],
      ]),
    );
    expect(await db.prisma.processedInbound.count({ where: { channel: 'zalo' } })).toBe(12);
    // Each member, in her order: greeting and language question for "alo", then consent after "1" (Tiếng Việt).
    for (const user of users) {
      const sent = (zalo.messages() as { recipient: { user_id: string }; message: { text?: string } }[]).filter(
        (m) => m.recipient.user_id === user,
      );
      expect(sent.map((m) => m.message.text)).toEqual([
        expect.stringContaining('Xin chào'),
        expect.stringContaining('Chị muốn dùng ngôn ngữ nào?'),
        expect.stringContaining('Để hỗ trợ chị'),
      ]);
    }
    expect(await db.prisma.member.count()).toBe(6);
  });

  it('an event stored while another turn’s transaction is open is kept when that turn rolls back', async () => {
    const { prisma: ambient, transactor } = ambientTransactions(db.prisma);
    const store = createInboundEventStore(ambient); // as the runtime builds it
    let finishTurn!: () => void;
    const turnMayEnd = new Promise<void>((resolve) => (finishTurn = resolve));
    const turn = transactor.run(async () => {
      await ambient.processedInbound.create({ data: { channel: 'zalo', messageId: 'other-turn' } });
      await turnMayEnd;
      throw new Error('this turn is rolled back');
    });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the turn's transaction is open
    const now = new Date();
    const adding = store.add({
      channel: 'zalo',
      eventKey: 'k-kept',
      userId: 'u',
      payload: '{}',
      occurredAt: now,
      receivedAt: now,
    });
    finishTurn();
    await expect(turn).rejects.toThrow('this turn is rolled back');
    expect(await adding).toBe(true);
    expect(await db.prisma.inboundEvent.count({ where: { eventKey: 'k-kept' } })).toBe(1);
    expect(await db.prisma.processedInbound.count()).toBe(0);
  });

  it('two instances claiming at once never take the same event', async () => {
    const store = createInboundEventStore(db.prisma);
    const now = new Date();
    for (let i = 0; i < 20; i++) {
      await store.add({
        channel: 'zalo',
        eventKey: `k${i}`,
        userId: `u${i}`,
        payload: '{}',
        occurredAt: now,
        receivedAt: now,
      });
    }
    const claim = (lockedBy: string) =>
      store.claim({ channel: 'zalo', now, lockedBy, lockedUntil: new Date(now.getTime() + 60_000), limit: 20 });
    const [x, y] = await Promise.all([claim('x'), claim('y')]);
    const ids = [...x, ...y].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(20);
    // A member's second event waits for her first.
    await store.add({
      channel: 'zalo',
      eventKey: 'k0-b',
      userId: 'u0',
      payload: '{}',
      occurredAt: now,
      receivedAt: now,
    });
    expect(await claim('z')).toEqual([]);
  });
});

describe('the Zalo OA webhook against replays', () => {
  let db: FreshDatabase;
  let zalo: FakeZalo;
  let ch: ZaloOaChannel;

  beforeEach(async () => {
    db = await freshDatabase();
    zalo = await FakeZalo.start();
    const pair = zalo.issuePair();
    const credentials = createCredentialStore(db.prisma);
    await credentials.swap(
      zaloOaCredentialId(APP_ID),
      { ...pair, accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null },
      0,
    );
    const inbound = createInboundLog(db.prisma);
    ch = createZaloOaChannel({
      appId: APP_ID,
      oaSecretKey: OA_SECRET,
      appSecret: APP_SECRET,
      webhookPath: PATH,
      apiBase: zalo.baseUrl,
      oauthBase: zalo.baseUrl,
      credentials,
      gateway: realBot(db.prisma, new TestClock(new Date())),
      logger: silentLogger,
      sleep: async () => undefined,
      claimEvent: (eventId) => inbound.claim('zalo', eventId),
      events: createInboundEventStore(db.prisma),
      maxEventAgeMs: 15 * 60_000,
    });
    await ch.start();
  });

  afterEach(async () => {
    await ch.stop();
    await zalo.close();
    await db.close();
  });

  async function post(event: { timestamp: string } & Record<string, unknown>): Promise<number> {
    const rawBody = Buffer.from(JSON.stringify(event));
    const answer = await ch.route.handle({
      headers: { 'x-zevent-signature': sign(rawBody.toString(), event.timestamp) },
      rawBody,
    });
    await ch.idle();
    return answer.status;
  }

  it('refuses a validly signed event stamped 400 days ago or an hour ahead, and nothing changes', async () => {
    const old = String(Date.now() - 400 * 86_400_000);
    expect(await post(textEvent('9001', 'alo', 'msg-old', old))).toBe(400);
    expect(await post(withdrawEvent('9001', String(Date.now() - 20 * 60_000)))).toBe(400);
    expect(await post(textEvent('9001', 'alo', 'msg-ahead', String(Date.now() + 3_600_000)))).toBe(400);
    expect(ch.stats().rejected).toMatchObject({ stale: 2, future: 1 });
    expect(await db.prisma.inboundEvent.count()).toBe(0);
    expect(await db.prisma.member.count()).toBe(0);
    expect(await db.prisma.processedInbound.count()).toBe(0);
    expect(zalo.messages()).toEqual([]);
    // Within the window it is taken.
    expect(await post(textEvent('9001', 'alo', 'msg-fresh', String(Date.now() - 60_000)))).toBe(200);
    expect(await db.prisma.member.count()).toBe(1);
  });

  it('a replayed user_withdraw older than her last message erases nothing; a new one erases her and her events', async () => {
    const before = timestamp();
    expect(await post(textEvent('9002', 'alo', 'msg-a'))).toBe(200);
    expect(await post(textEvent('9002', '1', 'msg-b'))).toBe(200);
    expect(await db.prisma.member.count()).toBe(1);

    expect(await post(withdrawEvent('9002', before))).toBe(200);
    expect(await db.prisma.member.count()).toBe(1);
    expect(await db.prisma.conversationState.count()).toBe(1);

    expect(await post(withdrawEvent('9002'))).toBe(200);
    expect(await db.prisma.member.count()).toBe(0);
    // What she wrote is gone from the store; only the withdrawal's own key is left, without a payload.
    const left = await db.prisma.inboundEvent.findMany();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ status: 'done', payload: '' });
    expect(left[0]?.eventKey).toMatch(/^user_withdraw:9002:/);
  });
});

/** Polls `condition` every 20 ms for at most 10 s. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
