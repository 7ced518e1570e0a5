// Starts the bot: `npm start`. With no channel configured it chats in the terminal (console channel) on the
// embedded SQLite database, so a newcomer can try it with zero set-up; with HTTP_ENABLED=true (and no channel) it
// serves only the HTTP server instead: the public catalogue and /healthz. Otherwise it serves every configured channel
// at once — Telegram, Zalo Official Account, Zalo Bot Platform — behind the one HTTP server (webhooks, the public
// catalogue of product listings, /healthz) until SIGTERM/SIGINT.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { consoleMedia, runConsole } from './channels/console/console.ts';
import { createTelegramChannel } from './channels/telegram/index.ts';
import { createZaloBotChannel } from './channels/zalo/bot/index.ts';
import { createZaloOaChannel } from './channels/zalo/oa/index.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { ChannelName, MediaSource } from './conversation/messages.ts';
import { loggableError, type Logger } from './conversation/ports.ts';
import { zaloOaTokenJob } from './app/jobs/index.ts';
import { loadAreaDirectory } from './data/areasFile.ts';
import { createCredentialStore } from './data/credentialStore.ts';
import { openDatabase, redactUrl, type PrismaClient } from './data/database.ts';
import {
  DatabaseMissingError,
  DatabaseUnreachableError,
  SchemaBehindError,
  ensureMigrated,
} from './data/migrations.ts';
import { DEFAULT_PROGRAMMES_FILE, loadProgrammes } from './data/programmeStore.ts';
import { loadCourseSupport } from './data/courseSupportFile.ts';
import type { JobDefinition } from './domain/jobs.ts';
import { ROLES, type Language, type Role } from './domain/member.ts';
import { WHOLE_PROVINCE } from './domain/officers.ts';
import { catalogueRoutes } from './http/catalogue.ts';
import type { WebhookRoute } from './http/routes.ts';
import { createHttpServer, type HttpPlugin, type HttpServer } from './http/server.ts';
import { createMetricsListener, createPrometheusMetrics } from './http/metrics.ts';
import { createOperationalStats } from './data/operationalStats.ts';
import { createLogger } from './logger.ts';
import { createAdminServices, createRuntime, type Runtime } from './wiring.ts';
import { createCataloguePages } from './web/catalogue/index.ts';
import { createWebConsole } from './web/console.ts';

/** Where the terminal chat's logs go when standard error is the terminal and LOG_FILE is not set. */
const CONSOLE_LOG_FILE = 'data/console.log';

function parseCli(argv: string[]): { console: boolean; role: Role | undefined } {
  const { values } = parseArgs({
    args: argv,
    options: { console: { type: 'boolean', default: false }, as: { type: 'string' } },
    strict: true,
  });
  if (values.as !== undefined && !(ROLES as readonly string[]).includes(values.as)) {
    throw new ConfigError([`--as: must be one of ${ROLES.join(', ')}`]);
  }
  return { console: values.console, role: values.as as Role | undefined };
}

/** One running channel, whatever its platform. */
interface Channel {
  name: string;
  /** Members' channel name (the channel connected its delivery to the outbox when it was created). */
  channel: ChannelName;
  /** How the bot fetches the photos members send on this channel. */
  media: MediaSource;
  /** e.g. "polling", "webhook" (for the start-up log line). */
  mode: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  route?: WebhookRoute;
  /** Counters shown in /healthz details (no personal data). */
  stats?: () => object;
  /** Recurring work of this channel, run by the job runner. */
  jobs?: JobDefinition[];
}

/** The channels the configuration turns on (none: the console). */
function createChannels(deps: {
  config: Config;
  runtime: Runtime;
  prisma: PrismaClient;
  logger: Logger;
  onFatal: (error: unknown) => void;
}): Channel[] {
  const { config, runtime, logger } = deps;
  const channels: Channel[] = [];
  if (config.telegram) {
    const telegram = config.telegram;
    const channel = createTelegramChannel({
      token: telegram.token,
      apiRoot: telegram.apiRoot,
      mode: telegram.mode,
      ...(telegram.webhook ? { webhook: telegram.webhook } : {}),
      gateway: runtime.bot,
      logger,
      onPollingError: deps.onFatal,
      albums: { store: runtime.pendingParts, gapMs: config.files.albumGapMs },
      storedPhotos: runtime.storedPhotos,
    });
    channels.push({
      name: 'telegram',
      channel: 'telegram',
      media: channel.media,
      mode: telegram.mode,
      start: () => channel.start(),
      stop: () => channel.stop(),
      ...(channel.route ? { route: channel.route } : {}),
    });
  }
  if (config.zaloOa) {
    const oa = config.zaloOa;
    const channel = createZaloOaChannel({
      appId: oa.appId,
      oaSecretKey: oa.oaSecretKey,
      appSecret: oa.appSecret,
      webhookPath: oa.webhookPath,
      apiBase: oa.apiBase,
      oauthBase: oa.oauthBase,
      credentials: createCredentialStore(runtime.db), // token swaps never join a turn
      gateway: runtime.bot,
      logger,
      // The database's inbound log: an unfollow or withdrawal redelivered (even to another instance) acts once.
      claimEvent: (eventId) => runtime.inbound.claim('zalo', eventId),
      // Events are stored before the webhook answers and processed from the database (a restart resumes them).
      events: runtime.inboundEvents,
      // Stable across restarts, unique among running instances (one HTTP port per host): a restarted bot takes back
      // at once the events it was working on when it died.
      processing: { ...config.inbound, instanceId: `${hostname()}:${config.http.port}` },
      maxEventAgeMs: oa.eventMaxAgeMs,
      storedPhotos: runtime.storedPhotos,
    });
    channels.push({
      name: 'zalo-oa',
      channel: 'zalo',
      media: channel.media,
      mode: 'webhook',
      start: () => channel.start(),
      stop: () => channel.stop(),
      route: channel.route,
      stats: () => channel.stats(),
      jobs: [zaloOaTokenJob(() => channel.refreshTokenIfDue())],
    });
  }
  if (config.zaloBot) {
    const bot = config.zaloBot;
    const channel = createZaloBotChannel({
      token: bot.token,
      apiBase: bot.apiBase,
      mode: bot.mode,
      ...(bot.webhook
        ? {
            webhook: {
              secret: bot.webhook.secret,
              path: bot.webhook.path,
              ...(bot.webhook.publicUrl ? { publicUrl: bot.webhook.publicUrl } : {}),
            },
          }
        : {}),
      gateway: runtime.bot,
      logger,
    });
    channels.push({
      name: 'zalo-bot',
      channel: 'zalobot',
      media: channel.media,
      mode: bot.mode,
      start: () => channel.start(),
      stop: () => channel.stop(),
      ...(channel.route ? { route: channel.route } : {}),
      stats: () => channel.stats(),
    });
  }
  return channels;
}

/**
 * `--as officer|admin` in the terminal: the local person plays that role for the whole province, so the notification
 * and claim flow can be tried on one machine (run once as an officer, then as a member, then as the officer again).
 * Recorded in the audit log like any role change.
 */
async function playRole(runtime: Runtime, userId: string, role: Role, language: Language): Promise<void> {
  const member =
    (await runtime.members.findByChannelUser('console', userId)) ??
    (await runtime.members.create({ channel: 'console', channelUserId: userId, language }));
  if (member.role === role) return;
  await runtime.officers.assign(member.id, role, [WHOLE_PROVINCE]);
  await runtime.audit.record({ actor: 'console', action: 'officer.console', subject: member.id, details: { role } });
}

/** The public catalogue's pages' address told to buyers in chat: PUBLIC_BASE_URL, else WEB_BASE_URL, + /catalogue. */
function catalogueUrlOf(config: Config): string | undefined {
  const base = config.catalogue.publicBaseUrl ?? config.web?.baseUrl;
  return base === undefined ? undefined : `${base}/catalogue`;
}

/** The public catalogue's JSON routes (read-only, cached ≤ 60 s). */
function publicCatalogueRoutes(config: Config, runtime: Runtime) {
  return catalogueRoutes({
    products: runtime.products,
    areas: runtime.areas,
    t: runtime.localisation.translator('vi'),
    publicBaseUrl: config.catalogue.publicBaseUrl,
    maxAgeSeconds: config.catalogue.maxAgeSeconds,
  });
}

/**
 * The sites with pages on the HTTP server: the public catalogue's pages, and the web console for officers and admins
 * when WEB_BASE_URL is set (README "Web console"), on the bot's runtime (its services, its clock).
 */
function sitePlugins(config: Config, runtime: Runtime, prisma: PrismaClient, logger: Logger): HttpPlugin[] {
  return [
    // The public catalogue's pages (HTML for phones; the JSON routes stay for the Union's other sites).
    createCataloguePages({
      products: runtime.products,
      areas: runtime.areas,
      translator: runtime.localisation.translator,
      publicBaseUrl: config.catalogue.publicBaseUrl,
      maxAgeSeconds: config.catalogue.maxAgeSeconds,
      // The bot's chat addresses (TELEGRAM_BOT_USERNAME, ZALO_OA_URL) for products whose seller keeps her phone private.
      chatLinks: {
        ...(config.chatLinks.telegram === undefined ? {} : { telegram: config.chatLinks.telegram }),
        ...(config.chatLinks.zalo === undefined ? {} : { zalo: config.chatLinks.zalo }),
      },
    }),
    ...(config.web
      ? [
          createWebConsole({
            runtime,
            admin: createAdminServices({
              prisma,
              areasFile: config.areasFile,
              defaultLanguage: config.defaultLanguage,
              filesDir: config.files.dir,
              logger,
              broadcasts: config.broadcasts,
              timeZone: config.cases.timeZone,
              runtime,
            }),
            timeZone: config.cases.timeZone,
            defaultLanguage: config.defaultLanguage,
            baseUrl: new URL(config.web.baseUrl),
            logger,
            settings: config.web,
          }),
        ]
      : []),
  ];
}

/**
 * Stop on SIGTERM/SIGINT (a process manager, a container, Ctrl+C): logs "shutting down", runs `stop` (stop accepting,
 * let the work in progress finish) within `timeoutMs` (SHUTDOWN_TIMEOUT_MS), logs "stopped" and exits with 0 (or the
 * code given to `shutdown`); past the bound it exits with 1. A second signal exits at once (1). A turn is one
 * transaction, so work cut short is either committed or redelivered by the platform (its webhook was not
 * acknowledged); a Zalo OA event was stored before it was acknowledged, and the next start takes it back
 * (conversation/inboundEvents.ts); a message in the outbox goes out after the next start.
 */
function onStopSignals(
  logger: Logger,
  timeoutMs: number,
  stop: () => Promise<void>,
): { shutdown: (code: number) => Promise<void>; stopping: () => boolean } {
  let stopping = false;
  async function shutdown(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({ timeoutMs }, 'shutting down');
    const bound = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long, exiting with work unfinished');
      process.exit(1);
    }, timeoutMs);
    bound.unref();
    await stop();
    logger.info({}, 'stopped');
    process.exit(code);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    void shutdown(0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { shutdown, stopping: () => stopping };
}

async function main(): Promise<number> {
  let config: Config;
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2));
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  // No channel: the terminal chat, unless HTTP_ENABLED=true asks for the HTTP server (the catalogue, /healthz).
  const consoleMode = cli.console || (!config.telegram && !config.zaloOa && !config.zaloBot && !config.http.enabled);
  // In the terminal, only problems are logged, and never into the chat: when standard error is the same terminal as
  // the conversation, logs go to a file (LOG_FILE, default data/console.log); redirected, they stay on standard error.
  const logFile = config.logFile ?? (consoleMode && process.stderr.isTTY ? CONSOLE_LOG_FILE : undefined);
  const logger = createLogger(config.logLevel ?? (consoleMode ? 'warn' : 'info'), logFile);

  // Instances starting together migrate once (the others wait for the lock); a current schema is not touched, so a
  // second process beside a running bot starts too.
  let applied: string[];
  try {
    applied = await ensureMigrated(config.databaseUrl, { whenLocked: 'wait', createDatabase: config.databaseCreate });
  } catch (error) {
    const known =
      error instanceof DatabaseMissingError ||
      error instanceof DatabaseUnreachableError ||
      error instanceof SchemaBehindError;
    if (!known) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (applied.length > 0) logger.info({ applied, database: redactUrl(config.databaseUrl) }, 'migrations applied');
  const db = await openDatabase(config.databaseUrl);
  const role = cli.role ?? config.console.role;
  const areas = await loadAreaDirectory(db.prisma, config.areasFile);
  logger.info({ areas: areas.source }, 'communes and wards loaded');
  const programmes = await loadProgrammes(db.prisma, DEFAULT_PROGRAMMES_FILE);
  logger.info({ programmes: programmes.source }, 'loan programme data loaded');
  // A wrong support file stops the bot here, naming the file and each problem with its line.
  const coursePolicy = loadCourseSupport(config.courses.supportFile);
  // GET /metrics (Prometheus; README "Metrics"): not in the terminal chat.
  const prometheus = consoleMode ? undefined : createPrometheusMetrics({ logger });
  const runtime = createRuntime({
    prisma: db.prisma,
    logger,
    areasFile: config.areasFile,
    areas: areas.directory,
    programmes: programmes.data,
    defaultLanguage: config.defaultLanguage,
    conversationTimeoutMs: config.conversationTimeoutMs,
    turns: config.turns,
    timeZone: config.cases.timeZone,
    caseEscalationMs: config.cases.escalationMs,
    invitationTtlHours: config.cases.invitationTtlHours,
    files: config.files,
    digestHour: config.cases.digestHour,
    courses: {
      policy: coursePolicy,
      offerHours: config.courses.offerHours,
      reminderHour: config.courses.reminderHour,
    },
    products: {
      draftDays: config.products.draftDays,
      reportsPerDay: config.products.reportsPerDay,
      ocopHour: config.products.ocopHour,
      ...(config.products.reporterSecret === undefined ? {} : { reporterSecret: config.products.reporterSecret }),
    },
    inboundRetentionMs: config.inboundRetentionMs,
    broadcasts: config.broadcasts,
    jobs: config.jobs,
    // Named like the Zalo OA processing below: a restarted bot sends at once what it was sending when it died.
    outbox: { ...config.outbox, instanceId: `${hostname()}:${config.http.port}` },
    retention: config.retention,
    ...(prometheus ? { metrics: prometheus.metrics } : {}),
    ...(config.web ? { web: { baseUrl: config.web.baseUrl, linkMinutes: config.web.linkMinutes } } : {}),
    ...(catalogueUrlOf(config) === undefined ? {} : { catalogueUrl: catalogueUrlOf(config) }),
  });
  // The gauges read through the ambient client (on SQLite: queued like any statement outside a turn).
  prometheus?.useStats(createOperationalStats(runtime.db));

  if (consoleMode) {
    const t = runtime.localisation.translator(config.defaultLanguage);
    const userId = config.console.userId ?? `local-${role ?? 'member'}`;
    if (role && role !== 'member') await playRole(runtime, userId, role, config.defaultLanguage);
    runtime.media.register('console', consoleMedia);
    // A signal (Ctrl+C, a process manager) stops reading, lets the message being handled finish with its replies,
    // then stops as end of input does; both within SHUTDOWN_TIMEOUT_MS.
    const reading = new AbortController();
    let chat: Promise<void> = Promise.resolve();
    // With WEB_BASE_URL set, the web console (and the catalogue) run beside the terminal chat: "đăng nhập web" typed
    // here prints a link that works (README "Web console", trying it locally).
    const site = config.web
      ? createHttpServer({
          ...config.http,
          logger,
          routes: [],
          readRoutes: publicCatalogueRoutes(config, runtime),
          plugins: sitePlugins(config, runtime, db.prisma, logger),
          health: async () => ({ ok: true }),
        })
      : undefined;
    const stopConsole = async (): Promise<void> => {
      await chat.catch(() => undefined);
      await site?.close().catch(() => undefined);
      await runtime.jobs.stop().catch(() => undefined);
      await runtime.broadcastDispatcher.stop().catch(() => undefined);
      await runtime.outbox.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
    };
    const shutdown = onStopSignals(logger, config.shutdownTimeoutMs, async () => {
      reading.abort();
      await stopConsole();
    });
    await runtime.jobs.start();
    runtime.outbox.start();
    runtime.broadcastDispatcher.start();
    if (site) {
      try {
        const { port } = await site.start();
        process.stderr.write(`${t('web:console.listening', { url: config.web?.baseUrl, port })}\n`);
      } catch (error) {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        await stopConsole();
        return 1;
      }
    }
    chat = runConsole({
      gateway: runtime.bot,
      input: process.stdin,
      output: process.stdout,
      userId,
      stop: reading.signal,
      storedPhotos: runtime.storedPhotos,
      ...(process.stdin.isTTY ? { hint: t('console:hint') } : {}),
    });
    await chat;
    // Stopped by a signal: the shutdown finishes the work and exits.
    if (shutdown.stopping()) return await new Promise<number>(() => undefined);
    await stopConsole();
    return 0;
  }

  const channels: Channel[] = createChannels({
    config,
    runtime,
    prisma: db.prisma,
    logger,
    onFatal: (error) => {
      logger.error({ err: loggableError(error) }, 'a channel stopped');
      void shutdown(1);
    },
  });
  const http: HttpServer = createHttpServer({
    ...config.http,
    logger,
    ...(prometheus ? { metrics: prometheus.metrics } : {}),
    // With a token, /metrics is on the main server too (behind it).
    ...(prometheus && config.metrics.token ? { scrape: { ...prometheus, token: config.metrics.token } } : {}),
    routes: channels.flatMap((channel) => (channel.route ? [channel.route] : [])),
    // The public catalogue of approved product listings and their photos (read-only, cached ≤ 60 s).
    readRoutes: publicCatalogueRoutes(config, runtime),
    plugins: sitePlugins(config, runtime, db.prisma, logger),
    health: async () => {
      // Public: counts only (failed and overdue jobs); `npm run admin -- jobs` shows which, with their errors.
      const jobs = await runtime.jobs.health();
      // Stored Zalo OA events waiting or kept as failed (counts only).
      const inboundEvents = config.zaloOa ? { inboundEvents: await runtime.inboundEvents.counts('zalo') } : {};
      const details = Object.fromEntries(
        channels.flatMap((channel) => (channel.stats ? [[channel.name, channel.stats()]] : [])),
      );
      return { ok: true, details: { jobs, ...inboundEvents, ...details } };
    },
  });
  for (const channel of channels) for (const job of channel.jobs ?? []) runtime.jobs.define(job);
  const metricsListener =
    prometheus && config.metrics.port !== 0
      ? createMetricsListener({
          host: config.metrics.host,
          port: config.metrics.port,
          ...(config.metrics.token ? { token: config.metrics.token } : {}),
          metrics: prometheus,
          logger,
        })
      : undefined;

  const { shutdown } = onStopSignals(logger, config.shutdownTimeoutMs, async () => {
    // In this order, all within the bound: the HTTP server stops accepting (no new webhook deliveries; the requests
    // being handled finish, their turns' replies sent); the job in progress finishes and each channel stops taking
    // updates (polling ends, stored Zalo OA events wait for the next start) and lets its turns in progress finish,
    // with their replies and pushes, which the gateway sends right after each commit; then the outbox's dispatcher
    // stops after the sends in progress, the broadcast dispatcher first (its deliveries under way finish, the rest of
    // its batch is let go). Whatever is not sent by then is stored and goes out after the next start.
    await http.close().catch(() => undefined);
    await runtime.jobs.stop().catch(() => undefined);
    await Promise.all(channels.map((channel) => channel.stop().catch(() => undefined)));
    await runtime.broadcastDispatcher.stop().catch(() => undefined);
    await runtime.outbox.stop().catch(() => undefined);
    await metricsListener?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
  });

  const address = await http.start();
  // Metrics are not worth a member's reply: a taken port (a second instance on this host) logs and goes on without.
  await metricsListener?.start().catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    logger.warn({ port: config.metrics.port, errCode: code }, 'metrics listener not started (set METRICS_PORT)');
  });
  try {
    for (const channel of channels) {
      runtime.media.register(channel.channel, channel.media);
      await channel.start();
    }
    // After the channels: the dispatcher sends what waited (a crash, a 5xx, a 429) through them.
    runtime.outbox.start();
    // Beside the outbox, sharing its limits: the broadcasts' deliveries (several instances are safe).
    runtime.broadcastDispatcher.start();
    await runtime.jobs.start();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    await shutdown(1);
  }
  logger.info(
    { ...address, channels: Object.fromEntries(channels.map((channel) => [channel.name, channel.mode])) },
    'bot started',
  );
  return await new Promise<number>(() => undefined); // runs until a signal
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
