// The privacy feature: "what the Union keeps about me" (every kind of the personal-data registry) and "delete my
// data"; it declares the kinds of the core records (profile, role, requests, credit pre-screens).
import type { FeatureModule } from '../module.ts';
import { createDeleteDataFlow, createMyDataFlow, deleteDataMenuEntry, myDataMenuEntry } from './flows.ts';
import { createCoreDataKinds, type DataSectionDeps } from './myData.ts';

export function privacyFeature(
  deps: Parameters<typeof createMyDataFlow>[0] & Parameters<typeof createDeleteDataFlow>[0] & DataSectionDeps,
): FeatureModule {
  return {
    name: 'privacy',
    flows: [createMyDataFlow(deps), createDeleteDataFlow(deps)],
    menu: [myDataMenuEntry, deleteDataMenuEntry],
    personalData: createCoreDataKinds(deps),
  };
}
