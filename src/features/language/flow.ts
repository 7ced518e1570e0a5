// Language choice: the first question a newcomer gets (Vietnamese is the default), and a menu entry afterwards.
import type { Flow, FlowNext } from '../../conversation/flow.ts';
import { RESUME, text } from '../../conversation/flow.ts';
import type { MemberRepository } from '../../domain/member.ts';
import { LANGUAGES, type Language } from '../../domain/member.ts';
import { CONSENT_FLOW, needsFirstContact } from '../consent/flow.ts';
import type { MenuEntry } from '../menu/flow.ts';

export const LANGUAGE_FLOW = 'language';

export const languageMenuEntry: MenuEntry = {
  flowId: LANGUAGE_FLOW,
  label: text('menu:language'),
  audience: 'everyone',
};

export function createLanguageFlow(deps: { members: MemberRepository }): Flow {
  return {
    id: LANGUAGE_FLOW,
    intro: ({ member }) => (needsFirstContact(member) ? text('common:greeting') : text('common:languageIntro')),
    steps: [
      {
        id: 'language',
        prompt: text('common:chooseLanguage'),
        input: {
          kind: 'choice',
          options: () => LANGUAGES.map((lng) => ({ value: lng, label: text(`common:languages.${lng}`) })),
        },
      },
    ],
    finish: async ({ member, answers }) => {
      const language = answers['language'] as Language;
      const updated = await deps.members.update(member.id, { language });
      if (needsFirstContact(updated)) {
        // A request she made in her first message waits, after consent, under RESUME (features/understanding.ts).
        const resume = answers[RESUME];
        const next: FlowNext = { to: 'flow', flowId: CONSENT_FLOW, answers: resume ? { [RESUME]: resume } : {} };
        return { say: [], next, member: updated };
      }
      return { say: [text('common:languageChanged')], next: { to: 'home' }, member: updated };
    },
  };
}
