// Per-task AbortSignal and timeout, in three steps: the task's own signal fires, a grace period,
// then its worker is killed and replaced. The timeout counts from when the task starts running.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { getContext, TimeoutError } from '@mp/context';
import { Pool, type TaskContext, taskSignal } from '@mp/pool';
import { childProcessesOfThisProcess, eventually, METHODS, tempDir } from '@mp/testing';
import { range, sleep, sqr } from './fixtures/helpers.js';

/** Never settles by itself: only its worker's death ends it. */
const forever = (): Promise<never> => new Promise(() => setInterval(() => {}, 1000));

describe.each(METHODS)('abort and timeout on %s', (method) => {
  const ctx = getContext(method);

  it('a task that ignores its signal: rejects at the timeout, its worker is killed after the grace period and replaced', async () => {
    const p = new Pool({ processes: 1, context: ctx, abortGrace: 200 });
    const before = p._pool.map((w) => w.name);
    const error = await p.apply(forever, [], { timeout: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/timeout of 100 ms/);
    expect(await eventually(() => p._pool.length === 1 && p._pool[0]!.name !== before[0])).toBe(true);
    expect(await p.apply(sqr, [3])).toBe(9);
    await p.terminate();
  });

  it('a busy synchronous task is stopped the same way', async () => {
    const p = new Pool({ processes: 1, context: ctx, abortGrace: 100 });
    const busy = () => {
      for (;;);
    };
    await expect(p.apply(busy, [], { timeout: 100 })).rejects.toThrow(TimeoutError);
    expect(await p.apply(sqr, [4])).toBe(16);
    await p.terminate();
  });

  it('a task that watches taskSignal() stops by itself and keeps its worker', async () => {
    const p = new Pool({ processes: 1, context: ctx, abortGrace: 5000 });
    const before = p._pool.map((w) => w.name);
    const polite = () =>
      new Promise((_resolve, reject) => {
        const signal = taskSignal();
        const timer = setTimeout(() => reject(new Error('not aborted')), 20_000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('stopped on abort'));
        });
      });
    await expect(p.apply(polite, [], { timeout: 100 })).rejects.toThrow(TimeoutError);
    expect(await p.apply(() => 'same worker')).toBe('same worker');
    expect(p._pool.map((w) => w.name)).toEqual(before);
    await p.terminate();
  });

  it('a function task sees its signal as this.signal', async () => {
    const p = new Pool({ processes: 1, context: ctx });
    const ac = new AbortController();
    const result = p.applyAsync(
      function (this: TaskContext) {
        return new Promise((resolve) => this.signal.addEventListener('abort', () => resolve('aborted')));
      },
      [],
      undefined,
      undefined,
      { signal: ac.signal },
    );
    await sleep(200);
    ac.abort(new RangeError('cancelled by the caller'));
    await expect(result.get()).rejects.toThrow('cancelled by the caller');
    expect(await p.apply(() => typeof taskSignal().aborted)).toBe('boolean');
    await p.terminate();
  });

  it('the timeout counts from when the task starts, not while it waits in the queue', async () => {
    const p = new Pool({ processes: 1, context: ctx });
    const first = p.applyAsync(sqr, [2, 600]);
    const second = p.applyAsync(sqr, [3, 50], undefined, undefined, { timeout: 400 });
    expect(await first.get()).toBe(4);
    expect(await second.get()).toBe(9);
    await p.terminate();
  });

  it('an aborted signal rejects at once with its reason; an abort while queued means the task never runs', async () => {
    const p = new Pool({ processes: 1, context: ctx });
    const dir = tempDir();
    try {
      const done = new AbortController();
      done.abort();
      await expect(p.apply(sqr, [1], { signal: done.signal })).rejects.toMatchObject({ name: 'AbortError' });
      const blocker = p.applyAsync(sqr, [1, 400]);
      const ac = new AbortController();
      const queued = p.applyAsync((file: string) => require('node:fs').writeFileSync(file, 'ran'), [dir.file('ran')], undefined, undefined, { signal: ac.signal });
      ac.abort();
      await expect(queued.get()).rejects.toMatchObject({ name: 'AbortError' });
      expect(await blocker.get()).toBe(1);
      expect(await p.apply(sqr, [5])).toBe(25);
      expect(fs.existsSync(dir.file('ran'))).toBe(false);
    } finally {
      dir.cleanup();
      await p.terminate();
    }
  });

  it('a signal cancels a whole map, and the pool goes on', async () => {
    const p = new Pool({ processes: 2, context: ctx, abortGrace: 100 });
    const ac = new AbortController();
    const mapped = p.map((x: number) => new Promise((r) => setTimeout(() => r(x), 2000)), range(8), 1, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(mapped).rejects.toMatchObject({ name: 'AbortError' });
    expect(await p.map(sqr, range(4))).toEqual([0, 1, 4, 9]);
    await p.terminate();
  });

  it('a signal ends an imap', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const ac = new AbortController();
    const it = p.imap(sqr, range(100).map((x) => x), 1, { signal: ac.signal });
    expect((await it.next()).value).toBe(0);
    ac.abort(new Error('enough'));
    await expect(
      (async () => {
        for (;;) if ((await it.next()).done) return;
      })(),
    ).rejects.toThrow('enough');
    await p.terminate();
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
