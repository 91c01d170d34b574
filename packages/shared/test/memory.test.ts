// Shared memory itself: thread children write the parent's memory without copies; objects reach
// grandchildren; objects made in a spawn child live in the root and reach its children.
import { afterAll, describe, expect, it } from 'vitest';
import { getContext } from '@mp/context';
import { withScope } from '@mp/serialize';
import { RawArray, RawValue, SharedArray, Value } from '@mp/shared';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
import { run, runAll } from './run.js';

describe('thread children write the memory itself', () => {
  it('10 MB of float64 filled by two thread children in halves', async () => {
    const n = (10 * 1024 * 1024) / 8;
    const data = RawArray('d', n);
    const codes = await runAll(
      'thread',
      (a: Float64Array, from: number, to: number) => {
        for (let i = from; i < to; i++) a[i] = i * 0.5;
      },
      [
        [data, 0, n / 2],
        [data, n / 2, n],
      ],
    );
    expect(codes).toEqual([0, 0]);
    let bad = -1;
    for (let i = 0; i < n; i++) {
      if (data[i] !== i * 0.5) {
        bad = i;
        break;
      }
    }
    expect(bad).toBe(-1);
  });

  it('a write through getObj() or a RawValue in a thread child is seen without any message', async () => {
    const arr = new SharedArray('i', 4);
    const flag = new RawValue('i', 0);
    const p = getContext('thread').Process({
      target: async (view: Int32Array, f: RawValue<'i'>) => {
        view[2] = 1234;
        f.value = 1;
        // Stay alive: the parent must see the writes while we still run.
        await new Promise((r) => setTimeout(r, 2000));
      },
      args: [arr.getObj(), flag],
    });
    await p.start();
    expect(await eventually(() => flag.value === 1, 20_000)).toBe(true);
    expect(arr.get(2)).toBe(1234);
    await p.join(20_000);
    expect(p.exitCode).toBe(0);
  });
});

describe.each(METHODS)('objects passed on to grandchildren (%s child)', (method) => {
  it('a root Value, SharedArray and RawArray are live in thread and spawn grandchildren', async () => {
    const v = new Value('i', 1);
    const arr = new SharedArray('d', [0, 0]);
    const raw = RawArray('i', 2);
    const code = await run(
      method,
      async (val: Value<'i'>, a: SharedArray<'d'>, r: Int32Array) => {
        for (const [i, m] of (['thread', 'spawn'] as const).entries()) {
          const g = getContext(m).Process({
            target: (gv: Value<'i'>, ga: SharedArray<'d'>, gr: Int32Array, k: number) => {
              gv.withLockSync(() => (gv.value += 10));
              ga.set(k, k + 0.5);
              gr[k] = k + 7;
            },
            args: [val, a, r, i],
          });
          await g.start();
          await g.join(30_000);
          if (g.exitCode !== 0) throw new Error(`grandchild ${m} exited ${g.exitCode}`);
        }
      },
      [v, arr, raw],
    );
    expect(code).toBe(0);
    expect(v.value).toBe(21);
    expect(arr.toArray()).toEqual([0.5, 1.5]);
    expect(Array.from(raw)).toEqual([7, 8]);
  });

  it('a Value given to a by-value function with withScope is live in the child', async () => {
    const counter = new Value('i', 1);
    const code = await run(
      method,
      withScope(() => {
        counter.value = 42;
      }, { counter }),
      [],
    );
    expect(code).toBe(0);
    expect(counter.value).toBe(42);
  });

  it('a Value and a SharedArray made in the child reach its own child', async () => {
    const out = new SharedArray('i', 2);
    const code = await run(
      method,
      async (result: SharedArray<'i'>) => {
        const mine = new Value('i', 1);
        const arr = new SharedArray('i', [5, 6]);
        const g = getContext('spawn').Process({
          target: (x: Value<'i'>, y: SharedArray<'i'>) => {
            x.value = 41;
            y.setAll([50, 60]);
          },
          args: [mine, arr],
        });
        await g.start();
        await g.join(30_000);
        result.setAll([mine.value + 1, arr.get(0) + arr.get(1)]);
      },
      [out],
    );
    expect(code).toBe(0);
    expect(out.toArray()).toEqual([42, 110]);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
