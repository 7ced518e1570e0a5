export { createTelegramChannel, webhookUrl, type TelegramChannel, type TelegramChannelOptions } from './channel.ts';
export { ALLOWED_UPDATES } from './inbound.ts';
