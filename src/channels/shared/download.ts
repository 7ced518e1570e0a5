// Fetching a file a member sent (a photo), never reading more than the size limit: the declared Content-Length is
// checked first, then the body is counted while it streams and the download stops as soon as it is over the limit.
// Shared by the channels whose photos arrive as URLs (Zalo) or are fetched by URL after an API call (Telegram).

export type FetchLike = typeof fetch;

/** Default time for one download. */
export const DOWNLOAD_TIMEOUT_MS = 30_000;

/**
 * The body of `url` (http or https only), or 'tooLarge' when it is, or would be, over `maxBytes`. Throws on any other
 * failure (a status other than 2xx, the network, the timeout); the error message never contains the URL, which may
 * carry a token.
 */
export async function downloadLimited(
  url: string,
  maxBytes: number,
  options: { fetch?: FetchLike; timeoutMs?: number } = {},
): Promise<Uint8Array | 'tooLarge'> {
  const protocol = new URL(url).protocol;
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`download: unsupported protocol ${protocol}`);
  const doFetch = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS);
  let response: Response;
  try {
    response = await doFetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    throw new Error(`download failed: ${error instanceof Error ? error.name : 'network error'}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`download failed: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return 'tooLarge';
  }
  const body = response.body;
  if (body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return 'tooLarge';
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
