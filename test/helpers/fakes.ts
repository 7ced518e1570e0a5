// A scripted BotGateway and a recording logger: the fakes every channel test uses in place of the bot.
import type {
  BotGateway,
  ChannelName,
  ChannelUser,
  Delivery,
  DeliveryResult,
  InboundMessage,
  OutboundMessage,
  PushResult,
} from '../../src/conversation/messages.ts';
import type { Logger } from '../../src/conversation/ports.ts';

export class FakeGateway implements BotGateway {
  readonly inbound: InboundMessage[] = [];
  readonly unreachable: ChannelUser[] = [];
  readonly erased: ChannelUser[] = [];
  /** What handle() answers; replace per test. */
  script: (message: InboundMessage) => OutboundMessage[] | Promise<OutboundMessage[]> = () => [];
  /** Each delivery attempt and its result, in order (what the real outbox would record). */
  readonly deliveries: { message: OutboundMessage; result: DeliveryResult }[] = [];
  private readonly connected = new Map<ChannelName, Delivery>();

  connect(channel: ChannelName, delivery: Delivery): void {
    this.connected.set(channel, delivery);
  }

  /** The delivery a channel connected (to send as the outbox does, with a target of the test's choosing). */
  deliveryFor(channel: ChannelName): Delivery | undefined {
    return this.connected.get(channel);
  }

  /**
   * Like the real gateway: the replies go out through the channel's connected delivery after the turn, in order,
   * stopping at the first that does not go through (the real outbox keeps the rest for later); an unreachable
   * member is marked so, as the real outbox does.
   */
  async handle(message: InboundMessage): Promise<OutboundMessage[]> {
    this.inbound.push(message);
    const replies = await this.script(message);
    const delivery = this.connected.get(message.channel);
    if (delivery !== undefined) {
      for (const reply of replies) {
        const result = await delivery.deliver(
          {
            kind: 'reply',
            channel: message.channel,
            userId: message.userId,
            lastInboundAt: message.receivedAt,
            ...(message.quote === undefined ? {} : { quote: message.quote }),
          },
          reply,
        );
        this.deliveries.push({ message: reply, result });
        if (result.kind === 'unreachable')
          await this.markUnreachable({ channel: message.channel, userId: message.userId });
        // A refused message is skipped (the real outbox records why); anything else holds the rest back.
        if (result.kind !== 'sent' && result.kind !== 'refused') break;
      }
    }
    return replies;
  }

  async markUnreachable(user: ChannelUser): Promise<void> {
    this.unreachable.push(user);
  }

  async erase(user: ChannelUser): Promise<void> {
    this.erased.push(user);
  }

  /** Replies with these messages to everything. */
  replies(...messages: OutboundMessage[]): this {
    this.script = () => messages;
    return this;
  }
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg?: string;
}

export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  debug(obj: object, msg?: string): void {
    this.entries.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string): void {
    this.entries.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string): void {
    this.entries.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string): void {
    this.entries.push({ level: 'error', obj, msg });
  }
  at(level: LogEntry['level']): LogEntry[] {
    return this.entries.filter((e) => e.level === level);
  }
  /** Everything logged, as one string, to check that no text or number leaked. */
  dump(): string {
    return JSON.stringify(this.entries);
  }
}

/**
 * A push function (a batch, one result) as a channel Delivery, for tests that watch what the bot sends on its own
 * initiative: replies go through without reaching it (the test reads them from handle()), pushes reach it.
 */
export function deliveryFrom(
  push: (to: ChannelUser & { lastInboundAt: Date | null }, messages: OutboundMessage[]) => Promise<PushResult>,
): Delivery {
  return {
    async deliver(to, message) {
      if (to.kind === 'reply') return { kind: 'sent' };
      const result = await push(to, [message]);
      if (result === 'sent') return { kind: 'sent' };
      if (result === 'unreachable') return { kind: 'unreachable', reason: 'test' };
      return { kind: 'later', reason: 'window' };
    },
  };
}

/**
 * Sends a push through a channel's delivery as the outbox would (one message after the other, stopping at the first
 * that does not go through) and sums it up: 'sent', 'unreachable', or 'later' for anything to be tried again.
 */
export async function pushVia(
  delivery: Delivery,
  to: ChannelUser & { lastInboundAt: Date | null },
  messages: OutboundMessage[],
  /** Marks her unreachable as the outbox does when the platform says so (the channel only reports it). */
  gateway?: Pick<BotGateway, 'markUnreachable'>,
): Promise<PushResult> {
  for (const message of messages) {
    const result = await delivery.deliver({ ...to, kind: 'push' }, message);
    if (result.kind === 'sent') continue;
    if (result.kind === 'unreachable') await gateway?.markUnreachable({ channel: to.channel, userId: to.userId });
    return result.kind === 'unreachable' && result.window !== true ? 'unreachable' : 'later';
  }
  return 'sent';
}
