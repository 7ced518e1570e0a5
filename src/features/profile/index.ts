// The profile feature: a member's name, commune and phone number, asked once and editable from the menu.
import type { FeatureModule } from '../module.ts';
import { createProfileFlows, profileMenuEntry } from './flows.ts';

export function profileFeature(deps: Parameters<typeof createProfileFlows>[0]): FeatureModule {
  return { name: 'profile', flows: createProfileFlows(deps), menu: [profileMenuEntry] };
}
