// The outbox: everything the bot says on its own initiative (case notifications, relayed messages, digests).
// A notification is stored in the turn's transaction; it is pushed through the recipient's channel only after that
// transaction has committed (a rolled-back turn sends nothing, and no member's turn waits on another member's
// channel). A push that fails (a 5xx, a network error) is retried by the `outbox.retry` job with backoff and given up
// after OUTBOX_MAX_ATTEMPTS with the reason recorded. When the channel cannot deliver now (the console; Zalo outside
// its messaging window; a blocked bot) the notification stays pending and is handed over the next time the recipient
// writes, so nothing is lost and a restart changes nothing.
import type { Said, Translate } from '../../conversation/flow.ts';
import { renderSaid } from '../../conversation/engine.ts';
import type { OutboundMessage, Pusher, PushResult } from '../../conversation/messages.ts';
import { loggableError, type Clock, type Logger, type Transactor } from '../../conversation/ports.ts';
import { chatReach, type NotificationKind, type NotificationRepository } from '../../domain/cases.ts';
import type { Language, Member, MemberRepository } from '../../domain/member.ts';

/** Pushes of one notification before it is given up (the first one right after the commit, then the retry job's). */
export const OUTBOX_MAX_ATTEMPTS = 5;
/** Wait before a failed push is tried again: 1, 2, 4, 8… minutes (the retry job runs every minute). */
const RETRY_BASE_MS = 60_000;

export interface OutboxDeps {
  notifications: NotificationRepository;
  members: Pick<MemberRepository, 'findById'>;
  pusher: Pusher;
  transactor: Transactor;
  translator: (language: Language) => Translate;
  /** Words to type for an action on channels without buttons. */
  typedFor: (action: string, t: Translate) => string | undefined;
  clock: Clock;
  logger: Logger;
}

export interface Outbox {
  /**
   * Renders in the recipient's language and stores (in the caller's transaction); the push follows the commit.
   * Returns what to expect: 'sent' (on its way now), 'later' (she gets it when she next writes: the console, Zalo
   * outside its window) or 'unreachable' (the channel reported her unreachable).
   */
  send(recipient: Member, said: Said[], meta: { kind: NotificationKind; caseId?: number }): Promise<PushResult>;
  /** Pending messages for a member who just wrote: returned to be shown before the replies, and marked sent. */
  takePending(member: Member): Promise<OutboundMessage[]>;
  /** Pushes again what failed before and is due (oldest first); gives up after OUTBOX_MAX_ATTEMPTS. Returns pushes. */
  retryFailed(): Promise<number>;
  countPending(): Promise<number>;
}

export function createOutbox(deps: OutboxDeps): Outbox {
  /** Pushes one stored notification; records the outcome. Never throws. */
  async function push(id: string, recipient: Member, messages: OutboundMessage[], attempts: number): Promise<void> {
    let result: PushResult;
    try {
      result = await deps.pusher.push(
        { channel: recipient.channel, userId: recipient.channelUserId, lastInboundAt: recipient.lastInboundAt },
        messages,
      );
    } catch (error) {
      const reason = loggableError(error).name;
      deps.logger.warn({ notification: id, attempts: attempts + 1, err: loggableError(error) }, 'push failed');
      if (attempts + 1 >= OUTBOX_MAX_ATTEMPTS) await deps.notifications.markFailed(id, reason);
      else await deps.notifications.markAttempt(id, reason);
      return;
    }
    // 'later' and 'unreachable' stay pending without counting as a failure: she gets them when she next writes.
    if (result === 'sent') await deps.notifications.markSent([id], deps.clock.now());
  }

  const afterCommit = (work: () => Promise<void>) =>
    deps.transactor.afterCommit(() =>
      work().catch((error: unknown) => deps.logger.error({ err: loggableError(error) }, 'outbox push failed')),
    );

  return {
    async send(recipient, said, meta) {
      const t = deps.translator(recipient.language);
      const messages = renderSaid(said, t, (a) => deps.typedFor(a, t));
      const stored = await deps.notifications.enqueue({
        recipientId: recipient.id,
        caseId: meta.caseId ?? null,
        kind: meta.kind,
        messages,
        createdAt: deps.clock.now(),
      });
      const reach = chatReach(recipient, deps.clock.now());
      if (reach.kind === 'unreachable') return 'unreachable';
      if (reach.kind === 'closed' || deps.pusher.canPush?.(recipient.channel) === false) return 'later';
      afterCommit(() => push(stored.id, recipient, messages, 0));
      return 'sent';
    },

    async takePending(member) {
      const pending = await deps.notifications.pendingFor(member.id);
      if (pending.length === 0) return [];
      await deps.notifications.markSent(
        pending.map((n) => n.id),
        deps.clock.now(),
      );
      return pending.flatMap((n) => n.messages);
    },

    async retryFailed() {
      const now = deps.clock.now().getTime();
      let pushes = 0;
      for (const n of await deps.notifications.retryable(OUTBOX_MAX_ATTEMPTS, 100)) {
        // Backoff from its creation: attempt k waits until created + (2^k - 1) minutes.
        if (now < n.createdAt.getTime() + RETRY_BASE_MS * (2 ** n.attempts - 1)) continue;
        const recipient = await deps.members.findById(n.recipientId);
        if (!recipient || chatReach(recipient, deps.clock.now()).kind !== 'reachable') continue;
        await push(n.id, recipient, n.messages, n.attempts);
        pushes++;
      }
      return pushes;
    },

    countPending: () => deps.notifications.countPending(),
  };
}
