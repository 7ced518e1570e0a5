// Zalo signs every OA webhook request: header `X-ZEvent-Signature: mac=<hex>` where
// hex = sha256(app_id + raw body + timestamp + OA secret key), the timestamp being the event's own `timestamp` field.
// Plain SHA-256 (not an HMAC), over the body exactly as received; compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-zevent-signature';

const MAC_FORMAT = /^mac=([0-9a-fA-F]{64})$/;

/** The 32-byte digest Zalo computes for a request. */
export function computeMac(appId: string, rawBody: Buffer, timestamp: string, oaSecretKey: string): Buffer {
  return createHash('sha256')
    .update(appId, 'utf8')
    .update(rawBody)
    .update(timestamp, 'utf8')
    .update(oaSecretKey, 'utf8')
    .digest();
}

/** The header value Zalo sends for a request (used by tests and tools that replay events). */
export function signatureHeader(appId: string, rawBody: Buffer, timestamp: string, oaSecretKey: string): string {
  return `mac=${computeMac(appId, rawBody, timestamp, oaSecretKey).toString('hex')}`;
}

/**
 * Whether a header value has the shape Zalo sends (`mac=` and 64 hex digits): checked before the body is read, since
 * the mac itself covers the body.
 */
export function isWellFormedSignature(header: string | undefined): boolean {
  return header !== undefined && MAC_FORMAT.test(header.trim());
}

/** Whether the header carries the right mac. A missing or malformed header is simply wrong. */
export function verifySignature(
  header: string | undefined,
  appId: string,
  rawBody: Buffer,
  timestamp: string,
  oaSecretKey: string,
): boolean {
  const hex = header === undefined ? undefined : MAC_FORMAT.exec(header.trim())?.[1];
  if (hex === undefined) return false;
  // Both sides are 32 bytes, so timingSafeEqual applies and the comparison time does not depend on the content.
  return timingSafeEqual(Buffer.from(hex, 'hex'), computeMac(appId, rawBody, timestamp, oaSecretKey));
}
