// A fake Zalo Bot Platform API on a real HTTP server (127.0.0.1, random port), used as the channel's `apiBase`.
// Records every call (method and token from the URL /bot<TOKEN>/<method>, parsed JSON body) and answers with the
// documented JSON: {ok:true, result} by default, or a scripted reply ({ok:false, error_code, description}, any HTTP
// status, or a body that is not JSON) for chosen calls. getUpdates hands out queued updates one per call, and
// answers {ok:false, error_code:408} when none arrives within its long-poll wait, as the platform does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../../helpers/http.ts';

export const TOKEN = '1459232241454765289:Fake-token_abcXYZ';

export interface ApiRequest {
  method: string;
  token: string;
  body: Record<string, unknown>;
}

export interface ApiReply {
  /** HTTP status. Default 200. */
  status?: number;
  /** JSON body, or a raw string (e.g. an HTML error page). */
  body: object | string;
}

export const failure = (errorCode: number, description: string, status = 200): ApiReply => ({
  status,
  body: { ok: false, error_code: errorCode, description },
});

export class FakeZaloBot {
  readonly requests: ApiRequest[] = [];
  /** How long an empty getUpdates waits for an update before answering 408 (ms). */
  pollWaitMs = 20;
  private readonly scripted = new Map<string, ApiReply[]>();
  private readonly delays = new Map<string, number>();
  private readonly updates: object[] = [];
  private readonly waiting = new Set<() => void>();
  private nextMessageId = 1;

  private constructor(
    private readonly server: Server,
    readonly apiBase: string,
  ) {}

  static async start(): Promise<FakeZaloBot> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const api = new FakeZaloBot(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => void api.onRequest(req, res));
    return api;
  }

  /** The next `times` calls of `method` get `reply` (queued after earlier scripted replies). */
  reply(method: string, reply: ApiReply, times = 1): void {
    const queue = this.scripted.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(reply);
    this.scripted.set(method, queue);
  }

  /** Every call of `method` is answered after `ms` milliseconds. */
  delay(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Events for getUpdates: each is returned (wrapped in {ok:true, result}) by one getUpdates call, in order. */
  pushUpdates(...events: object[]): void {
    this.updates.push(...events);
    for (const wake of this.waiting) wake();
  }

  /** Bodies of the calls of one method, in order. */
  calls(method: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.method === method).map((r) => r.body);
  }

  /** Method names in call order, without the polling. */
  methods(): string[] {
    return this.requests.map((r) => r.method).filter((m) => m !== 'getUpdates');
  }

  /** Texts sent with sendMessage, in order. */
  texts(): string[] {
    return this.calls('sendMessage').map((b) => String(b.text));
  }

  async close(): Promise<void> {
    for (const wake of this.waiting) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!match || req.method !== 'POST') {
      return send(res, { status: 404, body: { ok: false, error_code: 404, description: 'Not found' } });
    }
    const [, token = '', method = ''] = match;
    let body: Record<string, unknown>;
    try {
      body = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as Record<string, unknown>);
    } catch {
      return send(res, failure(400, 'Bad request'));
    }
    this.requests.push({ method, token, body });
    const delay = this.delays.get(method);
    if (delay !== undefined) await new Promise((r) => setTimeout(r, delay));
    if (token !== TOKEN) return send(res, failure(401, 'Unauthorized'));
    const scripted = this.scripted.get(method)?.shift();
    if (scripted) return send(res, scripted);
    if (method === 'getUpdates') return send(res, await this.nextUpdate());
    return send(res, { body: { ok: true, result: this.defaultResult(method, body) } });
  }

  private async nextUpdate(): Promise<ApiReply> {
    if (this.updates.length === 0) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, this.pollWaitMs);
        this.waiting.add(wake);
      });
    }
    const update = this.updates.shift();
    return update === undefined ? failure(408, 'Request timeout') : { body: { ok: true, result: update } };
  }

  private defaultResult(method: string, body: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return {
          id: '1459232241454765289',
          account_name: 'bot.HoiVien',
          account_type: 'BASIC',
          can_join_groups: false,
        };
      case 'sendMessage':
      case 'sendPhoto':
        return { message_id: `sent-${this.nextMessageId++}`, date: 1_750_316_131_602 };
      case 'setWebhook':
        return {
          url: body.url,
          updated_at: 1_749_538_250_568,
          verification: {
            ok: true,
            url: body.url,
            outcome: 'webhook.ok',
            hint: 'Your endpoint responded successfully.',
          },
        };
      case 'deleteWebhook':
        return { url: '', updated_at: 1_749_538_250_568 };
      default:
        return true;
    }
  }
}

function send(res: ServerResponse, reply: ApiReply): void {
  if (res.destroyed) return;
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, {
    'content-type': typeof reply.body === 'string' ? 'text/html' : 'application/json',
  });
  res.end(text);
}
