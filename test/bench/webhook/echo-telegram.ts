// The baseline of the Telegram webhook bench: a bare telegraf bot that only echoes. telegraf's webhookCallback on
// node:http (secret token checked by telegraf), ECHO_MESSAGES sendMessage calls per text message (awaited one after
// the other, as the bot's replies are), webhook replies off so every message goes through the (fake) Bot API.
// Env: ECHO_PORT, ECHO_MESSAGES (default 1), TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT, TELEGRAM_WEBHOOK_SECRET.
// GET /healthz answers 200 once listening.
import { createServer } from 'node:http';
import { Telegraf } from 'telegraf';

const messages = Number(process.env.ECHO_MESSAGES ?? 1);
const bot = new Telegraf(process.env.TELEGRAM_BOT_TOKEN ?? '', {
  telegram: { apiRoot: process.env.TELEGRAM_API_ROOT ?? '', webhookReply: false },
});
bot.on('message', async (ctx) => {
  const text = 'text' in ctx.message ? ctx.message.text : '?';
  for (let i = 0; i < messages; i++) await ctx.reply(text);
});
const callback = bot.webhookCallback('/telegram/webhook', { secretToken: process.env.TELEGRAM_WEBHOOK_SECRET ?? '' });
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200).end('ok');
    return;
  }
  void callback(req, res, () => {
    res.writeHead(404).end();
  });
});
server.listen(Number(process.env.ECHO_PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
