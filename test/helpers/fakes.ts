// A scripted BotGateway and a recording logger: the fakes every channel test uses in place of the bot.
import type { BotGateway, ChannelUser, InboundMessage, OutboundMessage } from '../../src/conversation/messages.ts';
import type { Logger } from '../../src/conversation/ports.ts';

export class FakeGateway implements BotGateway {
  readonly inbound: InboundMessage[] = [];
  readonly unreachable: ChannelUser[] = [];
  readonly erased: ChannelUser[] = [];
  /** What handle() answers; replace per test. */
  script: (message: InboundMessage) => OutboundMessage[] | Promise<OutboundMessage[]> = () => [];

  async handle(message: InboundMessage): Promise<OutboundMessage[]> {
    this.inbound.push(message);
    return this.script(message);
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
