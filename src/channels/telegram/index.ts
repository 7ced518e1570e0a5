export { createTelegramChannel, type TelegramChannel, type TelegramChannelOptions } from './channel.ts';
export { webhookUrl } from '../shared/secretWebhook.ts';
export { ALLOWED_UPDATES } from './inbound.ts';
