// The web console's sign-in, sessions and security over real HTTP (issue 16): the bot with the console and a fake
// Telegram Bot API (test/web/server.ts), a clock the tests move, and a tiny cookie-keeping client. What is checked is
// what a user (or an attacker) notices: the link in her chat or none, the page she gets, the rows stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../../src/domain/member.ts';
import type { WebRoute } from '../../src/web/page.ts';
import { Chat, HOUR, realRuntime, TestClock } from '../helpers/chat.ts';
import { freshDatabase } from '../helpers/database.ts';
import { startWebServer, TEST_WEB_SETTINGS, type WebServer } from './server.ts';

const clock = new TestClock(new Date('2026-12-07T02:00:00Z'));
let server: WebServer;
/** Times a test page changed something (the CSRF checks: nothing changed). */
let changes = 0;

// Two routes of a page module as the sections write them: one for officers, one for admins, and a POST.
const testRoutes = (): WebRoute[] => [
  {
    method: 'GET',
    path: '/console/test/admin-only',
    role: 'admin',
    handle: async (ctx) => ({ kind: 'json', body: { role: ctx.viewer.member.role } }),
  },
  {
    method: 'POST',
    path: '/console/test/change',
    role: 'officer',
    handle: async (ctx) => {
      changes++;
      await ctx.audit('test.change');
      return { kind: 'redirect', to: '/console/account', flash: { tone: 'ok', text: 'changed' } };
    },
  },
  {
    method: 'POST',
    path: '/console/test/upload',
    role: 'officer',
    handle: async (ctx) => ({
      kind: 'json',
      body: { note: ctx.form.get('note'), files: ctx.files.map((f) => [f.field, f.filename, f.bytes.length]) },
    }),
  },
  {
    method: 'GET',
    path: '/console/test/boom',
    role: 'officer',
    handle: async () => {
      throw new Error('secret detail 0912345678');
    },
  },
];

/** A browser without JavaScript: keeps cookies, follows nothing (redirects are checked). */
class Client {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const response = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookies.size > 0
          ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
          : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, form: Record<string, string>, headers?: Record<string, string>) =>
    this.request('POST', path, form, headers);
}

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const tokenOf = (link: string): string => new URL(link).searchParams.get('token') ?? '';
const location = (response: Response) => response.headers.get('location');

/** Opens her link and presses the button: returns the client, signed in (or not, with the last response). */
async function openLink(
  link: string,
  client = new Client(server.url),
): Promise<{ client: Client; response: Response }> {
  const page = await client.get(new URL(link).pathname + new URL(link).search);
  const response = await client.post('/console/sign-in', { _csrf: csrfOf(await page.text()), token: tokenOf(link) });
  return { client, response };
}

async function signedIn(member: Member): Promise<Client> {
  await server.say(member, 'đăng nhập web');
  const { client, response } = await openLink(server.lastLink(member));
  expect(response.status).toBe(303);
  return client;
}

async function csrfFor(client: Client): Promise<string> {
  return csrfOf(await (await client.get('/console/account')).text());
}

beforeAll(async () => {
  server = await startWebServer({ clock, routes: testRoutes });
});
afterAll(async () => {
  await server.close();
});

describe('the link in the chat', () => {
  it('is sent to an officer and to an admin, once per ask, without a preview, saying how long it works', async () => {
    for (const role of ['officer', 'admin'] as const) {
      const staff = await server.web.staff(role, role === 'admin' ? ['*'] : ['05443']);
      await server.say(staff, 'đăng nhập web');
      const message = server.messagesTo(staff).find((m) => String(m.text).includes('/console/sign-in?token='));
      expect(message).toMatchObject({ link_preview_options: { is_disabled: true } });
      expect(String(message?.text)).toContain('một lần, trong 10 phút');
      expect(String(message?.text)).toContain('đừng chuyển tiếp');
      expect(tokenOf(server.lastLink(staff))).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // Only the hash is stored.
      const rows = await server.db.prisma.webSignInLink.findMany({ where: { memberId: staff.id } });
      expect(rows).toHaveLength(1);
      expect(rows[0]?.id).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0]?.id).not.toContain(tokenOf(server.lastLink(staff)));
    }
  });

  it('is asked for in the ways officers type it', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    const ways = [
      'dang nhap web',
      'dn web',
      'đăng nhập',
      'vào web',
      'trang quản lý',
      'login',
      'đăng nhâp web',
      'web login',
      'sign in',
    ];
    for (const text of ways) {
      const before = server.sentTo(officer).length;
      await server.say(officer, text);
      const said = server.sentTo(officer).slice(before).join('\n');
      expect(said, text).toContain('/console/sign-in?token=');
    }
  });

  it('is never sent to a plain member, who is told politely who it is for', async () => {
    const member = await server.web.member({ name: 'Lê Thị Lan' });
    for (const text of ['đăng nhập web', 'dang nhap web', 'dn web', 'login', 'vào web', 'trang quản lý']) {
      const before = server.sentTo(member).length;
      await server.say(member, text);
      const said = server.sentTo(member).slice(before).join('\n');
      expect(said, text).not.toContain('/console/');
      expect(said, text).toContain('chỉ dành cho cán bộ Hội');
    }
    expect(await server.db.prisma.webSignInLink.count({ where: { memberId: member.id } })).toBe(0);
  });

  it('is in the officer’s menu, not in a member’s', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    const member = await server.web.member();
    await server.say(officer, 'menu');
    await server.say(member, 'menu');
    const labels = (m: Member) => JSON.stringify(server.messagesTo(m).map((body) => body.reply_markup ?? null));
    expect(labels(officer)).toContain('Đăng nhập trang quản lý (web)');
    expect(labels(member)).not.toContain('Đăng nhập trang quản lý (web)');
  });
});

describe('signing in', () => {
  it('GET of the link shows a button and does not use the token; the POST does, once', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    await server.say(officer, 'đăng nhập web');
    const link = server.lastLink(officer);
    // A chat app's preview fetches the link (twice, even): nothing is used.
    const preview = await fetch(link);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('>Đăng nhập<');
    await fetch(link);
    const row = await server.db.prisma.webSignInLink.findFirstOrThrow({ where: { memberId: officer.id } });
    expect(row.usedAt).toBeNull();

    const { client, response } = await openLink(link);
    expect(response.status).toBe(303);
    expect(location(response)).toBe('/console');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('hv_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect((await client.get('/console/account')).status).toBe(200);
    const audit = await server.db.prisma.auditLog.findMany({ where: { actor: officer.id, action: 'web.signIn' } });
    expect(audit).toHaveLength(1);

    // Used: refused in another browser, and no session started.
    const again = await openLink(link);
    expect(again.response.status).toBe(400);
    expect(await again.response.text()).toContain('Đường dẫn này đã được dùng rồi.');
    expect(await server.db.prisma.webSession.count({ where: { memberId: officer.id } })).toBe(1);
  });

  it('an expired link is refused, an unknown one too, each with how to get a new one', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    await server.say(officer, 'đăng nhập web');
    const link = server.lastLink(officer);
    clock.advance(TEST_WEB_SETTINGS.linkMinutes * 60_000 + 1000);
    const expired = await openLink(link);
    expect(expired.response.status).toBe(400);
    const text = await expired.response.text();
    expect(text).toContain('Đường dẫn này đã hết hạn.');
    expect(text).toContain('nhắn &quot;đăng nhập web&quot;');
    const unknown = await openLink(`${server.url}/console/sign-in?token=${'x'.repeat(43)}`);
    expect(await unknown.response.text()).toContain('Đường dẫn này không đúng.');
    expect(await server.db.prisma.webSession.count({ where: { memberId: officer.id } })).toBe(0);
  });

  it('the sign-in button without its browser check (a cross-site form) is refused and the link stays unused', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    await server.say(officer, 'đăng nhập web');
    const token = tokenOf(server.lastLink(officer));
    const forged = await new Client(server.url).post('/console/sign-in', { token, _csrf: 'guess' });
    expect(forged.status).toBe(403);
    const row = await server.db.prisma.webSignInLink.findFirstOrThrow({ where: { memberId: officer.id } });
    expect(row.usedAt).toBeNull();
  });

  it('keeps the page she wanted for after she signs in (same-site paths only)', async () => {
    const admin = await server.web.staff('admin', ['*']);
    const client = new Client(server.url);
    const wanted = await client.get('/console/account?x=1');
    expect(wanted.status).toBe(303);
    expect(location(wanted)).toBe('/console/sign-in');
    const signInPage = await client.get('/console/sign-in');
    expect(await signInPage.text()).toContain('Chị chưa đăng nhập');
    await server.say(admin, 'đăng nhập web');
    const { response } = await openLink(server.lastLink(admin), client);
    expect(location(response)).toBe('/console/account?x=1');
    // A path to another site is never kept.
    const other = new Client(server.url);
    await other.get('//evil.example/console');
    await other.get('/console/..%2F%2Fevil.example');
    await server.say(admin, 'đăng nhập web');
    const second = await openLink(server.lastLink(admin), other);
    expect(location(second.response)?.startsWith('/console')).toBe(true);
    expect(location(second.response)).not.toContain('evil');
  });
});

describe('sessions', () => {
  it('an idle session is sent to sign in; an active one lasts until its longest life', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    const client = await signedIn(officer);
    clock.advance((TEST_WEB_SETTINGS.sessionIdleMinutes - 1) * 60_000);
    expect((await client.get('/console/account')).status).toBe(200);
    clock.advance((TEST_WEB_SETTINGS.sessionIdleMinutes - 1) * 60_000);
    expect((await client.get('/console/account')).status).toBe(200);
    clock.advance(TEST_WEB_SETTINGS.sessionIdleMinutes * 60_000 + 1000);
    const idle = await client.get('/console/account');
    expect(idle.status).toBe(303);
    expect(location(idle)).toBe('/console/sign-in');
    expect(await server.db.prisma.webSession.count({ where: { memberId: officer.id } })).toBe(0);

    const busy = await signedIn(officer);
    for (let minutes = 0; minutes < TEST_WEB_SETTINGS.sessionMaxHours * 60; minutes += 20) {
      clock.advance(20 * 60_000);
      const response = await busy.get('/console/account');
      if (response.status !== 200) {
        expect(minutes + 20).toBeGreaterThanOrEqual(TEST_WEB_SETTINGS.sessionMaxHours * 60);
        expect(location(response)).toBe('/console/sign-in');
        return;
      }
    }
    throw new Error('the session outlived its longest life');
  });

  it('sign out everywhere ends every session of hers, and only hers', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    const colleague = await server.web.staff('officer', ['05443']);
    const first = await signedIn(officer);
    const second = await signedIn(officer);
    const theirs = await signedIn(colleague);
    const account = await (await second.get('/console/account')).text();
    expect(account.match(/<tr>/g)?.length).toBe(3); // header + two sessions
    const out = await second.post('/console/account/sign-out-everywhere', { _csrf: csrfOf(account) });
    expect(out.status).toBe(303);
    expect(location(out)).toBe('/console/sign-in');
    expect((await second.get('/console/sign-in')).status).toBe(200);
    expect((await first.get('/console/account')).status).toBe(303);
    expect((await second.get('/console/account')).status).toBe(303);
    expect((await theirs.get('/console/account')).status).toBe(200);
    const audit = await server.db.prisma.auditLog.count({
      where: { actor: officer.id, action: 'web.signOutEverywhere' },
    });
    expect(audit).toBe(1);
  });

  it('sign-out ends this session', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    const client = await signedIn(officer);
    const out = await client.post('/console/sign-out', { _csrf: await csrfFor(client) });
    expect(out.status).toBe(303);
    const page = await client.get('/console/sign-in');
    expect(await page.text()).toContain('Chị đã đăng xuất.');
    expect((await client.get('/console/account')).status).toBe(303);
    expect(await server.db.prisma.auditLog.count({ where: { actor: officer.id, action: 'web.signOut' } })).toBe(1);
  });
});

describe('authorisation and CSRF', () => {
  it('a POST without the CSRF token, with a wrong one, or from another site is refused and changes nothing', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    const client = await signedIn(officer);
    const csrf = await csrfFor(client);
    const before = changes;
    const missing = await client.post('/console/test/change', { note: 'x' });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('chưa có gì thay đổi');
    expect((await client.post('/console/test/change', { _csrf: 'wrong' })).status).toBe(403);
    const otherSession = await signedIn(await server.web.staff('officer', ['05443']));
    expect((await client.post('/console/test/change', { _csrf: await csrfFor(otherSession) })).status).toBe(403);
    const crossSite = await client.post('/console/test/change', { _csrf: csrf }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await client.post('/console/sign-out', {})).status).toBe(403);
    expect(changes).toBe(before);
    expect(await server.db.prisma.auditLog.count({ where: { actor: officer.id, action: 'web.test.change' } })).toBe(0);

    const ok = await client.post('/console/test/change', { _csrf: csrf });
    expect(ok.status).toBe(303);
    expect(location(ok)).toBe('/console/account');
    expect(changes).toBe(before + 1);
    expect(await (await client.get('/console/account')).text()).toContain('changed');
  });

  it('an officer cannot open an admin page; her role cannot be raised by what the browser sends', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    const client = await signedIn(officer);
    expect((await client.get('/console/test/admin-only')).status).toBe(403);
    client.cookies.set('role', 'admin');
    await client.post('/console/language', { _csrf: await csrfFor(client), language: 'en', role: 'admin' });
    expect((await client.get('/console/test/admin-only')).status).toBe(403);
    expect((await server.runtime.members.findById(officer.id))?.role).toBe('officer');
    const admin = await signedIn(await server.web.staff('admin', ['*']));
    expect(await (await admin.get('/console/test/admin-only')).json()).toEqual({ role: 'admin' });
  });

  it('a demoted officer loses access at her next request', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    const client = await signedIn(officer);
    expect((await client.get('/console/account')).status).toBe(200);
    await server.runtime.officers.assign(officer.id, 'member', []);
    expect((await client.get('/console/account')).status).toBe(403);
    expect((await client.get('/console')).status).toBe(403);
    const csrf = csrfOf(await (await client.get('/console')).text());
    const before = changes;
    await client.post('/console/test/change', { _csrf: csrf });
    expect(changes).toBe(before);
  });

  it('an erased member’s links and sessions go with her', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    const client = await signedIn(officer);
    await server.runtime.members.delete(officer.id);
    expect(await server.db.prisma.webSession.count({ where: { memberId: officer.id } })).toBe(0);
    expect(await server.db.prisma.webSignInLink.count({ where: { memberId: officer.id } })).toBe(0);
    expect((await client.get('/console/account')).status).toBe(303);
  });
});

describe('uploads', () => {
  it('a multipart form brings its fields and files; a file over WEB_UPLOAD_MAX_BYTES gets a clear page', async () => {
    const client = await signedIn(await server.web.staff('admin', ['*']));
    const csrf = await csrfFor(client);
    const send = async (bytes: number, token = csrf) => {
      const body = new FormData();
      body.append('_csrf', token);
      body.append('note', 'Danh sách lớp');
      body.append('file', new Blob([new Uint8Array(bytes)], { type: 'text/csv' }), 'điểm danh.csv');
      const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      return fetch(`${server.url}/console/test/upload`, {
        method: 'POST',
        body,
        headers: { cookie },
        redirect: 'manual',
      });
    };
    const ok = await send(1000);
    expect(await ok.json()).toEqual({ note: 'Danh sách lớp', files: [['file', 'điểm danh.csv', 1000]] });
    expect((await send(1000, 'wrong')).status).toBe(403);
    const large = await send(TEST_WEB_SETTINGS.uploadMaxBytes + 1);
    expect(large.status).toBe(413);
    expect(await large.text()).toContain('Tệp quá lớn (tối đa 5 MB).');
  });
});

describe('her data', () => {
  it('"my data" shows her console sessions; the daily prune removes links and sessions that ended', async () => {
    const officer = await server.web.staff('officer', ['05443']);
    await signedIn(officer);
    const before = server.sentTo(officer).length;
    await server.say(officer, 'xem dữ liệu của tôi');
    expect(server.sentTo(officer).slice(before).join('\n')).toContain('Phiên đăng nhập đang lưu: 1.');

    const kind = server.runtime.personalData.find((k) => k.id === 'webAccess');
    expect(kind?.models).toEqual(['WebSignInLink', 'WebSession']);
    // A day after: the used link and the idle session are pruned; a fresh link is kept.
    clock.advance(25 * HOUR);
    await server.say(officer, 'đăng nhập web');
    await kind?.retention?.prune(new Date(clock.now().getTime() - 86_400_000));
    expect(await server.db.prisma.webSession.count({ where: { memberId: officer.id } })).toBe(0);
    expect(await server.db.prisma.webSignInLink.count({ where: { memberId: officer.id } })).toBe(1);
  });
});

describe('responses', () => {
  it('carry the security headers and are never cached', async () => {
    const client = await signedIn(await server.web.staff('officer', ['05443']));
    for (const response of [await client.get('/console/account'), await fetch(`${server.url}/console/sign-in`)]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    const css = await fetch(`${server.url}/console/assets/console.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    // Assets are checked again on every use: after an upgrade the new styles show at once.
    expect(css.headers.get('cache-control')).toContain('max-age=0');
    // The webhooks keep their own body handling (the chat above works); a page's error shows no detail.
    const boom = await client.get('/console/test/boom');
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).toContain('có lỗi khi xử lý');
    expect(text).not.toContain('0912345678');
    expect((await client.get('/console/nothing-here')).status).toBe(404);
  });
});

describe('with WEB_BASE_URL unset', () => {
  it('officers are told the console is not switched on, and get no link', async () => {
    const db = await freshDatabase();
    try {
      const runtime = realRuntime(db.prisma, clock);
      const member = await runtime.members.create({ channel: 'console', channelUserId: 'unset', language: 'vi' });
      await runtime.members.update(member.id, { displayName: 'Chị Hoa', consentAt: clock.now() });
      await runtime.officers.assign(member.id, 'officer', ['05443']);
      const chat = new Chat(runtime.bot, 'unset');
      const said = JSON.stringify(await chat.send('đăng nhập web'));
      expect(said).toContain('chưa được bật');
      expect(said).not.toContain('/console/sign-in');
      expect(await db.prisma.webSignInLink.count()).toBe(0);
    } finally {
      await db.close();
    }
  });
});
