// The framework-free shape of an HTTP endpoint a channel provides (a platform webhook).
// The HTTP server (src/http/server.ts) mounts these; a channel never sees fastify.

/** Header names are lower-case, as Node delivers them. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface WebhookRequest {
  headers: RequestHeaders;
  /**
   * The request body exactly as received, never re-serialised: signature checks (Zalo) hash these bytes.
   * Empty when the request had no body.
   */
  rawBody: Buffer;
}

export interface WebhookResponse {
  status: number;
  /** Sent as JSON when an object, as text when a string, empty when absent. */
  body?: unknown;
  /**
   * A refusal's reason, one word of a closed set (secret, signature, json, shape, stale, future, unstored): counted in
   * hoivien_webhook_refused_total by the server, never sent.
   */
  refused?: RefusalReason;
}

/** Why a webhook request was refused (a label of GET /metrics: words, never anything from the request). */
export type RefusalReason =
  | 'secret'
  | 'signature'
  | 'json'
  | 'shape'
  | 'stale'
  | 'future'
  | 'unstored'
  | 'tooLarge'
  | 'badRequest'
  | 'timeout'
  | 'bodyTimeout'
  | 'connections';

export interface WebhookRoute {
  method: 'POST';
  /** Exact path, e.g. "/telegram/webhook". No query string. */
  path: string;
  /** The route family in GET /metrics labels: "telegram", "zalo-oa", "zalo-bot". Default "webhook". */
  family?: string;
  /**
   * Checks the headers before the body is read (a webhook's secret header): a response refuses the request at once,
   * its body unread and the connection closed; undefined lets it through to `handle`. Must not throw.
   */
  authorize?: (headers: RequestHeaders) => WebhookResponse | undefined;
  /** Should not throw; if it does, the server answers 500 and logs the error's name only. */
  handle(req: WebhookRequest): Promise<WebhookResponse>;
}

/** First value of a header (Node gives arrays for repeated headers). */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A read-only GET endpoint (the public catalogue): path parameters, the query string, response headers and a body
 * that may be bytes. Fastify also answers HEAD for it (the headers only). Like a webhook route it never sees fastify.
 */
export interface ReadRoute {
  method: 'GET';
  /** Path with named segments, e.g. "/catalogue/photos/:file" (one segment each; no wildcards). */
  path: string;
  /** Should not throw; if it does, the server answers 500 and logs the error's name only. */
  handle(req: ReadRequest): Promise<ReadResponse>;
}

export interface ReadRequest {
  headers: RequestHeaders;
  /** The named path segments, decoded. */
  params: Record<string, string>;
  /** The query string as sent (a repeated parameter keeps every value: `getAll`). */
  query: URLSearchParams;
}

export interface ReadResponse {
  status: number;
  /** Extra response headers (lower-case names), e.g. cache-control, etag, content-type. */
  headers?: Record<string, string>;
  /**
   * Bytes are sent as they are (set content-type), a string as text (or as JSON already serialised when the
   * content-type says so), an object as JSON; absent: no body (a 304).
   */
  body?: Uint8Array | string | object;
}
