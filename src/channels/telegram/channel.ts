// The Telegram channel: a thin adapter between the Bot API and the BotGateway.
// telegraf is only the transport (API calls and long polling): no scenes, no session, no state between updates.
// De-duplication is the gateway's job: every update is handed over with messageId "u<update_id>".
import { Telegraf } from 'telegraf';
import { z } from 'zod';
import type {
  BotGateway,
  Delivery,
  DeliveryResult,
  InboundMessage,
  MediaSource,
  PendingPartStore,
  StoredPhotos,
} from '../../conversation/messages.ts';
import { systemClock, type Clock, type Logger } from '../../conversation/ports.ts';
import type { WebhookRoute } from '../../http/routes.ts';
import { createKeyedQueue } from '../../conversation/keyedQueue.ts';
import { downloadLimited } from '../shared/download.ts';
import { readStoredPhoto, storedPhotoId, uploadName } from '../shared/storedPhotos.ts';
import { createAlbumCollector, DEFAULT_ALBUM_GAP_MS, memoryPendingParts } from './albums.ts';
import { ALLOWED_UPDATES, parseUpdate, type TelegramEvent } from './inbound.ts';
import { markAnswered, renderOutbound, splitText, type TelegramCall } from './render.ts';
import { chatRef, createSender, describeError, type BotApi } from './transport.ts';
import { createWebhookRoute } from './webhook.ts';
import { webhookUrl } from '../shared/secretWebhook.ts';

export interface TelegramChannelOptions {
  token: string;
  /** Bot API base URL. Default https://api.telegram.org (a local Bot API server or a test fake otherwise). */
  apiRoot?: string;
  mode: 'polling' | 'webhook';
  /** Required in webhook mode. */
  webhook?: {
    /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token: 1-256 chars of A-Z a-z 0-9 _ -. */
    secret: string;
    /** Path of the route mounted on the HTTP server, e.g. "/telegram/webhook". */
    path: string;
    /**
     * Public HTTPS URL Telegram should call. When given, start() registers it with setWebhook; when it is a bare
     * origin ("https://bot.example.org") `path` is appended, otherwise it is used as is (for a proxy that rewrites).
     */
    publicUrl?: string;
  };
  gateway: BotGateway;
  logger: Logger;
  clock?: Clock;
  /** Polling died after start (e.g. 409: another instance is polling, 401: token revoked). Default: only logged. */
  onPollingError?: (error: unknown) => void;
  /**
   * Albums: where their parts wait (the database's PendingPartStore, so a restart loses none; default this process's
   * memory) and how long after the last part an album counts as complete (ALBUM_GAP_MS, default 1.5 s).
   */
  albums?: { store?: PendingPartStore; gapMs?: number };
  /**
   * Reads the photos the project stored (outbound refs "stored:<id>"), uploaded with sendPhoto as multipart/form-data.
   * Without it, or when the file is gone, the caption is sent alone.
   */
  storedPhotos?: StoredPhotos;
}

export interface TelegramChannel {
  /** Polling: connects (getMe) and starts long polling in the background. Webhook: setWebhook if publicUrl is set. */
  start(): Promise<void>;
  /** Stops polling and waits for the updates in progress. In webhook mode, close the HTTP server first. */
  stop(): Promise<void>;
  /** Webhook mode only: the route to mount on the HTTP server. */
  route?: WebhookRoute;
  /** How the outbox sends to a Telegram chat (replies and pushes alike); connected to the gateway at creation. */
  delivery: Delivery;
  /** Fetches a photo a member sent, by its file_id (getFile, then the file download). */
  media: MediaSource;
  /** Resolves when no album is waiting to be handed over and no update is in progress (tests, shutdown). */
  idle(): Promise<void>;
}

/** getFile's answer; `file_path` is absent when the file is over the Bot API's download limit (20 MB). */
const FileSchema = z.looseObject({ file_path: z.string().optional(), file_size: z.number().optional() });

export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const { gateway, logger } = options;
  const clock = options.clock ?? systemClock;

  const apiRoot = options.apiRoot ?? 'https://api.telegram.org';
  const bot = new Telegraf(options.token, { telegram: { apiRoot } });
  // telegraf's callApi is typed per method; our payloads are built (and typed) in render.ts.
  const callApi = bot.telegram.callApi.bind(bot.telegram) as unknown as (
    method: string,
    payload: object,
  ) => Promise<unknown>;
  const api: BotApi = { call: (method, payload) => callApi(method, payload) };
  const sender = createSender({ api, logger });
  const queue = createKeyedQueue();
  const albums = createAlbumCollector({
    store: options.albums?.store ?? memoryPendingParts(),
    gapMs: options.albums?.gapMs ?? DEFAULT_ALBUM_GAP_MS,
    clock,
    logger,
    deliver: (chatId, message) =>
      queue.run(chatId, () => converse(chatId, Number(message.messageId.replace(/^u/, '')), message)),
  });

  const media: MediaSource = {
    async download(fileId, maxBytes) {
      let file: z.infer<typeof FileSchema>;
      try {
        file = FileSchema.parse(await callApi('getFile', { file_id: fileId }));
      } catch (error) {
        if (/file is too big/i.test(describeError(error).description ?? '')) return 'tooLarge';
        throw safeError('Telegram getFile failed', error);
      }
      if (file.file_size !== undefined && file.file_size > maxBytes) return 'tooLarge';
      if (file.file_path === undefined) return 'tooLarge';
      // The token is part of the download URL: downloadLimited never puts the URL in an error.
      return downloadLimited(`${apiRoot}/file/bot${options.token}/${file.file_path}`, maxBytes);
    },
  };

  async function processUpdate(raw: unknown): Promise<void> {
    const event = parseUpdate(raw, clock.now());
    try {
      await dispatch(event);
    } catch (error) {
      // Not expected (every step handles its own failures); never let one update take the process down.
      logger.error(
        { updateId: event.updateId, errName: error instanceof Error ? error.name : typeof error },
        'telegram update failed',
      );
    }
  }

  async function dispatch(event: TelegramEvent): Promise<void> {
    switch (event.kind) {
      case 'ignored':
        logger.debug({ updateId: event.updateId, reason: event.reason }, 'telegram update ignored');
        if (event.callbackQueryId !== undefined) {
          await sender.call(
            { method: 'answerCallbackQuery', payload: { callback_query_id: event.callbackQueryId } },
            { updateId: event.updateId },
          );
        }
        return;
      case 'blocked':
        logger.info({ updateId: event.updateId, chat: chatRef(event.chatId) }, 'telegram member blocked the bot');
        await markUnreachable(event.chatId, event.updateId);
        return;
      case 'albumPart':
        await albums.add(event.part);
        return;
      case 'message':
        // An album still waiting for its last part goes first: she sent it before this message.
        await albums.flushChat(event.chatId);
        await queue.run(event.chatId, () => converse(event.chatId, event.updateId, event.message));
        return;
      case 'tap': {
        const context = { updateId: event.updateId, chatId: event.chatId };
        // Answer first, whatever the data: it stops the spinner on the member's button.
        await sender.call(
          { method: 'answerCallbackQuery', payload: { callback_query_id: event.callbackQueryId } },
          context,
        );
        await albums.flushChat(event.chatId);
        await queue.run(event.chatId, async () => {
          const edit = event.tapped === undefined ? null : markAnswered(event.chatId, event.tapped, event.data);
          if (edit !== null) {
            const outcome = await sender.call(edit, context);
            if (!outcome.ok && outcome.reason === 'unreachable') {
              await markUnreachable(event.chatId, event.updateId);
              return;
            }
          }
          await converse(event.chatId, event.updateId, event.message);
        });
        return;
      }
    }
  }

  /**
   * Hands the message to the bot. Its replies are not sent from here: the gateway queues them in the outbox, which
   * sends them through `delivery` right after the turn commits (and again later if that fails).
   */
  async function converse(chatId: string, updateId: number, message: InboundMessage): Promise<void> {
    try {
      await gateway.handle(message);
    } catch (error) {
      logger.error(
        { updateId, chat: chatRef(chatId), errName: error instanceof Error ? error.name : typeof error },
        'gateway failed',
      );
    }
  }

  /**
   * One message to one chat, one attempt per Bot API call, the outcome reported: no waiting here (a 429 is the
   * outbox's to honour, for that chat only). Telegram can message any chat that talked to the bot, unless it blocked it.
   */
  const delivery: Delivery = {
    async deliver(to, message): Promise<DeliveryResult> {
      for (const rendered of renderOutbound(to.userId, message)) {
        const calls = await withStoredPhoto(rendered);
        for (const call of calls) {
          const outcome = await sender.call(call, {
            chatId: to.userId,
            ...(to.outboxRow === undefined ? {} : { outboxRow: to.outboxRow }),
          });
          if (outcome.ok || outcome.reason === 'not-modified') continue;
          switch (outcome.reason) {
            case 'unreachable':
              return { kind: 'unreachable', reason: '403' };
            case 'retryAfter':
              return { kind: 'retryAfter', ms: outcome.ms };
            case 'refused':
              return { kind: 'refused', reason: outcome.code };
            case 'failed':
              return { kind: 'failed', reason: outcome.code };
          }
        }
      }
      return { kind: 'sent' };
    },
  };

  /**
   * A sendPhoto of a photo the project stored becomes an upload of its bytes (telegraf sends `{ source: Buffer }` as
   * multipart/form-data); a stored photo that is gone becomes its caption alone (nothing at all without one), never
   * a failure to retry. Any other call is sent as rendered.
   */
  async function withStoredPhoto(
    call: TelegramCall,
  ): Promise<(TelegramCall | { method: string; payload: Record<string, unknown> })[]> {
    if (call.method !== 'sendPhoto') return [call];
    const fileId = storedPhotoId(call.payload.photo);
    if (fileId === null) return [call];
    const stored = await readStoredPhoto(options.storedPhotos, fileId);
    if (stored === null) {
      logger.warn({ chat: chatRef(String(call.payload.chat_id)) }, 'telegram stored photo missing, caption sent alone');
      const caption = call.payload.caption ?? '';
      return splitText(caption).map((text) => ({
        method: 'sendMessage',
        payload: { chat_id: call.payload.chat_id, text },
      }));
    }
    const photo = { source: Buffer.from(stored.bytes), filename: uploadName(stored.mime) };
    return [{ method: 'sendPhoto', payload: { ...call.payload, photo } }];
  }
  gateway.connect('telegram', delivery);

  async function markUnreachable(chatId: string, updateId: number | null): Promise<void> {
    try {
      await gateway.markUnreachable({ channel: 'telegram', userId: chatId });
    } catch (error) {
      logger.error(
        { updateId, chat: chatRef(chatId), errName: error instanceof Error ? error.name : typeof error },
        'markUnreachable failed',
      );
    }
  }

  const idle = async () => {
    await albums.idle();
    await queue.idle();
  };

  if (options.mode === 'polling') {
    const polling = createPolling({
      bot,
      processUpdate,
      logger,
      idle: async () => {
        await albums.stop();
        await queue.idle();
      },
      onPollingError: options.onPollingError,
    });
    return {
      delivery,
      media,
      idle,
      async start() {
        await albums.recover();
        await polling.start();
      },
      stop: () => polling.stop(),
    };
  }

  const webhook = options.webhook;
  if (webhook === undefined) throw new Error('Telegram webhook mode needs webhook options');
  const route = createWebhookRoute({ path: webhook.path, secret: webhook.secret, logger, processUpdate });
  return {
    route,
    delivery,
    media,
    idle,
    async start() {
      await albums.recover();
      if (webhook.publicUrl === undefined) {
        logger.info({ path: webhook.path }, 'telegram webhook route ready (setWebhook not called: no public URL)');
        return;
      }
      const url = webhookUrl(webhook.publicUrl, webhook.path);
      try {
        await callApi('setWebhook', { url, secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      } catch (error) {
        logger.error(errorFields(error), 'telegram setWebhook failed');
        throw safeError('Telegram setWebhook failed', error);
      }
      logger.info({ path: new URL(url).pathname }, 'telegram webhook registered');
    },
    async stop() {
      await albums.stop();
      await queue.idle();
    },
  };
}

function createPolling(deps: {
  bot: Telegraf;
  processUpdate: (update: unknown) => Promise<void>;
  logger: Logger;
  idle: () => Promise<void>;
  onPollingError: ((error: unknown) => void) | undefined;
}): Pick<TelegramChannel, 'start' | 'stop'> {
  const { bot, logger } = deps;
  bot.use(async (ctx) => {
    await deps.processUpdate(ctx.update);
  });
  // telegraf's default handler sets process.exitCode and prints the whole update (texts!) to the console.
  bot.catch((error, ctx) => {
    logger.error({ updateId: ctx.update.update_id, ...errorFields(error) }, 'telegram update handler failed');
  });
  let running: Promise<void> | undefined;
  return {
    start() {
      if (running !== undefined) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        let launched = false;
        // launch() = getMe, deleteWebhook, then a polling loop that resolves only at stop(): resolve once connected.
        running = bot
          .launch({ allowedUpdates: [...ALLOWED_UPDATES], dropPendingUpdates: false }, () => {
            launched = true;
            logger.info({}, 'telegram long polling started');
            resolve();
          })
          .then(
            () => logger.info({}, 'telegram long polling stopped'),
            (error: unknown) => {
              logger.error(errorFields(error), 'telegram long polling failed');
              if (!launched) {
                running = undefined;
                reject(safeError('Telegram long polling failed to start', error));
              } else {
                deps.onPollingError?.(safeError('Telegram long polling failed', error));
              }
            },
          );
      });
    },
    async stop() {
      const settled = running;
      if (settled !== undefined) {
        // telegraf refuses to stop ("Bot is not running!") until launch() has passed getMe and deleteWebhook and
        // entered its polling loop; retry until it accepts, or until polling has ended on its own.
        for (;;) {
          try {
            bot.stop('shutdown');
            break;
          } catch {
            const ended = await Promise.race([
              settled.then(() => true),
              new Promise<false>((resolve) => setTimeout(() => resolve(false), 10)),
            ]);
            if (ended) break;
          }
        }
        await settled;
        running = undefined;
      }
      await deps.idle();
    },
  };
}

function errorFields(error: unknown): Record<string, unknown> {
  const info = describeError(error);
  return { errName: info.name, errCode: info.code, description: info.description };
}

/**
 * An error safe to hand to the caller's logger: telegraf's TelegramError carries the request payload
 * (setWebhook's secret_token, message texts), which a logger's error serializer would print.
 */
function safeError(message: string, error: unknown): Error {
  const info = describeError(error);
  const detail = [info.code, info.description].filter((part) => part !== undefined).join(' ');
  return new Error(detail === '' ? `${message} (${info.name})` : `${message}: ${detail}`);
}
