// What the web console's pages are given (src/web/pages/*.ts): the bot's runtime (the same services the chat uses:
// cases, courses, products, broadcasts, members, officers, the audit log) and the admin services (the CLI's: areas and
// programme datasets, jobs, invitations, erasure). Built once in main.ts; tests build the same on a fresh database.
import type { Language } from '../domain/member.ts';
import type { AdminServices, Runtime } from '../wiring.ts';
import type { WebRoute } from './page.ts';

export interface WebDeps {
  runtime: Runtime;
  admin: AdminServices;
  /** TIME_ZONE. */
  timeZone: string;
  /** DEFAULT_LANGUAGE: the console's language for a viewer who chose none. */
  defaultLanguage: Language;
  /** WEB_BASE_URL, e.g. https://hoivien.example.org (links in messages, absolute URLs). */
  baseUrl: URL;
}

/** One section's routes, built from the deps (each file in src/web/pages exports one of these). */
export type PageModule = (deps: WebDeps) => WebRoute[];
