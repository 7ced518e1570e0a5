// The consent feature: asking for consent to data processing at first contact, and changing it from the menu.
import type { FeatureModule } from '../module.ts';
import { consentMenuEntry, createConsentFlow } from './flow.ts';

export function consentFeature(deps: Parameters<typeof createConsentFlow>[0]): FeatureModule {
  return { name: 'consent', flows: [createConsentFlow(deps)], menu: [consentMenuEntry] };
}
