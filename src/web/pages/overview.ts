// The console's Overview section (issue 16): the first page an officer or admin sees. Headline numbers, then charts
// (src/web/charts.ts) of requests per commune and week, open requests by age, course registrations and completions,
// courses and products by status, and the reach of the latest announcements; each links to the section it summarises.
// Whose figures: an admin (or a province-wide officer) sees the province and may narrow it to one commune; an officer
// sees her communes only (the same rule as CaseService: `covers` her areas), and may narrow to one of them. Counts only,
// no member's name or contact, so viewing it is not audited. See src/web/page.ts for the rules every page keeps.
import { createConsoleStats } from '../../data/consoleStats.ts';
import {
  CASE_AGE_LIMITS_HOURS,
  monthBuckets,
  weekBuckets,
  yearBucket,
  type BroadcastReach,
  type CommuneSeries,
  type StatsScope,
  type TimeBucket,
} from '../../domain/consoleStats.ts';
import { COURSE_STATUSES } from '../../domain/courses.ts';
import { LISTING_STATUSES } from '../../domain/listings.ts';
import { WHOLE_PROVINCE, type Officer } from '../../domain/officers.ts';
import { unitLabel } from '../../features/profile/areaInput.ts';
import { barChart, columnChart, shorten, sparkline, type ChartSeries } from '../charts.ts';
import { field, filterBar, select, withQuery } from '../components.ts';
import type { PageModule, WebDeps } from '../deps.ts';
import { html, type Html } from '../html.ts';
import { CONSOLE_PREFIX, type PageResult, type WebContext } from '../page.ts';

/** Weeks in the requests charts (the current one included). */
export const OVERVIEW_WEEKS = 12;
/** Months in the courses chart (the current one included). */
export const OVERVIEW_MONTHS = 12;
/** Announcements in the reach chart. */
export const OVERVIEW_BROADCASTS = 6;
/** Communes drawn as their own colour in the weekly chart; the others are added up as one. */
const WEEKLY_COMMUNES = 5;
/** Communes drawn as their own bar in the per-commune chart; the others are added up as one. */
const LISTED_COMMUNES = 15;

const CASES = `${CONSOLE_PREFIX}/cases`;
const COURSES = `${CONSOLE_PREFIX}/courses`;
const PRODUCTS = `${CONSOLE_PREFIX}/products`;
const BROADCASTS = `${CONSOLE_PREFIX}/broadcasts`;
/** Age buckets of the open-requests chart (CASE_AGE_LIMITS_HOURS: under 1 day, 1–3 days, 3–7 days, over 7 days). */
const AGE_BUCKETS = [0, 1, 2, 3] as const;
/**
 * The cases inbox's filters the chart links to (src/web/pages/cases.ts: `status=open` unclaimed, `age` = opened more
 * than this long ago), with the first age bucket each one counts from.
 */
const AGE_LINKS = [
  { age: null, from: 0 },
  { age: '1d', from: 1 },
  { age: '3d', from: 2 },
] as const;

/** The communes a viewer may see figures of: null for the whole province (admins, province-wide officers). */
export function visibleCommunes(viewer: Officer): readonly string[] | null {
  return viewer.member.role === 'admin' || viewer.areas.includes(WHOLE_PROVINCE) ? null : viewer.areas;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export const overviewPages: PageModule = (deps) => {
  const stats = createConsoleStats(deps.runtime.db);
  const handle = (ctx: WebContext) => overview(deps, stats, ctx);
  return [
    { method: 'GET', path: CONSOLE_PREFIX, role: 'officer', handle },
    { method: 'GET', path: `${CONSOLE_PREFIX}/overview`, role: 'officer', handle },
  ];
};

async function overview(
  deps: WebDeps,
  stats: ReturnType<typeof createConsoleStats>,
  ctx: WebContext,
): Promise<PageResult> {
  const { t } = ctx;
  const areas = deps.runtime.areas;
  const communeName = (code: string | null): string => {
    const unit = areas.byCodeOrNull(code);
    return unit ? unitLabel(unit, t) : (code ?? t('webOverview:noCommune'));
  };

  // Whose figures: hers, narrowed to one commune when she asked for one she may see.
  const visible = visibleCommunes(ctx.viewer);
  const options = visible === null ? await stats.activeCommunes({ communes: null }) : [...visible];
  const asked = ctx.query.get('commune')?.trim() ?? '';
  const allowed = asked !== '' && (visible === null ? areas.byCodeOrNull(asked) !== null : visible.includes(asked));
  const commune = allowed ? asked : null;
  if (commune !== null && !options.includes(commune)) options.push(commune);
  const scope: StatsScope = { communes: commune !== null ? [commune] : visible };
  const single = scope.communes !== null && scope.communes.length === 1;

  const numberFormat = new Intl.NumberFormat(ctx.language === 'vi' ? 'vi-VN' : 'en-GB');
  const format = (value: number): string => numberFormat.format(value);
  const weeks = weekBuckets(ctx.now, ctx.timeZone, OVERVIEW_WEEKS);
  const months = monthBuckets(ctx.now, ctx.timeZone, OVERVIEW_MONTHS);
  const year = yearBucket(ctx.now, ctx.timeZone);
  const [perCommune, ages, activity, thisYear, courses, listings, reach] = await Promise.all([
    stats.casesPerCommune(scope, weeks),
    stats.openCasesByAge(scope, ctx.now, CASE_AGE_LIMITS_HOURS),
    stats.courseActivity(scope, months),
    stats.courseActivity(scope, [year]),
    stats.coursesByStatus(scope),
    stats.listingsByStatus(scope),
    stats.broadcastReach(scope, OVERVIEW_BROADCASTS),
  ]);

  const filtered = (path: string, params: Record<string, string | null> = {}) =>
    withQuery(path, { commune, ...params });
  const weekly = sumSeries(perCommune, weeks.length);

  // Headline numbers, each a link to the list it counts.
  const active = sum(ages.open) + sum(ages.claimed);
  const waiting = sum(ages.open.slice(1));
  const tiles: { value: number; label: string; href: string; extra?: Html }[] = [
    {
      value: active,
      label: t('webOverview:tiles.active'),
      href: filtered(CASES),
      extra: sparkline(
        weekly,
        t('webOverview:tiles.activeTrend', { weeks: weeks.length, values: weekly.map(format).join(', ') }),
      ),
    },
    { value: waiting, label: t('webOverview:tiles.waiting'), href: filtered(CASES, { status: 'open', age: '1d' }) },
    { value: listings.pending, label: t('webOverview:tiles.pending'), href: filtered(PRODUCTS, { status: 'pending' }) },
    {
      value: thisYear.completions[0] ?? 0,
      label: t('webOverview:tiles.completed', { year: year.startsOn.slice(0, 4) }),
      href: filtered(COURSES),
    },
    { value: courses.open, label: t('webOverview:tiles.openCourses'), href: filtered(COURSES, { status: 'open' }) },
  ];

  const weekLabel = (bucket: TimeBucket, i: number) =>
    t(i === weeks.length - 1 ? 'webOverview:weeks.current' : 'webOverview:weeks.label', {
      date: ctx.date(bucket.start),
    });
  const weekShort = (bucket: TimeBucket) => {
    const [, m = '1', d = '1'] = bucket.startsOn.split('-');
    return t('webOverview:weeks.short', { day: d, month: t(`webOverview:months.inDate.${Number(m)}`) });
  };
  const weekCategories = weeks.map((bucket, i) => ({ label: weekLabel(bucket, i), short: weekShort(bucket) }));

  // Requests per week, stacked by commune (the busiest few, the rest added up).
  const ranked = [...perCommune].sort((a, b) => sum(b.counts) - sum(a.counts) || compareCodes(a, b));
  const shown = ranked.length > WEEKLY_COMMUNES + 1 ? ranked.slice(0, WEEKLY_COMMUNES) : ranked;
  const rest = ranked.slice(shown.length);
  const weeklySeries: ChartSeries[] = shown.map((s) => ({ name: communeName(s.communeCode), values: s.counts }));
  if (rest.length > 0) {
    weeklySeries.push({ name: t('webOverview:others'), values: sumSeries(rest, weeks.length), color: 'grey' });
  }
  const busiest = weekly.indexOf(Math.max(...weekly));
  const weeklyChart = columnChart({
    id: 'chart-weeks',
    mode: 'stacked',
    format,
    categories: weekCategories,
    series: weeklySeries.length > 0 ? weeklySeries : [{ name: t('webOverview:communes.series'), values: weekly }],
    text: {
      title: t('webOverview:weeks.title'),
      summary: t('webOverview:weeks.summary', {
        total: format(sum(weekly)),
        weeks: weeks.length,
        busiest: ctx.date(weeks[busiest]!.start),
        most: format(weekly[busiest] ?? 0),
        current: format(weekly.at(-1) ?? 0),
      }),
      numbers: t('webOverview:numbers'),
      category: t('webOverview:weeks.category'),
      total: t('webOverview:weeks.total'),
      empty: t('webOverview:weeks.empty', { weeks: weeks.length }),
    },
    footer: html`<p class="chart-links">
      <a href="${filtered(CASES, { status: 'all' })}">${t('webOverview:weeks.link')}</a>
    </p>`,
  });

  // Requests per commune over the same weeks (not drawn when she looks at one commune).
  const listed = ranked.length > LISTED_COMMUNES + 1 ? ranked.slice(0, LISTED_COMMUNES) : ranked;
  const unlisted = ranked.slice(listed.length);
  const communeCategories = listed.map((s) => ({
    label: communeName(s.communeCode),
    ...(s.communeCode === null ? {} : { href: withQuery(CASES, { commune: s.communeCode, status: 'all' }) }),
  }));
  const communeValues = listed.map((s) => sum(s.counts));
  if (unlisted.length > 0) {
    communeCategories.push({ label: t('webOverview:others') });
    communeValues.push(sum(unlisted.map((s) => sum(s.counts))));
  }
  const communeChart = single
    ? html``
    : barChart({
        id: 'chart-communes',
        format,
        categories: communeCategories,
        series: [{ name: t('webOverview:communes.series'), values: communeValues, color: 'magenta' }],
        text: {
          title: t('webOverview:communes.title', { weeks: weeks.length }),
          summary: t('webOverview:communes.summary', {
            count: format(ranked.filter((s) => s.communeCode !== null).length),
            weeks: weeks.length,
            top: communeCategories[0]?.label ?? '',
            most: format(communeValues[0] ?? 0),
          }),
          numbers: t('webOverview:numbers'),
          category: t('webOverview:communes.category'),
          empty: t('webOverview:communes.empty', { weeks: weeks.length }),
        },
      });

  // Requests not finished, by how long they have waited: unclaimed and in progress.
  const ageLabels = AGE_BUCKETS.map((i) => t(`webOverview:ages.buckets.${i}`));
  const ageLinks = AGE_LINKS.map((link) => ({ ...link, count: sum(ages.open.slice(link.from)) })).filter(
    (link) => link.count > 0,
  );
  const agesChart = columnChart({
    id: 'chart-ages',
    mode: 'stacked',
    format,
    categories: ageLabels.map((label) => ({ label })),
    series: [
      { name: t('webOverview:ages.open'), values: ages.open, color: 'red' },
      { name: t('webOverview:ages.claimed'), values: ages.claimed, color: 'blue' },
    ],
    text: {
      title: t('webOverview:ages.title'),
      summary: t('webOverview:ages.summary', {
        total: format(active),
        open: format(sum(ages.open)),
        old: format((ages.open.at(-1) ?? 0) + (ages.claimed.at(-1) ?? 0)),
      }),
      numbers: t('webOverview:numbers'),
      category: t('webOverview:ages.category'),
      total: t('webOverview:ages.total'),
      empty: t('webOverview:ages.empty'),
    },
    footer:
      ageLinks.length === 0
        ? html``
        : html`<p class="chart-links">
            ${t('webOverview:ages.links')}
            ${ageLinks.map(
              (a) =>
                html`<a href="${filtered(CASES, { status: 'open', age: a.age })}"
                  >${t(`webOverview:ages.link.${a.age ?? 'all'}`, { count: format(a.count) })}</a
                >`,
            )}
          </p>`,
  });

  // Course registrations and completions per month.
  const monthCategories = months.map((bucket) => {
    const [y = '', m = '1'] = bucket.startsOn.split('-');
    return {
      label: t('webOverview:courses.month', { month: t(`webOverview:months.long.${Number(m)}`), year: y }),
      short: t(`webOverview:months.short.${Number(m)}`),
    };
  });
  const coursesChart = columnChart({
    id: 'chart-courses',
    mode: 'grouped',
    format,
    categories: monthCategories,
    series: [
      { name: t('webOverview:courses.registrations'), values: activity.registrations, color: 'blue' },
      { name: t('webOverview:courses.completions'), values: activity.completions, color: 'green' },
    ],
    text: {
      title: t('webOverview:courses.title', { months: months.length }),
      summary: t('webOverview:courses.summary', {
        months: months.length,
        registrations: format(sum(activity.registrations)),
        completions: format(sum(activity.completions)),
        current: format(activity.registrations.at(-1) ?? 0),
      }),
      numbers: t('webOverview:numbers'),
      category: t('webOverview:courses.category'),
      empty: t('webOverview:courses.empty', { months: months.length }),
    },
    footer: html`<p class="chart-links"><a href="${filtered(COURSES)}">${t('webOverview:courses.link')}</a></p>`,
  });

  const courseStatusChart = barChart({
    id: 'chart-course-status',
    format,
    categories: COURSE_STATUSES.map((s) => ({
      label: t(`webOverview:courseStatus.statuses.${s}`),
      href: filtered(COURSES, { status: s }),
    })),
    series: [
      { name: t('webOverview:courseStatus.series'), values: COURSE_STATUSES.map((s) => courses[s]), color: 'teal' },
    ],
    text: {
      title: t('webOverview:courseStatus.title'),
      summary: t('webOverview:courseStatus.summary', {
        total: format(sum(Object.values(courses))),
        open: format(courses.open),
        closed: format(courses.closed),
        draft: format(courses.draft),
        cancelled: format(courses.cancelled),
      }),
      numbers: t('webOverview:numbers'),
      category: t('webOverview:courseStatus.category'),
      empty: t('webOverview:courseStatus.empty'),
    },
  });

  const productsChart = barChart({
    id: 'chart-products',
    format,
    categories: LISTING_STATUSES.map((s) => ({
      label: t(`webOverview:products.statuses.${s}`),
      href: filtered(PRODUCTS, { status: s }),
    })),
    series: [
      { name: t('webOverview:products.series'), values: LISTING_STATUSES.map((s) => listings[s]), color: 'purple' },
    ],
    text: {
      title: t('webOverview:products.title'),
      summary: t('webOverview:products.summary', {
        total: format(sum(Object.values(listings))),
        pending: format(listings.pending),
        changes: format(listings.changes),
        approved: format(listings.approved),
      }),
      numbers: t('webOverview:numbers'),
      category: t('webOverview:products.category'),
      empty: t('webOverview:products.empty'),
    },
    footer: html`<p class="chart-links">
      <a href="${filtered(PRODUCTS, { status: 'pending' })}">${t('webOverview:products.link')}</a>
    </p>`,
  });

  const broadcastsChart = reachChart(ctx, reach, format);

  const scopeLine =
    visible !== null && visible.length === 0
      ? t('webOverview:scope.none')
      : commune !== null
        ? t('webOverview:scope.commune', { commune: communeName(commune) })
        : visible === null
          ? t('webOverview:scope.province', { province: areas.province })
          : t('webOverview:scope.mine', { communes: visible.map(communeName).join(', ') });
  const choices = [...new Set(options)]
    .map((code) => ({ value: code, label: communeName(code) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'vi'));
  const filter =
    choices.length > 1 || commune !== null
      ? filterBar(
          CONSOLE_PREFIX,
          field(
            'overview-commune',
            t('webOverview:filter.commune'),
            select(
              'overview-commune',
              'commune',
              [{ value: '', label: t('webOverview:filter.all') }, ...choices],
              commune,
            ),
          ),
          t('webOverview:filter.apply'),
        )
      : html``;
  const refused = asked !== '' && !allowed;

  const body = html`<h1>${t('webOverview:title')}</h1>
    <p class="overview-scope">${scopeLine}</p>
    ${refused ? html`<p class="flash error" role="alert">${t('webOverview:filter.unknown')}</p>` : ''}${filter}
    <ul class="tiles" aria-label="${t('webOverview:tiles.label')}">
      ${tiles.map(
        (tile) =>
          html`<li class="tile">
            <a href="${tile.href}"
              ><span class="tile-value">${format(tile.value)}</span><span class="tile-label">${tile.label}</span></a
            >${tile.extra ?? ''}
          </li>`,
      )}
    </ul>
    <div class="charts">
      <section class="card">${weeklyChart}</section>
      ${single ? '' : html`<section class="card">${communeChart}</section>`}
      <section class="card">${agesChart}</section>
      <section class="card">${coursesChart}</section>
      <section class="card">${productsChart}</section>
      <section class="card">${courseStatusChart}</section>
      <section class="card wide">${broadcastsChart}</section>
    </div>
    <p class="muted">${t('webOverview:updated', { time: ctx.dateTime(ctx.now) })}</p>`;
  return {
    kind: 'page',
    section: 'overview',
    title: t('webOverview:title'),
    body,
    ...(refused ? { status: 400 } : {}),
  };
}

/** Announcements' reach: a stacked bar each (delivered, sending, not sent, failed). Admins get links to each. */
function reachChart(ctx: WebContext, reach: readonly BroadcastReach[], format: (n: number) => string): Html {
  const { t } = ctx;
  const admin = ctx.viewer.member.role === 'admin';
  const newest = reach[0];
  const date = (b: BroadcastReach) => (b.startedAt ? ctx.date(b.startedAt) : '');
  return barChart({
    id: 'chart-broadcasts',
    mode: 'stacked',
    format,
    categories: reach.map((b) => ({
      label: t('webOverview:broadcasts.label', { id: b.id, date: date(b), text: shorten(b.text, 60) }),
      short: t('webOverview:broadcasts.short', { id: b.id, date: date(b) }),
      ...(admin ? { href: `${BROADCASTS}/${b.id}` } : {}),
    })),
    series: [
      { name: t('webOverview:broadcasts.delivered'), values: reach.map((b) => b.delivered), color: 'green' },
      { name: t('webOverview:broadcasts.waiting'), values: reach.map((b) => b.waiting), color: 'blue' },
      { name: t('webOverview:broadcasts.notSent'), values: reach.map((b) => b.notSent), color: 'grey' },
      { name: t('webOverview:broadcasts.failed'), values: reach.map((b) => b.failed), color: 'red' },
    ],
    text: {
      title: t('webOverview:broadcasts.title'),
      summary: t('webOverview:broadcasts.summary', {
        count: reach.length,
        delivered: format(newest?.delivered ?? 0),
        audience: format(newest?.audience ?? 0),
        failed: format(newest?.failed ?? 0),
      }),
      numbers: t('webOverview:numbers'),
      category: t('webOverview:broadcasts.category'),
      total: t('webOverview:broadcasts.total'),
      empty: t('webOverview:broadcasts.empty'),
    },
    footer: admin
      ? html`<p class="chart-links"><a href="${BROADCASTS}">${t('webOverview:broadcasts.link')}</a></p>`
      : html``,
  });
}

/** Adds series up, bucket by bucket. */
function sumSeries(series: readonly CommuneSeries[], length: number): number[] {
  return Array.from({ length }, (_, i) => sum(series.map((s) => s.counts[i] ?? 0)));
}

const compareCodes = (a: CommuneSeries, b: CommuneSeries): number =>
  (a.communeCode ?? '\uffff').localeCompare(b.communeCode ?? '\uffff');
