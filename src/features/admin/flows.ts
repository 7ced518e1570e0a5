// Admin chat commands: invite an officer or admin for an area, and list officers with their areas.
// (Re-scoping and revoking are in the admin CLI too: `npm run admin -- officers ...`.)
import type { Flow } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import { WHOLE_PROVINCE, type OfficerRepository } from '../../domain/officers.ts';
import { formatDateTime } from '../../domain/time.ts';
import { areaInput, unitLabel } from '../profile/areaInput.ts';
import type { InvitationService } from '../cases/invitations.ts';
import type { MenuEntry } from '../menu/flow.ts';

export const INVITE_FLOW = 'adminInvite';
export const OFFICERS_FLOW = 'adminOfficers';

export const inviteMenuEntry: MenuEntry = { flowId: INVITE_FLOW, label: text('menu:invite'), audience: 'admin' };
export const officersMenuEntry: MenuEntry = { flowId: OFFICERS_FLOW, label: text('menu:officers'), audience: 'admin' };

export function describeAreas(areas: readonly string[], directory: AreaDirectory, t: (k: string) => string): string {
  if (areas.includes(WHOLE_PROVINCE)) return t('officers:wholeProvince');
  return areas
    .map((code) => {
      const unit = directory.byCodeOrNull(code);
      return unit ? unitLabel(unit, t) : code;
    })
    .join(', ');
}

export function createAdminFlows(deps: {
  invitations: InvitationService;
  officers: OfficerRepository;
  areas: AreaDirectory;
  invitationTtlHours: number;
}): Flow[] {
  const invite: Flow = {
    id: INVITE_FLOW,
    steps: [
      {
        id: 'role',
        prompt: text('officers:invite.askRole'),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'officer', label: text('officers:roles.officer') },
            { value: 'admin', label: text('officers:roles.admin') },
          ],
        },
        summaryLabel: text('officers:invite.role'),
      },
      {
        id: 'scope',
        prompt: text('officers:invite.askScope'),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'commune', label: text('officers:invite.oneCommune') },
            { value: 'province', label: text('officers:wholeProvince') },
          ],
        },
        summaryLabel: text('officers:invite.scope'),
      },
      {
        id: 'commune',
        prompt: text('officers:invite.askCommune'),
        input: areaInput(deps.areas),
        when: (answers) => answers['scope'] === 'commune',
        summaryLabel: text('profile:fields.commune'),
      },
    ],
    summary: { title: text('officers:invite.summary') },
    finish: async ({ member, answers, timeZone }) => {
      const role = answers['role'] === 'admin' ? 'admin' : 'officer';
      const areas = answers['scope'] === 'province' ? [WHOLE_PROVINCE] : [answerText(answers['commune'])];
      const { code, invitation } = await deps.invitations.create({
        role,
        areas,
        createdBy: member.id,
        ttlHours: deps.invitationTtlHours,
      });
      // The expiry as the admin reads it: in TIME_ZONE, in her language's format.
      const expires = formatDateTime(invitation.expiresAt, timeZone, member.language);
      return {
        say: [text('officers:invite.created', { code, hours: deps.invitationTtlHours, expires })],
        next: { to: 'home' },
      };
    },
  };

  const list: Flow = {
    id: OFFICERS_FLOW,
    steps: [],
    finish: async ({ t }) => {
      const all = await deps.officers.list();
      if (all.length === 0) return { say: [text('officers:list.none')], next: { to: 'home' } };
      const lines = all.map((o) =>
        t('officers:list.line', {
          name: o.member.displayName ?? t('cases:unnamed'),
          role: t(`officers:roles.${o.member.role}`),
          channel: t(`common:channels.${o.member.channel}`),
          areas: describeAreas(o.areas, deps.areas, t),
          id: o.member.id,
        }),
      );
      return {
        say: [{ raw: [t('officers:list.title', { count: all.length }), ...lines].join('\n') }],
        next: { to: 'home' },
      };
    },
  };

  return [invite, list];
}
