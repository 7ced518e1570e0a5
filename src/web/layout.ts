// The console's page shell (issue 16): <html lang>, a skip link, the top bar with the sections she may open, the
// language switch (vi/en, kept on her session), her name, her account and sign-out; then the flash text and the
// page. Also the pages shown outside the shell's sections: sign-in, errors. Markup only through html`` (escaped);
// no inline script or style (the Content-Security-Policy forbids them): console.css, <section>.css, console.js.
import type { Translate } from '../conversation/flow.ts';
import type { Language } from '../domain/member.ts';
import { html, type Html } from './html.ts';
import { CONSOLE_PREFIX, CSRF_FIELD, SECTIONS, type Flash, type Section } from './page.ts';

export const ASSETS_PATH = `${CONSOLE_PREFIX}/assets`;

/** Where a section's index page is (the overview is the console's home). */
export function sectionPath(section: Section): string {
  return section === 'overview' ? CONSOLE_PREFIX : `${CONSOLE_PREFIX}/${section}`;
}

/** The signed-in viewer as the shell shows her. */
export interface ShellViewer {
  /** Her name, '' when she gave none (the role is shown beside it). */
  name: string;
  role: 'member' | 'officer' | 'admin';
  csrf: string;
}

export interface ShellOptions {
  language: Language;
  t: Translate;
  title: string;
  body: Html;
  /** The section to mark as current in the navigation (none: account, errors). */
  section?: Section;
  /** The sections she may open, in navigation order. Absent: no navigation (signed out). */
  sections?: readonly Section[];
  viewer?: ShellViewer;
  flash?: Flash;
  /** Sections that ship their own stylesheet (src/web/assets/<section>.css). */
  stylesheets: ReadonlySet<string>;
  /** The path she is on (the language switch brings her back to it). */
  here: string;
}

function languageSwitch(options: ShellOptions, viewer: ShellViewer): Html {
  const { t, language } = options;
  const other: Language = language === 'vi' ? 'en' : 'vi';
  return html`<form method="post" action="${CONSOLE_PREFIX}/language" class="inline">
    <input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}" />
    <input type="hidden" name="language" value="${other}" />
    <input type="hidden" name="back" value="${options.here}" />
    <button
      type="submit"
      lang="${other}"
      aria-label="${t('web:shell.languageSwitch')}: ${t(`common:languages.${other}`)}"
    >
      ${other === 'vi' ? 'Tiếng Việt' : 'English'}
    </button>
  </form>`;
}

function topBar(options: ShellOptions): Html {
  const { t, viewer } = options;
  const sections = options.sections ?? [];
  const nav =
    sections.length === 0
      ? ''
      : html`<nav aria-label="${t('web:shell.nav')}">
          <ul>
            ${sections.map(
              (section) =>
                html`<li>
                  <a href="${sectionPath(section)}" ${section === options.section ? html`aria-current="page"` : ''}
                    >${t(`web:sections.${section}`)}</a
                  >
                </li>`,
            )}
          </ul>
        </nav>`;
  const account = viewer
    ? html`<div class="account">
        <a
          href="${CONSOLE_PREFIX}/account"
          ${viewer.name === '' ? '' : html`title="${t('web:shell.signedInAs', { name: viewer.name })}"`}
          >${viewer.name === '' ? '' : `${viewer.name} · `}${t(`web:shell.roles.${viewer.role}`)}</a
        >
        ${languageSwitch(options, viewer)}
        <form method="post" action="${CONSOLE_PREFIX}/sign-out" class="inline">
          <input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}" />
          <button type="submit">${t('web:shell.signOut')}</button>
        </form>
      </div>`
    : '';
  return html`<header class="topbar">
    <div class="inner">
      <a class="brand" href="${CONSOLE_PREFIX}">${t('web:shell.brand')}</a>
      ${nav} ${account}
    </div>
  </header>`;
}

/** A whole HTML document: the shell around a page. */
export function renderShell(options: ShellOptions): string {
  const { t, flash } = options;
  const sectionCss =
    options.section !== undefined && options.stylesheets.has(options.section)
      ? html`<link rel="stylesheet" href="${ASSETS_PATH}/${options.section}.css" />`
      : '';
  const page = html`<!doctype html>
    <html lang="${options.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${options.title} · ${t('web:shell.brand')}</title>
        <link rel="icon" href="${ASSETS_PATH}/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="${ASSETS_PATH}/console.css" />
        ${sectionCss}
        <script src="${ASSETS_PATH}/console.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">${t('web:shell.skip')}</a>
        ${topBar(options)}
        <main id="main" tabindex="-1">
          ${
            flash
              ? html`<div class="flash ${flash.tone}" role="${flash.tone === 'error' ? 'alert' : 'status'}">
                  ${flash.text}
                </div>`
              : ''
          }
          ${options.body}
        </main>
      </body>
    </html>`;
  return page.text;
}

/** The sections in navigation order that have an index page she may open. */
export function visibleSections(canOpen: (path: string) => boolean): Section[] {
  return SECTIONS.filter((section) => canOpen(sectionPath(section)));
}

/** A short page with a heading and paragraphs (sign-in, errors), its body only. */
export function messageBody(title: string, paragraphs: readonly (string | Html)[], extra?: Html): Html {
  return html`<section class="card stack">
    <h1>${title}</h1>
    ${paragraphs.map((p) => html`<p>${p}</p>`)} ${extra ?? ''}
  </section>`;
}
