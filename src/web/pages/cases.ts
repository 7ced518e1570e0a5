// The console's Cases section (issue 16). See src/web/page.ts for the rules every page keeps.
//
// The inbox (GET /console/cases) lists the cases of the viewer's communes (every case for an admin) with filters by
// commune, type, status and age, counts, order and pages (src/data/caseInbox.ts). A case (GET /console/cases/:id)
// shows its facts, the member (her phone only when the CaseService says she may see it: `detail.full`), the
// conversation, and the actions the case rules (features/cases/policy.ts) allow her now. Every action is the same
// CaseService / CaseRelay call the chat makes, in one unit of work (the member's notice goes through the outbox after
// it commits); refusals come back as a flash in the chat's own words (locales cases:errors.*).
import { CASE_TYPES, chatReach, isClosed, openedByMember, type CaseType } from '../../domain/cases.ts';
import type { Member } from '../../domain/member.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { WHOLE_PROVINCE } from '../../domain/officers.ts';
import { createCaseInbox, INBOX_STATUSES, type InboxFilter, type InboxStatus } from '../../data/caseInbox.ts';
import type { CaseTypeHandlers } from '../../features/cases/caseTypes.ts';
import { blocked, type CaseDetail, type CaseRefusal, type CloseStatus } from '../../features/cases/policy.ts';
import { unitLabel } from '../../features/profile/areaInput.ts';
import { actionButton, badge, dataTable, field, filterBar, pager, postForm, select, withQuery } from '../components.ts';
import type { PageModule, WebDeps } from '../deps.ts';
import { html, type Html } from '../html.ts';
import type { BadgeTone } from '../components.ts';
import type { PageResult, WebContext, WebRoute } from '../page.ts';

const BASE = '/console/cases';
/** Cases per page of the inbox. */
export const INBOX_PAGE_SIZE = 25;
/** Longest message or note (characters), the chat's own limit (features/cases/flows.ts MESSAGE_MAX). */
export const CASE_TEXT_MAX = 1000;

const HOUR_MS = 3_600_000;
/** The age filter's choices: created more than this long ago. */
const AGES = { '2h': 2 * HOUR_MS, '1d': 24 * HOUR_MS, '3d': 72 * HOUR_MS } as const;
type Age = keyof typeof AGES;

const STATUS_TONE: Record<string, BadgeTone> = {
  open: 'warn',
  claimed: 'info',
  done: 'ok',
  approved: 'ok',
  rejected: 'neutral',
};

const isAge = (v: string): v is Age => Object.hasOwn(AGES, v);
const isType = (v: string): v is CaseType => (CASE_TYPES as readonly string[]).includes(v);
const isInboxStatus = (v: string): v is InboxStatus => (INBOX_STATUSES as readonly string[]).includes(v);

/** The inbox's query, validated: anything unknown falls back to its default (never an error page). */
interface InboxQuery {
  commune: string | null;
  type: CaseType | null;
  status: InboxStatus;
  age: Age | null;
  order: 'newest' | 'oldest';
  page: number;
}

function readQuery(query: URLSearchParams): InboxQuery {
  const get = (name: string) => query.get(name)?.trim() ?? '';
  const commune = get('commune');
  const type = get('type');
  const status = get('status');
  const age = get('age');
  const page = Number.parseInt(get('page'), 10);
  return {
    commune: /^[0-9A-Za-z_-]{1,20}$/.test(commune) ? commune : null,
    type: isType(type) ? type : null,
    status: isInboxStatus(status) ? status : 'active',
    age: isAge(age) ? age : null,
    order: get('order') === 'oldest' ? 'oldest' : 'newest',
    page: Number.isSafeInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/** "3 giờ trước": how long ago `at` was, at `now`, in whole minutes, hours or days. */
export function ago(t: WebContext['t'], at: Date, now: Date): string {
  const ms = Math.max(0, now.getTime() - at.getTime());
  if (ms < 60_000) return t('webCases:age.justNow');
  if (ms < HOUR_MS) return t('webCases:age.minutes', { count: Math.floor(ms / 60_000) });
  if (ms < 24 * HOUR_MS) return t('webCases:age.hours', { count: Math.floor(ms / HOUR_MS) });
  return t('webCases:age.days', { count: Math.floor(ms / (24 * HOUR_MS)) });
}

/** A case id from the path: digits only, else null (answered as not found). */
function caseId(ctx: WebContext): number | null {
  const raw = ctx.params['id'] ?? '';
  if (!/^\d{1,12}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

/** A posted text: NFC, trimmed, control characters (but line breaks) removed. */
function posted(ctx: WebContext, name: string): string {
  return (ctx.form.get(name) ?? '')
    .normalize('NFC')
    .split('')
    .filter((ch) => ch === '\n' || (ch >= ' ' && ch !== '\u007f'))
    .join('')
    .trim();
}

export const casesPages: PageModule = (deps: WebDeps): WebRoute[] => {
  const { runtime } = deps;
  const service = runtime.features.caseService;
  const relay = runtime.features.caseRelay;
  const inbox = createCaseInbox(runtime.db);
  /** The case types another feature decides (the products feature's review cases), read when a case is shown. */
  const caseTypes = (): CaseTypeHandlers =>
    Object.assign({}, ...runtime.features.modules.map((m) => m.caseTypes ?? {})) as CaseTypeHandlers;
  const unit = <T>(work: () => Promise<T>) => runtime.transactor.run(work);

  const communeName = (ctx: WebContext, code: string | null): string => {
    const found = runtime.areas.byCodeOrNull(code);
    return found ? unitLabel(found, ctx.t) : ctx.t('cases:noCommune');
  };
  const officerName = (ctx: WebContext, m: Member | null | undefined): string =>
    m?.displayName ?? ctx.t('cases:anOfficer');
  const typeLabel = (ctx: WebContext, type: CaseType) => ctx.t(`cases:types.${type}`);
  const statusBadge = (ctx: WebContext, status: string) =>
    badge(ctx.t(`cases:statuses.${status}`), STATUS_TONE[status] ?? 'neutral');
  const casePath = (id: number) => `${BASE}/${id}`;
  const back = (id: number, flash: { tone: 'ok' | 'error'; text: string }): PageResult => ({
    kind: 'redirect',
    to: casePath(id),
    flash,
  });

  /** A refusal of the case services: not hers (or none) → not found; the others as a flash on the case. */
  function refused(ctx: WebContext, id: number, refusal: CaseRefusal): PageResult {
    switch (refusal.reason) {
      case 'notFound':
      case 'notYourArea':
        return { kind: 'notFound' };
      case 'notOfficer':
        return { kind: 'forbidden', text: ctx.t('cases:errors.notOfficer') };
      case 'claimedByOther':
        return back(id, {
          tone: 'error',
          text: ctx.t('cases:errors.alreadyClaimed', { id, name: officerName(ctx, refusal.by) }),
        });
      default:
        return back(id, { tone: 'error', text: ctx.t(`cases:errors.${refusal.reason}`, { id }) });
    }
  }

  // ---- the inbox -------------------------------------------------------------------------------------------------

  async function inboxPage(ctx: WebContext): Promise<PageResult> {
    const { t } = ctx;
    const q = readQuery(ctx.query);
    const viewer = ctx.viewer.member;
    const areas = viewer.role === 'admin' ? [WHOLE_PROVINCE] : ctx.viewer.areas;
    const whole = areas.includes(WHOLE_PROVINCE);
    const commune = q.commune !== null && (whole || areas.includes(q.commune)) ? q.commune : null;
    const filter: InboxFilter = {
      areas,
      viewerId: viewer.id,
      commune,
      type: q.type,
      createdBefore: q.age === null ? null : new Date(ctx.now.getTime() - AGES[q.age]),
    };
    const [{ rows, total }, statusCounts, communeCounts] = await Promise.all([
      inbox.page(filter, q.status, { page: q.page, pageSize: INBOX_PAGE_SIZE, order: q.order }),
      inbox.statusCounts(filter),
      inbox.communeCounts(filter, q.status),
    ]);
    const pages = Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE));
    const title = t('webCases:title');
    if (areas.length === 0) {
      return {
        kind: 'page',
        section: 'cases',
        title,
        body: html`<h1>${t('webCases:inbox.heading')}</h1>
          <p class="empty">${t('webCases:inbox.noAreas')}</p>`,
      };
    }

    const countOf = new Map(communeCounts.map((c) => [c.communeCode, c.count]));
    // Her own communes (all of them, even without cases); the whole province: those that have cases.
    const communeCodes = whole
      ? communeCounts.map((c) => c.communeCode).filter((c): c is string => c !== null)
      : [...areas];
    const communeOptions = communeCodes
      .map((code) => ({ value: code, label: communeName(ctx, code), count: countOf.get(code) ?? 0 }))
      .sort((a, b) => a.label.localeCompare(b.label, 'vi'))
      .map((o) => ({ value: o.value, label: t('webCases:filters.withCount', { label: o.label, count: o.count }) }));
    const controls = html`
      ${field(
        'f-status',
        t('webCases:filters.status'),
        select(
          'f-status',
          'status',
          INBOX_STATUSES.map((s) => ({
            value: s,
            label: t('webCases:filters.withCount', { label: t(`webCases:statuses.${s}`), count: statusCounts[s] }),
          })),
          q.status,
        ),
      )}
      ${
        communeOptions.length > 1 || commune !== null
          ? field(
              'f-commune',
              t('webCases:filters.commune'),
              select(
                'f-commune',
                'commune',
                [{ value: '', label: t('webCases:filters.allCommunes') }, ...communeOptions],
                commune,
              ),
            )
          : ''
      }
      ${field(
        'f-type',
        t('webCases:filters.type'),
        select(
          'f-type',
          'type',
          [
            { value: '', label: t('webCases:filters.allTypes') },
            ...CASE_TYPES.map((type) => ({ value: type, label: typeLabel(ctx, type) })),
          ],
          q.type,
        ),
      )}
      ${field(
        'f-age',
        t('webCases:filters.age'),
        select(
          'f-age',
          'age',
          [
            { value: '', label: t('webCases:filters.anyAge') },
            ...Object.keys(AGES).map((a) => ({ value: a, label: t(`webCases:ages.${a}`) })),
          ],
          q.age,
        ),
      )}
      ${field(
        'f-order',
        t('webCases:filters.order'),
        select(
          'f-order',
          'order',
          [
            { value: 'newest', label: t('webCases:filters.newest') },
            { value: 'oldest', label: t('webCases:filters.oldest') },
          ],
          q.order,
        ),
      )}
    `;
    const kept = { commune, type: q.type, status: q.status, age: q.age, order: q.order };
    const table = dataTable(
      t('webCases:inbox.caption'),
      [
        t('webCases:columns.id'),
        t('webCases:columns.type'),
        t('webCases:columns.commune'),
        t('webCases:columns.age'),
        t('webCases:columns.status'),
        t('webCases:columns.claimedBy'),
      ],
      rows.map(({ case: c, claimedByName }) => [
        html`<a href="${casePath(c.id)}">#${c.id}</a>`,
        html`<a href="${casePath(c.id)}">${typeLabel(ctx, c.type)}</a>`,
        communeName(ctx, c.communeCode),
        html`<time datetime="${c.createdAt.toISOString()}" title="${ctx.dateTime(c.createdAt)}"
          >${ago(t, c.createdAt, ctx.now)}</time
        >`,
        statusBadge(ctx, c.status),
        c.claimedById === null
          ? html`<span class="muted">${t('webCases:nobody')}</span>`
          : (claimedByName ?? t('cases:anOfficer')),
      ]),
      { empty: t('webCases:inbox.empty'), captionHidden: true },
    );
    return {
      kind: 'page',
      section: 'cases',
      title,
      body: html`<h1>${t('webCases:inbox.heading')}</h1>
        <section aria-label="${t('webCases:filters.label')}">
          ${filterBar(BASE, controls, t('webCases:filters.apply'))}
          <p><a href="${BASE}">${t('webCases:filters.reset')}</a></p>
        </section>
        <p class="muted" role="status">${t('webCases:inbox.total', { count: total })}</p>
        ${table}
        ${pager(q.page, pages, (n) => withQuery(BASE, { ...kept, page: n }), {
          previous: t('webCases:pager.previous'),
          next: t('webCases:pager.next'),
          of: t('webCases:pager.label'),
        })}`,
    };
  }

  // ---- one case ----------------------------------------------------------------------------------------------------

  function facts(ctx: WebContext, detail: CaseDetail, claimer: Member | null): Html {
    const { t } = ctx;
    const c = detail.case;
    const row = (label: string, value: Html | string) =>
      html`<dt>${label}</dt>
        <dd>${value}</dd>`;
    const member = detail.member;
    const handledElsewhere = caseTypes()[c.type] !== undefined;
    const reach = member && detail.full ? reachLines(ctx, member) : [];
    return html`<section class="card" aria-labelledby="facts-heading">
      <h2 id="facts-heading">${t('webCases:case.facts')}</h2>
      <dl class="facts">
        ${row(t('webCases:case.type'), typeLabel(ctx, c.type))}
        ${row(t('webCases:case.commune'), communeName(ctx, c.communeCode))}
        ${row(t('webCases:case.member'), member?.displayName ?? t('cases:unnamed'))}
        ${
          detail.full
            ? row(
                t('webCases:case.phone'),
                member?.phone
                  ? html`<a href="tel:${member.phone}">${formatVietnamesePhone(member.phone)}</a>`
                  : t('cases:noPhone'),
              )
            : ''
        }
        ${row(
          t('webCases:case.created'),
          html`${ctx.dateTime(c.createdAt)} <span class="muted">(${ago(t, c.createdAt, ctx.now)})</span>`,
        )}
        ${row(t('webCases:columns.status'), statusBadge(ctx, c.status))}
        ${c.claimedById !== null ? row(t('webCases:case.claimedBy'), officerName(ctx, claimer)) : ''}
        ${c.claimedAt ? row(t('webCases:case.claimedAt'), ctx.dateTime(c.claimedAt)) : ''}
        ${c.closedAt ? row(t('webCases:case.closedAt'), ctx.dateTime(c.closedAt)) : ''}
        ${c.note ? row(t('webCases:case.note'), c.note) : ''}
        ${
          handledElsewhere ? '' : Object.entries(c.details).map(([key, value]) => row(t(`cases:details.${key}`), value))
        }
      </dl>
      ${reach.map((line) => html`<p class="flash error">${line}</p>`)}
      ${
        handledElsewhere
          ? html`<p>
              ${t('webCases:case.elsewhere')} <a href="/console/products">${t('webCases:case.elsewhereLink')}</a>
            </p>`
          : ''
      }
    </section>`;
  }

  /** Whether a chat reply reaches her now (Zalo's window, a blocked bot), as the chat tells the officer. */
  function reachLines(ctx: WebContext, member: Member): string[] {
    const reach = chatReach(member, ctx.now);
    switch (reach.kind) {
      case 'reachable':
        return [];
      case 'closing':
        return [
          ctx.t('cases:reach.closing', { last: ctx.dateTime(reach.lastInboundAt), until: ctx.dateTime(reach.until) }),
        ];
      case 'closed':
        return [
          reach.lastInboundAt
            ? ctx.t('cases:reach.closed', { last: ctx.dateTime(reach.lastInboundAt) })
            : ctx.t('cases:reach.closedNever'),
        ];
      case 'unreachable':
        return [ctx.t('cases:reach.unreachable')];
    }
  }

  function conversation(ctx: WebContext, detail: CaseDetail): Html {
    const { t } = ctx;
    const author = (m: CaseDetail['messages'][number]) =>
      m.author === 'member'
        ? (detail.member?.displayName ?? t('cases:conversation.member'))
        : m.authorId === null
          ? t('cases:anOfficer')
          : officerName(ctx, detail.authors.get(m.authorId));
    return html`<section class="card" aria-labelledby="thread-heading">
      <h2 id="thread-heading">${t('webCases:conversation.heading')}</h2>
      ${
        detail.messages.length === 0
          ? html`<p class="empty">${t('webCases:conversation.empty')}</p>`
          : html`<ol class="thread">
              ${detail.messages.map(
                (m) =>
                  html`<li class="${m.author}">
                    <div class="meta">
                      ${author(m)} · <time datetime="${m.createdAt.toISOString()}">${ctx.dateTime(m.createdAt)}</time>
                    </div>
                    <p class="text">${m.text}</p>
                  </li>`,
              )}
            </ol>`
      }
    </section>`;
  }

  function actions(ctx: WebContext, detail: CaseDetail, claimer: Member | null): Html {
    const { t } = ctx;
    const c = detail.case;
    const viewer = ctx.viewer.member;
    const may = (a: Parameters<typeof blocked>[2]) => blocked(c, viewer, a) === null;
    const replaced: readonly string[] = caseTypes()[c.type]?.replacesDecisions ?? [];
    const decide = (a: 'done' | 'approve' | 'reject') => may(a) && !replaced.includes(a);
    const parts: Html[] = [];
    if (isClosed(c.status)) parts.push(html`<p class="muted">${t('webCases:actions.closed')}</p>`);
    if (may('claim')) {
      parts.push(
        html`<p class="hint">${t('webCases:actions.claimHint')}</p>
          ${actionButton(ctx, `${casePath(c.id)}/claim`, t('webCases:actions.claim'), { tone: 'primary' })}`,
      );
    } else if (c.status === 'claimed' && c.claimedById !== viewer.id) {
      parts.push(html`<p class="muted">${t('webCases:actions.heldBy', { name: officerName(ctx, claimer) })}</p>`);
    }
    if (may('reply')) {
      parts.push(
        postForm(
          ctx,
          `${casePath(c.id)}/reply`,
          html`<h3>${t('webCases:actions.reply')}</h3>
            ${field(
              'reply-message',
              t('webCases:actions.replyLabel'),
              html`<textarea
                id="reply-message"
                name="message"
                rows="4"
                maxlength="${CASE_TEXT_MAX}"
                required
                aria-describedby="reply-message-hint"
              ></textarea>`,
              t('webCases:actions.replyHint'),
            )}
            <button type="submit" class="button primary">${t('webCases:actions.send')}</button>`,
          { className: 'stack' },
        ),
      );
    }
    const closeForm = (status: CloseStatus, heading: string, label: string, button: string, required: boolean) =>
      postForm(
        ctx,
        `${casePath(c.id)}/close`,
        html`<h3>${heading}</h3>
          <input type="hidden" name="status" value="${status}" />
          ${field(
            `note-${status}`,
            label,
            html`<textarea
              id="note-${status}"
              name="note"
              rows="2"
              maxlength="${CASE_TEXT_MAX}"
              ${required ? html` required` : ''}
            ></textarea>`,
          )}
          <button
            type="submit"
            class="button ${status === 'rejected' ? 'danger' : 'secondary'}"
            ${status === 'rejected' ? html` data-confirm="${t('webCases:actions.confirmReject')}"` : ''}
          >
            ${button}
          </button>`,
        { className: 'stack' },
      );
    if (decide('done')) {
      const label = openedByMember(c.type) ? t('webCases:actions.noteLabel') : t('webCases:actions.noteInternalLabel');
      parts.push(closeForm('done', t('webCases:actions.done'), label, t('webCases:actions.doneButton'), false));
    }
    if (decide('approve')) {
      parts.push(
        closeForm(
          'approved',
          t('webCases:actions.approve'),
          t('webCases:actions.approveNoteLabel'),
          t('webCases:actions.approveButton'),
          false,
        ),
      );
    }
    if (decide('reject')) {
      parts.push(
        closeForm(
          'rejected',
          t('webCases:actions.reject'),
          t('webCases:actions.reasonLabel'),
          t('webCases:actions.rejectButton'),
          true,
        ),
      );
    }
    return html`<section class="card stack" aria-labelledby="actions-heading">
      <h2 id="actions-heading">${t('webCases:actions.heading')}</h2>
      ${parts}
    </section>`;
  }

  async function casePage(ctx: WebContext): Promise<PageResult> {
    const id = caseId(ctx);
    if (id === null) return { kind: 'notFound' };
    const result = await service.view(ctx.viewer.member, id);
    if (!result.ok) return refused(ctx, id, result.refusal);
    const { detail } = result;
    // The member's name with her commune is contact data: every view is audited; the phone, when shown, as well.
    await ctx.audit('case.view', String(id));
    if (detail.full) await ctx.audit('case.contact', String(id));
    const { t } = ctx;
    const claimedById = detail.case.claimedById;
    const claimer = claimedById === null ? null : await runtime.members.findById(claimedById);
    return {
      kind: 'page',
      section: 'cases',
      title: t('webCases:case.title', { id, type: typeLabel(ctx, detail.case.type) }),
      body: html`<p><a href="${BASE}">← ${t('webCases:case.back')}</a></p>
        <h1>${t('webCases:case.title', { id, type: typeLabel(ctx, detail.case.type) })}</h1>
        <div class="case-layout">
          <div class="stack">${facts(ctx, detail, claimer)} ${conversation(ctx, detail)}</div>
          ${actions(ctx, detail, claimer)}
        </div>`,
    };
  }

  // ---- actions -----------------------------------------------------------------------------------------------------

  async function claim(ctx: WebContext): Promise<PageResult> {
    const id = caseId(ctx);
    if (id === null) return { kind: 'notFound' };
    const result = await unit(() => service.claim(ctx.viewer.member, id));
    if (!result.ok) return refused(ctx, id, result.refusal);
    if (!result.already) await ctx.audit('case.claim', String(id));
    return back(id, {
      tone: 'ok',
      text: ctx.t(result.already ? 'webCases:flash.already' : 'webCases:flash.claimed', { id }),
    });
  }

  async function reply(ctx: WebContext): Promise<PageResult> {
    const id = caseId(ctx);
    if (id === null) return { kind: 'notFound' };
    const message = posted(ctx, 'message');
    // Checked before the text: someone who may not act on the case learns nothing about it.
    const refusal = await service.refusal(ctx.viewer.member, id, 'reply');
    if (refusal) return refused(ctx, id, refusal);
    if (message === '') return back(id, { tone: 'error', text: ctx.t('webCases:flash.emptyMessage') });
    if (message.length > CASE_TEXT_MAX) {
      return back(id, { tone: 'error', text: ctx.t('webCases:flash.tooLong', { max: CASE_TEXT_MAX }) });
    }
    const result = await unit(() => relay.fromOfficer(ctx.viewer.member, id, message));
    if (!result.ok) return refused(ctx, id, result.refusal);
    await ctx.audit('case.reply', String(id), { delivery: result.delivery });
    return back(id, {
      tone: 'ok',
      text: result.delivery === 'sent' ? ctx.t('webCases:flash.sent') : ctx.t('cases:relay.stored', { id }),
    });
  }

  async function close(ctx: WebContext): Promise<PageResult> {
    const id = caseId(ctx);
    if (id === null) return { kind: 'notFound' };
    const status = ctx.form.get('status');
    const found = await service.check(ctx.viewer.member, id, 'view');
    if (!found.ok) return refused(ctx, id, found.refusal);
    if (status !== 'done' && status !== 'approved' && status !== 'rejected') {
      return back(id, { tone: 'error', text: ctx.t('webCases:flash.badAction', { id }) });
    }
    const action = status === 'approved' ? 'approve' : status === 'rejected' ? 'reject' : 'done';
    if (caseTypes()[found.case.type]?.replacesDecisions.includes(action)) {
      return back(id, { tone: 'error', text: ctx.t('webCases:flash.elsewhere', { id }) });
    }
    const note = posted(ctx, 'note');
    if (note.length > CASE_TEXT_MAX) {
      return back(id, { tone: 'error', text: ctx.t('webCases:flash.noteTooLong', { max: CASE_TEXT_MAX }) });
    }
    if (status === 'rejected' && note === '') {
      const refusal = await service.refusal(ctx.viewer.member, id, 'reject');
      if (refusal) return refused(ctx, id, refusal);
      return back(id, { tone: 'error', text: ctx.t('webCases:flash.reasonRequired') });
    }
    const result = await unit(() => service.close(ctx.viewer.member, id, status, note === '' ? null : note));
    if (!result.ok) return refused(ctx, id, result.refusal);
    await ctx.audit('case.close', String(id), { status, note: note !== '' });
    const told = openedByMember(found.case.type);
    return back(id, { tone: 'ok', text: ctx.t(told ? `cases:closed.${status}` : 'cases:closed.internal', { id }) });
  }

  return [
    { method: 'GET', path: BASE, role: 'officer', handle: inboxPage },
    { method: 'GET', path: `${BASE}/:id`, role: 'officer', handle: casePage },
    { method: 'POST', path: `${BASE}/:id/claim`, role: 'officer', handle: claim },
    { method: 'POST', path: `${BASE}/:id/reply`, role: 'officer', handle: reply },
    { method: 'POST', path: `${BASE}/:id/close`, role: 'officer', handle: close },
  ];
};
