// The profile feature: a member's name, commune and phone number, asked once and editable from the menu.
import { parseVietnamesePhone } from '../../domain/phone.ts';
import type { Json } from '../../conversation/flow.ts';
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
      {
        id: 'profilePhone',
        namespace: 'profile',
        flowId: MY_PROFILE_FLOW,
        given: { field: 'phone' },
        read: phoneIn,
      },
    ],
  };
}

/** Digit runs that may be a phone number, spaces, dots and dashes inside allowed ("0987 654 321", "+84 987.654.321"). */
const NUMBER_RUN = /\+?\d[\d\s.-]{7,16}\d/g;

/**
 * The new number she typed with her request ("sđt mới của e là 0987654321"), read by the phone step's own parser
 * (domain/phone.ts), for the phone step to confirm; {} when there is none or it is no mobile number (then the step
 * asks as usual).
 */
function phoneIn(input: string): Record<string, Json> {
  for (const run of input.match(NUMBER_RUN) ?? []) {
    const parsed = parseVietnamesePhone(run.trim());
    if (parsed.ok) return { phone: parsed.e164 };
  }
  return {};
}
