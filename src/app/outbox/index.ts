// The outbox module: everything the bot sends (src/app/outbox/outbox.ts), its rate limits and its kind of personal data.
export {
  createOutbox,
  DEFAULT_OUTBOX_SETTINGS,
  type Outbox,
  type OutboxDeps,
  type OutboxSettings,
  type QueuedReplies,
} from './outbox.ts';
export { outboxDataKind } from './personalData.ts';
export { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimit } from './rate.ts';
