// The language feature: choosing Tiếng Việt or English, at first contact and from the menu.
import type { FeatureModule } from '../module.ts';
import { createLanguageFlow, LANGUAGE_FLOW, languageMenuEntry } from './flow.ts';

export function languageFeature(deps: Parameters<typeof createLanguageFlow>[0]): FeatureModule {
  return {
    name: 'language',
    flows: [createLanguageFlow(deps)],
    menu: [languageMenuEntry],
    intents: [{ id: 'language', namespace: 'common', flowId: LANGUAGE_FLOW }],
  };
}
