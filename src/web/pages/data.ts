// The console's Data section (issue 16), for admins only: the communes/wards dataset and the loan programme data in
// force (where from, imported when and by whom, counts), importing a new file of either with the same checks and the
// same line-precise problems as the admin CLI (`areas import`, `programmes import`), and the jobs that failed (or
// that nobody ran in time), with a retry for a failed one-off job. See src/web/page.ts for the rules every page keeps.
import { OVERDUE_AFTER_MS, redactText } from '../../app/jobs/index.ts';
import { checkAreasSource } from '../../data/areasFile.ts';
import { retryFailedJob } from '../../data/failedJobs.ts';
import { memberNames, newestAreaDataset } from '../../data/memberDirectory.ts';
import { summarizeProgrammes } from '../../data/programmeStore.ts';
import type { Job } from '../../domain/jobs.ts';
import { actionButton, badge, dataTable, factList, field, postForm } from '../components.ts';
import type { PageModule, WebDeps } from '../deps.ts';
import { html, type Html } from '../html.ts';
import type { PageResult, UploadedFile, WebContext, WebRoute } from '../page.ts';

const BASE = '/console/data';
const JOBS_SHOWN = 50;
/** The longest error text shown in the list (the stored one is already redacted; this is a summary). */
const ERROR_SUMMARY_CHARS = 160;

type Dataset = 'areas' | 'programmes';

/** One problem of a file, split for the table: "line 12, column 5: units.3.code: duplicate code 05443". */
export interface FileProblem {
  line: string;
  column: string;
  field: string;
  problem: string;
}

const PROBLEM = /^line (\d+), column (\d+): (?:((?:\(the file\))|[^\s:]+): )?(.*)$/;

/** Splits the validators' problem lines (src/data/jsonSource.ts, areasFile.ts) into line, column, field and text. */
export function splitProblem(text: string): FileProblem {
  const match = PROBLEM.exec(text);
  if (match === null) return { line: '', column: '', field: '', problem: text };
  return { line: match[1]!, column: match[2]!, field: match[3] ?? '', problem: match[4]! };
}

/** The uploaded file's text, or why it cannot be read (no file, empty, not UTF-8). */
function uploadedText(ctx: WebContext): { ok: true; file: UploadedFile; text: string } | { ok: false; error: string } {
  const file =
    ctx.files.find((f) => f.field === 'file' && f.filename !== '') ?? ctx.files.find((f) => f.field === 'file');
  if (file === undefined || file.bytes.length === 0) return { ok: false, error: ctx.t('webData:upload.noFile') };
  try {
    return { ok: true, file, text: new TextDecoder('utf-8', { fatal: true }).decode(file.bytes) };
  } catch {
    return { ok: false, error: ctx.t('webData:upload.notUtf8') };
  }
}

/** The name a dataset is recorded under: the uploaded file's own name, without any folder. */
function sourceName(file: UploadedFile, fallback: string): string {
  const name = file.filename.split(/[\\/]/).pop()?.trim() ?? '';
  return (name === '' ? fallback : name).slice(0, 200);
}

function uploadForm(ctx: WebContext, dataset: Dataset): Html {
  const id = `upload-${dataset}`;
  return postForm(
    ctx,
    `${BASE}/${dataset}`,
    html`${field(
        id,
        ctx.t(`webData:${dataset}.file`),
        html`<input
          id="${id}"
          name="file"
          type="file"
          accept=".json,application/json"
          required
          aria-describedby="${id}-hint"
        />`,
        ctx.t('webData:upload.hint'),
      )}
      <div class="actions">
        <button type="submit" class="button primary">${ctx.t(`webData:${dataset}.import`)}</button>
      </div>`,
    { multipart: true },
  );
}

/** The problems of a refused file: a table of line, column, field and problem, and that nothing changed. */
function problemsBlock(ctx: WebContext, dataset: Dataset, filename: string, problems: readonly string[]): Html {
  const { t } = ctx;
  const rows = problems
    .map(splitProblem)
    .map((p) => [html`${p.line}`, html`${p.column}`, html`<code>${p.field}</code>`, html`${p.problem}`]);
  return html`<div class="flash error" role="alert" id="${dataset}-problems">
    <p>${t(`webData:${dataset}.refused`, { file: filename, count: problems.length })}</p>
    ${dataTable(
      t('webData:problems.caption', { file: filename }),
      [
        t('webData:problems.line'),
        t('webData:problems.column'),
        t('webData:problems.field'),
        t('webData:problems.problem'),
      ],
      rows,
      { captionHidden: true },
    )}
  </div>`;
}

function whoName(names: Map<string, string | null>, id: string, ctx: WebContext): string {
  if (id === 'cli') return ctx.t('webData:byCli');
  const name = names.get(id);
  return name === undefined ? ctx.t('webData:byUnknown') : (name ?? ctx.t('webData:byUnnamed'));
}

async function areasCard(
  deps: WebDeps,
  ctx: WebContext,
  names: Map<string, string | null>,
  notice?: Html,
): Promise<Html> {
  const { t } = ctx;
  const { directory } = await deps.admin.areaData.inForce();
  const dataset = await newestAreaDataset(deps.runtime.db);
  const imported = await deps.admin.areaData.importedCount();
  const facts: [string, string][] =
    dataset === null
      ? [[t('webData:inForce.source'), t('webData:inForce.shippedFile')]]
      : [
          [t('webData:inForce.source'), t('webData:inForce.dataset', { id: dataset.id, file: dataset.source })],
          [t('webData:inForce.importedAt'), ctx.dateTime(dataset.importedAt)],
          [t('webData:inForce.importedBy'), whoName(names, dataset.importedBy, ctx)],
        ];
  facts.push([t('webData:areas.province'), directory.province], [t('webData:areas.units'), String(directory.size)]);
  if (imported > 1) facts.push([t('webData:inForce.history'), String(imported - 1)]);
  return html`<section class="card" aria-labelledby="areas-heading">
    <h2 id="areas-heading">${t('webData:areas.heading')}</h2>
    ${factList(facts)} ${notice ?? ''}
    <h3>${t('webData:areas.replace')}</h3>
    <p class="muted">${t('webData:areas.replaceHint')}</p>
    ${uploadForm(ctx, 'areas')}
  </section>`;
}

async function programmesCard(
  deps: WebDeps,
  ctx: WebContext,
  names: Map<string, string | null>,
  notice?: Html,
): Promise<Html> {
  const { t } = ctx;
  const loaded = await deps.admin.programmeData.inForce();
  const summary = summarizeProgrammes(loaded.data);
  const dataset = loaded.dataset;
  const facts: [string, string][] =
    dataset === null
      ? [[t('webData:inForce.source'), t('webData:inForce.shippedFile')]]
      : [
          [t('webData:inForce.source'), t('webData:inForce.dataset', { id: dataset.id, file: dataset.source })],
          [t('webData:inForce.importedAt'), ctx.dateTime(dataset.importedAt)],
          [t('webData:inForce.importedBy'), whoName(names, dataset.importedBy, ctx)],
        ];
  facts.push(
    [t('webData:programmes.version'), summary.version],
    [t('webData:programmes.publishedOn'), summary.publishedOn],
    [t('webData:programmes.count'), String(summary.programmes.length)],
    [t('webData:programmes.ratePeriods'), String(summary.ratePeriods)],
  );
  return html`<section class="card" aria-labelledby="programmes-heading">
    <h2 id="programmes-heading">${t('webData:programmes.heading')}</h2>
    ${factList(facts)}
    ${
      summary.unconfirmed.length > 0
        ? html`<details>
            <summary>${t('webData:programmes.unconfirmed', { count: summary.unconfirmed.length })}</summary>
            <ul>
              ${summary.unconfirmed.map((u) => html`<li>${u}</li>`)}
            </ul>
          </details>`
        : ''
    }
    ${notice ?? ''}
    <h3>${t('webData:programmes.replace')}</h3>
    <p class="muted">${t('webData:programmes.replaceHint')}</p>
    ${uploadForm(ctx, 'programmes')}
  </section>`;
}

async function jobsCard(deps: WebDeps, ctx: WebContext): Promise<Html> {
  const { t } = ctx;
  const store = deps.admin.jobs;
  const overdueBefore = new Date(ctx.now.getTime() - OVERDUE_AFTER_MS);
  const jobs = await store.attention(overdueBefore, JOBS_SHOWN);
  const counts = await store.counts(overdueBefore);
  const summaryOf = (job: Job) => {
    if (job.lastError === null) return '';
    const text = redactText(job.lastError).replace(/\s+/g, ' ').trim();
    return text.length > ERROR_SUMMARY_CHARS ? `${text.slice(0, ERROR_SUMMARY_CHARS - 1)}…` : text;
  };
  const rows = jobs.map((job) => {
    const failed = job.status === 'failed';
    const when = failed ? (job.finishedAt ?? job.updatedAt) : job.runAt;
    return [
      html`<code>${job.kind}</code>${job.schedule === null ? '' : html` <span class="muted">(${job.schedule})</span>`}`,
      failed ? badge(t('webData:jobs.failed'), 'danger') : badge(t('webData:jobs.overdue'), 'warn'),
      html`${job.attempts}/${job.maxAttempts}`,
      html`${summaryOf(job)}`,
      html`${ctx.dateTime(when)}`,
      failed && job.schedule === null
        ? actionButton(ctx, `${BASE}/jobs/${job.id}/retry`, t('webData:jobs.retry'), {
            fields: {},
          })
        : html`<span class="muted">${failed ? t('webData:jobs.recurring') : ''}</span>`,
    ];
  });
  return html`<section class="card" aria-labelledby="jobs-heading">
    <h2 id="jobs-heading">${t('webData:jobs.heading')}</h2>
    <p role="status">${t('webData:jobs.counts', { failed: counts.failed, overdue: counts.overdue })}</p>
    ${dataTable(
      t('webData:jobs.caption'),
      [
        t('webData:jobs.kind'),
        t('webData:jobs.state'),
        t('webData:jobs.attempts'),
        t('webData:jobs.error'),
        t('webData:jobs.when'),
        t('webData:jobs.actions'),
      ],
      rows,
      { empty: t('webData:jobs.none'), captionHidden: true },
    )}
  </section>`;
}

async function dataPage(
  deps: WebDeps,
  ctx: WebContext,
  notices: { areas?: Html; programmes?: Html } = {},
  status?: number,
): Promise<PageResult> {
  const areaSet = await newestAreaDataset(deps.runtime.db);
  const programmes = await deps.admin.programmeData.inForce();
  const names = await memberNames(
    deps.runtime.db,
    [areaSet?.importedBy, programmes.dataset?.importedBy].filter((x): x is string => x !== undefined),
  );
  const body = html`<h1>${ctx.t('webData:title')}</h1>
    <p class="muted">${ctx.t('webData:intro')}</p>
    <div class="two-up">
      ${await areasCard(deps, ctx, names, notices.areas)} ${await programmesCard(deps, ctx, names, notices.programmes)}
    </div>
    ${await jobsCard(deps, ctx)}`;
  return {
    kind: 'page',
    section: 'data',
    title: ctx.t('webData:title'),
    body,
    ...(status === undefined ? {} : { status }),
  };
}

function errorNotice(dataset: Dataset, text: string): Html {
  return html`<div class="flash error" role="alert" id="${dataset}-problems">${text}</div>`;
}

async function importAreas(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const upload = uploadedText(ctx);
  if (!upload.ok) return dataPage(deps, ctx, { areas: errorNotice('areas', upload.error) }, 422);
  const source = sourceName(upload.file, 'areas.json');
  const checked = checkAreasSource(upload.text);
  if (!checked.ok) {
    return dataPage(deps, ctx, { areas: problemsBlock(ctx, 'areas', source, checked.problems) }, 422);
  }
  const dataset = await deps.admin.areaData.save({ json: checked.json, source, importedBy: ctx.viewer.member.id });
  const { units, province } = checked.file;
  await ctx.audit('areas.imported', `areaDataset:${dataset.id}`, { source, province, units: units.length });
  return {
    kind: 'redirect',
    to: BASE,
    flash: {
      tone: 'ok',
      text: t('webData:areas.imported', { file: source, id: dataset.id, province, units: units.length }),
    },
  };
}

async function importProgrammes(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const upload = uploadedText(ctx);
  if (!upload.ok) return dataPage(deps, ctx, { programmes: errorNotice('programmes', upload.error) }, 422);
  const source = sourceName(upload.file, 'programmes.json');
  const result = await deps.admin.programmeData.importSource(upload.text, source, ctx.viewer.member.id);
  if (!result.ok) {
    return dataPage(deps, ctx, { programmes: problemsBlock(ctx, 'programmes', source, result.problems) }, 422);
  }
  const { dataset, summary, warnings } = result;
  await ctx.audit('programmes.imported', `programmeDataset:${dataset.id}`, {
    version: summary.version,
    programmes: summary.programmes.length,
  });
  const text = [
    t('webData:programmes.imported', {
      file: source,
      id: dataset.id,
      version: summary.version,
      programmes: summary.programmes.length,
    }),
    ...warnings.map((w) => t('webData:programmes.warning', { warning: w })),
  ].join(' ');
  return { kind: 'redirect', to: BASE, flash: { tone: 'ok', text } };
}

async function retryJob(deps: WebDeps, ctx: WebContext): Promise<PageResult> {
  const { t } = ctx;
  const id = Number(ctx.params.id);
  if (!Number.isSafeInteger(id) || id < 1) return { kind: 'notFound' };
  const done = await retryFailedJob(deps.runtime.db, id, ctx.now);
  if (!done) return { kind: 'redirect', to: BASE, flash: { tone: 'error', text: t('webData:jobs.notRetried') } };
  await ctx.audit('job.retried', `job:${id}`);
  return { kind: 'redirect', to: BASE, flash: { tone: 'ok', text: t('webData:jobs.retried', { id }) } };
}

export const dataPages: PageModule = (deps) => {
  const route = (method: WebRoute['method'], path: string, handle: (ctx: WebContext) => Promise<PageResult>) =>
    ({ method, path, role: 'admin', handle }) satisfies WebRoute;
  return [
    route('GET', BASE, (ctx) => dataPage(deps, ctx)),
    route('POST', `${BASE}/areas`, (ctx) => importAreas(deps, ctx)),
    route('POST', `${BASE}/programmes`, (ctx) => importProgrammes(deps, ctx)),
    route('POST', `${BASE}/jobs/:id/retry`, (ctx) => retryJob(deps, ctx)),
  ];
};
