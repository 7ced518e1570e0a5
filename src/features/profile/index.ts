// The profile feature: a member's name, commune and phone number, asked once and editable from the menu.
import type { FeatureModule } from '../module.ts';
import { createProfileFlows, MY_PROFILE_FLOW, profileMenuEntry } from './flows.ts';

export function profileFeature(deps: Parameters<typeof createProfileFlows>[0]): FeatureModule {
  return {
    name: 'profile',
    flows: createProfileFlows(deps),
    menu: [profileMenuEntry],
    // "Sửa tên" opens her profile on that field (the field question answered); without a profile, the whole profile.
    intents: [
      { id: 'profile', namespace: 'profile', flowId: MY_PROFILE_FLOW },
      { id: 'profileName', namespace: 'profile', flowId: MY_PROFILE_FLOW, given: { field: 'name' } },
      { id: 'profileCommune', namespace: 'profile', flowId: MY_PROFILE_FLOW, given: { field: 'commune' } },
      { id: 'profilePhone', namespace: 'profile', flowId: MY_PROFILE_FLOW, given: { field: 'phone' } },
    ],
  };
}
