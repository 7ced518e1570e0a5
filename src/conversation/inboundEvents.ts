// Durable inbound events: a webhook whose platform does not redeliver (Zalo OA) stores each event before it answers,
// and a processor hands the stored events to the channel afterwards. So an acknowledged event survives a crash: on
// start-up (and every poll) the processor takes what was stored and not yet handled.
//
//   webhook: verify → store (InboundEventStore.add, durable) → 200 → processor.kick()
//   processor: claim the next event of each member (leased) → handler → done | retry with backoff | failed
//
// - Order: a member's events are handled one at a time, in the order they were stored; members run side by side.
// - Two instances never handle one event at once: a claim is a conditional update with a lease (lockedBy,
//   lockedUntil), renewed while the handler runs; an event whose instance died is taken again when its lease expires.
// - Once-only effects still rest on the turn's handled mark (ProcessedInbound, claimed in the turn's transaction in
//   app/bot.ts): an event handled again after a crash between its turn's commit and `done` changes nothing twice.
// - A failing event is retried with exponential backoff and, after `maxAttempts`, kept as failed with the error's
//   name and code (never its message: it can quote what the member wrote).
// - The payload carries what the member wrote (personal data): cleared once handled (the key stays for
//   de-duplication). Handled and failed events are deleted with the member and pruned after the retention period,
//   both through the personal-data registry (the 'inboundEvents' kind, src/app/personalData.ts).
// The store's port is here so that any channel (Zalo OA, later the Zalo Bot webhook or Telegram's) can use it;
// src/data/inboundEventStore.ts implements it on the database, `memoryInboundEventStore` below for tests.
import type { ChannelName } from './messages.ts';
import { loggableError, systemClock, type Clock, type Logger } from './ports.ts';

export const INBOUND_EVENT_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type InboundEventStatus = (typeof INBOUND_EVENT_STATUSES)[number];

/** An event to store: `payload` is the channel's own minimal JSON of the event (known fields only). */
export interface NewInboundEvent {
  channel: ChannelName;
  /** The platform's de-duplication key (≤ 200 characters). */
  eventKey: string;
  /** The member's platform id: her events are handled in order. */
  userId: string;
  payload: string;
  /** The platform's time of the event. */
  occurredAt: Date;
  receivedAt: Date;
}

export interface InboundEvent extends NewInboundEvent {
  id: number;
  status: InboundEventStatus;
  /** Attempts so far, this one included once claimed. */
  attempts: number;
  lockedBy: string | null;
}

export interface InboundEventStore {
  /** Stores an event (committed when this resolves); false when one with the same channel + key was stored before. */
  add(event: NewInboundEvent): Promise<boolean>;
  /**
   * Claims up to `limit` events of a channel, at most one per member and only the member's earliest unhandled event
   * (pending and due, or running with an expired lease): each is marked running for `lockedBy` until `lockedUntil`.
   */
  claim(options: {
    channel: ChannelName;
    now: Date;
    lockedBy: string;
    lockedUntil: Date;
    limit: number;
  }): Promise<InboundEvent[]>;
  /**
   * Gives back the running events of a channel claimed by `lockedBy` (this instance's previous life, which died):
   * they are taken again at once instead of after their lease. Returns how many.
   */
  release(channel: ChannelName, lockedBy: string, now: Date): Promise<number>;
  /** Extends a claim; false when the claim was lost (another instance took the event after the lease ran out). */
  renew(event: InboundEvent, lockedUntil: Date): Promise<boolean>;
  /** Marks a claimed event handled and clears its payload. */
  done(event: InboundEvent, now: Date): Promise<void>;
  /** Gives a claimed event back, to be taken again at `retryAt`; `error` is already redacted. */
  retry(event: InboundEvent, error: string, retryAt: Date): Promise<void>;
  /** Keeps a claimed event as failed (no more attempts); `error` is already redacted. */
  fail(event: InboundEvent, error: string, now: Date): Promise<void>;
  /** Deletes events handled or failed before `before`; returns how many. */
  prune(before: Date): Promise<number>;
  /** Counts for /healthz: events waiting (pending or running) and failed ones. */
  counts(channel: ChannelName): Promise<{ waiting: number; failed: number }>;
}

export interface InboundProcessorOptions {
  store: InboundEventStore;
  channel: ChannelName;
  /** Handles one stored event; throws to have it retried (the error's name and code are kept, never its message). */
  handle: (event: InboundEvent) => Promise<void>;
  logger: Logger;
  clock?: Clock;
  /**
   * This instance's name in claims. Give one that is stable across restarts and unique among running instances
   * (main.ts: host name and HTTP port): at start the processor then takes back at once what its previous life left
   * running, rather than waiting for the lease. Default: random (only leases free a dead instance's events).
   */
  instanceId?: string;
  /** A claim lasts this long and is renewed every third of it while the handler runs. Default 30 s. */
  leaseMs?: number;
  /** How often stored events are looked for besides kicks (retries due, leases of dead instances). Default 2 s. */
  pollMs?: number;
  /** Attempts before an event is kept as failed. Default 6. */
  maxAttempts?: number;
  /** First retry delay, doubled each attempt, capped at 5 minutes. Default 1 s. */
  backoffMs?: number;
  /** Events handled at once (of different members). Default 8. */
  concurrency?: number;
}

export interface InboundProcessorStats {
  handled: number;
  retried: number;
  failed: number;
}

export interface InboundProcessor {
  /** Takes what was stored and not handled, then polls. */
  start(): void;
  /** Looks for work now (call after storing an event). */
  kick(): void;
  /** Stops polling and waits for the events in progress. */
  stop(): Promise<void>;
  /** Resolves when nothing stored is due and nothing is in progress (tests, shutdown). */
  idle(): Promise<void>;
  stats(): InboundProcessorStats;
}

const MAX_BACKOFF_MS = 5 * 60_000;

/** See the file comment. Never throws from its timers; the handler's failures become retries. */
export function createInboundProcessor(options: InboundProcessorOptions): InboundProcessor {
  const { store, channel, logger } = options;
  const clock = options.clock ?? systemClock;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 2_000;
  const maxAttempts = options.maxAttempts ?? 6;
  const backoffMs = options.backoffMs ?? 1_000;
  const concurrency = options.concurrency ?? 8;
  const instanceId = options.instanceId ?? `${channel}-${Math.random().toString(36).slice(2, 10)}`;
  const counters: InboundProcessorStats = { handled: 0, retried: 0, failed: 0 };

  const inFlight = new Set<Promise<void>>();
  /** Ids of the events this process is handling: one claimed again (its lease ran out under load) is not run twice. */
  const handling = new Set<number>();
  let pumping: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let claimedTotal = 0;

  async function handleOne(event: InboundEvent): Promise<void> {
    // Renew the lease while the handler runs, so a slow turn is not taken by another instance.
    const renewal = setInterval(
      () => void store.renew(event, new Date(clock.now().getTime() + leaseMs)).catch(() => undefined),
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    renewal.unref();
    try {
      await options.handle(event);
      clearInterval(renewal);
      await store.done(event, clock.now());
      counters.handled++;
    } catch (error) {
      clearInterval(renewal);
      const reason = redactedReason(error);
      const now = clock.now();
      if (event.attempts >= maxAttempts) {
        counters.failed++;
        logger.error({ channel, eventId: event.id, attempts: event.attempts, err: reason }, 'inbound event failed');
        await store.fail(event, reason, now).catch(() => undefined);
      } else {
        counters.retried++;
        const delay = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (event.attempts - 1));
        logger.warn({ channel, eventId: event.id, attempts: event.attempts, err: reason }, 'inbound event retried');
        await store.retry(event, reason, new Date(now.getTime() + delay)).catch(() => undefined);
      }
    }
  }

  async function pumpLoop(): Promise<void> {
    do {
      again = false;
      const room = concurrency - inFlight.size;
      if (room <= 0) return; // a finishing event kicks again
      let batch: InboundEvent[];
      try {
        const now = clock.now();
        batch = await store.claim({
          channel,
          now,
          lockedBy: instanceId,
          lockedUntil: new Date(now.getTime() + leaseMs),
          limit: room,
        });
      } catch (error) {
        logger.error({ channel, err: loggableError(error) }, 'inbound events could not be claimed');
        return; // the next poll tries again
      }
      claimedTotal += batch.length;
      for (const event of batch) {
        if (handling.has(event.id)) continue; // still ours: the claim just renewed its lease
        handling.add(event.id);
        const task = handleOne(event).finally(() => {
          handling.delete(event.id);
          inFlight.delete(task);
          kick();
        });
        inFlight.add(task);
      }
      if (batch.length === room) again = true;
    } while (again && !stopped);
  }

  function kick(): void {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = pumpLoop().finally(() => {
      pumping = null;
      if (again && !stopped) kick();
    });
  }

  function schedule(): void {
    timer = setTimeout(() => {
      kick();
      if (!stopped) schedule();
    }, pollMs);
    timer.unref();
  }

  async function settle(): Promise<void> {
    while (pumping || inFlight.size > 0) {
      if (pumping) await pumping;
      if (inFlight.size > 0) await Promise.all([...inFlight]);
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      if (options.instanceId === undefined) {
        kick();
      } else {
        // What this instance was working on when it died: take it back now (the pump waits for this).
        pumping = store
          .release(channel, instanceId, clock.now())
          .then(
            (count) => {
              if (count > 0) logger.info({ channel, count }, 'inbound events left by a previous run taken back');
            },
            (error: unknown) => logger.error({ channel, err: loggableError(error) }, 'inbound events not released'),
          )
          .finally(() => {
            pumping = null;
            kick();
          });
      }
      schedule();
    },
    kick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await settle();
    },
    async idle() {
      // Until a look for work finds none: an event that became due when its member's earlier one finished is taken.
      for (;;) {
        const before = claimedTotal;
        kick();
        await settle();
        if (stopped || claimedTotal === before) return;
      }
    },
    stats: () => ({ ...counters }),
  };
}

/** What is kept of an error: its name and code, never its message (it can quote what the member wrote). */
export function redactedReason(error: unknown): string {
  const { name, code } = loggableError(error);
  return (code === undefined ? name : `${name} (${String(code)})`).slice(0, 200);
}

/** An InboundEventStore in this process's memory: for tests and a bot without a database. Same rules as the real one. */
export function memoryInboundEventStore(): InboundEventStore {
  const events: (InboundEvent & { runAt: Date; lockedUntil: Date | null; finishedAt: Date | null })[] = [];
  let nextId = 1;
  const isOpen = (e: InboundEvent) => e.status === 'pending' || e.status === 'running';
  const owns = (row: InboundEvent, event: InboundEvent) =>
    row.id === event.id && row.status === 'running' && row.lockedBy === event.lockedBy;
  return {
    async add(event) {
      if (events.some((e) => e.channel === event.channel && e.eventKey === event.eventKey)) return false;
      events.push({
        ...event,
        id: nextId++,
        status: 'pending',
        attempts: 0,
        lockedBy: null,
        runAt: event.receivedAt,
        lockedUntil: null,
        finishedAt: null,
      });
      return true;
    },
    async claim({ channel, now, lockedBy, lockedUntil, limit }) {
      const heads = new Map<string, (typeof events)[number]>();
      for (const e of events) if (e.channel === channel && isOpen(e) && !heads.has(e.userId)) heads.set(e.userId, e);
      const claimed: InboundEvent[] = [];
      for (const e of heads.values()) {
        if (claimed.length >= limit) break;
        const due =
          (e.status === 'pending' && e.runAt <= now) ||
          (e.status === 'running' && e.lockedUntil !== null && e.lockedUntil < now);
        if (!due) continue;
        Object.assign(e, { status: 'running', lockedBy, lockedUntil, attempts: e.attempts + 1 });
        claimed.push({ ...e });
      }
      return claimed;
    },
    async release(channel, lockedBy, now) {
      const mine = events.filter((e) => e.channel === channel && e.status === 'running' && e.lockedBy === lockedBy);
      for (const e of mine) Object.assign(e, { status: 'pending', runAt: now, lockedBy: null, lockedUntil: null });
      return mine.length;
    },
    async renew(event, lockedUntil) {
      const row = events.find((e) => owns(e, event));
      if (row) row.lockedUntil = lockedUntil;
      return row !== undefined;
    },
    async done(event, now) {
      const row = events.find((e) => owns(e, event));
      if (row) Object.assign(row, { status: 'done', payload: '', lockedBy: null, lockedUntil: null, finishedAt: now });
    },
    async retry(event, _error, retryAt) {
      const row = events.find((e) => owns(e, event));
      if (row) Object.assign(row, { status: 'pending', runAt: retryAt, lockedBy: null, lockedUntil: null });
    },
    async fail(event, _error, now) {
      const row = events.find((e) => owns(e, event));
      if (row) Object.assign(row, { status: 'failed', lockedBy: null, lockedUntil: null, finishedAt: now });
    },
    async prune(before) {
      const keep = events.filter((e) => e.finishedAt === null || e.finishedAt >= before);
      const removed = events.length - keep.length;
      events.splice(0, events.length, ...keep);
      return removed;
    },
    async counts(channel) {
      const mine = events.filter((e) => e.channel === channel);
      return { waiting: mine.filter(isOpen).length, failed: mine.filter((e) => e.status === 'failed').length };
    },
  };
}
