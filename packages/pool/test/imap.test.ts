// imap/imapUnordered read their input lazily, with a bounded number of chunks in flight; and the
// progress callback of long maps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getContext, TimeoutError } from '@mp/context';
import { Pool } from '@mp/pool';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
import { naturals, range, sleep, sqr } from './fixtures/helpers.js';

describe.each(METHODS)('lazy imap on %s', (method) => {
  const ctx = getContext(method);
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ processes: 2, context: ctx });
  });
  afterAll(async () => {
    await pool.terminate();
  });

  it('an endless input is read only as far as needed, and not after the loop stops', async () => {
    const counter = { read: 0 };
    const got: number[] = [];
    for await (const square of pool.imap(sqr, naturals(counter), 1, { maxInFlight: 4 })) {
      got.push(square);
      if (got.length === 50) break;
    }
    expect(got).toEqual(range(50).map((x) => x * x));
    expect(counter.read).toBeLessThanOrEqual(50 + 4);
    const after = counter.read;
    await sleep(100);
    expect(counter.read).toBe(after);
  });

  it('a consumer that does not pull stops the reading (backpressure)', async () => {
    const counter = { read: 0 };
    const it = pool.imap(sqr, naturals(counter), 10, { maxInFlight: 3 });
    expect((await it.next()).value).toBe(0);
    await sleep(200);
    expect(counter.read).toBeLessThanOrEqual(4 * 10);
    await it.return();
  });

  it('imapUnordered is lazy too', async () => {
    const counter = { read: 0 };
    const got: number[] = [];
    for await (const square of pool.imapUnordered(sqr, naturals(counter), 2, { maxInFlight: 3 })) {
      got.push(square);
      if (got.length === 20) break;
    }
    expect(got).toHaveLength(20);
    expect(counter.read).toBeLessThanOrEqual(20 + 3 * 2 + 2);
  });

  it('an async iterable input, and an async generator that throws', async () => {
    async function* slowly(n: number): AsyncGenerator<number> {
      for (let i = 0; i < n; i++) {
        await sleep(1);
        yield i;
      }
    }
    const got: number[] = [];
    for await (const x of pool.imap(sqr, slowly(10))) got.push(x);
    expect(got).toEqual(range(10).map((x) => x * x));
    expect(await pool.map(sqr, slowly(5))).toEqual([0, 1, 4, 9, 16]);
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new RangeError('input broke');
    }
    const it = pool.imap(sqr, failing());
    expect((await it.next()).value).toBe(1);
    await expect(it.next()).rejects.toThrow('input broke');
  });

  it('leaving the loop closes the input (its finally runs)', async () => {
    const state = { closed: false };
    function* input(): Generator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        state.closed = true;
      }
    }
    for await (const x of pool.imap(sqr, input())) if (x > 10) break;
    expect(state.closed).toBe(true);
  });

  it('next(timeout) rejects with TimeoutError and loses nothing', async () => {
    const it = pool.imap(sqr, [[7, 300]].map(([x]) => x!), 1);
    const slow = pool.imap((x: number) => new Promise<number>((r) => setTimeout(() => r(x), 400)), [5]);
    await expect(slow.next(50)).rejects.toThrow(TimeoutError);
    expect((await slow.next()).value).toBe(5);
    expect((await it.next()).value).toBe(49);
  });

  it('a task error is raised in its place, and iteration goes on', async () => {
    const it = pool.imap(
      (x: number) => {
        if (x === 2) throw new RangeError('two');
        return x;
      },
      range(5),
    );
    const seen: (number | string)[] = [];
    for (;;) {
      try {
        const r = await it.next();
        if (r.done) break;
        seen.push(r.value);
      } catch (e) {
        seen.push((e as Error).message);
      }
    }
    expect(seen).toEqual([0, 1, 'two', 3, 4]);
  });

  it('onProgress reports items done and the total', async () => {
    const reports: string[] = [];
    await pool.map(sqr, range(20), 5, { onProgress: (done, total) => reports.push(`${done}/${total}`) });
    expect(reports.sort()).toEqual(['10/20', '15/20', '20/20', '5/20']);
    const last: (number | undefined)[] = [];
    for await (const _ of pool.imap(sqr, range(6), 3, { onProgress: (_done, total) => last.push(total) })) void _;
    expect(last.at(-1)).toBe(6);
  });

  it('close() lets a pending imap read the rest of its input; join() waits for it', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const it = p.imap(sqr, range(30), 1, { maxInFlight: 2 });
    p.close();
    await p.join();
    const got: number[] = [];
    for await (const x of it) got.push(x);
    expect(got).toEqual(range(30).map((x) => x * x));
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
