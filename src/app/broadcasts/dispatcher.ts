// The broadcast dispatcher (issue 14, point 2 "Sending"): sends the deliveries written when a broadcast was prepared
// (table BroadcastDelivery, never the outbox's table: a pending broadcast must not hold a member's own replies), within
// the channels' limits shared with the outbox (`outbox.bulk`: deliveries, rate buckets, her sending lane).
//
// One pass (`dispatchOnce`):
// 1. claims a batch of due deliveries of broadcasts in `sending`, for the channels this process delivers, with a
//    lease and a token naming this instance and start (two dispatchers never get one row); outside BROADCAST_HOURS
//    (TIME_ZONE) only urgent broadcasts' rows; `sending` rows whose lease expired (a dead dispatcher) come back marked
//    uncertain;
// 2. reads the batch's recipients in one query and checks each at send time: erased → nothing (her rows went with
//    her); `announcements` consent withdrawn → optedOut; marked unreachable → unreachable (no call); Zalo OA outside
//    the 7-day window (src/domain/cases.ts chatReach) → a promotion message when the broadcast chose it and the rules
//    allow it (ZALO_PROMOTION_ENABLED, ZALO_PROMOTION_HOURS, one per member per day in TIME_ZONE,
//    ZALO_PROMOTION_DAILY_QUOTA a day in all), else notNow with the rule as reason (window, promotionOff,
//    promotionHours, promotionDaily, promotionQuota);
// 3. takes a token per message from the shared buckets (`bulk.acquire`): a wait gives that row a not-before time, the
//    channel's other rows of the batch are let go, and the pass says when to wake (it never sleeps itself);
// 4. a group at a time (markGroup, default BROADCAST_CONCURRENCY): marks them `sending` in one commit (only while the
//    broadcast is still `sending`: a cancel wins) — the same commit marks the previous group's sent rows `sent` —,
//    calls the platform in her lane, at most BROADCAST_CONCURRENCY calls at a time; the pass's last group is marked
//    `sent` in a commit of its own.
// What a channel reports decides the row's fate: 429 retry_after → that chat waits (no attempt counted); 5xx/network
// → backoff 30 s doubling (at most 1 h) up to BROADCAST_MAX_ATTEMPTS, then failed with the reason; 403 / Zalo -230 /
// unfollow → unreachable, the member marked unreachable, never retried; refused → failed with the reason; later →
// notNow with the reason.
// Exactly once as far as platforms allow (none has an idempotent send): a row is `sending` only during its call; a
// process killed then leaves it `sending`; the next start of the same instance (releaseAbandoned), or any dispatcher
// once the lease expired, marks it uncertain and sends it again once — a duplicate beats a missed storm warning. The
// report counts uncertain rows.
import { randomUUID } from 'node:crypto';
import type { Delivery, DeliveryResult, DeliveryTarget, OutboundMessage } from '../../conversation/messages.ts';
import { loggableError, type Clock, type Logger, type Metrics } from '../../conversation/ports.ts';
import { countDelivery } from '../deliveryMetrics.ts';
import type {
  BroadcastDeliveryStore,
  BroadcastRecipient,
  BroadcastToSend,
  ClaimedDelivery,
  DailyWindow,
} from '../../domain/broadcasts.ts';
import { chatReach } from '../../domain/cases.ts';
import type { ChannelName } from '../../domain/channels.ts';
import type { Language, MemberRepository } from '../../domain/member.ts';
import { localParts, zonedTime } from '../../domain/time.ts';
import type { BulkSender } from '../outbox/outbox.ts';

export interface BroadcastDispatcherSettings {
  /** BROADCAST_HOURS: non-urgent broadcasts are sent only inside this window (TIME_ZONE). Default 07:00-21:00. */
  hours: DailyWindow;
  /** BROADCAST_MAX_ATTEMPTS: tries of a delivery failing with 5xx / network errors. Default 5. */
  maxAttempts: number;
  /** BROADCAST_BATCH_SIZE: deliveries one pass claims. Default 500. */
  batchSize: number;
  /** BROADCAST_CONCURRENCY: platform calls under way at a time in this dispatcher. Default 8. */
  concurrency: number;
  /**
   * Deliveries marked `sending` (and then `sent`) in one commit, their calls `concurrency` at a time. Default 0: the
   * same as `concurrency` (a row is `sending` only while its call is under way). Larger groups mean fewer commits
   * (faster on a slow disk) but a process killed during a group leaves up to this many rows `sending`, each sent
   * again once after the restart (marked uncertain): more possible duplicates.
   */
  markGroup: number;
  /** ZALO_PROMOTION_*: Zalo OA promotion messages (REFERENCE.md "Channels and their rules"). */
  promotion: { enabled: boolean; hours: DailyWindow; dailyQuota: number };
  /** A claim's lease (ms): a row whose dispatcher died is taken again after this. Default 60 s. */
  leaseMs: number;
  /** How often the loop looks for due rows when nothing is due sooner (ms). Default 1000. */
  pollMs: number;
  /** How long a broadcast's texts are cached by id (ms of the injected clock). Default 60 s. */
  cacheMs: number;
  /** As OutboxSettings.instanceId: stable across restarts, unique among running instances. */
  instanceId?: string;
}

export const DEFAULT_DISPATCHER_SETTINGS: BroadcastDispatcherSettings = {
  hours: { start: { hour: 7, minute: 0 }, end: { hour: 21, minute: 0 } },
  maxAttempts: 5,
  batchSize: 500,
  concurrency: 8,
  markGroup: 0,
  promotion: {
    enabled: false,
    hours: { start: { hour: 8, minute: 0 }, end: { hour: 22, minute: 0 } },
    dailyQuota: 0,
  },
  leaseMs: 60_000,
  pollMs: 1000,
  cacheMs: 60_000,
};

/** First pause after a failed send; doubled per attempt, capped (as in the outbox). */
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 3_600_000;

export interface BroadcastDispatcherDeps {
  store: BroadcastDeliveryStore;
  /** The outbox's deliveries, rate buckets and lanes (Outbox.bulk). */
  bulk: BulkSender;
  /** To mark a member unreachable (403, unfollow). */
  members: Pick<MemberRepository, 'update'>;
  /** The messages of a broadcast in a language (the core service's `render`: text, photo, button). */
  render: (broadcast: BroadcastToSend, language: Language) => OutboundMessage[];
  clock: Clock;
  logger: Logger;
  /** Counts every send (kind 'broadcast') by channel and result (GET /metrics); default none. */
  metrics?: Pick<Metrics, 'delivery'>;
  /** TIME_ZONE: quiet hours, promotion hours and days. */
  timeZone: string;
  settings?: Partial<BroadcastDispatcherSettings>;
}

/** What one pass did. */
export interface DispatchPass {
  claimed: number;
  sent: number;
  /** A rate bucket said to wait: the loop wakes after this (ms of the clock); null: nothing said. */
  waitMs: number | null;
}

export interface BroadcastDispatcher {
  /** One pass (see the header). Never sleeps: a wait is returned in `waitMs`. */
  dispatchOnce(): Promise<DispatchPass>;
  /** Starts the loop (one per process; several processes may run one each, on one database). */
  start(): void;
  /** Stops the loop: the deliveries under way finish, the rest of the batch is let go at once. */
  stop(): Promise<void>;
  /** Resolves when no pass is in progress. */
  idle(): Promise<void>;
}

/** Whether `at` is inside the daily window in `timeZone` (start inclusive, end exclusive). */
export function insideWindow(at: Date, window: DailyWindow, timeZone: string): boolean {
  const p = localParts(at, timeZone);
  const minutes = p.hour * 60 + p.minute;
  return minutes >= window.start.hour * 60 + window.start.minute && minutes < window.end.hour * 60 + window.end.minute;
}

/** The start of `at`'s calendar day in `timeZone` (the promotion rules count per local day). */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  return zonedTime({ ...localParts(at, timeZone), hour: 0, minute: 0 }, timeZone);
}

/**
 * A promotion message is one message (one a day per member): the rendered broadcast folded into at most two parts the
 * Zalo channel sends as ONE promotion — its photo (uncaptioned: the banner, kept by the channel for the next part)
 * then its texts joined, with the button of its last choices. Without a button, the photo carries the text itself.
 */
export function asOnePromotion(messages: readonly OutboundMessage[]): OutboundMessage[] {
  const photo = messages.find((m) => m.kind === 'photo');
  const texts = messages.flatMap((m) => (m.kind === 'photo' ? (m.caption ? [m.caption] : []) : [m.text]));
  const choices = [...messages].reverse().find((m) => m.kind === 'choices');
  const text = texts.join('\n\n');
  if (choices === undefined) {
    if (photo === undefined) return text === '' ? [] : [{ kind: 'text', text }];
    return [{ kind: 'photo', ref: photo.ref, ...(text === '' ? {} : { caption: text }) }];
  }
  return [
    ...(photo === undefined ? [] : [{ kind: 'photo' as const, ref: photo.ref }]),
    { kind: 'choices', text, choices: choices.choices, freeText: choices.freeText },
  ];
}

/** `work` on each item, at most `limit` at a time; the results in the items' order. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      results[k] = await work(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

type Plan =
  | {
      kind: 'send';
      row: ClaimedDelivery;
      recipient: BroadcastRecipient;
      broadcast: BroadcastToSend;
      via: 'cs' | 'promotion' | null;
    }
  | { kind: 'end'; row: ClaimedDelivery; status: 'optedOut' | 'unreachable' | 'notNow'; reason: string }
  | { kind: 'release'; row: ClaimedDelivery }
  | { kind: 'gone'; row: ClaimedDelivery };

export function createBroadcastDispatcher(deps: BroadcastDispatcherDeps): BroadcastDispatcher {
  const settings: BroadcastDispatcherSettings = { ...DEFAULT_DISPATCHER_SETTINGS, ...deps.settings };
  const { store, bulk, clock, logger, timeZone } = deps;
  const now = () => clock.now();

  const instancePrefix = settings.instanceId === undefined ? undefined : `${settings.instanceId}|`;
  const startPrefix = instancePrefix === undefined ? '' : `${instancePrefix}${randomUUID()}|`;
  const newToken = () => `${startPrefix}${randomUUID()}`;

  const cache = new Map<
    number,
    { broadcast: BroadcastToSend; at: number; rendered: Map<Language, OutboundMessage[]> }
  >();

  async function broadcastsOf(ids: number[]): Promise<Map<number, BroadcastToSend>> {
    const at = now().getTime();
    const stale = [...new Set(ids)].filter((id) => {
      const hit = cache.get(id);
      return hit === undefined || at - hit.at > settings.cacheMs;
    });
    if (stale.length > 0) {
      const fresh = await store.broadcasts(stale);
      for (const id of stale) {
        const broadcast = fresh.get(id);
        if (broadcast === undefined) cache.delete(id);
        else cache.set(id, { broadcast, at, rendered: new Map() });
      }
    }
    const result = new Map<number, BroadcastToSend>();
    for (const id of ids) {
      const hit = cache.get(id);
      if (hit !== undefined) result.set(id, hit.broadcast);
    }
    return result;
  }

  function rendered(broadcast: BroadcastToSend, language: Language): OutboundMessage[] {
    const hit = cache.get(broadcast.id);
    const known = hit?.rendered.get(language);
    if (known !== undefined) return known;
    const messages = deps.render(broadcast, language);
    hit?.rendered.set(language, messages);
    return messages;
  }

  /** Decides, at send time, what happens to each claimed row (see the header, step 2). */
  async function plan(rows: ClaimedDelivery[], at: Date): Promise<Plan[]> {
    const [recipients, broadcasts] = await Promise.all([
      store.recipients(rows.map((r) => r.memberId)),
      broadcastsOf(rows.map((r) => r.broadcastId)),
    ]);
    const dayStart = startOfLocalDay(at, timeZone);
    let promotionsToday: number | undefined;
    const promotedNow = new Set<string>();
    const plans: Plan[] = [];
    for (const row of rows) {
      const broadcast = broadcasts.get(row.broadcastId);
      const recipient = recipients.get(row.memberId);
      if (broadcast?.status !== 'sending') {
        plans.push({ kind: 'release', row });
        continue;
      }
      if (recipient === undefined) {
        plans.push({ kind: 'gone', row });
        continue;
      }
      if (!recipient.announcements) {
        plans.push({ kind: 'end', row, status: 'optedOut', reason: 'announcements' });
        continue;
      }
      if (recipient.unreachableAt !== null) {
        plans.push({ kind: 'end', row, status: 'unreachable', reason: 'unreachable' });
        continue;
      }
      if (bulk.delivery(recipient.channel) === undefined) {
        plans.push({ kind: 'release', row });
        continue;
      }
      if (recipient.channel !== 'zalo') {
        plans.push({ kind: 'send', row, recipient, broadcast, via: null });
        continue;
      }
      if (chatReach(recipient, at).kind !== 'closed') {
        plans.push({ kind: 'send', row, recipient, broadcast, via: 'cs' });
        continue;
      }
      // Outside the 7-day window: a promotion message, if chosen and allowed (REFERENCE.md; the rules as settings).
      const refuse = (reason: string) => plans.push({ kind: 'end', row, status: 'notNow', reason });
      if (broadcast.zaloOutsideWindow !== 'promotion') refuse('window');
      else if (!settings.promotion.enabled) refuse('promotionOff');
      else if (!insideWindow(at, settings.promotion.hours, timeZone)) refuse('promotionHours');
      else if (promotedNow.has(recipient.id) || (await store.promotionSentTo(recipient.id, dayStart)))
        refuse('promotionDaily');
      else {
        promotionsToday ??= await store.promotionsSince(dayStart);
        if (promotionsToday >= settings.promotion.dailyQuota) refuse('promotionQuota');
        else {
          promotionsToday++;
          promotedNow.add(recipient.id);
          plans.push({ kind: 'send', row, recipient, broadcast, via: 'promotion' });
        }
      }
    }
    return plans;
  }

  async function attempt(
    delivery: Delivery,
    target: DeliveryTarget,
    message: OutboundMessage,
  ): Promise<DeliveryResult> {
    try {
      return countDelivery(deps.metrics, target.channel, 'broadcast', await delivery.deliver(target, message));
    } catch (error) {
      // A channel reports rather than throws; anything thrown is a transient failure.
      return countDelivery(deps.metrics, target.channel, 'broadcast', {
        kind: 'failed',
        reason: loggableError(error).name,
      });
    }
  }

  /** Sends every message of one delivery; the first message's token was taken by the caller. */
  async function sendOne(item: Extract<Plan, { kind: 'send' }>): Promise<DeliveryResult> {
    const { recipient, broadcast, via } = item;
    const delivery = bulk.delivery(recipient.channel);
    if (delivery === undefined) return { kind: 'later', reason: 'channel' };
    const target: DeliveryTarget = {
      kind: 'push',
      channel: recipient.channel,
      userId: recipient.channelUserId,
      lastInboundAt: recipient.lastInboundAt,
      ...(via === 'promotion' ? { via: 'promotion' as const } : {}),
    };
    const all = rendered(broadcast, recipient.language);
    const messages = via === 'promotion' ? asOnePromotion(all) : all;
    for (const [index, message] of messages.entries()) {
      // A delivery begun goes out whole: its later messages take their tokens without waiting (into debt).
      if (index > 0) bulk.acquire(recipient.channel, recipient.channelUserId, now(), true);
      const result = await attempt(delivery, target, message);
      if (result.kind === 'sent') continue;
      if (index > 0 && via !== 'promotion') {
        // Its first message reached her: retrying would send that again. Counted as sent; the rest is logged.
        logger.warn(
          { delivery: item.row.id, channel: recipient.channel, result: result.kind },
          'broadcasts: a later message of a delivery did not go through',
        );
        return { kind: 'sent' };
      }
      return result;
    }
    return { kind: 'sent' };
  }

  /** What happens to a delivery whose send did not go through (see the header). */
  async function settle(row: ClaimedDelivery, token: string, result: DeliveryResult): Promise<void> {
    const at = now().getTime();
    const where = { delivery: row.id, channel: row.channel, attempts: row.attempts };
    switch (result.kind) {
      case 'sent':
        return;
      case 'retryAfter':
        logger.warn({ ...where, retryAfterMs: result.ms }, 'broadcasts: rate limited by the platform, that chat waits');
        await store.settle(row.id, token, {
          retryAt: new Date(at + result.ms),
          reason: 'retryAfter',
          countAttempt: false,
        });
        return;
      case 'failed': {
        if (row.attempts + 1 >= settings.maxAttempts) {
          logger.error({ ...where, reason: result.reason }, 'broadcasts: delivery given up');
          await store.settle(row.id, token, { status: 'failed', reason: result.reason });
          return;
        }
        const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** row.attempts);
        await store.settle(row.id, token, {
          retryAt: new Date(at + backoff),
          reason: result.reason,
          countAttempt: true,
        });
        return;
      }
      case 'refused':
        logger.error({ ...where, reason: result.reason }, 'broadcasts: delivery refused by the platform');
        await store.settle(row.id, token, { status: 'failed', reason: result.reason });
        return;
      case 'unreachable':
        if (result.window === true) {
          await store.settle(row.id, token, { status: 'notNow', reason: 'window' });
          return;
        }
        await store.settle(row.id, token, { status: 'unreachable', reason: result.reason });
        await deps.members.update(row.memberId, { unreachableAt: now() });
        return;
      case 'later':
        await store.settle(row.id, token, { status: 'notNow', reason: result.reason });
        return;
    }
  }

  /** Set while `stop` waits: a pass in progress starts no further delivery. */
  let draining = false;

  async function dispatchOnce(): Promise<DispatchPass> {
    const at = now();
    const token = newToken();
    const rows = await store.claim({
      now: at,
      leaseUntil: new Date(at.getTime() + settings.leaseMs),
      token,
      limit: settings.batchSize,
      channels: bulk.channels(),
      urgentOnly: !insideWindow(at, settings.hours, timeZone),
    });
    if (rows.length === 0) return { claimed: 0, sent: 0, waitMs: null };
    const plans = await plan(rows, at);
    const toRelease: string[] = [];
    for (const p of plans) {
      if (p.kind === 'release') toRelease.push(p.row.id);
      else if (p.kind === 'end') await store.settle(p.row.id, token, { status: p.status, reason: p.reason });
    }
    const sends = plans.filter((p): p is Extract<Plan, { kind: 'send' }> => p.kind === 'send');
    const blocked = new Map<ChannelName, number>();
    let sent = 0;
    let waitMs: number | null = null;
    // Rows are marked `sending` a group at a time, in the commit that marks the previous group's calls `sent` (one
    // commit per group; never more than one group `sending`); within a group at most `concurrency` platform calls run
    // at once. The last group's `sent` is committed alone at the end of the pass.
    const group = Math.max(settings.concurrency, settings.markGroup);
    let sentIds: string[] = [];
    for (let i = 0; i < sends.length; i += group) {
      const chunk = sends.slice(i, i + group);
      if (draining) {
        toRelease.push(...sends.slice(i).map((s) => s.row.id));
        break;
      }
      const granted: typeof chunk = [];
      for (const item of chunk) {
        const channel = item.recipient.channel;
        if (blocked.has(channel)) {
          toRelease.push(item.row.id);
          continue;
        }
        const wait = bulk.acquire(channel, item.recipient.channelUserId, now());
        if (wait > 0) {
          // This row waits for its token; the channel's others in this batch are let go (claimed again later).
          blocked.set(channel, wait);
          waitMs = waitMs === null ? wait : Math.min(waitMs, wait);
          await store.settle(item.row.id, token, {
            retryAt: new Date(now().getTime() + wait),
            reason: 'rate',
            countAttempt: false,
          });
          continue;
        }
        granted.push(item);
      }
      if (granted.length === 0) continue;
      const via = new Map<string, 'cs' | 'promotion'>();
      for (const item of granted) if (item.via !== null) via.set(item.row.id, item.via);
      // Committed before any call: a kill during the calls leaves these `sending` (uncertain after the restart).
      const marked = new Set(
        await store.markSending(
          granted.map((g) => g.row.id),
          token,
          via,
          { ids: sentIds, at: now() },
        ),
      );
      sent += sentIds.length;
      sentIds = [];
      const going = granted.filter((g) => marked.has(g.row.id));
      toRelease.push(...granted.filter((g) => !marked.has(g.row.id)).map((g) => g.row.id));
      const results = await inPool(going, settings.concurrency, (item) =>
        bulk
          .inLane(item.row.memberId, () => sendOne(item))
          .catch((error: unknown): DeliveryResult => ({ kind: 'failed', reason: loggableError(error).name })),
      );
      for (const [k, result] of results.entries()) {
        const item = going[k]!;
        if (result.kind === 'sent') sentIds.push(item.row.id);
        else await settle(item.row, token, result);
      }
    }
    await store.markSent(sentIds, token, now());
    sent += sentIds.length;
    await store.release(toRelease, token);
    return { claimed: rows.length, sent, waitMs };
  }

  const inFlight = new Set<Promise<unknown>>();
  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  let loop: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;

  async function run(): Promise<void> {
    if (instancePrefix !== undefined) {
      try {
        const freed = await store.releaseAbandoned(instancePrefix, startPrefix);
        if (freed > 0) logger.info({ rows: freed }, 'broadcasts: deliveries claimed before a restart taken back');
      } catch (error) {
        logger.error(
          { err: loggableError(error) },
          'broadcasts: taking back deliveries claimed before a restart failed',
        );
      }
    }
    while (!stopping) {
      let pause = settings.pollMs;
      try {
        const pass = await track(dispatchOnce());
        if (pass.waitMs !== null) {
          // Rate-limited: the buckets hold about a second's worth, so waking within a second loses no rate.
          pause = Math.max(pass.waitMs, Math.min(settings.pollMs, 200));
        } else if (pass.claimed >= settings.batchSize) pause = 0;
      } catch (error) {
        logger.error({ err: loggableError(error) }, 'broadcasts: dispatcher pass failed');
      }
      if (pause === 0) continue;
      await new Promise<void>((resolve) => {
        if (stopping) {
          resolve();
          return;
        }
        const timer = setTimeout(resolve, pause);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    dispatchOnce: () => track(dispatchOnce()),
    start() {
      if (loop !== undefined) return;
      stopping = false;
      loop = run();
    },
    async stop() {
      stopping = true;
      draining = true;
      wake?.();
      try {
        await loop;
        loop = undefined;
        await this.idle();
      } finally {
        draining = false;
      }
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
