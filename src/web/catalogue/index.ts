// The public catalogue's pages (issue 16, "Public catalogue"): approved products for anyone, no sign-in, on a cheap
// phone on 3G. Mounted beside the JSON catalogue (src/http/catalogue.ts) whenever the HTTP server runs.
//
//   GET /catalogue?commune=<code>&group=<group>&page=<n>[&lang=en]   the list, 20 a page
//   GET /catalogue/products/<id>[?lang=en]                           one product (shareable: canonical URL, Open Graph)
//   GET /catalogue/assets/catalogue.css?v=<hash>                     the one stylesheet (cached a year per version)
//   GET /catalogue/assets/favicon.svg, GET /favicon.ico                the site's icon (the console's too; a day)
//
// What is public is ProductService's decision (`published`, `publicOne`: approved listings whose owner's
// productPublishing consent holds, her name, commune and phone only where she consented to each); labels, commune
// names, photo URLs and the query checks are src/http/catalogue.ts's, so the pages and the JSON never disagree. No
// script: server-rendered HTML with one small stylesheet; answers carry the JSON's caching (public, max-age ≤ 60 s,
// ETag, 304). A bad query gets a page saying which choice was wrong (400), an unknown or unpublished product a 404 page;
// nothing a visitor types reaches a 500.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Translate } from '../../conversation/flow.ts';
import { ASSETS_DIR } from '../assetsDir.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Language } from '../../domain/member.ts';
import type { ProductService } from '../../features/products/contract.ts';
import { unitLabel } from '../../features/profile/areaInput.ts';
import {
  CATALOGUE_MAX_AGE_LIMIT,
  CATALOGUE_PER_PAGE_DEFAULT,
  catalogueItem,
  etagMatches,
  etagOf,
  readQuery,
} from '../../http/catalogue.ts';
import type { HttpPlugin } from '../../http/server.ts';
import type { Html } from '../html.ts';
import {
  badQueryDocument,
  CATALOGUE_ASSETS_PATH,
  FAVICON_PATH,
  CATALOGUE_PAGE_PATH,
  CATALOGUE_PRODUCT_PATH,
  listDocument,
  notFoundDocument,
  productDocument,
  type ChatLinks,
  type PageFrame,
} from './render.ts';

export interface CataloguePagesOptions {
  products: Pick<ProductService, 'published' | 'publicPhoto' | 'publicOne'>;
  areas: AreaDirectory;
  /** Texts in the reader's language (vi by default, ?lang=en). */
  translator: (language: Language) => Translate;
  /** PUBLIC_BASE_URL (absolute share links); undefined: root-relative. */
  publicBaseUrl: string | undefined;
  /** CATALOGUE_MAX_AGE_SECONDS. */
  maxAgeSeconds: number;
  /** TIME_ZONE for the "updated" date (default Asia/Ho_Chi_Minh). */
  timeZone?: string;
  /**
   * The bot's public chat addresses (https only; others are ignored), shown on a product whose seller keeps her phone
   * private. Unset: the page says in words how to reach the bot.
   */
  chatLinks?: ChatLinks;
}

const STYLESHEET_FILE = path.join(ASSETS_DIR, 'catalogue.css');
/** The site's icon (the console's too), also answered at /favicon.ico: browsers ask it there whatever a page links. */
const FAVICON_FILE = path.join(ASSETS_DIR, 'favicon.svg');
/** A product id as the path may carry it (listing ids are positive integers). */
const PRODUCT_ID = /^[1-9]\d{0,8}$/;
/** A Host header fit to build links from when PUBLIC_BASE_URL is unset (a name or address, an optional port). */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Content-Security-Policy of the pages: nothing runs, styles and images come from here (photos maybe from PUBLIC_BASE_URL). */
function cspDirectives(publicBaseUrl: string | undefined): Record<string, string[]> {
  const photos = publicBaseUrl ? [new URL(publicBaseUrl).origin] : [];
  return {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', ...photos],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  };
}

function httpsOnly(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The catalogue's HTML pages (/catalogue, /catalogue/products/:id) and their stylesheet. */
export function createCataloguePages(options: CataloguePagesOptions): HttpPlugin {
  const maxAge = Math.max(0, Math.min(CATALOGUE_MAX_AGE_LIMIT, Math.floor(options.maxAgeSeconds)));
  const timeZone = options.timeZone ?? 'Asia/Ho_Chi_Minh';
  const stylesheet = readFileSync(STYLESHEET_FILE);
  const stylesheetTag = etagOf(stylesheet);
  const version = stylesheetTag.slice(3, 13);
  const stylesheetPath = `${CATALOGUE_ASSETS_PATH}/catalogue.css`;
  const favicon = readFileSync(FAVICON_FILE);
  const sendFavicon = (reply: FastifyReply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(favicon);
  const chatLinks: ChatLinks = {};
  const telegram = httpsOnly(options.chatLinks?.telegram);
  const zalo = httpsOnly(options.chatLinks?.zalo);
  if (telegram) chatLinks.telegram = telegram;
  if (zalo) chatLinks.zalo = zalo;
  const items = new Map<Language, ReturnType<typeof catalogueItem>>();
  const itemsIn = (language: Language) => {
    let map = items.get(language);
    if (!map) {
      // Root-relative photo URLs in the pages (same origin, whatever host the reader used); absolute ones for sharing.
      map = catalogueItem({ areas: options.areas, t: options.translator(language) });
      items.set(language, map);
    }
    return map;
  };
  const communes = new Map<Language, { code: string; label: string }[]>();
  const communesIn = (language: Language) => {
    let list = communes.get(language);
    if (!list) {
      const t = options.translator(language);
      const collator = new Intl.Collator('vi');
      list = [...options.areas.list()]
        .sort((a, b) => collator.compare(a.name, b.name))
        .map((unit) => ({ code: unit.code, label: unitLabel(unit, t) }));
      communes.set(language, list);
    }
    return list;
  };

  const languageOf = (request: FastifyRequest): Language => (queryOf(request).get('lang') === 'en' ? 'en' : 'vi');
  const frameOf = (request: FastifyRequest, language: Language): PageFrame => ({
    language,
    t: options.translator(language),
    province: options.areas.province,
    origin: originOf(request, options.publicBaseUrl),
    stylesheet: `${stylesheetPath}?v=${version}`,
    timeZone,
  });

  /** A page with the catalogue's caching: public for max-age, ETag over the bytes, 304 when the reader has them. */
  const sendPage = (request: FastifyRequest, reply: FastifyReply, status: number, page: Html, cache: boolean) => {
    const body = page.text;
    void reply.code(status).type('text/html; charset=utf-8');
    if (!cache) return reply.header('cache-control', 'no-store').send(body);
    const etag = etagOf(body);
    void reply.header('cache-control', `public, max-age=${maxAge}`).header('etag', etag);
    if (status === 200 && etagMatches(headerOf(request, 'if-none-match'), etag)) return reply.code(304).send();
    return reply.send(body);
  };

  return async (app: FastifyInstance) => {
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(options.publicBaseUrl) },
      // Public pages are meant to be linked to: the referrer stays the origin only, as browsers do by default.
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      // The photos are shown by other sites' previews (Zalo, Facebook fetch og:image) and stores' pages.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: false,
    });

    app.get(CATALOGUE_PAGE_PATH, async (request, reply) => {
      const language = languageOf(request);
      const frame = frameOf(request, language);
      // The filter form sends "all" as an empty value; the page size is the catalogue's default.
      const query = new URLSearchParams(queryOf(request));
      for (const name of ['commune', 'group']) {
        if (query.getAll(name).every((value) => value.trim() === '')) query.delete(name);
      }
      query.delete('perPage');
      const read = readQuery(query, options.areas);
      if (!read.ok) return sendPage(request, reply, 400, badQueryDocument(frame, read.parameter, read.issue), false);
      const filters = { ...read.value, perPage: CATALOGUE_PER_PAGE_DEFAULT };
      const page = await options.products.published(filters);
      const toItem = itemsIn(language);
      return sendPage(
        request,
        reply,
        200,
        listDocument(
          frame,
          filters,
          { items: page.items.map(toItem), page: page.page, perPage: page.perPage, total: page.total },
          communesIn(language),
        ),
        true,
      );
    });

    // "/catalogue/" typed or pasted with its slash: the list.
    app.get(`${CATALOGUE_PAGE_PATH}/`, async (request, reply) => {
      const query = queryOf(request).toString();
      return reply.redirect(`${CATALOGUE_PAGE_PATH}${query === '' ? '' : `?${query}`}`, 301);
    });

    app.get(`${CATALOGUE_PRODUCT_PATH}/:id`, async (request, reply) => {
      const language = languageOf(request);
      const frame = frameOf(request, language);
      const id = (request.params as { id?: string }).id ?? '';
      const listing = PRODUCT_ID.test(id) ? await options.products.publicOne(Number(id)) : null;
      if (listing === null) return sendPage(request, reply, 404, notFoundDocument(frame, 'product'), true);
      return sendPage(request, reply, 200, productDocument(frame, itemsIn(language)(listing), chatLinks), true);
    });

    // The icon: linked by the catalogue's and the console's pages; /favicon.ico for browsers that ask it anyway.
    app.get('/favicon.ico', async (_request, reply) => sendFavicon(reply));
    app.get(FAVICON_PATH, async (_request, reply) => sendFavicon(reply));

    app.get(`${CATALOGUE_ASSETS_PATH}/:file`, async (request, reply) => {
      if ((request.params as { file?: string }).file !== 'catalogue.css') {
        return sendPage(request, reply, 404, notFoundDocument(frameOf(request, 'vi'), 'page'), true);
      }
      // The page links it with its version: that URL never changes content. Without it (or an old one), an hour.
      const current = queryOf(request).get('v') === version;
      void reply
        .header('cache-control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=3600')
        .header('etag', stylesheetTag)
        .type('text/css; charset=utf-8');
      if (etagMatches(headerOf(request, 'if-none-match'), stylesheetTag)) return reply.code(304).send();
      return reply.send(stylesheet);
    });

    // Anything else under /catalogue/ that no route (theirs or the JSON's) answers: a page, not JSON.
    await app.register(
      async (scope) => {
        scope.setNotFoundHandler(async (request, reply) => {
          const language = languageOf(request);
          return sendPage(request, reply, 404, notFoundDocument(frameOf(request, language), 'page'), true);
        });
      },
      { prefix: CATALOGUE_PAGE_PATH },
    );
  };
}

function queryOf(request: FastifyRequest): URLSearchParams {
  const url = request.raw.url ?? '';
  const at = url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** PUBLIC_BASE_URL's origin, else the scheme and Host this request came with (when the Host is a plain host name). */
function originOf(request: FastifyRequest, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl) return publicBaseUrl.replace(/\/+$/, '');
  const host = request.host;
  return HOST.test(host) ? `${request.protocol}://${host}` : 'http://localhost';
}
