// The help feature: what the bot does and how to reach the Union.
import type { FeatureModule } from '../module.ts';
import { createHelpFlow, helpMenuEntry } from './flow.ts';

export function helpFeature(): FeatureModule {
  return { name: 'help', flows: [createHelpFlow()], menu: [helpMenuEntry] };
}
