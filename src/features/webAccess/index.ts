// The chat side of the web console's sign-in (issue 16): an officer or admin who types "đăng nhập web" (in any of the
// ways members write it: locales web.json intents.webSignIn) or taps it in her menu gets a single-use link, sent
// without a link preview (a preview fetch must not see it, and the sign-in page's GET never uses the token anyway).
// A plain member is told politely that the console is for Union officers and gets no link; with WEB_BASE_URL unset,
// officers are told the console is not switched on. The link row is written in the turn's transaction, so the reply
// and the row commit together.
import type { Flow, FlowOutcome, Text } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { Clock } from '../../conversation/ports.ts';
import type { AuditLog } from '../../domain/officers.ts';
import { dateOf } from '../privacy/myData.ts';
import type { MenuEntry } from '../menu/flow.ts';
import type { FeatureModule } from '../module.ts';
import type { PersonalDataKind } from '../privacy/registry.ts';

export const WEB_SIGN_IN_FLOW = 'webSignIn';

/** The path of the console's sign-in page (the link is `<WEB_BASE_URL>/console/sign-in?token=<token>`). */
export const SIGN_IN_PATH = '/console/sign-in';

/** What the feature needs of the link and session store (src/data/webAccess.ts). */
export interface WebLinkPort {
  /** Stores a new single-use link for the member, valid until `expiresAt`; returns its token (for the URL only). */
  issueLink(memberId: string, now: Date, expiresAt: Date): Promise<string>;
  countsOf(memberId: string): Promise<{ links: number; sessions: number; lastSignIn: Date | null }>;
  /** Deletes links expired and sessions ended or idle before `before` (see WebAccessStore.prune). */
  prune(before: Date): Promise<number>;
}

export interface WebAccessDeps {
  links: WebLinkPort;
  audit: AuditLog;
  clock: Clock;
  /** Config.web: WEB_BASE_URL (no trailing slash) and WEB_LINK_MINUTES; undefined when the console is off. */
  web: { baseUrl: string; linkMinutes: number } | undefined;
}

export const webSignInMenuEntry: MenuEntry = {
  flowId: WEB_SIGN_IN_FLOW,
  label: text('web:chat.menu'),
  audience: 'officer',
};

/** The sign-in link for a token. */
export function signInUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${SIGN_IN_PATH}?token=${encodeURIComponent(token)}`;
}

export function createWebSignInFlow(deps: WebAccessDeps): Flow {
  return {
    id: WEB_SIGN_IN_FLOW,
    // Anyone may ask (her words are read for every member): the flow itself answers a plain member, without a link.
    access: 'everyone',
    steps: [],
    async finish({ member }): Promise<FlowOutcome> {
      if (member.role === 'member') return { say: [text('web:chat.notForMembers')], next: { to: 'home' } };
      if (!deps.web) return { say: [text('web:chat.notSwitchedOn')], next: { to: 'home' } };
      const now = deps.clock.now();
      const minutes = deps.web.linkMinutes;
      const token = await deps.links.issueLink(member.id, now, new Date(now.getTime() + minutes * 60_000));
      await deps.audit.record({ actor: member.id, action: 'web.linkIssued', subject: member.id });
      const link: Text = { key: 'web:chat.link', vars: { url: signInUrl(deps.web.baseUrl, token), minutes } };
      return { say: [{ ...link, noPreview: true }], next: { to: 'home' } };
    },
  };
}

/** Sign-in links and sessions: gone with her row (cascade); dead ones pruned daily. */
function webAccessDataKind(deps: WebAccessDeps): PersonalDataKind {
  return {
    id: 'webAccess',
    models: ['WebSignInLink', 'WebSession'],
    title: 'web:myData.title',
    async summarise(ctx) {
      const counts = await deps.links.countsOf(ctx.member.id);
      if (counts.links === 0 && counts.sessions === 0) return [];
      return [
        ctx.t('web:myData.summary', {
          sessions: counts.sessions,
          last: counts.lastSignIn ? dateOf(counts.lastSignIn, ctx) : '—',
        }),
      ];
    },
    note: 'officers’ sign-in links (hashes only) and console sessions; erased by the member row’s cascade',
    retention: {
      // A link lives WEB_LINK_MINUTES (≤ 60), a session at most WEB_SESSION_MAX_HOURS (≤ 168) and is ended after
      // WEB_SESSION_IDLE_MINUTES (≤ 1440) idle: a day after any of these ends, nothing pruned can still be used.
      variable: '(fixed: one day after a link or session ends)',
      days: 1,
      prune: (before) => deps.links.prune(before),
    },
  };
}

export function webAccessFeature(deps: WebAccessDeps): FeatureModule {
  return {
    name: 'webAccess',
    flows: [createWebSignInFlow(deps)],
    // At the end: the numbers officers learnt for their items keep meaning them.
    menuAtEnd: [webSignInMenuEntry],
    intents: [{ id: 'webSignIn', namespace: 'web', flowId: WEB_SIGN_IN_FLOW }],
    personalData: [webAccessDataKind(deps)],
  };
}
