// The broadcasts feature's module (issue 14). The core helper composes the admin and member parts here; until its
// branch is merged this composes the member's part (member.ts) with MemberAnnouncements (announcements.ts).
import type { Translate } from '../../conversation/flow.ts';
import type { Clock } from '../../conversation/ports.ts';
import type { MemberBroadcastRepository } from '../../domain/broadcasts.ts';
import type { Language } from '../../domain/member.ts';
import type { ConsentService } from '../consent/purposes.ts';
import type { FeatureModule } from '../module.ts';
import { createMemberAnnouncements } from './announcements.ts';
import type { MemberAnnouncements } from './contract.ts';
import { memberPart } from './member.ts';

export interface BroadcastsFeatureDeps {
  consent: ConsentService;
  memberBroadcasts: MemberBroadcastRepository;
  clock: Clock;
  translator: (language: Language) => Translate;
  phrases: (key: string) => string[];
}

/** The module and the member's announcements service (the gateway's missed-broadcasts hook uses it). */
export function broadcastsFeature(deps: BroadcastsFeatureDeps): {
  module: FeatureModule;
  announcements: MemberAnnouncements;
} {
  const announcements = createMemberAnnouncements({
    consent: deps.consent,
    deliveries: deps.memberBroadcasts,
    clock: deps.clock,
    translator: deps.translator,
  });
  const member = memberPart({ announcements, consent: deps.consent, phrases: deps.phrases });
  return { module: { name: 'broadcasts', ...member }, announcements };
}
