// Python's _TestPoolWorkerLifetime, and the rest of the recycling policy: heap limit, idle timeout.
import { afterAll, describe, expect, it } from 'vitest';
import { getContext, ValueError } from '@mp/context';
import { Pool } from '@mp/pool';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
import { sqr } from './fixtures/helpers.js';

const names = (p: Pool): string[] => p._pool.map((w) => w.name).sort();

describe.each(METHODS)('worker lifetime on %s', (method) => {
  const ctx = getContext(method);

  it('maxTasksPerChild replaces workers, and every result is right', async () => {
    // (Python's test: 3 workers, 100 tasks; smaller here, since every new spawn worker is a new process)
    const p = new Pool({ processes: 2, context: ctx, maxTasksPerChild: 10 });
    expect(p._pool).toHaveLength(2);
    const original = names(p);
    const results = Array.from({ length: 40 }, (_, i) => p.applyAsync(sqr, [i]));
    for (const [j, res] of results.entries()) expect(await res.get()).toBe(j * j);
    p._repopulatePool();
    expect(await eventually(() => p._pool.length === 2 && p._pool.every((w) => w.isAlive()), 5000)).toBe(true);
    const final = names(p);
    expect(final).toHaveLength(2);
    expect(final).not.toEqual(original);
    p.close();
    await p.join();
  });

  it('closing a pool with limited worker lifetimes before its tasks are done does not hang join()', async () => {
    const p = new Pool({ processes: 2, context: ctx, maxTasksPerChild: 1 });
    const results = Array.from({ length: 4 }, (_, i) => p.applyAsync(sqr, [i, 100]));
    p.close();
    await p.join();
    for (const [j, res] of results.entries()) expect(await res.get()).toBe(j * j);
  });

  it('a heap limit (maxHeapMb) replaces a worker whose heap grew past it', async () => {
    const p = new Pool({ processes: 1, context: ctx, maxHeapMb: 8 });
    const before = names(p);
    // keeps ~16 MiB alive in the worker
    await p.apply(() => {
      (globalThis as { hog?: unknown[] }).hog = Array.from({ length: 16 }, () => new Array(128 * 1024).fill(1.5));
    });
    expect(await eventually(() => p._pool.length === 1 && names(p)[0] !== before[0], 10_000)).toBe(true);
    expect(await p.apply(() => ((globalThis as { hog?: unknown }).hog === undefined ? 'fresh' : 'old'))).toBe('fresh');
    await p.terminate();
  });

  it('idleTimeout lets idle workers exit, and work brings them back', async () => {
    const p = new Pool({ processes: 2, context: ctx, idleTimeout: 100 });
    expect(await p.map(sqr, [1, 2, 3, 4], 1)).toEqual([1, 4, 9, 16]);
    expect(await eventually(() => p._pool.length === 0, 10_000)).toBe(true);
    expect(await p.map(sqr, [5, 6], 1)).toEqual([25, 36]);
    p.close();
    await p.join();
  });
});

describe('maxTasksPerChild checks', () => {
  it('0, -1, 0.5 and "12" are ValueErrors', () => {
    for (const value of [0, -1, 0.5, '12']) {
      expect(() => new Pool({ processes: 3, maxTasksPerChild: value as never })).toThrow(ValueError);
    }
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
