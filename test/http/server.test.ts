import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/conversation/ports.ts';
import type { WebhookRequest, WebhookRoute } from '../../src/http/routes.ts';
import { createHttpServer, type HealthReport, type HttpServer } from '../../src/http/server.ts';

class MemoryLogger implements Logger {
  readonly entries: { level: string; obj: object; msg?: string }[] = [];
  debug(obj: object, msg?: string) {
    this.entries.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string) {
    this.entries.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string) {
    this.entries.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string) {
    this.entries.push({ level: 'error', obj, msg });
  }
}

/** A route that records what it received and answers as told. */
function recordingRoute(path: string, answer: (req: WebhookRequest) => Promise<{ status: number; body?: unknown }>) {
  const received: WebhookRequest[] = [];
  const route: WebhookRoute = {
    method: 'POST',
    path,
    handle: async (req) => {
      received.push(req);
      return answer(req);
    },
  };
  return { route, received };
}

let server: HttpServer | undefined;
let logger: MemoryLogger;

async function start(
  options: {
    routes?: WebhookRoute[];
    health?: () => Promise<HealthReport>;
    bodyLimitBytes?: number;
    healthTimeoutMs?: number;
  } = {},
) {
  logger = new MemoryLogger();
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: options.bodyLimitBytes ?? 1024,
    logger,
    routes: options.routes ?? [],
    health: options.health ?? (async () => ({ ok: true })),
    ...(options.healthTimeoutMs === undefined ? {} : { healthTimeoutMs: options.healthTimeoutMs }),
  });
  const { port } = await server.start();
  return `http://127.0.0.1:${port}`;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createHttpServer: routes', () => {
  it('gives the route the exact raw bytes, whatever the content type', async () => {
    const { route, received } = recordingRoute('/hook', async () => ({ status: 200, body: { ok: true } }));
    const base = await start({ routes: [route] });
    const json = Buffer.from('{ "b": 1,  "a": "Hội  Phụ nữ" }\n'); // odd spacing: a re-serialisation would change it
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x80]);
    const bodies: [string | undefined, Buffer][] = [
      ['application/json', json],
      ['application/json; charset=utf-8', json],
      ['text/plain', Buffer.from('plain text')],
      ['application/x-www-form-urlencoded', Buffer.from('a=1&b=2')],
      ['application/octet-stream', binary],
      [undefined, binary],
    ];
    for (const [contentType, body] of bodies) {
      const res = await fetch(`${base}/hook`, {
        method: 'POST',
        headers: contentType ? { 'content-type': contentType } : {},
        body,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    }
    expect(received.map((r) => r.rawBody)).toEqual(bodies.map(([, body]) => body));
    expect(received.every((r) => Buffer.isBuffer(r.rawBody))).toBe(true);
  });

  it('passes lower-case headers and an empty Buffer for an empty body', async () => {
    const { route, received } = recordingRoute('/hook', async () => ({ status: 204 }));
    const base = await start({ routes: [route] });
    const res = await fetch(`${base}/hook`, { method: 'POST', headers: { 'X-Signature': 'mac=abc' } });
    expect(res.status).toBe(204);
    expect(received[0]?.headers['x-signature']).toBe('mac=abc');
    expect(received[0]?.rawBody).toEqual(Buffer.alloc(0));
  });

  it('sends the route’s status and body', async () => {
    const { route } = recordingRoute('/hook', async () => ({ status: 401, body: { error: 'unauthorized' } }));
    const base = await start({ routes: [route] });
    const res = await fetch(`${base}/hook`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
  });

  it('answers 413 to a body over the limit, announced or chunked, without calling the route', async () => {
    const { route, received } = recordingRoute('/hook', async () => ({ status: 200 }));
    const base = await start({ routes: [route], bodyLimitBytes: 100 });
    const res = await fetch(`${base}/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(101),
    });
    expect(res.status).toBe(413);

    const chunkedStatus = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${base}/hook`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write('y'.repeat(50));
      req.end();
    });
    expect(chunkedStatus).toBe(413);
    expect(received).toEqual([]);

    const ok = await fetch(`${base}/hook`, { method: 'POST', body: 'x'.repeat(100) });
    expect(ok.status).toBe(200);
  });

  it('answers 500 when a route throws, logging the error name only', async () => {
    const { route } = recordingRoute('/hook', async () => {
      throw new TypeError('cannot read 0912345678');
    });
    const base = await start({ routes: [route] });
    const res = await fetch(`${base}/hook`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'Internal Server Error' });
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([
      {
        level: 'error',
        obj: { method: 'POST', route: '/hook', status: 500, errName: 'TypeError', errCode: undefined },
        msg: 'http request failed',
      },
    ]);
    expect(JSON.stringify(logger.entries)).not.toContain('0912345678');
  });

  it('answers 404 to unknown paths without echoing the URL', async () => {
    const base = await start();
    const res = await fetch(`${base}/nope?token=abc123`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('abc123');
  });

  it('never logs bodies, headers or query strings', async () => {
    const { route } = recordingRoute('/hook', async () => ({ status: 200 }));
    const base = await start({ routes: [route] });
    await fetch(`${base}/hook?access_token=QUERYSECRET`, {
      method: 'POST',
      headers: { authorization: 'Bearer HEADERSECRET' },
      body: 'BODYSECRET',
    });
    await fetch(`${base}/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(2000) + 'BIGSECRET',
    });
    const logs = JSON.stringify(logger.entries);
    expect(logs).toContain('"route":"/hook"');
    for (const secret of ['QUERYSECRET', 'HEADERSECRET', 'BODYSECRET', 'BIGSECRET']) expect(logs).not.toContain(secret);
  });
});

describe('createHttpServer: /healthz', () => {
  it('200 with the report when healthy', async () => {
    const base = await start({ health: async () => ({ ok: true, details: { database: 'ok' } }) });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, details: { database: 'ok' } });
  });

  it('503 when unhealthy, failing or too slow', async () => {
    let health: () => Promise<HealthReport> = async () => ({ ok: false, details: { database: 'down' } });
    const base = await start({ health: () => health(), healthTimeoutMs: 50 });
    let res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, details: { database: 'down' } });

    health = async () => {
      throw new Error('connection refused');
    };
    res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false });

    health = () => new Promise(() => {});
    res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
  });
});

describe('createHttpServer: lifecycle', () => {
  it('lets an in-flight request finish on close, then refuses connections; close is idempotent', async () => {
    let release: () => void = () => {};
    const { route, received } = recordingRoute(
      '/slow',
      () => new Promise((resolve) => (release = () => resolve({ status: 200, body: { done: true } }))),
    );
    const base = await start({ routes: [route] });
    const inFlight = fetch(`${base}/slow`, { method: 'POST', body: '{}' });
    while (received.length === 0) await new Promise((r) => setTimeout(r, 5));
    const closed = server!.close();
    setTimeout(() => release(), 20);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    await server!.close();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
