// The turn scheduler with flood control: order of handling asserted without timing (a held first turn, a manual
// clock), one flood notice, nothing dropped, other members first, idle entries evicted.
import { describe, expect, it } from 'vitest';
import { createFairQueue } from '../../src/conversation/fairQueue.ts';

function manualClock(start = Date.UTC(2026, 11, 7, 9)) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

function held() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe('fair queue', () => {
  it('serves other members first while one floods; each of her messages still handled, in her order; one notice', async () => {
    const clock = manualClock();
    const notices: string[] = [];
    const queue = createFairQueue({
      clock,
      concurrency: 1,
      floodMessages: 5,
      floodWindowMs: 10_000,
      onFlood: (key) => notices.push(`${key}:${arrived}`),
    });
    const ran: string[] = [];
    let arrived = 0;
    const gate = held();
    // C's turn holds the only slot.
    const first = queue.run('C', async () => {
      await gate.promise;
      ran.push('C1');
    });
    const done: Promise<unknown>[] = [first];
    for (let i = 1; i <= 12; i++) {
      arrived = i;
      done.push(queue.run('A', async () => void ran.push(`A${i}`)));
      clock.advance(100);
    }
    done.push(queue.run('B', async () => void ran.push('B1')));
    expect(notices).toEqual(['A:6']);
    expect(queue.flooding('A')).toBe(true);
    expect(queue.flooding('B')).toBe(false);
    gate.release();
    await Promise.all(done);
    // Nothing dropped, her order kept; B served before A's waiting turns.
    expect(ran.filter((t) => t.startsWith('A'))).toEqual(Array.from({ length: 12 }, (_, i) => `A${i + 1}`));
    expect(ran.indexOf('B1')).toBe(1);
    expect(ran.indexOf('B1')).toBeLessThan(ran.indexOf('A6'));
    expect(notices).toHaveLength(1);
  });

  it('a member tapping through a flow at a human pace never trips it', async () => {
    const clock = manualClock();
    const notices: string[] = [];
    const queue = createFairQueue({
      clock,
      concurrency: 4,
      floodMessages: 20,
      floodWindowMs: 10_000,
      onFlood: (key) => notices.push(key),
    });
    // 60 taps, one every 0.6 s (faster than anyone reads a question).
    for (let i = 0; i < 60; i++) {
      await queue.run('A', async () => undefined);
      clock.advance(600);
    }
    expect(notices).toEqual([]);
  });

  it('a second notice only after a whole quiet window', async () => {
    const clock = manualClock();
    const notices: string[] = [];
    const queue = createFairQueue({
      clock,
      concurrency: 2,
      floodMessages: 3,
      floodWindowMs: 1_000,
      onFlood: () => notices.push(`m${current}`),
    });
    let current = 0;
    const burst = async (from: number) => {
      for (let i = from; i < from + 8; i++) {
        current = i;
        await queue.run('A', async () => undefined);
        clock.advance(100);
      }
    };
    await burst(0);
    clock.advance(500); // not a quiet window since her last message
    await burst(10);
    expect(notices).toEqual(['m3']);
    clock.advance(1_000);
    await burst(20);
    expect(notices).toEqual(['m3', 'm23']);
  });

  it('bounds the turns in progress and keeps each key in order; a failure does not block her next', async () => {
    const clock = manualClock();
    const queue = createFairQueue({ clock, concurrency: 3, floodMessages: 1000, floodWindowMs: 1000 });
    let inProgress = 0;
    let peak = 0;
    const seen = new Map<string, number[]>();
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      const key = `m${i % 17}`;
      const task = async () => {
        inProgress++;
        peak = Math.max(peak, inProgress);
        await new Promise((resolve) => setImmediate(resolve));
        inProgress--;
        seen.set(key, [...(seen.get(key) ?? []), i]);
        if (i % 5 === 0) throw new Error('boom');
      };
      work.push(queue.run(key, task).catch(() => undefined));
    }
    await Promise.all(work);
    await queue.idle();
    expect(peak).toBe(3);
    for (const [, order] of seen) expect(order).toEqual([...order].sort((a, b) => a - b));
    expect([...seen.values()].flat()).toHaveLength(200);
  });

  it('evicts idle members after a window (tens of thousands of members cost nothing afterwards)', async () => {
    const clock = manualClock();
    const queue = createFairQueue({ clock, concurrency: 8, floodMessages: 20, floodWindowMs: 10_000 });
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 30_000; i++) work.push(queue.run(`m${i}`, async () => undefined));
    await Promise.all(work);
    expect(queue.size()).toBe(30_000); // each still within her window
    clock.advance(10_000);
    await queue.run('late', async () => undefined);
    expect(queue.size()).toBe(1);
  });

  it('idle() waits for queued and running tasks', async () => {
    const clock = manualClock();
    const queue = createFairQueue({ clock, concurrency: 1, floodMessages: 5, floodWindowMs: 1000 });
    const gate = held();
    let finished = 0;
    void queue.run('A', async () => {
      await gate.promise;
      finished++;
    });
    void queue.run('B', async () => void finished++);
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    gate.release();
    await waiting;
    expect(finished).toBe(2);
  });
});
