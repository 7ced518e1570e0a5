// The Zalo Bot Platform channel: a thin adapter between the Bot Platform API and the BotGateway.
// Inbound: webhook deliveries or long-polled updates → InboundMessage (messageId = Zalo's message_id, so a redelivered
// event is handled once: de-duplication is the gateway's job). Outbound: the replies, rendered as plain texts with
// numbered choices, sent to the chat in order. A member out of reach is marked unreachable; nothing here throws at
// the caller once started, and nothing logs texts, names, phone numbers, the token or the webhook secret.
import type {
  BotGateway,
  Delivery,
  DeliveryResult,
  InboundMessage,
  MediaSource,
} from '../../../conversation/messages.ts';
import { systemClock, type Clock, type Logger } from '../../../conversation/ports.ts';
import type { WebhookRoute } from '../../../http/routes.ts';
import { downloadLimited } from '../../shared/download.ts';
import type { FetchFn } from '../http.ts';
import { createKeyedQueue } from '../../../conversation/keyedQueue.ts';
import { createZaloBotClient, type WebhookInfo } from './client.ts';
import { eventLabel, parseEvent } from './inbound.ts';
import { createPoller } from './polling.ts';
import { renderOutbound } from './render.ts';
import { chatRef, createSender, defaultSleep, describeFailure, type RetryPolicy, type Sleep } from './sender.ts';
import { createWebhookRoute } from './webhook.ts';
import { webhookUrl } from '../../shared/secretWebhook.ts';

export const DEFAULT_WEBHOOK_PATH = '/zalo/bot/webhook';

export interface ZaloBotChannelOptions {
  /** The bot token from Zalo Bot Creator ("<bot id>:<secret>"). Goes into every request URL, never into logs. */
  token: string;
  /** Bot Platform base URL. Default https://bot-api.zaloplatforms.com (a proxy or a test fake otherwise). */
  apiBase?: string;
  mode: 'polling' | 'webhook';
  /** Required in webhook mode. */
  webhook?: {
    /** Sent by Zalo in X-Bot-Api-Secret-Token: 8-256 visible ASCII characters. */
    secret: string;
    /** Path of the route mounted on the HTTP server, e.g. "/zalo/bot/webhook". */
    path: string;
    /**
     * Public HTTPS URL Zalo should call. When given, start() registers it with setWebhook; when it is a bare origin
     * ("https://bot.example.org") `path` is appended, otherwise it is used as is (for a proxy that rewrites).
     */
    publicUrl?: string;
  };
  gateway: BotGateway;
  logger: Logger;
  /** Injected in tests (the API faked at its HTTP seam). Default: Node's fetch. */
  fetch?: FetchFn;
  /** Timeout of one API call in ms (getUpdates waits its polling time on top). Default 10000. */
  timeoutMs?: number;
  /** Injected in tests to avoid real waits between retries and polling backoffs. */
  sleep?: Sleep;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Polling mode: how long one getUpdates call waits for an update (seconds). Default 30. */
  pollTimeoutSeconds?: number;
}

/** What the channel has seen since it was created (for logs, health pages and tests). */
export interface ZaloBotStats {
  /** Events received (webhook deliveries and polled updates), duplicates included. */
  events: number;
  /** Handed to the bot (text, photo, start, unsupported content). */
  messages: number;
  /** Not handed to the bot, by event name (group chats, withheld content, unknown events...). */
  ignored: Record<string, number>;
  /** Calls that failed for good (after retries) or were refused. */
  sendFailures: number;
  /** Times a member was found out of reach. */
  unreachable: number;
}

export interface ZaloBotChannel {
  /** Polling: deleteWebhook, getMe, then long polling in the background. Webhook: setWebhook if publicUrl is set. */
  start(): Promise<void>;
  /** Stops polling and waits for the messages in progress. In webhook mode, close the HTTP server first. */
  stop(): Promise<void>;
  /** Webhook mode only: the route to mount on the HTTP server. */
  route?: WebhookRoute;
  stats(): ZaloBotStats;
  /** How the outbox sends to a Bot Platform chat (replies and pushes alike); connected to the gateway at creation. */
  delivery: Delivery;
  /** Fetches a photo a member sent, by its URL (photo_url). */
  media: MediaSource;
}

export function createZaloBotChannel(options: ZaloBotChannelOptions): ZaloBotChannel {
  const { gateway, logger } = options;
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? defaultSleep;
  const client = createZaloBotClient({
    token: options.token,
    ...(options.apiBase === undefined ? {} : { apiBase: options.apiBase }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const sender = createSender({ client, logger, sleep, ...(options.retry ? { retry: options.retry } : {}) });
  const queue = createKeyedQueue();
  const stats: ZaloBotStats = { events: 0, messages: 0, ignored: {}, sendFailures: 0, unreachable: 0 };
  const media: MediaSource = {
    download: (url, maxBytes) =>
      downloadLimited(url, maxBytes, options.fetch === undefined ? {} : { fetch: options.fetch }),
  };

  async function processBody(body: unknown): Promise<void> {
    stats.events++;
    const event = parseEvent(body, clock.now());
    if (event.kind === 'ignored') {
      const key = statsKey(stats.ignored, eventLabel(event.eventName));
      stats.ignored[key] = (stats.ignored[key] ?? 0) + 1;
      logger.info({ event: key, reason: event.reason }, 'zalo bot event ignored');
      return;
    }
    stats.messages++;
    try {
      await queue.run(event.chatId, () => converse(event.chatId, event.message));
    } catch (error) {
      // Not expected (every step handles its own failures); never let one event take the process down.
      logger.error(
        { chat: chatRef(event.chatId), errName: error instanceof Error ? error.name : typeof error },
        'zalo bot event failed',
      );
    }
  }

  /** Hands the message to the bot; the outbox sends the replies through `delivery` once the turn has committed. */
  async function converse(chatId: string, message: InboundMessage): Promise<void> {
    try {
      await gateway.handle(message);
    } catch (error) {
      logger.error(
        { chat: chatRef(chatId), errName: error instanceof Error ? error.name : typeof error },
        'gateway failed',
      );
    }
  }

  /** One message to one chat (the sender's own short retries aside), the outcome reported to the outbox. */
  const delivery: Delivery = {
    async deliver(to, message): Promise<DeliveryResult> {
      if (to.channel !== 'zalobot') return { kind: 'later', reason: 'channel' };
      for (const call of renderOutbound(to.userId, message)) {
        const outcome = await sender.send(call);
        if (outcome === 'sent') continue;
        stats.sendFailures++;
        if (outcome === 'unreachable') {
          stats.unreachable++;
          return { kind: 'unreachable', reason: 'zalobot' };
        }
        // A refused call (bad token or request): an admin's problem, retried with backoff meanwhile.
        return { kind: 'failed', reason: outcome === 'config' ? 'config' : 'zalobot' };
      }
      return { kind: 'sent' };
    },
  };
  gateway.connect('zalobot', delivery);

  if (options.mode === 'polling') {
    const poller = createPoller({
      client,
      processUpdate: processBody,
      logger,
      sleep,
      ...(options.pollTimeoutSeconds === undefined ? {} : { timeoutSeconds: options.pollTimeoutSeconds }),
    });
    let started = false;
    return {
      async start() {
        if (started) return;
        try {
          // getUpdates does not work while a webhook is registered; deleting none is harmless.
          await client.deleteWebhook();
          const me = await client.getMe();
          logger.info({ botId: me.id }, 'zalo bot connected');
        } catch (error) {
          logger.error(describeFailure(error), 'zalo bot failed to start polling');
          throw safeError('Zalo Bot Platform polling failed to start', error);
        }
        started = true;
        poller.start();
      },
      async stop() {
        await poller.stop();
        started = false;
        await queue.idle();
      },
      stats: () => snapshot(stats),
      delivery,
      media,
    };
  }

  const webhook = options.webhook;
  if (webhook === undefined) throw new Error('Zalo Bot Platform webhook mode needs webhook options');
  const route = createWebhookRoute({ path: webhook.path, secret: webhook.secret, logger, processBody });
  return {
    route,
    media,
    async start() {
      if (webhook.publicUrl === undefined) {
        logger.info({ path: webhook.path }, 'zalo bot webhook route ready (setWebhook not called: no public URL)');
        return;
      }
      const url = webhookUrl(webhook.publicUrl, webhook.path);
      let info: WebhookInfo;
      try {
        info = await client.setWebhook(url, webhook.secret);
      } catch (error) {
        logger.error(describeFailure(error), 'zalo bot setWebhook failed');
        throw safeError('Zalo Bot Platform setWebhook failed', error);
      }
      const check = info.verification;
      if (check?.ok === false) {
        // Registered, but Zalo's test request did not get a 2xx (server not reachable yet, WAF, TLS...).
        logger.warn(
          { path: new URL(url).pathname, outcome: check.outcome, hint: check.hint },
          'zalo bot webhook registered, but Zalo could not reach it',
        );
      } else {
        logger.info({ path: new URL(url).pathname, outcome: check?.outcome }, 'zalo bot webhook registered');
      }
    },
    async stop() {
      await queue.idle();
    },
    stats: () => snapshot(stats),
    delivery,
  };
}

/** Event names as counter keys: well-formed names, at most 50 of them (the rest counted as "other"). */
function statsKey(counts: Record<string, number>, eventName: string): string {
  if (!/^[\w.-]{1,64}$/.test(eventName)) return 'other';
  return eventName in counts || Object.keys(counts).length < 50 ? eventName : 'other';
}

function snapshot(stats: ZaloBotStats): ZaloBotStats {
  return { ...stats, ignored: { ...stats.ignored } };
}

/** An error safe for any logger: the failure's kind, code and Zalo's description (never a URL, so never the token). */
function safeError(message: string, error: unknown): Error {
  const info = describeFailure(error);
  const detail = [info.errCode, info.description].filter((part) => part !== undefined).join(' ');
  return new Error(detail === '' ? `${message} (${info.kind})` : `${message}: ${detail}`);
}
