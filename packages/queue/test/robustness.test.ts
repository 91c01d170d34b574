// Many producers and consumers, dying consumers, exiting producers, huge items.
import { describe, expect, it } from 'vitest';
import { getContext, type Process } from '@mp/context';
import { Empty, Queue } from '@mp/queue';
import { METHODS, trackedChildren } from '@mp/testing';
import { type Method, start } from './helpers.js';

const started = trackedChildren<Process>();

/** Producers put `p * 1e6 + i`; consumers send back what they got; every item must be seen once. */
async function manyToMany(method: Method, producers: number, perProducer: number, consumers: number): Promise<void> {
  const ctx = getContext(method);
  const queue = ctx.Queue<number | null>();
  const results = ctx.Queue<number[]>();
  const consumerProcs: Process[] = [];
  for (let c = 0; c < consumers; c++) {
    consumerProcs.push(
      await start(
        method,
        async (q: Queue<number | null>, out: Queue<number[]>) => {
          const got: number[] = [];
          for (let x = await q.get(); x !== null; x = await q.get()) got.push(x);
          await out.put(got);
        },
        [queue, results],
        started,
      ),
    );
  }
  const producerProcs: Process[] = [];
  for (let p = 0; p < producers; p++) {
    producerProcs.push(
      await start(
        method,
        async (q: Queue<number | null>, id: number, n: number) => {
          for (let i = 0; i < n; i++) await q.put(id * 1e6 + i);
        },
        [queue, p, perProducer],
        started,
      ),
    );
  }
  for (const p of producerProcs) await p.join(60_000);
  expect(producerProcs.map((p) => p.exitCode)).toEqual(producerProcs.map(() => 0));
  for (let c = 0; c < consumers; c++) await queue.put(null);
  const lists: number[][] = [];
  for (let c = 0; c < consumers; c++) lists.push(await results.get(true, 60_000));
  for (const p of consumerProcs) await p.join(10_000);

  const seen = new Map<number, number>();
  for (const list of lists) {
    const last = new Map<number, number>();
    for (const x of list) {
      seen.set(x, (seen.get(x) ?? 0) + 1);
      const producer = Math.floor(x / 1e6);
      // FIFO per producer: each consumer sees a producer's items in increasing order.
      if ((last.get(producer) ?? -1) >= x) throw new Error(`consumer saw ${x} after ${last.get(producer)}`);
      last.set(producer, x);
    }
  }
  expect(seen.size).toBe(producers * perProducer);
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
  for (let p = 0; p < producers; p++) for (let i = 0; i < perProducer; i++) if (!seen.has(p * 1e6 + i)) throw new Error(`lost ${p * 1e6 + i}`);
  expect(queue.qsize()).toBe(0);
}

describe('many producers and consumers', () => {
  it('thread: 4 producers × 10k items, 3 consumers: every item exactly once, in order per producer', async () => {
    await manyToMany('thread', 4, 10_000, 3);
  });

  it('spawn: 3 producers × 2k items, 2 consumers: every item exactly once, in order per producer', async () => {
    await manyToMany('spawn', 3, 2_000, 2);
  });
});

describe.each(METHODS)('robustness with %s children', (method) => {
  const ctx = getContext(method);

  it('a consumer killed while waiting in get() takes no item from the others', async () => {
    const queue = ctx.Queue<number>();
    const blocked = await start(
      method,
      async (q: Queue<number>) => {
        await q.get();
        throw new Error('the killed consumer got an item');
      },
      [queue],
      started,
    );
    const blockedSync = await start(method, (q: Queue<number>) => q.getSync(), [queue], started);
    await new Promise((resolve) => setTimeout(resolve, 300)); // let both reach their wait
    blocked.kill();
    blockedSync.kill();
    await blocked.join(10_000);
    await blockedSync.join(10_000);
    for (let i = 0; i < 100; i++) await queue.put(i);
    const got: number[] = [];
    for (let i = 0; i < 100; i++) got.push(await queue.get(true, 10_000));
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(queue.qsize()).toBe(0);
  });

  it('a child that put more than the queue holds, unread, can exit and be joined; the data stays readable', async () => {
    const queue = ctx.Queue<string>();
    const n = 2_000;
    const p = await start(
      method,
      async (q: Queue<string>, count: number) => {
        const filler = 'z'.repeat(2_000); // 4 MB in all: far more than the ring
        for (let i = 0; i < count; i++) await q.put(`${i}:${filler}`);
      },
      [queue, n],
      started,
    );
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
    expect(queue.qsize()).toBe(n);
    for (let i = 0; i < n; i++) {
      const item = await queue.get(true, 10_000);
      if (!item.startsWith(`${i}:`) || item.length !== `${i}:`.length + 2_000) throw new Error(`item ${i} is ${item.slice(0, 20)}`);
    }
    await expect(queue.get(false)).rejects.toBeInstanceOf(Empty);
  });

  it('a 50 MB item crosses the queue', async () => {
    const queue = ctx.Queue<Uint8Array>();
    const verdict = ctx.Queue<string>();
    const size = 50 * 1024 * 1024;
    const check = (bytes: Uint8Array, length: number): string => {
      if (bytes.length !== length) return `length ${bytes.length}`;
      for (let i = 0; i < bytes.length; i += 4093) if (bytes[i] !== (i * 31) % 251) return `byte ${i} is ${bytes[i]}`;
      return 'ok';
    };
    // parent → child
    const p = await start(
      method,
      async (q: Queue<Uint8Array>, out: Queue<string>, length: number, verify: typeof check) => {
        await out.put(verify(await q.get(), length));
        const big = new Uint8Array(length);
        for (let i = 0; i < length; i += 4093) big[i] = (i * 31) % 251;
        await q.put(big);
      },
      [queue, verdict, size, check],
      started,
    );
    const big = new Uint8Array(size);
    for (let i = 0; i < size; i += 4093) big[i] = (i * 31) % 251;
    await queue.put(big);
    expect(await verdict.get(true, 60_000)).toBe('ok');
    // child → parent
    await p.join(60_000);
    expect(p.exitCode).toBe(0);
    expect(check(await queue.get(true, 60_000), size)).toBe('ok');
  });
});

describe('robustness in the root process', () => {
  it('a thread consumer terminated mid-stream does not corrupt the queue', async () => {
    const queue = new Queue<string>();
    const consumer = await start(
      'thread',
      (q: Queue<string>) => {
        for (;;) q.getSync();
      },
      [queue],
      started,
    );
    let i = 0;
    const deadline = Date.now() + 300;
    while (Date.now() < deadline) {
      for (let k = 0; k < 200; k++) await queue.put(`${i++}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    consumer.terminate();
    await consumer.join(10_000);
    expect(consumer.exitCode).toBe(-15);
    for (let k = 0; k < 1000; k++) await queue.put(`${i++}`);
    // The rest comes out whole and in order; at most the item being read when it died is lost.
    let previous = -1;
    for (;;) {
      let item: string;
      try {
        item = await queue.get(true, 200);
      } catch (error) {
        expect(error).toBeInstanceOf(Empty);
        break;
      }
      const n = Number(item);
      expect(Number.isInteger(n) && n > previous).toBe(true);
      previous = n;
    }
    expect(previous).toBe(i - 1);
    expect(queue.qsize()).toBe(0);
    await queue.put('still works');
    expect(queue.getSync()).toBe('still works');
  });

  it('cancelJoinThread(): a thread child exits without delivering its buffer, and the count stays right', async () => {
    const queue = new Queue<string>();
    const p = await start(
      'thread',
      (q: Queue<string>) => {
        for (let i = 0; i < 5_000; i++) q.putSync(`${i}:${'c'.repeat(200)}`);
        q.cancelJoinThread();
      },
      [queue],
      started,
    );
    await p.join(20_000);
    expect(p.exitCode).toBe(0);
    const readable = queue.qsize();
    expect(readable).toBeGreaterThan(0);
    expect(readable).toBeLessThan(5_000);
    for (let i = 0; i < readable; i++) expect((await queue.get(true, 5000)).startsWith(`${i}:`)).toBe(true);
    expect(queue.qsize()).toBe(0);
  });
});
