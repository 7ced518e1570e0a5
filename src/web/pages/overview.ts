// The console's Overview section (issue 16). See src/web/page.ts for the rules every page keeps.
import type { PageModule } from '../deps.ts';

export const overviewPages: PageModule = () => [];
