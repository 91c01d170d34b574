// The generic types of the API (checked by tsc; the test only runs them once on a thread pool).
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { getContext } from '@mp/context';
import { type AsyncResult, type IMapIterator, Pool, taskSignal, type TaskContext } from '@mp/pool';
import { ref } from '@mp/serialize';

describe('types', () => {
  const pool = new Pool(1);
  afterAll(() => pool.terminate());

  it('infer results from the function, sync or async', async () => {
    const mapped = pool.map(async (x: number) => x * 2, [1, 2]);
    expectTypeOf(mapped).toEqualTypeOf<Promise<number[]>>();
    const applied = pool.apply((a: number, b: string) => b + a, [1, 'x']);
    expectTypeOf(applied).toEqualTypeOf<Promise<string>>();
    const result = pool.applyAsync((x: number) => [x], [1], (r) => expectTypeOf(r).toEqualTypeOf<number[]>());
    expectTypeOf(result).toEqualTypeOf<AsyncResult<number[]>>();
    const it = pool.imap((x: number) => String(x), [1, 2]);
    expectTypeOf(it).toEqualTypeOf<IMapIterator<string>>();
    const star = pool.starmap((a: number, b: number) => a + b, [[1, 2]]);
    expectTypeOf(star).toEqualTypeOf<Promise<number[]>>();
    const byRef = pool.map(ref<(x: number) => number>('node:path', 'x'), [1]);
    expectTypeOf(byRef).toEqualTypeOf<Promise<number[]>>();
    expect(await mapped).toEqual([2, 4]);
    expect(await applied).toBe('x1');
    expect(await result.get()).toEqual([1]);
    expect(await star).toEqual([3]);
    await byRef.catch(() => undefined);
    await it.return();
  });

  it('this is the TaskContext; options may replace chunksize or callbacks', async () => {
    const fn = function (this: TaskContext, x: number): boolean {
      return this.signal.aborted || x < 0;
    };
    expect(await pool.map(fn, [1], { timeout: 5000 })).toEqual([false]);
    expect(await pool.applyAsync(() => taskSignal().aborted, [], { signal: new AbortController().signal }).get()).toBe(false);
    // ctx.Pool(...) is declared on every context by module augmentation (it survives the .d.ts bundle)
    const make = (): Pool => getContext('spawn').Pool({ processes: 1 });
    expectTypeOf(make).toBeFunction();
  });
});
