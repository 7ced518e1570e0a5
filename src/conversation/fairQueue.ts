// The gateway's turn scheduler with flood control (issue 15). Like keyedQueue, a key's (a member's) tasks run one
// after another in arrival order and different keys run side by side; unlike it:
// - at most `concurrency` tasks run at once (TURN_CONCURRENCY); the others wait, and the next to start is taken
//   round-robin over the waiting keys (one task of each key in turn, oldest waiting key first), so one member's
//   backlog never delays the others by more than one turn each;
// - a key that brought more than `floodMessages` tasks within `floodWindowMs`
//   (FLOOD_MESSAGES in FLOOD_WINDOW_SECONDS) is flooding: her waiting tasks start only when no other key's task is
//   waiting. None is dropped: each still runs, in her order. `onFlood` is called once when she starts flooding (the
//   gateway sends her one polite notice); she stays flooding until a whole window passes without a message from her.
// Time comes from the injected Clock; no timer is set. Memory: one small entry per key with tasks or a message within
// the window; idle entries are swept (at most once per window, on an arrival), so tens of thousands of members who
// wrote once cost nothing after a window.
import type { Clock } from './ports.ts';
import type { KeyedQueue } from './keyedQueue.ts';

/** The settings (config: FLOOD_MESSAGES, FLOOD_WINDOW_SECONDS, TURN_CONCURRENCY); each absent one is unbounded. */
export interface TurnSettings {
  /** Tasks running at once, at least 1. Default: no bound. */
  concurrency?: number;
  /** More than this many counted tasks within the window make a key flooding (at least 1). Default: never. */
  floodMessages?: number;
  /** The window, ms (> 0). Default 10 s. */
  floodWindowMs?: number;
}

export interface FairQueueOptions extends TurnSettings {
  clock: Clock;
  /** Called once when a key starts flooding (the gateway sends her one notice). */
  onFlood?: (key: string) => void;
}

export interface FairQueue extends KeyedQueue {
  /** Runs `task` after the key's earlier tasks; it counts towards the key's flood limit. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** How many keys have an entry (tests: idle entries are evicted). */
  size(): number;
  /** Whether the key is flooding now (tests, metrics). */
  flooding(key: string): boolean;
}

interface Entry {
  /** Arrival times (ms) of her tasks within the window, oldest first; at most floodMessages + 1 kept. */
  arrivals: number[];
  /** Since when she floods (ms), or null. */
  floodingSince: number | null;
  /** Waiting tasks, in arrival order. */
  waiting: (() => void)[];
  running: boolean;
}

export function createFairQueue(options: FairQueueOptions): FairQueue {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? Infinity));
  const limit = Math.max(1, Math.floor(options.floodMessages ?? Infinity));
  const windowMs = Math.max(1, options.floodWindowMs ?? 10_000);
  const entries = new Map<string, Entry>();
  /** Keys with a waiting task and none running, in the order they became ready (a Set keeps insertion order). */
  const ready = new Set<string>();
  let running = 0;
  let lastSweep = options.clock.now().getTime();
  let idleWaiters: (() => void)[] = [];

  const isFlooding = (entry: Entry, now: number): boolean => {
    if (entry.floodingSince === null) return false;
    const last = entry.arrivals[entry.arrivals.length - 1] ?? entry.floodingSince;
    if (now - last >= windowMs) entry.floodingSince = null;
    return entry.floodingSince !== null;
  };

  const sweep = (now: number) => {
    if (now - lastSweep < windowMs) return;
    lastSweep = now;
    for (const [key, entry] of entries) {
      const last = entry.arrivals[entry.arrivals.length - 1];
      if (!entry.running && entry.waiting.length === 0 && (last === undefined || now - last >= windowMs))
        entries.delete(key);
    }
  };

  /** Starts waiting tasks while slots are free: the oldest ready key that is not flooding, else the oldest one. */
  const pump = () => {
    while (running < concurrency && ready.size > 0) {
      const now = options.clock.now().getTime();
      let chosen: string | undefined;
      let fallback: string | undefined;
      for (const key of ready) {
        const entry = entries.get(key);
        if (entry && !isFlooding(entry, now)) {
          chosen = key;
          break;
        }
        fallback ??= key;
      }
      const key = (chosen ?? fallback) as string;
      ready.delete(key);
      const entry = entries.get(key) as Entry;
      const start = entry.waiting.shift() as () => void;
      entry.running = true;
      running++;
      start();
    }
    if (running === 0 && ready.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const finished = (key: string, entry: Entry) => {
    entry.running = false;
    running--;
    // Behind the keys already waiting: round-robin.
    if (entry.waiting.length > 0) ready.add(key);
    else if (entry.arrivals.length === 0) entries.delete(key);
    pump();
  };

  /** Counts a message; true when it makes her start flooding. */
  const count = (entry: Entry, now: number): boolean => {
    const wasFlooding = isFlooding(entry, now);
    entry.arrivals.push(now);
    while (entry.arrivals.length > 0 && now - (entry.arrivals[0] as number) >= windowMs) entry.arrivals.shift();
    if (entry.arrivals.length > limit + 1) entry.arrivals.splice(0, entry.arrivals.length - (limit + 1));
    if (wasFlooding || entry.arrivals.length <= limit) return false;
    entry.floodingSince = now;
    return true;
  };

  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const now = options.clock.now().getTime();
      sweep(now);
      let entry = entries.get(key);
      if (!entry) {
        entry = { arrivals: [], floodingSince: null, waiting: [], running: false };
        entries.set(key, entry);
      }
      const own = entry;
      const tripped = count(own, now);
      // The task is chained here, so it runs in the caller's async context (as with keyedQueue), whichever
      // task's end lets it start.
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const result = gate.then(task);
      own.waiting.push(open);
      // A failed task does not block the ones after it.
      void result.then(
        () => finished(key, own),
        () => finished(key, own),
      );
      if (!own.running && own.waiting.length === 1) ready.add(key);
      if (tripped && options.onFlood) {
        try {
          options.onFlood(key);
        } catch {
          // the notice is a courtesy; her message is handled whatever happens to it
        }
      }
      pump();
      return result;
    },
    idle() {
      if (running === 0 && ready.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    size: () => entries.size,
    flooding(key) {
      const entry = entries.get(key);
      return entry !== undefined && isFlooding(entry, options.clock.now().getTime());
    },
  };
}
