// The bot as it runs in production, for browser tests (issue 16): the real runtime on a fresh database, a fake
// Telegram Bot API (test/channels/telegram/fake-bot-api.ts) behind the real Telegram channel in webhook mode, and the
// one HTTP server with the web console and the public catalogue on a free port of 127.0.0.1 (WEB_BASE_URL is that
// address). Members are Telegram users: `say` posts an update to the webhook (her turn runs, its replies go to the
// fake API), `sentTo` reads what the fake API received for her chat, `signIn` signs a browser page in as she would.
//
//   const server = await startWebServer();
//   const officer = await server.web.staff('officer', ['05443'], 'Chị Hoa');
//   const page = await newPage({ baseURL: server.url });
//   await server.signIn(page, officer);            // "đăng nhập web" in her chat, opens the link, presses the button
//   ...
//   await server.close();
import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/index.ts';
import type { Clock } from '../../src/conversation/ports.ts';
import type { Language, Member } from '../../src/domain/member.ts';
import { catalogueRoutes } from '../../src/http/catalogue.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createCataloguePages } from '../../src/web/catalogue/index.ts';
import { createWebConsole } from '../../src/web/console.ts';
import type { WebDeps } from '../../src/web/deps.ts';
import type { WebRoute } from '../../src/web/page.ts';
import { consolePages } from '../../src/web/pages/index.ts';
import { createAdminServices, createRuntime, type Runtime } from '../../src/wiring.ts';
import { FakeBotApi, TOKEN } from '../channels/telegram/fake-bot-api.ts';
import { AREAS_FILE, HOUR, silentLogger, UNLIMITED_RATES } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase, type Provider } from '../helpers/database.ts';
import { tempFilesDir } from '../helpers/photos.ts';

const WEBHOOK_PATH = '/telegram/webhook';
const WEBHOOK_SECRET = 'web-test-webhook-secret-0123456789';

/** What the web console is set up with in these tests (Config.web). */
export const TEST_WEB_SETTINGS = {
  linkMinutes: 10,
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  uploadMaxBytes: 5 * 1024 * 1024,
  cookieSecret: 'web-test-cookie-secret-0123456789abcdef',
};

export interface StartOptions {
  provider?: Provider;
  /** The runtime's and the console's clock. Default: the system clock (browsers see real times). */
  clock?: Clock;
  /** Console settings other than the defaults above. */
  settings?: Partial<typeof TEST_WEB_SETTINGS>;
  /** Extra console routes (plumbing tests). */
  routes?: (deps: WebDeps) => WebRoute[];
}

export interface MemberOptions {
  name?: string;
  /** Commune code (default Phường Phan Đình Phùng, 05443). */
  commune?: string;
  /** E.164 (default none). */
  phone?: string;
  language?: Language;
  /** Consented (profile) unless false. */
  consented?: boolean;
  /**
   * The consent purposes she gave (src/domain/privacy.ts), when consented. Default: profile and announcements (the
   * two first contact asks), so her next message is not a consent question.
   */
  purposes?: string[];
}

export interface WebServer {
  /** http://127.0.0.1:<port> (also WEB_BASE_URL). */
  url: string;
  runtime: Runtime;
  deps: WebDeps;
  db: FreshDatabase;
  api: FakeBotApi;
  web: {
    /** A Telegram user who is an officer or admin with these areas ('*' = the whole province). */
    staff(role: 'officer' | 'admin', areas: string[], name?: string): Promise<Member>;
    /** A Telegram user who is a plain member, consented, with a name and commune unless told otherwise. */
    member(options?: MemberOptions): Promise<Member>;
  };
  /** She types `text` in her Telegram chat: the update goes through the webhook; resolves after her turn. */
  say(member: Member, text: string): Promise<void>;
  /** Texts the fake Bot API received for her chat (sendMessage texts and photo captions), in order. */
  sentTo(member: Member): string[];
  /** The sendMessage payloads for her chat, in order (link_preview_options, reply_markup...). */
  messagesTo(member: Member): Record<string, unknown>[];
  /** The last sign-in link the bot sent her (throws when none). */
  lastLink(member: Member): string;
  /**
   * Signs `page` in as her, as she would: she types "đăng nhập web", the link is read from the fake Bot API, the
   * page opens it and presses the button; resolves on the console's first page.
   */
  signIn(page: Page, member: Member): Promise<void>;
  /** Waits until the outbox has nothing due (messages the console's actions queue for members). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (WEB_BASE_URL must be known before the runtime is built). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

let chatSequence = 7_100_000;
let updateSequence = 1;

export async function startWebServer(options: StartOptions = {}): Promise<WebServer> {
  const db = await freshDatabase(options.provider ?? 'sqlite');
  const api = await FakeBotApi.start();
  const clock: Clock = options.clock ?? { now: () => new Date() };
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const settings = { ...TEST_WEB_SETTINGS, ...options.settings };
  const runtime = createRuntime({
    prisma: db.prisma,
    logger: silentLogger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: 24 * HOUR,
    caseEscalationMs: 2 * HOUR,
    invitationTtlHours: 72,
    clock,
    files: { dir: tempFilesDir() },
    outbox: { rates: UNLIMITED_RATES, pollMs: 50 },
    web: { baseUrl: url, linkMinutes: settings.linkMinutes },
  });
  const channel: TelegramChannel = createTelegramChannel({
    token: TOKEN,
    apiRoot: api.apiRoot,
    mode: 'webhook',
    webhook: { secret: WEBHOOK_SECRET, path: WEBHOOK_PATH },
    gateway: runtime.bot,
    logger: silentLogger,
  });
  runtime.media.register('telegram', channel.media);
  const admin = createAdminServices({
    prisma: db.prisma,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    filesDir: tempFilesDir(),
    logger: silentLogger,
    clock,
    timeZone: 'Asia/Ho_Chi_Minh',
    runtime,
  });
  const deps: WebDeps = {
    runtime,
    admin,
    timeZone: 'Asia/Ho_Chi_Minh',
    defaultLanguage: 'vi',
    baseUrl: new URL(url),
  };
  const http: HttpServer = createHttpServer({
    host: '127.0.0.1',
    port,
    bodyLimitBytes: 1024 * 1024,
    logger: silentLogger,
    routes: [channel.route!],
    readRoutes: catalogueRoutes({
      products: runtime.products,
      areas: runtime.areas,
      t: runtime.localisation.translator('vi'),
      publicBaseUrl: undefined,
      maxAgeSeconds: 0,
    }),
    plugins: [
      createCataloguePages({
        products: runtime.products,
        areas: runtime.areas,
        translator: runtime.localisation.translator,
        publicBaseUrl: undefined,
        maxAgeSeconds: 0,
      }),
      createWebConsole({
        ...deps,
        logger: silentLogger,
        settings,
        clock,
        ...(options.routes ? { routes: [...consolePages(deps), ...options.routes(deps)] } : {}),
      }),
    ],
    health: async () => ({ ok: true }),
  });
  await http.start();
  runtime.outbox.start();
  runtime.broadcastDispatcher.start();

  const chatOf = (member: Member) => Number(member.channelUserId);
  const messagesTo = (member: Member) =>
    api.requests
      .filter((r) => (r.method === 'sendMessage' || r.method === 'sendPhoto') && r.body.chat_id === chatOf(member))
      .map((r) => r.body);

  async function newTelegramMember(language: Language): Promise<Member> {
    return runtime.members.create({ channel: 'telegram', channelUserId: String(++chatSequence), language });
  }

  const server: WebServer = {
    url,
    runtime,
    deps,
    db,
    api,
    web: {
      async staff(role, areas, name) {
        const member = await newTelegramMember('vi');
        await runtime.members.update(member.id, {
          displayName: name ?? `Cán bộ ${chatSequence}`,
          consentAt: clock.now(),
        });
        await runtime.officers.assign(member.id, role, areas);
        return (await runtime.members.findById(member.id))!;
      },
      async member(o = {}) {
        const member = await newTelegramMember(o.language ?? 'vi');
        const consented = o.consented !== false;
        await runtime.members.update(member.id, {
          displayName: o.name ?? `Hội viên ${chatSequence}`,
          communeCode: o.commune ?? '05443',
          ...(o.phone === undefined ? {} : { phone: o.phone }),
          ...(consented ? { consentAt: clock.now() } : {}),
        });
        if (consented) {
          for (const purpose of new Set(['profile', ...(o.purposes ?? ['announcements'])])) {
            await runtime.db.memberConsent.create({ data: { memberId: member.id, purpose, givenAt: clock.now() } });
          }
        }
        return (await runtime.members.findById(member.id))!;
      },
    },
    async say(member, text) {
      const chat = chatOf(member);
      const id = ++updateSequence;
      const response = await fetch(url + WEBHOOK_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
        body: JSON.stringify({
          update_id: id,
          message: {
            message_id: id + 10_000,
            date: Math.floor(clock.now().getTime() / 1000),
            from: { id: chat, is_bot: false, first_name: member.displayName ?? 'Chị', language_code: 'vi' },
            chat: { id: chat, type: 'private', first_name: member.displayName ?? 'Chị' },
            text,
          },
        }),
      });
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    },
    sentTo(member) {
      return messagesTo(member).map((body) => {
        const text = body.text ?? body.caption;
        return typeof text === 'string' ? text : '';
      });
    },
    messagesTo,
    lastLink(member) {
      const links = server
        .sentTo(member)
        .flatMap((text) => [...text.matchAll(/https?:\/\/\S+\/console\/sign-in\?token=[\w%-]+/g)].map((m) => m[0]));
      const link = links.at(-1);
      if (link === undefined) throw new Error('the bot sent her no sign-in link');
      return link;
    },
    async signIn(page, member) {
      await server.say(member, 'đăng nhập web');
      await page.goto(server.lastLink(member));
      await Promise.all([
        page.waitForURL((u) => !u.pathname.startsWith('/console/sign-in')),
        page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click(),
      ]);
    },
    async settle() {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const due = await runtime.db.notification.count({ where: { status: 'pending', held: null } });
        if (due === 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the outbox did not send everything within 10 s');
    },
    async close() {
      await http.close();
      await channel.stop();
      await runtime.broadcastDispatcher.stop();
      await runtime.outbox.stop();
      await runtime.jobs.stop();
      await api.close();
      await db.close();
    },
  };
  return server;
}
