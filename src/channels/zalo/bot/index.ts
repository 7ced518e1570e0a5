// The Zalo Bot Platform channel (for unions without a verified Official Account): see channel.ts.
export {
  createZaloBotChannel,
  DEFAULT_WEBHOOK_PATH,
  type ZaloBotChannel,
  type ZaloBotChannelOptions,
  type ZaloBotStats,
} from './channel.ts';
export { DEFAULT_API_BASE } from './client.ts';
export { webhookUrl } from '../../shared/secretWebhook.ts';
export { isValidWebhookSecret } from './webhook.ts';
