// The platform side of the webhook bench: a loopback fake (Telegram Bot API, or Zalo OA) that the bot under test (or
// the bare echo bot) sends to, the updates a member posts to the webhook, and a counter of the messages each member
// got back with the time each arrived. Reuses the tests' fakes (test/channels/telegram/fake-bot-api.ts,
// test/channels/zalo/oa/fake-zalo.ts); during the measured phase the fakes keep no record (only counts), so that
// their memory stays flat.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { FakeBotApi, TOKEN } from '../../channels/telegram/fake-bot-api.ts';
import { APP_ID, APP_SECRET, CS_PATH, FakeZalo, OA_SECRET, sign, textEvent } from '../../channels/zalo/oa/fake-zalo.ts';

export const TELEGRAM_SECRET = 'bench-webhook-secret';
export const TELEGRAM_PATH = '/telegram/webhook';
export const ZALO_PATH = '/zalo/oa/webhook';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One POST on a kept-alive loopback connection; resolves with the status once the answer is read. */
export function post(port: number, urlPath: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': body.length },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`POST ${urlPath}: no answer within 60 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Messages received per member, with a wait for the n-th one (its arrival time, performance.now() ms). */
export class Replies {
  private readonly counts = new Map<string, number>();
  private readonly waiters = new Map<string, { target: number; resolve: (at: number) => void }[]>();
  /** Buttons of the last message with buttons, per member (only while `keepButtons`). */
  readonly buttons = new Map<string, Map<string, string>>();
  keepButtons = true;
  total = 0;

  arrived(member: string, buttons: () => { title: string; value: string }[]): void {
    const at = performance.now();
    this.total++;
    const count = (this.counts.get(member) ?? 0) + 1;
    this.counts.set(member, count);
    if (this.keepButtons) {
      const list = buttons();
      if (list.length > 0) this.buttons.set(member, new Map(list.map((b) => [b.title, b.value])));
    }
    const waiting = this.waiters.get(member);
    if (waiting === undefined) return;
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (waiting[i]!.target <= count) {
        waiting[i]!.resolve(at);
        waiting.splice(i, 1);
      }
    }
  }

  count(member: string): number {
    return this.counts.get(member) ?? 0;
  }

  /** Resolves at the arrival of the member's `target`-th message (at once when already there); rejects after `ms`. */
  waitFor(member: string, target: number, ms: number): Promise<number> {
    if (this.count(member) >= target) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(member) ?? [];
        const index = list.findIndex((w) => w.resolve === done);
        if (index >= 0) list.splice(index, 1);
        reject(new Error(`member ${member}: ${this.count(member)} message(s), waited ${ms} ms for message ${target}`));
      }, ms);
      const done = (at: number) => {
        clearTimeout(timer);
        resolve(at);
      };
      const list = this.waiters.get(member) ?? [];
      list.push({ target, resolve: done });
      this.waiters.set(member, list);
    });
  }
}

/** A member's action: a typed text, or a tap on a button of the last question (by its label). */
export type Action = { say: string } | { tap: string };

export interface Platform {
  readonly name: 'telegram' | 'zalo';
  readonly replies: Replies;
  /** The bot's environment for this platform (tokens, API base URLs, webhook mode). */
  readonly env: Record<string, string>;
  /** Member i's key in `replies`. */
  member(i: number): string;
  /** The body and headers member i's action posts to `path()`. */
  update(i: number, action: Action): { headers: Record<string, string>; body: Buffer };
  path(): string;
  /** Stops recording calls (keeps counting). */
  quiet(): void;
  close(): Promise<void>;
}

const userIdOf = (i: number) => 7_000_000 + i;

export async function telegramPlatform(): Promise<Platform> {
  const api = await FakeBotApi.start();
  const replies = new Replies();
  let recording = true;
  const push = api.requests.push.bind(api.requests);
  api.requests.push = (...items) => {
    for (const item of items) {
      if (item.method !== 'sendMessage') continue;
      replies.arrived(String(item.body['chat_id']), () => {
        const raw = item.body['reply_markup'];
        const markup = (typeof raw === 'string' ? JSON.parse(raw) : raw) as
          { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
        return (markup?.inline_keyboard ?? []).flat().map((b) => ({ title: b.text, value: b.callback_data }));
      });
    }
    return recording ? push(...items) : api.requests.length;
  };
  let updateId = 1000;
  return {
    name: 'telegram',
    replies,
    env: {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: api.apiRoot,
    },
    member: (i) => String(userIdOf(i)),
    path: () => TELEGRAM_PATH,
    update(i, action) {
      const id = userIdOf(i);
      const from = { id, is_bot: false, first_name: 'Lan', language_code: 'vi' };
      const chat = { id, type: 'private', first_name: 'Lan' };
      const update_id = ++updateId;
      let body: object;
      if ('say' in action) {
        body = { update_id, message: { message_id: update_id, date: 1_750_000_000, from, chat, text: action.say } };
      } else {
        const data = replies.buttons.get(String(id))?.get(action.tap);
        if (data === undefined) throw new Error(`member ${i}: no button "${action.tap}" in the last question`);
        body = {
          update_id,
          callback_query: {
            id: `cbq-${update_id}`,
            from,
            chat_instance: '-99',
            data,
            message: { message_id: 777, date: 1_750_000_000, chat, from: { id: 1, is_bot: true, first_name: 'Bot' } },
          },
        };
      }
      return {
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
        body: Buffer.from(JSON.stringify(body)),
      };
    },
    quiet() {
      recording = false;
      replies.keepButtons = false;
      api.requests.length = 0;
    },
    close: () => api.close(),
  };
}

/** The Zalo OA platform; `accessToken` is a token the fake accepts (the bot gets it through the credential store). */
export async function zaloPlatform(): Promise<
  Platform & { zalo: FakeZalo; accessToken: string; refreshToken: string }
> {
  const zalo = await FakeZalo.start();
  const replies = new Replies();
  let recording = true;
  type Sent = {
    recipient?: { user_id?: string };
    message?: { attachment?: { payload?: { buttons?: { title: string; payload: string }[] } } };
  };
  const push = zalo.calls.push.bind(zalo.calls);
  zalo.calls.push = (...items) => {
    for (const item of items) {
      if (item.path !== CS_PATH) continue;
      const sent = item.body as Sent;
      replies.arrived(String(sent.recipient?.user_id), () =>
        (sent.message?.attachment?.payload?.buttons ?? []).map((b) => ({ title: b.title, value: b.payload })),
      );
    }
    return recording ? push(...items) : zalo.calls.length;
  };
  const pair = zalo.issuePair();
  let msgId = 0;
  return {
    name: 'zalo',
    zalo,
    ...pair,
    replies,
    env: {
      ZALO_OA_APP_ID: APP_ID,
      ZALO_OA_SECRET_KEY: OA_SECRET,
      ZALO_APP_SECRET: APP_SECRET,
      ZALO_OA_API_BASE: zalo.baseUrl,
      ZALO_OAUTH_BASE: zalo.baseUrl,
    },
    member: (i) => String(userIdOf(i)),
    path: () => ZALO_PATH,
    update(i, action) {
      let text: string;
      if ('say' in action) text = action.say;
      else {
        // Zalo sends a button's payload back as the member's text.
        const payload = replies.buttons.get(String(userIdOf(i)))?.get(action.tap);
        if (payload === undefined) throw new Error(`member ${i}: no button "${action.tap}" in the last question`);
        text = payload;
      }
      const event = textEvent(String(userIdOf(i)), text, `bench-msg-${++msgId}`);
      const body = JSON.stringify(event);
      return {
        headers: { 'content-type': 'application/json', 'x-zevent-signature': sign(body, event.timestamp) },
        body: Buffer.from(body),
      };
    },
    quiet() {
      recording = false;
      replies.keepButtons = false;
      zalo.calls.length = 0;
    },
    close: () => zalo.close(),
  };
}
