// Ports of CPython's _TestQueue (Lib/test/_test_multiprocessing.py) and the contract of API.md.
import { describe, expect, it } from 'vitest';
import { getContext, type Process, ValueError } from '@mp/context';
import { Empty, Full, JoinableQueue, Queue, SimpleQueue } from '@mp/queue';
import { SerializationError } from '@mp/serialize';
import { eventually, METHODS, trackedChildren } from '@mp/testing';
import { run, start, TIMEOUT1, TIMEOUT2, TIMEOUT3 } from './helpers.js';

const started = trackedChildren<Process>();

describe.each(METHODS)('Queue with a %s child', (method) => {
  const ctx = getContext(method);

  it('put: blocking, non-blocking and timeouts on a full bounded queue (test_put)', async () => {
    const MAXSIZE = 6;
    const queue = ctx.Queue<number>(MAXSIZE);
    const childCanStart = ctx.SimpleQueue<boolean>();
    const parentCanContinue = ctx.SimpleQueue<boolean>();
    await start(
      method,
      async (q: Queue<number>, go: SimpleQueue<boolean>, done: SimpleQueue<boolean>) => {
        await go.get();
        for (let i = 0; i < 6; i++) await q.get();
        await done.put(true);
      },
      [queue, childCanStart, parentCanContinue],
      started,
    );
    expect(queue.empty()).toBe(true);
    expect(queue.full()).toBe(false);
    await queue.put(1);
    await queue.put(2, true);
    await queue.put(3, true, null);
    await queue.put(4, false);
    await queue.put(5, false, null);
    queue.putNowait(6);
    expect(queue.empty()).toBe(false);
    expect(queue.full()).toBe(true);
    expect(queue.qsize()).toBe(MAXSIZE);
    await expect(queue.put(7, false)).rejects.toBeInstanceOf(Full);
    await expect(queue.put(7, false, null)).rejects.toBeInstanceOf(Full);
    expect(() => queue.putNowait(7)).toThrow(Full);
    await expect(queue.put(7, true, TIMEOUT1)).rejects.toBeInstanceOf(Full);
    await expect(queue.put(7, false, TIMEOUT2)).rejects.toBeInstanceOf(Full);
    await expect(queue.put(7, true, TIMEOUT3)).rejects.toBeInstanceOf(Full);
    expect(() => queue.putSync(7, true, TIMEOUT1)).toThrow(Full);
    await childCanStart.put(true);
    await parentCanContinue.get();
    expect(queue.empty()).toBe(true);
    expect(queue.full()).toBe(false);
    await started.at(-1)!.join(10_000);
    expect(started.at(-1)!.exitCode).toBe(0);
  });

  it('get: blocking, non-blocking and timeouts (test_get)', async () => {
    const queue = ctx.Queue<number>();
    const childCanStart = ctx.SimpleQueue<boolean>();
    const parentCanContinue = ctx.SimpleQueue<boolean>();
    await start(
      method,
      async (q: Queue<number>, go: SimpleQueue<boolean>, done: SimpleQueue<boolean>) => {
        await go.get();
        await q.put(2);
        await q.put(3);
        await q.put(4);
        await q.put(5);
        await done.put(true);
      },
      [queue, childCanStart, parentCanContinue],
      started,
    );
    expect(queue.empty()).toBe(true);
    await childCanStart.put(true);
    await parentCanContinue.get();
    expect(await eventually(() => !queue.empty())).toBe(true);
    expect(await queue.get(true, null)).toBe(2);
    expect(await queue.get(true)).toBe(3);
    expect(await queue.get(true, 1000)).toBe(4);
    expect(await eventually(() => queue.qsize() === 1)).toBe(true);
    expect(queue.getNowait()).toBe(5);
    expect(queue.empty()).toBe(true);
    await expect(queue.get(false)).rejects.toBeInstanceOf(Empty);
    await expect(queue.get(false, null)).rejects.toBeInstanceOf(Empty);
    expect(() => queue.getNowait()).toThrow(Empty);
    await expect(queue.get(true, TIMEOUT1)).rejects.toBeInstanceOf(Empty);
    await expect(queue.get(false, TIMEOUT2)).rejects.toBeInstanceOf(Empty);
    await expect(queue.get(true, TIMEOUT3)).rejects.toBeInstanceOf(Empty);
    expect(() => queue.getSync(true, TIMEOUT1)).toThrow(Empty);
    await started.at(-1)!.join(10_000);
  });

  it('a child adds to what the parent put; all come out in order (test_fork)', async () => {
    const queue = ctx.Queue<number>();
    for (let i = 0; i < 10; i++) await queue.put(i);
    const p = await start(
      method,
      async (q: Queue<number>) => {
        for (let i = 10; i < 20; i++) await q.put(i);
      },
      [queue],
      started,
    );
    const result: number[] = [];
    for (let i = 0; i < 20; i++) result.push(await queue.get(true, 10_000));
    expect(result).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await expect(queue.get(false)).rejects.toBeInstanceOf(Empty);
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
  });

  it('a child gets with timeouts and non-blocking calls, sync and async', async () => {
    const queue = ctx.Queue<string>();
    const results = ctx.Queue<string>();
    const code = await run(
      method,
      async (q: Queue<string>, out: Queue<string>) => {
        const kinds: string[] = [];
        for (const attempt of [() => q.getNowait(), () => q.getSync(true, 50), () => q.get(false), () => q.get(true, 50)]) {
          try {
            await attempt();
            kinds.push('item');
          } catch (error) {
            kinds.push(error instanceof Empty ? 'Empty' : String(error));
          }
        }
        await out.put(kinds.join(','));
        await q.put('from child');
        await out.put(q.getSync(true, 5000));
      },
      [queue, results],
      started,
    );
    expect(code).toBe(0);
    expect(await results.get(true, 5000)).toBe('Empty,Empty,Empty,Empty');
    expect(await results.get(true, 5000)).toBe('from child');
  });

  it('a child puts to a bounded queue, waiting for room', async () => {
    const queue = ctx.Queue<number>(2);
    const checked = ctx.SimpleQueue<string>();
    const p = await start(
      method,
      async (q: Queue<number>, report: SimpleQueue<string>) => {
        q.putSync(0);
        await q.put(1);
        const outcome = await q.put(2, false).then(
          () => 'no error',
          (e: unknown) => (e instanceof Full ? 'Full' : String(e)),
        );
        let sync = 'no error';
        try {
          q.putNowait(2);
        } catch (error) {
          sync = error instanceof Full ? 'Full' : String(error);
        }
        await report.put(`${outcome} ${sync} ${q.full()} ${q.qsize()}`);
        await q.put(2, true, 20_000);
        q.putSync(3, true, 20_000);
      },
      [queue, checked],
      started,
    );
    expect(await checked.get()).toBe('Full Full true 2');
    const got: number[] = [];
    for (let i = 0; i < 4; i++) got.push(await queue.get(true, 20_000));
    expect(got).toEqual([0, 1, 2, 3]);
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
  });

  it('an item that cannot be serialized rejects its put; the queue keeps working (test_queue_feeder_donot_stop_onexc)', async () => {
    const queue = ctx.Queue<unknown>();
    await expect(queue.put(new WeakMap())).rejects.toBeInstanceOf(SerializationError);
    expect(() => queue.putSync(new WeakMap())).toThrow(SerializationError);
    await queue.put(true);
    expect(await queue.get(true, 5000)).toBe(true);
    const code = await run(
      method,
      async (q: Queue<unknown>) => {
        const refused = await q.put(new WeakMap()).then(() => false, () => true);
        await q.put(refused);
      },
      [queue],
      started,
    );
    expect(code).toBe(0);
    expect(await queue.get(true, 5000)).toBe(true);
  });

  it('a grandchild puts to a queue its grandparent reads', async () => {
    const queue = ctx.Queue<string>();
    const code = await run(
      method,
      async (q: Queue<string>) => {
        for (const m of ['thread', 'spawn'] as const) {
          const p = getContext(m).Process({ target: (q2: Queue<string>, name: string) => q2.put(`grandchild ${name}`), args: [q, m] });
          await p.start();
          await p.join();
        }
      },
      [queue],
      started,
    );
    expect(code).toBe(0);
    const got = [await queue.get(true, 10_000), await queue.get(true, 10_000)].sort();
    expect(got).toEqual(['grandchild spawn', 'grandchild thread']);
  });

  it('a queue made in a child reaches the parent through another queue', async () => {
    const channel = ctx.Queue<Queue<string>>();
    const p = await start(
      method,
      async (out: Queue<Queue<string>>) => {
        const mine = new Queue<string>();
        await mine.put('made in the child');
        await out.put(mine);
        // stay alive until the parent has read: the queue lives in the root process anyway
      },
      [channel],
      started,
    );
    const theirs = await channel.get(true, 10_000);
    expect(theirs).toBeInstanceOf(Queue);
    expect(await theirs.get(true, 10_000)).toBe('made in the child');
    await theirs.put('and back');
    expect(theirs.getNowait()).toBe('and back');
    await p.join(10_000);
  });
});

describe('Queue in one process', () => {
  it('every context has Queue, JoinableQueue and SimpleQueue factories', () => {
    for (const method of METHODS) {
      const ctx = getContext(method);
      expect(ctx.Queue()).toBeInstanceOf(Queue);
      expect(ctx.Queue<number>(4).maxsize).toBe(4);
      expect(ctx.JoinableQueue()).toBeInstanceOf(JoinableQueue);
      expect(ctx.JoinableQueue(3).maxsize).toBe(3);
      expect(ctx.SimpleQueue()).toBeInstanceOf(SimpleQueue);
    }
    expect(getContext().Queue()).toBeInstanceOf(Queue);
  });

  it('qsize counts puts and gets (test_qsize)', async () => {
    const q = new Queue<number>();
    expect(q.qsize()).toBe(0);
    await q.put(1);
    expect(q.qsize()).toBe(1);
    await q.put(5);
    expect(q.qsize()).toBe(2);
    await q.get();
    expect(q.qsize()).toBe(1);
    await q.get();
    expect(q.qsize()).toBe(0);
    q.close();
  });

  it('get with a timeout rejects with Empty (test_timeout)', async () => {
    const q = new Queue<number>();
    await expect(q.get(true, 200)).rejects.toBeInstanceOf(Empty);
    await expect(q.get(true, -5)).rejects.toBeInstanceOf(Empty);
    const error = await q.get(true, 0).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/empty/);
  });

  it('put and get after close() throw "is closed" (test_closed_queue_put_get_exceptions)', async () => {
    for (const q of [new Queue<string>(), new JoinableQueue<string>()]) {
      q.close();
      await expect(q.put('foo')).rejects.toThrow(/is closed/);
      await expect(q.get()).rejects.toThrow(/is closed/);
      await expect(q.put('foo')).rejects.toBeInstanceOf(ValueError);
      expect(() => q.putSync('foo')).toThrow(/is closed/);
      expect(() => q.getNowait()).toThrow(/is closed/);
      q.close(); // twice is fine
    }
  });

  it('empty() after close() is true on an unused queue and throws on a used one (test_closed_queue_empty_exceptions)', async () => {
    for (const q of [new Queue<string>(), new JoinableQueue<string>()]) {
      q.close();
      await q.joinThread();
      expect(q.empty()).toBe(true);
    }
    for (const q of [new Queue<string>(), new JoinableQueue<string>()]) {
      await q.put('foo');
      q.close();
      await q.joinThread();
      expect(() => q.empty()).toThrow(/is closed/);
    }
  });

  it('items are serialized at put: later changes are not seen', async () => {
    const q = new Queue<{ n: number; list: number[] }>();
    const item = { n: 1, list: [1] };
    await q.put(item);
    item.n = 2;
    item.list.push(2);
    expect(await q.get()).toEqual({ n: 1, list: [1] });
  });

  it('carries any serializable value, in order', async () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const values: unknown[] = [
      'text',
      'ünïcödé ✓',
      '',
      0,
      -0,
      NaN,
      Infinity,
      1.5,
      10n ** 20n,
      true,
      false,
      null,
      undefined,
      [1, [2, 3]],
      { a: { b: 'c' } },
      new Map([[1, 'one']]),
      new Set(['x']),
      new Date(0),
      /re/g,
      new Uint8Array([1, 2, 3]),
      new RangeError('boom'),
      'x'.repeat(100_000),
    ];
    const q = new Queue<unknown>();
    for (const v of values) await q.put(v);
    for (const v of values) expect(await q.get()).toEqual(v);
    await q.put(new Point(3, 4));
    const p = q.getSync() as Point;
    expect(p.norm()).toBe(5);
    const fn = (x: number) => x * 2;
    await q.put(fn);
    expect((q.getSync() as typeof fn)(21)).toBe(42);
  });

  it('an unbounded put never waits, beyond the ring size, and keeps the order', async () => {
    const q = new Queue<string>();
    const n = 20_000; // ~5 MB: far more than the ring holds
    const chunk = 'y'.repeat(240);
    for (let i = 0; i < n; i++) q.putSync(`${i}:${chunk}`);
    expect(q.qsize()).toBe(n);
    for (let i = 0; i < n; i++) {
      // The putting thread's own buffer is written before it reads: getNowait finds every item.
      const item = i % 2 === 0 ? q.getNowait() : await q.get(true, 10_000);
      if (item !== `${i}:${chunk}`) expect(item.slice(0, 10)).toBe(`${i}:`);
    }
    expect(q.qsize()).toBe(0);
  });

  it('maxsize: full(), Full, and Python rules for the bound', async () => {
    expect(new Queue().maxsize).toBe(0);
    expect(new Queue(-3).maxsize).toBe(0);
    expect(() => new Queue(1.5)).toThrow(TypeError);
    const q = new Queue<number>(1);
    expect(q.full()).toBe(false);
    q.putNowait(1);
    expect(q.full()).toBe(true);
    expect(() => q.putNowait(2)).toThrow(Full);
    const waiting = q.put(2, true, 5000);
    expect(await q.get()).toBe(1);
    await waiting;
    expect(await q.get()).toBe(2);
    expect(String(q)).toBe('<Queue(maxsize=1)>');
  });

  it('joinThread() resolves with buffered items delivered; cancelJoinThread() exists', async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 50_000; i++) await q.put(i);
    q.close();
    await q.joinThread();
    const reader = new Queue<number>(); // a second object of nothing: API presence only
    reader.cancelJoinThread();
    expect(q.qsize()).toBe(50_000);
  });

  it('Symbol.asyncDispose closes the queue', async () => {
    let escaped: Queue<number> | undefined;
    {
      await using q = new Queue<number>();
      escaped = q;
      await q.put(1);
    }
    await expect(escaped.put(2)).rejects.toThrow(/is closed/);
  });
});
