// The privacy feature: "what the Union keeps about me" and "delete my data".
import type { FeatureModule } from '../module.ts';
import { createDeleteDataFlow, createMyDataFlow, deleteDataMenuEntry, myDataMenuEntry } from './flows.ts';

export function privacyFeature(
  deps: Parameters<typeof createMyDataFlow>[0] & Parameters<typeof createDeleteDataFlow>[0],
): FeatureModule {
  return {
    name: 'privacy',
    flows: [createMyDataFlow(deps), createDeleteDataFlow(deps)],
    menu: [myDataMenuEntry, deleteDataMenuEntry],
  };
}
