// Checks a webhook's shared secret header in constant time. Both sides are hashed to equal-length digests, so
// timingSafeEqual applies and neither the secret nor its length leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';

export function secretMatcher(secret: string): (given: string | undefined) => boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const expected = digest(secret);
  return (given) => given !== undefined && timingSafeEqual(digest(given), expected);
}
