// Ported from CPython's Lib/test/_test_multiprocessing.py (_TestBarrier), on both start methods.
// Python's DummyList counters are Semaphores here: release() appends, getValue() is the length.
import fs from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { withScope } from '@mp/serialize';
import { Barrier, BrokenBarrierError, Semaphore } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS, reap, tempDir } from '@mp/testing';
import { joinAll, type Method, start, started, startMany } from './helpers.js';

afterEach(() => reap(started));
afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

const N = 4;

/** Python's run_threads: N - 1 children and the main thread run `f(...args)` together. */
async function runParties<A extends unknown[]>(method: Method, f: (...args: A) => Promise<unknown>, args: A, n = N): Promise<void> {
  const children = await startMany(method, n - 1, f as (...a: never[]) => unknown, args);
  await f(...args);
  expect(await joinAll(children)).toEqual(children.map(() => 0));
}

const multipass = async (barrier: Barrier, r0: Semaphore, r1: Semaphore, passes: number) => {
  const m = barrier.parties;
  for (let i = 0; i < passes; i++) {
    r0.release();
    if (r1.getValue() !== i * m) throw new Error(`pass ${i}: r1 = ${r1.getValue()}`);
    await barrier.wait();
    r1.release();
    if (r0.getValue() !== (i + 1) * m) throw new Error(`pass ${i}: r0 = ${r0.getValue()}`);
    barrier.waitSync();
  }
  if (barrier.nWaiting !== 0) throw new Error(`nWaiting ${barrier.nWaiting}`);
  if (barrier.broken) throw new Error('broken');
};

describe('Barrier in one process', () => {
  it('a barrier of one passes at once (Python test_single_thread); reprs and properties', async () => {
    const b = new Barrier(1);
    expect(await b.wait()).toBe(0);
    expect(b.waitSync()).toBe(0);
    expect(b.parties).toBe(1);
    expect(b.nWaiting).toBe(0);
    expect(b.broken).toBe(false);
    expect(String(b)).toMatch(/^<Barrier at 0x[0-9a-f]+: waiters=0\/1>$/);
    b.abort();
    expect(b.broken).toBe(true);
    expect(String(b)).toMatch(/^<Barrier at 0x[0-9a-f]+: broken>$/);
    await expect(b.wait()).rejects.toThrow(BrokenBarrierError);
    expect(() => b.waitSync()).toThrow(BrokenBarrierError);
    b.reset();
    expect(b.broken).toBe(false);
    expect(await b.wait()).toBe(0);
  });

  it('rejects bad arguments; a throwing action breaks the barrier and reaches its caller', async () => {
    expect(() => new Barrier(0)).toThrow(/parties must be/);
    const b = new Barrier(1, () => {
      throw new RangeError('action failed');
    });
    await expect(b.wait()).rejects.toThrow('action failed');
    expect(b.broken).toBe(true);
  });

  it('async parties of one process; a timeout breaks the barrier for everyone', async () => {
    const b = new Barrier(3);
    const first = b.wait(10_000);
    await eventually(() => b.nWaiting === 1);
    expect(String(b)).toMatch(/waiters=1\/3>$/);
    await expect(b.wait(30)).rejects.toThrow(BrokenBarrierError);
    await expect(first).rejects.toThrow(BrokenBarrierError);
    expect(b.broken).toBe(true);
  });
});

describe.each(METHODS)('Barrier with %s children', (method) => {
  it('parties pass in lockstep, 10 times over (Python test_barrier_10)', async () => {
    const barrier = new Barrier(N, null, 30_000);
    await runParties(method, multipass, [barrier, new Semaphore(0), new Semaphore(0), 10]);
  });

  it('10 parties: indexes 0..9, each once (Python test_wait_return)', async () => {
    const parties = 10;
    const barrier = new Barrier(parties);
    const seen = Array.from({ length: parties }, () => new Semaphore(0));
    await runParties(
      method,
      async (b: Barrier, slots: Semaphore[]) => {
        slots[await b.wait(30_000)]!.release();
      },
      [barrier, seen],
      parties,
    );
    expect(seen.map((s) => s.getValue())).toEqual(seen.map(() => 1));
  });

  it('the action runs once, before anyone is released (Python test_action)', async () => {
    const results = new Semaphore(0);
    const barrier = new Barrier(N, withScope(() => results.release(), { results }));
    await runParties(
      method,
      async (b: Barrier, r: Semaphore) => {
        await b.wait();
        if (r.getValue() !== 1) throw new Error(`action ran ${r.getValue()} times`);
      },
      [barrier, results],
    );
    expect(results.getValue()).toBe(1);
  });

  it('abort() breaks the barrier for every party (Python test_abort)', async () => {
    const barrier = new Barrier(N, null, 30_000);
    const results1 = new Semaphore(0);
    const results2 = new Semaphore(0);
    await runParties(
      method,
      async (b: Barrier, r1: Semaphore, r2: Semaphore, n: number) => {
        try {
          const i = await b.wait();
          if (i === Math.floor(n / 2)) throw new RangeError('the middle party fails');
          await b.wait();
          r1.release();
        } catch (error) {
          if (error instanceof BrokenBarrierError) r2.release();
          else if (error instanceof RangeError) b.abort();
          else throw error;
        }
      },
      [barrier, results1, results2, N],
    );
    expect(results1.getValue()).toBe(0);
    expect(results2.getValue()).toBe(N - 1);
    expect(barrier.broken).toBe(true);
  });

  it('reset() frees the waiting parties, who can pass again (Python test_reset)', async () => {
    const barrier = new Barrier(N, null, 30_000);
    const r = [new Semaphore(0), new Semaphore(0), new Semaphore(0)] as const;
    await runParties(
      method,
      async (b: Barrier, r1: Semaphore, r2: Semaphore, r3: Semaphore, n: number) => {
        const i = await b.wait();
        if (i === Math.floor(n / 2)) {
          while (b.nWaiting < n - 1) await new Promise((resolve) => setTimeout(resolve, 1));
          b.reset();
        } else {
          try {
            await b.wait();
            r1.release();
          } catch (error) {
            if (!(error instanceof BrokenBarrierError)) throw error;
            r2.release();
          }
        }
        await b.wait();
        r3.release();
      },
      [barrier, ...r, N],
    );
    expect(r.map((s) => s.getValue())).toEqual([0, N - 1, N]);
  });

  it('a broken barrier can be reset and used again (Python test_abort_and_reset)', async () => {
    const barrier = new Barrier(N, null, 30_000);
    const barrier2 = new Barrier(N);
    const r = [new Semaphore(0), new Semaphore(0), new Semaphore(0)] as const;
    await runParties(
      method,
      async (b: Barrier, b2: Barrier, r1: Semaphore, r2: Semaphore, r3: Semaphore, n: number) => {
        try {
          const i = await b.wait();
          if (i === Math.floor(n / 2)) throw new RangeError('the middle party fails');
          await b.wait();
          r1.release();
        } catch (error) {
          if (error instanceof BrokenBarrierError) r2.release();
          else if (error instanceof RangeError) b.abort();
          else throw error;
        }
        // Everyone has left the broken barrier before the reset, and no one enters before it.
        if ((await b2.wait()) === Math.floor(n / 2)) b.reset();
        await b2.wait();
        await b.wait();
        r3.release();
      },
      [barrier, barrier2, ...r, N],
    );
    expect(r.map((s) => s.getValue())).toEqual([0, N - 1, N]);
  });

  it('wait(timeout) breaks the barrier when a party is late (Python test_timeout)', async () => {
    const barrier = new Barrier(N, null, 30_000);
    const results = new Semaphore(0);
    await runParties(
      method,
      async (b: Barrier, r: Semaphore, n: number) => {
        const i = await b.wait();
        if (i === Math.floor(n / 2)) await new Promise((resolve) => setTimeout(resolve, 600));
        try {
          await b.wait(300);
        } catch (error) {
          if (!(error instanceof BrokenBarrierError)) throw error;
          r.release();
        }
      },
      [barrier, results, N],
    );
    expect(results.getValue()).toBe(N);
  });

  it('the default timeout applies to wait() (Python test_default_timeout)', async () => {
    const barrier = new Barrier(N, null, 300);
    const results = new Semaphore(0);
    await runParties(
      method,
      async (b: Barrier, r: Semaphore, n: number) => {
        const i = await b.wait(30_000);
        if (i === Math.floor(n / 2)) await new Promise((resolve) => setTimeout(resolve, 600));
        try {
          b.waitSync();
        } catch (error) {
          if (!(error instanceof BrokenBarrierError)) throw error;
          r.release();
        }
      },
      [barrier, results, N],
    );
    expect(results.getValue()).toBe(N);
  });

  it('1000 waits on a barrier of two parties (Python test_thousand)', async () => {
    const tmp = tempDir();
    try {
      const barrier = new Barrier(2, null, 30_000);
      const passes = 1000;
      const p = await start(
        method,
        async (b: Barrier, n: number, file: string) => {
          let ones = 0;
          for (let i = 0; i < n; i++) ones += i % 2 === 0 ? await b.wait() : b.waitSync();
          require('node:fs').writeFileSync(file, String(ones));
        },
        [barrier, passes, tmp.file('ones')],
      );
      let ones = 0;
      for (let i = 0; i < passes; i++) ones += await barrier.wait();
      expect(await joinAll([p])).toEqual([0]);
      expect(ones + Number(fs.readFileSync(tmp.file('ones'), 'utf8'))).toBe(passes);
    } finally {
      tmp.cleanup();
    }
  });
});
