// The outbox: every message the bot sends goes through here (issue 9, point 2).
//
// - A turn's replies are stored as rows in the turn's transaction (`queueReplies`), then sent by the same process
//   right after the commit (`deliverNow`, awaited by the gateway inside the member's queue, so her messages stay in
//   order), without any rate wait: she is waiting for them.
// - Pushes (notifications, relayed messages, digests; later reminders and broadcasts) are stored the same way by
//   `send` and tried after the commit when the channel's rate limits allow it at once; otherwise the dispatcher sends
//   them when their turn comes. Her replies take their tokens from the same buckets without waiting, so pushes and
//   broadcasts (outbox.bulk) slow down to leave them room.
// - The dispatcher (`dispatch`, looped by `start`) takes only what the fast path did not finish — a crash, a 5xx, a
//   429, a rate limit — in batches of due rows (indexed `status, nextAttemptAt` query with a LIMIT, never the whole
//   queue), claimed with a lease so two instances never send one row twice, oldest first per member.
// - What a channel reports decides the row's fate: a 429 `retry_after` delays that chat's rows only; a 5xx or a
//   network error is retried with backoff (30 s, 1, 2, 4 … min, at most 1 h) and given up after `maxAttempts` with its
//   reason; 403 / Zalo -230 and their kin mark the member unreachable and hold her rows; a closed Zalo window or a
//   channel this process does not serve holds them too. Held rows go out when she next writes, before her replies.
// - One sending lane per member in a process, shared by the fast path and the dispatcher: her next send starts only
//   once the previous one has finished, its progress (`markProgress` / `markSent`) committed — on SQLite that record
//   waits in the writer queue behind other turns. So at most ONE of her messages is ever delivered but not yet
//   recorded, and a kill repeats at most that one. Other members' lanes run side by side.
// - A row may be sent twice only when the process died while its send was in flight (no platform has an idempotent
//   send); a row interrupted midway resumes after the messages it already sent (`progress`).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { renderSaid } from '../../conversation/engine.ts';
import type { Translate } from '../../conversation/flow.ts';
import type {
  ChannelName,
  ChannelUser,
  Delivery,
  DeliveryResult,
  DeliveryTarget,
  OutboundMessage,
} from '../../conversation/messages.ts';
import type { OutboxPort } from '../../conversation/outbox.ts';
import { loggableError, type Clock, type Logger, type Metrics, type Transactor } from '../../conversation/ports.ts';
import { countDelivery } from '../deliveryMetrics.ts';
import { chatReach } from '../../domain/cases.ts';
import type { Language, Member, MemberRepository } from '../../domain/member.ts';
import type { HeldReason, NotificationRepository, OutboxRow, OutboxSummary } from '../../domain/outbox.ts';
import { createKeyedQueue } from '../../conversation/keyedQueue.ts';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimit } from './rate.ts';

export interface OutboxSettings {
  /** Tries of a failing row before it is given up (OUTBOX_MAX_ATTEMPTS). Default 5. */
  maxAttempts: number;
  /** Rows one dispatcher pass claims (OUTBOX_BATCH_SIZE). Default 100. */
  batchSize: number;
  /** How often the dispatcher looks for due rows when nothing woke it (OUTBOX_POLL_MS). Default 1000. */
  pollMs: number;
  /** A claim's lease: a row whose sender died is taken again after this (ms). Default 60 s. */
  leaseMs: number;
  /** Per-channel rate limits (OUTBOX_<CHANNEL>_RATE, OUTBOX_CHAT_RATE, OUTBOX_CHAT_BURST). */
  rates: Record<ChannelName, RateLimit>;
  /** Recipients a dispatcher pass serves side by side (one slow chat does not hold the others). Default 8. */
  concurrency: number;
  /**
   * Stable across restarts and unique among running instances (host and HTTP port), or none. With it, every claim's
   * token names this instance and this start, and `start` frees the rows the previous run of this instance had
   * claimed when it died (SIGKILL, a crash): her replies go out at once after the restart, not a lease later.
   */
  instanceId?: string;
}

export const DEFAULT_OUTBOX_SETTINGS: OutboxSettings = {
  maxAttempts: 5,
  batchSize: 100,
  pollMs: 1000,
  leaseMs: 60_000,
  rates: DEFAULT_RATE_LIMITS,
  concurrency: 8,
};

/** First pause after a failed send; doubled per attempt, capped at MAX_BACKOFF_MS. */
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 3_600_000;

export interface OutboxDeps {
  store: NotificationRepository;
  members: Pick<MemberRepository, 'findById' | 'update'>;
  transactor: Transactor;
  translator: (language: Language) => Translate;
  /** Words to type for an action on channels without buttons. */
  typedFor: (action: string, t: Translate) => string | undefined;
  clock: Clock;
  logger: Logger;
  settings?: Partial<OutboxSettings>;
  /** Counts every send by channel, kind and result (GET /metrics); default none. */
  metrics?: Pick<Metrics, 'delivery'>;
}

export interface Outbox extends OutboxPort {
  /** A channel's delivery path; until one is connected, that channel's rows are held ('channel'). */
  connect(channel: ChannelName, delivery: Delivery): void;
  canDeliver(channel: ChannelName): boolean;
  /**
   * In the turn's transaction: stores her replies (kind 'reply'), behind any row of hers still waiting. Nothing is
   * stored when no delivery is connected for her channel: the caller then shows the returned replies itself.
   * In a unit of work, when no row of hers is pending (the usual turn), the row is stored already claimed by this
   * process (a lease, like a dispatcher's claim) and returned: `deliverNow(id, queued)` after the commit sends it with
   * no claim, order check or member read (the turn made that check and holds her row). Otherwise undefined.
   */
  queueReplies(member: Member, replies: readonly OutboundMessage[], quote?: string): Promise<QueuedReplies | undefined>;
  /** In the turn: what waited for her (held) becomes due now; returns those messages (they go out first). */
  releaseHeld(member: Member): Promise<OutboundMessage[]>;
  /**
   * After the commit: sends her due rows now, in order (replies without rate wait). Never throws. With `queued` (what
   * `queueReplies` claimed in the committed turn): sends that row under its claim instead of claiming her due rows.
   */
  deliverNow(recipientId: string, queued?: QueuedReplies): Promise<void>;
  /**
   * Runs a turn, collecting the recipients of the pushes it queues, so the gateway sends them once the turn has
   * committed and her own replies have gone out. A recipient of a rolled-back attempt only finds nothing due.
   */
  collect<T>(work: () => Promise<T>): Promise<{ result: T; pushedTo: string[] }>;
  /** Sends straight away without storing (the apology for a turn that failed before she existed). Never throws. */
  sendDirect(to: ChannelUser, messages: readonly OutboundMessage[]): Promise<void>;
  /** One dispatcher pass: claims a batch of due rows and sends them; returns how many rows were sent. */
  dispatch(): Promise<number>;
  /** Starts the dispatcher loop (one per process; several processes may run one each). */
  start(): void;
  /**
   * Stops the loop and waits for the sends in progress: a dispatcher pass under way finishes the recipients it has
   * started and lets the others' rows go (sent after the next start, or by another instance at once). Fast-path
   * sends after a commit in progress finish too.
   */
  stop(): Promise<void>;
  /** Resolves when no send is in progress (tests, shutdown). */
  idle(): Promise<void>;
  /** Deletes sent and failed rows created before `before`; returns how many. */
  prune(before: Date): Promise<number>;
  /** For "my data": what the outbox holds for her (counts and dates). */
  summaryOf(memberId: string): Promise<OutboxSummary>;
  /** The broadcast dispatcher's access to the deliveries, limits and lanes (see BulkSender). */
  bulk: BulkSender;
}

/**
 * What the broadcast dispatcher (src/app/broadcasts) shares with the outbox, so bulk traffic and everything else obey
 * one set of limits: the channels' deliveries, the push rate buckets (a member's replies take their tokens without
 * waiting, so bulk sends slow down to leave them room: her replies keep priority) and her sending lane (a bulk send to
 * her never interleaves with a send of her replies).
 */
export interface BulkSender {
  /** The channel's delivery in this process, or undefined. */
  delivery(channel: ChannelName): Delivery | undefined;
  /** The channels this process delivers. */
  channels(): ChannelName[];
  /**
   * 0 and a token taken from the channel's and the chat's buckets; otherwise the wait in ms (nothing taken). `force`:
   * taken anyway (into debt), 0 returned — the second and later messages of one delivery already begun.
   */
  acquire(channel: ChannelName, chatId: string, at: Date, force?: boolean): number;
  /** Runs `work` in her lane: after any send of hers in progress, before the next. */
  inLane<T>(memberId: string, work: () => Promise<T>): Promise<T>;
}

type RowOutcome = 'sent' | 'stopped';

/**
 * A turn's replies stored already claimed (`queueReplies`): the row, its claim's token and her member row as the turn
 * left it. Only meaningful once the turn has committed (a rolled-back turn's value is dropped with its result).
 */
export interface QueuedReplies {
  readonly member: Member;
  readonly token: string;
  readonly row: OutboxRow;
}

export function createOutbox(deps: OutboxDeps): Outbox {
  const settings: OutboxSettings = { ...DEFAULT_OUTBOX_SETTINGS, ...deps.settings };
  const { store, clock, logger } = deps;
  const deliveries = new Map<ChannelName, Delivery>();
  const limiter = new RateLimiter(settings.rates);
  const inFlight = new Set<Promise<unknown>>();
  /** Her sends, one at a time (see the header): the fast path and the dispatcher both go through her lane. */
  const lanes = createKeyedQueue();

  const now = () => clock.now();
  /** Recipients of the pushes queued by the turn running in this async context (see `collect`). */
  const turnPushes = new AsyncLocalStorage<Set<string>>();

  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** A new row of hers must not overtake one that waits (a 429, a backoff): not before the latest of them. */
  async function notBefore(recipientId: string): Promise<Date> {
    return behind(await store.latestNotBefore(recipientId), now());
  }

  const afterCommit = (recipientId: string) =>
    deps.transactor.afterCommit(() => track(deliverNow(recipientId)).then(() => undefined));

  async function send(
    recipient: Member,
    said: Parameters<OutboxPort['send']>[1],
    meta: Parameters<OutboxPort['send']>[2],
  ): Promise<'sent' | 'later' | 'unreachable'> {
    const t = deps.translator(recipient.language);
    const messages = renderSaid(said, t, (a) => deps.typedFor(a, t));
    const reach = chatReach(recipient, now());
    const held: HeldReason | null =
      reach.kind === 'unreachable'
        ? 'unreachable'
        : reach.kind === 'closed'
          ? 'window'
          : deliveries.has(recipient.channel)
            ? null
            : 'channel';
    await store.enqueue({
      recipientId: recipient.id,
      caseId: meta.caseId ?? null,
      kind: meta.kind,
      messages,
      createdAt: now(),
      nextAttemptAt: await notBefore(recipient.id),
      held,
    });
    if (held === 'unreachable') return 'unreachable';
    if (held !== null) return 'later';
    // In a member's turn: the gateway sends it after her replies (`collect`). In another unit: once it has
    // committed. Outside any (a job: escalation, the digest): now, before the caller goes on.
    const collected = turnPushes.getStore();
    if (collected !== undefined) collected.add(recipient.id);
    else if (deps.transactor.inUnit()) afterCommit(recipient.id);
    else await track(deliverNow(recipient.id));
    return 'sent';
  }

  /** Her due rows, claimed; empty when an older row of hers is still on its way elsewhere (it goes first). */
  async function claimFor(recipientId: string, token: string): Promise<OutboxRow[]> {
    const at = now();
    const rows = await store.claim({
      now: at,
      leaseUntil: new Date(at.getTime() + settings.leaseMs),
      token,
      limit: settings.batchSize,
      recipientId,
    });
    return rows;
  }

  async function deliverNow(recipientId: string, queued?: QueuedReplies): Promise<void> {
    try {
      // Claimed inside her lane: a send of hers still recording its progress finishes first.
      await lanes.run(recipientId, async () => {
        if (queued?.member.id === recipientId) {
          // Claimed in the committed turn, which found no row of hers ahead of it: nothing to claim or check.
          await sendRow(queued.row, queued.member, queued.token);
          return;
        }
        const token = newToken();
        const rows = await claimFor(recipientId, token);
        if (rows.length > 0) await sendInOrder(rows, token);
      });
    } catch (error) {
      logger.error({ err: loggableError(error) }, 'outbox: sending after the commit failed');
    }
  }

  /** Rows of one recipient, oldest first: sent one after the other; the first that stops holds the rest back. */
  async function sendInOrder(rows: OutboxRow[], token: string): Promise<number> {
    const first = rows[0];
    if (first === undefined) return 0;
    const ids = rows.map((r) => r.id);
    const release = (from: number) => Promise.all(rows.slice(from).map((r) => store.release(r, token, {})));
    if (await store.hasOlderPending(first.recipientId, first.createdAt, first.id, ids)) {
      // Another sender holds an older row of hers (or it waits): hers go out in order, after it.
      await release(0);
      return 0;
    }
    const member = await deps.members.findById(first.recipientId);
    if (member === null) return 0; // erased meanwhile: her rows went with her
    let sent = 0;
    for (const [index, row] of rows.entries()) {
      const outcome = await sendRow(row, member, token);
      if (outcome === 'stopped') {
        await release(index + 1);
        break;
      }
      sent++;
    }
    return sent;
  }

  async function sendRow(row: OutboxRow, member: Member, token: string): Promise<RowOutcome> {
    const delivery = deliveries.get(member.channel);
    if (delivery === undefined) {
      await store.release(row, token, { held: 'channel' });
      return 'stopped';
    }
    if (member.unreachableAt !== null) {
      await store.release(row, token, { held: 'unreachable' });
      return 'stopped';
    }
    const target: DeliveryTarget = {
      kind: row.kind === 'reply' ? 'reply' : 'push',
      channel: member.channel,
      userId: member.channelUserId,
      lastInboundAt: member.lastInboundAt,
      ...(row.quote === null ? {} : { quote: row.quote }),
      outboxRow: row.id,
    };
    // Her replies never wait, but take their tokens all the same (`force`, into debt if need be): the pushes and the
    // broadcast dispatcher (outbox.bulk) drawing from the same buckets slow down to leave them room, so the channel's
    // rate holds counting her replies and her replies keep priority.
    const reply = row.kind === 'reply';
    for (let index = row.progress; index < row.messages.length; index++) {
      const message = row.messages[index];
      if (message === undefined) break;
      const at = now();
      const wait = limiter.acquire(member.channel, member.channelUserId, at.getTime(), reply);
      if (wait > 0) {
        await store.markProgress(row.id, token, index);
        await store.release(row, token, { nextAttemptAt: new Date(at.getTime() + wait) });
        return 'stopped';
      }
      const result = await attempt(delivery, target, message);
      if (result.kind === 'sent') {
        // Recorded before the next message goes: a process killed later in this row resends only the message that
        // was in flight, not the ones already delivered (the last one is recorded by markSent below).
        if (index + 1 < row.messages.length) await store.markProgress(row.id, token, index + 1);
        continue;
      }
      if (result.kind === 'refused') {
        // This message will never go through as it is (a malformed request): skipped with its reason recorded, so
        // the ones after it still reach her.
        logger.error(
          { row: row.id, channel: member.channel, reason: result.reason },
          'outbox: message refused, skipped',
        );
        await store.markAttempt(row.id, `refused:${result.reason}`);
        continue;
      }
      await store.markProgress(row.id, token, index);
      await settle(row, member, token, result);
      return 'stopped';
    }
    await store.markSent([row.id], now());
    return 'sent';
  }

  async function attempt(
    delivery: Delivery,
    target: Parameters<Delivery['deliver']>[0],
    message: OutboundMessage,
  ): Promise<DeliveryResult> {
    try {
      return countDelivery(deps.metrics, target.channel, target.kind, await delivery.deliver(target, message));
    } catch (error) {
      // A channel reports rather than throws; anything thrown is treated as a transient failure.
      return countDelivery(deps.metrics, target.channel, target.kind, {
        kind: 'failed',
        reason: loggableError(error).name,
      });
    }
  }

  /** What happens to a row whose send did not go through (see the header). */
  async function settle(row: OutboxRow, member: Member, token: string, result: DeliveryResult): Promise<void> {
    const at = now().getTime();
    const where = { row: row.id, kind: row.kind, channel: member.channel, attempts: row.attempts };
    switch (result.kind) {
      case 'sent':
        return;
      case 'retryAfter':
        logger.warn({ ...where, retryAfterMs: result.ms }, 'outbox: rate limited by the platform, that chat waits');
        await store.release(row, token, { nextAttemptAt: new Date(at + result.ms), error: 'retryAfter' });
        return;
      case 'failed': {
        if (row.attempts + 1 >= settings.maxAttempts) {
          logger.error({ ...where, reason: result.reason }, 'outbox: message given up');
          await store.markFailed(row.id, result.reason);
          return;
        }
        const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** row.attempts);
        logger.warn({ ...where, reason: result.reason, backoffMs: backoff }, 'outbox: send failed, will retry');
        await store.release(row, token, {
          nextAttemptAt: new Date(at + backoff),
          error: result.reason,
          countAttempt: true,
        });
        return;
      }
      case 'refused': // skipped in sendRow
        return;
      case 'unreachable': {
        logger.info({ ...where, reason: result.reason }, 'outbox: member unreachable, messages held');
        await deps.members.update(member.id, { unreachableAt: now() });
        const held: HeldReason = result.window === true ? 'window' : 'unreachable';
        await store.release(row, token, { nextAttemptAt: new Date(at), held, error: result.reason });
        await store.holdAll(member.id, held);
        return;
      }
      case 'later': {
        const held: HeldReason = result.reason === 'window' ? 'window' : 'channel';
        await store.release(row, token, { nextAttemptAt: new Date(at), held });
        return;
      }
    }
  }

  /** Set while `stop` waits: a dispatcher pass in progress sends no further recipient. */
  let draining = false;

  async function dispatch(): Promise<number> {
    const at = now();
    const token = newToken();
    // Only rows this instance can deliver: a process without a member's channel (the terminal chat beside a Zalo
    // bot, an instance serving other channels) leaves them to the process that has it, rather than holding them.
    const rows = await store.claim({
      now: at,
      leaseUntil: new Date(at.getTime() + settings.leaseMs),
      token,
      limit: settings.batchSize,
      channels: [...deliveries.keys()],
    });
    if (rows.length === 0) return 0;
    const byRecipient = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const list = byRecipient.get(row.recipientId) ?? [];
      list.push(row);
      byRecipient.set(row.recipientId, list);
    }
    // Each recipient's rows in order; recipients side by side, a few at a time.
    const groups = [...byRecipient.values()];
    let sent = 0;
    for (let i = 0; i < groups.length; i += settings.concurrency) {
      if (draining) {
        // The process is stopping: the recipients not started yet are let go at once, so the next start (or another
        // instance) sends them without waiting for this claim's lease; those under way finish.
        await Promise.all(groups.slice(i).flatMap((group) => group.map((row) => store.release(row, token, {}))));
        break;
      }
      const results = await Promise.all(
        groups.slice(i, i + settings.concurrency).map((group) =>
          lanes
            .run(group[0]!.recipientId, () => sendInOrder(group, token))
            .catch((error: unknown) => {
              logger.error({ err: loggableError(error) }, 'outbox: dispatching failed');
              return 0;
            }),
        ),
      );
      sent += results.reduce((a, b) => a + b, 0);
    }
    return sent;
  }

  let loop: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;

  // A claim's token: `<instance>|<this start>|<random>` when the instance is named (see OutboxSettings.instanceId).
  const instancePrefix = settings.instanceId === undefined ? undefined : `${settings.instanceId}|`;
  const startPrefix = instancePrefix === undefined ? '' : `${instancePrefix}${randomUUID()}|`;
  const newToken = () => `${startPrefix}${randomUUID()}`;

  async function run(): Promise<void> {
    if (instancePrefix !== undefined) {
      // Rows the previous run of this instance was sending when it died. Only an earlier start's tokens match, so
      // this start's own claims (a reply sent after a commit meanwhile) are never freed under it.
      try {
        const freed = await store.releaseAbandoned(instancePrefix, startPrefix);
        if (freed > 0) logger.info({ rows: freed }, 'outbox: rows claimed before a restart taken back');
      } catch (error) {
        logger.error({ err: loggableError(error) }, 'outbox: taking back rows claimed before a restart failed');
      }
    }
    while (!stopping) {
      let claimedFull = false;
      try {
        claimedFull = (await track(dispatch())) >= settings.batchSize;
      } catch (error) {
        logger.error({ err: loggableError(error) }, 'outbox: dispatcher pass failed');
      }
      if (claimedFull) continue;
      await new Promise<void>((resolve) => {
        // A stop that came during the pass (its wake found nobody waiting) ends the loop now, not a poll later.
        if (stopping) {
          resolve();
          return;
        }
        const timer = setTimeout(resolve, settings.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    send,
    countPending: () => store.countPending(),

    connect(channel, delivery) {
      deliveries.set(channel, delivery);
    },
    canDeliver: (channel) => deliveries.has(channel),

    async queueReplies(member, replies, quote) {
      if (replies.length === 0 || !deliveries.has(member.channel)) return undefined;
      const at = now();
      const latest = await store.latestNotBefore(member.id);
      // Claimed at once only in a unit (the check and the insert commit together) with nothing of hers pending
      // ahead, and only when she can be sent to now (the turn clears unreachableAt; a closed window waits).
      const claim =
        latest === null && deps.transactor.inUnit() && member.unreachableAt === null
          ? { token: newToken(), leaseUntil: new Date(at.getTime() + settings.leaseMs) }
          : undefined;
      const messages = [...replies];
      const stored = await store.enqueue({
        recipientId: member.id,
        caseId: null,
        kind: 'reply',
        messages,
        createdAt: at,
        nextAttemptAt: behind(latest, at),
        ...(quote === undefined ? {} : { quote }),
        ...(claim === undefined ? {} : { claim }),
      });
      if (claim === undefined) return undefined;
      const row: OutboxRow = {
        ...stored,
        messages,
        progress: 0,
        held: null,
        attempts: 0,
        lastError: null,
        nextAttemptAt: at,
        quote: quote ?? null,
      };
      return { member, token: claim.token, row };
    },

    async releaseHeld(member) {
      const rows = await store.releaseHeld(member.id, now());
      // No delivery for her channel in this process: the caller shows them with the replies, so they count as sent.
      if (!deliveries.has(member.channel))
        await store.markSent(
          rows.map((r) => r.id),
          now(),
        );
      return rows.flatMap((r) => r.messages.slice(r.progress));
    },

    deliverNow: (recipientId, queued) => track(deliverNow(recipientId, queued)),

    async collect(work) {
      const recipients = new Set<string>();
      const result = await turnPushes.run(recipients, work);
      return { result, pushedTo: [...recipients] };
    },

    async sendDirect(to, messages) {
      const delivery = deliveries.get(to.channel);
      if (delivery === undefined) return;
      for (const message of messages) {
        const result = await attempt(delivery, { ...to, kind: 'reply', lastInboundAt: now() }, message);
        if (result.kind !== 'sent') return;
      }
    },

    dispatch: () => track(dispatch()),

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

    async prune(before) {
      let total = 0;
      for (;;) {
        const count = await store.prune(before, 1000);
        total += count;
        if (count < 1000) return total;
      }
    },

    summaryOf: (memberId) => store.summaryOf(memberId),

    bulk: {
      delivery: (channel) => deliveries.get(channel),
      channels: () => [...deliveries.keys()],
      acquire: (channel, chatId, at, force) => limiter.acquire(channel, chatId, at.getTime(), force === true),
      inLane: (memberId, work) => lanes.run(memberId, work),
    },
  };
}

/** A new row's due time: `at`, or later when a row of hers is due after it (`latest`), so hers go out in order. */
function behind(latest: Date | null, at: Date): Date {
  return latest !== null && latest > at ? latest : at;
}
