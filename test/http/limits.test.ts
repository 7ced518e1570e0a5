// The HTTP server against slow and hostile clients: a webhook's secret is checked before its body is read, headers
// and bodies have deadlines, connections are capped (beyond the cap a new one is closed at once), and a shutdown cuts
// a request still sending its body. Timeouts are small here; the defaults are in HTTP_DEFAULTS.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/conversation/ports.ts';
import { headerValue, type WebhookRoute } from '../../src/http/routes.ts';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../src/http/server.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

let server: HttpServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

/** A webhook that wants `x-secret: s3cret`, and records what reached its handler. */
function secretRoute() {
  const handled: Buffer[] = [];
  const route: WebhookRoute = {
    method: 'POST',
    path: '/hook',
    authorize: (headers) =>
      headerValue(headers, 'x-secret') === 's3cret' ? undefined : { status: 401, body: { error: 'unauthorized' } },
    handle: async ({ rawBody }) => {
      handled.push(rawBody);
      return { status: 200, body: { ok: true } };
    },
  };
  return { route, handled };
}

async function start(options: Partial<HttpServerOptions>): Promise<number> {
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 1024 * 1024,
    logger: quiet,
    routes: [],
    health: async () => ({ ok: true }),
    ...options,
  });
  return (await server.start()).port;
}

interface RawConnection {
  socket: Socket;
  /** Everything the server sent. */
  received: () => string;
  /** Resolves with the ms from `since` (default: connection) to the server closing the connection. */
  closed: Promise<number>;
}

/** A raw TCP connection that writes `data` and keeps the connection open (a slow client). */
function rawConnection(port: number, data = ''): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)));
    socket.once('error', () => {}); // a reset is a way of being closed
    socket.once('connect', () => {
      if (data !== '') socket.write(data);
      resolve({ socket, received: () => received, closed });
    });
    socket.once('error', reject);
  });
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'still open'> =>
  Promise.race([promise, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms))]);

const postHeaders = (headers: Record<string, string>, length: number) =>
  `POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n` +
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  '\r\n';

describe('HTTP limits', () => {
  it('refuses a request without the secret before its body is read: 401 at once and the connection closed', async () => {
    const { route, handled } = secretRoute();
    const port = await start({ routes: [route], bodyTimeoutMs: 10_000 });
    for (const headers of [{}, { 'x-secret': 'wrong' }] as Record<string, string>[]) {
      // A 100 kB body announced, 10 bytes sent: the server must not wait for the rest.
      const conn = await rawConnection(port, postHeaders(headers, 100_000) + '{"update":');
      const ms = await within(conn.closed, 2_000);
      expect(ms).not.toBe('still open');
      expect(ms).toBeLessThan(1_000);
      expect(conn.received()).toMatch(/^HTTP\/1\.1 401 /);
      expect(conn.received().toLowerCase()).toContain('connection: close');
    }
    expect(handled).toEqual([]);
  });

  it('cuts an authorized request whose body does not arrive within the body timeout', async () => {
    const { route, handled } = secretRoute();
    const port = await start({ routes: [route], bodyTimeoutMs: 300 });
    const conn = await rawConnection(port, postHeaders({ 'x-secret': 's3cret' }, 1_000) + '{"a":');
    const ms = await within(conn.closed, 3_000);
    expect(ms).not.toBe('still open');
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(1_500);
    expect(handled).toEqual([]);
    // A prompt client is served as before.
    const ok = await fetch(`http://127.0.0.1:${port}/hook`, {
      method: 'POST',
      headers: { 'x-secret': 's3cret' },
      body: '{}',
    });
    expect(ok.status).toBe(200);
  });

  it('cuts a client that sends its headers too slowly (408), and one whose whole request takes too long', async () => {
    const { route } = secretRoute();
    const port = await start({ routes: [route], headersTimeoutMs: 300, requestTimeoutMs: 600, bodyTimeoutMs: 5_000 });
    const headers = await rawConnection(port, 'POST /hook HTTP/1.1\r\nHost: bot\r\n');
    const headersMs = await within(headers.closed, 3_000);
    expect(headersMs).not.toBe('still open');
    expect(headersMs).toBeLessThan(1_500);
    expect(headers.received()).toMatch(/^HTTP\/1\.1 408 /);

    // Headers in time, then the body trickles: the request deadline (600 ms) ends it before the body timeout (5 s).
    const trickle = await rawConnection(port, postHeaders({ 'x-secret': 's3cret' }, 1_000));
    const timer = setInterval(() => trickle.socket.write('x'), 50);
    const trickleMs = await within(trickle.closed, 3_000);
    clearInterval(timer);
    expect(trickleMs).not.toBe('still open');
    expect(trickleMs).toBeLessThan(2_000);
  });

  it('serves a real request with slow connections open up to the cap minus ten; beyond the cap refuses at once', async () => {
    const cap = 40;
    const { route, handled } = secretRoute();
    const port = await start({ routes: [route], maxConnections: cap, bodyTimeoutMs: 10_000 });
    const slow = await Promise.all(
      Array.from({ length: cap - 10 }, () => rawConnection(port, postHeaders({ 'x-secret': 's3cret' }, 1_000) + '{')),
    );
    const ok = await fetch(`http://127.0.0.1:${port}/hook`, {
      method: 'POST',
      headers: { 'x-secret': 's3cret' },
      body: '{"n":1}',
    });
    expect(ok.status).toBe(200);
    expect(handled.map(String)).toEqual(['{"n":1}']);

    // 20 more: the server has room for about 9 (the fetch may keep its connection); the rest are closed at once.
    const extra = await Promise.all(Array.from({ length: 20 }, () => rawConnection(port)));
    const outcomes = await Promise.all(extra.map((conn) => within(conn.closed, 500)));
    const refused = outcomes.filter((ms) => ms !== 'still open');
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(refused.length).toBeLessThanOrEqual(11);
    expect(extra.every((conn) => conn.received() === '')).toBe(true);
    // The slow ones under the cap were not disturbed.
    expect((await Promise.all(slow.map((conn) => within(conn.closed, 0)))).every((r) => r === 'still open')).toBe(true);
  });

  it('on close, cuts a request still sending its body and resolves promptly', async () => {
    const { route, handled } = secretRoute();
    const port = await start({ routes: [route], bodyTimeoutMs: 30_000 });
    const upload = await rawConnection(port, postHeaders({ 'x-secret': 's3cret' }, 500_000) + 'x'.repeat(1_000));
    const idle = await rawConnection(port);
    const started = Date.now();
    await within(server!.close(), 3_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await within(upload.closed, 1_000)).not.toBe('still open');
    expect(await within(idle.closed, 1_000)).not.toBe('still open');
    expect(handled).toEqual([]);
  });
});
