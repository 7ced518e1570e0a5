// The console's Broadcasts section (issue 16). See src/web/page.ts for the rules every page keeps.
import type { PageModule } from '../deps.ts';

export const broadcastsPages: PageModule = () => [];
