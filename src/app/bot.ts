// The bot as every channel sees it (BotGateway): one entry point for every member message, whatever the channel.
// It de-duplicates redelivered messages, finds or creates the member, serialises a member's messages, runs the
// conversation engine (retrying if another process changed the state meanwhile) and never throws: a failure
// becomes a short apology in the member's language, and the bot keeps serving everyone else.
import { ConversationConflictError, ConversationEngine, type Vocabulary } from '../conversation/engine.ts';
import type { ActionHandler, Flow, Translate } from '../conversation/flow.ts';
import type {
  BotGateway,
  ChannelUser,
  InboundContent,
  InboundMessage,
  OutboundMessage,
} from '../conversation/messages.ts';
import { loggableError, type Clock, type Logger } from '../conversation/ports.ts';
import type { ConversationRepository, InboundLog, Language, Member, MemberRepository } from '../domain/member.ts';
import { createKeyedQueue } from '../conversation/keyedQueue.ts';
import { DEFAULT_TIME_ZONE } from '../domain/time.ts';
import type { PhotoIntake } from './files/intake.ts';

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
  /** Messages that waited for this member (she was out of reach) are shown before the replies when she writes. */
  outbox?: { takePending(member: Member): Promise<OutboundMessage[]> };
  /** Stores a member's photos at a step that asks for them, before the engine sees the message (app/files). */
  photos?: PhotoIntake;
}

const CONFLICT_RETRIES = 3;

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
  });
  const queue = createKeyedQueue();
  const keyOf = (u: ChannelUser) => `${u.channel}:${u.userId}`;

  async function findOrCreate(message: InboundMessage): Promise<Member> {
    const existing = await deps.members.findByChannelUser(message.channel, message.userId);
    if (existing) return existing;
    // The platform's language hint is deliberately not used: many members' phones are set to English while they
    // read Vietnamese. Newcomers are greeted in the default language and choose in the very first question.
    return deps.members.create({
      channel: message.channel,
      channelUserId: message.userId,
      language: deps.defaultLanguage,
    });
  }

  /** Photos are fetched and stored once, before the flow sees them; a retried turn reuses the stored files. */
  const preparePhotos = (member: Member, content: InboundContent): Promise<InboundContent> =>
    deps.photos ? deps.photos.prepare(member, content, () => engine.photoStep(member)) : Promise.resolve(content);

  async function handleOnce(message: InboundMessage): Promise<OutboundMessage[]> {
    let content = normalizeContent(message.content);
    for (let attempt = 1; ; attempt++) {
      let member = await findOrCreate(message);
      member = await deps.members.update(member.id, { lastInboundAt: message.receivedAt, unreachableAt: null });
      if (attempt === 1) content = await preparePhotos(member, content);
      try {
        const result = await engine.handle(member, content);
        const waiting = result.member && deps.outbox ? await deps.outbox.takePending(result.member) : [];
        return [...waiting, ...result.replies];
      } catch (error) {
        if (!(error instanceof ConversationConflictError) || attempt >= CONFLICT_RETRIES) throw error;
        deps.logger.debug({ channel: message.channel, attempt }, 'conversation state conflict, retrying');
      }
    }
  }

  async function apology(message: InboundMessage): Promise<OutboundMessage[]> {
    let language = deps.defaultLanguage;
    try {
      language = (await deps.members.findByChannelUser(message.channel, message.userId))?.language ?? language;
    } catch {
      // the database may be what failed; apologise in the default language
    }
    return [{ kind: 'text', text: deps.translator(language)('common:apology') }];
  }

  return {
    handle: (message) =>
      queue.run(keyOf(message), async () => {
        const started = Date.now();
        try {
          if (!(await deps.inbound.claim(message.channel, message.messageId))) {
            deps.logger.info({ channel: message.channel, messageId: message.messageId }, 'duplicate delivery ignored');
            return [];
          }
          const replies = await handleOnce(message);
          deps.logger.debug(
            { channel: message.channel, kind: message.content.kind, replies: replies.length, ms: Date.now() - started },
            'message handled',
          );
          return replies;
        } catch (error) {
          deps.logger.error(
            { channel: message.channel, messageId: message.messageId, err: loggableError(error) },
            'handling a message failed',
          );
          return apology(message);
        }
      }),

    markUnreachable: async (user) => {
      const member = await deps.members.findByChannelUser(user.channel, user.userId);
      if (member) await deps.members.update(member.id, { unreachableAt: deps.clock.now() });
    },

    erase: (user) =>
      queue.run(keyOf(user), async () => {
        const member = await deps.members.findByChannelUser(user.channel, user.userId);
        if (member) await deps.members.delete(member.id);
      }),
  };
}

/**
 * Text as Unicode NFC before anything reads or stores it: some keyboards (iOS, macOS, some Android ones) send
 * decomposed Vietnamese (NFD), which would otherwise be stored and compared as other letters (REFERENCE.md).
 */
export function normalizeContent(content: InboundContent): InboundContent {
  switch (content.kind) {
    case 'text':
      return { kind: 'text', text: content.text.normalize('NFC') };
    case 'photo':
      return content.caption === undefined ? content : { ...content, caption: content.caption.normalize('NFC') };
    default:
      return content;
  }
}
