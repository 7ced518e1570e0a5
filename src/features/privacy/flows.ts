// "My data" shows a member everything stored about her, in short pages; "Delete my data" erases it after a
// confirmation (Law 91/2025/QH15: deletion on request). Deleting removes the member row and all that hangs on it.
import type { Flow, FlowContext, Said } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { MemberRepository } from '../../domain/member.ts';
import { consentMenuEntry } from '../consent/flow.ts';
import { menuItemFor, type MenuEntry } from '../menu/flow.ts';
import { paginate } from './myData.ts';
import { personalDataEntries, type PersonalDataKind } from './registry.ts';
import { profileMenuEntry } from '../profile/flows.ts';

export const MY_DATA_FLOW = 'myData';
export const DELETE_DATA_FLOW = 'deleteData';

export const myDataMenuEntry: MenuEntry = { flowId: MY_DATA_FLOW, label: text('menu:myData'), audience: 'everyone' };
export const deleteDataMenuEntry: MenuEntry = {
  flowId: DELETE_DATA_FLOW,
  label: text('menu:deleteData'),
  audience: 'everyone',
};

/** Answers of the "more?" question: the page to show next and how many there are. */
const NEXT_PAGE = 'nextPage';
const PAGES = 'pages';

/**
 * "My data": every kind of the personal-data registry (registry.ts; read at each turn, so kinds declared after this
 * flow is built are shown) in pages of at most PAGE_CHARS characters. After a page with more to
 * come: "Xem thêm" / "Về menu" (buttons, or their numbers where a channel has none). The last page ends with what
 * she can do about it, naming only items of her own menu.
 */
export function createMyDataFlow(deps: { personalData: () => readonly PersonalDataKind[] }): Flow {
  return {
    id: MY_DATA_FLOW,
    steps: [
      {
        id: 'more',
        prompt: ({ answers }) => text('privacy:more', { page: answers[NEXT_PAGE], pages: answers[PAGES] }),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'more', label: text('privacy:moreButton') },
            { value: 'menu', label: text('privacy:toMenu') },
          ],
        },
        when: (answers) => typeof answers[NEXT_PAGE] === 'number',
      },
    ],
    finish: async (ctx) => {
      const { answers, t } = ctx;
      if (answers['more'] === 'menu') return { say: [], next: { to: 'home' } };
      const pages = paginate(await personalDataEntries(deps.personalData(), ctx));
      const requested = typeof answers[NEXT_PAGE] === 'number' ? answers[NEXT_PAGE] : 1;
      const page = Math.min(Math.max(1, requested), pages.length);
      const title = pages.length > 1 ? t('privacy:titlePage', { page, pages: pages.length }) : t('privacy:title');
      const say: Said[] = [{ raw: `${title}\n${pages[page - 1] ?? ''}` }];
      if (page < pages.length) {
        return {
          say,
          next: { to: 'flow', flowId: MY_DATA_FLOW, answers: { [NEXT_PAGE]: page + 1, [PAGES]: pages.length } },
        };
      }
      const hints = whatSheCanDo(ctx);
      if (hints.length > 0) say.push({ raw: hints.join('\n') });
      return { say, next: { to: 'home' } };
    },
  };
}

/** "To change it, choose …; to erase everything, choose …", with the items of her own menu only. */
function whatSheCanDo({ member, t }: FlowContext): string[] {
  const hints: string[] = [];
  const profile = menuItemFor(member, profileMenuEntry, t);
  const consent = menuItemFor(member, consentMenuEntry, t);
  const erase = menuItemFor(member, deleteDataMenuEntry, t);
  if (profile) hints.push(t('privacy:hintEdit', { item: profile }));
  else if (consent) hints.push(t('privacy:hintConsent', { item: consent }));
  if (erase) hints.push(t('privacy:hintDelete', { item: erase }));
  return hints;
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
