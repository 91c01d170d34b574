// Python's _TestPool (Lib/test/_test_multiprocessing.py), on both start methods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getContext, TimeoutError, ValueError } from '@mp/context';
import { AsyncResult, Pool, RemoteTraceback } from '@mp/pool';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
import { collectGarbage, exceptionThrowingGenerator, identity, mul, range, SayWhenError, sleep, sqr } from './fixtures/helpers.js';

describe.each(METHODS)('Pool on %s', (method) => {
  const ctx = getContext(method);
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ processes: 2, context: ctx });
  });
  afterAll(async () => {
    await pool.terminate();
  });

  it('apply', async () => {
    expect(await pool.apply(sqr, [5])).toBe(25);
    expect(await pool.apply(sqr, [3, 10])).toBe(9);
    expect(await pool.apply(() => 'no args')).toBe('no args');
  });

  it('map, also with a chunksize', async () => {
    expect(await pool.map(sqr, range(10))).toEqual(range(10).map((x) => x * x));
    expect(await pool.map(sqr, range(100), 20)).toEqual(range(100).map((x) => x * x));
  });

  it('starmap and starmapAsync', async () => {
    const tuples = range(10).map((i) => [i, 9 - i] as [number, number]);
    expect(await pool.starmap(mul, tuples)).toEqual(tuples.map(([a, b]) => a * b));
    const more = range(100).map((i) => [i, 99 - i] as [number, number]);
    expect(await pool.starmap(mul, more, 20)).toEqual(more.map(([a, b]) => a * b));
    expect(await pool.starmapAsync(mul, more).get()).toEqual(more.map(([a, b]) => a * b));
  });

  it('mapAsync returns its AsyncResult at once', async () => {
    const result = pool.mapAsync(sqr, range(10));
    expect(result).toBeInstanceOf(AsyncResult);
    expect(await result.get()).toEqual(range(10).map((x) => x * x));
    expect(result.ready()).toBe(true);
    expect(result.successful()).toBe(true);
  });

  it('mapAsync callbacks run in this process before wait() resolves', async () => {
    const calls: unknown[] = [];
    const parse = (s: string): number => {
      const n = Number(s);
      if (Number.isNaN(n)) throw new RangeError(`invalid literal: '${s}'`);
      return n;
    };
    await pool.mapAsync(parse, ['1'], undefined, (r) => calls.push(r), (e) => calls.push(e)).wait();
    expect(calls).toEqual([[1]]);
    await pool.mapAsync(parse, ['a'], undefined, (r) => calls.push(r), (e) => calls.push(e)).wait();
    expect(calls).toHaveLength(2);
    expect(calls[1]).toBeInstanceOf(RangeError);
  });

  it('map of something that cannot be sent rejects and does not hang', async () => {
    await expect(pool.map(sqr, Array.from({ length: 10 }, () => new WeakMap()) as never)).rejects.toThrow(/WeakMap/);
    expect(await pool.map(sqr, [2])).toEqual([4]);
  });

  it('mapAsync with a chunksize on an empty list does not stall', async () => {
    expect(await pool.mapAsync(sqr, [], 1).get(5000)).toEqual([]);
  });

  it('map rejects with the error of an input iterable, and stays usable', async () => {
    await expect(pool.map(sqr, exceptionThrowingGenerator(1, -1), 1)).rejects.toThrow(SayWhenError);
    await expect(pool.map(sqr, exceptionThrowingGenerator(1, -1), 1)).rejects.toThrow(SayWhenError);
    await expect(pool.map(sqr, exceptionThrowingGenerator(10, 3), 1)).rejects.toThrow(SayWhenError);
    const special = {
      [Symbol.iterator]() {
        return { next(): IteratorResult<number> { throw new SayWhenError(); } };
      },
    };
    await expect(pool.map(sqr, special, 1)).rejects.toThrow(SayWhenError);
    expect(await pool.map(sqr, [3])).toEqual([9]);
  });

  it('AsyncResult.get() waits for the task', async () => {
    const res = pool.applyAsync(sqr, [7, 100]);
    expect(res.ready()).toBe(false);
    expect(() => res.successful()).toThrow(ValueError);
    expect(await res.get()).toBe(49);
  });

  it('AsyncResult.get(timeout) rejects with TimeoutError, and the result still comes', async () => {
    const res = pool.applyAsync(sqr, [6, 600]);
    await expect(res.get(100)).rejects.toThrow(TimeoutError);
    expect(res.ready()).toBe(false);
    await res.wait(100);
    expect(await res.get(10_000)).toBe(36);
  });

  it('imap, as an async iterable and through next()', async () => {
    const all: number[] = [];
    for await (const x of pool.imap(sqr, range(10))) all.push(x);
    expect(all).toEqual(range(10).map((x) => x * x));
    const it1 = pool.imap(sqr, range(10));
    for (let i = 0; i < 10; i++) expect((await it1.next()).value).toBe(i * i);
    expect((await it1.next()).done).toBe(true);
    const it2 = pool.imap(sqr, range(1000), 100);
    for (let i = 0; i < 1000; i++) expect((await it2.next()).value).toBe(i * i);
    expect((await it2.next()).done).toBe(true);
  });

  it('imap raises an input error where it happened (at the start of the chunk being read)', async () => {
    await expect(pool.imap(sqr, exceptionThrowingGenerator(1, -1), 1).next()).rejects.toThrow(SayWhenError);
    await expect(pool.imap(sqr, exceptionThrowingGenerator(1, -1), 1).next()).rejects.toThrow(SayWhenError);
    const cases: [number, number, number, number][] = [
      [10, 3, 1, 3],
      [20, 7, 2, 6],
      [20, 7, 4, 4],
    ];
    for (const [total, when, chunksize, before] of cases) {
      const it = pool.imap(sqr, exceptionThrowingGenerator(total, when), chunksize);
      for (let i = 0; i < before; i++) expect((await it.next()).value).toBe(i * i);
      await expect(it.next()).rejects.toThrow(SayWhenError);
    }
  });

  it('imapUnordered yields every result', async () => {
    const got: number[] = [];
    for await (const x of pool.imapUnordered(sqr, range(10))) got.push(x);
    expect(got.sort((a, b) => a - b)).toEqual(range(10).map((x) => x * x));
    const more: number[] = [];
    for await (const x of pool.imapUnordered(sqr, range(1000), 100)) more.push(x);
    expect(more.sort((a, b) => a - b)).toEqual(range(1000).map((x) => x * x));
  });

  it('imapUnordered raises an input error among the results', async () => {
    for (const [total, when, chunksize] of [
      [10, 3, 1],
      [20, 7, 2],
    ] as const) {
      const expected = range(total).map((x) => x * x);
      const it = pool.imapUnordered(sqr, exceptionThrowingGenerator(total, when), chunksize);
      await expect(
        (async () => {
          for (let i = 0; i < total; i++) {
            const { value } = await it.next();
            expect(expected).toContain(value);
            expected.splice(expected.indexOf(value as number), 1);
          }
        })(),
      ).rejects.toThrow(SayWhenError);
    }
  });

  it('empty iterables give empty results', async () => {
    const p = new Pool({ processes: 1, context: ctx });
    expect(await p.map(sqr, [])).toEqual([]);
    const a: number[] = [];
    for await (const x of p.imap(sqr, [])) a.push(x);
    const b: number[] = [];
    for await (const x of p.imapUnordered(sqr, [])) b.push(x);
    expect([a, b]).toEqual([[], []]);
    expect(await p.mapAsync(sqr, []).get()).toEqual([]);
    p.close();
    await p.join();
  });

  it('a task error keeps its class and message, with the worker-side stack as a RemoteTraceback cause', async () => {
    const error = await pool
      .apply(function failing() {
        throw new RangeError('123'); // some comment
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('123');
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(RemoteTraceback);
    expect((cause as RemoteTraceback).tb).toContain('failing');
    expect(await pool.apply(() => 'still working')).toBe('still working');
  });

  it('an error of the input iterable is not a remote error', async () => {
    const error = await pool.map(sqr, exceptionThrowingGenerator(1, -1), 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SayWhenError);
    expect((error as Error).cause).toBeUndefined();
  });

  it('map fails at the first failing chunk; close() then join() wait for the running ones', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const started = Date.now();
    await expect(
      p.map(async (wait: number) => {
        await new Promise((r) => setTimeout(r, wait));
        throw new RangeError('x'.repeat(1024 * 1024));
      }, [300, 300], 1),
    ).rejects.toThrow(RangeError);
    p.close();
    await p.join();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('async functions are awaited, in apply and in map chunks', async () => {
    expect(await pool.apply(async (x: number) => x + 1, [1])).toBe(2);
    expect(await pool.map(async (x: number) => x * 3, range(5), 5)).toEqual([0, 3, 6, 9, 12]);
  });

  it('functions with their scope (withScope) and nested lambdas', async () => {
    const { withScope } = await import('@mp/serialize');
    const offset = 10;
    expect(await pool.map(withScope((x: number) => x + offset, { offset }), [1, 2])).toEqual([11, 12]);
    expect(await pool.map((x: number) => ((y: number) => y ** 2)(x) + x, range(10))).toEqual([0, 2, 6, 12, 20, 30, 42, 56, 72, 90]);
  });

  it('a function is sent to each worker once, not once per task', async () => {
    function probe(): number {
      const seen = ((globalThis as { probes?: Set<unknown> }).probes ??= new Set());
      seen.add(probe); // the same function object in this worker, task after task
      return seen.size;
    }
    const sizes = await Promise.all(range(40).map(() => pool.apply(probe)));
    expect(Math.max(...sizes)).toBe(1);
    // inline lambdas made anew for each call are recognised by their bytes
    const inline = await Promise.all(range(20).map((i) => pool.apply((x: number) => x + 1, [i])));
    expect(inline).toEqual(range(20).map((i) => i + 1));
  });

  it('task arguments and results are not kept alive by the pool', async () => {
    let objs: { n: number }[] | null = range(10).map((n) => ({ n }));
    const refs = objs.map((o) => new WeakRef(o));
    await pool.map(identity, objs);
    objs = null;
    // (a reference can outlive the call by one collection: as Python's test, let cleanup run)
    for (let i = 0; i < 5 && refs.some((r) => r.deref() !== undefined); i++) {
      await sleep(20);
      collectGarbage();
    }
    expect(refs.every((r) => r.deref() === undefined)).toBe(true);
  });

  it('submitting after close() throws, map() rejects, join() before close() rejects', async () => {
    const p = new Pool({ processes: 1, context: ctx });
    await expect(p.join()).rejects.toThrow(ValueError);
    p.close();
    expect(() => p.applyAsync(sqr, [1])).toThrow(ValueError);
    expect(() => p.mapAsync(sqr, [1])).toThrow(/Pool not running/);
    expect(() => p.imap(sqr, [1])).toThrow(ValueError);
    await expect(p.map(sqr, [1])).rejects.toThrow(ValueError);
    await p.join();
  });

  it('await using terminates the pool (Python: with Pool() as p)', async () => {
    const L = range(10);
    let p: Pool;
    {
      await using q = new Pool({ processes: 2, context: ctx });
      p = q;
      expect(await q.mapAsync(sqr, L).get()).toEqual(L.map((x) => x * x));
    }
    await p.join();
    expect(() => p.mapAsync(sqr, L)).toThrow(ValueError);
    expect(String(p)).toBe('<Pool state=TERMINATE pool_size=2>');
  });

  it('terminate() with tasks running returns promptly and rejects them', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const result = p.mapAsync(sqr, range(10_000).map(() => 1), 1);
    const slow = p.applyAsync(() => new Promise(() => {}));
    await sleep(100);
    await p.terminate();
    await p.join();
    await expect(result.get()).rejects.toThrow(/terminated/);
    await expect(slow.get()).rejects.toThrow(/terminated/);
  });
});

describe('Pool construction', () => {
  it('processes 0 or negative is a ValueError with Python wording', () => {
    expect(() => new Pool(-1)).toThrow(ValueError);
    expect(() => new Pool(0)).toThrow('Number of processes must be at least 1');
    expect(() => new Pool({ processes: 0 })).toThrow(ValueError);
  });

  it('has `processes` workers, named after their start method', async () => {
    const p = new Pool(3);
    expect(p._pool).toHaveLength(3);
    expect(p._pool.every((w) => /^ThreadPoolWorker-\d+/.test(w.name))).toBe(true);
    p.close();
    await p.join();
    const q = getContext('spawn').Pool(1);
    expect(q._pool.map((w) => w.name.replace(/\d+/g, 'N'))).toEqual(['SpawnPoolWorker-N']);
    expect(await q.apply(() => process.pid)).not.toBe(process.pid);
    await q.terminate();
  });

  it('a pool cannot be sent to another process', async () => {
    const { dumps } = await import('@mp/serialize');
    const p = new Pool(1);
    expect(() => dumps(p)).toThrow(/pool objects cannot be passed/);
    await p.terminate();
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
