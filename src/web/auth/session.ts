// Sessions of the web console (issue 16): who is signed in, read from the session cookie and the WebSession row on
// every request, with the idle timeout and the longest life checked here, and the member re-read (a demoted officer
// or an erased member loses access at once). Also the CSRF token of a session and the checks on paths she asks to
// come back to.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebAccessStore, StoredWebSession } from '../../data/webAccess.ts';
import type { Member, MemberRepository, Role } from '../../domain/member.ts';
import { CONSOLE_PREFIX, type WebRole } from '../page.ts';

/** lastSeenAt is written at most this often (ms): a page with a few scripts' requests writes once. */
export const TOUCH_EVERY_MS = 60_000;

/** The console's cookies. On https their names carry `__Host-`: Secure, Path=/, no Domain, set by this host only. */
export interface CookieNames {
  session: string;
  flash: string;
  next: string;
  signIn: string;
}

export function cookieNames(secure: boolean): CookieNames {
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}hv_session`,
    flash: `${prefix}hv_flash`,
    next: `${prefix}hv_next`,
    signIn: `${prefix}hv_signin`,
  };
}

export interface SessionSettings {
  /** WEB_SESSION_IDLE_MINUTES. */
  idleMinutes: number;
}

export interface SignedIn {
  session: StoredWebSession;
  member: Member;
}

/**
 * The session of a cookie token and its member, or null when there is none to use: unknown token, past its longest
 * life, idle longer than the timeout (the row is then deleted), or the member gone. Touches lastSeenAt at most once
 * a minute.
 */
export async function currentSession(
  deps: { store: WebAccessStore; members: Pick<MemberRepository, 'findById'>; settings: SessionSettings },
  token: string | undefined,
  now: Date,
): Promise<SignedIn | null> {
  if (token === undefined || token.length === 0 || token.length > 100) return null;
  const session = await deps.store.findSession(token);
  if (!session) return null;
  const idleUntil = session.lastSeenAt.getTime() + deps.settings.idleMinutes * 60_000;
  if (session.expiresAt.getTime() <= now.getTime() || idleUntil <= now.getTime()) {
    await deps.store.endSession(session.id);
    return null;
  }
  const member = await deps.members.findById(session.memberId);
  if (!member) {
    await deps.store.endSession(session.id);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await deps.store.touchSession(session.id, now);
    session.lastSeenAt = now;
  }
  return { session, member };
}

const RANK: Record<Role, number> = { member: 0, officer: 1, admin: 2 };

/** Whether her role (as stored now) may open a route of this role. */
export function mayOpen(role: Role, required: WebRole): boolean {
  return RANK[role] >= RANK[required];
}

/** The CSRF token of a session: HMAC-SHA256 of its id under the cookie secret (base64url). */
export function csrfToken(secret: string, sessionId: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
}

/** Compares two secrets in constant time (false when either is missing). */
export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A path under the console she may be sent back to (after sign-in, after switching language), or undefined: only
 * same-origin paths under /console, no scheme, no "//" or backslash (which browsers read as another host), no
 * control characters, not the sign-in page itself.
 */
export function safeConsolePath(path: string | null | undefined): string | undefined {
  if (typeof path !== 'string' || path.length > 2000) return undefined;
  if (!(path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`) || path.startsWith(`${CONSOLE_PREFIX}?`)))
    return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(path) || path.includes('//')) return undefined;
  // Encoded slashes and dot segments: nothing a page of ours links to, and a way around the checks above.
  if (/%2f|%5c|\/\.\.?(\/|$|\?)/i.test(path)) return undefined;
  if (path.startsWith(`${CONSOLE_PREFIX}/sign-in`) || path.startsWith(`${CONSOLE_PREFIX}/assets`)) return undefined;
  return path;
}

/**
 * Whether a POST comes from a page of this site: no Origin header (old browsers, same-origin forms in some), or an
 * Origin whose host is the request's Host or WEB_BASE_URL's. The CSRF token is checked as well; this refuses a
 * cross-site form even before its token is looked at.
 */
export function sameOrigin(origin: string | undefined, host: string | undefined, baseUrl: URL): boolean {
  if (origin === undefined) return true;
  if (origin === baseUrl.origin) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
