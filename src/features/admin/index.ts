// The admin feature in the chat: creating an officer's invitation code, and the list of officers; the records kept
// for accountability (audit log, invitations) as kinds of personal data.
import type { PersonalRecords } from '../../domain/privacy.ts';
import type { FeatureModule } from '../module.ts';
import type { FeatureRetention } from '../privacy/registry.ts';
import { createAdminFlows, inviteMenuEntry, officersMenuEntry } from './flows.ts';
import { accountabilityDataKinds } from './personalData.ts';

export function adminFeature(
  deps: Parameters<typeof createAdminFlows>[0] & {
    records: PersonalRecords;
    retention: Pick<FeatureRetention, 'auditDays'>;
  },
): FeatureModule {
  return {
    name: 'admin',
    flows: createAdminFlows(deps),
    menu: [inviteMenuEntry, officersMenuEntry],
    personalData: accountabilityDataKinds({ records: deps.records, days: deps.retention.auditDays }),
  };
}
