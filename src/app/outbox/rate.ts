// Rate limits of the outbox, per channel: token buckets (a bucket holds up to `burst` tokens and refills at `perSecond`;
// a message takes one). Two per message: the channel's overall bucket (Telegram: about 30 messages/s for a bot, so 25
// by default) and the chat's own bucket (Telegram: about 1 message/s per chat, short bursts allowed). Pushes (and
// broadcasts) wait for their tokens; a member's own replies never wait but take theirs anyway (`force`, going into
// debt), so the bulk traffic slows down to leave them room and the channel's rate holds counting them. Times come from the injected clock; nothing here sleeps: a caller told to wait gives the row a not-before
// time and moves on to other chats.
import type { ChannelName } from '../../conversation/messages.ts';

export interface RateLimit {
  /** Messages per second across all chats of the channel (0 or Infinity: no limit). */
  overallPerSecond: number;
  /** Messages per second to one chat. */
  chatPerSecond: number;
  /** Messages one chat may get at once before its rate applies (≥ 1). */
  chatBurst: number;
}

/** Defaults: Telegram's published limits with a margin; Zalo publishes none per chat, so the same prudence. */
export const DEFAULT_RATE_LIMITS: Record<ChannelName, RateLimit> = {
  telegram: { overallPerSecond: 25, chatPerSecond: 1, chatBurst: 3 },
  zalo: { overallPerSecond: 10, chatPerSecond: 1, chatBurst: 3 },
  zalobot: { overallPerSecond: 10, chatPerSecond: 1, chatBurst: 3 },
  console: { overallPerSecond: Infinity, chatPerSecond: Infinity, chatBurst: 1 },
};

class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly perSecond: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  private refill(now: number): void {
    if (now > this.at) this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = Math.max(this.at, now);
  }

  /** Milliseconds until a token is there (0: now). */
  waitMs(now: number): number {
    if (!Number.isFinite(this.perSecond) || this.perSecond <= 0) return 0;
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** Takes a token, going into debt when there is none (a reply that does not wait). */
  take(now: number): void {
    if (!Number.isFinite(this.perSecond) || this.perSecond <= 0) return;
    this.refill(now);
    this.tokens -= 1;
  }

  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }
}

const limited = (perSecond: number) => Number.isFinite(perSecond) && perSecond > 0;

/** Chat buckets kept at most; full (idle) ones are dropped first, so memory follows active chats, not the queue. */
export const MAX_CHAT_BUCKETS = 10_000;

export class RateLimiter {
  private readonly overall = new Map<ChannelName, Bucket>();
  private readonly chats = new Map<string, Bucket>();

  constructor(private readonly limits: Record<ChannelName, RateLimit>) {}

  /**
   * For a push: 0 and a token taken from both buckets when one is there now; otherwise the wait in ms (nothing
   * taken). For a reply (`force`): always 0, the tokens taken anyway.
   */
  acquire(channel: ChannelName, chatId: string, now: number, force = false): number {
    const limit = this.limits[channel];
    const overall = this.bucket(this.overall, channel, limit.overallPerSecond, limit.overallPerSecond, now);
    // No chat limit (console, or limits off): no bucket kept per chat (nothing to remember for a 100,000-chat broadcast).
    const chat = limited(limit.chatPerSecond)
      ? this.bucket(this.chats, `${channel}:${chatId}`, limit.chatPerSecond, limit.chatBurst, now)
      : undefined;
    if (!force) {
      const wait = Math.max(overall.waitMs(now), chat?.waitMs(now) ?? 0);
      if (wait > 0) return wait;
    }
    overall.take(now);
    chat?.take(now);
    return 0;
  }

  /** Chat buckets held now (bounded by MAX_CHAT_BUCKETS; for tests and metrics). */
  chatBuckets(): number {
    return this.chats.size;
  }

  private bucket<K>(map: Map<K, Bucket>, key: K, perSecond: number, burst: number, now: number): Bucket {
    let bucket = map.get(key);
    if (bucket === undefined) {
      if (map.size >= MAX_CHAT_BUCKETS) this.forgetIdle(map, now);
      const size = Number.isFinite(burst) ? Math.max(1, burst) : 1;
      bucket = new Bucket(perSecond, size, now);
      map.set(key, bucket);
    }
    return bucket;
  }

  private forgetIdle<K>(map: Map<K, Bucket>, now: number): void {
    for (const [key, bucket] of map) if (bucket.full(now)) map.delete(key);
    // Still too many (all busy): drop the oldest; at worst one chat gets a fresh burst.
    while (map.size >= MAX_CHAT_BUCKETS) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}
