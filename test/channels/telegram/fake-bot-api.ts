// A fake Telegram Bot API on a real HTTP server (127.0.0.1, random port), used as the channel's `apiRoot`.
// Records every call (method from the URL, parsed body) and answers like Telegram: {ok:true,result} by default,
// or a scripted error ({ok:false,error_code,description,parameters}) for chosen calls. Files members "send" are
// served as Telegram serves them: getFile gives a file_path, then GET /file/bot<token>/<file_path> the bytes.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../helpers/http.ts';

export const TOKEN = '123456:TEST-token_abcdefghijklmnop'; // the shape config.ts accepts (the crash test starts main.ts)

export interface ApiRequest {
  method: string;
  token: string;
  body: Record<string, unknown>;
}

export type ApiReply =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

export const tooManyRequests = (retryAfter: number): ApiReply => ({
  ok: false,
  error_code: 429,
  description: `Too Many Requests: retry after ${retryAfter}`,
  parameters: { retry_after: retryAfter },
});
export const blocked: ApiReply = { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' };
export const notModified: ApiReply = {
  ok: false,
  error_code: 400,
  description:
    'Bad Request: message is not modified: specified new message content and reply markup are exactly the same',
};
export const chatNotFound: ApiReply = { ok: false, error_code: 400, description: 'Bad Request: chat not found' };

export class FakeBotApi {
  readonly requests: ApiRequest[] = [];
  private readonly scripted = new Map<string, ApiReply[]>();
  /** Replies scripted for one chat only (`method:chat_id`), answered before the method's general script. */
  private readonly scriptedForChat = new Map<string, ApiReply[]>();
  private readonly delays = new Map<string, number>();
  private readonly pendingUpdates: Record<string, unknown>[] = [];
  /** Files by file_id, for getFile and the download. */
  private readonly files = new Map<string, { path: string; bytes: Uint8Array }>();
  private nextMessageId = 500;

  private constructor(
    private readonly server: Server,
    readonly apiRoot: string,
  ) {}

  static async start(): Promise<FakeBotApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const api = new FakeBotApi(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      const file = api.fileAt(req.url ?? '');
      if (file !== undefined) {
        if (file === null) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file);
        return;
      }
      void api.onRequest(req).then((reply) => {
        res.writeHead(reply.ok ? 200 : reply.error_code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    return api;
  }

  /** The next `times` calls of `method` get `reply` (queued after earlier scripted replies). */
  reply(method: string, reply: ApiReply, times = 1): void {
    const queue = this.scripted.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(reply);
    this.scripted.set(method, queue);
  }

  /** The next `times` calls of `method` for the chat `chatId` get `reply`; other chats are not affected. */
  replyForChat(method: string, chatId: number, reply: ApiReply, times = 1): void {
    const key = `${method}:${chatId}`;
    const queue = this.scriptedForChat.get(key) ?? [];
    for (let i = 0; i < times; i++) queue.push(reply);
    this.scriptedForChat.set(key, queue);
  }

  /** A file a member sent, as Telegram stores it: getFile then answers for `fileId`, and its download works. */
  addFile(fileId: string, bytes: Uint8Array): void {
    this.files.set(fileId, { path: `photos/file_${this.files.size}.jpg`, bytes });
  }

  /** Bytes for GET /file/bot<token>/<path>: undefined when the URL is not a download, null when there is no file. */
  private fileAt(url: string): Uint8Array | null | undefined {
    const match = /^\/file\/bot([^/]+)\/(.+)$/.exec(url);
    if (!match) return undefined;
    this.requests.push({ method: 'download', token: match[1] ?? '', body: { path: match[2] } });
    if (match[1] !== TOKEN) return null;
    return [...this.files.values()].find((f) => f.path === match[2])?.bytes ?? null;
  }

  /** Every call of `method` is answered after `ms` milliseconds. */
  delay(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Updates for getUpdates: returned (all at once, as one batch) by the next getUpdates whose offset allows them. */
  pushUpdates(...updates: Record<string, unknown>[]): void {
    this.pendingUpdates.push(...updates);
  }

  /** Bodies of the calls of one method, in order. */
  calls(method: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.method === method).map((r) => r.body);
  }

  /** The photos uploaded with sendPhoto (multipart), in order: the chat, the bytes and the caption. */
  uploads(): { chatId: string; bytes: Buffer; caption: string | undefined }[] {
    return this.calls('sendPhoto').flatMap((body) =>
      isUploadedFile(body.photo)
        ? [{ chatId: String(body.chat_id), bytes: body.photo.bytes, caption: body.caption as string | undefined }]
        : [],
    );
  }

  /** Method names in call order, without the polling noise. */
  methods(): string[] {
    return this.requests.map((r) => r.method).filter((m) => m !== 'getUpdates');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage): Promise<ApiReply> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const raw = await readBody(req);
    if (!match) return { ok: false, error_code: 404, description: 'Not Found' };
    const [, token = '', method = ''] = match;
    const body = parseBody(req.headers['content-type'], raw);
    this.requests.push({ method, token, body });
    const delay = this.delays.get(method);
    if (delay !== undefined) await new Promise((r) => setTimeout(r, delay));
    if (token !== TOKEN) return { ok: false, error_code: 401, description: 'Unauthorized' };
    const forChat = this.scriptedForChat.get(`${method}:${String(body.chat_id)}`)?.shift();
    if (forChat) return forChat;
    const scripted = this.scripted.get(method)?.shift();
    if (scripted) return scripted;
    if (method === 'getFile' && !this.files.has(String(body.file_id))) {
      return { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' };
    }
    if (!buttonDataFits(body)) return { ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' };
    return { ok: true, result: await this.defaultResult(method, body) };
  }

  private async defaultResult(method: string, body: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return { id: 123456, is_bot: true, first_name: 'Hội viên', username: 'hoivien_test_bot' };
      case 'getUpdates': {
        const offset = typeof body.offset === 'number' ? body.offset : 0;
        const ready = () => this.pendingUpdates.filter((u) => (u.update_id as number) >= offset);
        if (ready().length === 0 && body.timeout !== undefined) await new Promise((r) => setTimeout(r, 10)); // a short "long poll"
        const batch = ready();
        this.pendingUpdates.splice(
          0,
          this.pendingUpdates.length,
          ...this.pendingUpdates.filter((u) => !batch.includes(u)),
        );
        return body.limit === 1 ? batch.slice(0, 1) : batch;
      }
      case 'sendMessage':
      case 'sendPhoto':
        return {
          message_id: this.nextMessageId++,
          date: 1_750_000_000,
          chat: { id: body.chat_id, type: 'private' },
          ...(method === 'sendMessage'
            ? { text: body.text }
            : {
                photo: [
                  {
                    file_id: isUploadedFile(body.photo) ? `uploaded_${this.nextMessageId}` : body.photo,
                    width: 1,
                    height: 1,
                  },
                ],
              }),
        };
      case 'getFile': {
        const file = this.files.get(String(body.file_id));
        if (!file) return null; // answered with an error above
        return { file_id: body.file_id, file_unique_id: 'x', file_size: file.bytes.length, file_path: file.path };
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        return {
          message_id: body.message_id,
          date: 1_750_000_000,
          chat: { id: body.chat_id, type: 'private' },
          text: body.text,
        };
      default:
        return true;
    }
  }
}

function parseBody(contentType: string | undefined, raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  if (contentType?.startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (contentType?.startsWith('multipart/form-data')) return parseMultipart(contentType, raw);
  return { _raw: raw.toString('utf8') };
}

/**
 * Enough multipart for what telegraf sends when it uploads a file: text fields as strings, a file part (one with a
 * filename) as an UploadedFile with its exact bytes.
 */
function parseMultipart(contentType: string, raw: Buffer): Record<string, unknown> {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary) return {};
  const fields: Record<string, unknown> = {};
  for (const part of raw.toString('latin1').split(`--${boundary}`)) {
    const start = part.indexOf('\r\n\r\n');
    if (start < 0) continue;
    const headers = part.slice(0, start);
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    if (!name) continue;
    const bytes = Buffer.from(part.slice(start + 4).replace(/\r\n$/, ''), 'latin1');
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    fields[name] = filename === undefined ? bytes.toString('utf8') : ({ filename, bytes } satisfies UploadedFile);
  }
  return fields;
}

/** A file uploaded in a multipart call (sendPhoto with the bytes), as the fake received it. */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}

export const isUploadedFile = (value: unknown): value is UploadedFile =>
  typeof value === 'object' && value !== null && 'bytes' in value && Buffer.isBuffer((value as UploadedFile).bytes);

/** Telegram refuses a whole message whose inline button carries callback_data over 64 bytes; so does this fake. */
function buttonDataFits(body: Record<string, unknown>): boolean {
  const markup = body['reply_markup'];
  const parsed: unknown = typeof markup === 'string' ? JSON.parse(markup) : markup;
  const rows = (parsed as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
  return rows.flat().every((b) => b.callback_data === undefined || Buffer.byteLength(b.callback_data) <= 64);
}
