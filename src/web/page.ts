// The contract between the web console's plumbing (src/web/console.ts: sessions, CSRF, headers, the page shell) and
// its pages (src/web/pages/*.ts). A page is a plain async function of a `WebContext` returning a `PageResult`: it never
// sees fastify, cookies or the CSRF check, and is tested by calling it (test/web/context.ts) as well as in a browser.
//
// Rules every page keeps (issue 16):
// - Authorisation is the services' (the same CaseService, CourseService, ProductService, BroadcastService the chat and
//   CLI call, with `ctx.viewer.member` as the actor). The plumbing only checks that she is signed in and that her role
//   is at least the route's `role` (re-read from the database on every request).
// - Every sentence comes from the locale files (`ctx.t`, namespaces web*), dates through `ctx.dateTime`/`ctx.date`
//   (TIME_ZONE, Vietnamese format in Vietnamese).
// - Every POST form carries `csrfField(ctx)`; the plumbing refuses a POST without a valid token before the page runs.
// - Every view of a member's contact details (phone, name with commune) and every action is written with `ctx.audit`.
// - A state change answers with a redirect (POST/redirect/GET) and a flash text.
import type { Translate } from '../conversation/flow.ts';
import type { Language } from '../domain/member.ts';
import type { Officer } from '../domain/officers.ts';
import { html, type Html } from './html.ts';

/** The console's sections, in the order of its navigation. */
export const SECTIONS = ['overview', 'cases', 'courses', 'products', 'broadcasts', 'members', 'data'] as const;
export type Section = (typeof SECTIONS)[number];

/** Who may open a route: an officer (officers and admins) or an admin only. */
export type WebRole = 'officer' | 'admin';

/** An uploaded file of a multipart form (the Data page's imports, a course's CSV). At most WEB_UPLOAD_MAX_BYTES. */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface WebContext {
  /** The signed-in officer or admin, with her areas, as stored now (re-read for this request). */
  viewer: Officer;
  /** The console's language (her choice on the console, else her chat language). */
  language: Language;
  t: Translate;
  /** Named path segments, decoded. */
  params: Record<string, string>;
  /** The query string. */
  query: URLSearchParams;
  /** The POSTed urlencoded (or multipart) fields; empty on GET. Repeated fields: `getAll`. */
  form: URLSearchParams;
  /** Files of a multipart POST; empty otherwise. */
  files: UploadedFile[];
  /** The CSRF token for this session's forms (see csrfField). */
  csrf: string;
  /** The request's time (the runtime's clock). */
  now: Date;
  /** TIME_ZONE. */
  timeZone: string;
  /** A moment in the viewer's language, in TIME_ZONE (formatDateTime): vi "14:05 07/12/2026", en "7 Dec 2026, 14:05". */
  dateTime(at: Date): string;
  /** The date alone, in TIME_ZONE (formatDate): vi "07/12/2026", en "7 Dec 2026". */
  date(at: Date): string;
  /** Records one audit entry by the viewer (`web.` is prefixed to the action: "web.case.claim"). */
  audit(action: string, subject?: string, details?: Record<string, unknown>): Promise<void>;
}

/** A text shown once at the top of the next page (after a redirect). */
export interface Flash {
  tone: 'ok' | 'error';
  text: string;
}

export type PageResult =
  /** A console page: the shell (navigation, language switch, sign-out) around `body`. */
  | { kind: 'page'; section: Section; title: string; body: Html; status?: number; flash?: Flash }
  /** After a POST: 303 to `to` (a path under the console), with a flash text on the page it leads to. */
  | { kind: 'redirect'; to: string; flash?: Flash }
  /** A download (CSV) or a photo: bytes or text with its type; `filename` makes it an attachment. */
  | { kind: 'file'; contentType: string; body: string | Uint8Array; filename?: string; cache?: 'private' | 'none' }
  /** JSON for the pages' small scripts (live audience size, a broadcast's progress). Never cached. */
  | { kind: 'json'; body: unknown }
  /** 404 page (also for what she may not see: an id in another commune is answered as not found or forbidden). */
  | { kind: 'notFound' }
  /** 403 page with a reason text. */
  | { kind: 'forbidden'; text?: string };

export interface WebRoute {
  method: 'GET' | 'POST';
  /** Path under the console, e.g. "/console/cases/:id" (named segments only). */
  path: string;
  role: WebRole;
  handle(ctx: WebContext): Promise<PageResult>;
}

/** The console's mount point: every page, its assets and its sign-in live under it. */
export const CONSOLE_PREFIX = '/console';

/** The hidden CSRF field every POST form carries. */
export const CSRF_FIELD = '_csrf';

export function csrfField(ctx: Pick<WebContext, 'csrf'>): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}" />`;
}
