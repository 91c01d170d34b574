// Ported from CPython's Lib/test/_test_multiprocessing.py (_TestCondition), on both start methods.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { getContext } from '@mp/context';
import { Condition, Event, Lock, NotAcquiredError, RLock, Semaphore } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS, reap } from '@mp/testing';
import { joinAll, type Method, run, sleep, start, started } from './helpers.js';

afterEach(() => reap(started));
afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

const DELTA = 100;

/** Python's `f`: take the lock, say we sleep, wait, say we woke. */
const f = async (cond: Condition, sleeping: Semaphore, woken: Semaphore, timeout: number | null) => {
  await cond.acquire();
  sleeping.release();
  await cond.wait(timeout);
  woken.release();
  cond.release();
};

/** The same with the blocking twins. */
const fSync = (cond: Condition, sleeping: Semaphore, woken: Semaphore, timeout: number | null) => {
  cond.acquireSync();
  sleeping.release();
  cond.waitSync(timeout);
  woken.release();
  cond.release();
};

async function startSleepers(method: Method, n: number, cond: Condition, sleeping: Semaphore, woken: Semaphore, timeout: number | null) {
  const children = await Promise.all(Array.from({ length: n }, (_, i) => start(method, i % 2 === 0 ? f : fSync, [cond, sleeping, woken, timeout])));
  for (let i = 0; i < n; i++) expect(await sleeping.acquire(true, 20_000)).toBe(true);
  return children;
}

describe('Condition in one process', () => {
  it('wait(timeout) returns false after the timeout (Python test_timeout)', async () => {
    const cond = new Condition();
    await cond.acquire();
    expect(await cond.wait(50)).toBe(false);
    expect(cond.waitSync(20)).toBe(false);
    expect(await cond.wait(0)).toBe(false);
    expect(String(cond)).toBe('<Condition(<RLock(MainProcess, 1)>), 0>');
    cond.release();
  });

  it('wait and notify without the lock throw', async () => {
    const cond = new Condition();
    await expect(cond.wait(10)).rejects.toThrow(NotAcquiredError);
    await expect(cond.wait(10)).rejects.toThrow(/cannot wait on un-acquired lock/);
    expect(() => cond.waitSync(10)).toThrow(/cannot wait on un-acquired lock/);
    expect(() => cond.notify()).toThrow(/cannot notify on un-acquired lock/);
    expect(() => cond.notifyAll()).toThrow(NotAcquiredError);
  });

  it('keeps the RLock count across wait()', async () => {
    const cond = new Condition();
    await cond.acquire();
    await cond.acquire();
    expect(await cond.wait(10)).toBe(false);
    expect(String(cond)).toBe('<Condition(<RLock(MainProcess, 2)>), 0>');
    cond.release();
    cond.release();
    expect(String(cond)).toBe('<Condition(<RLock(None, 0)>), 0>');
  });

  it('works over a Lock; reprs', async () => {
    const cond = new Condition(new Lock());
    expect(String(cond)).toBe('<Condition(<Lock(owner=None)>), 0>');
    expect(await cond.withLock(() => cond.wait(10))).toBe(false);
    expect(() => new Condition({} as Lock)).toThrow(TypeError);
  });

  it('async waiters in one process: notify wakes exactly one, oldest first', async () => {
    // Over a Lock: an RLock is owned by the whole thread, so its async tasks would all hold it.
    const cond = new Condition(new Lock());
    const woke: number[] = [];
    const waiters = [1, 2, 3].map(async (i) => {
      await cond.acquire();
      const notified = await cond.wait(10_000);
      woke.push(notified ? i : -i);
      cond.release();
    });
    await eventually(() => String(cond).endsWith(', 3>'));
    await cond.withLock(() => cond.notify());
    await eventually(() => woke.length === 1);
    expect(woke).toEqual([1]);
    await cond.withLock(() => cond.notify(2));
    await Promise.all(waiters);
    expect(woke).toEqual([1, 2, 3]);
  });

  it('waitFor returns the predicate’s value, and falsy on timeout', async () => {
    const cond = new Condition();
    await cond.acquire();
    expect(await cond.waitFor(() => 'ready')).toBe('ready');
    expect(await cond.waitFor(() => 0, 30)).toBe(0);
    expect(cond.waitForSync(() => false, 20)).toBe(false);
    cond.release();
  });
});

describe.each(METHODS)('Condition with %s children', (method) => {
  it('notify() wakes one waiter at a time (Python test_notify)', async () => {
    const cond = new Condition();
    const sleeping = new Semaphore(0);
    const woken = new Semaphore(0);
    const children = await startSleepers(method, 2, cond, sleeping, woken, null);
    await sleep(DELTA);
    expect(woken.getValue()).toBe(0);
    await cond.withLock(() => cond.notify());
    expect(await eventually(() => woken.getValue() === 1)).toBe(true);
    await sleep(DELTA);
    expect(woken.getValue()).toBe(1);
    await cond.acquire();
    cond.notify();
    cond.release();
    expect(await eventually(() => woken.getValue() === 2)).toBe(true);
    expect(await joinAll(children)).toEqual([0, 0]);
    expect(String(cond)).toBe('<Condition(<RLock(None, 0)>), 0>');
  });

  it('notifyAll() wakes everyone; timed-out waiters leave nothing behind (Python test_notify_all)', async () => {
    const cond = new Condition();
    const sleeping = new Semaphore(0);
    const woken = new Semaphore(0);
    const timingOut = await startSleepers(method, 3, cond, sleeping, woken, 50);
    for (let i = 0; i < 3; i++) expect(await woken.acquire(true, 20_000)).toBe(true);
    expect(woken.getValue()).toBe(0);
    expect(await joinAll(timingOut)).toEqual([0, 0, 0]);
    expect(String(cond)).toBe('<Condition(<RLock(None, 0)>), 0>');

    const waiting = await startSleepers(method, 3, cond, sleeping, woken, null);
    await sleep(DELTA);
    expect(woken.getValue()).toBe(0);
    expect(String(cond)).toBe('<Condition(<RLock(None, 0)>), 3>');
    await cond.withLock(() => cond.notifyAll());
    expect(await eventually(() => woken.getValue() === 3)).toBe(true);
    expect(await joinAll(waiting)).toEqual([0, 0, 0]);
  });

  it('notify(n) wakes n waiters (Python test_notify_n)', async () => {
    const cond = new Condition();
    const sleeping = new Semaphore(0);
    const woken = new Semaphore(0);
    const children = await startSleepers(method, 4, cond, sleeping, woken, null);
    await sleep(DELTA);
    expect(woken.getValue()).toBe(0);
    await cond.withLock(() => cond.notify(2));
    expect(await eventually(() => woken.getValue() === 2)).toBe(true);
    await sleep(DELTA);
    expect(woken.getValue()).toBe(2);
    await cond.withLock(() => cond.notify(4));
    expect(await eventually(() => woken.getValue() === 4)).toBe(true);
    await cond.withLock(() => cond.notify(3));
    await sleep(DELTA);
    expect(woken.getValue()).toBe(4);
    expect(await joinAll(children)).toEqual([0, 0, 0, 0]);
  });

  it('waitFor() re-checks its predicate after each notify (Python test_waitfor)', async () => {
    const cond = new Condition();
    const state = new Semaphore(0);
    const ready = new Event();
    const p = await start(
      method,
      async (c: Condition, s: Semaphore, r: Event) => {
        await c.withLock(async () => {
          r.set();
          c.notify();
          const result = await c.waitFor(() => s.getValue() === 4);
          if (!result || s.getValue() !== 4) process.exit(1);
        });
      },
      [cond, state, ready],
    );
    expect(await cond.withLock(() => cond.waitFor(() => ready.isSet(), 20_000))).toBe(true);
    for (let i = 0; i < 4; i++) {
      await sleep(10);
      await cond.withLock(() => {
        state.release();
        cond.notify();
      });
    }
    expect(await joinAll([p])).toEqual([0]);
  });

  it('waitFor(predicate, timeout) gives up (Python test_waitfor_timeout)', async () => {
    const cond = new Condition();
    const state = new Semaphore(0);
    const success = new Event();
    const sem = new Semaphore(0);
    const p = await start(
      method,
      async (c: Condition, s: Semaphore, ok: Event, began: Semaphore) => {
        began.release();
        await c.withLock(async () => {
          const result = await c.waitFor(() => s.getValue() === 4, 100);
          const again = c.waitForSync(() => s.getValue() === 4, 20);
          if (!result && !again) ok.set();
        });
      },
      [cond, state, success, sem],
    );
    expect(await sem.acquire(true, 20_000)).toBe(true);
    for (let i = 0; i < 3; i++) {
      await sleep(10);
      await cond.withLock(() => {
        state.release();
        cond.notify();
      });
    }
    expect(await joinAll([p])).toEqual([0]);
    expect(success.isSet()).toBe(true);
  });

  it('wait() resolves true when notified (Python test_wait_result)', async () => {
    const cond = new Condition();
    await cond.acquire();
    expect(await cond.wait(0)).toBe(false);
    expect(await cond.wait(50)).toBe(false);
    const p = await start(method, async (c: Condition) => c.withLock(() => c.notify()), [cond]);
    expect(await cond.wait(60_000)).toBe(true);
    cond.release();
    expect(await joinAll([p])).toEqual([0]);
  });

  it('a child that does not hold the lock cannot wait or notify; one over a Lock can', async () => {
    const cond = new Condition(new Lock());
    await cond.acquire();
    const code = await run(
      method,
      async (c: Condition) => {
        const waited = await c.wait(10).catch((e: unknown) => e);
        if (!(waited instanceof NotAcquiredError)) throw new Error(`wait: ${String(waited)}`);
        let notified: unknown = null;
        try {
          c.notify();
        } catch (e) {
          notified = e;
        }
        if (!(notified instanceof NotAcquiredError)) throw new Error(`notify: ${String(notified)}`);
        if (String(c) !== '<Condition(<Lock(owner=SomeOtherProcess)>), 0>') throw new Error(String(c));
      },
      [cond],
    );
    expect(code).toBe(0);
    cond.release();
    const p = await start(method, async (c: Condition) => c.withLock(() => c.wait(20_000)), [cond]);
    expect(await eventually(() => String(cond) === '<Condition(<Lock(owner=None)>), 1>', 20_000)).toBe(true);
    await cond.withLock(() => cond.notifyAll());
    expect(await joinAll([p])).toEqual([0]);
  });

  it('a Condition created in the child over the child’s RLock works with the parent', async () => {
    const code = await run(
      method,
      async () => {
        const c = new Condition(new RLock());
        await c.acquire();
        const partner = getContext('thread').Process({ target: async (cc: Condition) => cc.withLock(() => cc.notify()), args: [c] });
        await partner.start();
        const ok = await c.wait(20_000);
        c.release();
        await partner.join();
        if (!ok || partner.exitCode !== 0) throw new Error(`notified ${ok}, partner exit ${partner.exitCode}`);
      },
      [],
    );
    expect(code).toBe(0);
  });
});
