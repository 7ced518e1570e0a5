// The outbox as the features see it: a port. A feature says what to tell whom; the outbox (src/app/outbox) renders
// it in the recipient's language, stores it in the caller's transaction and sends it after the commit.
import type { NotificationKind } from '../domain/outbox.ts';
import type { Member } from '../domain/member.ts';
import type { Said } from './flow.ts';
import type { PushResult } from './messages.ts';

export interface OutboxPort {
  /**
   * Queues a message the bot sends on its own initiative (a push). Returns what to expect: 'sent' (on its way now),
   * 'later' (she gets it when she next writes: the terminal, Zalo outside its window) or 'unreachable' (the channel
   * reported her unreachable).
   */
  send(
    recipient: Member,
    said: Said[],
    meta: { kind: Exclude<NotificationKind, 'reply'>; caseId?: number },
  ): Promise<PushResult>;
  /** Rows not sent yet (queued or held), for the admins' digest. */
  countPending(): Promise<number>;
}
