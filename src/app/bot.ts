// The bot as every channel sees it (BotGateway): one entry point for every member message, whatever the channel.
// It de-duplicates redelivered messages, finds or creates the member, serialises a member's messages, runs the
// conversation engine (retrying if another process changed the state meanwhile) and never throws: a failure
// becomes a short apology in the member's language, and the bot keeps serving everyone else.
import { createHash } from 'node:crypto';
import {
  ConversationConflictError,
  ConversationEngine,
  type EngineDeps,
  type Vocabulary,
} from '../conversation/engine.ts';
import type { ActionHandler, Flow, Translate } from '../conversation/flow.ts';
import type {
  BotGateway,
  ChannelUser,
  InboundContent,
  InboundMessage,
  OutboundMessage,
} from '../conversation/messages.ts';
import { loggableError, type Clock, type Logger, type Metrics, type Transactor } from '../conversation/ports.ts';
import {
  DuplicateDeliveryError,
  type ConversationRepository,
  type InboundLog,
  type Language,
  type Member,
  type MemberRepository,
} from '../domain/member.ts';
import { createTurnQueue, type TurnSettings } from './turnQueue.ts';
import { cleanText } from '../domain/text.ts';
import { DEFAULT_TIME_ZONE } from '../domain/time.ts';
import type { PhotoIntake } from './files/intake.ts';
import type { Outbox, QueuedReplies } from './outbox/index.ts';

export interface BotDeps {
  members: MemberRepository;
  conversations: ConversationRepository;
  inbound: InboundLog;
  flows: readonly Flow[];
  home: (member: Member) => string;
  translator: (language: Language) => Translate;
  vocabulary: Vocabulary;
  clock: Clock;
  logger: Logger;
  conversationTimeoutMs: number;
  /** IANA zone of every date a person reads (TIME_ZONE); default Asia/Ho_Chi_Minh. */
  timeZone?: string;
  defaultLanguage: Language;
  /** Buttons and typed commands outside the current question (officers' case actions, invitation codes). */
  actions?: ActionHandler;
  /** Makes each turn one transaction (see handleOnce). */
  transactor: Transactor;
  /**
   * Everything the bot sends: a turn's replies are queued in the turn's transaction and sent right after its commit;
   * what waited for her (she was out of reach) goes out before them. Channels connect their delivery here.
   */
  outbox: Pick<Outbox, 'connect' | 'queueReplies' | 'releaseHeld' | 'deliverNow' | 'sendDirect' | 'collect'>;
  /** Stores a member's photos at a step that asks for them, before the engine sees the message (app/files). */
  photos?: PhotoIntake;
  /** Before a flow runs: the consent purposes it needs (EngineDeps.beforeFlow; features/consent/purposes.ts). */
  beforeFlow?: EngineDeps['beforeFlow'];
  /** Where she goes back to after her conversation expired (EngineDeps.onReturn: an unfinished draft). */
  onReturn?: EngineDeps['onReturn'];
  /** What typed text asks for (EngineDeps.understanding; features/understanding.ts). */
  understanding?: EngineDeps['understanding'];
  /** A command word typed at the menu that means something there ("dừng": stop announcements; EngineDeps.homeCommand). */
  homeCommand?: EngineDeps['homeCommand'];
  /**
   * In her turn, after the engine and what the outbox held for her: the current broadcasts she could not be sent,
   * rendered in her language and marked shown (features/broadcasts/announcements.ts), queued before this turn's
   * replies in the turn's transaction; nothing when she has stopped announcements (in this very turn, too).
   */
  missedBroadcasts?: (member: Member) => Promise<OutboundMessage[]>;
  /** Counts each update by outcome and times its handling (GET /metrics); default none. */
  metrics?: Pick<Metrics, 'updateHandled' | 'floodNotice'>;
  /** Flood control and turns in progress at once (app/turnQueue.ts); absent: neither (as before issue 15). */
  turns?: TurnSettings;
}

const CONFLICT_RETRIES = 3;

/** A committed turn: whose rows to send (null: she was erased in it) and the replies, for the caller. */
interface Turn {
  memberId: string | null;
  replies: OutboundMessage[];
  /** Her replies' row, claimed in the turn (the outbox sends it after the commit without claiming again). */
  queued?: QueuedReplies;
}

export function createBot(deps: BotDeps): BotGateway {
  const engine = new ConversationEngine({
    flows: deps.flows,
    conversations: deps.conversations,
    clock: deps.clock,
    timeoutMs: deps.conversationTimeoutMs,
    timeZone: deps.timeZone ?? DEFAULT_TIME_ZONE,
    home: deps.home,
    translator: deps.translator,
    vocabulary: deps.vocabulary,
    ...(deps.actions ? { actions: deps.actions } : {}),
    ...(deps.beforeFlow ? { beforeFlow: deps.beforeFlow } : {}),
    ...(deps.onReturn ? { onReturn: deps.onReturn } : {}),
    ...(deps.understanding ? { understanding: deps.understanding } : {}),
    ...(deps.homeCommand ? { homeCommand: deps.homeCommand } : {}),
  });
  const queue = createTurnQueue(deps);
  const keyOf = (u: ChannelUser) => `${u.channel}:${u.userId}`;

  /** Her row, stamped with this message's time and reachable again (found and updated in one statement), or new. */
  async function findOrCreate(message: InboundMessage): Promise<Member> {
    const seen = { lastInboundAt: message.receivedAt, unreachableAt: null };
    const existing = await deps.members.updateByChannelUser(message.channel, message.userId, seen);
    if (existing) return existing;
    // The platform's language hint is deliberately not used: many members' phones are set to English while they
    // read Vietnamese. Newcomers are greeted in the default language and choose in the very first question.
    let created: Member;
    try {
      created = await deps.members.create({
        channel: message.channel,
        channelUserId: message.userId,
        language: deps.defaultLanguage,
      });
    } catch {
      // Another process created her at this instant; on PostgreSQL that failed insert aborted this turn's
      // transaction. Run the turn again: it will find her.
      throw new ConversationConflictError();
    }
    return deps.members.update(created.id, seen);
  }

  /**
   * Photos are fetched and stored before the turn (a download must not hold the turn's transaction open), once:
   * a retried turn reuses the stored files. Only for a member who exists; a newcomer is asked no photo.
   */
  async function preparePhotos(message: InboundMessage, content: InboundContent): Promise<InboundContent> {
    if (!deps.photos || content.kind !== 'photo') return content;
    const member = await deps.members.findByChannelUser(message.channel, message.userId);
    return member ? deps.photos.prepare(member, content, () => engine.photoStep(member)) : content;
  }

  /**
   * One turn, as one transaction: the update's handled mark, the member's last-seen time, the new conversation state,
   * every record the flow writes and every message it queues commit together, or nothing does (a crash or an error
   * midway leaves the update unhandled, so the platform's redelivery is handled once). Returns null for a duplicate.
   * A conflict with another process on the same member rolls the turn back and runs it again on the fresh state.
   */
  async function handleOnce(message: InboundMessage): Promise<Turn | null> {
    const content = await preparePhotos(message, normalizeContent(message.content));
    for (let attempt = 1; ; attempt++) {
      try {
        return await deps.transactor.run(async () => {
          // First statement of the turn: on a duplicate nothing else has been written.
          if (!(await deps.inbound.claim(message.channel, message.messageId))) throw new DuplicateDeliveryError();
          const member = await findOrCreate(message);
          const result = await engine.handle(member, content);
          if (result.member === null) return { memberId: null, replies: result.replies };
          // What waited for her goes first, then this turn's replies: all of it queued in this transaction.
          const waiting = await deps.outbox.releaseHeld(result.member);
          // Then the announcements she missed (still current, shown once), before this turn's replies.
          const missed = (await deps.missedBroadcasts?.(result.member)) ?? [];
          const replies = [...missed, ...result.replies];
          const queued = await deps.outbox.queueReplies(result.member, replies, message.quote);
          return {
            memberId: result.member.id,
            replies: [...waiting, ...replies],
            ...(queued === undefined ? {} : { queued }),
          };
        });
      } catch (error) {
        if (error instanceof DuplicateDeliveryError) return null;
        if (!(error instanceof ConversationConflictError) || attempt >= CONFLICT_RETRIES) throw error;
        deps.logger.debug({ channel: message.channel, attempt }, 'conversation state conflict, retrying');
      }
    }
  }

  /** After the commit, at once: her rows (this turn's replies behind anything of hers still due). */
  async function send(message: InboundMessage, turn: Turn): Promise<void> {
    if (turn.memberId !== null) await deps.outbox.deliverNow(turn.memberId, turn.queued);
    // She is gone (delete my data): no row can name her; the last words go straight out.
    else await deps.outbox.sendDirect(message, turn.replies);
  }

  /** The apology, through the outbox too (stored, so a failed send is retried), or straight out if that fails. */
  async function apology(message: InboundMessage): Promise<OutboundMessage[]> {
    let member: Member | null = null;
    try {
      member = await deps.members.findByChannelUser(message.channel, message.userId);
    } catch {
      // the database may be what failed; apologise in the default language
    }
    const replies: OutboundMessage[] = [
      { kind: 'text', text: deps.translator(member?.language ?? deps.defaultLanguage)('common:apology') },
    ];
    try {
      if (member === null) throw new Error('no member to queue for');
      await deps.outbox.queueReplies(member, replies, message.quote);
      await deps.outbox.deliverNow(member.id);
    } catch {
      await deps.outbox.sendDirect(message, replies);
    }
    return replies;
  }

  return {
    handle: (message) =>
      queue.run(keyOf(message), async () => {
        const started = Date.now();
        try {
          const { result: turn, pushedTo } = await deps.outbox.collect(() => handleOnce(message));
          if (turn === null) {
            deps.metrics?.updateHandled(message.channel, 'duplicate', (Date.now() - started) / 1000);
            deps.logger.info({ channel: message.channel, message: messageRef(message) }, 'duplicate delivery ignored');
            return [];
          }
          // Her replies first, then what the turn queued for others (an officer's notification), both at once.
          await send(message, turn);
          for (const recipientId of pushedTo) await deps.outbox.deliverNow(recipientId);
          deps.logger.debug(
            {
              channel: message.channel,
              kind: message.content.kind,
              replies: turn.replies.length,
              ms: Date.now() - started,
            },
            'message handled',
          );
          deps.metrics?.updateHandled(message.channel, 'handled', (Date.now() - started) / 1000);
          return turn.replies;
        } catch (error) {
          deps.logger.error(
            { channel: message.channel, message: messageRef(message), err: loggableError(error) },
            'handling a message failed',
          );
          deps.metrics?.updateHandled(message.channel, 'failed', (Date.now() - started) / 1000);
          return apology(message);
        }
      }),

    connect: (channel, delivery) => deps.outbox.connect(channel, delivery),

    markUnreachable: async (user) => {
      const member = await deps.members.findByChannelUser(user.channel, user.userId);
      if (member) await deps.members.update(member.id, { unreachableAt: deps.clock.now() });
    },

    erase: (user, requestedAt) =>
      queue.run(keyOf(user), () =>
        // One unit of work, as her own "Delete my data": every registered kind, or nothing. Her row is read inside
        // it, so the "came back" rule sees what is committed when the erasure is.
        deps.transactor.run(async () => {
          const member = await deps.members.findByChannelUser(user.channel, user.userId);
          if (!member) return;
          // A member who wrote after the request came back: a late or replayed request does not erase her.
          const cameBack =
            requestedAt !== undefined && member.lastInboundAt !== null && member.lastInboundAt > requestedAt;
          if (cameBack) {
            deps.logger.info({ channel: user.channel }, 'erasure request older than her last message ignored');
            return;
          }
          await deps.members.delete(member.id);
        }),
      ),
  };
}

/**
 * A message's id as logs show it: a short hash (12 hex digits of SHA-256 over channel and id), enough to tell two
 * lines about one delivery apart from others. The id itself comes from the platform's payload, which may carry
 * anything (a phone number as a message id), so it is never logged as it is.
 */
function messageRef(message: Pick<InboundMessage, 'channel' | 'messageId'>): string {
  return createHash('sha256').update(`${message.channel}:${message.messageId}`).digest('hex').slice(0, 12);
}

/**
 * Text as Unicode NFC before anything reads or stores it: some keyboards (iOS, macOS, some Android ones) send
 * decomposed Vietnamese (NFD), which would otherwise be stored and compared as other letters (REFERENCE.md); and
 * without control characters (a NUL byte fails any PostgreSQL write, so the member got the apology): see cleanText.
 */
export function normalizeContent(content: InboundContent): InboundContent {
  switch (content.kind) {
    case 'text':
      return { kind: 'text', text: cleanText(content.text) };
    case 'photo':
      return content.caption === undefined ? content : { ...content, caption: cleanText(content.caption) };
    default:
      return content;
  }
}
