// "My requests": the status of everything a member asked of the Union (loan leads, talks with an officer...).
import type { Flow } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import { openedByMember, type CaseRepository } from '../../domain/cases.ts';
import { formatDate } from '../../domain/time.ts';
import type { MenuEntry } from '../menu/flow.ts';

export const MY_REQUESTS_FLOW = 'myRequests';

export const myRequestsMenuEntry: MenuEntry = {
  flowId: MY_REQUESTS_FLOW,
  label: text('menu:myRequests'),
  audience: 'consented',
};

export function createMyRequestsFlow(deps: { cases: CaseRepository }): Flow {
  return {
    id: MY_REQUESTS_FLOW,
    steps: [],
    finish: async ({ member, t, timeZone }) => {
      const mine = (await deps.cases.listByMember(member.id)).filter((c) => openedByMember(c.type));
      if (mine.length === 0) return { say: [text('cases:mine.none')], next: { to: 'home' } };
      const lines = mine.map((c) =>
        t('cases:mine.line', {
          id: c.id,
          type: t(`cases:types.${c.type}`),
          date: formatDate(c.createdAt, timeZone, member.language),
          status: t(`cases:memberStatuses.${c.status}`),
        }),
      );
      return { say: [{ raw: [t('cases:mine.title'), ...lines].join('\n') }], next: { to: 'home' } };
    },
  };
}
