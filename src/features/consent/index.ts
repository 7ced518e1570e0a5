// The consent feature: the basic consent asked at first contact and changed from the menu; consent per purpose,
// asked once when a flow first needs a purpose (its gate runs before every flow), and "Quyền dùng dữ liệu", where she
// gives or withdraws any purpose; her decisions as a kind of personal data.
import type { MemberRepository } from '../../domain/member.ts';
import type { ConsentRepository } from '../../domain/privacy.ts';
import type { ConsentConsequences, FeatureModule } from '../module.ts';
import { consentMenuEntry, createConsentFlow } from './flow.ts';
import {
  consentDataKind,
  CONSENT_SETTINGS_FLOW,
  consentSettingsMenuEntry,
  createConsentChangeFlow,
  createConsentService,
  createConsentSettingsFlow,
  createPurposeFlow,
  createPurposeGate,
} from './purposes.ts';

/**
 * The consent feature's module, with its service (for the photo stage, the tests and tools). `consequences`: what
 * other features say after she gives or withdraws a purpose (filled in once every module is built; may stay empty).
 */
export function consentFeature(deps: {
  consents: ConsentRepository;
  members: MemberRepository;
  consequences?: ConsentConsequences;
}) {
  const service = createConsentService(deps);
  const module: FeatureModule = {
    name: 'consent',
    flows: [
      createConsentFlow({ consent: service }),
      createPurposeFlow({ consent: service }),
      createConsentSettingsFlow({ consent: service }),
      createConsentChangeFlow({ consent: service, consequences: deps.consequences ?? {} }),
    ],
    menu: [consentMenuEntry],
    // Last in the menu, so the numbers members learnt for the other items stay the same.
    menuAtEnd: [consentSettingsMenuEntry],
    personalData: [consentDataKind({ consent: service })],
    beforeFlow: createPurposeGate(service),
    intents: [
      // "rút lại đồng ý": withdrawing stops something, so it opens the choice of purposes, never withdraws by itself.
      { id: 'consentSettings', namespace: 'consent', flowId: CONSENT_SETTINGS_FLOW, destructive: true },
    ],
  };
  return { module, service };
}
