// The outbox: everything the bot says on its own initiative (case notifications, relayed messages, digests).
// A notification is stored first, then pushed through the recipient's channel. When the channel cannot deliver now
// (the console; Zalo outside its messaging window; a blocked bot) it stays pending and is handed over the next time
// the recipient writes, so nothing is lost and a restart changes nothing.
import type { Said, Translate } from '../../conversation/flow.ts';
import { renderSaid } from '../../conversation/engine.ts';
import type { OutboundMessage, Pusher, PushResult } from '../../conversation/messages.ts';
import { loggableError, type Clock, type Logger } from '../../conversation/ports.ts';
import type { NotificationKind, NotificationRepository } from '../../domain/cases.ts';
import type { Language, Member } from '../../domain/member.ts';

export interface OutboxDeps {
  notifications: NotificationRepository;
  pusher: Pusher;
  translator: (language: Language) => Translate;
  /** Words to type for an action on channels without buttons. */
  typedFor: (action: string, t: Translate) => string | undefined;
  clock: Clock;
  logger: Logger;
}

export interface Outbox {
  /** Renders in the recipient's language, stores, and tries to deliver now. */
  send(recipient: Member, said: Said[], meta: { kind: NotificationKind; caseId?: number }): Promise<PushResult>;
  /** Pending messages for a member who just wrote: returned to be shown before the replies, and marked sent. */
  takePending(member: Member): Promise<OutboundMessage[]>;
  countPending(): Promise<number>;
}

export function createOutbox(deps: OutboxDeps): Outbox {
  return {
    async send(recipient, said, meta) {
      const t = deps.translator(recipient.language);
      const messages = renderSaid(said, t, (a) => deps.typedFor(a, t));
      const stored = await deps.notifications.enqueue({
        recipientId: recipient.id,
        caseId: meta.caseId ?? null,
        kind: meta.kind,
        messages,
      });
      let result: PushResult;
      try {
        result = recipient.unreachableAt
          ? 'unreachable'
          : await deps.pusher.push(
              { channel: recipient.channel, userId: recipient.channelUserId, lastInboundAt: recipient.lastInboundAt },
              messages,
            );
      } catch (error) {
        deps.logger.warn({ notification: stored.id, err: loggableError(error) }, 'push failed; kept for later');
        await deps.notifications.markAttempt(stored.id, loggableError(error).name);
        return 'later';
      }
      if (result === 'sent') await deps.notifications.markSent([stored.id], deps.clock.now());
      else await deps.notifications.markAttempt(stored.id, result);
      return result;
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

    countPending: () => deps.notifications.countPending(),
  };
}
