// The console's Members section (issue 16), for admins only: finding a member (name, phone typed any way, commune),
// her profile with her consent per purpose and what she asked for, erasing her on request; the officers and admins
// with their areas (the CLI's OfficerService), and invitation codes (the chat's and CLI's InvitationService).
// See src/web/page.ts for the rules every page keeps.
import { memberRequests, searchMembers, type MemberHit } from '../../data/memberDirectory.ts';
import type { Member } from '../../domain/member.ts';
import type { Officer } from '../../domain/officers.ts';
import { formatVietnamesePhone, parseVietnamesePhone } from '../../domain/phone.ts';
import { CONSENT_PURPOSES, type ConsentState } from '../../domain/privacy.ts';
import {
  actionButton,
  badge,
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
import type { PageResult, WebContext, WebRoute } from '../page.ts';
import { areasInputValue, areasText, resolveAreaInput } from './members/areas.ts';

const BASE = '/console/members';
const OFFICERS = `${BASE}/officers`;
const PAGE_SIZE = 25;
/** An invitation's validity when the admin leaves the default (the chat's INVITATION_TTL_HOURS default). */
const DEFAULT_INVITATION_HOURS = 72;
const MAX_INVITATION_HOURS = 24 * 30;

const STAFF_ROLES = ['officer', 'admin'] as const;
type StaffRole = (typeof STAFF_ROLES)[number];
const isStaffRole = (value: string | null): value is StaffRole => value === 'officer' || value === 'admin';

function page(ctx: WebContext, title: string, body: Html, status?: number): PageResult {
  return {
    kind: 'page',
    section: 'members',
    title,
    body: html`<h1>${title}</h1>
      ${body}`,
    ...(status === undefined ? {} : { status }),
  };
}

/** The section's own tabs: members and officers. */
function tabs(ctx: WebContext, current: 'members' | 'officers'): Html {
  const tab = (key: 'members' | 'officers', href: string) =>
    html`<li>
      <a href="${href}" ${key === current ? html` aria-current="page"` : ''}>${ctx.t(`webMembers:tabs.${key}`)}</a>
    </li>`;
  return html`<nav class="subnav" aria-label="${ctx.t('webMembers:tabs.label')}">
    <ul>
      ${tab('members', BASE)}${tab('officers', OFFICERS)}
    </ul>
  </nav>`;
}

function roleBadge(ctx: WebContext, role: string): Html {
  const tone = role === 'admin' ? 'danger' : role === 'officer' ? 'info' : 'neutral';
  return badge(ctx.t(`webMembers:roles.${role}`), tone);
}

function communeName(deps: WebDeps, ctx: WebContext, code: string | null): string {
  if (code === null) return ctx.t('webMembers:unknown');
  const unit = deps.runtime.areas.byCodeOrNull(code);
  return unit === null ? code : areasText([code], deps.runtime.areas, ctx.t);
}

function nameOf(ctx: WebContext, member: Pick<Member, 'displayName'>): string {
  return member.displayName ?? ctx.t('webMembers:unnamed');
}

// ---------------------------------------------------------------------------------------------------------------
// Search

/** What the search box held, read: a phone number (any way it is typed), else a part of a name. */
function readQuery(q: string): { phone?: string; name?: string } {
  const trimmed = q.trim();
  if (trimmed === '') return {};
  if (/^[+\d\s.\-()]+$/.test(trimmed)) {
    const phone = parseVietnamesePhone(trimmed);
    if (phone.ok) return { phone: phone.e164 };
  }
  return { name: trimmed };
}

async function searchPage(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const q = (ctx.query.get('q') ?? '').slice(0, 100);
  const communeInput = (ctx.query.get('commune') ?? '').slice(0, 100);
  const pageNo = Math.max(1, Math.min(10_000, Number.parseInt(ctx.query.get('page') ?? '1', 10) || 1));
  const read = readQuery(q);
  const problems: string[] = [];
  if (/^[+\d\s.\-()]+$/.test(q.trim()) && q.trim() !== '' && read.phone === undefined) {
    problems.push(t('webMembers:search.badPhone', { phone: q.trim() }));
  }
  let communeCodes: string[] | undefined;
  if (communeInput.trim() !== '') {
    const resolved = resolveAreaInput(communeInput, deps.runtime.areas, t);
    if (resolved.ok && !resolved.codes.includes('*')) communeCodes = resolved.codes;
    else if (!resolved.ok) problems.push(...resolved.problems);
  }
  const searched = q.trim() !== '' || communeInput.trim() !== '';
  const byPhone = read.phone !== undefined;
  let results: Html;
  if (problems.length > 0) {
    results = html`<div class="flash error" role="alert">
      <ul>
        ${problems.map((p) => html`<li>${p}</li>`)}
      </ul>
    </div>`;
  } else {
    const { hits, total } = await searchMembers(deps.runtime.db, {
      ...(read.name === undefined ? {} : { name: read.name }),
      ...(read.phone === undefined ? {} : { phone: read.phone }),
      ...(communeCodes === undefined ? {} : { communeCodes }),
      page: pageNo,
      pageSize: PAGE_SIZE,
    });
    if (searched) {
      // What was searched by, never the words themselves (a name or a phone number is personal data).
      await ctx.audit('member.search', undefined, {
        by: [read.name && 'name', read.phone && 'phone', communeCodes && 'commune'].filter(Boolean),
        results: total,
      });
    }
    const headers = [
      t('webMembers:columns.name'),
      ...(byPhone ? [t('webMembers:columns.phone')] : []),
      t('webMembers:columns.commune'),
      t('webMembers:columns.role'),
      t('webMembers:columns.channel'),
      t('webMembers:columns.joined'),
    ];
    const row = (m: MemberHit): Html[] => [
      html`<a href="${BASE}/${encodeURIComponent(m.id)}">${nameOf(ctx, m)}</a>`,
      ...(byPhone ? [html`${m.phone === null ? '' : formatVietnamesePhone(m.phone)}`] : []),
      html`${communeName(deps, ctx, m.communeCode)}`,
      roleBadge(ctx, m.role),
      html`${t(`webMembers:channels.${m.channel}`)}`,
      html`${ctx.date(m.createdAt)}`,
    ];
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    results = html`<p class="muted" role="status">${t('webMembers:search.count', { count: total })}</p>
      ${dataTable(t('webMembers:search.caption'), headers, hits.map(row), { empty: t('webMembers:search.empty') })}
      ${pager(pageNo, pages, (n) => withQuery(BASE, { q, commune: communeInput, page: n }), {
        previous: t('webMembers:pager.previous'),
        next: t('webMembers:pager.next'),
        of: t('webMembers:pager.label'),
      })}`;
  }
  const body = html`${tabs(ctx, 'members')}
    <section class="card">
      ${filterBar(
        BASE,
        html`${field(
          'member-q',
          t('webMembers:search.query'),
          html`<input
            id="member-q"
            name="q"
            type="search"
            value="${q}"
            maxlength="100"
            aria-describedby="member-q-hint"
            autocomplete="off"
          />`,
          t('webMembers:search.queryHint'),
        )}${field(
          'member-commune',
          t('webMembers:search.commune'),
          html`<input
            id="member-commune"
            name="commune"
            type="text"
            value="${communeInput}"
            maxlength="100"
            aria-describedby="member-commune-hint"
          />`,
          t('webMembers:search.communeHint'),
        )}`,
        t('webMembers:search.apply'),
      )}
    </section>
    <section class="card" aria-live="polite">${results}</section>`;
  return page(ctx, t('webMembers:search.title'), body);
}

// ---------------------------------------------------------------------------------------------------------------
// A member's profile

const CONSENT_TONE: Record<ConsentState, 'ok' | 'danger' | 'neutral'> = {
  given: 'ok',
  declined: 'danger',
  undecided: 'neutral',
};

async function profilePage(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const id = ctx.params.id ?? '';
  const member = await deps.runtime.members.findById(id);
  if (member === null) return gonePage(ctx);
  // Her name with her commune and her phone are on this page: the view is audited.
  await ctx.audit('member.view', member.id);
  const consent = deps.runtime.features.consent;
  const decisions = await consent.decisionsOf(member);
  const requests = await memberRequests(deps.runtime.db, member.id);
  const areas = member.role === 'member' ? [] : await deps.runtime.officers.areasOf(member.id);

  const facts: [string, Html | string][] = [
    [t('webMembers:profile.name'), nameOf(ctx, member)],
    [
      t('webMembers:profile.phone'),
      member.phone === null ? t('webMembers:unknown') : formatVietnamesePhone(member.phone),
    ],
    [t('webMembers:profile.commune'), communeName(deps, ctx, member.communeCode)],
    [t('webMembers:profile.birthYear'), member.birthYear === null ? t('webMembers:unknown') : String(member.birthYear)],
    [t('webMembers:profile.role'), roleBadge(ctx, member.role)],
    ...(member.role === 'member'
      ? []
      : ([[t('webMembers:profile.areas'), areasText(areas, deps.runtime.areas, t)]] as [string, string][])),
    [t('webMembers:profile.channel'), t(`webMembers:channels.${member.channel}`)],
    [t('webMembers:profile.language'), t(`webMembers:languages.${member.language}`)],
    [t('webMembers:profile.joined'), ctx.date(member.createdAt)],
    [
      t('webMembers:profile.lastMessage'),
      member.lastInboundAt === null ? t('webMembers:never') : ctx.dateTime(member.lastInboundAt),
    ],
    ...(member.unreachableAt === null
      ? []
      : ([[t('webMembers:profile.unreachable'), ctx.dateTime(member.unreachableAt)]] as [string, string][])),
  ];

  const consentRows = CONSENT_PURPOSES.map((purpose) => {
    const decision = decisions.get(purpose.id);
    const state: ConsentState =
      decision === undefined || (decision.givenAt === null && decision.withdrawnAt === null)
        ? 'undecided'
        : decision.givenAt !== null && decision.withdrawnAt === null
          ? 'given'
          : 'declined';
    const when =
      state === 'given' ? decision?.givenAt : state === 'declined' ? decision?.withdrawnAt : (null as Date | null);
    return [
      html`${t(purpose.name)}`,
      badge(t(`webMembers:consent.${state}`), CONSENT_TONE[state]),
      html`${when ? ctx.dateTime(when) : ''}`,
    ];
  });

  const list = <T>(items: T[], render: (item: T) => Html, total: number, empty: string) =>
    total === 0
      ? html`<p class="empty">${empty}</p>`
      : html`<ul>
            ${items.map((item) => html`<li>${render(item)}</li>`)}
          </ul>
          ${total > items.length ? html`<p class="muted">${t('webMembers:requests.more', { count: total - items.length })}</p>` : ''}`;

  const body = html`${tabs(ctx, 'members')}
    <div class="two-up">
      <section class="card" aria-labelledby="member-facts">
        <h2 id="member-facts">${t('webMembers:profile.heading')}</h2>
        ${factList(facts)}
      </section>
      <section class="card" aria-labelledby="member-consent">
        <h2 id="member-consent">${t('webMembers:consent.heading')}</h2>
        ${dataTable(
          t('webMembers:consent.caption'),
          [t('webMembers:consent.purpose'), t('webMembers:consent.state'), t('webMembers:consent.since')],
          consentRows,
          { captionHidden: true },
        )}
      </section>
    </div>
    <section class="card" aria-labelledby="member-requests">
      <h2 id="member-requests">${t('webMembers:requests.heading')}</h2>
      <div class="grid">
        <div>
          <h3>${t('webMembers:requests.cases', { count: requests.cases.total })}</h3>
          ${list(
            requests.cases.items,
            (c) =>
              html`<a href="/console/cases/${c.id}"
                  >#${c.id}
                  ${t(`webMembers:caseTypes.${c.type}`, {
                    defaultValue: c.type,
                  })}</a
                >
                ${badge(t(`webMembers:caseStatus.${c.status}`, { defaultValue: c.status }))}
                <span class="muted">${ctx.date(c.createdAt)}</span>`,
            requests.cases.total,
            t('webMembers:requests.noCases'),
          )}
        </div>
        <div>
          <h3>${t('webMembers:requests.registrations', { count: requests.registrations.total })}</h3>
          ${list(
            requests.registrations.items,
            (r) =>
              html`<a href="/console/courses/${r.courseId}">${r.courseTitle}</a>
                ${badge(t(`webMembers:registrationStatus.${r.status}`, { defaultValue: r.status }))}
                <span class="muted">${ctx.date(r.createdAt)}</span>`,
            requests.registrations.total,
            t('webMembers:requests.noRegistrations'),
          )}
        </div>
        <div>
          <h3>${t('webMembers:requests.listings', { count: requests.listings.total })}</h3>
          ${list(
            requests.listings.items,
            (l) =>
              html`<a href="/console/products/${l.id}">${l.name}</a>
                ${badge(t(`webMembers:listingStatus.${l.status}`, { defaultValue: l.status }))}
                <span class="muted">${ctx.date(l.createdAt)}</span>`,
            requests.listings.total,
            t('webMembers:requests.noListings'),
          )}
        </div>
      </div>
    </section>
    <section class="card" aria-labelledby="member-erase">
      <h2 id="member-erase">${t('webMembers:erase.heading')}</h2>
      <p>${t('webMembers:erase.intro')}</p>
      ${
        member.id === ctx.viewer.member.id
          ? html`<p class="muted">${t('webMembers:erase.notYourself')}</p>`
          : html`<p>
              <a class="button danger" href="${BASE}/${encodeURIComponent(member.id)}/erase"
                >${t('webMembers:erase.start')}</a
              >
            </p>`
      }
    </section>`;
  return page(ctx, nameOf(ctx, member), body);
}

/** A member who is not (or no longer) there: erased on request, or a wrong link. */
function gonePage(ctx: WebContext): PageResult {
  const { t } = ctx;
  return page(
    ctx,
    t('webMembers:gone.title'),
    html`${tabs(ctx, 'members')}
      <section class="card">
        <p>${t('webMembers:gone.text')}</p>
        <p><a href="${BASE}">${t('webMembers:gone.back')}</a></p>
      </section>`,
    404,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Erasure on request

/** What erasing her removes, named with her own counts (the confirmation step). */
async function eraseSummary(deps: WebDeps, ctx: WebContext, member: Member): Promise<string[]> {
  const { t } = ctx;
  const requests = await memberRequests(deps.runtime.db, member.id, 0);
  const photos = await deps.runtime.db.storedFile.count({ where: { memberId: member.id } });
  return [
    t('webMembers:erase.what.profile', { name: nameOf(ctx, member) }),
    t('webMembers:erase.what.consents'),
    t('webMembers:erase.what.cases', { count: requests.cases.total }),
    t('webMembers:erase.what.registrations', { count: requests.registrations.total }),
    t('webMembers:erase.what.listings', { count: requests.listings.total }),
    t('webMembers:erase.what.photos', { count: photos }),
    t('webMembers:erase.what.messages'),
    ...(member.role === 'member' ? [] : [t('webMembers:erase.what.role')]),
    t('webMembers:erase.what.audit'),
  ];
}

async function eraseConfirmPage(deps: WebDeps, ctx: WebContext, error?: string): Promise<PageResult> {
  const { t } = ctx;
  const member = await deps.runtime.members.findById(ctx.params.id ?? '');
  if (member === null) return gonePage(ctx);
  if (member.id === ctx.viewer.member.id) return { kind: 'forbidden', text: t('webMembers:erase.notYourself') };
  await ctx.audit('member.view', member.id, { step: 'eraseConfirm' });
  const what = await eraseSummary(deps, ctx, member);
  const action = `${BASE}/${encodeURIComponent(member.id)}/erase`;
  const body = html`${tabs(ctx, 'members')}
    <section class="card" aria-labelledby="erase-heading">
      <h2 id="erase-heading">${t('webMembers:erase.confirmHeading', { name: nameOf(ctx, member) })}</h2>
      ${error ? html`<div class="flash error" role="alert">${error}</div>` : ''}
      <p>${t('webMembers:erase.willErase')}</p>
      <ul>
        ${what.map((w) => html`<li>${w}</li>`)}
      </ul>
      <p><strong>${t('webMembers:erase.cannotUndo')}</strong></p>
      ${postForm(
        ctx,
        action,
        html`<div class="field checkbox">
            <input id="erase-requested" name="requested" type="checkbox" value="yes" required />
            <label for="erase-requested">${t('webMembers:erase.requested')}</label>
          </div>
          <div class="actions">
            <button type="submit" class="button danger">${t('webMembers:erase.confirm')}</button>
            <a class="button secondary" href="${BASE}/${encodeURIComponent(member.id)}"
              >${t('webMembers:erase.cancel')}</a
            >
          </div>`,
      )}
    </section>`;
  return page(ctx, t('webMembers:erase.confirmTitle'), body, error ? 422 : undefined);
}

async function erase(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const id = ctx.params.id ?? '';
  if (id === ctx.viewer.member.id) return { kind: 'forbidden', text: t('webMembers:erase.notYourself') };
  if (ctx.form.get('requested') !== 'yes') return eraseConfirmPage(deps, ctx, t('webMembers:erase.needRequested'));
  const erased = await deps.admin.eraseMember(ctx.viewer.member.id, id);
  if (!erased) return gonePage(ctx);
  // Her id is gone with her: the entry says an erasure was done from the console, naming no one.
  await ctx.audit('member.erased');
  return { kind: 'redirect', to: BASE, flash: { tone: 'ok', text: t('webMembers:erase.done') } };
}

// ---------------------------------------------------------------------------------------------------------------
// Officers and invitations

function areasForm(ctx: WebContext, officer: Officer): Html {
  const id = `areas-${officer.member.id}`;
  return postForm(
    ctx,
    `${OFFICERS}/${encodeURIComponent(officer.member.id)}/areas`,
    html`<label class="visually-hidden" for="${id}"
        >${ctx.t('webMembers:officers.areasFor', { name: nameOf(ctx, officer.member) })}</label
      ><input id="${id}" name="areas" type="text" value="${areasInputValue(officer.areas)}" required />
      <button type="submit" class="button secondary">${ctx.t('webMembers:officers.saveAreas')}</button>`,
    { className: 'inline' },
  );
}

function roleForm(ctx: WebContext, officer: Officer): Html {
  const id = `role-${officer.member.id}`;
  return postForm(
    ctx,
    `${OFFICERS}/${encodeURIComponent(officer.member.id)}/role`,
    html`<label class="visually-hidden" for="${id}"
        >${ctx.t('webMembers:officers.roleFor', { name: nameOf(ctx, officer.member) })}</label
      >${select(
        id,
        'role',
        STAFF_ROLES.map((r) => ({ value: r, label: ctx.t(`webMembers:roles.${r}`) })),
        officer.member.role,
      )} <button type="submit" class="button secondary">${ctx.t('webMembers:officers.saveRole')}</button>`,
    { className: 'inline' },
  );
}

async function officersPage(deps: WebDeps, ctx: WebContext, problems: string[] = []): Promise<PageResult> {
  const { t } = ctx;
  const officers = await deps.admin.officers.list();
  const directory = deps.runtime.areas;
  const rows = officers.map((o) => {
    const self = o.member.id === ctx.viewer.member.id;
    return [
      html`<a href="${BASE}/${encodeURIComponent(o.member.id)}">${nameOf(ctx, o.member)}</a>${
          self ? html` <span class="muted">${t('webMembers:officers.you')}</span>` : ''
        }`,
      self ? roleBadge(ctx, o.member.role) : roleForm(ctx, o),
      html`<div>${areasText(o.areas, directory, t)}</div>
        ${areasForm(ctx, o)}`,
      html`${t(`webMembers:channels.${o.member.channel}`)}`,
      self
        ? html``
        : actionButton(ctx, `${OFFICERS}/${encodeURIComponent(o.member.id)}/revoke`, t('webMembers:officers.revoke'), {
            tone: 'danger',
            confirm: t('webMembers:officers.revokeConfirm', { name: nameOf(ctx, o.member) }),
          }),
    ];
  });
  const roleOptions = STAFF_ROLES.map((r) => ({ value: r, label: t(`webMembers:roles.${r}`) }));
  const body = html`${tabs(ctx, 'officers')}
    <section class="card" aria-labelledby="officers-heading">
      <h2 id="officers-heading">${t('webMembers:officers.heading')}</h2>
      <p class="muted">${t('webMembers:officers.areasHint')}</p>
      ${dataTable(
        t('webMembers:officers.caption'),
        [
          t('webMembers:columns.name'),
          t('webMembers:columns.role'),
          t('webMembers:columns.areas'),
          t('webMembers:columns.channel'),
          t('webMembers:columns.actions'),
        ],
        rows,
        { empty: t('webMembers:officers.empty') },
      )}
    </section>
    <section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">${t('webMembers:invite.heading')}</h2>
      <p>${t('webMembers:invite.intro')}</p>
      ${
        problems.length > 0
          ? html`<div class="flash error" role="alert">
              <ul>
                ${problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : ''
      }
      ${postForm(
        ctx,
        `${BASE}/invitations`,
        html`${field('invite-role', t('webMembers:invite.role'), select('invite-role', 'role', roleOptions, ctx.form.get('role') ?? 'officer'))}
          ${field(
            'invite-areas',
            t('webMembers:invite.areas'),
            html`<input
              id="invite-areas"
              name="areas"
              type="text"
              required
              value="${ctx.form.get('areas') ?? ''}"
              aria-describedby="invite-areas-hint"
            />`,
            t('webMembers:invite.areasHint'),
          )}
          ${field(
            'invite-hours',
            t('webMembers:invite.hours'),
            html`<input
              id="invite-hours"
              name="hours"
              type="number"
              min="1"
              max="${MAX_INVITATION_HOURS}"
              value="${ctx.form.get('hours') ?? DEFAULT_INVITATION_HOURS}"
            />`,
          )}
          <div class="actions">
            <button type="submit" class="button primary">${t('webMembers:invite.create')}</button>
          </div>`,
        { className: 'narrow' },
      )}
    </section>`;
  return page(ctx, t('webMembers:officers.title'), body, problems.length > 0 ? 422 : undefined);
}

/** Why a change to an officer was refused, as the flash says it. */
function refused(ctx: WebContext, reason: 'unknownMember' | 'notOfficer'): PageResult {
  return { kind: 'redirect', to: OFFICERS, flash: { tone: 'error', text: ctx.t(`webMembers:officers.${reason}`) } };
}

async function rescope(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const id = ctx.params.id ?? '';
  const found = await deps.admin.officers.find(id);
  if (!found.ok) return refused(ctx, found.reason);
  const resolved = resolveAreaInput(ctx.form.get('areas') ?? '', deps.runtime.areas, t);
  if (!resolved.ok) {
    return { kind: 'redirect', to: OFFICERS, flash: { tone: 'error', text: resolved.problems.join(' ') } };
  }
  const result = await deps.admin.officers.rescope(ctx.viewer.member.id, id, resolved.codes);
  if (!result.ok) return refused(ctx, result.reason);
  await ctx.audit('officer.rescoped', id, { before: result.before, after: result.after });
  return {
    kind: 'redirect',
    to: OFFICERS,
    flash: {
      tone: 'ok',
      text: t('webMembers:officers.rescoped', {
        name: nameOf(ctx, result.member),
        areas: areasText(result.after, deps.runtime.areas, t),
      }),
    },
  };
}

async function changeRole(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const id = ctx.params.id ?? '';
  const role = ctx.form.get('role');
  if (!isStaffRole(role))
    return { kind: 'redirect', to: OFFICERS, flash: { tone: 'error', text: t('webMembers:officers.badRole') } };
  if (id === ctx.viewer.member.id) {
    return { kind: 'redirect', to: OFFICERS, flash: { tone: 'error', text: t('webMembers:officers.notYourself') } };
  }
  const result = await deps.admin.officers.changeRole(ctx.viewer.member.id, id, role);
  if (!result.ok) return refused(ctx, result.reason);
  await ctx.audit('officer.roleChanged', id, { role });
  return {
    kind: 'redirect',
    to: OFFICERS,
    flash: {
      tone: 'ok',
      text: t('webMembers:officers.roleChanged', {
        name: nameOf(ctx, result.member),
        role: t(`webMembers:roles.${role}`),
      }),
    },
  };
}

async function revoke(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const id = ctx.params.id ?? '';
  if (id === ctx.viewer.member.id) {
    return { kind: 'redirect', to: OFFICERS, flash: { tone: 'error', text: t('webMembers:officers.notYourself') } };
  }
  const result = await deps.admin.officers.revoke(ctx.viewer.member.id, id);
  if (!result.ok) return refused(ctx, result.reason);
  await ctx.audit('officer.revoked', id);
  return {
    kind: 'redirect',
    to: OFFICERS,
    flash: { tone: 'ok', text: t('webMembers:officers.revoked', { name: nameOf(ctx, result.member) }) },
  };
}

async function invite(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const problems: string[] = [];
  const role = ctx.form.get('role');
  if (!isStaffRole(role)) problems.push(t('webMembers:officers.badRole'));
  const hoursText = (ctx.form.get('hours') ?? '').trim();
  const hours = hoursText === '' ? DEFAULT_INVITATION_HOURS : Number(hoursText);
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_INVITATION_HOURS) {
    problems.push(t('webMembers:invite.badHours', { max: MAX_INVITATION_HOURS }));
  }
  const resolved = resolveAreaInput(ctx.form.get('areas') ?? '', deps.runtime.areas, t);
  if (!resolved.ok) problems.push(...resolved.problems);
  if (problems.length > 0 || !resolved.ok || !isStaffRole(role)) return officersPage(deps, ctx, problems);
  const { code, invitation } = await deps.admin.invitations.create({
    role,
    areas: resolved.codes,
    createdBy: ctx.viewer.member.id,
    ttlHours: hours,
  });
  await ctx.audit('invitation.created', invitation.id, { role, areas: resolved.codes });
  return {
    kind: 'redirect',
    to: OFFICERS,
    flash: {
      tone: 'ok',
      text: t('webMembers:invite.created', {
        code,
        role: t(`webMembers:roles.${role}`),
        areas: areasText(resolved.codes, deps.runtime.areas, t),
        expires: ctx.dateTime(invitation.expiresAt),
      }),
    },
  };
}

export const membersPages: PageModule = (deps) => {
  const route = (method: WebRoute['method'], path: string, handle: (ctx: WebContext) => Promise<PageResult>) =>
    ({ method, path, role: 'admin', handle }) satisfies WebRoute;
  return [
    route('GET', BASE, (ctx) => searchPage(deps, ctx)),
    route('GET', OFFICERS, (ctx) => officersPage(deps, ctx)),
    route('POST', `${BASE}/invitations`, (ctx) => invite(deps, ctx)),
    route('POST', `${OFFICERS}/:id/areas`, (ctx) => rescope(deps, ctx)),
    route('POST', `${OFFICERS}/:id/role`, (ctx) => changeRole(deps, ctx)),
    route('POST', `${OFFICERS}/:id/revoke`, (ctx) => revoke(deps, ctx)),
    route('GET', `${BASE}/:id`, (ctx) => profilePage(deps, ctx)),
    route('GET', `${BASE}/:id/erase`, (ctx) => eraseConfirmPage(deps, ctx)),
    route('POST', `${BASE}/:id/erase`, (ctx) => erase(deps, ctx)),
  ];
};
