// The console's Data section (issue 16). See src/web/page.ts for the rules every page keeps.
import type { PageModule } from '../deps.ts';

export const dataPages: PageModule = () => [];
