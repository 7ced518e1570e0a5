// The one HTTP server of the process: platform webhooks (routes provided by channels) and GET /healthz.
// Fastify stays inside this file. Privacy: nothing here logs bodies, headers, query strings or error messages
// (a JSON.parse message quotes the body); only method, route pattern, status, duration and error names/codes.
import { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from '../conversation/ports.ts';
import type { WebhookRoute } from './routes.ts';

export interface HealthReport {
  ok: boolean;
  details?: Record<string, unknown>;
}

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port (see the address `start()` returns). */
  port: number;
  /** Larger bodies get 413 without reaching a route. */
  bodyLimitBytes: number;
  logger: Logger;
  routes: WebhookRoute[];
  health: () => Promise<HealthReport>;
  /** How long /healthz waits for `health()` before answering 503. Default 5000 ms. */
  healthTimeoutMs?: number;
}

export interface HttpServer {
  /** Starts listening; resolves with the bound address. */
  start(): Promise<{ host: string; port: number }>;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. Safe to call twice. */
  close(): Promise<void>;
}

export const HEALTH_PATH = '/healthz';

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { logger } = options;
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    return503OnClosing: true,
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
  let closing: Promise<void> | undefined;
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
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await route.handle({ headers: request.headers, rawBody });
        reply.code(result.status);
        return result.body === undefined ? reply.send() : reply.send(result.body);
      },
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
      closing ??= app.close().then(() => logger.info({}, 'http server closed'));
      return closing;
    },
  };
}

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
