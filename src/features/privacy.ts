// "My data" shows a member everything stored about her; "Delete my data" erases it after a confirmation
// (Law 91/2025/QH15: deletion on request). Deleting removes the member row and all that hangs on it.
import type { Flow } from '../conversation/flow.ts';
import { text } from '../conversation/flow.ts';
import type { AreaDirectory } from '../domain/areas.ts';
import type { MemberRepository } from '../domain/member.ts';
import { formatVietnamesePhone } from '../domain/phone.ts';
import { formatDate } from '../domain/time.ts';
import { unitLabel } from './areaInput.ts';
import type { MenuEntry } from './menu.ts';

export const MY_DATA_FLOW = 'myData';
export const DELETE_DATA_FLOW = 'deleteData';

export const myDataMenuEntry: MenuEntry = { flowId: MY_DATA_FLOW, label: text('menu:myData'), audience: 'everyone' };
export const deleteDataMenuEntry: MenuEntry = {
  flowId: DELETE_DATA_FLOW,
  label: text('menu:deleteData'),
  audience: 'everyone',
};

export function createMyDataFlow(deps: { areas: AreaDirectory }): Flow {
  return {
    id: MY_DATA_FLOW,
    steps: [],
    finish: async ({ member, t, timeZone }) => {
      const none = t('privacy:notStored');
      const commune = deps.areas.byCodeOrNull(member.communeCode);
      const date = (d: Date | null) => (d ? formatDate(d, timeZone, member.language) : none);
      return {
        say: [
          text('privacy:myData', {
            channel: t(`common:channels.${member.channel}`),
            language: t(`common:languages.${member.language}`),
            name: member.displayName ?? none,
            commune: commune ? unitLabel(commune, t) : none,
            phone: member.phone ? formatVietnamesePhone(member.phone) : none,
            consent: member.consentAt
              ? t('privacy:consentGiven', { date: date(member.consentAt) })
              : t('privacy:consentNotGiven'),
            since: date(member.createdAt),
          }),
        ],
        next: { to: 'home' },
      };
    },
  };
}

export function createDeleteDataFlow(deps: { members: MemberRepository }): Flow {
  return {
    id: DELETE_DATA_FLOW,
    steps: [{ id: 'confirm', prompt: text('privacy:deleteQuestion'), input: { kind: 'yesno' } }],
    finish: async ({ member, answers }) => {
      if (answers['confirm'] !== 'yes') return { say: [text('privacy:deleteKept')], next: { to: 'home' } };
      await deps.members.delete(member.id);
      return { say: [text('privacy:deleted')], next: { to: 'end' } };
    },
  };
}
