// All features, wired with their explicit dependencies. Adding a feature = one file + one line here.
import type { Flow } from '../conversation/flow.ts';
import type { AreaDirectory } from '../domain/areas.ts';
import type { Member, MemberRepository } from '../domain/member.ts';
import { consentMenuEntry, consentUndecided, createConsentFlow } from './consent.ts';
import { createHelpFlow, helpMenuEntry } from './help.ts';
import { createLanguageFlow, LANGUAGE_FLOW, languageMenuEntry } from './language.ts';
import { createMenuFlow, MENU_FLOW, type MenuEntry } from './menu.ts';
import { createDeleteDataFlow, createMyDataFlow, deleteDataMenuEntry, myDataMenuEntry } from './privacy.ts';
import { createProfileFlow, profileMenuEntry } from './profile.ts';

export interface FeatureDeps {
  members: MemberRepository;
  areas: AreaDirectory;
}

export interface Features {
  flows: Flow[];
  /** Where a member starts and returns: first contact (language, then consent) until she has decided on consent. */
  home: (member: Member) => string;
}

export function createFeatures(deps: FeatureDeps): Features {
  const menu: MenuEntry[] = [
    profileMenuEntry,
    consentMenuEntry,
    myDataMenuEntry,
    deleteDataMenuEntry,
    languageMenuEntry,
    helpMenuEntry,
  ];
  return {
    flows: [
      createMenuFlow(menu),
      createLanguageFlow(deps),
      createConsentFlow(deps),
      createProfileFlow(deps),
      createMyDataFlow(deps),
      createDeleteDataFlow(deps),
      createHelpFlow(),
    ],
    home: (member) => (consentUndecided(member) ? LANGUAGE_FLOW : MENU_FLOW),
  };
}
