// The processor of stored inbound events, on the in-memory store (the database store is tested with the Zalo OA
// channel in test/channels/zalo/oa/durable.e2e.test.ts): order per member, retries, failure kept with a redacted reason.
import { describe, expect, it } from 'vitest';
import {
  createInboundProcessor,
  memoryInboundEventStore,
  type InboundEvent,
  type InboundEventStore,
} from '../../src/conversation/inboundEvents.ts';
import { silentLogger } from '../helpers/chat.ts';

async function add(store: InboundEventStore, key: string, userId: string): Promise<void> {
  const now = new Date();
  await store.add({ channel: 'zalo', eventKey: key, userId, payload: key, occurredAt: now, receivedAt: now });
}

describe('the inbound event processor', () => {
  it('handles a member’s events one at a time in order, members side by side, each once', async () => {
    const store = memoryInboundEventStore();
    const log: string[] = [];
    const processor = createInboundProcessor({
      store,
      channel: 'zalo',
      logger: silentLogger,
      pollMs: 20,
      handle: async (event) => {
        log.push(`start ${event.payload}`);
        await new Promise((resolve) => setTimeout(resolve, event.userId === 'a' ? 15 : 1));
        log.push(`end ${event.payload}`);
      },
    });
    for (const key of ['a1', 'b1', 'a2', 'b2', 'a3']) await add(store, key, key[0] ?? '');
    expect(
      await store.add({
        channel: 'zalo',
        eventKey: 'a1',
        userId: 'a',
        payload: 'x',
        occurredAt: new Date(),
        receivedAt: new Date(),
      }),
    ).toBe(false);
    processor.start();
    await processor.idle();
    await processor.stop();
    const of = (user: string) => log.filter((l) => l.includes(` ${user}`));
    expect(of('a')).toEqual(['start a1', 'end a1', 'start a2', 'end a2', 'start a3', 'end a3']);
    expect(of('b')).toEqual(['start b1', 'end b1', 'start b2', 'end b2']);
    // b did not wait for a's slow events.
    expect(log.indexOf('end b2')).toBeLessThan(log.indexOf('end a1'));
    expect(processor.stats()).toEqual({ handled: 5, retried: 0, failed: 0 });
    expect(await store.counts('zalo')).toEqual({ waiting: 0, failed: 0 });
  });

  it('retries a failing event with backoff, then keeps it as failed with the error’s name only; the next one goes on', async () => {
    const store = memoryInboundEventStore();
    const failures: string[] = [];
    const retried: string[] = [];
    const recording: InboundEventStore = {
      ...store,
      retry: async (event: InboundEvent, error: string, retryAt: Date) => {
        retried.push(error);
        await store.retry(event, error, retryAt);
      },
      fail: async (event: InboundEvent, error: string, now: Date) => {
        failures.push(error);
        await store.fail(event, error, now);
      },
    };
    const handled: string[] = [];
    const processor = createInboundProcessor({
      store: recording,
      channel: 'zalo',
      logger: silentLogger,
      pollMs: 10,
      backoffMs: 5,
      maxAttempts: 3,
      handle: async (event) => {
        if (event.payload === 'bad') {
          const error = new Error('Nguyễn Thị Lan 0912 345 678') as Error & { code: string };
          error.name = 'DatabaseError';
          error.code = 'P1001';
          throw error;
        }
        handled.push(event.payload);
      },
    });
    await add(store, 'bad', 'a');
    await add(store, 'good', 'a');
    processor.start();
    const deadline = Date.now() + 5_000;
    while (handled.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await processor.stop();
    expect(retried).toEqual(['DatabaseError (P1001)', 'DatabaseError (P1001)']);
    expect(failures).toEqual(['DatabaseError (P1001)']);
    expect(handled).toEqual(['good']);
    expect(await store.counts('zalo')).toEqual({ waiting: 0, failed: 1 });
    expect(processor.stats()).toEqual({ handled: 1, retried: 2, failed: 1 });
  });
});
