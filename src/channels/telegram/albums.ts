// Telegram albums: the photos of an album arrive as separate updates sharing a media_group_id, with no end marker.
// Each part is kept in a PendingPartStore (the database in production: a restart loses none, and the webhook is
// answered only once the part is stored); when no new part has come for `gapMs` (ALBUM_GAP_MS, default 1.5 s) the
// album is handed to the bot as ONE message with every photo and the caption. A later message from the same chat
// hands a waiting album over first, so the member's messages keep their order.
import type { InboundMessage, PendingPart, PendingPartStore } from '../../conversation/messages.ts';
import { loggableError, type Clock, type Logger } from '../../conversation/ports.ts';

const CHANNEL = 'telegram';
/** Parts already handed over are forgotten after this (long enough to recognise a redelivered part). */
const KEEP_DONE_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

export const DEFAULT_ALBUM_GAP_MS = 1500;

export interface AlbumCollector {
  /** Keeps a part (a redelivered one changes nothing) and (re)starts its album's wait. */
  add(part: PendingPart): Promise<void>;
  /** Hands over at once any album this chat has waiting (before one of her later messages). */
  flushChat(chatId: string): Promise<void>;
  /** After a start: picks up the albums left waiting by the previous run. */
  recover(): Promise<void>;
  /** Cancels the waits (the parts stay stored) and waits for hand-overs in progress. */
  stop(): Promise<void>;
  /** Resolves when no album is waiting or being handed over (tests). */
  idle(): Promise<void>;
}

export function createAlbumCollector(options: {
  store: PendingPartStore;
  gapMs: number;
  clock: Clock;
  logger: Logger;
  /** Hands a complete album to the bot and sends the replies (the channel's own per-chat order applies). */
  deliver: (chatId: string, message: InboundMessage) => Promise<void>;
}): AlbumCollector {
  const { store, gapMs, clock, logger } = options;
  const waiting = new Map<string, { chatId: string; timer: NodeJS.Timeout }>();
  const running = new Set<Promise<void>>();
  let lastPrune = 0;
  let stopped = false;

  function schedule(groupId: string, chatId: string, delayMs: number): void {
    const previous = waiting.get(groupId);
    if (previous) clearTimeout(previous.timer);
    if (stopped) return;
    const timer = setTimeout(() => void track(flush(groupId)), Math.max(0, delayMs));
    waiting.set(groupId, { chatId, timer });
  }

  function track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((error: unknown) => {
      logger.error({ err: loggableError(error) }, 'telegram album hand-over failed');
    });
    running.add(tracked);
    void tracked.finally(() => running.delete(tracked));
    return tracked;
  }

  async function flush(groupId: string): Promise<void> {
    const entry = waiting.get(groupId);
    if (entry) clearTimeout(entry.timer);
    waiting.delete(groupId);
    const parts = (await store.open(CHANNEL, groupId)).sort((a, b) => order(a) - order(b));
    const first = parts[0];
    if (first === undefined) return;
    const now = clock.now();
    const caption = parts.find((p) => p.caption !== undefined && p.caption.trim() !== '')?.caption;
    const message: InboundMessage = {
      channel: CHANNEL,
      userId: first.userId,
      // The first part's id: the gateway's de-duplication then makes a second hand-over (a crash after handling,
      // another instance) a no-op.
      messageId: first.messageId,
      content: { kind: 'photo', refs: parts.map((p) => p.ref), ...(caption === undefined ? {} : { caption }) },
      receivedAt: first.receivedAt,
      ...(first.languageHint === undefined ? {} : { languageHint: first.languageHint }),
    };
    await options.deliver(first.userId, message);
    await store.done(
      CHANNEL,
      parts.map((p) => p.messageId),
      now,
    );
    if (now.getTime() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      await store.prune(new Date(now.getTime() - KEEP_DONE_MS));
    }
  }

  return {
    async add(part) {
      await store.add(part);
      schedule(part.groupId, part.userId, gapMs);
    },

    async flushChat(chatId) {
      const groups = [...waiting.entries()].filter(([, w]) => w.chatId === chatId).map(([groupId]) => groupId);
      for (const groupId of groups) await track(flush(groupId));
    },

    async recover() {
      stopped = false;
      const now = clock.now().getTime();
      for (const group of await store.openGroups(CHANNEL)) {
        schedule(group.groupId, group.userId, group.lastAt.getTime() + gapMs - now);
      }
    },

    async stop() {
      stopped = true;
      for (const { timer } of waiting.values()) clearTimeout(timer);
      waiting.clear();
      await Promise.all(running);
    },

    async idle() {
      while (waiting.size > 0 || running.size > 0) {
        await Promise.all(running);
        if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(gapMs, 20)));
      }
    },
  };
}

/** Telegram's update ids grow with arrival: "u1001" before "u1002", whatever order the parts were stored in. */
function order(part: PendingPart): number {
  const n = Number(part.messageId.replace(/^u/, ''));
  return Number.isFinite(n) ? n : 0;
}

/** Parts kept in this process only (a channel created without the database's store, e.g. in tests). */
export function memoryPendingParts(): PendingPartStore {
  const parts: (PendingPart & { doneAt?: Date })[] = [];
  return {
    add(part) {
      if (parts.some((p) => p.channel === part.channel && p.messageId === part.messageId)) {
        return Promise.resolve(false);
      }
      parts.push({ ...part });
      return Promise.resolve(true);
    },
    open(channel, groupId) {
      return Promise.resolve(
        parts.filter((p) => p.channel === channel && p.groupId === groupId && p.doneAt === undefined),
      );
    },
    openGroups(channel) {
      const groups = new Map<string, { groupId: string; userId: string; lastAt: Date }>();
      for (const p of parts.filter((q) => q.channel === channel && q.doneAt === undefined)) {
        const g = groups.get(p.groupId);
        if (!g || g.lastAt < p.receivedAt)
          groups.set(p.groupId, { groupId: p.groupId, userId: p.userId, lastAt: p.receivedAt });
      }
      return Promise.resolve([...groups.values()]);
    },
    done(channel, messageIds, at) {
      for (const p of parts) {
        if (p.channel === channel && messageIds.includes(p.messageId) && p.doneAt === undefined) {
          p.doneAt = at;
          p.ref = '';
          delete p.caption;
        }
      }
      return Promise.resolve();
    },
    prune(before) {
      const kept = parts.filter((p) => p.doneAt === undefined || p.doneAt >= before);
      const removed = parts.length - kept.length;
      parts.splice(0, parts.length, ...kept);
      return Promise.resolve(removed);
    },
  };
}
