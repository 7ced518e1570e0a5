// The language feature: choosing Tiếng Việt or English, at first contact and from the menu.
import type { FeatureModule } from '../module.ts';
import { createLanguageFlow, languageMenuEntry } from './flow.ts';

export function languageFeature(deps: Parameters<typeof createLanguageFlow>[0]): FeatureModule {
  return { name: 'language', flows: [createLanguageFlow(deps)], menu: [languageMenuEntry] };
}
