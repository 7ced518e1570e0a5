// The console's Products section (issue 16). See src/web/page.ts for the rules every page keeps.
//
// - GET  /console/products                         the review queue (pending, waiting longest first) and the other
//                                                  statuses (published = approved), counts per status, filters by
//                                                  commune, product group and status, a thumbnail per listing.
// - GET  /console/products/:id                     every field a reviewer needs, the photos (thumbnails that open full
//                                                  size in a :target overlay, no script), the seller, the history.
// - GET  /console/products/:id/photos/:photo[/thumb] a stored photo / its thumbnail, to a reviewer of that listing.
// - POST /console/products/:id/approve | changes | reject   the decision, through ProductService.review.
//
// Who may see and decide what is the ProductService's (forReview / review: an officer whose areas cover the listing's
// commune, any admin); the lists come from src/data/productQueue.ts within the same areas. The member is told of a
// decision by the service (through the outbox, in her language). The service has no officer-side withdrawal, so a
// published listing is shown, not taken down, here.
import {
  LISTING_FIELDS,
  LISTING_STATUSES,
  PRODUCT_GROUPS,
  type Listing,
  type ListingField,
  type ListingPhoto,
  type ListingStatus,
  type ProductGroup,
} from '../../domain/listings.ts';
import type { Member } from '../../domain/member.ts';
import { WHOLE_PROVINCE } from '../../domain/officers.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { formatIsoDate } from '../../domain/time.ts';
import { communeName } from '../../features/courses/presenter.ts';
import type { ListingRefusal, ReviewDecision } from '../../features/products/contract.ts';
import { formatPrice } from '../../features/products/presenter.ts';
import { createProductQueue, type ProductQueueRow } from '../../data/productQueue.ts';
import {
  actionButton,
  badge,
  type BadgeTone,
  dataTable,
  factList,
  field,
  filterBar,
  pager,
  postForm,
  select,
  withQuery,
} from '../components.ts';
import type { PageModule, WebDeps } from '../deps.ts';
import { html, type Html } from '../html.ts';
import type { Flash, PageResult, WebContext, WebRoute } from '../page.ts';

const BASE = '/console/products';
const PER_PAGE = 20;
/** What an officer may write to the member (the service's limit: ≤ 1,000 characters). */
const TEXT_MAX = 1000;

const STATUS_TONE: Record<ListingStatus, BadgeTone> = {
  pending: 'warn',
  changes: 'info',
  approved: 'ok',
  rejected: 'danger',
  withdrawn: 'neutral',
};

/** The audit actions of the listing's life (ProductService) shown in its history, in the order they may happen. */
const HISTORY_ACTIONS = [
  'listing.submitted',
  'listing.resubmitted',
  'listing.updated',
  'listing.approved',
  'listing.changesAsked',
  'listing.rejected',
  'listing.withdrawn',
] as const;

const isStatus = (v: string | null): v is ListingStatus => (LISTING_STATUSES as readonly string[]).includes(v ?? '');
const isGroup = (v: string | null): v is ProductGroup => (PRODUCT_GROUPS as readonly string[]).includes(v ?? '');

/** A whole positive listing / photo id from a URL segment, else null (answered as not found). */
function idOf(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}

/** The viewer's communes for the lists: null for the whole province (admins, officers with "*"). */
function communesOf(ctx: WebContext): string[] | null {
  if (ctx.viewer.member.role === 'admin' || ctx.viewer.areas.includes(WHOLE_PROVINCE)) return null;
  return ctx.viewer.areas;
}

const photoUrl = (listingId: number, photoId: number, size: 'full' | 'thumb') =>
  `${BASE}/${listingId}/photos/${photoId}${size === 'thumb' ? '/thumb' : ''}`;

/** Whole days between two instants (at least 0). */
const daysBetween = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));

export const productsPages: PageModule = (deps: WebDeps): WebRoute[] => {
  const { runtime } = deps;
  const service = runtime.products;
  const queue = createProductQueue(runtime.db);
  const commune = (ctx: WebContext, code: string | null) => communeName(code, runtime.areas, ctx.t);
  const statusBadge = (ctx: WebContext, listing: Pick<Listing, 'status' | 'soldOut'>) =>
    html`${badge(ctx.t(`productNotices:statuses.${listing.status}`), STATUS_TONE[listing.status])}${
      listing.status === 'approved' && listing.soldOut
        ? html` ${badge(ctx.t('productNotices:statuses.soldOut'), 'neutral')}`
        : ''
    }`;

  // —— The queue and the other lists ——

  async function listPage(ctx: WebContext): Promise<PageResult> {
    const { t } = ctx;
    const communes = communesOf(ctx);
    const statusParam = ctx.query.get('status');
    const status: ListingStatus = isStatus(statusParam) ? statusParam : 'pending';
    const groupParam = ctx.query.get('group');
    const group = isGroup(groupParam) ? groupParam : undefined;
    const communeParam = ctx.query.get('commune');
    const choices = await queue.communesWithListings(communes);
    const communeCode = communeParam !== null && choices.includes(communeParam) ? communeParam : undefined;
    const pageParam = Number(ctx.query.get('page') ?? '1');
    const page = Number.isSafeInteger(pageParam) && pageParam > 0 ? pageParam : 1;

    const filters = {
      communes,
      ...(communeCode === undefined ? {} : { communeCode }),
      ...(group === undefined ? {} : { productGroup: group }),
    };
    const [counts, found] = await Promise.all([
      queue.counts(filters),
      queue.list({ ...filters, status, order: status === 'pending' ? 'oldest' : 'newest', page, perPage: PER_PAGE }),
    ]);
    // Sellers' names with their communes are on the list: the view is audited (which listings she saw).
    if (found.items.length > 0) {
      await ctx.audit('product.listViewed', undefined, { status, listings: found.items.map((r) => r.listing.id) });
    }
    const pages = Math.max(1, Math.ceil(found.total / PER_PAGE));
    const keep = { commune: communeCode, group };

    const tabs = html`<nav class="status-tabs" aria-label="${t('webProducts:list.statusNav')}">
      <ul>
        ${LISTING_STATUSES.map(
          (s) =>
            html`<li>
              <a href="${withQuery(BASE, { ...keep, status: s })}" ${s === status ? html` aria-current="page"` : ''}
                >${t(`webProducts:list.tab.${s}`)} <span class="count">${counts[s]}</span></a
              >
            </li>`,
        )}
      </ul>
    </nav>`;

    const controls = html`${field(
      'products-commune',
      t('webProducts:list.commune'),
      select(
        'products-commune',
        'commune',
        [
          { value: '', label: t('webProducts:list.anyCommune') },
          ...choices.map((code) => ({ value: code, label: commune(ctx, code) })),
        ],
        communeCode,
      ),
    )}${field(
      'products-group',
      t('webProducts:list.group'),
      select(
        'products-group',
        'group',
        [
          { value: '', label: t('webProducts:list.anyGroup') },
          ...PRODUCT_GROUPS.map((g) => ({ value: g, label: t(`productNotices:groups.${g}`) })),
        ],
        group,
      ),
    )}${field(
      'products-status',
      t('webProducts:list.status'),
      select(
        'products-status',
        'status',
        LISTING_STATUSES.map((s) => ({ value: s, label: t(`productNotices:statuses.${s}`) })),
        status,
      ),
    )}`;

    const row = (r: ProductQueueRow) => {
      const { listing } = r;
      const thumb =
        r.firstPhotoId === null
          ? html`<span class="no-thumb">${t('webProducts:list.noPhoto')}</span>`
          : html`<img
              class="thumb"
              src="${photoUrl(listing.id, r.firstPhotoId, 'thumb')}"
              alt="${t('webProducts:photo.thumbAlt', { name: listing.name })}"
              width="64"
              height="64"
              loading="lazy"
            />`;
      const waiting = daysBetween(listing.submittedAt, ctx.now);
      return [
        thumb,
        html`<a href="${BASE}/${listing.id}">${listing.name}</a>
          <div class="muted">#${listing.id} · ${t('webProducts:list.photos', { count: r.photoCount })}</div>`,
        commune(ctx, listing.communeCode),
        t(`productNotices:groups.${listing.productGroup}`),
        r.ownerName ?? t('webProducts:seller.unknown'),
        status === 'pending'
          ? html`${ctx.dateTime(listing.submittedAt)}
              <div class="muted">${t('webProducts:list.waitingDays', { days: waiting })}</div>`
          : ctx.dateTime(listing.updatedAt),
        statusBadge(ctx, listing),
      ];
    };

    const body = html`<h1>${t('webProducts:list.title')}</h1>
      ${tabs} ${filterBar(BASE, controls, t('webProducts:list.apply'))}
      <p class="muted">
        ${status === 'pending' ? t('webProducts:list.queueHint') : t('webProducts:list.total', { count: found.total })}
      </p>
      ${dataTable(
        t(`webProducts:list.caption.${status}`),
        [
          t('webProducts:list.col.photo'),
          t('webProducts:list.col.product'),
          t('webProducts:list.col.commune'),
          t('webProducts:list.col.group'),
          t('webProducts:list.col.seller'),
          status === 'pending' ? t('webProducts:list.col.submitted') : t('webProducts:list.col.updated'),
          t('webProducts:list.col.status'),
        ],
        found.items.map(row),
        { empty: t(`webProducts:list.empty.${status}`) },
      )}
      ${pager(page, pages, (n) => withQuery(BASE, { ...keep, status, page: n }), {
        previous: t('webProducts:list.previous'),
        next: t('webProducts:list.next'),
        of: t('webProducts:list.pages'),
      })}`;
    return { kind: 'page', section: 'products', title: t('webProducts:list.title'), body };
  }

  // —— One listing ——

  /** What she typed in a refused form, shown again with the error. */
  interface Draft {
    fields?: ListingField[];
    message?: string;
    reason?: string;
  }

  async function refusalResult(ctx: WebContext, refusal: ListingRefusal, id: number): Promise<Flash> {
    const { t } = ctx;
    switch (refusal.reason) {
      case 'wrongStatus': {
        const status = t(`productNotices:statuses.${refusal.status}`);
        const seen = await service.forReview(ctx.viewer.member, id);
        const by =
          seen.ok && seen.listing.reviewedById ? await runtime.members.findById(seen.listing.reviewedById) : null;
        if (by && refusal.status !== 'withdrawn') {
          return {
            tone: 'error',
            text: t('webProducts:errors.decidedBy', { status, name: by.displayName ?? t('webProducts:anOfficer') }),
          };
        }
        return { tone: 'error', text: t('webProducts:errors.wrongStatus', { status }) };
      }
      case 'invalid':
        return {
          tone: 'error',
          text: t(`webProducts:errors.invalid.${refusal.field === 'description' ? 'text' : 'fields'}`),
        };
      case 'notYourArea':
      case 'notOfficer':
      case 'notFound':
        return { tone: 'error', text: t(`webProducts:errors.${refusal.reason}`) };
      default:
        return { tone: 'error', text: t('webProducts:errors.other') };
    }
  }

  async function productPage(ctx: WebContext, options: { draft?: Draft; flash?: Flash; status?: number } = {}) {
    const { t } = ctx;
    const id = idOf(ctx.params['id']);
    if (id === null) return { kind: 'notFound' } as const;
    const seen = await service.forReview(ctx.viewer.member, id);
    if (!seen.ok) {
      if (seen.refusal.reason === 'notYourArea')
        return { kind: 'forbidden', text: t('webProducts:errors.notYourArea') } as const;
      return { kind: 'notFound' } as const;
    }
    const { listing, owner } = seen;
    const photos = [...seen.photos].sort((a, b) => a.position - b.position);
    const draft = options.draft ?? {};

    // Her contact details on a reviewer's screen: every view is audited.
    if (listing.phone !== null || owner?.phone) {
      await ctx.audit('product.contactViewed', String(listing.id), { memberId: listing.memberId });
    }

    const yesNo = (b: boolean) => t(b ? 'webProducts:yes' : 'webProducts:no');
    const certifications = [
      ...(listing.ocopStars !== null
        ? [
            t('webProducts:detail.ocop', {
              stars: listing.ocopStars,
              expires: listing.ocopExpiresOn ? formatIsoDate(listing.ocopExpiresOn, ctx.language) : '—',
            }),
          ]
        : []),
      ...(listing.vietgap ? [t('webProducts:detail.vietgap')] : []),
      ...(listing.organic ? [t('webProducts:detail.organic')] : []),
      ...(listing.foodSafety ? [t('webProducts:detail.foodSafety')] : []),
    ];
    const producer = t(`productNotices:producers.${listing.producerKind}`);
    const facts: [string, Html | string][] = [
      [t('webProducts:detail.status'), statusBadge(ctx, listing)],
      [t('productReview:fields.productGroup'), t(`productNotices:groups.${listing.productGroup}`)],
      [
        t('productReview:fields.producer'),
        listing.producerRegNo ? t('webProducts:detail.regNo', { producer, regNo: listing.producerRegNo }) : producer,
      ],
      [
        t('productReview:fields.commune'),
        [listing.hamlet, commune(ctx, listing.communeCode)].filter((s) => s).join(', '),
      ],
      [t('productReview:fields.description'), html`<span class="prewrap">${listing.description}</span>`],
      [
        t('productReview:fields.price'),
        t('webProducts:detail.price', {
          price: formatPrice(listing.priceVnd, ctx.language, t),
          unit: listing.unit,
        }) + (listing.packaging ? ` · ${listing.packaging}` : ''),
      ],
      [t('webProducts:detail.quantity'), listing.quantity ?? '—'],
      [t('webProducts:detail.season'), listing.season ?? '—'],
      [
        t('productReview:fields.certifications'),
        certifications.length === 0 ? t('webProducts:detail.noCertifications') : certifications.join(', '),
      ],
      [
        t('productReview:fields.publish'),
        t('webProducts:detail.publish', {
          name: yesNo(listing.publishName),
          commune: yesNo(listing.publishCommune),
          phone: yesNo(listing.publishPhone),
        }),
      ],
      [t('webProducts:detail.submitted'), ctx.dateTime(listing.submittedAt)],
      ...(listing.approvedAt
        ? [[t('webProducts:detail.approved'), ctx.dateTime(listing.approvedAt)] as [string, string]]
        : []),
    ];

    const photoBlock =
      photos.length === 0
        ? html`<p class="empty">${t('webProducts:photo.none')}</p>`
        : html`<ul class="photos product-photos">
              ${photos.map(
                (p, i) =>
                  html`<li>
                    <a
                      href="#photo-${p.id}"
                      aria-label="${t('webProducts:photo.open', { n: i + 1, count: photos.length })}"
                      ><img
                        src="${photoUrl(listing.id, p.id, 'thumb')}"
                        alt="${t('webProducts:photo.alt', { n: i + 1, count: photos.length, name: listing.name })}"
                        width="160"
                        height="160"
                    /></a>
                  </li>`,
              )}
            </ul>
            ${photos.map((p, i) => zoom(ctx, listing, p, i, photos.length))}`;

    const sellerPhone = listing.phone ?? owner?.phone ?? null;
    const seller = html`<dl class="facts">
      <dt>${t('webProducts:seller.name')}</dt>
      <dd>${owner?.displayName ?? t('webProducts:seller.unknown')}</dd>
      <dt>${t('webProducts:seller.phone')}</dt>
      <dd>
        ${
          sellerPhone === null
            ? t('webProducts:seller.noPhone')
            : html`<a href="tel:${sellerPhone}">${formatVietnamesePhone(sellerPhone)}</a>`
        }
      </dd>
      ${
        listing.caseId === null
          ? ''
          : html`<dt>${t('webProducts:seller.case')}</dt>
              <dd><a href="/console/cases/${listing.caseId}">#${listing.caseId}</a></dd>`
      }
    </dl>`;

    const lastDecision =
      listing.reviewNote === null && listing.changeFields.length === 0
        ? ''
        : html`<div class="card">
            <h2>${t('webProducts:detail.lastDecision')}</h2>
            ${
              listing.changeFields.length === 0
                ? ''
                : html`<p>
                    ${t('webProducts:detail.changeFields', {
                      fields: listing.changeFields.map((f) => t(`productReview:fields.${f}`)).join(', '),
                    })}
                  </p>`
            }
            ${listing.reviewNote === null ? '' : html`<blockquote class="prewrap">${listing.reviewNote}</blockquote>`}
          </div>`;

    const body = html`<p><a href="${BASE}">${t('webProducts:detail.back')}</a></p>
      <h1>${listing.name}</h1>
      <div class="product-layout">
        <section class="card" aria-labelledby="photos-heading" id="photos">
          <h2 id="photos-heading">${t('webProducts:photo.heading', { count: photos.length })}</h2>
          ${photoBlock}
        </section>
        <section class="card" aria-labelledby="facts-heading">
          <h2 id="facts-heading">${t('webProducts:detail.heading', { id: listing.id })}</h2>
          ${factList(facts)}
        </section>
        <section class="card" aria-labelledby="seller-heading">
          <h2 id="seller-heading">${t('webProducts:seller.heading')}</h2>
          ${seller}
        </section>
      </div>
      ${lastDecision} ${listing.status === 'pending' ? decisionForms(ctx, listing, draft) : ''}
      <section class="card" aria-labelledby="history-heading">
        <h2 id="history-heading">${t('webProducts:history.heading')}</h2>
        ${await history(ctx, listing)}
      </section>`;
    return {
      kind: 'page',
      section: 'products',
      title: t('webProducts:detail.title', { name: listing.name }),
      body,
      ...(options.flash ? { flash: options.flash } : {}),
      ...(options.status ? { status: options.status } : {}),
    } as const;
  }

  /** A photo at full size over the page (CSS :target): a link back closes it, Escape is the browser's "back". */
  function zoom(ctx: WebContext, listing: Listing, p: ListingPhoto, i: number, count: number): Html {
    const { t } = ctx;
    return html`<div
      class="zoom"
      id="photo-${p.id}"
      role="dialog"
      aria-label="${t('webProducts:photo.alt', { n: i + 1, count, name: listing.name })}"
    >
      <div class="zoom-inner">
        <img
          src="${photoUrl(listing.id, p.id, 'full')}"
          alt="${t('webProducts:photo.alt', { n: i + 1, count, name: listing.name })}"
          loading="lazy"
        />
        <p class="zoom-actions">
          <a class="button secondary" href="#photos">${t('webProducts:photo.close')}</a>
          <a class="button secondary" href="${photoUrl(listing.id, p.id, 'full')}" target="_blank" rel="noopener"
            >${t('webProducts:photo.original')}</a
          >
        </p>
      </div>
    </div>`;
  }

  function decisionForms(ctx: WebContext, listing: Listing, draft: Draft): Html {
    const { t } = ctx;
    const at = `${BASE}/${listing.id}`;
    const picked = new Set(draft.fields ?? []);
    return html`<section class="card" aria-labelledby="decide-heading">
      <h2 id="decide-heading">${t('webProducts:decide.heading')}</h2>
      <div class="decisions">
        <div class="decision">
          <h3>${t('webProducts:decide.approveHeading')}</h3>
          <p class="muted">${t('webProducts:decide.approveHint')}</p>
          ${actionButton(ctx, `${at}/approve`, t('webProducts:decide.approve'), { tone: 'primary' })}
        </div>
        <div class="decision">
          <h3>${t('webProducts:decide.changesHeading')}</h3>
          ${postForm(
            ctx,
            `${at}/changes`,
            html`<fieldset>
                <legend>${t('webProducts:decide.changeWhich')}</legend>
                <div class="checks">
                  ${LISTING_FIELDS.map(
                    (f) =>
                      html`<label
                        ><input type="checkbox" name="fields" value="${f}" ${picked.has(f) ? html` checked` : ''} />
                        ${t(`productReview:fields.${f}`)}</label
                      >`,
                  )}
                </div>
              </fieldset>
              ${field(
                'changes-message',
                t('webProducts:decide.message'),
                html`<textarea
                  id="changes-message"
                  name="message"
                  maxlength="${TEXT_MAX}"
                  required
                  aria-describedby="changes-message-hint"
                >
${draft.message ?? ''}</textarea>`,
                t('webProducts:decide.messageHint'),
              )}
              <button type="submit" class="button secondary">${t('webProducts:decide.changes')}</button>`,
          )}
        </div>
        <div class="decision">
          <h3>${t('webProducts:decide.rejectHeading')}</h3>
          ${postForm(
            ctx,
            `${at}/reject`,
            html`${field(
                'reject-reason',
                t('webProducts:decide.reason'),
                html`<textarea
                  id="reject-reason"
                  name="reason"
                  maxlength="${TEXT_MAX}"
                  required
                  aria-describedby="reject-reason-hint"
                >
${draft.reason ?? ''}</textarea>`,
                t('webProducts:decide.reasonHint'),
              )}
              <button type="submit" class="button danger" data-confirm="${t('webProducts:decide.rejectConfirm')}">
                ${t('webProducts:decide.reject')}
              </button>`,
          )}
        </div>
      </div>
    </section>`;
  }

  /** The listing's life from the audit log (the service's entries), oldest first, with who did it. */
  async function history(ctx: WebContext, listing: Listing): Promise<Html> {
    const { t } = ctx;
    const entries = (await runtime.audit.list({ subject: String(listing.id) }))
      .filter((e) => (HISTORY_ACTIONS as readonly string[]).includes(e.action))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    if (entries.length === 0) return html`<p class="empty">${t('webProducts:history.empty')}</p>`;
    const names = new Map<string, string>();
    for (const actor of new Set(entries.map((e) => e.actor))) {
      if (actor === 'cli') {
        names.set(actor, t('webProducts:history.cli'));
        continue;
      }
      const who: Member | null = await runtime.members.findById(actor);
      names.set(
        actor,
        who === null
          ? t('webProducts:history.someone')
          : actor === listing.memberId
            ? t('webProducts:history.seller', { name: who.displayName ?? t('webProducts:seller.unknown') })
            : (who.displayName ?? t('webProducts:anOfficer')),
      );
    }
    return html`<ol class="history">
      ${entries.map(
        (e) =>
          html`<li>
            <time datetime="${e.at.toISOString()}">${ctx.dateTime(e.at)}</time> ·
            ${t(`webProducts:history.${e.action.slice('listing.'.length)}`, { name: names.get(e.actor) ?? '' })}
          </li>`,
      )}
    </ol>`;
  }

  // —— Photos ——

  const photoRoute =
    (size: 'full' | 'thumb') =>
    async (ctx: WebContext): Promise<PageResult> => {
      const id = idOf(ctx.params['id']);
      const photoId = idOf(ctx.params['photo']);
      if (id === null || photoId === null) return { kind: 'notFound' };
      const seen = await service.forReview(ctx.viewer.member, id);
      if (!seen.ok) return { kind: 'notFound' };
      const photo = seen.photos.find((p) => p.id === photoId);
      if (!photo) return { kind: 'notFound' };
      if (size === 'full') {
        const read = await runtime.storedPhotos.read(photo.fileId);
        return read === null
          ? { kind: 'notFound' }
          : { kind: 'file', contentType: read.mime, body: read.bytes, cache: 'private' };
      }
      const bytes = await runtime.files.store.get(photo.thumbKey);
      return bytes === null
        ? { kind: 'notFound' }
        : { kind: 'file', contentType: 'image/jpeg', body: bytes, cache: 'private' };
    };

  // —— Decisions ——

  const decide =
    (kind: ReviewDecision['kind']) =>
    async (ctx: WebContext): Promise<PageResult> => {
      const { t } = ctx;
      const id = idOf(ctx.params['id']);
      if (id === null) return { kind: 'notFound' };
      const back = `${BASE}/${id}`;
      const message = (ctx.form.get('message') ?? '').trim();
      const reason = (ctx.form.get('reason') ?? '').trim();
      const fields = LISTING_FIELDS.filter((f) => ctx.form.getAll('fields').includes(f));
      const draft: Draft = { fields, message, reason };
      // Her form is checked here first, so that what she typed is shown again with the error (never lost).
      const problem =
        kind === 'changes' && fields.length === 0
          ? 'webProducts:errors.invalid.fields'
          : kind === 'changes' && message === ''
            ? 'webProducts:errors.messageRequired'
            : kind === 'reject' && reason === ''
              ? 'webProducts:errors.reasonRequired'
              : (kind === 'changes' ? message : reason).length > TEXT_MAX
                ? 'webProducts:errors.tooLong'
                : null;
      if (problem !== null) {
        return productPage(ctx, { draft, flash: { tone: 'error', text: t(problem, { max: TEXT_MAX }) }, status: 422 });
      }
      const decision: ReviewDecision =
        kind === 'approve' ? { kind } : kind === 'changes' ? { kind, fields, message } : { kind, reason };
      const result = await service.review(ctx.viewer.member, id, decision);
      if (!result.ok) {
        const flash = await refusalResult(ctx, result.refusal, id);
        if (result.refusal.reason === 'notFound' || result.refusal.reason === 'notYourArea') {
          return { kind: 'redirect', to: BASE, flash };
        }
        if (result.refusal.reason === 'invalid') return productPage(ctx, { draft, flash, status: 422 });
        return { kind: 'redirect', to: back, flash };
      }
      await ctx.audit(`product.${kind}`, String(id));
      return {
        kind: 'redirect',
        to: BASE,
        flash: { tone: 'ok', text: t(`webProducts:done.${kind}`, { name: result.listing.name }) },
      };
    };

  return [
    { method: 'GET', path: BASE, role: 'officer', handle: listPage },
    { method: 'GET', path: `${BASE}/:id`, role: 'officer', handle: (ctx) => productPage(ctx) },
    { method: 'GET', path: `${BASE}/:id/photos/:photo`, role: 'officer', handle: photoRoute('full') },
    { method: 'GET', path: `${BASE}/:id/photos/:photo/thumb`, role: 'officer', handle: photoRoute('thumb') },
    { method: 'POST', path: `${BASE}/:id/approve`, role: 'officer', handle: decide('approve') },
    { method: 'POST', path: `${BASE}/:id/changes`, role: 'officer', handle: decide('changes') },
    { method: 'POST', path: `${BASE}/:id/reject`, role: 'officer', handle: decide('reject') },
  ];
};
