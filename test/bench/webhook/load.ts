// The two load shapes of the webhook bench, for any platform (Telegram, Zalo OA) and any process behind the webhook
// (the bot, a bare echo bot). Latency = the POST sent → the last expected reply received at the fake platform API.
//   closed loop: `members` virtual members, each posts one update and waits for all its replies, then the next;
//     round trips completed within the measured window count (throughput and latency);
//     a warm-up first (not counted), then `seconds` measured: round trips/s and p50/p99.
//   open loop: updates at a fixed rate (member after member, round robin) for `seconds`, whatever the answers:
//     p50/p99, the rate achieved (updates sent/s and completed/s).
// Every wait is bounded: in the closed loop a reply that never comes (REPLY_WAIT_MS) fails the part with the member
// and the count; the open loop counts what is not done OPEN_DRAIN_MS after its last send as unfinished.
import { performance } from 'node:perf_hooks';
import { latencySummary, round, sleep } from './lib.ts';
import { post, type Platform } from './platforms.ts';

const REPLY_WAIT_MS = 60_000;

export interface LoadTarget {
  platform: Platform;
  port: number;
  /** Member indexes taking part (already at the measured question). */
  members: number[];
  /** What each member types (the same each time: a wrong answer, or text for the echo). */
  text: (member: number) => string;
  /** Messages each update gets back. */
  perUpdate: number;
}

async function send(target: LoadTarget, member: number): Promise<void> {
  const { headers, body } = target.platform.update(member, { say: target.text(member) });
  const status = await post(target.port, target.platform.path(), headers, body);
  if (status !== 200) throw new Error(`member ${member}: the webhook answered ${status}`);
}

export interface ClosedResult {
  members: number;
  seconds: number;
  round_trips: number;
  round_trips_per_s: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

export async function closedLoop(target: LoadTarget, warmupSeconds: number, seconds: number): Promise<ClosedResult> {
  const { platform, members, perUpdate } = target;
  const start = performance.now();
  const measureFrom = start + warmupSeconds * 1000;
  const measureTo = measureFrom + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    members.map(async (member) => {
      const key = platform.member(member);
      while (performance.now() < measureTo) {
        const expected = platform.replies.count(key) + perUpdate;
        const sentAt = performance.now();
        await send(target, member);
        const at = await platform.replies.waitFor(key, expected, REPLY_WAIT_MS);
        if (at >= measureFrom && at <= measureTo) latencies.push(at - sentAt);
      }
    }),
  );
  return {
    members: members.length,
    seconds,
    round_trips: latencies.length,
    round_trips_per_s: round(latencies.length / seconds),
    ...latencySummary(latencies),
  };
}

export interface OpenResult {
  rate_target_per_s: number;
  seconds: number;
  sent: number;
  sent_per_s: number;
  completed_per_s: number;
  /** Updates whose replies had not all come OPEN_DRAIN_MS after the last send (an overloaded bot), or refused. */
  unfinished: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

/** After the last send, how long the open loop waits for the replies still due before counting them unfinished. */
const OPEN_DRAIN_MS = 60_000;

export async function openLoop(target: LoadTarget, rate: number, seconds: number): Promise<OpenResult> {
  const { platform, members, perUpdate } = target;
  const total = Math.max(1, Math.round(rate * seconds));
  const expected = new Map(members.map((m) => [m, platform.replies.count(platform.member(m))]));
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const drainBy = start + seconds * 1000 + OPEN_DRAIN_MS;
  let lastCompletion = start;
  let unfinished = 0;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const member = members[i % members.length]!;
    const want = expected.get(member)! + perUpdate;
    expected.set(member, want);
    const sentAt = performance.now();
    pending.push(
      send(target, member)
        .then(() => platform.replies.waitFor(platform.member(member), want, Math.max(1, drainBy - performance.now())))
        .then(
          (at) => {
            latencies.push(at - sentAt);
            lastCompletion = Math.max(lastCompletion, at);
          },
          () => {
            unfinished++;
          },
        ),
    );
  }
  const sentSeconds = (performance.now() - start) / 1000;
  await Promise.all(pending);
  return {
    rate_target_per_s: rate,
    seconds,
    sent: total,
    sent_per_s: round(total / sentSeconds),
    completed_per_s: round(latencies.length / ((lastCompletion - start) / 1000)),
    unfinished,
    ...latencySummary(latencies),
  };
}
