// The OA token pair through the whole chain — channel, token manager, Zalo's OAuth (faked on loopback) and the real
// credential store on SQLite: refresh before expiry, one refresh for concurrent needs, the rotating refresh token
// persisted, the compare-and-swap between processes, and a refused refresh.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloOaChannel, type ZaloOaChannel } from '../../../../src/channels/zalo/oa/index.ts';
import type { Logger } from '../../../../src/conversation/ports.ts';
import { createCredentialStore } from '../../../../src/data/credentialStore.ts';
import { zaloOaCredentialId, type CredentialStore, type TokenPair } from '../../../../src/domain/credentials.ts';
import { storeTokenPair } from '../../../../src/cli/zalo-tokens.ts';
import { createJobRunner, zaloOaTokenJob } from '../../../../src/app/jobs/index.ts';
import { createJobStore } from '../../../../src/data/jobStore.ts';
import { realBot, TestClock } from '../../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../../helpers/database.ts';
import { APP_ID, APP_SECRET, CS_PATH, FakeZalo, OAUTH_PATH, OA_SECRET, sign, textEvent } from './fake-zalo.ts';

const PATH = '/zalo/oa/webhook';
const ID = zaloOaCredentialId(APP_ID);
const HOUR = 3_600_000;

class MemoryLogger implements Logger {
  readonly lines: { level: string; obj: object; msg?: string }[] = [];
  debug() {}
  info(obj: object, msg?: string) {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string) {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string) {
    this.lines.push({ level: 'error', obj, msg });
  }
}

let db: FreshDatabase;
let zalo: FakeZalo;
let store: CredentialStore;
let logger: MemoryLogger;
let channel: ZaloOaChannel | undefined;
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  zalo = await FakeZalo.start();
  store = createCredentialStore(db.prisma);
  logger = new MemoryLogger();
});
afterEach(async () => {
  await channel?.stop();
  channel = undefined;
  await zalo.close();
  await db.close();
});

/** Stores a pair Zalo issued, expiring `expiresInMs` from now. */
async function storePair(expiresInMs: number): Promise<TokenPair> {
  const issued = zalo.issuePair();
  const pair = { ...issued, accessExpiresAt: new Date(Date.now() + expiresInMs), refreshExpiresAt: null };
  expect(await store.swap(ID, pair, 0)).toBe(1);
  return pair;
}

function createChannel(): ZaloOaChannel {
  channel = createZaloOaChannel({
    appId: APP_ID,
    oaSecretKey: OA_SECRET,
    appSecret: APP_SECRET,
    webhookPath: PATH,
    apiBase: zalo.baseUrl,
    oauthBase: zalo.baseUrl,
    credentials: store,
    gateway: realBot(db.prisma),
    logger,
    sleep: async () => undefined,
  });
  return channel;
}

/** Hands events to the channel's route as the HTTP server would, then waits for the replies. */
async function deliver(ch: ZaloOaChannel, ...users: string[]): Promise<void> {
  const answers = await Promise.all(
    users.map((user) => {
      const event = textEvent(user, 'alo', `msg-${++seq}`);
      const rawBody = Buffer.from(JSON.stringify(event));
      return ch.route.handle({ headers: { 'x-zevent-signature': sign(rawBody.toString(), event.timestamp) }, rawBody });
    }),
  );
  expect(answers.map((a) => a.status)).toEqual(users.map(() => 200));
  await ch.idle();
}

const csTokens = () => zalo.calls.filter((c) => c.path === CS_PATH).map((c) => c.headers['access_token']);

describe('the Zalo OA access token', () => {
  it('is refreshed once when it has expired, even when two members need it at once, and the new pair is stored', async () => {
    const old = await storePair(-HOUR);
    zalo.refreshDelayMs = 50; // both members' replies wait on the same refresh
    const ch = createChannel();
    await ch.start();
    await deliver(ch, '1001', '1002');

    expect(zalo.refreshes()).toHaveLength(1);
    const refresh = zalo.refreshes()[0];
    expect(refresh?.headers['secret_key']).toBe(APP_SECRET);
    expect(refresh?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(refresh?.body).toEqual({ app_id: APP_ID, grant_type: 'refresh_token', refresh_token: old.refreshToken });

    const stored = await store.load(ID);
    expect(stored?.version).toBe(2);
    expect(stored?.refreshToken).not.toBe(old.refreshToken);
    expect(zalo.refreshTokens.has(stored?.refreshToken ?? '')).toBe(true); // the rotated one, still unspent
    expect(stored?.accessExpiresAt.getTime()).toBeGreaterThan(Date.now() + 24 * HOUR);
    // Every reply (2 per member) went out with the new token, none with the old one.
    expect(csTokens()).toHaveLength(4);
    expect(new Set(csTokens())).toEqual(new Set([stored?.accessToken]));
    // Nothing secret in the logs.
    const logs = JSON.stringify(logger.lines);
    for (const token of [old.accessToken, old.refreshToken, stored?.accessToken ?? '', stored?.refreshToken ?? '']) {
      expect(logs).not.toContain(token);
    }
  });

  it('is refreshed ahead of expiry (within the margin), and not before', async () => {
    await storePair(2 * HOUR);
    const ch = createChannel();
    await ch.start();
    await deliver(ch, '1001');
    expect(zalo.refreshes()).toHaveLength(0);

    await db.prisma.channelCredential.update({
      where: { id: ID },
      data: { accessExpiresAt: new Date(Date.now() + 10 * 60_000) },
    });
    const again = createChannel();
    await deliver(again, '1001');
    expect(zalo.refreshes()).toHaveLength(1);
    expect((await store.load(ID))?.version).toBe(2);
  });

  it('keeps using a token that still works while a refresh within the margin fails', async () => {
    const pair = await storePair(10 * 60_000);
    zalo.reply(OAUTH_PATH, 'unavailable', 1, 503);
    const ch = createChannel();
    await deliver(ch, '1001');
    expect(zalo.refreshes()).toHaveLength(1);
    expect(new Set(csTokens())).toEqual(new Set([pair.accessToken]));
    expect((await store.load(ID))?.version).toBe(1);
  });

  it('is renewed once and the message sent again when Zalo rejects it early (-216)', async () => {
    const pair = await storePair(20 * HOUR);
    zalo.accessTokens.delete(pair.accessToken); // revoked by Zalo before its time
    const ch = createChannel();
    await deliver(ch, '1001');
    expect(zalo.refreshes()).toHaveLength(1);
    const stored = await store.load(ID);
    expect(csTokens()).toEqual([pair.accessToken, stored?.accessToken, stored?.accessToken]);
  });

  it('is refreshed periodically without traffic, by the hourly job', async () => {
    await storePair(-HOUR);
    const ch = createChannel();
    await ch.start();
    const clock = new TestClock(new Date());
    const jobs = createJobRunner({
      store: createJobStore(db.prisma),
      clock,
      logger,
      timeZone: 'Asia/Ho_Chi_Minh',
      jobs: [zaloOaTokenJob(() => ch.refreshTokenIfDue())],
    });
    await jobs.start({ poll: false }); // the test runs what is due itself
    expect(await jobs.runDue()).toBe(1);
    expect(zalo.refreshes()).toHaveLength(1);
    expect((await store.load(ID))?.version).toBe(2);
    // Not again within the hour; the next check an hour later finds the new token fresh.
    clock.advance(30 * 60_000);
    expect(await jobs.runDue()).toBe(0);
    clock.advance(30 * 60_000);
    expect(await jobs.runDue()).toBe(1);
    expect(zalo.refreshes()).toHaveLength(1);
  });

  it('a failed refresh by the job is retried, and kept as a failed run once the tries are spent', async () => {
    await storePair(-HOUR);
    const ch = createChannel();
    await ch.start();
    const clock = new TestClock(new Date());
    const jobStore = createJobStore(db.prisma);
    const jobs = createJobRunner({
      store: jobStore,
      clock,
      logger,
      timeZone: 'Asia/Ho_Chi_Minh',
      maxAttempts: 2,
      jobs: [zaloOaTokenJob(() => ch.refreshTokenIfDue())],
    });
    await jobs.start({ poll: false });
    zalo.refreshTokens.clear(); // Zalo refuses the stored refresh token
    expect(await jobs.runDue()).toBe(1);
    clock.advance(60_000);
    expect(await jobs.runDue()).toBe(1);
    const failed = await jobStore.list({ statuses: ['failed'] });
    expect(failed).toMatchObject([{ kind: 'zalo-oa.token', attempts: 2 }]);
    expect(failed[0]?.lastError).toMatch(/^ZaloApiError/);
    expect(await jobs.health()).toEqual({ failed: 1, overdue: 0 });
  });
});

describe('two processes refreshing the same pair', () => {
  it('the loser of the compare-and-swap uses the winner’s pair', async () => {
    const old = await storePair(-HOUR);
    const otherProcess = createCredentialStore(db.prisma);
    let winner: TokenPair | undefined;
    // While our refresh is on its way, another process refreshes and stores its pair first (Zalo let both through).
    zalo.beforeRefreshAnswer = async () => {
      zalo.beforeRefreshAnswer = undefined;
      winner = { ...zalo.issuePair(), accessExpiresAt: new Date(Date.now() + 25 * HOUR), refreshExpiresAt: null };
      expect(await otherProcess.swap(ID, winner, 1)).toBe(2);
    };
    const ch = createChannel();
    await deliver(ch, '1001');

    expect(zalo.refreshes()).toHaveLength(1);
    const stored = await store.load(ID);
    expect(stored).toMatchObject({ version: 2, accessToken: winner?.accessToken, refreshToken: winner?.refreshToken });
    expect(new Set(csTokens())).toEqual(new Set([winner?.accessToken]));
    expect(old.refreshToken).not.toBe(stored?.refreshToken);
  });

  it('uses the other process’s pair when Zalo refuses our refresh token because it spent it first', async () => {
    const old = await storePair(-HOUR);
    let winner: TokenPair | undefined;
    zalo.beforeRefreshAnswer = async () => {
      zalo.beforeRefreshAnswer = undefined;
      zalo.refreshTokens.delete(old.refreshToken); // spent by the other process
      winner = { ...zalo.issuePair(), accessExpiresAt: new Date(Date.now() + 25 * HOUR), refreshExpiresAt: null };
      await createCredentialStore(db.prisma).swap(ID, winner, 1);
    };
    const ch = createChannel();
    await deliver(ch, '1001');
    expect(new Set(csTokens())).toEqual(new Set([winner?.accessToken]));
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('picks up a pair another process stored before refreshing itself', async () => {
    await storePair(-HOUR);
    const ch = createChannel();
    await ch.start(); // caches the expired pair
    const fresh = { ...zalo.issuePair(), accessExpiresAt: new Date(Date.now() + 25 * HOUR), refreshExpiresAt: null };
    await createCredentialStore(db.prisma).swap(ID, fresh, 1);
    await deliver(ch, '1001');
    expect(zalo.refreshes()).toHaveLength(0);
    expect(new Set(csTokens())).toEqual(new Set([fresh.accessToken]));
  });
});

describe('a refused refresh', () => {
  it('is a configuration error logged loudly, sends nothing, is not retried, and a new stored pair fixes it', async () => {
    const old = await storePair(-HOUR);
    zalo.refreshTokens.delete(old.refreshToken); // expired or revoked at Zalo
    const ch = createChannel();
    await deliver(ch, '1001');
    await deliver(ch, '1002');
    expect(zalo.refreshes()).toHaveLength(1);
    expect(csTokens()).toEqual([]);
    const loud = logger.lines.find((l) => l.level === 'error' && /TOKEN REFRESH REFUSED/.test(l.msg ?? ''));
    expect(loud?.obj).toMatchObject({ errCode: -14014 });
    expect((await store.load(ID))?.version).toBe(1);

    // The admin obtains a new pair and stores it with `npm run zalo:tokens`: the running bot uses it.
    const next = zalo.issuePair();
    await storeTokenPair(store, ID, { ok: true, ...next, expiresInSeconds: 90_000 }, new Date());
    await deliver(ch, '1003');
    expect(new Set(csTokens())).toEqual(new Set([next.accessToken]));
  });

  it('start() fails with instructions when no pair is stored', async () => {
    const ch = createChannel();
    await expect(ch.start()).rejects.toThrow(/npm run zalo:tokens/);
  });
});

describe('the webhook of a channel without tokens', () => {
  it('still answers Zalo 200 (the event is handled, the replies cannot be sent)', async () => {
    const ch = createChannel();
    const event = textEvent('1001', 'alo', 'msg-x');
    const body = JSON.stringify(event);
    const answer = await ch.route.handle({
      headers: { 'x-zevent-signature': sign(body, event.timestamp) },
      rawBody: Buffer.from(body),
    });
    expect(answer.status).toBe(200);
    await ch.idle();
    expect(csTokens()).toEqual([]);
  });
});
