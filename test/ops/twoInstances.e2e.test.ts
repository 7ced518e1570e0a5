// Several instances (issue 15, item 3). Two real bots (`node --import tsx src/main.ts`, Telegram webhook mode) on one
// PostgreSQL database, each on its own HTTP port, in front of one fake Bot API on loopback:
// 1. ~40 members go through first contact and the profile (test/crash/harness.ts: the same scenario as the crash
//    test), each update posted to a seeded random instance, a share of them to BOTH at once (Telegram redelivers; a
//    load balancer retries). Midway one instance gets SIGTERM: it stops accepting, finishes the turns in progress with
//    their replies and exits 0 within SHUTDOWN_TIMEOUT_MS; an update that got no 200 is posted again to the other one.
//    Then every member's profile is stored and she received exactly the transcript of the same scenario run on one
//    instance without any of this (nothing lost, nothing twice, in order).
// 2. The stopped instance starts again; an admin creates an announcement to all of them through the admin command
//    line's service (`broadcasts create`): it is prepared once (one job row, one run in the two logs) and delivered
//    once to every member across both instances, although one of them gets SIGTERM while its sends are in flight.
// 3. The recurring broadcasts tick ran at most once per slot (the `due` of every "job done" line, both logs).
// TWO_SEED replays a run (the seed is printed); TWO_MEMBERS (default 40) sizes it. PostgreSQL only: skipped locally
// without a server, failing under CI (test/helpers/database.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/cli/admin.ts';
import { createConsentRepository } from '../../src/data/consentRepository.ts';
import { PREPARE_JOB } from '../../src/features/broadcasts/service.ts';
import {
  BotProcess,
  distinct,
  freePort,
  scenario,
  sleep,
  telegramPlatform,
  type Platform,
  type Received,
  type Step,
} from '../crash/harness.ts';
import { AREAS_FILE } from '../helpers/chat.ts';
import { freshDatabase, requirePostgres } from '../helpers/database.ts';
import { prng } from '../helpers/random.ts';

/** SHUTDOWN_TIMEOUT_MS of the bots; the exit is asserted within it plus generous slack (a busy machine). */
const SHUTDOWN_MS = 5_000;
const SHUTDOWN_SLACK_MS = 5_000;
/** Share of the updates posted to both instances at once. */
const BOTH_SHARE = 0.3;
const REPLY_WAIT_MS = 45_000;
const ACK_WAIT_MS = 45_000;
const BROADCAST_TEXT = 'Thông báo: họp chi hội tối thứ Sáu lúc 19:00';
/** The officer of the members' commune (Phường Phan Đình Phùng, 05443): her chat is member index OFFICER's. */
const OFFICER = 999;
/** Every TALKER-th member, once her profile is done, asks to talk to an officer (the officer is notified). */
const TALKER = 8;

/** Member i's steps: the crash test's profile scenario, then for some a request to talk to an officer. */
function stepsOf(i: number): Step[] {
  // The menu follows the saved profile: she taps its entry, then says what about.
  const talk: Step[] = [{ tap: 'Nói chuyện với cán bộ Hội' }, { say: `Em cần hỏi về vay vốn ${i}` }];
  return [...scenario(i), ...(i % TALKER === 0 ? talk : [])];
}

/**
 * What a member read, with case numbers and times left out (they depend on which request was stored first and when).
 */
const readable = (messages: Received[]) =>
  messages.map((m) => m.key.replace(/#\d+/g, '#…').replace(/\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/g, '(time)'));

/** The officer of commune 05443 (a member with her area), so that a request to talk notifies her. */
async function seedOfficer(prisma: Awaited<ReturnType<typeof freshDatabase>>['prisma']): Promise<void> {
  const officer = await prisma.member.create({
    data: {
      channel: 'telegram',
      channelUserId: String(7_000_000 + OFFICER),
      displayName: 'Cán bộ Mai',
      language: 'vi',
      role: 'officer',
      communeCode: '05443',
      consentAt: new Date(),
    },
  });
  await prisma.officerArea.create({ data: { memberId: officer.id, communeCode: '05443' } });
}

function settings(): { seed: number; members: number } {
  const seed = Number(process.env.TWO_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const members = Number(process.env.TWO_MEMBERS ?? 40);
  console.log(`two instances: seed ${seed}, ${members} members (replay: TWO_SEED=${seed})`);
  return { seed, members };
}

function botEnv(databaseUrl: string, filesDir: string, port: number, platform: Platform): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: databaseUrl,
    FILES_DIR: filesDir,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    METRICS_PORT: '0', // several bots at once: no shared metrics port
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_MS),
    // debug: the job runner's "job done" lines (counted below); no personal data at any level.
    LOG_LEVEL: 'debug',
    // Limits raised so that the run is about correctness, not the configured pace; quiet hours off (any hour).
    OUTBOX_TELEGRAM_RATE: '1000',
    OUTBOX_POLL_MS: '200',
    JOBS_POLL_MS: '300',
    BROADCAST_HOURS: '00:00-24:00',
    BROADCAST_CONCURRENCY: '2',
    ...platform.env,
  };
}

type Post = (port: number) => Promise<Response>;

/**
 * Every member through the scenario at once (staggered starts), each answering only after she read the bot's reply:
 * with `reference`, as many messages as that run gave her for the step; without, until quiet for `settleMs`.
 * `deliver` gets an update to the bot, returning once some instance answered 200. Returns her message count per step.
 */
async function members(
  platform: Platform,
  count: number,
  random: () => number,
  deliver: (post: Post) => Promise<void>,
  pace: { settleMs: number; reference?: Map<number, number[]> },
  onFirstSend: () => void = () => undefined,
): Promise<Map<number, number[]>> {
  const member = async (i: number) => {
    await sleep(Math.floor(random() * 1500));
    const steps = stepsOf(i);
    const counts: number[] = [];
    for (const [s, step] of steps.entries()) {
      const before = distinct(platform.received(i)).length;
      const update = platform.update(i, step, platform.received(i));
      onFirstSend();
      await deliver(update.post);
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
            `member ${i} got no (full) reply to step ${s} (${JSON.stringify(step)}); ` +
              `she received ${JSON.stringify(all.map((m) => m.key))}`,
          );
        }
        await sleep(20);
      }
      counts.push(distinct(platform.received(i)).length);
    }
    return counts;
  };
  const all = await Promise.all(Array.from({ length: count }, (_, i) => member(i)));
  return new Map(all.map((counts, i) => [i, counts]));
}

/** The reference: the same scenario on one instance, each update posted once. */
async function referenceRun(
  count: number,
  seed: number,
): Promise<{ members: Map<number, { keys: string[]; counts: number[] }>; officer: string[] }> {
  const platform = await telegramPlatform();
  const db = await freshDatabase('postgresql');
  const filesDir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-two-ref-'));
  const port = await freePort();
  const bot = new BotProcess(botEnv(db.url, filesDir, port, platform));
  try {
    await seedOfficer(db.prisma);
    await bot.start();
    // Posted again when no 200 came in time (a very busy machine), as Telegram does; the bot ignores the repeat.
    const deliver = async (post: Post) => {
      const deadline = Date.now() + ACK_WAIT_MS;
      for (;;) {
        const status = await post(port).then(
          (res) => res.status,
          () => 0,
        );
        if (status === 200) return;
        if (Date.now() > deadline) throw new Error(`reference run: no 200 (last: ${status})`);
        await sleep(50);
      }
    };
    const counts = await members(platform, count, prng(seed), deliver, { settleMs: 500 });
    const out = new Map<number, { keys: string[]; counts: number[] }>();
    for (let i = 0; i < count; i++) {
      const keys = readable(platform.received(i));
      // Every message of the scenario differs from the others: a repeat in the main run shows.
      expect(readable(distinct(platform.received(i))), `reference transcript of member ${i}`).toEqual(keys);
      out.set(i, { keys, counts: counts.get(i)! });
    }
    await officerNotified(platform, talkersOf(count));
    return { members: out, officer: readable(platform.received(OFFICER)).sort() };
  } catch (error) {
    console.error(`reference run: bot log tail:\n${bot.tail()}`);
    throw error;
  } finally {
    await bot.kill();
    await platform.close();
    await db.close();
    await rm(filesDir, { recursive: true, force: true });
  }
}

/**
 * Waits (bounded) until the officer's chat got `expected` notifications: her chat has a rate limit of its own
 * (OUTBOX_CHAT_RATE/BURST), so the last notifications of a burst come seconds after the members' last replies.
 */
async function officerNotified(platform: { received(i: number): Received[] }, expected: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (readable(platform.received(OFFICER)).filter((key) => key.includes('🔔')).length < expected) {
    if (Date.now() > deadline) return; // the assertion that follows says what is missing
    await sleep(100);
  }
}

/** How many of `count` members ask to talk to an officer (every TALKER-th). */
function talkersOf(count: number): number {
  return Array.from({ length: count }, (_, i) => i).filter((i) => i % TALKER === 0).length;
}

/** The JSON log lines of a bot's output. */
function logLines(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return []; // a line cut by the pipe's chunking is not one we count on
    }
  });
}

describe('two bot instances on one PostgreSQL database', () => {
  requirePostgres();

  it('serve every member once and in order, under redeliveries to both and a SIGTERM midway; jobs and broadcasts once', async () => {
    const { seed, members: count } = settings();
    const t0 = Date.now();
    const { members: reference, officer: officerReference } = await referenceRun(count, seed);
    const talkers = talkersOf(count);
    expect(officerReference.filter((key) => key.includes('🔔'))).toHaveLength(talkers);
    console.log(`two instances: reference run ${Date.now() - t0} ms`);

    const random = prng(seed ^ 0x2b07);
    const platform = await telegramPlatform();
    const db = await freshDatabase('postgresql');
    const filesDir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-two-'));
    const ports = [await freePort(), await freePort()];
    const bots = ports.map((port) => new BotProcess(botEnv(db.url, filesDir, port, platform), true));
    try {
      await seedOfficer(db.prisma);
      await Promise.all(bots.map((bot) => bot.start()));
      const t1 = Date.now();

      // ---- 1. The profile under load, redeliveries to both, SIGTERM of instance 0 midway -------------------------
      /** Instances that may be posted to: instance 0 leaves once it has exited (posts to it meanwhile are refused). */
      const up = [true, true];
      const stats = { posts: 0, both: 0, refused: 0, reposted: 0 };
      const attempt = async (post: Post, instance: number): Promise<boolean> => {
        stats.posts++;
        try {
          const res = await post(ports[instance]!);
          if (res.status === 200) return true;
        } catch {
          // connection refused or cut: the instance is stopping
        }
        stats.refused++;
        return false;
      };
      const deliver = async (post: Post) => {
        const live = [0, 1].filter((n) => up[n]);
        const both = live.length === 2 && random() < BOTH_SHARE;
        const first = live[Math.floor(random() * live.length)]!;
        if (both) stats.both++;
        const answers = await Promise.all((both ? live : [first]).map((n) => attempt(post, n)));
        if (answers.some(Boolean)) return;
        // No 200: posted again, to an instance still up (as the platform or a load balancer would), until acknowledged.
        const deadline = Date.now() + ACK_WAIT_MS;
        for (;;) {
          stats.reposted++;
          const to = up[1] ? 1 : 0;
          if (await attempt(post, to)) return;
          if (Date.now() > deadline) throw new Error(`an update was never acknowledged (seed ${seed})`);
          await sleep(50);
        }
      };
      const total = Array.from({ length: count }, (_, i) => stepsOf(i).length).reduce((a, b) => a + b, 0);
      const termAfter = Math.floor(total * (0.3 + 0.4 * random()));
      let firstSends = 0;
      const stopping = (async () => {
        while (firstSends < termAfter) await sleep(5);
        const inFlightBefore = stats.posts;
        const result = await bots[0]!.term(SHUTDOWN_MS + SHUTDOWN_SLACK_MS);
        up[0] = false;
        console.log(
          `two instances: SIGTERM after ${termAfter} of ${total} updates (${inFlightBefore} posts so far): exit ` +
            `${String(result.code)} in ${result.ms} ms (bound ${SHUTDOWN_MS} ms)`,
        );
        return result;
      })();
      const counts = new Map([...reference].map(([i, r]) => [i, r.counts]));
      await members(platform, count, random, deliver, { settleMs: 0, reference: counts }, () => firstSends++);
      const shutdown = await stopping;
      console.log(
        `two instances: load ${Date.now() - t1} ms; ${stats.posts} posts, ${stats.both} updates to both, ` +
          `${stats.refused} refused, ${stats.reposted} re-posted`,
      );
      expect(shutdown.code, 'instance 0 exited 0 after SIGTERM').toBe(0);
      expect(shutdown.ms).toBeLessThan(SHUTDOWN_MS + SHUTDOWN_SLACK_MS);
      expect(bots[0]!.output()).toContain('"msg":"stopped"');

      // Her profile is stored; she received exactly the reference transcript (nothing lost, nothing twice, in order).
      const stored = await db.prisma.member.findMany({ where: { channel: 'telegram', role: 'member' } });
      expect(stored).toHaveLength(count);
      for (const row of stored) {
        const i = Number(row.channelUserId) - 7_000_000;
        expect(row, `member ${i}`).toMatchObject({
          displayName: expect.stringContaining('Nguyễn Thị Lan') as unknown,
          communeCode: '05443',
          phone: expect.stringMatching(/^\+8491/) as unknown,
        });
      }
      for (let i = 0; i < count; i++) {
        expect(readable(platform.received(i)), `member ${i}'s transcript (seed ${seed})`).toEqual(
          reference.get(i)!.keys,
        );
      }
      // The officer: each request's notification once (their order depends on the members' pace).
      await officerNotified(platform, talkers);
      expect(readable(platform.received(OFFICER)).sort(), `the officer's messages (seed ${seed})`).toEqual(
        officerReference,
      );
      expect(await db.prisma.case.count()).toBe(talkers);
      const duplicates = bots.reduce(
        (n, bot) => n + logLines(bot.output()).filter((l) => l['msg'] === 'duplicate delivery ignored').length,
        0,
      );
      console.log(`two instances: ${duplicates} redelivered update(s) recognised and ignored`);
      expect(duplicates).toBeGreaterThan(0);

      // ---- 2. An announcement to all of them, across both instances, one stopped while sending --------------------
      await bots[0]!.start();
      up[0] = true;
      const consent = createConsentRepository(db.prisma);
      for (const row of stored) await consent.give(row.id, 'announcements', new Date());
      const admin = await db.prisma.member.create({
        data: { channel: 'telegram', channelUserId: '6999999', displayName: 'Chị Hoa', language: 'vi', role: 'admin' },
      });
      const textFile = path.join(filesDir, 'announcement-vi.txt');
      await writeFile(textFile, BROADCAST_TEXT, 'utf8');
      // Slow sends, so that some are in flight at the SIGTERM below.
      platform.api.delay('sendMessage', 40);
      let out = '';
      let err = '';
      const code = await runAdmin(['broadcasts', 'create', '--text-file', textFile, '--yes', '--as', admin.id], {
        prisma: db.prisma,
        areasFile: AREAS_FILE,
        filesDir,
        out: (text) => (out += text),
        err: (text) => (err += text),
      });
      expect({ code, err }, out).toEqual({ code: 0, err: '' });
      const broadcast = await db.prisma.broadcast.findFirstOrThrow();
      const sentTo = () =>
        platform.api
          .calls('sendMessage')
          .filter((body) => String(body['text']).includes(BROADCAST_TEXT))
          .map((body) => String(body['chat_id']));
      // SIGTERM to instance 1 once a few announcements went out.
      const deadline = Date.now() + 45_000;
      while (sentTo().length < Math.min(6, count)) {
        if (Date.now() > deadline) throw new Error(`the announcement did not start going out (seed ${seed})`);
        await sleep(5);
      }
      const second = await bots[1]!.term(SHUTDOWN_MS + SHUTDOWN_SLACK_MS);
      console.log(
        `two instances: SIGTERM while sending the announcement: exit ${String(second.code)} in ${second.ms} ms`,
      );
      expect(second.code).toBe(0);
      for (;;) {
        const left = await db.prisma.broadcastDelivery.count({
          where: { broadcastId: broadcast.id, status: { in: ['pending', 'sending'] } },
        });
        const prepared = await db.prisma.broadcastDelivery.count({ where: { broadcastId: broadcast.id } });
        if (prepared === count && left === 0) break;
        if (Date.now() > deadline) throw new Error(`${left} of ${prepared} deliveries not sent (seed ${seed})`);
        await sleep(50);
      }
      const deliveries = await db.prisma.broadcastDelivery.findMany({ where: { broadcastId: broadcast.id } });
      expect(deliveries.filter((d) => d.status !== 'sent' || d.uncertain)).toEqual([]);
      const perChat = new Map<string, number>();
      for (const chat of sentTo()) perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      expect(perChat.size, 'members reached').toBe(count);
      expect(
        [...perChat.values()].filter((n) => n !== 1),
        'members who got it more than once',
      ).toEqual([]);

      // ---- 3. Jobs once: the preparation ran once; the recurring tick once per slot ------------------------------
      const prepareJobs = await db.prisma.job.findMany({ where: { kind: PREPARE_JOB } });
      expect(prepareJobs.map((j) => j.status)).toEqual(['done']);
      const done = bots.flatMap((bot) => logLines(bot.output()).filter((l) => l['msg'] === 'job done'));
      expect(done.filter((l) => l['kind'] === PREPARE_JOB)).toHaveLength(1);
      const ticks = done.filter((l) => l['kind'] === 'broadcasts.tick').map((l) => String(l['due']));
      expect(new Set(ticks).size, `tick slots run: ${ticks.join(', ')}`).toBe(ticks.length);
      expect(await db.prisma.job.count({ where: { key: 'recurring:broadcasts.tick' } })).toBe(1);
      console.log(`two instances: ${ticks.length} tick slot(s), each run once; whole test ${Date.now() - t0} ms`);
    } catch (error) {
      for (const [n, bot] of bots.entries()) console.error(`instance ${n} log tail (seed ${seed}):\n${bot.tail()}`);
      throw error;
    } finally {
      await Promise.all(bots.map((bot) => bot.kill()));
      await platform.close();
      await db.close();
      await rm(filesDir, { recursive: true, force: true });
    }
  }, 300_000);
});
