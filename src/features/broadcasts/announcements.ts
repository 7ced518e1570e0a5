// The member's side of announcements (issue 14): whether she gets them (the consent purpose `announcements`, given or
// withdrawn through the consent service, so "my data" and "Quyền dùng dữ liệu" show the same decision with its
// date), her taps on a broadcast's button (counted once, recipients only), and the current broadcasts she could not
// be sent, shown when she next writes (marked `shown`).
import type { Translate } from '../../conversation/flow.ts';
import type { Clock } from '../../conversation/ports.ts';
import type { Broadcast, MemberBroadcastRepository } from '../../domain/broadcasts.ts';
import type { OutboundMessage } from '../../domain/channels.ts';
import type { Language, Member } from '../../domain/member.ts';
import type { ConsentService } from '../consent/purposes.ts';
import type { MemberAnnouncements } from './contract.ts';

export interface MemberAnnouncementsDeps {
  consent: Pick<ConsentService, 'stateOf' | 'decide'>;
  deliveries: MemberBroadcastRepository;
  clock: Clock;
  /** The messages a member in `language` gets for a broadcast (BroadcastService.render: text, photo, button). */
  render: (broadcast: Broadcast, language: Language) => OutboundMessage[];
  translator: (language: Language) => Translate;
}

/** MemberAnnouncements (contract.ts) over the consent service and MemberBroadcastRepository. */
export function createMemberAnnouncements(deps: MemberAnnouncementsDeps): MemberAnnouncements {
  const receives = async (member: Member) => (await deps.consent.stateOf(member, 'announcements')) === 'given';
  return {
    receivesAnnouncements: receives,

    async setAnnouncements(member, on) {
      await deps.consent.decide(member, 'announcements', on, deps.clock.now());
    },

    async tap(member, broadcastId) {
      const broadcast = await deps.deliveries.broadcastById(broadcastId);
      if (!broadcast?.button) return null;
      // Counted once, and only for a recipient (recordTap finds no delivery of hers otherwise); the target starts for
      // anyone who taps it (a forwarded message, a member added after the audience was written).
      await deps.deliveries.recordTap(broadcastId, member.id, deps.clock.now());
      return { button: broadcast.button };
    },

    async waitingFor(member) {
      // Runs in every turn: the indexed look-up first (nearly always empty), her consent only when something waits.
      const now = deps.clock.now();
      const waiting = await deps.deliveries.waitingFor(member.id, now);
      if (waiting.length === 0) return [];
      // Opted out (in this very turn, perhaps): nothing is shown; the deliveries stay as they are.
      if (!(await receives(member))) return [];
      await deps.deliveries.markShown(
        waiting.map((w) => w.delivery.id),
        now,
      );
      const t = deps.translator(member.language);
      return [
        { kind: 'text', text: t('announcements:missed', { count: waiting.length }) },
        ...waiting.flatMap((w) => deps.render(w.broadcast, member.language)),
      ];
    },
  };
}
