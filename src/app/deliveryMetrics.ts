// How a channel's DeliveryResult is counted in GET /metrics (hoivien_deliveries_total): one word per outcome.
import type { DeliveryResult as ChannelResult } from '../conversation/messages.ts';
import type { DeliveryKind, DeliveryResult, Metrics } from '../conversation/ports.ts';

/** The metric's `result` for what the channel reported. */
const RESULT_WORD: Record<ChannelResult['kind'], DeliveryResult> = {
  sent: 'sent',
  retryAfter: 'rateLimited', // the platform's 429: that chat waits
  failed: 'retry', // transient (5xx, network): tried again with backoff
  unreachable: 'unreachable', // blocked, unfollowed: held until she writes
  later: 'held', // nothing wrong, not now (a closed window): held
  refused: 'failed', // will never go through as it is: given up
};

/** Counts one send (no-op without metrics) and hands back the result unchanged, so callers stay one line. */
export function countDelivery(
  metrics: Pick<Metrics, 'delivery'> | undefined,
  channel: string,
  kind: DeliveryKind,
  result: ChannelResult,
): ChannelResult {
  metrics?.delivery(channel, kind, RESULT_WORD[result.kind]);
  return result;
}
