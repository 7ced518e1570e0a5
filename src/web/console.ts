// The web console's plumbing (issue 16): sign-in from a single-use link, sessions in the database (HTTP-only, Secure,
// SameSite cookies; idle timeout; sign out everywhere), CSRF on every POST, security headers, the page shell, the
// console's assets, and the routes of src/web/pages run as the signed-in officer or admin.
//
// Everything here is an encapsulated fastify plugin of the one HTTP server (src/http/server.ts): its body parsers
// (forms, uploads), hooks, headers and error page apply to /console only; the webhooks keep their raw bodies.
// Privacy: logs carry route patterns, statuses and error names, never a URL (a sign-in link's token), a body or a
// member's data.
import { readdirSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Translate } from '../conversation/flow.ts';
import type { Clock, Logger } from '../conversation/ports.ts';
import { loggableError, systemClock } from '../conversation/ports.ts';
import { sharedSecret } from '../data/sharedSecret.ts';
import { LANGUAGES, type Language } from '../domain/member.ts';
import { formatDate, formatDateTime } from '../domain/time.ts';
import type { HttpPlugin } from '../http/server.ts';
import {
  ACCOUNT_PATH,
  accountBody,
  LANGUAGE_PATH,
  needLinkBody,
  refusedBody,
  SIGN_IN_PATH,
  SIGN_OUT_EVERYWHERE_PATH,
  SIGN_OUT_PATH,
  signInButtonBody,
} from './auth/pages.ts';
import {
  cookieNames,
  csrfToken,
  currentSession,
  mayOpen,
  safeConsolePath,
  sameOrigin,
  sameSecret,
  type SignedIn,
} from './auth/session.ts';
import { ASSETS_DIR } from './assetsDir.ts';
import type { WebDeps } from './deps.ts';
import { html, type Html } from './html.ts';
import { ASSETS_PATH, messageBody, renderShell, visibleSections } from './layout.ts';
import {
  CONSOLE_PREFIX,
  CSRF_FIELD,
  type Flash,
  type PageResult,
  type Section,
  type UploadedFile,
  type WebContext,
  type WebRoute,
} from './page.ts';
import { consolePages } from './pages/index.ts';
import { newToken } from '../data/webAccess.ts';

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
  /** The request's time (sessions, links, `ctx.now`): the runtime's clock. Default: the system clock. */
  clock?: Clock;
  /** The pages (default: every section's, src/web/pages). Tests may add routes. */
  routes?: WebRoute[];
}

export { ASSETS_DIR };

/** Content-Security-Policy: everything from this site, no inline script or style, no framing, forms to here only. */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
};

/** How long the flash text and the kept path live in their cookies (seconds). */
const FLASH_SECONDS = 60;
const NEXT_SECONDS = 3600;
/** Form fields (urlencoded) beyond uploads: at most this many bytes. */
const FORM_LIMIT_BYTES = 1024 * 1024;

interface Signed extends SignedIn {
  language: Language;
  t: Translate;
  csrf: string;
  areas: string[];
}

/** The console as a plugin of the one HTTP server (main.ts mounts it when WEB_BASE_URL is set). */
export function createWebConsole(options: WebConsoleOptions): HttpPlugin {
  return async (app: FastifyInstance) => {
    const { runtime, logger, settings } = options;
    const clock = options.clock ?? systemClock;
    const store = runtime.webAccess;
    const secure = options.baseUrl.protocol === 'https:';
    const names = cookieNames(secure);
    // WEB_COOKIE_SECRET, else one generated once and kept in the database (every instance signs alike).
    const secret = settings.cookieSecret ?? (await sharedSecret(runtime.db, 'web-cookie')());
    const routes = options.routes ?? consolePages(options);
    const stylesheets = new Set(
      readdirSync(ASSETS_DIR)
        .filter((file) => file.endsWith('.css'))
        .map((file) => file.slice(0, -'.css'.length)),
    );
    const translator = (language: Language) => runtime.localisation.translator(language);
    const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };

    // Body parsers for this scope only: the server keeps raw bodies for the webhooks' signatures.
    app.removeAllContentTypeParsers();
    await app.register(fastifyCookie, { secret });
    await app.register(fastifyFormbody, { bodyLimit: FORM_LIMIT_BYTES });
    await app.register(fastifyMultipart, {
      limits: {
        fileSize: settings.uploadMaxBytes,
        files: 20,
        fields: 500,
        fieldSize: FORM_LIMIT_BYTES,
        parts: 520,
      },
      throwFileSizeLimit: true,
    });
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      // https only: a browser that saw it on a plain-http localhost would refuse http there for a year.
      strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: false } : false,
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
    });
    await app.register(fastifyStatic, {
      root: ASSETS_DIR,
      prefix: `${ASSETS_PATH}/`,
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      // Checked again on every use: a new version's styles and scripts are seen at once after an upgrade (their URLs
      // carry no version), at the cost of one small request each (the files are a few KB).
      maxAge: 0,
    });

    // Nothing of the console is kept by a browser or a proxy, except its assets (and files a page marks private).
    app.addHook('onSend', async (request, reply, payload) => {
      if (!request.url.startsWith(`${ASSETS_PATH}/`) && reply.getHeader('cache-control') === undefined) {
        void reply.header('cache-control', 'no-store');
      }
      void reply.header('x-robots-tag', 'noindex, nofollow');
      return payload;
    });

    const now = () => clock.now();
    const dateTimeIn = (language: Language) => (at: Date) => formatDateTime(at, options.timeZone, language);

    /** The route table (method + pattern) for "may she open this path": the navigation's sections. */
    const canOpen = (role: SignedIn['member']['role']) => (target: string) =>
      routes.some((r) => r.method === 'GET' && r.path === target && mayOpen(role, r.role)) ||
      (target === CONSOLE_PREFIX && mayOpen(role, 'officer'));

    async function signedIn(request: FastifyRequest): Promise<Signed | null> {
      const found = await currentSession(
        { store, members: runtime.members, settings: { idleMinutes: settings.sessionIdleMinutes } },
        request.cookies[names.session],
        now(),
      );
      if (!found) return null;
      const chosen = LANGUAGES.find((l) => l === found.session.language);
      const language = chosen ?? found.member.language;
      return {
        ...found,
        language,
        t: translator(language),
        csrf: csrfToken(secret, found.session.id),
        areas: await runtime.officers.areasOf(found.member.id),
      };
    }

    /** The flash text a redirect left (signed cookie), cleared once read. */
    function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | undefined {
      const raw = request.cookies[names.flash];
      if (raw === undefined) return undefined;
      void reply.clearCookie(names.flash, cookieBase);
      const unsigned = request.unsignCookie(raw);
      if (!unsigned.valid) return undefined;
      try {
        const parsed = JSON.parse(unsigned.value) as Partial<Flash>;
        if ((parsed.tone === 'ok' || parsed.tone === 'error') && typeof parsed.text === 'string') {
          return { tone: parsed.tone, text: parsed.text };
        }
      } catch {
        // A broken cookie is no flash.
      }
      return undefined;
    }

    function setFlash(reply: FastifyReply, flash: Flash | undefined): void {
      if (!flash) return;
      void reply.setCookie(names.flash, JSON.stringify(flash), {
        ...cookieBase,
        signed: true,
        maxAge: FLASH_SECONDS,
      });
    }

    /** Sends a whole page: the shell (with her navigation when signed in) around `body`. */
    function sendPage(
      request: FastifyRequest,
      reply: FastifyReply,
      page: { status?: number; title: string; body: Html; section?: Section; flash?: Flash },
      who: Signed | null,
      language: Language = who?.language ?? options.defaultLanguage,
    ): FastifyReply {
      const t = who?.t ?? translator(language);
      const flash = page.flash ?? takeFlash(request, reply);
      const document = renderShell({
        language,
        t,
        title: page.title,
        body: page.body,
        ...(page.section === undefined ? {} : { section: page.section }),
        ...(flash === undefined ? {} : { flash }),
        ...(who
          ? {
              sections: visibleSections(canOpen(who.member.role)),
              viewer: { name: displayName(who), role: who.member.role, csrf: who.csrf },
            }
          : {}),
        stylesheets,
        here: pathOf(request),
      });
      return reply
        .code(page.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(document);
    }

    /** Her name as she gave it; without one, nothing (the shell shows her role beside it anyway). */
    const displayName = (who: Signed) => who.member.displayName ?? '';

    function errorPage(
      request: FastifyRequest,
      reply: FastifyReply,
      who: Signed | null,
      status: 400 | 403 | 404 | 413 | 500,
      text?: string,
    ): FastifyReply {
      const t = who?.t ?? translator(options.defaultLanguage);
      const [titleKey, textKey] = {
        400: ['web:errors.serverTitle', 'web:errors.badRequest'],
        403: ['web:errors.forbiddenTitle', 'web:errors.forbidden'],
        404: ['web:errors.notFoundTitle', 'web:errors.notFound'],
        413: ['web:errors.serverTitle', 'web:errors.tooLarge'],
        500: ['web:errors.serverTitle', 'web:errors.server'],
      }[status] as [string, string];
      const back = who ? html`<p><a href="${CONSOLE_PREFIX}">${t('web:errors.back')}</a></p>` : undefined;
      const message = text ?? t(textKey, { mb: Math.floor(settings.uploadMaxBytes / (1024 * 1024)) });
      return sendPage(
        request,
        reply,
        { status, title: t(titleKey), body: messageBody(t(titleKey), [message], back) },
        who,
      );
    }

    /** Not signed in: to the sign-in page, keeping the page she wanted (GET only) for after she signs in. */
    function toSignIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
      const wanted = request.method === 'GET' ? safeConsolePath(pathOf(request)) : undefined;
      if (wanted !== undefined) {
        void reply.setCookie(names.next, wanted, { ...cookieBase, signed: true, maxAge: NEXT_SECONDS });
      }
      void reply.clearCookie(names.session, cookieBase);
      return reply.code(303).header('location', SIGN_IN_PATH).send();
    }

    /** The POSTed fields and files (urlencoded or multipart), read in full before anything is checked or done. */
    async function readForm(request: FastifyRequest): Promise<{ form: URLSearchParams; files: UploadedFile[] }> {
      const form = new URLSearchParams();
      const files: UploadedFile[] = [];
      if (request.isMultipart()) {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            // An empty file input is sent as a part with no name and no bytes: no file.
            if (part.filename === '' && bytes.length === 0) continue;
            files.push({ field: part.fieldname, filename: part.filename, contentType: part.mimetype, bytes });
          } else {
            form.append(part.fieldname, typeof part.value === 'string' ? part.value : String(part.value));
          }
        }
        return { form, files };
      }
      const body = request.body;
      if (body !== null && typeof body === 'object') {
        for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
          for (const v of Array.isArray(value) ? value : [value]) {
            if (typeof v === 'string') form.append(name, v);
          }
        }
      }
      return { form, files };
    }

    /** A POST of hers is hers: same origin and the session's CSRF token. Else 403, before anything is done. */
    function postAllowed(request: FastifyRequest, form: URLSearchParams, who: Signed): boolean {
      return (
        sameOrigin(request.headers.origin, request.headers.host, options.baseUrl) &&
        sameSecret(form.get(CSRF_FIELD), who.csrf)
      );
    }

    function contextFor(
      who: Signed,
      request: FastifyRequest,
      form: URLSearchParams,
      files: UploadedFile[],
    ): WebContext {
      const language = who.language;
      return {
        viewer: { member: who.member, areas: who.areas },
        language,
        t: who.t,
        params: { ...(request.params as Record<string, string>) },
        query: queryOf(request),
        form,
        files,
        csrf: who.csrf,
        now: now(),
        timeZone: options.timeZone,
        dateTime: dateTimeIn(language),
        date: (at) => formatDate(at, options.timeZone, language),
        audit: (action, subject, details) =>
          runtime.audit.record({
            actor: who.member.id,
            action: `web.${action}`,
            ...(subject === undefined ? {} : { subject }),
            ...(details === undefined ? {} : { details }),
          }),
      };
    }

    function sendResult(request: FastifyRequest, reply: FastifyReply, result: PageResult, who: Signed): FastifyReply {
      switch (result.kind) {
        case 'page':
          return sendPage(
            request,
            reply,
            {
              title: result.title,
              body: result.body,
              section: result.section,
              ...(result.status === undefined ? {} : { status: result.status }),
              ...(result.flash === undefined ? {} : { flash: result.flash }),
            },
            who,
          );
        case 'redirect': {
          setFlash(reply, result.flash);
          return reply
            .code(303)
            .header('location', safeConsolePath(result.to) ?? CONSOLE_PREFIX)
            .send();
        }
        case 'file': {
          if (result.filename !== undefined) {
            const ascii = result.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
            void reply.header(
              'content-disposition',
              `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(result.filename)}`,
            );
          }
          void reply.header('cache-control', result.cache === 'private' ? 'private, max-age=3600' : 'no-store');
          void reply.header('x-content-type-options', 'nosniff');
          return reply
            .code(200)
            .type(result.contentType)
            .send(typeof result.body === 'string' ? result.body : Buffer.from(result.body));
        }
        case 'json':
          return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(result.body));
        case 'notFound':
          return errorPage(request, reply, who, 404);
        case 'forbidden':
          return errorPage(request, reply, who, 403, result.text);
      }
    }

    /** Runs one page route as the signed-in viewer: session, role, CSRF, then the page. */
    async function runRoute(route: WebRoute, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
      const who = await signedIn(request);
      if (!who) return toSignIn(request, reply);
      if (!mayOpen(who.member.role, route.role)) return errorPage(request, reply, who, 403);
      let form = new URLSearchParams();
      let files: UploadedFile[] = [];
      if (route.method === 'POST') {
        ({ form, files } = await readForm(request));
        if (!postAllowed(request, form, who)) return errorPage(request, reply, who, 403, who.t('web:errors.csrf'));
      }
      let result: PageResult;
      try {
        const ctx = contextFor(who, request, form, files);
        // A POST is one unit of work, like a turn: what it changes, its audit entries and the messages it queues for
        // members (a cancelled course's registrants, a reviewed listing's seller) commit together or not at all, and
        // the messages go out after the commit. A service's own unit (cases, broadcasts, erasure) joins this one.
        result =
          route.method === 'POST' ? await runtime.transactor.run(() => route.handle(ctx)) : await route.handle(ctx);
      } catch (error) {
        logger.error({ route: route.path, method: route.method, err: loggableError(error) }, 'web console page failed');
        return errorPage(request, reply, who, 500);
      }
      return sendResult(request, reply, result, who);
    }

    // Every POST route accepts an upload of WEB_UPLOAD_MAX_BYTES plus its form fields.
    const postBodyLimit = settings.uploadMaxBytes + FORM_LIMIT_BYTES;
    for (const route of routes) {
      app.route({
        method: route.method,
        url: route.path,
        ...(route.method === 'POST' ? { bodyLimit: postBodyLimit } : {}),
        handler: (request, reply) => runRoute(route, request, reply),
      });
    }

    // Sign-in, step 1: the link opens a page with one button. The GET never uses the token (a chat app's link
    // preview fetches the URL); a double-submit cookie ties the button's form to this browser.
    app.get(SIGN_IN_PATH, async (request, reply) => {
      const token = queryOf(request).get('token') ?? '';
      const who = await signedIn(request);
      const language = who?.language ?? options.defaultLanguage;
      const t = translator(language);
      if (token === '') {
        if (who && mayOpen(who.member.role, 'officer'))
          return reply.code(303).header('location', CONSOLE_PREFIX).send();
        return sendPage(request, reply, { title: t('web:signIn.title'), body: needLinkBody(t) }, null, language);
      }
      const check = newToken();
      void reply.setCookie(names.signIn, check, { ...cookieBase, maxAge: settings.linkMinutes * 60 });
      return sendPage(
        request,
        reply,
        { title: t('web:signIn.title'), body: signInButtonBody(t, token.slice(0, 200), check) },
        null,
        language,
      );
    });

    // Sign-in, step 2: the button uses the link (once, atomically) and starts a session.
    app.post(SIGN_IN_PATH, async (request, reply) => {
      const { form } = await readForm(request);
      const t = translator(options.defaultLanguage);
      const title = t('web:signIn.refusedTitle');
      const check = request.cookies[names.signIn];
      if (
        check === undefined ||
        !sameOrigin(request.headers.origin, request.headers.host, options.baseUrl) ||
        !sameSecret(form.get(CSRF_FIELD), check)
      ) {
        return sendPage(request, reply, { status: 403, title, body: messageBody(title, [t('web:errors.csrf')]) }, null);
      }
      void reply.clearCookie(names.signIn, cookieBase);
      const at = now();
      const used = await store.useLink(form.get('token') ?? '', at);
      if ('refused' in used) {
        return sendPage(request, reply, { status: 400, title, body: refusedBody(t, used.refused) }, null);
      }
      const member = await runtime.members.findById(used.memberId);
      if (!member || !mayOpen(member.role, 'officer')) {
        return sendPage(request, reply, { status: 403, title, body: refusedBody(t, 'notStaff') }, null);
      }
      // A session she had in this browser ends: the new one gets a new token (no fixation).
      const old = await store.findSession(request.cookies[names.session] ?? '');
      if (old) await store.endSession(old.id);
      const token = await store.startSession(
        member.id,
        at,
        new Date(at.getTime() + settings.sessionMaxHours * 3_600_000),
        null,
      );
      await runtime.audit.record({ actor: member.id, action: 'web.signIn', subject: member.id });
      void reply.setCookie(names.session, token, { ...cookieBase, maxAge: settings.sessionMaxHours * 3600 });
      const kept = request.cookies[names.next];
      const next = kept === undefined ? undefined : request.unsignCookie(kept);
      void reply.clearCookie(names.next, cookieBase);
      const to = next?.valid === true ? safeConsolePath(next.value) : undefined;
      return reply
        .code(303)
        .header('location', to ?? CONSOLE_PREFIX)
        .send();
    });

    /** A POST of the plumbing's own (sign-out, language, sign out everywhere), as a signed-in viewer. */
    const ownPost = (
      url: string,
      handle: (
        who: Signed,
        form: URLSearchParams,
        request: FastifyRequest,
        reply: FastifyReply,
      ) => Promise<FastifyReply>,
    ) =>
      app.post(url, async (request, reply) => {
        const who = await signedIn(request);
        if (!who) return toSignIn(request, reply);
        const { form } = await readForm(request);
        if (!postAllowed(request, form, who)) return errorPage(request, reply, who, 403, who.t('web:errors.csrf'));
        return handle(who, form, request, reply);
      });

    ownPost(SIGN_OUT_PATH, async (who, _form, _request, reply) => {
      await store.endSession(who.session.id);
      await runtime.audit.record({ actor: who.member.id, action: 'web.signOut', subject: who.member.id });
      void reply.clearCookie(names.session, cookieBase);
      setFlash(reply, { tone: 'ok', text: who.t('web:signIn.signedOut') });
      return reply.code(303).header('location', SIGN_IN_PATH).send();
    });

    ownPost(SIGN_OUT_EVERYWHERE_PATH, async (who, _form, _request, reply) => {
      const count = await store.endSessionsOf(who.member.id);
      await runtime.audit.record({
        actor: who.member.id,
        action: 'web.signOutEverywhere',
        subject: who.member.id,
        details: { sessions: count },
      });
      void reply.clearCookie(names.session, cookieBase);
      setFlash(reply, { tone: 'ok', text: who.t('web:accountPage.signedOutEverywhere', { count }) });
      return reply.code(303).header('location', SIGN_IN_PATH).send();
    });

    ownPost(LANGUAGE_PATH, async (who, form, _request, reply) => {
      const language = LANGUAGES.find((l) => l === form.get('language'));
      if (language === undefined) return errorPage(_request, reply, who, 400);
      await store.setLanguage(who.session.id, language);
      return reply
        .code(303)
        .header('location', safeConsolePath(form.get('back')) ?? CONSOLE_PREFIX)
        .send();
    });

    app.get(ACCOUNT_PATH, async (request, reply) => {
      const who = await signedIn(request);
      if (!who) return toSignIn(request, reply);
      if (!mayOpen(who.member.role, 'officer')) return errorPage(request, reply, who, 403);
      const sessions = await store.sessionsOf(who.member.id);
      const body = accountBody({
        t: who.t,
        member: who.member,
        areas: who.areas,
        areaName: (code) => runtime.areas.byCodeOrNull(code)?.name ?? code,
        sessions,
        currentId: who.session.id,
        csrf: who.csrf,
        dateTime: dateTimeIn(who.language),
      });
      return sendPage(request, reply, { title: who.t('web:accountPage.title'), body }, who);
    });

    // Any other /console path: the 404 page (in her shell when signed in). Assets are the static plugin's.
    const notFound = async (request: FastifyRequest, reply: FastifyReply) => {
      const who = await signedIn(request);
      if (!who) return toSignIn(request, reply);
      return errorPage(request, reply, who, 404);
    };
    app.get(`${CONSOLE_PREFIX}/*`, notFound);
    app.post(`${CONSOLE_PREFIX}/*`, notFound);

    // A body the parsers refused (too large, not a form), or a failure outside a page: a page, never a stack.
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
      const fields = {
        method: request.method,
        route: request.routeOptions.url ?? '(unmatched)',
        status,
        errName: error.name,
        errCode: error.code,
      };
      if (status >= 500) logger.error(fields, 'web console request failed');
      else logger.info(fields, 'web console request refused');
      const who = await signedIn(request).catch(() => null);
      if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE') return errorPage(request, reply, who, 413);
      if (status >= 400 && status < 500) return errorPage(request, reply, who, 400);
      return errorPage(request, reply, who, 500);
    });
  };
}

/** The path and query she asked for (for "come back here"), as sent. */
function pathOf(request: FastifyRequest): string {
  return request.url;
}

function queryOf(request: FastifyRequest): URLSearchParams {
  const url = request.url;
  const at = url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
}
