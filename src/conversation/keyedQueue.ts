// Runs tasks one after another per key (a member, a chat), in arrival order, while different keys run in parallel.
// Used by the bot gateway (a member's quick taps must not race on her conversation state) and by the channels
// (a chat's replies go out in order even when updates are processed concurrently). Bookkeeping only: an entry
// disappears as soon as its key has nothing left to run; across processes the state's version check takes over.

export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Resolves when no task is queued or running (for a graceful stop). */
  idle(): Promise<void>;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<void>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      // A failed task does not block the ones after it.
      const result = previous.then(task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    async idle() {
      while (tails.size > 0) await Promise.all(tails.values());
    },
  };
}
