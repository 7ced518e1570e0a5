// The Prometheus adapter of the core's Metrics port (src/conversation/ports.ts), and the way `GET /metrics` is served.
// prom-client stays inside this file. Its own Registry (never the library's global one, so two runtimes in one test
// process do not clash), every name prefixed `hoivien_`, and Node's default process metrics (CPU, RSS, heap, event
// loop lag, GC). Labels are closed sets of words (channel, outcome, kind, result, job kind, reason, route family,
// outbox state): never a member's, chat's, case's or message's id, nor any text — the README's "Metrics" lists them.
// Gauges about the database (outbox depth and age, broadcast deliveries waiting) are read at scrape time through one
// cheap query each, cached for GAUGE_CACHE_MS so a scrape storm cannot load the database.
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger, Metrics } from '../conversation/ports.ts';
import { headerValue, type RequestHeaders } from './routes.ts';

/** The path of the scrape endpoint, on the separate listener and (with a token) on the main server. */
export const METRICS_PATH = '/metrics';

/** Database gauges are read at most once per this many ms, whatever the scrape rate. */
export const GAUGE_CACHE_MS = 5_000;

/**
 * Handling latency buckets in seconds: 1 ms to 5 s (a turn is a few ms when the machine is idle, a few hundred under
 * load on SQLite; beyond 5 s something is wrong and the +Inf bucket shows it).
 */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Messages waiting in the outbox, by state ('due', or why held: 'unreachable', 'window', 'channel'). */
export interface OutboxWaiting {
  state: string;
  count: number;
  /** Age of the oldest of them, in seconds at the time of the read. */
  oldestSeconds: number;
}

/** What the scrape-time gauges read (src/data/operationalStats.ts). Each call is one query. */
export interface OperationalStats {
  outboxWaiting(): Promise<OutboxWaiting[]>;
  /** Broadcast deliveries still to send (pending). */
  broadcastDeliveriesWaiting(): Promise<number>;
}

export interface PrometheusMetrics {
  /** Give this to the runtime (createRuntime's `metrics`): the core reports through it. */
  metrics: Metrics;
  /** The exposition text (Prometheus text format 0.0.4). Never throws: a failed gauge read keeps the last values. */
  scrape(): Promise<string>;
  /** The content-type header of `scrape()`'s text. */
  contentType: string;
  /** The registry, for tests. */
  registry: Registry;
  /** Sets (or replaces) what feeds the database gauges: the runtime's client exists only after the metrics. */
  useStats(stats: OperationalStats): void;
}

/**
 * Builds the metrics. `stats` (optional) feeds the database gauges at scrape time; `now` is the clock of their cache
 * (ms); `defaults` false leaves out Node's process metrics (tests that count lines).
 */
export function createPrometheusMetrics(
  options: { stats?: OperationalStats; logger?: Logger; now?: () => number; defaults?: boolean } = {},
): PrometheusMetrics {
  const registry = new Registry();
  const now = options.now ?? Date.now;
  let source = options.stats;
  if (options.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'hoivien_' });
  const registers = [registry];

  const updates = new Counter({
    name: 'hoivien_updates_total',
    help: 'Inbound updates handled by the gateway, by channel and outcome (handled, duplicate, failed).',
    labelNames: ['channel', 'outcome'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'hoivien_update_handling_seconds',
    help: 'Time from an update reaching the gateway to its replies queued and sent, by channel (seconds).',
    labelNames: ['channel'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const deliveries = new Counter({
    name: 'hoivien_deliveries_total',
    help: 'Messages given to a platform, by channel, kind (reply, push, broadcast) and result.',
    labelNames: ['channel', 'kind', 'result'] as const,
    registers,
  });
  const floods = new Counter({
    name: 'hoivien_flood_notices_total',
    help: 'Members who crossed the flood limit and got the one notice (their messages wait behind others), by channel.',
    labelNames: ['channel'] as const,
    registers,
  });
  const jobs = new Counter({
    name: 'hoivien_job_runs_total',
    help: 'Job runs by job kind and outcome (ok, failed: will retry, dead: failed for good).',
    labelNames: ['job', 'outcome'] as const,
    registers,
  });
  const databaseErrors = new Counter({
    name: 'hoivien_database_errors_total',
    help: 'Database calls that failed, by kind (busy, timeout, connection, conflict, constraint, other).',
    labelNames: ['kind'] as const,
    registers,
  });
  const refused = new Counter({
    name: 'hoivien_webhook_refused_total',
    help: 'Webhook requests refused before any turn, by route family and reason.',
    labelNames: ['route', 'reason'] as const,
    registers,
  });

  // Scrape-time gauges, from one cached read of the stats.
  let cached: { at: number; outbox: OutboxWaiting[]; broadcasts: number } | undefined;
  let reading: Promise<void> | undefined;
  async function readStats(): Promise<void> {
    const stats = source;
    if (stats === undefined) return;
    if (cached !== undefined && now() - cached.at < GAUGE_CACHE_MS) return;
    reading ??= (async () => {
      try {
        const [outbox, broadcasts] = await Promise.all([stats.outboxWaiting(), stats.broadcastDeliveriesWaiting()]);
        cached = { at: now(), outbox, broadcasts };
      } catch (error) {
        // Keep the last values; try again at the next scrape after the cache time.
        if (cached !== undefined) cached.at = now();
        options.logger?.warn({ errName: error instanceof Error ? error.name : typeof error }, 'metrics: stats failed');
      } finally {
        reading = undefined;
      }
    })();
    await reading;
  }
  const OUTBOX_STATES = ['due', 'unreachable', 'window', 'channel'];
  const outboxFor = (state: string) => cached?.outbox.find((row) => row.state === state);
  new Gauge({
    name: 'hoivien_outbox_waiting_messages',
    help: 'Outbox rows waiting to be sent, by state (due, or held: unreachable, window, channel). Read at scrape (cached).',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      await readStats();
      for (const state of OUTBOX_STATES) this.set({ state }, outboxFor(state)?.count ?? 0);
    },
  });
  new Gauge({
    name: 'hoivien_outbox_oldest_waiting_seconds',
    help: 'Age of the oldest outbox row waiting, by state (0 when none). Read at scrape (cached).',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      await readStats();
      for (const state of OUTBOX_STATES) this.set({ state }, outboxFor(state)?.oldestSeconds ?? 0);
    },
  });
  new Gauge({
    name: 'hoivien_broadcast_deliveries_waiting',
    help: 'Broadcast deliveries still to send. Read at scrape (cached).',
    registers,
    async collect() {
      await readStats();
      this.set(cached?.broadcasts ?? 0);
    },
  });

  const metrics: Metrics = {
    updateHandled(channel, outcome, seconds) {
      updates.inc({ channel, outcome });
      if (outcome !== 'duplicate') latency.observe({ channel }, seconds);
    },
    delivery: (channel, kind, result) => deliveries.inc({ channel, kind, result }),
    jobRun: (job, outcome) => jobs.inc({ job, outcome }),
    databaseError: (kind) => databaseErrors.inc({ kind }),
    webhookRefused: (route, reason) => refused.inc({ route, reason }),
    floodNotice: (channel) => floods.inc({ channel }),
  };

  return {
    metrics,
    registry,
    contentType: registry.contentType,
    scrape: () => registry.metrics(),
    useStats(stats) {
      source = stats;
      cached = undefined;
    },
  };
}

/**
 * Is this request allowed to read the metrics? With no token configured, yes (the separate listener is bound to a
 * loopback address unless a token is set: config.ts). With one, only `Authorization: Bearer <token>`, compared in
 * constant time (both sides hashed first, so neither length nor content leaks through timing).
 */
export function metricsAuthorized(headers: RequestHeaders, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = headerValue(headers, 'authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(given.trim());
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

export interface MetricsListener {
  start(): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
}

/**
 * The separate metrics listener (METRICS_HOST:METRICS_PORT): `GET /metrics` only (404 otherwise, 405 for another
 * method), 401 without the bearer token when one is set. A plain node:http server: it shares nothing with the
 * webhooks' server, so a flood there does not hide the metrics that would show it.
 */
export function createMetricsListener(options: {
  host: string;
  port: number;
  token?: string;
  metrics: Pick<PrometheusMetrics, 'scrape' | 'contentType'>;
  logger: Logger;
}): MetricsListener {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (!metricsAuthorized(request.headers, options.token)) {
      response.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' }).end('unauthorized\n');
      return;
    }
    options.metrics.scrape().then(
      (text) => response.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
      (error: unknown) => {
        options.logger.error({ errName: error instanceof Error ? error.name : typeof error }, 'metrics: scrape failed');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('scrape failed\n');
      },
    );
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 10_000;
  return {
    start: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          options.logger.info({ host: address.address, port: address.port }, 'metrics listener listening');
          resolve({ host: address.address, port: address.port });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
