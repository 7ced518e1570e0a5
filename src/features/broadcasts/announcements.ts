// The member's side of announcements (issue 14): whether she gets them (the consent purpose `announcements`, given or
// withdrawn through the consent service, so "my data" and "Quyền dùng dữ liệu" show the same decision with its
// date), her taps on a broadcast's button (counted once, recipients only), and the current broadcasts she could not
// be sent, shown when she next writes (marked `shown`).
import type { Translate } from '../../conversation/flow.ts';
import { STORED_PHOTO_REF } from '../../conversation/flow.ts';
import type { Clock } from '../../conversation/ports.ts';
import { ACTION_PREFIX } from '../../conversation/render.ts';
import type { Broadcast, MemberBroadcastRepository } from '../../domain/broadcasts.ts';
import type { OutboundMessage } from '../../domain/channels.ts';
import type { Language, Member } from '../../domain/member.ts';
import type { ConsentService } from '../consent/purposes.ts';
import { BC_TAP } from './actionNames.ts';
import type { MemberAnnouncements } from './contract.ts';

/**
 * The text a member in `language` reads: hers, else Vietnamese, else whichever there is (the decision of issue 14).
 * Empty only for a broadcast without any text (the service refuses to store one).
 */
export function textFor(texts: Broadcast['texts'], language: Language): string {
  return texts[language] ?? texts.vi ?? Object.values(texts).find((s) => typeof s === 'string') ?? '';
}

/** The typed form of the tap on a broadcast's button, for channels without buttons ("tb 12"). */
export const typedTap = (t: Translate, id: number): string => t('announcements:typed.tap', { id });

/**
 * A broadcast as a member gets it: the photo (if any), then the text in her language with the button under it (the
 * action `bcTap:<id>`, ≤ 64 bytes). The core helper's `BroadcastService.render` draws the same; this local one serves
 * the member's side until both are merged.
 */
export function renderBroadcast(
  broadcast: Pick<Broadcast, 'id' | 'texts' | 'photoFileId' | 'button'>,
  language: Language,
  t: Translate,
): OutboundMessage[] {
  const body = textFor(broadcast.texts, language);
  const out: OutboundMessage[] = [];
  if (broadcast.photoFileId) out.push({ kind: 'photo', ref: `${STORED_PHOTO_REF}${broadcast.photoFileId}` });
  if (!broadcast.button) {
    out.push({ kind: 'text', text: body });
    return out;
  }
  out.push({
    kind: 'choices',
    text: body,
    choices: [
      {
        label: t(`announcements:buttons.${broadcast.button.target}`),
        data: `${ACTION_PREFIX}${BC_TAP}:${broadcast.id}`,
        typed: typedTap(t, broadcast.id),
      },
    ],
    freeText: true,
  });
  return out;
}

export interface MemberAnnouncementsDeps {
  consent: Pick<ConsentService, 'stateOf' | 'decide'>;
  deliveries: MemberBroadcastRepository;
  clock: Clock;
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
      // Opted out (in this very turn, perhaps): nothing is shown; the deliveries stay as they are.
      if (!(await receives(member))) return [];
      const now = deps.clock.now();
      const waiting = await deps.deliveries.waitingFor(member.id, now);
      if (waiting.length === 0) return [];
      await deps.deliveries.markShown(
        waiting.map((w) => w.delivery.id),
        now,
      );
      const t = deps.translator(member.language);
      return [
        { kind: 'text', text: t('announcements:missed', { count: waiting.length }) },
        ...waiting.flatMap((w) => renderBroadcast(w.broadcast, member.language, t)),
      ];
    },
  };
}
