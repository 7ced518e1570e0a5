// The HTTP server's own refusals as hoivien_webhook_refused_total counts them (route family, reason): headers too
// slow (408), a body too slow, a connection over the cap, bytes that are not HTTP. Timeouts are small here.
import { connect, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import type { Logger, Metrics } from '../../src/conversation/ports.ts';
import type { WebhookRoute } from '../../src/http/routes.ts';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../src/http/server.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

let server: HttpServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

const route: WebhookRoute = {
  method: 'POST',
  path: '/hook',
  family: 'telegram',
  handle: async () => ({ status: 200 }),
};

/** Starts a server counting refusals into `counts` ("route/reason" → n). */
async function start(counts: Map<string, number>, options: Partial<HttpServerOptions> = {}): Promise<number> {
  const metrics: Pick<Metrics, 'webhookRefused'> = {
    webhookRefused: (family, reason) => counts.set(`${family}/${reason}`, (counts.get(`${family}/${reason}`) ?? 0) + 1),
  };
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 1024,
    logger: quiet,
    routes: [route],
    health: async () => ({ ok: true }),
    metrics,
    ...options,
  });
  return (await server.start()).port;
}

/** A raw connection that writes `data` and stays open; resolves once connected, with a promise of its close. */
function raw(port: number, data: string): Promise<{ closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.once('connect', () => {
      if (data !== '') socket.write(data);
      resolve({ closed });
    });
  });
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

it('counts headers too slow as timeout and a body too slow as bodyTimeout on its route family', async () => {
  const counts = new Map<string, number>();
  const port = await start(counts, { headersTimeoutMs: 300, bodyTimeoutMs: 300, requestTimeoutMs: 5_000 });
  const slowHeaders = await raw(port, 'POST /hook HTTP/1.1\r\nHost: bot\r\n');
  const slowBody = await raw(port, 'POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Length: 100\r\n\r\n{"a"');
  await Promise.all([slowHeaders.closed, slowBody.closed]);
  await until(() => counts.size >= 2);
  expect(Object.fromEntries(counts)).toEqual({ 'other/timeout': 1, 'telegram/bodyTimeout': 1 });
});

it('counts a connection over the cap', async () => {
  const counts = new Map<string, number>();
  const port = await start(counts, { maxConnections: 1 });
  await raw(port, '');
  await (
    await raw(port, '')
  ).closed;
  await until(() => counts.size >= 1);
  expect(Object.fromEntries(counts)).toEqual({ 'other/connections': 1 });
});

it('counts bytes that are not HTTP, and a body over the limit on its route family', async () => {
  const counts = new Map<string, number>();
  const port = await start(counts);
  await (
    await raw(port, 'NOT HTTP AT ALL\r\n\r\n')
  ).closed;
  const res = await fetch(`http://127.0.0.1:${port}/hook`, { method: 'POST', body: 'x'.repeat(2048) });
  expect(res.status).toBe(413);
  await until(() => counts.size >= 2);
  expect(Object.fromEntries(counts)).toEqual({ 'other/badRequest': 1, 'telegram/tooLarge': 1 });
});
