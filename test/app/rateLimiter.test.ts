// The outbox's rate buckets (src/app/outbox/rate.ts) as a broadcast to a large audience uses them: the achieved rate
// over a long run matches the configured one, and per-chat buckets do not grow with the audience. Clock injected
// (plain numbers of ms): no wall-clock timing.
import { describe, expect, it } from 'vitest';
import { MAX_CHAT_BUCKETS, RateLimiter, DEFAULT_RATE_LIMITS } from '../../src/app/outbox/rate.ts';

/** Sends to distinct chats as the dispatcher does: take tokens while granted, else wait as told. */
function run(limiter: RateLimiter, chats: number, start: number): { times: number[]; end: number } {
  let now = start;
  const times: number[] = [];
  for (let chat = 0; chat < chats;) {
    const wait = limiter.acquire('telegram', String(chat), now);
    if (wait > 0) now += wait;
    else {
      times.push(now);
      chat++;
    }
  }
  return { times, end: now };
}

describe('rate buckets under a large broadcast (clock injected)', () => {
  it('the achieved rate over 2,000 messages after the burst is within 3% of the configured Telegram limit', () => {
    const limiter = new RateLimiter(DEFAULT_RATE_LIMITS);
    const configured = DEFAULT_RATE_LIMITS.telegram.overallPerSecond;
    const { times } = run(limiter, 2000 + configured, 1_000_000);
    // The first `configured` messages are the initial burst (a full bucket); measured after it.
    const after = times.slice(configured);
    const seconds = (after.at(-1)! - after[0]!) / 1000;
    const achieved = (after.length - 1) / seconds;
    expect(Math.abs(achieved - configured) / configured).toBeLessThan(0.03);
    // With the burst counted too, the rate is above the limit by at most one bucket's worth.
    const withBurst = times.length / ((times.at(-1)! - times[0]! + 1000) / 1000);
    expect(withBurst).toBeLessThanOrEqual(configured * 1.03);
  });

  it('keeps at most MAX_CHAT_BUCKETS chat buckets for an audience of 50,000, idle ones evicted', () => {
    const limiter = new RateLimiter(DEFAULT_RATE_LIMITS);
    run(limiter, 50_000, 0);
    expect(limiter.chatBuckets()).toBeLessThanOrEqual(MAX_CHAT_BUCKETS);
  });

  it('keeps no chat bucket at all when the chat rate is off (limits off)', () => {
    const off = { overallPerSecond: Infinity, chatPerSecond: Infinity, chatBurst: 1 };
    const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, telegram: off });
    run(limiter, 20_000, 0);
    expect(limiter.chatBuckets()).toBe(0);
  });
});
