// The member's profile: name, commune or ward, optional phone. Every later flow (credit, courses, products) routes
// to the officers of this commune, and prefills from it.
// A newcomer answers every question and confirms at a summary (`profile`). A member who has a profile opens "My
// profile" (`myProfile`) on the profile itself with "edit which field?": she changes one field, confirms, and it is
// saved; the profile is shown again until she is done.
import { z } from 'zod';
import type { Answers, Flow, FlowContext, Json, Step, Text } from '../../conversation/flow.ts';
import { answerText, resumeFrom, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Member, MemberPatch, MemberRepository } from '../../domain/member.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { areaInput, unitLabel } from './areaInput.ts';
import type { MenuEntry } from '../menu/flow.ts';

/** The whole profile, question by question, with a summary: first contact, and whoever has no profile yet. */
export const PROFILE_FLOW = 'profile';
/** "My profile": the stored profile and "edit which field?". */
export const MY_PROFILE_FLOW = 'myProfile';

export const profileMenuEntry: MenuEntry = {
  flowId: MY_PROFILE_FLOW,
  label: text('menu:profile'),
  audience: 'consented',
};

const FIELDS = ['name', 'commune', 'phone'] as const;
type Field = (typeof FIELDS)[number];
const isField = (value: Json | undefined): value is Field => FIELDS.includes(value as Field);

/** Letters (any script, with diacritics), spaces, dots, apostrophes and hyphens: no digits, no emoji. */
const nameSchema = z
  .string()
  .min(2, 'profile:errors.nameTooShort')
  .max(60, 'profile:errors.nameTooLong')
  .regex(/^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u, 'profile:errors.nameCharacters');

/** A member has a profile once anything of it is stored; she then edits it field by field. */
export const hasProfile = (member: Member): boolean =>
  member.displayName !== null || member.communeCode !== null || member.phone !== null;

interface ProfileDeps {
  members: MemberRepository;
  areas: AreaDirectory;
}

/** The three questions (name, commune, phone): all of them for a new profile; when editing, only the field she chose. Also asked by other flows that need a missing field (courses). */
export function fieldSteps(deps: ProfileDeps, editing: boolean): Step[] {
  const only = (field: Field): Pick<Step, 'when'> =>
    editing ? { when: (answers: Answers) => answers['field'] === field } : {};
  return [
    {
      id: 'name',
      prompt: text('profile:askName'),
      input: { kind: 'text', maxLength: 60 },
      validate: nameSchema,
      summaryLabel: text('profile:fields.name'),
      ...only('name'),
    },
    {
      id: 'commune',
      prompt: text('profile:askCommune', { province: deps.areas.province }),
      help: text('profile:communeHelp'),
      input: areaInput(deps.areas),
      summaryLabel: text('profile:fields.commune'),
      ...only('commune'),
    },
    {
      id: 'phone',
      // The skip button is named as the member sees it.
      prompt: ({ t }) => text(editing ? 'profile:edit.askPhone' : 'profile:askPhone', { skip: t('common:skip') }),
      help: text('profile:phoneHelp'),
      input: { kind: 'phone' },
      optional: true,
      summaryLabel: text('profile:fields.phone'),
      ...only('phone'),
    },
  ];
}

/** The stored value of a field for an answer (names NFC, so the same name typed on any keyboard is stored alike). */
export function patchOf(field: Field, value: Json | undefined): MemberPatch {
  switch (field) {
    case 'name':
      return { displayName: answerText(value).normalize('NFC') };
    case 'commune':
      return { communeCode: answerText(value) };
    case 'phone':
      return { phone: typeof value === 'string' ? value : null };
  }
}

/** How a field reads for the member: "Xã Dân Tiến", "0912 345 678", "(chưa có)". */
function shown(field: Field, patch: MemberPatch, deps: ProfileDeps, t: FlowContext['t']): string {
  const none = t('profile:notGiven');
  switch (field) {
    case 'name':
      return patch.displayName ?? none;
    case 'commune': {
      const unit = deps.areas.byCodeOrNull(patch.communeCode);
      return unit ? unitLabel(unit, t) : none;
    }
    case 'phone':
      return patch.phone ? formatVietnamesePhone(patch.phone) : none;
  }
}

export function createProfileFlows(deps: ProfileDeps): Flow[] {
  return [createProfileFlow(deps), createMyProfileFlow(deps)];
}

/** The whole profile with a summary (confirm / edit a field / cancel). */
export function createProfileFlow(deps: ProfileDeps): Flow {
  return {
    id: PROFILE_FLOW,
    intro: text('profile:intro'),
    steps: fieldSteps(deps, false),
    summary: { title: text('profile:summaryTitle') },
    finish: async ({ member, answers }) => {
      const updated = await deps.members.update(member.id, {
        ...patchOf('name', answers['name']),
        ...patchOf('commune', answers['commune']),
        ...patchOf('phone', answers['phone']),
      });
      return { say: [text('profile:saved')], next: resumeFrom(answers) ?? { to: 'home' }, member: updated };
    },
  };
}

/**
 * "My profile": the profile as stored and "edit which field?" (name / commune / phone / done); the chosen field is
 * asked again, the change is confirmed ("Phone: 0912 345 678 → 0988 123 456. Save?"), saved alone, and the profile
 * is shown again. A member without a profile is sent through the whole profile instead.
 */
export function createMyProfileFlow(deps: ProfileDeps): Flow {
  const current = (member: Member): MemberPatch => ({
    displayName: member.displayName,
    communeCode: member.communeCode,
    phone: member.phone,
  });
  const profileText = ({ member, t }: FlowContext): string =>
    [
      t('profile:summaryTitle'),
      ...FIELDS.map((f) =>
        t('profile:line', { label: t(`profile:fields.${f}`), value: shown(f, current(member), deps, t) }),
      ),
    ].join('\n');

  return {
    id: MY_PROFILE_FLOW,
    steps: [
      {
        id: 'field',
        prompt: (ctx) => text('profile:edit.which', { profile: profileText(ctx) }),
        input: {
          kind: 'choice',
          options: () => [
            ...FIELDS.map((f) => ({ value: f, label: text(`profile:fields.${f}`) })),
            { value: 'done', label: text('profile:edit.done') },
          ],
        },
        when: (_answers, { member }) => hasProfile(member),
      },
      ...fieldSteps(deps, true),
      {
        id: 'save',
        prompt: ({ answers, member, t }): Text => {
          const field = answers['field'];
          if (!isField(field)) return text('profile:edit.saveQuestion', { change: '' });
          const change = t('profile:edit.change', {
            field: t(`profile:fields.${field}`),
            from: shown(field, current(member), deps, t),
            to: shown(field, patchOf(field, answers[field]), deps, t),
          });
          return text('profile:edit.saveQuestion', { change });
        },
        input: { kind: 'yesno', yesLabel: text('profile:edit.save'), noLabel: text('profile:edit.keep') },
        when: (answers) => isField(answers['field']),
      },
    ],
    finish: async ({ member, answers }) => {
      const field = answers['field'];
      if (field === undefined) return { say: [], next: { to: 'flow', flowId: PROFILE_FLOW } };
      if (!isField(field)) return { say: [], next: { to: 'home' } };
      const again = { to: 'flow', flowId: MY_PROFILE_FLOW } as const;
      if (answers['save'] !== 'yes') return { say: [text('profile:edit.kept')], next: again };
      const updated = await deps.members.update(member.id, patchOf(field, answers[field]));
      return { say: [text('profile:edit.saved')], next: again, member: updated };
    },
  };
}
