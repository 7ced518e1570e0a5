// Routes a push to the channel the recipient uses. Channels register once they are started; a channel that is not
// running in this process (or cannot push, like the console) leaves the message waiting in the outbox.
import type { ChannelName, OutboundMessage, Pusher, PushResult } from '../conversation/messages.ts';

export class PusherRegistry implements Pusher {
  private readonly byChannel = new Map<ChannelName, Pusher>();

  register(channel: ChannelName, pusher: Pusher): void {
    this.byChannel.set(channel, pusher);
  }

  canPush(channel: ChannelName): boolean {
    return this.byChannel.has(channel);
  }

  push(to: Parameters<Pusher['push']>[0], messages: OutboundMessage[]): Promise<PushResult> {
    const pusher = this.byChannel.get(to.channel);
    return pusher ? pusher.push(to, messages) : Promise.resolve('later');
  }
}
