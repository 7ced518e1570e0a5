// The public catalogue's HTML (issue 16, "Public catalogue"): pure functions from what ProductService.published /
// publicOne return (mapped by src/http/catalogue.ts `catalogueItem`: labels, commune names, photo URLs) to complete
// documents. No script at all, one small stylesheet, lazy thumbnails with their size set, every text from
// locales/<language>/webCatalogue.json, every value escaped by the `html` template of ../html.ts. Fastify stays in
// index.ts.
//
// The templates use `html` under the name `markup`: Prettier reformats templates tagged `html`, and these pages are
// kept compact by hand (the list's 20 cards must stay well under 30 KB on 3G).
import type { Translate } from '../../conversation/flow.ts';
import { PRODUCT_GROUPS, type ProductGroup } from '../../domain/listings.ts';
import type { Language } from '../../domain/member.ts';
import { formatDate, formatIsoDate } from '../../domain/time.ts';
import type { CatalogueIssue, CatalogueItem } from '../../http/catalogue.ts';
import { html as markup, raw, type Html } from '../html.ts';

/** The pages' paths. */
export const CATALOGUE_PAGE_PATH = '/catalogue';
export const CATALOGUE_PRODUCT_PATH = '/catalogue/products';
export const CATALOGUE_ASSETS_PATH = '/catalogue/assets';
/** The site's icon (src/web/assets/favicon.svg), linked by every page. */
export const FAVICON_PATH = `${CATALOGUE_ASSETS_PATH}/favicon.svg`;

/** Size given to every thumbnail (the photo stage makes thumbnails with a longest side of 320 px; most are 4:3). */
const THUMB_WIDTH = 320;
const THUMB_HEIGHT = 240;
/** Longest meta/Open Graph description, in characters (what link previews show). */
const DESCRIPTION_MAX = 160;

/**
 * The bot's Telegram link opening the chat on a product: `?start=sp<id>` (Telegram sends "/start sp<id>", which the
 * channel passes on as the text "sp<id>": a buyer's enquiry about that product).
 */
export function telegramStart(link: string, id: number | string): string {
  const url = new URL(link);
  url.searchParams.set('start', `sp${id}`);
  return url.toString();
}

/** Chat addresses of the bot, when the deployment knows them (https URLs: t.me/<bot>, zalo.me/<oa id>). */
export interface ChatLinks {
  telegram?: string;
  zalo?: string;
}

/** What every page needs besides its own data. */
export interface PageFrame {
  language: Language;
  t: Translate;
  /** The province of the areas data ("Thái Nguyên"). */
  province: string;
  /** Scheme and host (and path, from PUBLIC_BASE_URL) for absolute links: canonical, Open Graph, the share link. */
  origin: string;
  /** The stylesheet's URL (with its version). */
  stylesheet: string;
  /** TIME_ZONE, for the "updated" date. */
  timeZone: string;
}

/** The list's filters as read from a valid query. */
export interface ListFilters {
  communeCode?: string;
  productGroup?: ProductGroup;
  page: number;
}

/** A page of the list as the service gave it. */
export interface ListPage {
  items: CatalogueItem[];
  page: number;
  perPage: number;
  total: number;
}

/** A commune/ward of the filter: its statistics code and its name as readers know it ("Phường Phan Đình Phùng"). */
export interface CommuneChoice {
  code: string;
  label: string;
}

const money = new Map<Language, Intl.NumberFormat>();

/** A price in VND the way readers write it: vi "250.000 ₫", en "₫250,000". */
export function formatVnd(amount: number, language: Language): string {
  let format = money.get(language);
  if (!format) {
    format = new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-US', {
      style: 'currency',
      currency: 'VND',
      maximumFractionDigits: 0,
    });
    money.set(language, format);
  }
  // Intl puts a no-break space between the amount and "₫": kept, so the sign never wraps alone.
  return format.format(amount);
}

/**
 * A stored phone (E.164, "+84912345678") for a reader: "0912 345 678", its tel: address and, for a Vietnamese mobile
 * number, the Zalo address people use for it (zalo.me/<local number>). Anything else is shown as stored.
 */
export function displayPhone(phone: string): { text: string; tel: string; zalo: string | null } {
  const tel = phone.replace(/[^\d+]/g, '');
  const vn = /^\+84(\d{9})$/.exec(tel);
  if (!vn) return { text: phone, tel, zalo: null };
  const local = `0${vn[1]!}`;
  return {
    text: `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}`,
    tel,
    zalo: `https://zalo.me/${local}`,
  };
}

/** Appends `lang=en` for English (Vietnamese is the default and carries no parameter). */
function withLanguage(params: URLSearchParams, language: Language): string {
  if (language !== 'vi') params.set('lang', language);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** The list's path for these filters (page 1 and Vietnamese leave their parameter out: one URL per page). */
export function listPath(filters: Partial<ListFilters>, language: Language): string {
  const params = new URLSearchParams();
  if (filters.communeCode) params.set('commune', filters.communeCode);
  if (filters.productGroup) params.set('group', filters.productGroup);
  if (filters.page !== undefined && filters.page > 1) params.set('page', String(filters.page));
  return `${CATALOGUE_PAGE_PATH}${withLanguage(params, language)}`;
}

/** A product page's path. */
export function productPath(id: number, language: Language): string {
  return `${CATALOGUE_PRODUCT_PATH}/${id}${withLanguage(new URLSearchParams(), language)}`;
}

/** One line, at most `max` characters, cut at a word with "…". */
function summary(text: string, max = DESCRIPTION_MAX): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

interface DocumentParts {
  title: string;
  description: string;
  /** Path of this page's canonical URL in this language. */
  canonical: string;
  /** The same page in the other language (the switch link). */
  otherLanguage: string;
  /** The Vietnamese and English paths of this page (hreflang alternates). */
  alternates?: { vi: string; en: string };
  image?: { url: string; alt: string };
  type?: 'website' | 'product';
  main: Html;
}

/** The whole document: head with canonical and Open Graph tags, the header with the language switch, main, footer. */
function page(frame: PageFrame, parts: DocumentParts): Html {
  const { t, language, origin } = frame;
  const absolute = (path: string) => (/^https?:\/\//.test(path) ? path : `${origin}${path}`);
  const other: Language = language === 'vi' ? 'en' : 'vi';
  const siteName = t('webCatalogue:siteName');
  const alternates = parts.alternates
    ? markup`<link rel="alternate" hreflang="vi" href="${absolute(parts.alternates.vi)}">
<link rel="alternate" hreflang="en" href="${absolute(parts.alternates.en)}">
`
    : '';
  const image = parts.image
    ? markup`<meta property="og:image" content="${absolute(parts.image.url)}">
<meta property="og:image:alt" content="${parts.image.alt}">
<meta name="twitter:card" content="summary_large_image">
`
    : '';
  return markup`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title}</title>
<meta name="description" content="${parts.description}">
<link rel="canonical" href="${absolute(parts.canonical)}">
${alternates}<meta property="og:site_name" content="${siteName}">
<meta property="og:type" content="${parts.type ?? 'website'}">
<meta property="og:title" content="${parts.title}">
<meta property="og:description" content="${parts.description}">
<meta property="og:url" content="${absolute(parts.canonical)}">
<meta property="og:locale" content="${language === 'vi' ? 'vi_VN' : 'en_US'}">
${image}<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
<link rel="stylesheet" href="${frame.stylesheet}">
</head>
<body>
<a class="skip" href="#main">${t('webCatalogue:skip')}</a>
<header class="site">
<a class="brand" href="${listPath({}, language)}">${siteName}</a>
<a class="lang" href="${parts.otherLanguage}" hreflang="${other}" lang="${other}">${t('webCatalogue:switchLanguage')}</a>
</header>
<main id="main">
${parts.main}
</main>
<footer class="site">${t('webCatalogue:union', { province: frame.province })}</footer>
</body>
</html>
`;
}

/** "OCOP ★★★" seen, "OCOP 3 sao" heard. */
function ocopStars(t: Translate, stars: number): Html {
  return markup`<span class="ocop"><span aria-hidden="true">OCOP ${'★'.repeat(stars)}</span><span class="visually-hidden">${t(
    'webCatalogue:product.ocop',
    { stars },
  )}</span></span>`;
}

function availability(t: Translate, available: boolean): Html {
  return available
    ? markup`<span class="tag ok">${t('webCatalogue:product.available')}</span>`
    : markup`<span class="tag sold">${t('webCatalogue:product.soldOut')}</span>`;
}

function priceText(frame: PageFrame, item: CatalogueItem): string {
  return frame.t('webCatalogue:product.price', { price: formatVnd(item.price, frame.language), unit: item.unit });
}

function placeText(frame: PageFrame, item: CatalogueItem): string {
  const { t, province } = frame;
  return item.seller.commune
    ? t('webCatalogue:product.placeValue', { commune: item.seller.commune.name, province })
    : t('webCatalogue:product.provinceOnly', { province });
}

function card(frame: PageFrame, item: CatalogueItem): Html {
  const { t, province } = frame;
  const photo = item.photos[0];
  const image = photo
    ? markup`<img src="${photo.thumbnailUrl}" alt="" width="${THUMB_WIDTH}" height="${THUMB_HEIGHT}" loading="lazy" decoding="async">`
    : markup`<span class="no-photo"></span>`;
  const place = item.seller.commune?.name ?? t('webCatalogue:product.provinceOnly', { province });
  return markup`<li class="card">
<a class="card-link" href="${productPath(item.id, frame.language)}">${image}<h2>${item.name}</h2></a>
<p class="price">${priceText(frame, item)}</p>
<p class="tags">${item.ocop ? ocopStars(t, item.ocop.stars) : ''}${availability(t, item.available)}</p>
<p class="place">${place}</p>
</li>
`;
}

function option(value: string, label: string, selected: boolean): Html {
  return markup`<option value="${value}"${selected ? raw(' selected') : ''}>${label}</option>`;
}

function filterForm(frame: PageFrame, filters: ListFilters, communes: CommuneChoice[]): Html {
  const { t, language } = frame;
  const communeOptions = communes.map((c) => option(c.code, c.label, c.code === filters.communeCode));
  const groupOptions = PRODUCT_GROUPS.map((g) => option(g, t(`catalogue:groups.${g}`), g === filters.productGroup));
  const keepLanguage = language === 'vi' ? '' : markup`<input type="hidden" name="lang" value="${language}">`;
  return markup`<form class="filters" method="get" action="${CATALOGUE_PAGE_PATH}" role="search" aria-label="${t(
    'webCatalogue:list.filters',
  )}">
<div class="field"><label for="f-commune">${t('webCatalogue:list.commune')}</label>
<select id="f-commune" name="commune">${option('', t('webCatalogue:list.allCommunes'), !filters.communeCode)}${communeOptions}</select></div>
<div class="field"><label for="f-group">${t('webCatalogue:list.group')}</label>
<select id="f-group" name="group">${option('', t('webCatalogue:list.allGroups'), !filters.productGroup)}${groupOptions}</select></div>
${keepLanguage}<button type="submit">${t('webCatalogue:list.apply')}</button>
</form>`;
}

/**
 * GET /catalogue: the filter form (`communes` in the order given; the OCOP groups), how many products match, the
 * cards (thumbnail, name, price per unit, OCOP stars, available / sold out, commune or province) and the pager.
 */
export function listDocument(frame: PageFrame, filters: ListFilters, list: ListPage, communes: CommuneChoice[]): Html {
  const { t, language } = frame;
  const pages = Math.max(1, Math.ceil(list.total / list.perPage));
  const inRange = filters.page <= pages;
  const filtered = filters.communeCode !== undefined || filters.productGroup !== undefined;
  const filterNames = [
    filters.productGroup ? t(`catalogue:groups.${filters.productGroup}`) : null,
    filters.communeCode ? (communes.find((c) => c.code === filters.communeCode)?.label ?? null) : null,
  ].filter((name): name is string => name !== null);
  const title = filtered
    ? t('webCatalogue:list.titleFiltered', { filter: filterNames.join(' · ') })
    : t('webCatalogue:list.title');
  const pageOf = t('webCatalogue:list.pageOf', { page: filters.page, pages });
  const at = (p: number) => listPath({ ...filters, page: p }, language);
  const all = listPath({}, language);

  let content: Html;
  if (list.items.length > 0) {
    content = markup`<ul class="cards">
${list.items.map((item) => card(frame, item))}</ul>`;
  } else if (list.total > 0) {
    content = markup`<p class="empty">${t('webCatalogue:list.pastEnd')} <a href="${at(1)}">${t('webCatalogue:list.firstPage')}</a></p>`;
  } else if (filtered) {
    content = markup`<p class="empty">${t('webCatalogue:list.empty')} <a href="${all}">${t('webCatalogue:list.seeAll')}</a></p>`;
  } else {
    content = markup`<p class="empty">${t('webCatalogue:list.emptyAll')}</p>`;
  }

  const previous =
    filters.page > 1
      ? markup`<a rel="prev" href="${at(filters.page - 1)}">← ${t('webCatalogue:list.previous')}</a>`
      : '';
  const next =
    filters.page < pages
      ? markup`<a rel="next" href="${at(filters.page + 1)}">${t('webCatalogue:list.next')} →</a>`
      : '';
  const pager =
    pages > 1 && inRange
      ? markup`<nav class="pager" aria-label="${t('webCatalogue:list.pager')}"><span>${previous}</span><span>${pageOf}</span><span>${next}</span></nav>`
      : '';

  const count = t(`webCatalogue:list.count.${list.total === 1 ? 'one' : 'other'}`, { count: list.total });
  const first = list.items.find((item) => item.photos.length > 0);
  return page(frame, {
    title: filters.page > 1 ? `${title} (${pageOf})` : title,
    description: t('webCatalogue:list.description', { province: frame.province }),
    canonical: listPath(filters, language),
    otherLanguage: listPath(filters, language === 'vi' ? 'en' : 'vi'),
    alternates: { vi: listPath(filters, 'vi'), en: listPath(filters, 'en') },
    ...(first ? { image: { url: first.photos[0]!.url, alt: first.name } } : {}),
    main: markup`<h1>${title}</h1>
<p class="intro">${t('webCatalogue:list.intro', { province: frame.province })}</p>
${filterForm(frame, filters, communes)}
<p class="summary">${count}${pages > 1 && inRange ? ` · ${pageOf}` : ''}${
      filtered ? markup` · <a href="${all}">${t('webCatalogue:list.clear')}</a>` : ''
    }</p>
${content}
${pager}`,
  });
}

function fact(label: string, value: string | null): Html | '' {
  if (value === null || value === '') return '';
  return markup`<dt>${label}</dt><dd>${value}</dd>
`;
}

/**
 * GET /catalogue/products/:id: its photos (thumbnails, each opening the full photo), price, availability, OCOP stars,
 * her story, how to buy (her phone and Zalo only where she consented: ProductService applies it, `phone` is null
 * otherwise; else through the bot, with its chat links when configured), the facts, the link to share and how to
 * report a mistake. Open Graph: title, description (price and story), the first photo.
 */
export function productDocument(frame: PageFrame, item: CatalogueItem, chat: ChatLinks): Html {
  const { t, language } = frame;
  const id = item.id;
  const phone = item.seller.phone ? displayPhone(item.seller.phone) : null;
  const certifications = item.certifications.map((c) => t(`webCatalogue:product.certification.${c}`)).join(', ');
  const ocop = item.ocop
    ? item.ocop.expiresOn
      ? t('webCatalogue:product.ocopUntil', {
          stars: item.ocop.stars,
          date: formatIsoDate(item.ocop.expiresOn, language),
        })
      : t('webCatalogue:product.ocop', { stars: item.ocop.stars })
    : null;

  let contact: Html;
  if (phone) {
    const zalo = phone.zalo ? markup`<a class="button" href="${phone.zalo}">${t('webCatalogue:product.zalo')}</a>` : '';
    contact = markup`<p class="actions"><a class="button primary" href="tel:${phone.tel}">${t(
      'webCatalogue:product.call',
      {
        phone: phone.text,
      },
    )}</a>${zalo}</p>
<p class="muted">${t('webCatalogue:product.phoneNote')} ${t('webCatalogue:product.quoteNumber', { id })}</p>`;
  } else if (chat.zalo !== undefined || chat.telegram !== undefined) {
    // Telegram opens the chat on this product (/start sp<id>: the bot asks her question at once); a Zalo link cannot
    // carry it, so the page says what to send there.
    const links = [
      chat.zalo ? markup`<a class="button primary" href="${chat.zalo}">${t('webCatalogue:product.chatZalo')}</a>` : '',
      chat.telegram
        ? markup`<a class="button" href="${telegramStart(chat.telegram, id)}">${t('webCatalogue:product.chatTelegram')}</a>`
        : '',
    ];
    const zaloHint = chat.zalo ? markup`<p class="muted">${t('webCatalogue:product.zaloSend', { id })}</p>` : '';
    contact = markup`<p>${t('webCatalogue:product.viaBotLinked', { province: frame.province, id })}</p>
<p class="actions">${links}</p>${zaloHint}`;
  } else {
    contact = markup`<p>${t('webCatalogue:product.viaBot', { province: frame.province, id })}</p>`;
  }

  const photos =
    item.photos.length > 0
      ? markup`<ul class="photos" aria-label="${t('webCatalogue:product.photos')}">${item.photos.map(
          (p, i) =>
            markup`<li><a href="${p.url}"><img src="${p.thumbnailUrl}" alt="${t('webCatalogue:product.photo', {
              n: i + 1,
              name: item.name,
            })}" width="${THUMB_WIDTH}" height="${THUMB_HEIGHT}"${i === 0 ? '' : raw(' loading="lazy"')} decoding="async"></a></li>`,
        )}</ul>`
      : '';
  const canonical = productPath(id, language);
  const photo = item.photos[0];

  return page(frame, {
    title: `${item.name} — ${t('webCatalogue:siteName')}`,
    description: summary(`${priceText(frame, item)}. ${item.description}`),
    canonical,
    otherLanguage: productPath(id, language === 'vi' ? 'en' : 'vi'),
    alternates: { vi: productPath(id, 'vi'), en: productPath(id, 'en') },
    type: 'product',
    ...(photo ? { image: { url: photo.url, alt: item.name } } : {}),
    main: markup`<p class="back"><a href="${listPath({}, language)}">← ${t('webCatalogue:product.back')}</a></p>
<article class="product">
<h1>${item.name}</h1>
<p class="price big">${priceText(frame, item)}</p>
<p class="tags">${item.ocop ? ocopStars(t, item.ocop.stars) : ''}${availability(t, item.available)}</p>
${photos}
<section aria-labelledby="h-story">
<h2 id="h-story">${t('webCatalogue:product.story')}</h2>
<p class="story">${item.description}</p>
</section>
<section class="contact" aria-labelledby="h-contact">
<h2 id="h-contact">${t('webCatalogue:product.contact')}</h2>
${contact}
</section>
<section aria-labelledby="h-facts">
<h2 id="h-facts">${t('webCatalogue:product.facts')}</h2>
<dl class="facts">
${fact(t('webCatalogue:product.number'), String(id))}${fact(t('webCatalogue:product.group'), item.group.label)}${fact(
      t('webCatalogue:product.producer'),
      item.producer.label,
    )}${fact(t('webCatalogue:product.seller'), item.seller.name)}${fact(
      t('webCatalogue:product.place'),
      placeText(frame, item),
    )}${fact(t('webCatalogue:product.unit'), item.unit)}${fact(
      t('webCatalogue:product.packaging'),
      item.packaging,
    )}${fact(t('webCatalogue:product.quantity'), item.quantity)}${fact(
      t('webCatalogue:product.season'),
      item.season,
    )}${fact(t('webCatalogue:product.ocopLabel'), ocop)}${fact(
      t('webCatalogue:product.certifications'),
      certifications,
    )}${fact(t('webCatalogue:product.updated'), formatDate(new Date(item.updatedAt), frame.timeZone, language))}</dl>
</section>
<section class="share" aria-labelledby="h-share">
<h2 id="h-share">${t('webCatalogue:product.share')}</h2>
<label for="share-link">${t('webCatalogue:product.shareLink')}</label>
<input id="share-link" type="url" readonly value="${frame.origin}${canonical}">
<p class="muted">${t('webCatalogue:product.report', { id })}</p>
</section>
</article>`,
  });
}

/** A refused query (400): which choice was wrong (`parameter` and `issue` as src/http/catalogue.ts readQuery says). */
export function badQueryDocument(frame: PageFrame, parameter: string, _issue: CatalogueIssue): Html {
  const { t, language } = frame;
  const known = ['commune', 'group', 'page', 'perPage'].includes(parameter) ? parameter : 'other';
  const all = listPath({}, language);
  return page(frame, {
    title: t('webCatalogue:error.badQueryTitle'),
    description: t('webCatalogue:list.description', { province: frame.province }),
    canonical: all,
    otherLanguage: listPath({}, language === 'vi' ? 'en' : 'vi'),
    main: markup`<h1>${t('webCatalogue:error.badQueryTitle')}</h1>
<p>${t(`webCatalogue:error.${known}`)} ${t('webCatalogue:error.badQueryHint')}</p>
<p><a class="button primary" href="${all}">${t('webCatalogue:list.seeAll')}</a></p>`,
  });
}

/** 404: an unknown, unpublished or withdrawn product (`product`), or no such page under /catalogue (`page`). */
export function notFoundDocument(frame: PageFrame, what: 'product' | 'page'): Html {
  const { t, language } = frame;
  const title = t(what === 'product' ? 'webCatalogue:error.notFoundTitle' : 'webCatalogue:error.pageNotFoundTitle');
  const all = listPath({}, language);
  return page(frame, {
    title,
    description: t('webCatalogue:list.description', { province: frame.province }),
    canonical: all,
    otherLanguage: listPath({}, language === 'vi' ? 'en' : 'vi'),
    main: markup`<h1>${title}</h1>
<p>${t(what === 'product' ? 'webCatalogue:error.notFound' : 'webCatalogue:error.pageNotFound')}</p>
<p><a class="button primary" href="${all}">${t('webCatalogue:list.seeAll')}</a></p>`,
  });
}
