// A fake Zalo on a real HTTP server (127.0.0.1, random port), speaking the documented JSON shapes of the calls the OA
// channel makes — POST /v3.0/oa/message/cs (and /v3.0/oa/message/promotion), POST /v2.0/oa/upload/image (OA API, header access_token) and
// POST /v4/oa/access_token (OAuth, header secret_key, form body) — and recording every call.
// Tokens behave as Zalo's: an unknown access token gets -216; a refresh token works once and yields a new pair.
// It also serves the pictures members "send" (GET /photos/<name>), as Zalo's CDN serves user_send_image URLs.
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../../helpers/http.ts';

export const APP_ID = '2468013579246801357';
export const OA_SECRET = 'oa-secret-key-for-tests-0123';
export const APP_SECRET = 'app-secret-key-for-tests-4567';

export interface ZaloCall {
  path: string;
  headers: IncomingHttpHeaders;
  /** JSON body, form fields, or for uploads {filename, contentType, bytes}. */
  body: Record<string, unknown>;
}

export type OaReply = { error: number; message: string; data?: unknown };

export const outsideWindow: OaReply = {
  error: -230,
  message: 'User has not interacted with the OA in the past 7 days',
};
export const rateLimited: OaReply = { error: -32, message: 'Your application reached limit call api' };
export const tokenExpired: OaReply = { error: -216, message: 'Access token is invalid' };

export const CS_PATH = '/v3.0/oa/message/cs';
/** Promotion messages ("tin truyền thông"), answered as cs messages are. */
export const PROMOTION_PATH = '/v3.0/oa/message/promotion';
export const UPLOAD_PATH = '/v2.0/oa/upload/image';
export const OAUTH_PATH = '/v4/oa/access_token';

export class FakeZalo {
  readonly calls: ZaloCall[] = [];
  /** Access tokens Zalo accepts. */
  readonly accessTokens = new Set<string>();
  /** Refresh tokens not yet spent. */
  readonly refreshTokens = new Set<string>();
  /** Runs when a refresh request arrives, before Zalo answers (to play another process in between). */
  beforeRefreshAnswer: (() => Promise<void>) | undefined;
  /** Extra wait before answering a refresh (lets concurrent callers pile up). */
  refreshDelayMs = 0;
  /** HTTP status + raw body for the next calls of a path, instead of the normal answer. */
  private readonly scripted = new Map<string, { status: number; body: unknown }[]>();
  /** Pictures served at GET /photos/<name>. */
  private readonly photos = new Map<string, Uint8Array>();
  private issued = 0;
  private sent = 0;

  private constructor(
    private readonly server: Server,
    /** Base URL for both ZALO_OA_API_BASE and ZALO_OAUTH_BASE. */
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeZalo> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const zalo = new FakeZalo(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      void zalo.onRequest(req).then(({ status, body }) => {
        if (body instanceof Uint8Array) {
          res.writeHead(status, { 'content-type': 'image/jpeg', 'content-length': body.length });
          res.end(body);
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    return zalo;
  }

  /** Serves `bytes` as a picture on this server and returns its URL (what a user_send_image event carries). */
  servePhoto(name: string, bytes: Uint8Array): string {
    this.photos.set(name, bytes);
    return `${this.baseUrl}/photos/${name}`;
  }

  /** A new valid pair, as Zalo's OAuth would grant it. */
  issuePair(): { accessToken: string; refreshToken: string } {
    this.issued++;
    const pair = {
      accessToken: `access-${this.issued}-${'a'.repeat(20)}`,
      refreshToken: `refresh-${this.issued}-${'r'.repeat(20)}`,
    };
    this.accessTokens.add(pair.accessToken);
    this.refreshTokens.add(pair.refreshToken);
    return pair;
  }

  /** The next `times` calls of `path` are answered with this (an OA error body by default status 200). */
  reply(path: string, body: unknown, times = 1, status = 200): void {
    const queue = this.scripted.get(path) ?? [];
    for (let i = 0; i < times; i++) queue.push({ status, body });
    this.scripted.set(path, queue);
  }

  /** Bodies of the cs messages Zalo accepted or refused, in order. */
  messages(): Record<string, unknown>[] {
    return this.calls.filter((c) => c.path === CS_PATH).map((c) => c.body);
  }

  refreshes(): ZaloCall[] {
    return this.calls.filter((c) => c.path === OAUTH_PATH);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const body = parseBody(req.headers['content-type'], raw);
    this.calls.push({ path, headers: req.headers, body });
    const scripted = this.scripted.get(path)?.shift();

    if (req.method === 'GET' && path.startsWith('/photos/')) {
      const photo = this.photos.get(path.slice('/photos/'.length));
      return photo ? { status: 200, body: photo } : { status: 404, body: { error: 404, message: 'Not found' } };
    }
    if (path === OAUTH_PATH) {
      if (this.refreshDelayMs > 0) await new Promise((r) => setTimeout(r, this.refreshDelayMs));
      await this.beforeRefreshAnswer?.();
      if (scripted) return scripted;
      return { status: 200, body: this.refresh(req.headers, body) };
    }
    if (path !== CS_PATH && path !== UPLOAD_PATH && path !== PROMOTION_PATH)
      return { status: 404, body: { error: 404, message: 'Not found' } };
    const token = req.headers['access_token'];
    if (typeof token !== 'string' || !this.accessTokens.has(token)) return { status: 200, body: tokenExpired };
    if (scripted) return scripted;
    if (path === UPLOAD_PATH)
      return { status: 200, body: { error: 0, message: 'Success', data: { attachment_id: 'att-photo-1' } } };
    const recipient = body.recipient as { user_id?: string } | undefined;
    return {
      status: 200,
      body: {
        error: 0,
        message: 'Success',
        data: { message_id: `oa-msg-${++this.sent}`, user_id: recipient?.user_id },
      },
    };
  }

  private refresh(headers: IncomingHttpHeaders, form: Record<string, unknown>): unknown {
    const refused = (reason: string) => ({
      error: -14014,
      error_name: 'Invalid parameter',
      error_reason: reason,
      error_description: reason,
    });
    if (headers['secret_key'] !== APP_SECRET) return { error: -14002, error_name: 'Invalid app secret' };
    if (form.app_id !== APP_ID || form.grant_type !== 'refresh_token') return refused('bad app_id or grant_type');
    const token = form.refresh_token;
    if (typeof token !== 'string' || !this.refreshTokens.has(token)) return refused('Invalid refresh token');
    this.refreshTokens.delete(token); // single-use
    const pair = this.issuePair();
    return { access_token: pair.accessToken, refresh_token: pair.refreshToken, expires_in: '90000' };
  }
}

/** The exact bytes of the (first) file part of a multipart body. */
function filePart(contentType: string, raw: Buffer): Buffer | undefined {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary) return undefined;
  for (const part of raw.toString('latin1').split(`--${boundary}`)) {
    const start = part.indexOf('\r\n\r\n');
    if (start < 0 || !/filename="/.test(part.slice(0, start))) continue;
    return Buffer.from(part.slice(start + 4).replace(/\r\n$/, ''), 'latin1');
  }
  return undefined;
}

function parseBody(contentType: string | undefined, raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  if (contentType?.startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (contentType?.startsWith('multipart/form-data')) {
    const text = raw.toString('latin1');
    return {
      filename: /filename="([^"]+)"/.exec(text)?.[1],
      contentType: /\r\nContent-Type: ([^\r]+)/i.exec(text)?.[1],
      field: /name="([^"]+)"/.exec(text)?.[1],
      bytes: raw.length,
      file: filePart(contentType, raw),
    };
  }
  return { _raw: raw.toString('utf8') };
}

// ---- webhook events, signed as Zalo signs them ----------------------------------------------------------------------

let eventClock = 0;

/** A fresh Zalo timestamp (ms, as a string): now, and increasing (the webhook refuses stale and future stamps). */
export function timestamp(): string {
  eventClock = Math.max(eventClock + 1, Date.now());
  return String(eventClock);
}

export function textEvent(userId: string, text: string, msgId: string, ts = timestamp()) {
  return {
    app_id: APP_ID,
    user_id_by_app: `app-${userId}`,
    event_name: 'user_send_text',
    timestamp: ts,
    sender: { id: userId },
    recipient: { id: 'oa-579' },
    message: { msg_id: msgId, text },
  };
}

export function imageEvent(userId: string, url: string, msgId: string, ts = timestamp()) {
  return {
    app_id: APP_ID,
    event_name: 'user_send_image',
    timestamp: ts,
    sender: { id: userId },
    recipient: { id: 'oa-579' },
    message: { msg_id: msgId, attachments: [{ type: 'image', payload: { url, thumbnail: url } }] },
  };
}

export function followEvent(name: 'follow' | 'unfollow', userId: string, ts = timestamp()) {
  return {
    app_id: APP_ID,
    oa_id: 'oa-579',
    user_id_by_app: `app-${userId}`,
    event_name: name,
    timestamp: ts,
    source: 'testing',
    follower: { id: userId },
  };
}

export function withdrawEvent(userId: string, ts = timestamp()) {
  return { app_id: APP_ID, oa_id: 'oa-579', event_name: 'user_withdraw', timestamp: ts, sender: { id: userId } };
}

/** X-ZEvent-Signature for a body: mac=sha256(app_id + body + timestamp + OA secret key). */
export function sign(body: string, ts: string, secret = OA_SECRET, appId = APP_ID): string {
  return `mac=${createHash('sha256')
    .update(appId + body + ts + secret)
    .digest('hex')}`;
}

/** POSTs an event to the bot's webhook, signed unless told otherwise (a string replaces the header, null drops it). */
export function postEvent(
  url: string,
  event: { timestamp: string } & Record<string, unknown>,
  signature?: string | null,
): Promise<Response> {
  const body = JSON.stringify(event);
  const header = signature === undefined ? sign(body, event.timestamp) : signature;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'x-zevent-signature': header }) },
    body,
  });
}
