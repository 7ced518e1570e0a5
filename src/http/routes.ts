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
}

export interface WebhookRoute {
  method: 'POST';
  /** Exact path, e.g. "/telegram/webhook". No query string. */
  path: string;
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
