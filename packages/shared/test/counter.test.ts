// A counter incremented by several children under withLock ends exact (Python's docs example of
// `with counter.get_lock(): counter.value += 1`). Each access from a spawn child is a broker
// round trip, so spawn children do fewer increments.
import { afterAll, describe, expect, it } from 'vitest';
import { SharedArray, Value } from '@mp/shared';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
import { runAll } from './run.js';

const INCREMENTS = { thread: 10_000, spawn: 250 } as const;
const CHILDREN = 4;

describe.each(METHODS)('a counter shared by %s children', (method) => {
  const n = INCREMENTS[method];

  it(`${CHILDREN} children × ${n} increments under withLock end exact`, async () => {
    const counter = new Value('i', 0);
    const codes = await runAll(
      method,
      async (c: Value<'i'>, times: number) => {
        for (let i = 0; i < times; i++) {
          await c.withLock(() => {
            c.value += 1;
          });
        }
      },
      Array.from({ length: CHILDREN }, () => [counter, n]),
    );
    expect(codes).toEqual(Array(CHILDREN).fill(0));
    expect(counter.value).toBe(CHILDREN * n);
  });

  it('the blocking twin, and getLock() around an array element, end exact too', async () => {
    const counts = new SharedArray('q', 2);
    const codes = await runAll(
      method,
      (a: SharedArray<'q'>, times: number) => {
        for (let i = 0; i < times; i++) {
          a.withLockSync(() => a.set(0, a.get(0) + 1n));
          a.getLock().acquireSync();
          try {
            a.set(1, a.get(1) + 2n);
          } finally {
            a.getLock().release();
          }
        }
      },
      Array.from({ length: CHILDREN }, () => [counts, Math.ceil(n / 5)]),
    );
    expect(codes).toEqual(Array(CHILDREN).fill(0));
    expect(counts.toArray()).toEqual([BigInt(CHILDREN * Math.ceil(n / 5)), BigInt(2 * CHILDREN * Math.ceil(n / 5))]);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
