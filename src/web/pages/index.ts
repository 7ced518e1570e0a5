// Every route of the web console, by section (the order of the navigation: src/web/page.ts SECTIONS).
import type { WebDeps } from '../deps.ts';
import type { WebRoute } from '../page.ts';
import { broadcastsPages } from './broadcasts.ts';
import { casesPages } from './cases.ts';
import { coursesPages } from './courses.ts';
import { dataPages } from './data.ts';
import { membersPages } from './members.ts';
import { overviewPages } from './overview.ts';
import { productsPages } from './products.ts';

export function consolePages(deps: WebDeps): WebRoute[] {
  return [
    ...overviewPages(deps),
    ...casesPages(deps),
    ...coursesPages(deps),
    ...productsPages(deps),
    ...broadcastsPages(deps),
    ...membersPages(deps),
    ...dataPages(deps),
  ];
}
