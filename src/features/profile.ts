// The member's profile: name, commune or ward, optional phone. Every later flow (credit, courses, products) routes
// to the officers of this commune, and prefills from it.
import { z } from 'zod';
import type { Flow } from '../conversation/flow.ts';
import { answerText, resumeFrom, text } from '../conversation/flow.ts';
import type { AreaDirectory } from '../domain/areas.ts';
import type { MemberRepository } from '../domain/member.ts';
import { areaInput } from './areaInput.ts';
import type { MenuEntry } from './menu.ts';

export const PROFILE_FLOW = 'profile';

export const profileMenuEntry: MenuEntry = { flowId: PROFILE_FLOW, label: text('menu:profile'), audience: 'consented' };

/** Letters (any script, with diacritics), spaces, dots, apostrophes and hyphens: no digits, no emoji. */
const nameSchema = z
  .string()
  .min(2, 'profile:errors.nameTooShort')
  .max(60, 'profile:errors.nameTooLong')
  .regex(/^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u, 'profile:errors.nameCharacters');

export function createProfileFlow(deps: { members: MemberRepository; areas: AreaDirectory }): Flow {
  return {
    id: PROFILE_FLOW,
    intro: text('profile:intro'),
    steps: [
      {
        id: 'name',
        prompt: text('profile:askName'),
        input: { kind: 'text', maxLength: 60 },
        validate: nameSchema,
        summaryLabel: text('profile:fields.name'),
      },
      {
        id: 'commune',
        prompt: text('profile:askCommune', { province: deps.areas.province }),
        help: text('profile:communeHelp'),
        input: areaInput(deps.areas),
        summaryLabel: text('profile:fields.commune'),
      },
      {
        id: 'phone',
        prompt: text('profile:askPhone'),
        help: text('profile:phoneHelp'),
        input: { kind: 'phone' },
        optional: true,
        summaryLabel: text('profile:fields.phone'),
      },
    ],
    summary: { title: text('profile:summaryTitle') },
    finish: async ({ member, answers }) => {
      const updated = await deps.members.update(member.id, {
        displayName: answerText(answers['name']),
        communeCode: answerText(answers['commune']),
        phone: typeof answers['phone'] === 'string' ? answers['phone'] : null,
      });
      return { say: [text('profile:saved')], next: resumeFrom(answers) ?? { to: 'home' }, member: updated };
    },
  };
}
