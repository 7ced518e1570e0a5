// The gateway's turn queue (src/app/bot.ts): the fair scheduler with flood control (src/conversation/fairQueue.ts)
// and the one polite notice a flooding member gets — "you are sending quickly; every message will be answered in
// turn" (common:flood), in her language, through the outbox like her other messages (stored, then sent in her lane),
// on whatever channel she writes from (Telegram, Zalo OA — also from its stored events —, Zalo Bot, console: all reach
// the gateway). A newcomer with no member row yet gets it straight, in the default language. The notice never throws
// into the queue: it is a courtesy, her messages are handled whatever happens to it.
// Keys are the gateway's `<channel>:<platform user id>` (channel names carry no colon).
import type { Translate } from '../conversation/flow.ts';
import { createFairQueue, type FairQueue, type TurnSettings } from '../conversation/fairQueue.ts';
import { CHANNELS, type ChannelName, type ChannelUser, type OutboundMessage } from '../conversation/messages.ts';
import { loggableError, type Clock, type Logger, type Transactor } from '../conversation/ports.ts';
import type { Language, MemberRepository } from '../domain/member.ts';
import type { Outbox } from './outbox/index.ts';

export type { TurnSettings } from '../conversation/fairQueue.ts';

export interface TurnQueueDeps {
  clock: Clock;
  /** Absent: no bound on turns in progress and no flood control (keyedQueue's behaviour). */
  turns?: TurnSettings;
  members: Pick<MemberRepository, 'findByChannelUser'>;
  translator: (language: Language) => Translate;
  defaultLanguage: Language;
  outbox: Pick<Outbox, 'queueReplies' | 'deliverNow' | 'sendDirect'>;
  transactor: Transactor;
  logger: Logger;
}

export function createTurnQueue(deps: TurnQueueDeps): FairQueue {
  return createFairQueue({
    clock: deps.clock,
    ...deps.turns,
    onFlood: (key) => {
      const user = userOfKey(key);
      if (user) void sendFloodNotice(deps, user);
    },
  });
}

/** The member a gateway key names, or null for a key that is not `<channel>:<id>`. */
export function userOfKey(key: string): ChannelUser | null {
  const colon = key.indexOf(':');
  const channel = key.slice(0, colon) as ChannelName;
  if (colon <= 0 || !CHANNELS.includes(channel)) return null;
  return { channel, userId: key.slice(colon + 1) };
}

/** Sends the flood notice to her; resolves once it was handed to the outbox (or failed, logged without data). */
export async function sendFloodNotice(deps: TurnQueueDeps, user: ChannelUser): Promise<void> {
  try {
    const member = await deps.members.findByChannelUser(user.channel, user.userId);
    const notice: OutboundMessage[] = [
      { kind: 'text', text: deps.translator(member?.language ?? deps.defaultLanguage)('common:flood') },
    ];
    deps.logger.info({ channel: user.channel }, 'member flooding: one notice, her messages wait behind others');
    if (member === null) {
      await deps.outbox.sendDirect(user, notice);
      return;
    }
    await deps.transactor.run(() => deps.outbox.queueReplies(member, notice));
    await deps.outbox.deliverNow(member.id);
  } catch (error) {
    deps.logger.warn({ channel: user.channel, err: loggableError(error) }, 'flood notice failed');
  }
}
