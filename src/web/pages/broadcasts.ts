// The console's Broadcasts section (issue 16). See src/web/pages/broadcasts/*.ts for the pieces and src/web/page.ts for
// the rules every page keeps. Everything is the BroadcastService's (src/features/broadcasts/service.ts), as the chat
// and the CLI call it: admins only (its `notAdmin` refusal; the routes are admin routes too), audiences and consent,
// the approval by a second admin (the author cannot approve her own), scheduling, quiet hours, the Zalo promotion
// rule, the dispatcher. These pages only read forms, call it and show its answers.
//   GET  /console/broadcasts                    list: status, audience size, progress, time; filter by status
//   GET  /console/broadcasts/new                compose form (texts, button, audience, when, urgent)
//   POST /console/broadcasts/new                intent=count|preview: the form again with the size / preview;
//                                               intent=send: create → the broadcast's page with the confirmation
//   GET  /console/broadcasts/audience           JSON { ok, total, text } for the live size (broadcasts.js)
//   GET  /console/broadcasts/:id                texts, audience, preview, approval, live progress, report
//   GET  /console/broadcasts/:id/progress       JSON progress for broadcasts.js (polled while it runs)
//   GET  /console/broadcasts/:id/failures.csv   the CLI's failures CSV (member id, never a name or phone)
//   POST /console/broadcasts/:id/approve|reject|cancel
import type { Translate } from '../../conversation/flow.ts';
import type { AudienceSize, Broadcast, BroadcastProgress, DeliveryFailure } from '../../domain/broadcasts.ts';
import { BROADCAST_STATUSES, DELIVERY_STATUSES, type BroadcastStatus } from '../../domain/broadcasts.ts';
import { LANGUAGES, type Language } from '../../domain/member.ts';
import type { Course } from '../../domain/courses.ts';
import { confirmationText, describeSize, refusalText } from '../../features/broadcasts/compose.ts';
import type { BroadcastRefusal } from '../../features/broadcasts/contract.ts';
import { failuresCsv } from '../../features/broadcasts/failuresFile.ts';
import { formatCount } from '../../features/broadcasts/notices.ts';
import { durationText } from '../../features/broadcasts/adminActions.ts';
import { unitLabel } from '../../features/profile/areaInput.ts';
import {
  actionButton,
  dataTable,
  factList,
  field,
  filterBar,
  pager,
  postForm,
  select,
  withQuery,
} from '../components.ts';
import type { PageModule } from '../deps.ts';
import { html, type Html } from '../html.ts';
import type { PageResult, WebContext, WebRoute } from '../page.ts';
import {
  AUDIENCE_CHANNELS,
  BUTTON_TARGETS,
  COURSE_WHO,
  PRODUCT_STATES,
  audienceOf,
  emptyComposeForm,
  inputOfForm,
  readComposeForm,
  type ComposeForm,
} from './broadcasts/form.ts';
import {
  FINAL_STATUSES,
  audienceText,
  excerpt,
  figuresOf,
  figuresText,
  previewOf,
  progressBar,
  statusBadge,
} from './broadcasts/views.ts';

const BASE = '/console/broadcasts';
const PAGE_SIZE = 20;
/** Failures read per page (keyset pages, as the CLI reads them). */
const FAILURES_PAGE = 1000;
/** The report's table of failure reasons reads at most this many failures (the CSV has them all). */
const REPORT_FAILURES_MAX = 20_000;
/** How often the page's script asks for the progress while it runs (milliseconds). */
const POLL_MS = 3000;

const SCRIPT = html`<script src="/console/assets/broadcasts.js" defer></script>`;

function idOf(ctx: WebContext): number | null {
  const raw = ctx.params['id'] ?? '';
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/** A refusal as a page: not found as 404, the others as a flash on the broadcast's page (or the list). */
function refusalFlash(refusal: BroadcastRefusal, t: Translate) {
  return { tone: 'error' as const, text: refusalText(refusal, t) };
}

export const broadcastsPages: PageModule = (deps) => {
  const feature = deps.runtime.features.broadcasts;
  const service = feature.service;
  const settings = feature.settings;
  const areas = deps.runtime.areas;
  const courses = deps.runtime.features.courses.service;
  const run = <T>(work: () => Promise<T>) => deps.runtime.transactor.run(work);

  const courseTitle = (list: readonly Course[], language: Language) => (id: number) => {
    const course = list.find((c) => c.id === id);
    if (!course) return '';
    return language === 'en' && course.titleEn ? course.titleEn : course.titleVi;
  };

  /** The newest courses (the audience's course choice) and the open ones (the registration button). */
  async function courseChoices(): Promise<{ recent: Course[]; open: Course[] }> {
    const [recent, open] = await Promise.all([
      courses.catalogue({ page: 0 }),
      courses.catalogue({ status: 'open', page: 0 }),
    ]);
    return { recent: recent.courses, open: open.courses };
  }

  async function composerName(b: Broadcast): Promise<string> {
    if (!b.createdById) return '';
    const m = await deps.runtime.members.findById(b.createdById);
    return m?.displayName ?? '';
  }

  // —— The list ——
  async function list(ctx: WebContext): Promise<PageResult> {
    const { t } = ctx;
    const statusParam = ctx.query.get('status') ?? '';
    const status = (BROADCAST_STATUSES as readonly string[]).includes(statusParam)
      ? (statusParam as BroadcastStatus)
      : null;
    const page = Math.max(1, Math.min(10_000, Number(ctx.query.get('page')) || 1));
    const result = await service.list(ctx.viewer.member, {
      limit: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
      ...(status ? { statuses: [status] } : {}),
    });
    if (!result.ok) return { kind: 'forbidden', text: refusalText(result.refusal, t) };
    const items = result.items.slice(0, PAGE_SIZE);
    const rows: Html[][] = [];
    for (const b of items) {
      const progress = await service.progress(ctx.viewer.member, b.id);
      const f = progress.ok ? figuresOf(progress.progress.counts) : null;
      const started = b.startedAt ?? b.scheduledAt;
      rows.push([
        html`<a href="${BASE}/${b.id}">#${b.id}</a>`,
        html`<a href="${BASE}/${b.id}">${excerpt(b, ctx.language) || t('webBroadcasts:list.noText')}</a>`,
        statusBadge(b.status, t),
        html`${sizeText(b, f?.total ?? 0, ctx)}`,
        f && f.total > 0
          ? html`${progressBar(f, t('webBroadcasts:progress.label', { id: b.id }))}
              <small class="muted">${figuresText(f, t, ctx.language)}</small>`
          : html`<span class="muted">—</span>`,
        html`${started ? ctx.dateTime(started) : '—'}${
          b.status === 'scheduled' ? html`<br /><small class="muted">${t('webBroadcasts:list.scheduled')}</small>` : ''
        }`,
      ]);
    }
    const statusOptions = [
      { value: '', label: t('webBroadcasts:list.allStatuses') },
      ...BROADCAST_STATUSES.map((s) => ({ value: s, label: t(`broadcastAdmin:status.${s}`) })),
    ];
    const body = html`<h1>${t('webBroadcasts:list.title')}</h1>
      <div class="actions">
        <a class="button primary" href="${BASE}/new">${t('webBroadcasts:list.compose')}</a>
      </div>
      ${filterBar(
        BASE,
        field('bc-status', t('webBroadcasts:list.status'), select('bc-status', 'status', statusOptions, status ?? '')),
        t('webBroadcasts:list.apply'),
      )}
      ${dataTable(
        t('webBroadcasts:list.caption'),
        [
          t('webBroadcasts:list.id'),
          t('webBroadcasts:list.text'),
          t('webBroadcasts:list.status'),
          t('webBroadcasts:list.audience'),
          t('webBroadcasts:list.progress'),
          t('webBroadcasts:list.when'),
        ],
        rows,
        { empty: t('webBroadcasts:list.empty') },
      )}
      ${pager(
        page,
        result.items.length > PAGE_SIZE ? page + 1 : page,
        (n) => withQuery(BASE, { status: status ?? '', page: n }),
        {
          previous: t('webBroadcasts:list.previous'),
          next: t('webBroadcasts:list.next'),
          of: t('webBroadcasts:list.pages'),
        },
      )}`;
    return { kind: 'page', section: 'broadcasts', title: t('webBroadcasts:list.title'), body };
  }

  /** "≈ 120" before its deliveries are written (the size counted at confirmation), the deliveries' count after. */
  function sizeText(b: Broadcast, written: number, ctx: WebContext): string {
    if (written > 0) return formatCount(written, ctx.language);
    if (b.audienceSize === null) return '—';
    return ctx.t('broadcastAdmin:list.estimate', { count: formatCount(b.audienceSize, ctx.language) });
  }

  // —— Composing ——
  type SizeAnswer = { ok: true; size: AudienceSize } | { ok: false; text: string };

  async function sizeOf(ctx: WebContext, form: ComposeForm): Promise<SizeAnswer> {
    const result = await service.audienceSize(ctx.viewer.member, audienceOf(form));
    return result.ok ? { ok: true, size: result.size } : { ok: false, text: refusalText(result.refusal, ctx.t) };
  }

  function sizeBlock(answer: SizeAnswer | null, t: Translate): Html {
    const content = !answer
      ? html`<span class="muted">${t('webBroadcasts:compose.sizeUnknown')}</span>`
      : answer.ok
        ? html`<span class="bc-lines">${describeSize(answer.size, t)}</span>`
        : html`<span class="bc-error">${answer.text}</span>`;
    return html`<output id="bc-size" for="bc-compose" aria-live="polite" class="bc-size">${content}</output>`;
  }

  function checkbox(name: string, value: string, label: string, checked: boolean, id: string): Html {
    return html`<label class="bc-check" for="${id}"
      ><input type="checkbox" id="${id}" name="${name}" value="${value}" ${checked ? html`checked` : ''} />
      ${label}</label
    >`;
  }

  async function composePage(
    ctx: WebContext,
    form: ComposeForm,
    extra: { size?: SizeAnswer; preview?: boolean; error?: string; status?: number } = {},
  ): Promise<PageResult> {
    const { t } = ctx;
    const { recent, open } = await courseChoices();
    const titleOf = (c: Course) => (ctx.language === 'en' && c.titleEn ? c.titleEn : c.titleVi);
    // The chosen ones first (seen without scrolling after a count or a preview), then by name.
    const chosen = (code: string) => (form.communes.includes(code) ? 0 : 1);
    const units = [...areas.list()].sort(
      (a, b) => chosen(a.code) - chosen(b.code) || a.name.localeCompare(b.name, 'vi'),
    );
    const buttonOptions = [
      { value: '', label: t('broadcastAdmin:buttonChoice.none') },
      ...BUTTON_TARGETS.map((b) => ({ value: b, label: t(`broadcastAdmin:buttonChoice.${b}`) })),
      ...open.map((c) => ({
        value: `course:${c.id}`,
        label: t('broadcastAdmin:buttonChoice.courseOne', { id: c.id, title: titleOf(c) }),
      })),
    ];
    const courseOptions = [
      { value: '', label: t('webBroadcasts:compose.noCourse') },
      ...recent.map((c) => ({ value: String(c.id), label: `#${c.id} ${titleOf(c)}` })),
    ];
    const threshold = formatCount(settings.approvalThreshold, ctx.language);
    const hours = `${pad(settings.hours.start.hour)}:${pad(settings.hours.start.minute)}–${pad(
      settings.hours.end.hour,
    )}:${pad(settings.hours.end.minute)}`;

    let preview: Html = html``;
    if (extra.preview) {
      const checked = inputOfForm(form, ctx.now, ctx.timeZone);
      if (checked.ok && Object.keys(checked.input.texts).length > 0) {
        const languages = form.languages.length > 0 ? form.languages : [...LANGUAGES];
        preview = html`<section class="card" aria-labelledby="bc-preview-title">
          <h2 id="bc-preview-title">${t('webBroadcasts:preview.title')}</h2>
          <div class="bc-columns">
            ${languages.map((language) => {
              const messages = service.render(
                { id: 0, texts: checked.input.texts, photoFileId: null, button: checked.input.button ?? null },
                language,
              );
              return html`<div>
                <h3>${t('webBroadcasts:preview.for', { language: t(`broadcastAdmin:languages.${language}`) })}</h3>
                ${previewOf(messages, t)}
              </div>`;
            })}
          </div>
        </section>`;
      }
    }

    const body = html`<h1>${t('webBroadcasts:compose.title')}</h1>
      ${extra.error ? html`<div class="flash error" role="alert">${extra.error}</div>` : ''}${postForm(
        ctx,
        `${BASE}/new`,
        html`<section class="card" aria-labelledby="bc-texts">
            <h2 id="bc-texts">${t('webBroadcasts:compose.texts')}</h2>
            ${field(
              'bc-text-vi',
              t('webBroadcasts:compose.textVi'),
              html`<textarea id="bc-text-vi" name="textVi" rows="6" maxlength="2000" aria-describedby="bc-text-vi-hint">
${form.textVi}</textarea>`,
              t('webBroadcasts:compose.textHint', { max: 2000 }),
            )}
            ${field(
              'bc-text-en',
              t('webBroadcasts:compose.textEn'),
              html`<textarea id="bc-text-en" name="textEn" rows="4" maxlength="2000" aria-describedby="bc-text-en-hint">
${form.textEn}</textarea>`,
              t('webBroadcasts:compose.textEnHint'),
            )}
            ${field(
              'bc-button',
              t('webBroadcasts:compose.button'),
              select('bc-button', 'button', buttonOptions, form.button, { describedBy: 'bc-button-hint' }),
              t('webBroadcasts:compose.buttonHint'),
            )}
          </section>
          <section class="card" aria-labelledby="bc-audience">
            <h2 id="bc-audience">${t('webBroadcasts:compose.audience')}</h2>
            <p class="hint">${t('webBroadcasts:compose.audienceHint')}</p>
            <fieldset class="bc-communes">
              <legend>${t('webBroadcasts:compose.communes')}</legend>
              <div class="bc-scroll">
                ${units.map((u) =>
                  checkbox('commune', u.code, unitLabel(u, t), form.communes.includes(u.code), `bc-commune-${u.code}`),
                )}
              </div>
            </fieldset>
            <fieldset>
              <legend>${t('webBroadcasts:compose.channels')}</legend>
              ${AUDIENCE_CHANNELS.map((c) =>
                checkbox('channel', c, t(`broadcastAdmin:channels.${c}`), form.channels.includes(c), `bc-channel-${c}`),
              )}
            </fieldset>
            <fieldset>
              <legend>${t('webBroadcasts:compose.languages')}</legend>
              ${LANGUAGES.map((l) =>
                checkbox('language', l, t(`broadcastAdmin:languages.${l}`), form.languages.includes(l), `bc-lang-${l}`),
              )}
            </fieldset>
            <div class="filters">
              ${field('bc-course', t('webBroadcasts:compose.course'), select('bc-course', 'course', courseOptions, form.course))}
              ${field(
                'bc-course-who',
                t('webBroadcasts:compose.courseWho'),
                select(
                  'bc-course-who',
                  'courseWho',
                  COURSE_WHO.map((w) => ({ value: w, label: t(`webBroadcasts:compose.who.${w}`) })),
                  form.courseWho,
                ),
              )}
            </div>
            <fieldset>
              <legend>${t('webBroadcasts:compose.more')}</legend>
              ${checkbox('credit', '1', t('broadcastAdmin:add.credit'), form.credit, 'bc-credit')}
              ${PRODUCT_STATES.map((p) =>
                checkbox(
                  'products',
                  p,
                  t(`broadcastAdmin:add.${p === 'pending' ? 'productsPending' : 'productsApproved'}`),
                  form.products.includes(p),
                  `bc-products-${p}`,
                ),
              )}
            </fieldset>
            <div class="bc-size-row">
              ${sizeBlock(extra.size ?? null, t)}
              <button type="submit" name="intent" value="count" class="button secondary">
                ${t('webBroadcasts:compose.count')}
              </button>
            </div>
            <p class="hint">${t('webBroadcasts:compose.approvalHint', { threshold })}</p>
          </section>
          <section class="card" aria-labelledby="bc-when">
            <h2 id="bc-when">${t('webBroadcasts:compose.when')}</h2>
            <fieldset>
              <legend class="visually-hidden">${t('webBroadcasts:compose.when')}</legend>
              <label class="bc-check" for="bc-when-now"
                ><input
                  type="radio"
                  id="bc-when-now"
                  name="when"
                  value="now"
                  ${form.when === 'now' ? html`checked` : ''}
                />
                ${t('broadcastAdmin:whenChoice.now')}</label
              >
              <label class="bc-check" for="bc-when-later"
                ><input
                  type="radio"
                  id="bc-when-later"
                  name="when"
                  value="later"
                  ${form.when === 'later' ? html`checked` : ''}
                />
                ${t('broadcastAdmin:whenChoice.later')}</label
              >
            </fieldset>
            ${field(
              'bc-at',
              t('webBroadcasts:compose.at'),
              html`<input
                type="datetime-local"
                id="bc-at"
                name="at"
                value="${form.at}"
                aria-describedby="bc-at-hint"
              />`,
              t('webBroadcasts:compose.atHint'),
            )}
            ${checkbox('urgent', '1', t('webBroadcasts:compose.urgent', { hours }), form.urgent, 'bc-urgent')}
            ${
              settings.promotion.enabled
                ? checkbox('promotion', '1', t('webBroadcasts:compose.promotion'), form.promotion, 'bc-promotion')
                : ''
            }
          </section>
          ${preview}
          <div class="actions">
            <button type="submit" name="intent" value="preview" class="button secondary">
              ${t('webBroadcasts:compose.preview')}
            </button>
            <button type="submit" name="intent" value="send" class="button primary">
              ${t('webBroadcasts:compose.send')}
            </button>
          </div>`,
        { id: 'bc-compose' },
      )}
      ${SCRIPT}`;
    return {
      kind: 'page',
      section: 'broadcasts',
      title: t('webBroadcasts:compose.title'),
      body,
      ...(extra.status ? { status: extra.status } : {}),
    };
  }

  function problemText(problem: string, ctx: WebContext): string {
    return problem === 'atPast'
      ? ctx.t('webBroadcasts:problems.atPast', { now: ctx.dateTime(ctx.now) })
      : ctx.t(`webBroadcasts:problems.${problem}`);
  }

  async function composePost(ctx: WebContext): Promise<PageResult> {
    const form = readComposeForm(ctx.form);
    const intent = ctx.form.get('intent');
    if (intent === 'count') return composePage(ctx, form, { size: await sizeOf(ctx, form) });
    const checked = inputOfForm(form, ctx.now, ctx.timeZone);
    if (!checked.ok) {
      return composePage(ctx, form, { error: problemText(checked.problem, ctx), status: 400 });
    }
    const validated = await service.validate(ctx.viewer.member, checked.input);
    if (!validated.ok) {
      if (validated.refusal.reason === 'notAdmin')
        return { kind: 'forbidden', text: refusalText(validated.refusal, ctx.t) };
      return composePage(ctx, form, { error: refusalText(validated.refusal, ctx.t), status: 400 });
    }
    if (intent !== 'send') {
      return composePage(ctx, form, { size: await sizeOf(ctx, form), preview: true });
    }
    const created = await run(() => service.create(ctx.viewer.member, checked.input));
    if (!created.ok) {
      return composePage(ctx, form, {
        error: refusalText(created.refusal, ctx.t),
        size: await sizeOf(ctx, form),
        status: 400,
      });
    }
    const b = created.broadcast;
    await ctx.audit('broadcast.create', String(b.id), { status: b.status, audience: b.audienceSize });
    const text = confirmationText(
      b.id,
      created.confirmation,
      ctx.t,
      ctx.timeZone,
      ctx.language,
      settings.approvalThreshold,
      { now: ctx.now, hours: settings.hours, urgent: b.urgent },
    );
    return { kind: 'redirect', to: `${BASE}/${b.id}`, flash: { tone: 'ok', text } };
  }

  async function audienceJson(ctx: WebContext): Promise<PageResult> {
    const answer = await sizeOf(ctx, readComposeForm(ctx.query));
    return {
      kind: 'json',
      body: answer.ok
        ? { ok: true, total: answer.size.total, text: describeSize(answer.size, ctx.t) }
        : { ok: false, text: answer.text },
    };
  }

  // —— One broadcast ——
  async function progressOf(ctx: WebContext): Promise<BroadcastProgress | BroadcastRefusal | null> {
    const id = idOf(ctx);
    if (id === null) return null;
    const result = await service.progress(ctx.viewer.member, id);
    return result.ok ? result.progress : result.refusal;
  }

  /** The live figures the page shows and its script refreshes (same shape as the JSON route). */
  function liveOf(p: BroadcastProgress, ctx: WebContext) {
    const f = figuresOf(p.counts);
    const b = p.broadcast;
    const running = b.status === 'preparing' || b.status === 'sending';
    return {
      status: b.status,
      statusText: ctx.t(`broadcastAdmin:status.${b.status}`),
      final: FINAL_STATUSES.includes(b.status),
      total: f.total,
      ended: f.delivered + f.notDelivered,
      figures: figuresText(f, ctx.t, ctx.language),
      rate: running
        ? ctx.t('webBroadcasts:progress.rate', {
            rate: formatCount(Math.round(p.ratePerMinute), ctx.language),
            eta: durationText(p.etaMs, ctx.t),
          })
        : '',
    };
  }

  async function progressJson(ctx: WebContext): Promise<PageResult> {
    const p = await progressOf(ctx);
    if (p === null || 'reason' in p) return { kind: 'notFound' };
    return { kind: 'json', body: liveOf(p, ctx) };
  }

  async function allFailures(ctx: WebContext, id: number, max: number): Promise<DeliveryFailure[] | null> {
    const out: DeliveryFailure[] = [];
    let after: string | null = null;
    while (out.length < max) {
      const page = await service.failures(ctx.viewer.member, id, after, FAILURES_PAGE);
      if (!page.ok) return null;
      out.push(...page.items);
      if (page.items.length < FAILURES_PAGE) break;
      after = page.items[page.items.length - 1]!.memberId;
    }
    return out;
  }

  async function show(ctx: WebContext): Promise<PageResult> {
    const { t } = ctx;
    const p = await progressOf(ctx);
    if (p === null) return { kind: 'notFound' };
    if ('reason' in p)
      return p.reason === 'notAdmin' ? { kind: 'forbidden', text: refusalText(p, t) } : { kind: 'notFound' };
    const b = p.broadcast;
    const live = liveOf(p, ctx);
    const mine = b.createdById === ctx.viewer.member.id;
    const { recent } = await courseChoices();
    const title = courseTitle(recent, ctx.language);
    const author = await composerName(b);
    const approver = b.approvedById ? await deps.runtime.members.findById(b.approvedById) : null;

    let approval: Html = html``;
    if (b.status === 'awaitingApproval') {
      approval = mine
        ? html`<section class="card bc-approval" aria-labelledby="bc-approval">
            <h2 id="bc-approval">${t('webBroadcasts:approval.title')}</h2>
            <p>${t('webBroadcasts:approval.waitingOwn')}</p>
          </section>`
        : html`<section class="card bc-approval" aria-labelledby="bc-approval">
            <h2 id="bc-approval">${t('webBroadcasts:approval.title')}</h2>
            <p>${t('webBroadcasts:approval.ask', { name: author || '—', count: b.audienceSize ?? 0 })}</p>
            <div class="actions">
              ${actionButton(ctx, `${BASE}/${b.id}/approve`, t('webBroadcasts:approval.approve'), { tone: 'primary' })}
            </div>
            ${postForm(
              ctx,
              `${BASE}/${b.id}/reject`,
              html`${field(
                  'bc-reject-note',
                  t('webBroadcasts:approval.note'),
                  html`<input type="text" id="bc-reject-note" name="note" maxlength="500" />`,
                )} <button type="submit" class="button danger">${t('webBroadcasts:approval.reject')}</button>`,
            )}
          </section>`;
    }

    const messages = (language: Language) =>
      service.render({ id: b.id, texts: b.texts, photoFileId: b.photoFileId, button: b.button }, language);
    const previewLanguages = b.audience.languages?.length ? b.audience.languages : [...LANGUAGES];

    const facts: Array<[string, Html | string]> = [
      [t('webBroadcasts:show.status'), statusBadge(b.status, t)],
      [t('webBroadcasts:show.author'), author || '—'],
      [t('webBroadcasts:show.created'), ctx.dateTime(b.createdAt)],
      [
        t('webBroadcasts:show.start'),
        b.startedAt
          ? ctx.dateTime(b.startedAt)
          : b.scheduledAt
            ? t('webBroadcasts:show.scheduledFor', { at: ctx.dateTime(b.scheduledAt) })
            : '—',
      ],
      [t('webBroadcasts:show.expires'), ctx.dateTime(b.expiresAt)],
      [t('webBroadcasts:show.urgent'), b.urgent ? t('webBroadcasts:show.yes') : t('webBroadcasts:show.no')],
    ];
    if (approver) facts.push([t('webBroadcasts:show.approvedBy'), approver.displayName ?? '—']);
    if (b.status === 'rejected' && b.note) facts.push([t('webBroadcasts:show.note'), b.note]);
    if (b.finishedAt) facts.push([t('webBroadcasts:show.finished'), ctx.dateTime(b.finishedAt)]);

    const f = figuresOf(p.counts);
    const started = p.counts.total > 0 || b.status === 'preparing' || b.status === 'sending';
    const progressCard = started
      ? html`<section class="card" aria-labelledby="bc-progress-title">
          <h2 id="bc-progress-title">${t('webBroadcasts:progress.title')}</h2>
          <div
            id="bc-live"
            data-progress-url="${BASE}/${b.id}/progress"
            data-poll-ms="${POLL_MS}"
            data-final="${live.final ? 'true' : 'false'}"
          >
            ${progressBar(f, t('webBroadcasts:progress.label', { id: b.id }), 'bc-progress')}
            <p aria-live="polite">
              <span id="bc-status">${live.statusText}</span> · <span id="bc-figures">${live.figures}</span>
              <span id="bc-total" class="muted"
                >${t('webBroadcasts:progress.of', {
                  total:
                    f.total === 0 && b.audienceSize !== null
                      ? t('broadcastAdmin:list.estimate', { count: formatCount(b.audienceSize, ctx.language) })
                      : formatCount(f.total, ctx.language),
                })}</span
              >
            </p>
            <p id="bc-rate" class="muted">${live.rate}</p>
          </div>
        </section>`
      : html``;

    let report: Html = html``;
    if (p.counts.total > 0) {
      const failures = FINAL_STATUSES.includes(b.status) ? await allFailures(ctx, b.id, REPORT_FAILURES_MAX) : null;
      const groups = new Map<string, { channel: string; status: string; reason: string; count: number }>();
      for (const x of failures ?? []) {
        const key = `${x.channel}\u0000${x.status}\u0000${x.reason ?? ''}`;
        const g = groups.get(key) ?? { channel: x.channel, status: x.status, reason: x.reason ?? '', count: 0 };
        g.count++;
        groups.set(key, g);
      }
      const byStatus = DELIVERY_STATUSES.filter((s) => p.counts.byStatus[s] > 0).map((s) => [
        t(`webBroadcasts:delivery.${s}`),
        html`<span class="number">${formatCount(p.counts.byStatus[s], ctx.language)}</span>`,
      ]);
      byStatus.push([t('webBroadcasts:report.taps'), html`${formatCount(p.counts.taps, ctx.language)}`]);
      if (p.counts.uncertain > 0) {
        byStatus.push([t('webBroadcasts:report.uncertain'), html`${formatCount(p.counts.uncertain, ctx.language)}`]);
      }
      if (p.counts.promotion > 0) {
        byStatus.push([t('webBroadcasts:report.promotion'), html`${formatCount(p.counts.promotion, ctx.language)}`]);
      }
      report = html`<section class="card" aria-labelledby="bc-report">
        <h2 id="bc-report">${t('webBroadcasts:report.title')}</h2>
        ${dataTable(t('webBroadcasts:report.byStatus'), [t('webBroadcasts:report.what'), t('webBroadcasts:report.count')], byStatus)}
        ${
          failures
            ? dataTable(
                t('webBroadcasts:report.byReason'),
                [
                  t('webBroadcasts:report.channel'),
                  t('webBroadcasts:report.status'),
                  t('webBroadcasts:report.reason'),
                  t('webBroadcasts:report.count'),
                ],
                [...groups.values()]
                  .sort((x, y) => y.count - x.count)
                  .map((g) => [
                    t(`broadcastAdmin:channels.${g.channel}`),
                    t(`webBroadcasts:delivery.${g.status}`),
                    g.reason || '—',
                    formatCount(g.count, ctx.language),
                  ]),
                { empty: t('webBroadcasts:report.noFailures') },
              )
            : ''
        }
        <p>
          <a class="button secondary" href="${BASE}/${b.id}/failures.csv" download>${t('webBroadcasts:report.csv')}</a>
        </p>
      </section>`;
    }

    const cancellable = feature.service.cancellable.includes(b.status);
    const body = html`<p><a href="${BASE}">${t('webBroadcasts:show.back')}</a></p>
      <h1>${t('webBroadcasts:show.title', { id: b.id })}</h1>
      ${approval}
      <div class="bc-columns">
        <section class="card" aria-labelledby="bc-facts">
          <h2 id="bc-facts">${t('webBroadcasts:show.facts')}</h2>
          ${factList(facts, 'bc-facts')}
          <h3>${t('webBroadcasts:show.audience')}</h3>
          ${audienceText(b.audience, t, areas, title)}
          ${
            cancellable
              ? html`<div class="actions">
                  ${actionButton(ctx, `${BASE}/${b.id}/cancel`, t('broadcastAdmin:buttons.cancel'), {
                    tone: 'danger',
                    confirm: t('broadcastAdmin:cancel.confirm', { id: b.id }),
                  })}
                </div>`
              : ''
          }
        </section>
        <section class="card" aria-labelledby="bc-preview-title">
          <h2 id="bc-preview-title">${t('webBroadcasts:preview.title')}</h2>
          ${previewLanguages.map(
            (language) =>
              html`<h3>${t('webBroadcasts:preview.for', { language: t(`broadcastAdmin:languages.${language}`) })}</h3>
                ${previewOf(messages(language), t)}`,
          )}
        </section>
      </div>
      ${progressCard} ${report} ${SCRIPT}`;
    return { kind: 'page', section: 'broadcasts', title: t('webBroadcasts:show.title', { id: b.id }), body };
  }

  async function failuresFile(ctx: WebContext): Promise<PageResult> {
    const id = idOf(ctx);
    if (id === null) return { kind: 'notFound' };
    const items = await allFailures(ctx, id, Number.MAX_SAFE_INTEGER);
    if (items === null) return { kind: 'notFound' };
    await ctx.audit('broadcast.failures', String(id), { rows: items.length });
    return {
      kind: 'file',
      contentType: 'text/csv; charset=utf-8',
      body: failuresCsv(items, ctx.timeZone),
      filename: `broadcast-${id}-failures.csv`,
      cache: 'none',
    };
  }

  // —— Decisions ——
  function decision(
    action: 'approve' | 'reject' | 'cancel',
    act: (
      ctx: WebContext,
      id: number,
    ) => Promise<{ ok: true; text: string } | { ok: false; refusal: BroadcastRefusal }>,
  ): WebRoute {
    return {
      method: 'POST',
      path: `${BASE}/:id/${action}`,
      role: 'admin',
      async handle(ctx) {
        const id = idOf(ctx);
        if (id === null) return { kind: 'notFound' };
        const result = await act(ctx, id);
        if (!result.ok) {
          if (result.refusal.reason === 'notFound') return { kind: 'notFound' };
          return { kind: 'redirect', to: `${BASE}/${id}`, flash: refusalFlash(result.refusal, ctx.t) };
        }
        await ctx.audit(`broadcast.${action}`, String(id));
        return { kind: 'redirect', to: `${BASE}/${id}`, flash: { tone: 'ok', text: result.text } };
      },
    };
  }

  return [
    { method: 'GET', path: BASE, role: 'admin', handle: list },
    { method: 'GET', path: `${BASE}/new`, role: 'admin', handle: (ctx) => composePage(ctx, emptyComposeForm()) },
    { method: 'POST', path: `${BASE}/new`, role: 'admin', handle: composePost },
    { method: 'GET', path: `${BASE}/audience`, role: 'admin', handle: audienceJson },
    { method: 'GET', path: `${BASE}/:id`, role: 'admin', handle: show },
    { method: 'GET', path: `${BASE}/:id/progress`, role: 'admin', handle: progressJson },
    { method: 'GET', path: `${BASE}/:id/failures.csv`, role: 'admin', handle: failuresFile },
    decision('approve', async (ctx, id) => {
      const r = await run(() => service.approve(ctx.viewer.member, id));
      if (!r.ok) return r;
      const confirmation = confirmationText(
        id,
        r.confirmation,
        ctx.t,
        ctx.timeZone,
        ctx.language,
        settings.approvalThreshold,
        { now: ctx.now, hours: settings.hours, urgent: r.broadcast.urgent },
      );
      return { ok: true, text: `${ctx.t('broadcastAdmin:approval.approved', { id })} ${confirmation}` };
    }),
    decision('reject', async (ctx, id) => {
      const note = (ctx.form.get('note') ?? '').trim().slice(0, 500);
      const r = await run(() => service.reject(ctx.viewer.member, id, note === '' ? null : note));
      return r.ok ? { ok: true, text: ctx.t('broadcastAdmin:approval.rejected', { id }) } : r;
    }),
    decision('cancel', async (ctx, id) => {
      const r = await run(() => service.cancel(ctx.viewer.member, id));
      return r.ok ? { ok: true, text: ctx.t('broadcastAdmin:cancel.done', { id }) } : r;
    }),
  ];
};

const pad = (n: number) => String(n).padStart(2, '0');
