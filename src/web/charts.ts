// Charts for the web console (issue 16: "charts people would rather look at than tables"), drawn on the server as
// inline SVG: no script, nothing fetched, nothing for the Content-Security-Policy to forbid (presentation attributes
// only, never a style attribute). Each chart is accessible:
// - a <figure> with its <figcaption>;
// - the picture is role="img" with a title and a text summary the caller words (what the chart says, in a sentence);
// - the numbers in a table next to it (a <details> "show the numbers"), where categories may be links;
// - colours are dark enough for white text on them and for 3:1 against the page, and never the only carrier of
//   meaning: every bar has its number written on or beside it, every series is named in a legend and in the table.
// Every text is escaped (src/web/html.ts); the caller gives every sentence (from the locale files).
import { html, type Html } from './html.ts';

/** Colours of the series, each ≥ 4.5:1 with white text and ≥ 3:1 against a white page (WCAG 1.4.3, 1.4.11). */
export const CHART_COLORS = {
  blue: '#1f4f8f',
  magenta: '#a3195b',
  green: '#17653a',
  brown: '#8a4b00',
  purple: '#5b3c99',
  grey: '#545b69',
  red: '#a61b1b',
  teal: '#0b5e66',
} as const;
export type ChartColor = keyof typeof CHART_COLORS;

/** The colours given to series in order when the caller names none. */
const ORDER: readonly ChartColor[] = ['blue', 'magenta', 'green', 'brown', 'purple', 'teal', 'grey'];

const INK = '#1f2430';
const MUTED = '#545b69';
const GRID = '#d8dce3';

/** One category of a chart (a week, a commune, a status...). */
export interface ChartCategory {
  /** Its name in the table (and in the picture when `short` is not given). */
  label: string;
  /** A shorter name under a column ("12/5", "T5"). */
  short?: string;
  /** Where its row in the table links to (the section it summarises, filtered). */
  href?: string;
}

/** A series of values, one per category. */
export interface ChartSeries {
  name: string;
  values: readonly number[];
  color?: ChartColor;
}

/** The words of a chart, all from the locale files. */
export interface ChartText {
  /** The figure's caption. */
  title: string;
  /** What the chart says, in a sentence or two: read out in place of the picture. */
  summary: string;
  /** The <summary> of the numbers' table ("Xem số liệu"). */
  numbers: string;
  /** The table's first column header (the categories: "Tuần", "Xã/phường"...). */
  category: string;
  /** The total's header (stacked charts with several series). */
  total?: string;
  /** Said instead of the picture when every value is 0. */
  empty?: string;
}

export interface ChartOptions {
  /** Unique on the page: the ids of the title and summary derive from it. */
  id: string;
  text: ChartText;
  categories: readonly ChartCategory[];
  series: readonly ChartSeries[];
  /** Several series side by side (grouped) or on top of each other (stacked, with the total written above). */
  mode?: 'grouped' | 'stacked';
  /** How a number is written ("1.234" in Vietnamese); default String. */
  format?: (value: number) => string;
  /** Below the figure: links to the section it summarises. */
  footer?: Html;
}

const colorOf = (series: ChartSeries, index: number): string =>
  CHART_COLORS[series.color ?? ORDER[index % ORDER.length]!];

/** A "nice" upper bound of the axis (1, 2, 2.5 or 5 × 10^k) with its step, for about 4 grid lines. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 1 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough && Number.isInteger(s)) ?? 1;
  const whole = Math.max(1, step);
  return { top: Math.ceil(max / whole) * whole, step: whole };
}

/** A label shortened to `max` characters with an ellipsis (the full text is in the table and the bar's title). */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const totals = (categories: readonly ChartCategory[], series: readonly ChartSeries[]): number[] =>
  categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));

/** The legend: each series' colour and name (hidden from screen readers, which get the table instead). */
function legend(series: readonly ChartSeries[]): Html {
  if (series.length < 2) return html``;
  return html`<ul class="chart-legend" aria-hidden="true">
    ${series.map(
      (s, i) =>
        html`<li>
          <svg width="12" height="12" viewBox="0 0 12 12" focusable="false">
            <rect width="12" height="12" rx="2" fill="${colorOf(s, i)}" /></svg
          >${s.name}
        </li>`,
    )}
  </ul>`;
}

/** The numbers of a chart as a table: a row per category (a link when it has one), a column per series (+ total). */
function numbersTable(options: ChartOptions, format: (n: number) => string): Html {
  const { text, categories, series } = options;
  const withTotal = options.mode === 'stacked' && series.length > 1 && text.total !== undefined;
  const sums = totals(categories, series);
  return html`<details class="chart-numbers">
    <summary>${text.numbers}</summary>
    <div class="table-wrap" tabindex="0" role="region" aria-label="${text.title}">
      <table>
        <caption class="visually-hidden">
          ${text.title}
        </caption>
        <thead>
          <tr>
            <th scope="col">${text.category}</th>
            ${series.map((s) => html`<th scope="col" class="number">${s.name}</th>`)}${
              withTotal ? html`<th scope="col" class="number">${text.total}</th>` : ''
            }
          </tr>
        </thead>
        <tbody>
          ${categories.map(
            (c, i) =>
              html`<tr>
                <th scope="row">${c.href ? html`<a href="${c.href}">${c.label}</a>` : c.label}</th>
                ${series.map((s) => html`<td class="number">${format(s.values[i] ?? 0)}</td>`)}${
                  withTotal ? html`<td class="number">${format(sums[i] ?? 0)}</td>` : ''
                }
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </details>`;
}

/** The figure around a picture: caption, the picture (or the empty text), legend, numbers, footer. */
function figure(options: ChartOptions, picture: Html, format: (n: number) => string): Html {
  const { id, text } = options;
  const empty = totals(options.categories, options.series).every((v) => v === 0);
  return html`<figure class="chart" id="${id}">
    <figcaption>${text.title}</figcaption>
    ${
      empty && text.empty !== undefined
        ? html`<p class="empty">${text.empty}</p>`
        : html`${picture}${legend(options.series)}${numbersTable(options, format)}`
    }
    ${options.footer ?? ''}
  </figure>`;
}

/** A chart's picture: an SVG with its accessible name (the title) and description (the summary) around `content`. */
function svgFrame(id: string, width: number, height: number, text: ChartText, content: Html): Html {
  return html`<svg
    class="chart-picture"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    role="img"
    aria-labelledby="${id}-title"
    aria-describedby="${id}-desc"
    focusable="false"
    font-size="12"
  >
    <title id="${id}-title">${text.title}</title>
    <desc id="${id}-desc">${text.summary}</desc>
    ${content}
  </svg>`;
}

const WIDTH = 560;

/** Coordinates to a tenth of a unit: short attributes, the same picture. */
const r1 = (value: number): number => Math.round(value * 10) / 10;

/**
 * Columns: one per category (weeks, months, age buckets), grouped or stacked when there are several series, the
 * value written above each column (the total when stacked; each part inside its segment when it fits).
 */
export function columnChart(options: ChartOptions): Html {
  const format = options.format ?? String;
  const { categories, series } = options;
  const stacked = options.mode === 'stacked';
  const height = 240;
  const left = 40;
  const right = 8;
  const top = 22;
  const bottom = 30;
  const plotWidth = WIDTH - left - right;
  const plotHeight = height - top - bottom;
  const sums = totals(categories, series);
  const max = stacked ? Math.max(0, ...sums) : Math.max(0, ...series.flatMap((s) => [...s.values]));
  const { top: axisTop, step } = niceScale(max);
  const y = (value: number) => r1(top + plotHeight - (value / axisTop) * plotHeight);
  const slot = plotWidth / Math.max(1, categories.length);
  const groupWidth = Math.min(slot * 0.7, 64);
  const barWidth = r1(stacked ? groupWidth : groupWidth / Math.max(1, series.length));

  const grid: Html[] = [];
  for (let v = 0; v <= axisTop; v += step) {
    grid.push(
      html`<line x1="${left}" x2="${WIDTH - right}" y1="${y(v)}" y2="${y(v)}" stroke="${GRID}" />
        <text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="${MUTED}">${format(v)}</text>`,
    );
  }

  const columns = categories.map((category, i) => {
    const x0 = r1(left + slot * i + (slot - groupWidth) / 2);
    const label = html`<text
      x="${r1(left + slot * i + slot / 2)}"
      y="${height - bottom + 16}"
      text-anchor="middle"
      fill="${INK}"
      >${category.short ?? category.label}</text
    >`;
    if (stacked) {
      let base = 0;
      const parts = series.map((s, k) => {
        const value = s.values[i] ?? 0;
        if (value <= 0) return html``;
        const y1 = y(base + value);
        const h = r1(y(base) - y1);
        base += value;
        const fits = h >= 15 && series.length > 1;
        return html`<rect x="${x0}" y="${y1}" width="${barWidth}" height="${h}" fill="${colorOf(s, k)}" stroke="#ffffff"
            ><title>${category.label}: ${s.name} ${format(value)}</title></rect
          >${
            fits
              ? html`<text x="${r1(x0 + barWidth / 2)}" y="${r1(y1 + h / 2 + 4)}" text-anchor="middle" fill="#ffffff"
                  >${format(value)}</text
                >`
              : ''
          }`;
      });
      const total = sums[i] ?? 0;
      return html`<g>
        ${parts}<text
          x="${r1(x0 + barWidth / 2)}"
          y="${y(total) - 6}"
          text-anchor="middle"
          fill="${INK}"
          font-weight="600"
          >${format(total)}</text
        >${label}
      </g>`;
    }
    const bars = series.map((s, k) => {
      const value = s.values[i] ?? 0;
      const x = r1(x0 + barWidth * k);
      return html`<rect
          x="${x}"
          y="${y(value)}"
          width="${r1(Math.max(1, barWidth - 2))}"
          height="${r1(y(0) - y(value))}"
          fill="${colorOf(s, k)}"
          ><title>${category.label}: ${series.length > 1 ? `${s.name} ` : ''}${format(value)}</title></rect
        ><text x="${r1(x + barWidth / 2 - 1)}" y="${y(value) - 6}" text-anchor="middle" fill="${INK}"
          >${format(value)}</text
        >`;
    });
    return html`<g>${bars}${label}</g>`;
  });

  const baseline = html`<line x1="${left}" x2="${WIDTH - right}" y1="${y(0)}" y2="${y(0)}" stroke="${MUTED}" />`;
  const picture = svgFrame(options.id, WIDTH, height, options.text, html`${grid}${columns}${baseline}`);
  return figure(options, picture, format);
}

/**
 * Horizontal bars: one per category (communes, statuses, broadcasts: long names), stacked when there are several
 * series, the value (or total) written after each bar and each part inside its segment when it fits.
 */
export function barChart(options: ChartOptions): Html {
  const format = options.format ?? String;
  const { categories, series } = options;
  const row = 30;
  const top = 6;
  const labelWidth = 170;
  const valueWidth = 56;
  const height = top * 2 + row * Math.max(1, categories.length);
  const plotWidth = WIDTH - labelWidth - valueWidth;
  const sums = totals(categories, series);
  const max = Math.max(0, ...sums);
  const scale = (value: number) => (max > 0 ? r1((value / max) * plotWidth) : 0);
  const bars = categories.map((category, i) => {
    const y = top + row * i;
    let base = 0;
    const parts = series.map((s, k) => {
      const value = s.values[i] ?? 0;
      if (value <= 0) return html``;
      const x = r1(labelWidth + scale(base));
      const w = scale(value);
      base += value;
      const digits = format(value);
      const fits = series.length > 1 && w >= digits.length * 7 + 8;
      return html`<rect x="${x}" y="${y + 5}" width="${w}" height="${row - 10}" fill="${colorOf(s, k)}" stroke="#ffffff"
          ><title>${category.label}: ${series.length > 1 ? `${s.name} ` : ''}${digits}</title></rect
        >${
          fits
            ? html`<text x="${r1(x + w / 2)}" y="${y + row / 2 + 4}" text-anchor="middle" fill="#ffffff"
                >${digits}</text
              >`
            : ''
        }`;
    });
    return html`<g>
      <text x="${labelWidth - 8}" y="${y + row / 2 + 4}" text-anchor="end" fill="${INK}"
        >${shorten(category.short ?? category.label, 26)}</text
      >${parts}<text
        x="${r1(labelWidth + scale(sums[i] ?? 0) + 6)}"
        y="${y + row / 2 + 4}"
        fill="${INK}"
        font-weight="600"
        >${format(sums[i] ?? 0)}</text
      >
    </g>`;
  });
  const axis = html`<line x1="${labelWidth}" x2="${labelWidth}" y1="${top}" y2="${height - top}" stroke="${MUTED}" />`;
  const picture = svgFrame(options.id, WIDTH, height, options.text, html`${axis}${bars}`);
  return figure(options, picture, format);
}

/**
 * A small line of a few values (a trend beside a headline number), with the last point marked. `label` says what it
 * shows in words ("Yêu cầu mỗi tuần, 12 tuần qua: 3, 5, 2…"): it is the picture's name for screen readers.
 */
export function sparkline(values: readonly number[], label: string, color: ChartColor = 'blue'): Html {
  const width = 120;
  const height = 32;
  const pad = 3;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? (width - pad * 2) / (values.length - 1) : 0;
  const points = values.map((v, i) => [pad + step * i, height - pad - (v / max) * (height - pad * 2)] as const);
  const last = points.at(-1);
  const line = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  const dot = last
    ? html`<circle cx="${last[0].toFixed(1)}" cy="${last[1].toFixed(1)}" r="3" fill="${CHART_COLORS[color]}" />`
    : '';
  return html`<svg
    class="sparkline"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    role="img"
    aria-label="${label}"
    focusable="false"
  >
    <polyline points="${line}" fill="none" stroke="${CHART_COLORS[color]}" stroke-width="2" stroke-linejoin="round" />
    ${dot}
  </svg>`;
}
