// Explicit, informed consent before any personal data is collected (Law 91/2025/QH15 on personal data protection).
// Declining is respected and remembered: the member then gets public information only, and may change her mind.
import type { Flow } from '../conversation/flow.ts';
import { text } from '../conversation/flow.ts';
import type { Member, MemberRepository } from '../domain/member.ts';
import type { MenuEntry } from './menu.ts';
import { PROFILE_FLOW } from './profile.ts';

export const CONSENT_FLOW = 'consent';

export const consentUndecided = (m: Member): boolean => m.consentAt === null && m.optedOutAt === null;

/** For members who declined: the way back to consenting. */
export const consentMenuEntry: MenuEntry = {
  flowId: CONSENT_FLOW,
  label: text('menu:giveConsent'),
  audience: 'notConsented',
};

export function createConsentFlow(deps: { members: MemberRepository }): Flow {
  return {
    id: CONSENT_FLOW,
    steps: [
      {
        id: 'consent',
        prompt: text('privacy:consentQuestion'),
        help: text('privacy:consentHelp'),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'agree', label: text('privacy:agree') },
            { value: 'decline', label: text('privacy:decline') },
          ],
        },
      },
    ],
    finish: async ({ member, answers, now }) => {
      if (answers['consent'] === 'agree') {
        const updated = await deps.members.update(member.id, { consentAt: now, optedOutAt: null });
        return { say: [text('privacy:thanks')], next: { to: 'flow', flowId: PROFILE_FLOW }, member: updated };
      }
      const updated = await deps.members.update(member.id, { optedOutAt: now, consentAt: null });
      return { say: [text('privacy:declined')], next: { to: 'home' }, member: updated };
    },
  };
}
