// The plumbing's own pages (issue 16): sign-in (one button; the GET never uses the token), the refusals of a link,
// "ask the bot for a link", and her account (her sessions, times only; sign out everywhere). Bodies only: the shell
// (src/web/layout.ts) wraps them.
import type { Translate } from '../../conversation/flow.ts';
import type { StoredWebSession } from '../../data/webAccess.ts';
import type { Member } from '../../domain/member.ts';
import { WHOLE_PROVINCE } from '../../domain/officers.ts';
import { html, type Html } from '../html.ts';
import { messageBody } from '../layout.ts';
import { CONSOLE_PREFIX, CSRF_FIELD } from '../page.ts';
import type { LinkRefusal } from '../../data/webAccess.ts';

export const SIGN_IN_PATH = `${CONSOLE_PREFIX}/sign-in`;
export const SIGN_OUT_PATH = `${CONSOLE_PREFIX}/sign-out`;
export const ACCOUNT_PATH = `${CONSOLE_PREFIX}/account`;
export const SIGN_OUT_EVERYWHERE_PATH = `${CONSOLE_PREFIX}/account/sign-out-everywhere`;
export const LANGUAGE_PATH = `${CONSOLE_PREFIX}/language`;

/** The page a sign-in link opens: one button that POSTs the token (link previews only ever GET). */
export function signInButtonBody(t: Translate, token: string, csrf: string): Html {
  return messageBody(
    t('web:signIn.title'),
    [t('web:signIn.intro')],
    html`<form method="post" action="${SIGN_IN_PATH}">
      <input type="hidden" name="${CSRF_FIELD}" value="${csrf}" />
      <input type="hidden" name="token" value="${token}" />
      <button type="submit" class="button primary">${t('web:signIn.button')}</button>
    </form>`,
  );
}

/** Not signed in (or the session ended): how to get a link. */
export function needLinkBody(t: Translate): Html {
  return messageBody(t('web:signIn.title'), [t('web:signIn.needLink'), t('web:signIn.howToGet')]);
}

/** A link that signed no one in, and how to get a new one. */
export function refusedBody(t: Translate, reason: LinkRefusal | 'notStaff'): Html {
  return messageBody(t('web:signIn.refusedTitle'), [t(`web:signIn.refused.${reason}`), t('web:signIn.howToGet')]);
}

/** Her account: role, areas, her sessions (times only) and "sign out everywhere". */
export function accountBody(options: {
  t: Translate;
  member: Member;
  areas: readonly string[];
  areaName: (code: string) => string;
  sessions: readonly StoredWebSession[];
  currentId: string;
  csrf: string;
  dateTime: (at: Date) => string;
}): Html {
  const { t } = options;
  const areas = options.areas.map((code) =>
    code === WHOLE_PROVINCE ? t('web:accountPage.wholeProvince') : options.areaName(code),
  );
  return html`<h1>${t('web:accountPage.title')}</h1>
    <section class="card stack">
      <dl class="facts">
        <dt>${t('web:accountPage.role')}</dt>
        <dd>${t(`web:shell.roles.${options.member.role}`)}</dd>
        ${
          areas.length > 0
            ? html`<dt>${t('web:accountPage.areas')}</dt>
                <dd>${areas.join(', ')}</dd>`
            : ''
        }
      </dl>
    </section>
    <section class="card stack">
      <h2>${t('web:accountPage.sessions')}</h2>
      <p class="muted">${t('web:accountPage.intro')}</p>
      <div class="table-wrap" tabindex="0" role="region" aria-label="${t('web:accountPage.sessions')}">
        <table>
          <caption class="visually-hidden">
            ${t('web:accountPage.sessions')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('web:accountPage.started')}</th>
              <th scope="col">${t('web:accountPage.lastSeen')}</th>
              <th scope="col">${t('web:accountPage.expires')}</th>
              <th scope="col"><span class="visually-hidden">${t('web:accountPage.current')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${options.sessions.map(
              (s) =>
                html`<tr>
                  <td>${options.dateTime(s.createdAt)}</td>
                  <td>${options.dateTime(s.lastSeenAt)}</td>
                  <td>${options.dateTime(s.expiresAt)}</td>
                  <td>
                    ${
                      s.id === options.currentId
                        ? html`<span class="badge info">${t('web:accountPage.current')}</span>`
                        : ''
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <form method="post" action="${SIGN_OUT_EVERYWHERE_PATH}" class="actions">
        <input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}" />
        <button type="submit" class="button danger">${t('web:accountPage.signOutEverywhere')}</button>
      </form>
    </section>`;
}
