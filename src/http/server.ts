// The one HTTP server of the process: platform webhooks (routes provided by channels), the read-only GET routes of the
// public catalogue (src/http/catalogue.ts) and GET /healthz.
// Fastify stays inside this file. Privacy: nothing here logs bodies, headers, query strings or error messages
// (a JSON.parse message quotes the body); only method, route pattern, status, duration and error names/codes.
import { STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger, Metrics } from '../conversation/ports.ts';
import { METRICS_PATH, metricsAuthorized, type PrometheusMetrics } from './metrics.ts';
import type { ReadRoute, WebhookRoute } from './routes.ts';

export interface HealthReport {
  ok: boolean;
  details?: Record<string, unknown>;
}

/**
 * A part of the site with pages of its own (src/web: the console, the catalogue's pages): registered as an
 * encapsulated fastify plugin, so its hooks, body parsers (forms, uploads), error and not-found handlers apply to its
 * own routes only and leave the webhooks' raw bodies alone.
 */
export type HttpPlugin = (app: FastifyInstance) => Promise<void>;

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port (see the address `start()` returns). */
  port: number;
  /** Larger bodies get 413 without reaching a route. */
  bodyLimitBytes: number;
  logger: Logger;
  routes: WebhookRoute[];
  /** Read-only GET routes (the public catalogue, src/http/catalogue.ts). */
  readRoutes?: ReadRoute[];
  /** Sites with pages (the web console, the public catalogue's pages), each in its own plugin context. */
  plugins?: HttpPlugin[];
  health: () => Promise<HealthReport>;
  /** How long /healthz waits for `health()` before answering 503. Default 5000 ms. */
  healthTimeoutMs?: number;
  /** A request's headers must arrive within this (HTTP_HEADERS_TIMEOUT_MS); else 408 and the connection is closed. */
  headersTimeoutMs?: number;
  /** Its body must arrive within this once the headers are in (HTTP_BODY_TIMEOUT_MS); else the connection is cut. */
  bodyTimeoutMs?: number;
  /** The whole request, headers and body, within this (HTTP_REQUEST_TIMEOUT_MS); else 408 and closed. */
  requestTimeoutMs?: number;
  /** Open connections at most (HTTP_MAX_CONNECTIONS); a connection beyond is closed as soon as it is accepted. */
  maxConnections?: number;
  /** Counts the requests refused (hoivien_webhook_refused_total) by route family and reason. Default: none. */
  metrics?: Pick<Metrics, 'webhookRefused'>;
  /**
   * GET /metrics on this server too (METRICS_TOKEN set): only with `Authorization: Bearer <token>`, else 401.
   * Absent: this server has no /metrics (the separate listener serves it).
   */
  scrape?: { token: string } & Pick<PrometheusMetrics, 'scrape' | 'contentType'>;
}

export const HTTP_DEFAULTS = {
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 512,
} as const;

export interface HttpServer {
  /** Starts listening; resolves with the bound address. */
  start(): Promise<{ host: string; port: number }>;
  /**
   * Stops accepting connections, cuts the requests still sending their body (not acknowledged: the platform delivers
   * them again) and idle keep-alive connections, lets requests being handled finish, then resolves. Safe to call
   * twice. Bound it from outside (SHUTDOWN_TIMEOUT_MS).
   */
  close(): Promise<void>;
}

export const HEALTH_PATH = '/healthz';

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { logger } = options;
  const refused = options.metrics?.webhookRefused ?? (() => undefined);
  // The family label of a route pattern (a webhook's, or "other": the catalogue, /healthz, no route at all).
  const families = new Map(options.routes.map((route) => [route.path, route.family ?? 'webhook']));
  const familyOf = (url: string | undefined) => (url === undefined ? 'other' : (families.get(url) ?? 'other'));
  let closing: Promise<void> | undefined;
  const headersTimeoutMs = options.headersTimeoutMs ?? HTTP_DEFAULTS.headersTimeoutMs;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? HTTP_DEFAULTS.bodyTimeoutMs;
  const requestTimeoutMs = options.requestTimeoutMs ?? HTTP_DEFAULTS.requestTimeoutMs;
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    return503OnClosing: true,
    // Node checks these two timeouts every `connectionsCheckingInterval` (30 s by default): check often enough that a
    // slow client is cut close to its deadline. Node refuses a headers timeout longer than the request timeout.
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs),
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
    },
  });
  app.server.maxConnections = options.maxConnections ?? HTTP_DEFAULTS.maxConnections;
  // Connections over the cap are closed by Node at once; say so, at most once a minute (a flood must not flood logs).
  let dropped = 0;
  let droppedLoggedAt = 0;
  app.server.on('drop', () => {
    refused('other', 'connections');
    dropped++;
    if (Date.now() - droppedLoggedAt < 60_000) return;
    droppedLoggedAt = Date.now();
    logger.warn({ dropped, maxConnections: app.server.maxConnections }, 'http connection cap reached, refusing');
  });

  // Open connections and how many requests each has in progress: on close, those with none are cut (Node's own
  // closeIdleConnections misses a connection that never sent a request, which then holds close() open).
  const busy = new Map<Socket, number>();
  // Refused by Node before any route (headers or whole request too slow: 408; not HTTP: 400), answered by fastify.
  app.server.on('clientError', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') refused('other', 'timeout');
    else if (error.code?.startsWith('HPE_') === true) refused('other', 'badRequest');
  });
  app.server.on('connection', (socket: Socket) => {
    busy.set(socket, 0);
    socket.once('close', () => busy.delete(socket));
  });
  app.addHook('onRequest', (request, _reply, done) => {
    const socket = request.raw.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    done();
  });
  const requestOver = (socket: Socket) => {
    const count = busy.get(socket);
    if (count !== undefined) busy.set(socket, Math.max(0, count - 1));
  };

  // Requests whose body is still arriving: the body timeout runs, and a shutdown cuts them.
  const receiving = new Map<Socket, NodeJS.Timeout>();
  const doneReceiving = (socket: Socket) => {
    clearTimeout(receiving.get(socket));
    receiving.delete(socket);
  };
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const socket = request.raw.socket;
    const timer = setTimeout(() => {
      logger.info({ method: request.method, route: routePattern(request.routeOptions.url) }, 'http body timed out');
      refused(familyOf(request.routeOptions.url), 'bodyTimeout');
      receiving.delete(socket);
      socket.destroy();
    }, bodyTimeoutMs);
    timer.unref();
    receiving.set(socket, timer);
    if (closing !== undefined) socket.destroy();
    done(null, payload);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    doneReceiving(request.raw.socket);
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    // Answered before its body was all read (413, an error): no body timer may outlive the request.
    doneReceiving(request.raw.socket);
    requestOver(request.raw.socket);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    doneReceiving(request.raw.socket);
    requestOver(request.raw.socket);
    done();
  });

  // Every body arrives as the untouched Buffer, whatever its content type (JSON included): routes parse it
  // themselves, after checking a signature over the exact bytes if they need to.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (_req, body, done) => {
    done(null, body);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    const fields = {
      method: request.method,
      route: routePattern(request.routeOptions.url),
      status,
      errName: error.name,
      errCode: error.code,
    };
    // Not a socket already cut (a body timeout, counted there; a client gone): no one is refused an answer.
    if (status < 500 && !request.raw.socket.destroyed) {
      refused(familyOf(request.routeOptions.url), REFUSAL_OF_STATUS[status] ?? 'badRequest');
    }
    if (status >= 500) logger.error(fields, 'http request failed');
    else logger.info(fields, 'http request rejected');
    void reply.code(status).send({ error: STATUS_CODES[status] ?? 'Error' });
  });

  app.setNotFoundHandler((request, reply) => {
    logger.debug({ method: request.method, status: 404 }, 'http route not found');
    void reply.code(404).send({ error: STATUS_CODES[404] });
  });

  // Node's server.close() only reaps connections idle at that moment: a keep-alive connection whose request was in
  // flight would then hold close() open until keepAliveTimeout (72 s). Tell such clients to hang up instead.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing !== undefined) void reply.header('connection', 'close');
    return payload;
  });

  app.addHook('onResponse', (request, reply, done) => {
    logger.debug(
      {
        method: request.method,
        route: routePattern(request.routeOptions.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'http request',
    );
    done();
  });

  for (const route of options.routes) {
    const authorize = route.authorize;
    app.route({
      method: route.method,
      url: route.path,
      // The route's header check runs before a byte of the body is read: an unauthenticated client cannot make the
      // server hold its connection for a slow body. The body is left unread, so the connection is closed.
      ...(authorize === undefined
        ? {}
        : {
            onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
              const refusal = authorize(request.headers);
              if (refusal === undefined) return undefined;
              if (refusal.refused !== undefined) refused(route.family ?? 'webhook', refusal.refused);
              return reply.code(refusal.status).header('connection', 'close').send(refusal.body);
            },
          }),
      handler: async (request, reply) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await route.handle({ headers: request.headers, rawBody });
        if (result.refused !== undefined) refused(route.family ?? 'webhook', result.refused);
        reply.code(result.status);
        return result.body === undefined ? reply.send() : reply.send(result.body);
      },
    });
  }

  for (const route of options.readRoutes ?? []) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const url = request.raw.url ?? '';
        const at = url.indexOf('?');
        const result = await route.handle({
          headers: request.headers,
          params: { ...(request.params as Record<string, string>) },
          query: new URLSearchParams(at === -1 ? '' : url.slice(at + 1)),
        });
        reply.code(result.status);
        for (const [name, value] of Object.entries(result.headers ?? {})) void reply.header(name, value);
        if (result.body === undefined) return reply.send();
        return reply.send(result.body instanceof Uint8Array ? Buffer.from(result.body) : result.body);
      },
    });
  }

  for (const plugin of options.plugins ?? []) {
    void app.register(async (scope) => {
      await plugin(scope);
    });
  }

  const scrape = options.scrape;
  if (scrape !== undefined) {
    app.get(METRICS_PATH, async (request, reply) => {
      if (!metricsAuthorized(request.headers, scrape.token)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: STATUS_CODES[401] });
      }
      return reply
        .code(200)
        .header('content-type', scrape.contentType)
        .send(await scrape.scrape());
    });
  }

  const healthTimeoutMs = options.healthTimeoutMs ?? 5000;
  app.get(HEALTH_PATH, async (_request, reply) => {
    const report = await checkHealth(options.health, healthTimeoutMs, logger);
    return reply.code(report.ok ? 200 : 503).send(report);
  });

  return {
    async start() {
      await app.listen({ host: options.host, port: options.port });
      const address = app.server.address() as AddressInfo;
      logger.info({ host: address.address, port: address.port }, 'http server listening');
      return { host: address.address, port: address.port };
    },
    close() {
      closing ??= (async () => {
        // A request still sending its body was not acknowledged: cut it now rather than wait for a slow client.
        for (const [socket, timer] of receiving) {
          clearTimeout(timer);
          socket.destroy();
        }
        receiving.clear();
        const closed = app.close();
        for (const [socket, requests] of busy) if (requests === 0) socket.destroy();
        await closed;
        logger.info({}, 'http server closed');
      })();
      return closing;
    },
  };
}

/** The refusal reason of an error status the server answers itself (a body over the limit, a slow client). */
const REFUSAL_OF_STATUS: Record<number, 'tooLarge' | 'timeout' | 'badRequest'> = {
  413: 'tooLarge',
  408: 'timeout',
  400: 'badRequest',
  415: 'badRequest',
};

/** The route pattern (never the actual URL, which may carry a query string with a token). */
function routePattern(url: string | undefined): string {
  return url ?? '(unmatched)';
}

async function checkHealth(
  health: () => Promise<HealthReport>,
  timeoutMs: number,
  logger: Logger,
): Promise<HealthReport> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthReport>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, details: { error: 'health check timed out' } }), timeoutMs);
  });
  try {
    const report = await Promise.race([health(), timeout]);
    return report.details === undefined
      ? { ok: report.ok === true }
      : { ok: report.ok === true, details: report.details };
  } catch (error) {
    logger.error({ errName: error instanceof Error ? error.name : typeof error }, 'health check failed');
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}
