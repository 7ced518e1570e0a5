// The admin feature in the chat: creating an officer's invitation code, and the list of officers.
import type { FeatureModule } from '../module.ts';
import { createAdminFlows, inviteMenuEntry, officersMenuEntry } from './flows.ts';

export function adminFeature(deps: Parameters<typeof createAdminFlows>[0]): FeatureModule {
  return { name: 'admin', flows: createAdminFlows(deps), menu: [inviteMenuEntry, officersMenuEntry] };
}
