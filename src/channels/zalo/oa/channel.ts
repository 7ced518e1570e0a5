// The Zalo Official Account (API v3) channel: a thin adapter between Zalo's webhook + OA API and the BotGateway.
// Events come in through the webhook route (signature and age checked, stored in the InboundEvent table, then 200)
// and are processed from the store right after, one member at a time in arrival order (also after a restart: see
// conversation/inboundEvents.ts); replies go out as consultation messages that quote the member's message.
// De-duplication: the store's key (msg_id, or a stable id for follow/unfollow/withdraw), and the gateway's handled
// mark for member messages.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  BotGateway,
  Delivery,
  DeliveryResult,
  InboundMessage,
  MediaSource,
  StoredPhotos,
} from '../../../conversation/messages.ts';
import {
  createInboundProcessor,
  memoryInboundEventStore,
  type InboundEventStore,
  type InboundProcessorStats,
} from '../../../conversation/inboundEvents.ts';
import { systemClock, type Clock, type Logger } from '../../../conversation/ports.ts';
import { zaloOaCredentialId, type CredentialStore } from '../../../domain/credentials.ts';
import type { WebhookRoute } from '../../../http/routes.ts';
import { downloadLimited } from '../../shared/download.ts';
import { readStoredPhoto, storedPhotoId, uploadName } from '../../shared/storedPhotos.ts';
import type { FetchFn } from '../http.ts';
import { CALLS, createOaApi, LIMITS, type OaMessage, type OaRecipient, type PromotionElement } from './api.ts';
import { WINDOW_ERROR_CODES } from './errors.ts';
import { eventLabel, eventTimestamp, minimalEvent, parseEvent, type OaEvent } from './inbound.ts';
import { createOAuthClient } from './oauth.ts';
import { createPayloadMemory } from './payloads.ts';
import { createKeyedQueue } from '../../../conversation/keyedQueue.ts';
import { promotionBody, renderOutbound, type OaOutgoing } from './render.ts';
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
  /**
   * Reads the photos the project stored (outbound refs "stored:<id>"), uploaded like a local image. Without it, or
   * when the file is gone (or over Zalo's 1 MB upload limit), the caption is sent alone.
   */
  storedPhotos?: StoredPhotos;
  /**
   * Where events are stored before the webhook answers (the database's InboundEvent table in production, so an
   * acknowledged event survives a crash). Default: this process's memory.
   */
  events?: InboundEventStore;
  /** The processor of stored events (lease, poll, retries); see createInboundProcessor. */
  processing?: { instanceId?: string; leaseMs?: number; pollMs?: number; maxAttempts?: number; backoffMs?: number };
  /** Signed events stamped earlier than this are refused (ZALO_OA_EVENT_MAX_AGE_SECONDS). Default 15 min. */
  maxEventAgeMs?: number;
}

export interface ZaloOaStats {
  /** Signed events accepted by the webhook. */
  events: number;
  /** Events stored for processing, and redeliveries of stored ones (not stored again). */
  stored: number;
  duplicates: number;
  /** Stored events handled, retried and kept as failed by this process. */
  processing: InboundProcessorStats;
  /** Events not for the bot, by event name (user_seen_message, oa_send_text, ...; unknown names as "other"). */
  ignored: Record<string, number>;
  /** Requests refused by the webhook. */
  rejected: WebhookRejections;
}

export interface ZaloOaChannel {
  /** Checks that a token pair is stored, then processes stored events (those left by a previous run first). */
  start(): Promise<void>;
  /** Stops processing stored events and waits for those in progress. Close the HTTP server first. */
  stop(): Promise<void>;
  /**
   * Refreshes the access token if it expires within the margin, so the refresh-token chain stays alive when nobody
   * writes; throws when the refresh fails. Run by the job runner every hour (src/app/jobs, "zalo-oa.token").
   */
  refreshTokenIfDue(): Promise<void>;
  route: WebhookRoute;
  /** Counters for /healthz and logs (no personal data). */
  stats(): ZaloOaStats;
  /** Resolves when every stored event that is due has been processed (tests, shutdown). */
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
/** Zalo delivers within seconds: a signed event older than this is a replay. */
export const DEFAULT_EVENT_MAX_AGE_MS = 15 * 60_000;

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
  const counters = {
    events: 0,
    stored: 0,
    duplicates: 0,
    ignored: {} as Record<string, number>,
    rejected: { signature: 0, malformed: 0, stale: 0, future: 0, unstored: 0 },
  };
  const store = options.events ?? memoryInboundEventStore();
  const processor = createInboundProcessor({
    store,
    channel: 'zalo',
    logger,
    clock,
    ...options.processing,
    // A failure here (the database, an erasure) is retried by the processor; gateway.handle itself never throws.
    handle: (stored) => processEvent(JSON.parse(stored.payload) as unknown),
  });
  let stopping = false;

  /** A signed, fresh event from the webhook: stored (durable) before the webhook answers, then processed. */
  async function accept(raw: unknown): Promise<void> {
    counters.events++;
    const now = clock.now();
    // Only to sort events: a tap and a typed text are told apart when the event is processed, in order.
    const event = parseEvent(raw, now, () => null);
    if (event.kind === 'ignored') {
      // Acknowledged (200) even when its fields fail the schema: the signature says Zalo sent it, and Zalo would
      // resend a refused event unchanged, to be refused again. Counted, and a malformed one is warned about (Zalo may
      // have changed the event's format). Never stored, so an oversized field costs no storage.
      countIgnored(event.eventName, event.reason, event.malformed === true);
      return;
    }
    const added = await store.add({
      channel: 'zalo',
      eventKey: event.kind === 'message' ? event.message.messageId : event.eventId,
      userId: event.userId,
      payload: JSON.stringify(minimalEvent(raw)),
      occurredAt: eventTimestamp(raw) ?? now,
      receivedAt: now,
    });
    if (!added) {
      counters.duplicates++;
      logger.info({ event: eventLabel(event.eventName) }, 'zalo oa duplicate event ignored');
      return;
    }
    counters.stored++;
    if (!stopping) {
      processor.start(); // no-op once started; a route used before start() still gets its events processed
      processor.kick();
    }
  }

  function countIgnored(eventName: string, reason: string, malformed = false): void {
    const label = eventLabel(eventName);
    counters.ignored[label] = (counters.ignored[label] ?? 0) + 1;
    if (malformed) logger.warn({ event: label }, 'zalo oa event ignored: its fields do not match the schema');
    else logger.debug({ event: label, reason: label === eventName ? reason : 'other' }, 'zalo oa event ignored');
  }

  async function processEvent(raw: unknown): Promise<void> {
    const event = parseEvent(raw, clock.now(), (userId, text) => payloads.recognise(userId, text));
    switch (event.kind) {
      case 'ignored':
        countIgnored(event.eventName, event.reason, event.malformed === true);
        return;
      case 'message':
        await queue.run(event.userId, () => converse(event));
        return;
      case 'unfollow':
        await queue.run(event.userId, async () => {
          logger.info({ event: event.eventName, user: userRef(event.userId) }, 'zalo member unfollowed the OA');
          await gateway.markUnreachable({ channel: 'zalo', userId: event.userId });
          await recordOnce(event.eventId, event.eventName);
        });
        return;
      case 'withdraw':
        await queue.run(event.userId, async () => {
          logger.info({ event: event.eventName, user: userRef(event.userId) }, 'zalo member asked to erase her data');
          // A request older than her last message is ignored by the gateway: she came back after it.
          await gateway.erase({ channel: 'zalo', userId: event.userId }, eventTimestamp(raw) ?? undefined);
          lastMessageIds.delete(event.userId);
          await recordOnce(event.eventId, event.eventName);
        });
        return;
    }
  }

  /** Records the id in the inbound log after the action (which is idempotent), so a failed action is retried. */
  async function recordOnce(eventId: string, eventName: string): Promise<void> {
    if (!(await claim(eventId))) logger.info({ event: eventName }, 'zalo oa event was handled before');
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
      if (!uploaded.ok && uploaded.code === 'missing') {
        // A stored photo that is gone: its caption alone (nothing without one), never a retry.
        if (outgoing.caption === undefined) return { ok: true, result: null };
        message = { text: outgoing.caption };
        return sender.call(CALLS.send, (token) => api.sendMessage(token, { recipient, message }), context);
      }
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
    const storedId = storedPhotoId(ref);
    if (storedId !== null) {
      const stored = await readStoredPhoto(options.storedPhotos, storedId);
      if (stored === null || stored.bytes.byteLength > LIMITS.imageBytes) {
        logger.warn({ ...context, user: userRef(context.userId) }, 'zalo stored photo missing or too large');
        return { ok: false, reason: 'failed', code: 'missing' };
      }
      const image = { bytes: stored.bytes, filename: uploadName(stored.mime), contentType: stored.mime };
      const outcome = await sender.call(CALLS.upload, (token) => api.uploadImage(token, image), context);
      return outcome.ok ? { ok: true, result: outcome.result.attachmentId } : outcome;
    }
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

  function rememberMessageId(userId: string, messageId: string): void {
    lastMessageIds.delete(userId);
    lastMessageIds.set(userId, messageId);
    if (lastMessageIds.size > 10_000) {
      const oldest = lastMessageIds.keys().next().value;
      if (oldest !== undefined) lastMessageIds.delete(oldest);
    }
  }

  /** Banners waiting for the text of the same promotion (a photo without caption comes first: see promotion). */
  const pendingBanners = new Map<string, PromotionElement>();

  /** A banner element for a photo: by URL, or uploaded; null when it cannot be uploaded (the text goes alone). */
  async function bannerFor(ref: string, context: { event: string; userId: string }): Promise<PromotionElement | null> {
    if (/^https?:\/\//i.test(ref)) return { type: 'banner', image_url: ref };
    const uploaded = await upload(ref, context);
    return uploaded.ok ? { type: 'banner', attachment_id: uploaded.result } : null;
  }

  /**
   * A broadcast to a follower outside the messaging window, as a promotion message (the dispatcher decided it is
   * allowed: ZALO_PROMOTION_*). A photo without caption is kept as the banner of the message that follows; its text,
   * header and buttons go in one promotion. Zalo's answers: -244 (she refuses promotion messages) → refused
   * "promotionRefused"; -211 (out of quota) → later "promotionQuota"; blocked / unfollowed → unreachable.
   */
  async function promotion(userId: string, message: Parameters<Delivery['deliver']>[1]): Promise<DeliveryResult> {
    const context = { event: 'promotion', userId };
    const body = promotionBody(message);
    let banner: PromotionElement | null = pendingBanners.get(userId) ?? null;
    pendingBanners.delete(userId);
    if (body.photo !== undefined) {
      banner = await bannerFor(body.photo, context);
      if (body.elements.length === 0) {
        if (banner !== null) {
          pendingBanners.set(userId, banner);
          if (pendingBanners.size > 10_000) {
            const oldest = pendingBanners.keys().next().value;
            if (oldest !== undefined) pendingBanners.delete(oldest);
          }
        }
        return { kind: 'sent' };
      }
    }
    const elements = [...(banner === null ? [] : [banner]), ...body.elements];
    if (elements.length === 0) return { kind: 'sent' };
    const outcome = await sender.call(
      CALLS.promotion,
      (token) =>
        api.sendPromotion(token, {
          recipient: { user_id: userId },
          message: {
            attachment: {
              type: 'template',
              payload: {
                template_type: 'promotion',
                elements,
                ...(body.buttons.length === 0 ? {} : { buttons: body.buttons }),
              },
            },
          },
        }),
      context,
    );
    if (outcome.ok) {
      if (body.buttons.length > 0)
        payloads.remember(
          userId,
          body.buttons.map((b) => b.payload),
        );
      return { kind: 'sent' };
    }
    const code = outcome.code === undefined ? '' : `:${String(outcome.code)}`;
    if (outcome.code === -244) return { kind: 'refused', reason: 'promotionRefused' };
    if (outcome.code === -211) return { kind: 'later', reason: 'promotionQuota' };
    switch (outcome.reason) {
      case 'unreachable':
        return { kind: 'unreachable', reason: `zalo${code}` };
      case 'config':
        return { kind: 'failed', reason: `config${code}` };
      case 'failed':
        return { kind: 'failed', reason: `zalo${code}` };
    }
  }

  /** One message to one follower, one attempt (the sender's own short retries aside), the outcome reported. */
  const delivery: Delivery = {
    async deliver(to, message): Promise<DeliveryResult> {
      if (to.channel !== 'zalo') return { kind: 'later', reason: 'channel' };
      const userId = to.userId;
      if (to.via === 'promotion' && to.kind === 'push') return promotion(userId, message);
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
    await processor.idle();
  }

  const route = createOaWebhookRoute({
    path: options.webhookPath,
    appId: options.appId,
    oaSecretKey: options.oaSecretKey,
    logger,
    rejected: counters.rejected,
    maxEventAgeMs: options.maxEventAgeMs ?? DEFAULT_EVENT_MAX_AGE_MS,
    now: () => clock.now(),
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
      if (!stopping) processor.start();
    },
    async stop() {
      stopping = true;
      await processor.stop();
    },
    async refreshTokenIfDue() {
      await tokens.accessToken();
    },
    stats: () => ({
      ...counters,
      processing: processor.stats(),
      ignored: { ...counters.ignored },
      rejected: { ...counters.rejected },
    }),
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
