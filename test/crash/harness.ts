// The crash test (issue 9, "nothing lost, nothing twice"). The real bot (`node --import tsx src/main.ts`, webhook mode,
// a fresh database) runs as a child process behind a fake platform (Telegram Bot API or Zalo OA). A burst of members go
// through first contact and the profile (language, consent, name, commune, phone, confirm), several at once, each
// sending her next answer only after the bot's reply to the previous one came (bounded wait). Meanwhile the bot is
// killed with SIGKILL at seeded points and started again; an update that got no 200 is sent again, as the platform
// does (Telegram posts it again; Zalo resends only what was not acknowledged with a 200).
// Then: every member has a complete profile (rows in the database); every member received, in order, every message of
// the transcript of the same scenario run without kills (text and buttons); a message arrived twice only when its send
// was in flight at the instant of a kill (the platforms have no idempotent send), at most once per member per kill.
// CRASH_SEED replays a run (the seed is printed); CRASH_MEMBERS (default 40) and CRASH_KILLS (default 3) size it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { createCredentialStore } from '../../src/data/credentialStore.ts';
import { zaloOaCredentialId } from '../../src/domain/credentials.ts';
import { FakeBotApi, TOKEN } from '../channels/telegram/fake-bot-api.ts';
import { APP_ID, APP_SECRET, FakeZalo, OA_SECRET, postEvent, textEvent } from '../channels/zalo/oa/fake-zalo.ts';
import { freshDatabase, type Provider } from '../helpers/database.ts';
import { prng } from '../helpers/random.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SECRET = 'crash-test-webhook-secret';
/** Bounds: a step's reply, one POST, a start of the bot, the whole burst. */
const REPLY_WAIT_MS = 45_000;
const POST_TIMEOUT_MS = 20_000;
const START_WAIT_MS = 45_000;

export type CrashChannel = 'telegram' | 'zalo';

export interface CrashSettings {
  seed: number;
  members: number;
  kills: number;
}

/** The run's settings from the environment (CRASH_SEED, CRASH_MEMBERS, CRASH_KILLS), the seed printed for a replay. */
export function crashSettings(label: string): CrashSettings {
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const members = Number(process.env.CRASH_MEMBERS ?? 40);
  const kills = Number(process.env.CRASH_KILLS ?? 3);
  console.log(`crash test ${label}: seed ${seed}, ${members} members, ${kills} kills (replay: CRASH_SEED=${seed})`);
  return { seed, members, kills };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** One step of the scenario: a typed text, or a tap on the button with this label of the last question. */
export type Step = { say: string } | { tap: string };

/** Member i's answers; names and phones differ so that a reply reaching the wrong member would show. */
export function scenario(i: number): Step[] {
  const phone = `0912 ${String(100 + Math.floor(i / 1000)).padStart(3, '0')} ${String(i % 1000).padStart(3, '0')}`;
  return [
    { say: 'Chào em' },
    { tap: 'Tiếng Việt' },
    { tap: 'Đồng ý' },
    {
      say: `Nguyễn Thị Lan ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}`,
    },
    { say: 'tuc duyen' },
    { tap: 'Có' },
    { say: phone },
    { tap: 'Xác nhận' },
  ];
}

/** A message a member received: what she reads (text and buttons) and when it reached the platform. */
export interface Received {
  key: string;
  buttons: { title: string; value: string }[];
  at: number;
}

/** The platform side: the fake API, how a member's update is made and posted, and what each member received. */
export interface Platform {
  env: Record<string, string>;
  /** Called once the database exists, before the bot starts (e.g. Zalo's token pair). */
  prepare(databaseUrl: string, prisma: Awaited<ReturnType<typeof freshDatabase>>['prisma']): Promise<void>;
  /** The update for a step; posting the same update again is the platform's redelivery. */
  update(member: number, step: Step, received: Received[]): { post: (port: number) => Promise<Response> };
  received(member: number): Received[];
  close(): Promise<void>;
}

const userIdOf = (i: number) => 7_000_000 + i;

/** The Telegram side; `api` is the fake Bot API itself (its calls, scripted delays). */
export async function telegramPlatform(): Promise<Platform & { api: FakeBotApi }> {
  const api = await FakeBotApi.start();
  const times = new Map<object, number>();
  const push = api.requests.push.bind(api.requests);
  api.requests.push = (...items) => {
    for (const item of items) times.set(item.body, Date.now());
    return push(...items);
  };
  let updateId = 1000;
  return {
    api,
    env: {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: api.apiRoot,
    },
    prepare: () => Promise.resolve(),
    update(member, step, received) {
      const id = userIdOf(member);
      const from = { id, is_bot: false, first_name: 'Lan', language_code: 'vi' };
      const chat = { id, type: 'private', first_name: 'Lan' };
      const update_id = ++updateId;
      let body: object;
      if ('say' in step) {
        body = { update_id, message: { message_id: update_id, date: 1_750_000_000, from, chat, text: step.say } };
      } else {
        const question = [...received].reverse().find((m) => m.buttons.some((b) => b.title === step.tap));
        const button = question?.buttons.find((b) => b.title === step.tap);
        if (!button) throw new Error(`member ${member}: no button ${step.tap}`);
        body = {
          update_id,
          callback_query: {
            id: `cbq-${update_id}`,
            from,
            chat_instance: '-99',
            data: button.value,
            message: { message_id: 777, date: 1_750_000_000, chat, from: { id: 1, is_bot: true, first_name: 'Bot' } },
          },
        };
      }
      const json = JSON.stringify(body);
      return {
        post: (port) =>
          fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
            body: json,
            signal: AbortSignal.timeout(POST_TIMEOUT_MS),
          }),
      };
    },
    received(member) {
      const id = userIdOf(member);
      return api.requests
        .filter((r) => r.method === 'sendMessage' && r.body['chat_id'] === id)
        .map((r) => {
          const markup = r.body['reply_markup'] as
            { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
          const buttons = (markup?.inline_keyboard ?? [])
            .flat()
            .map((b) => ({ title: b.text, value: b.callback_data }));
          return {
            key: JSON.stringify([r.body['text'], buttons.map((b) => b.title)]),
            buttons,
            at: times.get(r.body) ?? 0,
          };
        });
    },
    close: () => api.close(),
  };
}

async function zaloPlatform(): Promise<Platform> {
  const zalo = await FakeZalo.start();
  const times = new Map<object, number>();
  const push = zalo.calls.push.bind(zalo.calls);
  zalo.calls.push = (...items) => {
    for (const item of items) times.set(item.body, Date.now());
    return push(...items);
  };
  let msgId = 0;
  type Sent = {
    recipient?: { user_id?: string };
    message?: { text?: string; attachment?: { payload?: { buttons?: { title: string; payload: string }[] } } };
  };
  return {
    env: {
      ZALO_OA_APP_ID: APP_ID,
      ZALO_OA_SECRET_KEY: OA_SECRET,
      ZALO_APP_SECRET: APP_SECRET,
      ZALO_OA_API_BASE: zalo.baseUrl,
      ZALO_OAUTH_BASE: zalo.baseUrl,
    },
    async prepare(_url, prisma) {
      const pair = zalo.issuePair();
      await createCredentialStore(prisma).swap(
        zaloOaCredentialId(APP_ID),
        { ...pair, accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null },
        0,
      );
    },
    update(member, step, received) {
      let text: string;
      if ('say' in step) text = step.say;
      else {
        // Zalo sends a button's payload back as the member's text.
        const question = [...received].reverse().find((m) => m.buttons.some((b) => b.title === step.tap));
        const button = question?.buttons.find((b) => b.title === step.tap);
        if (!button) throw new Error(`member ${member}: no button ${step.tap}`);
        text = button.value;
      }
      const event = textEvent(String(userIdOf(member)), text, `crash-msg-${++msgId}`);
      return { post: (port) => postEvent(`http://127.0.0.1:${port}/zalo/oa/webhook`, event) };
    },
    received(member) {
      const id = String(userIdOf(member));
      return (zalo.messages() as Sent[])
        .filter((m) => m.recipient?.user_id === id)
        .map((m) => {
          const buttons = (m.message?.attachment?.payload?.buttons ?? []).map((b) => ({
            title: b.title,
            value: b.payload,
          }));
          return {
            key: JSON.stringify([m.message?.text, buttons.map((b) => b.title)]),
            buttons,
            at: times.get(m) ?? 0,
          };
        });
    },
    close: () => zalo.close(),
  };
}

/** The bot as a child process; `kill()` is SIGKILL, `start()` starts it again on the same database. */
export class BotProcess {
  private child: ChildProcess | undefined;
  private log = '';
  constructor(
    private readonly env: Record<string, string>,
    /** Keep the whole log (to count lines in it) rather than its last 20,000 characters. */
    private readonly keepAll = false,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const state = { started: false };
    const onData = (d: Buffer) => {
      const text = d.toString();
      this.log = this.keepAll ? this.log + text : (this.log + text).slice(-20_000);
      if (text.includes('"msg":"bot started"')) state.started = true;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const deadline = Date.now() + START_WAIT_MS;
    while (!state.started) {
      if (child.exitCode !== null) throw new Error(`the bot exited at start:\n${this.log}`);
      if (Date.now() > deadline) throw new Error(`the bot did not start in time:\n${this.log}`);
      await sleep(20);
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child?.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(10_000)]);
  }

  /**
   * SIGTERM, then waits for the exit (at most `waitMs`): the exit code (null when it did not exit in time or died of
   * a signal) and the time from the signal to the exit.
   */
  async term(waitMs: number): Promise<{ code: number | null; ms: number }> {
    const child = this.child;
    if (child?.exitCode !== null || child.signalCode !== null) return { code: child?.exitCode ?? null, ms: 0 };
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const sent = Date.now();
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(waitMs)]);
    return { code: child.exitCode, ms: Date.now() - sent };
  }

  /** Everything it logged (the last 20,000 characters unless `keepAll` was set). */
  output(): string {
    return this.log;
  }

  tail(): string {
    return this.log.slice(-4000);
  }
}

/** One run of the burst; `killAt` are counts of first sends after which the bot is killed (none: the reference). */
async function burst(
  channel: CrashChannel,
  provider: Provider,
  settings: CrashSettings,
  killAt: { updates: number; delayMs: number }[],
  pace: { settleMs: number; reference?: Map<number, number[]> },
): Promise<{ received: Map<number, Received[]>; kills: { at: number; back: number }[]; counts: number[][] }> {
  const random = prng(settings.seed);
  const platform = channel === 'telegram' ? await telegramPlatform() : await zaloPlatform();
  const db = await freshDatabase(provider);
  const port = await freePort();
  const filesDir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-crash-'));
  const bot = new BotProcess({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: db.url,
    FILES_DIR: filesDir,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    METRICS_PORT: '0', // several bots at once: no shared metrics port
    SHUTDOWN_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'info',
    ...platform.env,
  });
  const kills: { at: number; back: number }[] = [];
  try {
    await platform.prepare(db.url, db.prisma);
    await bot.start();
    let firstSends = 0;
    let down = false;
    const deliver = async (post: (port: number) => Promise<Response>) => {
      const deadline = Date.now() + REPLY_WAIT_MS;
      for (;;) {
        try {
          const res = await post(port);
          if (res.status === 200) return;
        } catch {
          // no answer (the bot was killed): the platform tries again
        }
        if (Date.now() > deadline) throw new Error('an update was never acknowledged');
        await sleep(down ? 100 : 50);
      }
    };
    const member = async (i: number) => {
      await sleep(Math.floor(random() * 1500)); // they do not all start at once
      const steps = scenario(i);
      const counts: number[] = [];
      for (const [s, step] of steps.entries()) {
        const before = distinct(platform.received(i)).length;
        const update = platform.update(i, step, platform.received(i));
        firstSends++;
        await deliver(update.post);
        // She reads the bot's reply before answering: as many messages as the reference run gave her for this step;
        // in that run, at least one new message, and the question she answers next when it has buttons, then quiet
        // for a moment.
        const deadline = Date.now() + REPLY_WAIT_MS;
        const expected = pace.reference?.get(i)?.[s];
        const next = steps[s + 1];
        for (;;) {
          const all = platform.received(i);
          const now = distinct(all);
          const asked =
            next === undefined ||
            !('tap' in next) ||
            now.slice(before).some((m) => m.buttons.some((b) => b.title === next.tap));
          if (asked && (expected !== undefined ? now.length >= expected : now.length > before)) {
            if (expected !== undefined) break;
            if (Date.now() - (all.at(-1)?.at ?? 0) >= pace.settleMs) break;
          }
          if (Date.now() > deadline) {
            throw new Error(
              `member ${i} got no (full) reply to step ${s} (${JSON.stringify(step)}); seed ${settings.seed}; ` +
                `she received ${JSON.stringify(all.map((m) => m.key))}`,
            );
          }
          await sleep(20);
        }
        counts.push(distinct(platform.received(i)).length);
      }
      return counts;
    };
    const killer = async () => {
      for (const point of killAt) {
        while (firstSends < point.updates) await sleep(5);
        await sleep(point.delayMs);
        const at = Date.now();
        down = true;
        await bot.kill();
        await bot.start();
        down = false;
        kills.push({ at, back: Date.now() });
      }
    };
    const killing = killer();
    const perMember = await Promise.all(Array.from({ length: settings.members }, (_, i) => member(i)));
    await killing;
    // The profile is complete in the database.
    const members = await db.prisma.member.findMany({
      where: { channel: channel === 'telegram' ? 'telegram' : 'zalo' },
    });
    expect(members).toHaveLength(settings.members);
    for (const row of members) {
      const i = Number(row.channelUserId) - 7_000_000;
      expect(row, `member ${i}`).toMatchObject({
        displayName: expect.stringContaining('Nguyễn Thị Lan') as unknown,
        communeCode: '05443',
        phone: expect.stringMatching(/^\+8491/) as unknown,
      });
    }
    const received = new Map<number, Received[]>();
    for (let i = 0; i < settings.members; i++) received.set(i, platform.received(i));
    return { received, kills, counts: perMember };
  } catch (error) {
    console.error(`crash test ${channel}/${provider} seed ${settings.seed}: bot log tail:\n${bot.tail()}`);
    throw error;
  } finally {
    await bot.kill();
    await platform.close();
    await db.close();
    await rm(filesDir, { recursive: true, force: true });
  }
}

/** The messages without their later repeats, in order of first arrival. */
export function distinct(messages: Received[]): Received[] {
  const seen = new Set<string>();
  return messages.filter((m) => !seen.has(m.key) && seen.add(m.key));
}

/**
 * Runs the reference burst (no kills), then the burst with kills, and checks the promises of the file comment.
 */
export async function crashTest(channel: CrashChannel, provider: Provider, settings: CrashSettings): Promise<void> {
  const reference = await burst(channel, provider, settings, [], { settleMs: 500 });
  const expectedCounts = new Map<number, number[]>();
  for (const [i, messages] of reference.received) {
    // Every message of the scenario differs from the others, so "distinct" below loses nothing legitimate.
    expect(
      distinct(messages).map((m) => m.key),
      `reference transcript of member ${i}`,
    ).toEqual(messages.map((m) => m.key));
    expectedCounts.set(i, reference.counts[i]!);
  }
  const random = prng(settings.seed ^ 0x5eed);
  const total = settings.members * scenario(0).length;
  const killAt = Array.from({ length: settings.kills }, () => ({
    updates: Math.floor(total * (0.1 + 0.8 * random())),
    delayMs: Math.floor(random() * 60),
  })).sort((a, b) => a.updates - b.updates);
  const crashed = await burst(channel, provider, settings, killAt, { settleMs: 0, reference: expectedCounts });
  expect(crashed.kills).toHaveLength(settings.kills);

  let twice = 0;
  for (const [i, messages] of crashed.received) {
    const want = reference.received.get(i)!.map((m) => m.key);
    expect(
      distinct(messages).map((m) => m.key),
      `member ${i}'s transcript (seed ${settings.seed})`,
    ).toEqual(want);
    // A repeat is allowed only for a send in flight at a kill: its first copy reached the platform just before the
    // kill (the bot had no time to record it sent) and the repeat after the restart; at most one per member per kill.
    // Each copy is judged against the copy just before it (a message in flight at two kills arrives three times: one
    // repeat per kill, not two at the first).
    const previous = new Map<string, number>();
    const repeatsPerKill = new Map<number, number>();
    for (const message of messages) {
      const earlier = previous.get(message.key);
      previous.set(message.key, message.at);
      if (earlier === undefined) continue;
      twice++;
      const kill = crashed.kills.findIndex(
        (k) => earlier <= k.at + 50 && earlier >= k.at - 2_000 && message.at >= k.at,
      );
      expect(
        kill,
        `member ${i} got ${message.key} twice, not across a kill (seed ${settings.seed})`,
      ).toBeGreaterThanOrEqual(0);
      repeatsPerKill.set(kill, (repeatsPerKill.get(kill) ?? 0) + 1);
      expect(
        repeatsPerKill.get(kill),
        `member ${i}: repeats at kill ${kill} (seed ${settings.seed}); her messages, ms from the kill: ${JSON.stringify(messages.map((m) => [m.key.slice(0, 40), m.at - (crashed.kills[kill]?.at ?? 0)]))}`,
      ).toBeLessThanOrEqual(1);
    }
  }
  console.log(`crash test ${channel}/${provider} seed ${settings.seed}: ${twice} message(s) sent twice across kills`);
}
