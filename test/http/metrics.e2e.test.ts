// GET /metrics as an operator's Prometheus sees it: the real bot (every feature, SQLite) behind the Telegram webhook,
// the Bot API faked at its HTTP seam, the metrics on their own loopback listener and (with a token) on the main
// server. Updates handled, a duplicate, forged and broken requests; then the scrape is read like Grafana would.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/index.ts';
import { createOperationalStats } from '../../src/data/operationalStats.ts';
import {
  createMetricsListener,
  createPrometheusMetrics,
  GAUGE_CACHE_MS,
  type MetricsListener,
  type PrometheusMetrics,
} from '../../src/http/metrics.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createRuntime } from '../../src/wiring.ts';
import { AREAS_FILE, HOUR, silentLogger, TestClock, UNLIMITED_RATES } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { tempFilesDir } from '../helpers/photos.ts';
import { blocked, FakeBotApi, TOKEN } from '../channels/telegram/fake-bot-api.ts';
import { CHAT_ID, textUpdate } from '../channels/telegram/fakes.ts';

const SECRET = 'metrics-e2e-secret-0123456789';
const METRICS_TOKEN = 'scrape-token-abcdef0123456789';
const PATH = '/telegram/webhook';
const BODY_LIMIT = 16 * 1024;

let db: FreshDatabase;
let api: FakeBotApi;
let channel: TelegramChannel;
let server: HttpServer;
let listener: MetricsListener;
let prometheus: PrometheusMetrics;
let baseUrl: string;
let metricsUrl: string;
let clock: TestClock;
/** The gauges' cache clock (ms), moved by the test. */
let cacheNow = 1_000_000;

async function start(options: { token?: string }): Promise<void> {
  db = await freshDatabase();
  api = await FakeBotApi.start();
  clock = new TestClock();
  prometheus = createPrometheusMetrics({ logger: silentLogger, now: () => cacheNow });
  const runtime = createRuntime({
    prisma: db.prisma,
    logger: silentLogger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: 24 * HOUR,
    clock,
    files: { dir: tempFilesDir() },
    outbox: { rates: UNLIMITED_RATES },
    metrics: prometheus.metrics,
  });
  prometheus.useStats(createOperationalStats(runtime.db, () => clock.now()));
  channel = createTelegramChannel({
    token: TOKEN,
    apiRoot: api.apiRoot,
    mode: 'webhook',
    webhook: { secret: SECRET, path: PATH },
    gateway: runtime.bot,
    logger: silentLogger,
  });
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: BODY_LIMIT,
    logger: silentLogger,
    routes: [channel.route!],
    health: async () => ({ ok: true }),
    metrics: prometheus.metrics,
    ...(options.token === undefined ? {} : { scrape: { ...prometheus, token: options.token } }),
  });
  baseUrl = `http://127.0.0.1:${(await server.start()).port}`;
  listener = createMetricsListener({
    host: '127.0.0.1',
    port: 0,
    ...(options.token === undefined ? {} : { token: options.token }),
    metrics: prometheus,
    logger: silentLogger,
  });
  const address = await listener.start();
  expect(address.host).toBe('127.0.0.1');
  metricsUrl = `http://127.0.0.1:${address.port}/metrics`;
}

afterEach(async () => {
  await listener.close();
  await server.close();
  await channel.stop();
  await api.close();
  await db.close();
});

function post(body: string, secret = SECRET): Promise<Response> {
  return fetch(baseUrl + PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body,
  });
}

async function scrape(url = metricsUrl, token?: string): Promise<string> {
  const res = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

/** The value of one sample, e.g. value(text, 'hoivien_updates_total', { channel: 'telegram', outcome: 'handled' }). */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const found = new Map([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found.get(k) === v)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics on its own loopback listener', () => {
  beforeEach(() => start({}));

  it('counts updates by outcome, times them, counts deliveries and refused requests, and names nobody', async () => {
    const before = await scrape();
    expect(value(before, 'hoivien_updates_total', { channel: 'telegram', outcome: 'handled' })).toBeUndefined();
    // Node's process metrics are there from the start.
    expect(value(before, 'hoivien_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(before).toContain('hoivien_nodejs_eventloop_lag_seconds');

    // A member writes twice; Telegram redelivers her second update.
    expect((await post(JSON.stringify(textUpdate(2001, 'Chào em')))).status).toBe(200);
    expect((await post(JSON.stringify(textUpdate(2002, 'Nguyễn Thị Lan')))).status).toBe(200);
    expect((await post(JSON.stringify(textUpdate(2002, 'Nguyễn Thị Lan')))).status).toBe(200);
    // Forged, broken and oversized requests.
    expect((await post(JSON.stringify(textUpdate(2003, 'giả mạo')), 'wrong-secret-0000000000')).status).toBe(401);
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ hello: 'world' }))).status).toBe(400);
    expect((await post(JSON.stringify(textUpdate(2004, 'x'.repeat(BODY_LIMIT))))).status).toBe(413);
    const sent = api.calls('sendMessage').length;
    expect(sent).toBeGreaterThanOrEqual(2);

    const text = await scrape();
    expect(value(text, 'hoivien_updates_total', { channel: 'telegram', outcome: 'handled' })).toBe(2);
    expect(value(text, 'hoivien_updates_total', { channel: 'telegram', outcome: 'duplicate' })).toBe(1);
    expect(value(text, 'hoivien_updates_total', { channel: 'telegram', outcome: 'failed' })).toBeUndefined();
    // The histogram: two turns timed (a duplicate is not a turn), each within the 5 s bucket.
    expect(value(text, 'hoivien_update_handling_seconds_count', { channel: 'telegram' })).toBe(2);
    expect(value(text, 'hoivien_update_handling_seconds_bucket', { channel: 'telegram', le: '5' })).toBe(2);
    expect(value(text, 'hoivien_update_handling_seconds_sum', { channel: 'telegram' })).toBeGreaterThan(0);
    // Every message the fake Bot API received was counted as a sent reply.
    expect(value(text, 'hoivien_deliveries_total', { channel: 'telegram', kind: 'reply', result: 'sent' })).toBe(sent);
    for (const [reason, count] of [
      ['secret', 1],
      ['json', 1],
      ['shape', 1],
      ['tooLarge', 1],
    ] as const) {
      expect(value(text, 'hoivien_webhook_refused_total', { route: 'telegram', reason }), reason).toBe(count);
    }
    // Nothing is waiting.
    expect(value(text, 'hoivien_outbox_waiting_messages', { state: 'due' })).toBe(0);
    expect(value(text, 'hoivien_broadcast_deliveries_waiting')).toBe(0);

    // No member, chat or message id, no name, text or secret anywhere in the scrape.
    const member = await db.prisma.member.findFirstOrThrow();
    for (const secretThing of [
      String(CHAT_ID),
      member.id,
      'Lan',
      'Nguyễn',
      'Chào em',
      'giả mạo',
      '2001',
      '2002',
      SECRET,
      TOKEN,
    ]) {
      expect(text.includes(secretThing), secretThing).toBe(false);
    }
    // Every label value is a word from a closed set.
    const labelValues = new Set([...text.matchAll(/\w+="([^"]*)"/g)].map((m) => m[1]));
    for (const labelValue of labelValues) expect(labelValue).toMatch(/^[a-zA-Z0-9_.+\-:]*$/);
  });

  it('shows the outbox depth and the age of the oldest waiting message, read at most once per cache period', async () => {
    expect((await post(JSON.stringify(textUpdate(3001, 'Chào em')))).status).toBe(200);
    const first = await scrape();
    expect(value(first, 'hoivien_outbox_waiting_messages', { state: 'unreachable' })).toBe(0);

    // She blocked the bot: her next replies wait in the outbox, held until she writes again.
    api.reply('sendMessage', blocked);
    expect((await post(JSON.stringify(textUpdate(3002, 'Lan')))).status).toBe(200);
    clock.advance(90_000);
    // Within the cache period the gauges still show the last read: a scrape storm does not reach the database.
    const cached = await scrape();
    expect(value(cached, 'hoivien_outbox_waiting_messages', { state: 'unreachable' })).toBe(0);

    cacheNow += GAUGE_CACHE_MS;
    const fresh = await scrape();
    expect(value(fresh, 'hoivien_outbox_waiting_messages', { state: 'unreachable' })).toBe(1);
    expect(value(fresh, 'hoivien_outbox_oldest_waiting_seconds', { state: 'unreachable' })).toBe(90);
    expect(value(fresh, 'hoivien_outbox_waiting_messages', { state: 'due' })).toBe(0);
    expect(
      value(fresh, 'hoivien_deliveries_total', { channel: 'telegram', kind: 'reply', result: 'unreachable' }),
    ).toBe(1);
  });

  it('answers only GET /metrics, and the main server has no /metrics without a token', async () => {
    expect((await fetch(metricsUrl.replace('/metrics', '/healthz'))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${baseUrl}/metrics`)).status).toBe(404);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  beforeEach(() => start({ token: METRICS_TOKEN }));

  it('requires the bearer token on the listener and serves /metrics on the main server behind it', async () => {
    for (const url of [metricsUrl, `${baseUrl}/metrics`]) {
      expect((await fetch(url)).status, url).toBe(401);
      const wrong = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
      expect(wrong.status, url).toBe(401);
      expect(await wrong.text()).not.toContain('hoivien_');
      const basic = await fetch(url, { headers: { authorization: `Basic ${METRICS_TOKEN}` } });
      expect(basic.status, url).toBe(401);
      expect(await scrape(url, METRICS_TOKEN)).toContain('hoivien_updates_total');
    }
  });
});
