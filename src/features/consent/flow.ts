// Explicit, informed consent before any personal data is collected (Law 91/2025/QH15 on personal data protection).
// Declining is respected and remembered: the member then gets public information only, and may change her mind.
import type { Flow, FlowNext } from '../../conversation/flow.ts';
import { RESUME, text } from '../../conversation/flow.ts';
import type { Member } from '../../domain/member.ts';
import { CONSENT_PURPOSES } from '../../domain/privacy.ts';
import type { MenuEntry } from '../menu/flow.ts';
import { PROFILE_FLOW } from '../profile/flows.ts';
import type { ConsentService } from './purposes.ts';

export const CONSENT_FLOW = 'consent';

export const consentUndecided = (m: Member): boolean => m.consentAt === null && m.optedOutAt === null;

/**
 * Whether a member's home is first contact (language, then consent, then the profile): a member who has not decided
 * on consent yet. Officers and admins are not asked a member's onboarding before their work: their data is processed
 * for the Union's work, not by consent, and they were shown what is stored about them when linked (officers:notice).
 * An officer who is also a member gives her consent from the menu, as any member who has not.
 */
export const needsFirstContact = (m: Member): boolean =>
  consentUndecided(m) && m.role !== 'officer' && m.role !== 'admin';

/** For members who declined: the way back to consenting. */
export const consentMenuEntry: MenuEntry = {
  flowId: CONSENT_FLOW,
  label: text('menu:giveConsent'),
  audience: 'notConsented',
};

/**
 * First contact's consent: the purposes marked `firstContact` in the catalogue (domain/privacy.ts; today `profile`
 * and `announcements`), named in the question; her yes gives every one of them (stored with its time), her no
 * declines the basic one (`profile`) and leaves the others undecided (giving consent later from the menu, the same
 * question, gives them all). Other purposes are asked when she first uses a feature that needs them (purposes.ts).
 */
export function createConsentFlow(deps: { consent: ConsentService }): Flow {
  return {
    id: CONSENT_FLOW,
    steps: [
      {
        id: 'consent',
        prompt: text('privacy:consentQuestion'),
        help: text('privacy:consentHelp'),
        // Yes/no, so "ok", "có", "ko", "no"... are understood as well as the buttons.
        input: { kind: 'yesno', yesLabel: text('privacy:agree'), noLabel: text('privacy:decline') },
      },
    ],
    finish: async ({ member, answers, now }) => {
      const resume = answers[RESUME];
      if (answers['consent'] === 'yes') {
        let updated = await deps.consent.decide(member, 'profile', true, now);
        for (const p of CONSENT_PURPOSES) {
          if (p.firstContact && p.id !== 'profile') updated = await deps.consent.decide(updated, p.id, true, now);
        }
        // The profile first (officers need her name and commune), then back to what asked for consent, if anything.
        const next: FlowNext = { to: 'flow', flowId: PROFILE_FLOW, answers: resume ? { [RESUME]: resume } : {} };
        return { say: [text('privacy:thanks')], next, member: updated };
      }
      const updated = await deps.consent.decide(member, 'profile', false, now);
      return { say: [text('privacy:declined')], next: { to: 'home' }, member: updated };
    },
  };
}
