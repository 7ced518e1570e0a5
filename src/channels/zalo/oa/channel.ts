// The Zalo Official Account (API v3) channel: a thin adapter between Zalo's webhook + OA API and the BotGateway.
// Events come in through the webhook route (signature checked, 200 at once) and are processed right after, one
// member at a time in arrival order; replies go out as consultation messages that quote the member's message.
// De-duplication: member messages by msg_id in the gateway; unfollow/withdraw by a stable id claimed here.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  BotGateway,
  Delivery,
  DeliveryResult,
  InboundMessage,
  MediaSource,
} from '../../../conversation/messages.ts';
import { systemClock, type Clock, type Logger } from '../../../conversation/ports.ts';
import { zaloOaCredentialId, type CredentialStore } from '../../../domain/credentials.ts';
import type { WebhookRoute } from '../../../http/routes.ts';
import { downloadLimited } from '../../shared/download.ts';
import type { FetchFn } from '../http.ts';
import { CALLS, createOaApi, type OaMessage, type OaRecipient } from './api.ts';
import { WINDOW_ERROR_CODES } from './errors.ts';
import { parseEvent, type OaEvent } from './inbound.ts';
import { createOAuthClient } from './oauth.ts';
import { createPayloadMemory } from './payloads.ts';
import { createKeyedQueue } from '../../../conversation/keyedQueue.ts';
import { renderOutbound, type OaOutgoing } from './render.ts';
import { createOaSender, userRef, type RetryPolicy, type SendOutcome, type Sleep } from './sender.ts';
import { createTokenManager } from './tokens.ts';
import { createOaWebhookRoute, type WebhookRejections } from './webhook.ts';

export interface ZaloOaChannelOptions {
  /** The Zalo app's id (developers.zalo.me), also part of every webhook signature. */
  appId: string;
  /** The OA secret key of the app's webhook settings: checks X-ZEvent-Signature. */
  oaSecretKey: string;
  /** The app's secret key: authenticates token refreshes. */
  appSecret: string;
  /** Path of the webhook route, e.g. "/zalo/oa/webhook". */
  webhookPath: string;
  /** Default https://openapi.zalo.me */
  apiBase?: string;
  /** Default https://oauth.zaloapp.com */
  oauthBase?: string;
  /** Where the OA's token pair lives (row `zalo-oa:<app id>`). */
  credentials: CredentialStore;
  gateway: BotGateway;
  logger: Logger;
  clock?: Clock;
  fetch?: FetchFn;
  /** Per request to Zalo. Default 10 s. */
  timeoutMs?: number;
  /** Injected in tests to avoid real waits between retries. */
  sleep?: Sleep;
  retry?: Partial<RetryPolicy>;
  /** Refresh the access token when it expires within this. Default 30 min. */
  tokenMarginMs?: number;
  /**
   * Records an event id (unfollow, withdraw) and says whether it is new; false = a redelivery, ignored. Wire it to
   * the database's inbound log so it holds across restarts and instances. Default: this process's memory.
   */
  claimEvent?: (eventId: string) => Promise<boolean>;
  /** Reads a local image to upload (photo refs that are not URLs). Default: the file system. */
  readImage?: (ref: string) => Promise<Uint8Array>;
}

export interface ZaloOaStats {
  /** Signed events accepted by the webhook. */
  events: number;
  /** Events not for the bot, by event name (user_seen_message, oa_send_text, ...). */
  ignored: Record<string, number>;
  /** Requests refused by the webhook. */
  rejected: WebhookRejections;
}

export interface ZaloOaChannel {
  /** Checks that a token pair is stored. */
  start(): Promise<void>;
  /** Waits for the events in progress. Close the HTTP server first. */
  stop(): Promise<void>;
  /**
   * Refreshes the access token if it expires within the margin, so the refresh-token chain stays alive when nobody
   * writes; throws when the refresh fails. Run by the job runner every hour (src/app/jobs, "zalo-oa.token").
   */
  refreshTokenIfDue(): Promise<void>;
  route: WebhookRoute;
  /** Counters for /healthz and logs (no personal data). */
  stats(): ZaloOaStats;
  /** Resolves when every accepted event has been processed (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * How the outbox sends to an OA follower (replies and pushes alike; connected to the gateway at creation). Zalo
   * allows messages only within 7 days of the member's last message: outside it the result is 'later' (kept until
   * she writes); Zalo refusing (-230, unfollowed, blocked) is 'unreachable'. A reply quotes her message; a push quotes
   * her last message when this process saw it (a free reply within 48 h).
   */
  delivery: Delivery;
  /** Fetches a photo a member sent: user_send_image gives its URL on Zalo's servers. */
  media: MediaSource;
}

/** Zalo refuses consultation messages to a member who has not written for this long. */
export const MESSAGING_WINDOW_MS = 7 * 86_400_000;

const DEFAULT_TIMEOUT_MS = 10_000;

export function createZaloOaChannel(options: ZaloOaChannelOptions): ZaloOaChannel {
  const { gateway, logger } = options;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};

  const api = createOaApi({ apiBase: options.apiBase ?? 'https://openapi.zalo.me', timeoutMs, ...fetchOption });
  const tokens = createTokenManager({
    store: options.credentials,
    credentialId: zaloOaCredentialId(options.appId),
    oauth: createOAuthClient({
      oauthBase: options.oauthBase ?? 'https://oauth.zaloapp.com',
      appId: options.appId,
      appSecret: options.appSecret,
      timeoutMs,
      ...fetchOption,
    }),
    clock,
    logger,
    ...(options.tokenMarginMs === undefined ? {} : { marginMs: options.tokenMarginMs }),
  });
  const sender = createOaSender({
    tokens,
    logger,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const payloads = createPayloadMemory();
  const queue = createKeyedQueue();
  const claim = options.claimEvent ?? memoryClaim();
  const readImage = options.readImage ?? ((ref: string) => readFile(ref));

  /** The last message id of each member seen by this process, so a push can quote it (bounded, transient). */
  const lastMessageIds = new Map<string, string>();
  const counters: ZaloOaStats = { events: 0, ignored: {}, rejected: { signature: 0, malformed: 0 } };
  const inProgress = new Set<Promise<void>>();

  function accept(raw: unknown): void {
    counters.events++;
    const task = processEvent(raw).catch((error: unknown) => {
      // Not expected (each step handles its own failures); never let one event take the process down.
      logger.error({ errName: error instanceof Error ? error.name : typeof error }, 'zalo oa event failed');
    });
    inProgress.add(task);
    void task.finally(() => inProgress.delete(task));
  }

  async function processEvent(raw: unknown): Promise<void> {
    const event = parseEvent(raw, clock.now(), (userId, text) => payloads.recognise(userId, text));
    switch (event.kind) {
      case 'ignored':
        counters.ignored[event.eventName] = (counters.ignored[event.eventName] ?? 0) + 1;
        logger.debug({ event: event.eventName, reason: event.reason }, 'zalo oa event ignored');
        return;
      case 'message':
        await queue.run(event.userId, () => converse(event));
        return;
      case 'unfollow':
        await queue.run(event.userId, async () => {
          if (!(await claimOnce(event.eventId, event.eventName))) return;
          logger.info({ event: event.eventName, user: userRef(event.userId) }, 'zalo member unfollowed the OA');
          await markUnreachable(event.userId, event.eventName);
        });
        return;
      case 'withdraw':
        await queue.run(event.userId, async () => {
          if (!(await claimOnce(event.eventId, event.eventName))) return;
          logger.info({ event: event.eventName, user: userRef(event.userId) }, 'zalo member asked to erase her data');
          lastMessageIds.delete(event.userId);
          await gateway.erase({ channel: 'zalo', userId: event.userId });
        });
        return;
    }
  }

  async function claimOnce(eventId: string, eventName: string): Promise<boolean> {
    if (await claim(eventId)) return true;
    logger.info({ event: eventName }, 'zalo oa duplicate event ignored');
    return false;
  }

  /** Hands the message to the bot; the outbox sends the replies through `delivery` once the turn has committed. */
  async function converse(event: Extract<OaEvent, { kind: 'message' }>): Promise<void> {
    if (event.replyTo !== undefined) rememberMessageId(event.userId, event.replyTo);
    const message: InboundMessage =
      event.replyTo === undefined ? event.message : { ...event.message, quote: event.replyTo };
    try {
      await gateway.handle(message);
    } catch (error) {
      logger.error(
        { event: event.eventName, errName: error instanceof Error ? error.name : typeof error },
        'gateway failed',
      );
    }
  }

  async function deliver(
    recipient: OaRecipient,
    outgoing: OaOutgoing,
    context: { event: string; userId: string },
  ): Promise<SendOutcome<unknown>> {
    let message: OaMessage;
    if (outgoing.kind === 'message') {
      message = outgoing.message;
    } else {
      const uploaded = await upload(outgoing.path, context);
      if (!uploaded.ok) return uploaded;
      message = {
        ...(outgoing.caption === undefined ? {} : { text: outgoing.caption }),
        attachment: {
          type: 'template',
          payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: uploaded.result }] },
        },
      };
    }
    const outcome = await sender.call(CALLS.send, (token) => api.sendMessage(token, { recipient, message }), context);
    if (outcome.ok && 'attachment' in message && message.attachment.payload.template_type === 'button') {
      payloads.remember(
        context.userId,
        message.attachment.payload.buttons.map((b) => b.payload),
      );
    }
    return outcome;
  }

  async function upload(ref: string, context: { event: string; userId: string }): Promise<SendOutcome<string>> {
    let bytes: Uint8Array;
    try {
      bytes = await readImage(ref);
    } catch (error) {
      logger.error({ ...context, user: userRef(context.userId), errName: errName(error) }, 'zalo photo unreadable');
      return { ok: false, reason: 'failed', code: 'unreadable' };
    }
    const image = { bytes, filename: path.basename(ref), contentType: imageType(ref) };
    const outcome = await sender.call(CALLS.upload, (token) => api.uploadImage(token, image), context);
    return outcome.ok ? { ok: true, result: outcome.result.attachmentId } : outcome;
  }

  async function markUnreachable(userId: string, eventName: string): Promise<void> {
    try {
      await gateway.markUnreachable({ channel: 'zalo', userId });
    } catch (error) {
      logger.error({ event: eventName, user: userRef(userId), errName: errName(error) }, 'markUnreachable failed');
    }
  }

  function rememberMessageId(userId: string, messageId: string): void {
    lastMessageIds.delete(userId);
    lastMessageIds.set(userId, messageId);
    if (lastMessageIds.size > 10_000) {
      const oldest = lastMessageIds.keys().next().value;
      if (oldest !== undefined) lastMessageIds.delete(oldest);
    }
  }

  /** One message to one follower, one attempt (the sender's own short retries aside), the outcome reported. */
  const delivery: Delivery = {
    async deliver(to, message): Promise<DeliveryResult> {
      if (to.channel !== 'zalo') return { kind: 'later', reason: 'channel' };
      const userId = to.userId;
      const context = { event: to.kind, userId };
      // A reply answers what she just wrote; only a push can fall outside her window.
      const closed =
        to.lastInboundAt === null || clock.now().getTime() - to.lastInboundAt.getTime() >= MESSAGING_WINDOW_MS;
      if (to.kind === 'push' && closed) {
        logger.info({ event: context.event, user: userRef(userId) }, 'zalo member outside the 7-day window, kept');
        return { kind: 'later', reason: 'window' };
      }
      const quoted = to.quote ?? lastMessageIds.get(userId);
      const recipient: OaRecipient =
        quoted === undefined ? { user_id: userId } : { user_id: userId, message_id: quoted };
      for (const outgoing of renderOutbound(message)) {
        const outcome = await deliver(recipient, outgoing, context);
        if (outcome.ok) continue;
        const code = outcome.code === undefined ? '' : `:${String(outcome.code)}`;
        switch (outcome.reason) {
          case 'unreachable': {
            const window = typeof outcome.code === 'number' && WINDOW_ERROR_CODES.has(outcome.code);
            return { kind: 'unreachable', reason: `zalo${code}`, window };
          }
          // A token or OA problem an admin must fix (already logged for her): retried with backoff meanwhile.
          case 'config':
            return { kind: 'failed', reason: `config${code}` };
          // A photo file this process cannot read will not appear by retrying: skipped, the rest still sent.
          case 'failed':
            return outcome.code === 'unreadable'
              ? { kind: 'refused', reason: 'unreadable' }
              : { kind: 'failed', reason: `zalo${code}` };
        }
      }
      return { kind: 'sent' };
    },
  };
  gateway.connect('zalo', delivery);

  async function idle(): Promise<void> {
    while (inProgress.size > 0) await Promise.all([...inProgress]);
  }

  const route = createOaWebhookRoute({
    path: options.webhookPath,
    appId: options.appId,
    oaSecretKey: options.oaSecretKey,
    logger,
    rejected: counters.rejected,
    accept,
  });

  return {
    route,
    async start() {
      const status = await tokens.status();
      if (status === null) {
        throw new Error(
          `Zalo OA: no token pair is stored for app ${options.appId}. Obtain one through Zalo's OAuth and store it ` +
            'with `npm run zalo:tokens -- --access-token … --refresh-token …` (see README "Zalo").',
        );
      }
      logger.info(
        { path: options.webhookPath, accessExpiresAt: status.accessExpiresAt.toISOString() },
        'zalo oa webhook route ready',
      );
    },
    async stop() {
      await idle();
    },
    async refreshTokenIfDue() {
      await tokens.accessToken();
    },
    stats: () => ({ ...counters, ignored: { ...counters.ignored }, rejected: { ...counters.rejected } }),
    idle,
    media: {
      download: (url, maxBytes) => downloadLimited(url, maxBytes, { ...fetchOption }),
    },
    delivery,
  };
}

/** Event ids seen by this process (bounded): enough for one instance without a database-backed claim. */
function memoryClaim(limit = 10_000): (eventId: string) => Promise<boolean> {
  const seen = new Set<string>();
  return async (eventId) => {
    if (seen.has(eventId)) return false;
    seen.add(eventId);
    if (seen.size > limit) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
    return true;
  };
}

function imageType(ref: string): string {
  return /\.png$/i.test(ref) ? 'image/png' : 'image/jpeg';
}

function errName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
