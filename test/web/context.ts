// Calls the web console's pages as the plumbing would, without HTTP: a WebDeps on a fresh database (the real runtime
// and admin services), a signed-in viewer, and `call(method, path, ...)` that finds the route, checks its role as the
// plumbing does, and returns the PageResult (the HTML text of a page's body is `text(result)`). Browser tests
// (test/web/*.browser.test.ts) check the same pages through the real server.
import type { PrismaClient } from '../../src/data/database.ts';
import { formatDate, formatDateTime } from '../../src/domain/time.ts';
import type { Member } from '../../src/domain/member.ts';
import type { WebDeps } from '../../src/web/deps.ts';
import type { PageResult, UploadedFile, WebContext, WebRoute } from '../../src/web/page.ts';
import { consolePages } from '../../src/web/pages/index.ts';
import { createAdminServices, type Runtime } from '../../src/wiring.ts';
import { AREAS_FILE, realRuntime, TestClock } from '../helpers/chat.ts';
import { tempFilesDir } from '../helpers/photos.ts';

export interface WebHarness {
  deps: WebDeps;
  runtime: Runtime;
  clock: TestClock;
  routes: WebRoute[];
  /** A staff member with these areas ('*' = the whole province), created and assigned as the CLI would. */
  staff(role: 'officer' | 'admin', areas: string[], name?: string): Promise<Member>;
  /**
   * Runs the route matching `method path` as `viewer` (role checked like the plumbing: a plain member or an officer on
   * an admin route gets { kind: 'forbidden' }). `form` for POSTs. Throws when no route matches.
   */
  call(
    viewer: Member,
    method: 'GET' | 'POST',
    path: string,
    options?: { form?: Record<string, string | string[]>; files?: UploadedFile[]; language?: 'vi' | 'en' },
  ): Promise<PageResult>;
}

/** The HTML (or text) of a result: a page's body, a file's text, JSON as text; '' for the others. */
export function text(result: PageResult): string {
  if (result.kind === 'page') return result.body.text;
  if (result.kind === 'file')
    return typeof result.body === 'string' ? result.body : Buffer.from(result.body).toString();
  if (result.kind === 'json') return JSON.stringify(result.body);
  return '';
}

function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(got[i]!);
    else if (w !== got[i]) return null;
  }
  return params;
}

let sequence = 0;

export function webHarness(prisma: PrismaClient, clock: TestClock = new TestClock()): WebHarness {
  const runtime = realRuntime(prisma, clock);
  // As main.ts builds them: on the bot's runtime (its ambient client and unit of work).
  const admin = createAdminServices({ prisma, areasFile: AREAS_FILE, clock, filesDir: tempFilesDir(), runtime });
  const deps: WebDeps = {
    runtime,
    admin,
    timeZone: 'Asia/Ho_Chi_Minh',
    defaultLanguage: 'vi',
    baseUrl: new URL('http://localhost:8080'),
  };
  const routes = consolePages(deps);
  return {
    deps,
    runtime,
    clock,
    routes,
    async staff(role, areas, name) {
      const member = await runtime.members.create({
        channel: 'telegram',
        channelUserId: `web-staff-${++sequence}-${Date.now()}`,
        language: 'vi',
      });
      await runtime.members.update(member.id, { displayName: name ?? `Cán bộ ${sequence}`, consentAt: clock.now() });
      await runtime.officers.assign(member.id, role, areas);
      return (await runtime.members.findById(member.id))!;
    },
    async call(viewer, method, fullPath, options = {}) {
      const [path, queryText] = fullPath.split('?') as [string, string | undefined];
      const found = routes
        .filter((r) => r.method === method)
        .map((route) => ({ route, params: match(route.path, path) }))
        .find((m) => m.params !== null);
      if (!found) throw new Error(`no route for ${method} ${path}`);
      const member = (await runtime.members.findById(viewer.id)) ?? viewer;
      const rank = { member: 0, officer: 1, admin: 2 } as const;
      if (rank[member.role] < rank[found.route.role]) return { kind: 'forbidden' };
      const language = options.language ?? 'vi';
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(options.form ?? {})) {
        for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
      }
      const ctx: WebContext = {
        viewer: { member, areas: await runtime.officers.areasOf(member.id) },
        language,
        t: runtime.localisation.translator(language),
        params: found.params!,
        query: new URLSearchParams(queryText ?? ''),
        form,
        files: options.files ?? [],
        csrf: 'test-csrf-token',
        now: clock.now(),
        timeZone: deps.timeZone,
        dateTime: (at) => formatDateTime(at, deps.timeZone, language),
        date: (at) => formatDate(at, deps.timeZone, language),
        audit: (action, subject, details) =>
          runtime.audit.record({
            actor: member.id,
            action: `web.${action}`,
            ...(subject === undefined ? {} : { subject }),
            ...(details === undefined ? {} : { details }),
          }),
      };
      // As the plumbing does (src/web/console.ts): a POST is one unit of work.
      return method === 'POST' ? runtime.transactor.run(() => found.route.handle(ctx)) : found.route.handle(ctx);
    },
  };
}
