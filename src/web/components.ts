// Small building blocks the console's pages share, so that every page looks and behaves alike (and is accessible:
// labelled fields, captioned tables, buttons that say what they do). Classes are those of src/web/assets/console.css.
import { csrfField, type WebContext } from './page.ts';
import { html, type Html, type HtmlValue } from './html.ts';

/** A POST form around `body` with the CSRF field. `multipart` for file uploads. */
export function postForm(
  ctx: Pick<WebContext, 'csrf'>,
  action: string,
  body: HtmlValue,
  options: { multipart?: boolean; className?: string; id?: string } = {},
): Html {
  return html`<form
    method="post"
    action="${action}"
    ${options.multipart ? html` enctype="multipart/form-data"` : ''}${
      options.className ? html` class="${options.className}"` : ''
    }${options.id ? html` id="${options.id}"` : ''}
  >
    ${csrfField(ctx)}${body}
  </form>`;
}

export type ButtonTone = 'primary' | 'secondary' | 'danger';

/**
 * One button that POSTs to `action` (claim, approve, open a course...). `confirm`: a question the browser asks first
 * (console.js reads data-confirm); `fields`: hidden fields sent with it.
 */
export function actionButton(
  ctx: Pick<WebContext, 'csrf'>,
  action: string,
  label: string,
  options: { tone?: ButtonTone; confirm?: string; fields?: Record<string, string> } = {},
): Html {
  const hidden = Object.entries(options.fields ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  );
  return postForm(
    ctx,
    action,
    html`${hidden}<button
        type="submit"
        class="button ${options.tone ?? 'secondary'}"
        ${options.confirm ? html` data-confirm="${options.confirm}"` : ''}
      >
        ${label}
      </button>`,
    { className: 'inline' },
  );
}

/**
 * Facts as a description list, term then value (`dl.facts` of console.css: two columns, one on a phone). `className`
 * for a section's own look of it.
 */
export function factList(facts: readonly (readonly [HtmlValue, HtmlValue])[], className = 'facts'): Html {
  return html`<dl class="${className}">
    ${facts.map(
      ([term, value]) =>
        html`<dt>${term}</dt>
          <dd>${value}</dd>`,
    )}
  </dl>`;
}

/** A labelled field: the label is tied to the control by `id`. `hint` is read out with the control. */
export function field(id: string, label: string, control: Html, hint?: string): Html {
  return html`<div class="field">
    <label for="${id}">${label}</label>${control}${
      hint ? html`<small id="${id}-hint" class="hint">${hint}</small>` : ''
    }
  </div>`;
}

/**
 * A table with a caption (read by screen readers; `captionHidden` keeps it off screen), in a wrapper that scrolls
 * sideways on a narrow screen: the wrapper is a region named by the caption and takes the keyboard focus
 * (tabindex 0), so a keyboard user can scroll it too (axe `scrollable-region-focusable`, WCAG 2.1.1).
 */
export function dataTable(
  caption: string,
  headers: readonly string[],
  rows: readonly HtmlValue[][],
  options: { empty?: string; captionHidden?: boolean } = {},
): Html {
  if (rows.length === 0 && options.empty) return html`<p class="empty">${options.empty}</p>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="${caption}"><table>
<caption${options.captionHidden ? html` class="visually-hidden"` : ''}>${caption}</caption>
<thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map(
    (cells) =>
      html`<tr>
        ${cells.map((c) => html`<td>${c}</td>`)}
      </tr>`,
  )}</tbody>
</table></div>`;
}

export type BadgeTone = 'neutral' | 'info' | 'ok' | 'warn' | 'danger';

/** A short status word in a coloured pill (the word itself carries the meaning, never the colour alone). */
export function badge(text: string, tone: BadgeTone = 'neutral'): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}

/** A GET filter bar: `controls` are labelled fields; the button applies them. */
export function filterBar(action: string, controls: HtmlValue, applyLabel: string): Html {
  return html`<form method="get" action="${action}" class="filters" role="search">
    ${controls}<button type="submit" class="button secondary">${applyLabel}</button>
  </form>`;
}

/** A <select> with its options; `selected` marks the current value. */
export function select(
  id: string,
  name: string,
  options: readonly { value: string; label: string }[],
  selected: string | null | undefined,
  extra: { required?: boolean; describedBy?: string } = {},
): Html {
  return html`<select
    id="${id}"
    name="${name}"
    ${extra.required ? html` required` : ''}${extra.describedBy ? html` aria-describedby="${extra.describedBy}"` : ''}
  >
    ${options.map(
      (o) =>
        html`<option value="${o.value}" ${o.value === (selected ?? '') ? html` selected` : ''}>${o.label}</option>`,
    )}
  </select>`;
}

/** Previous/next page links; `page` is 1-based; `href(n)` builds a page's URL (keeping the filters). */
export function pager(
  page: number,
  pages: number,
  href: (n: number) => string,
  labels: { previous: string; next: string; of: string },
): Html {
  if (pages <= 1) return html``;
  return html`<nav class="pager" aria-label="${labels.of}">
    ${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">${labels.previous}</a>` : ''}<span>${page} / ${pages}</span
    >${page < pages ? html`<a href="${href(page + 1)}" rel="next">${labels.next}</a>` : ''}
  </nav>`;
}

/** A URL with query parameters (empty values left out). */
export function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}
