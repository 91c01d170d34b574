// A holder that dies (a killed process, a terminated or finished thread) never leaves a primitive
// held forever: the next acquirer takes over and can tell. Python deadlocks in these cases.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { getLogger, type LogRecord } from '@mp/context';
import { Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Event, Lock, RLock, Semaphore, SharedLock } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS, reap } from '@mp/testing';
import { joinAll, type Method, sleep, start, started } from './helpers.js';

afterEach(() => reap(started));
afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

/** Runs `hold(...args, held)` in a child, waits until it sets `held`, then kills it. */
async function killHolder(method: Method, hold: (...args: never[]) => unknown, args: unknown[]): Promise<void> {
  const held = new Event();
  const p = await start(method, hold, [...args, held]);
  expect(await held.wait(20_000)).toBe(true);
  p.kill();
  await p.join(20_000);
  expect(p.isAlive()).toBe(false);
}


describe.each(METHODS)('dead holders, %s children', (method) => {
  it('a Lock held by a killed child is taken over; ownerDied says so; a warning is logged', async () => {
    const records: LogRecord[] = [];
    const handler = (r: LogRecord) => records.push(r);
    getLogger().addHandler(handler);
    try {
      const lock = new Lock();
      await killHolder(
        method,
        async (l: Lock, held: Event) => {
          await l.acquire();
          held.set();
          await new Promise<never>(() => setInterval(() => {}, 1000));
        },
        [lock],
      );
      expect(await lock.acquire(true, 20_000)).toBe(true);
      expect(lock.ownerDied).toBe(true);
      expect(String(lock)).toBe('<Lock(owner=MainProcess)>');
      lock.release();
      expect(lock.ownerDied).toBe(false);
      expect(records.some((r) => r.levelName === 'WARNING' && /died/.test(r.message))).toBe(true);
    } finally {
      getLogger().removeHandler(handler);
    }
  });

  it('a waiter gets a lock whose holder is killed while it waits', async () => {
    const lock = new RLock();
    const held = new Event();
    const p = await start(
      method,
      async (l: RLock, h: Event) => {
        await l.acquire();
        await l.acquire();
        h.set();
        await new Promise<never>(() => setInterval(() => {}, 1000));
      },
      [lock, held],
    );
    expect(await held.wait(20_000)).toBe(true);
    const waiting = lock.acquire(true, 20_000);
    await sleep(50);
    p.kill();
    expect(await waiting).toBe(true);
    expect(String(lock)).toBe('<RLock(MainProcess, 1)>');
    expect(lock.ownerDied).toBe(true);
    lock.release();
    expect(String(lock)).toBe('<RLock(None, 0)>');
  });

  it('a child that ends normally while holding a lock does not keep it', async () => {
    const lock = new Lock();
    const p = await start(method, (l: Lock) => void l.acquireSync(), [lock]);
    expect(await joinAll([p])).toEqual([0]);
    expect(lock.acquireSync(true, 20_000)).toBe(true);
    expect(lock.ownerDied).toBe(true);
    lock.release();
  });

  it('semaphore units of a killed child are given back, never more than the initial value', async () => {
    const sem = new BoundedSemaphore(2);
    await killHolder(
      method,
      async (s: BoundedSemaphore, held: Event) => {
        await s.acquire();
        s.acquireSync();
        held.set();
        await new Promise<never>(() => setInterval(() => {}, 1000));
      },
      [sem],
    );
    expect(await sem.acquire(true, 20_000)).toBe(true);
    expect(sem.acquireSync(true, 20_000)).toBe(true);
    expect(sem.reclaimed).toBe(2);
    sem.release();
    sem.release();
    expect(sem.getValue()).toBe(2);

    // A Semaphore(0) used as a signal: the unit the child consumed is not given back.
    const signal = new Semaphore(0);
    signal.release();
    const p = await start(method, async (s: Semaphore) => void (await s.acquire(true, 20_000)), [signal]);
    expect(await joinAll([p])).toEqual([0]);
    expect(signal.getValue()).toBe(0);
    expect(await signal.acquire(true, 50)).toBe(false);
    expect(signal.reclaimed).toBe(0);
  });

  it('a killed waiter does not swallow a notify: the next live waiter gets it', async () => {
    const cond = new Condition();
    const sleeping = new Semaphore(0);
    const woken = new Semaphore(0);
    const waiter = async (c: Condition, s: Semaphore, w: Semaphore) => {
      await c.acquire();
      s.release();
      if (await c.wait(30_000)) w.release();
      c.release();
    };
    const first = await start(method, waiter, [cond, sleeping, woken]);
    expect(await sleeping.acquire(true, 20_000)).toBe(true);
    const second = await start(method, waiter, [cond, sleeping, woken]);
    expect(await sleeping.acquire(true, 20_000)).toBe(true);
    first.kill();
    await first.join(20_000);
    await cond.withLock(() => cond.notify());
    expect(await woken.acquire(true, 20_000)).toBe(true);
    expect(await joinAll([second])).toEqual([0]);
    expect(String(cond)).toBe('<Condition(<RLock(None, 0)>), 0>');
  });

  it('a waiter killed after being notified, before returning, hands the notification on', async () => {
    const cond = new Condition();
    const sleeping = new Semaphore(0);
    const woken = new Semaphore(0);
    const waiter = async (c: Condition, s: Semaphore, w: Semaphore) => {
      await c.acquire();
      s.release();
      if (await c.wait(30_000)) w.release();
      c.release();
    };
    const first = await start(method, waiter, [cond, sleeping, woken]);
    expect(await sleeping.acquire(true, 20_000)).toBe(true);
    await cond.acquire();
    cond.notify(); // `first` is notified but cannot return: we hold the lock
    first.kill();
    await first.join(20_000);
    cond.release();
    const second = await start(method, waiter, [cond, sleeping, woken]);
    expect(await sleeping.acquire(true, 20_000)).toBe(true);
    // No further notify: the dead waiter's notification reaches `second`.
    expect(await woken.acquire(true, 20_000)).toBe(true);
    expect(await joinAll([second])).toEqual([0]);
  });

  it('a party that dies while the barrier fills breaks it', async () => {
    const barrier = new Barrier(3);
    const p = await start(method, async (b: Barrier) => b.wait(), [barrier]);
    expect(await eventually(() => barrier.nWaiting === 1, 20_000)).toBe(true);
    const waiting = barrier.wait(20_000);
    p.kill();
    await expect(waiting).rejects.toThrow(BrokenBarrierError);
    expect(barrier.broken).toBe(true);
    barrier.reset();
    expect(barrier.nWaiting).toBe(0);
    expect(barrier.broken).toBe(false);
  });

  it('SharedLock: a killed reader is counted out; a killed writer is taken over or cleared', async () => {
    const lock = new SharedLock();
    await killHolder(
      method,
      async (l: SharedLock, held: Event) => {
        await l.acquire();
        held.set();
        await new Promise<never>(() => setInterval(() => {}, 1000));
      },
      [lock],
    );
    expect(await lock.acquireExclusive(true, 20_000)).toBe(true);
    lock.releaseExclusive();

    await killHolder(
      method,
      async (l: SharedLock, held: Event) => {
        await l.acquireExclusive();
        held.set();
        await new Promise<never>(() => setInterval(() => {}, 1000));
      },
      [lock],
    );
    expect(await lock.acquireExclusive(true, 20_000)).toBe(true);
    expect(lock.ownerDied).toBe(true);
    lock.releaseExclusive();
    expect(lock.ownerDied).toBe(false);

    await killHolder(
      method,
      async (l: SharedLock, held: Event) => {
        l.acquireExclusiveSync();
        held.set();
        await new Promise<never>(() => setInterval(() => {}, 1000));
      },
      [lock],
    );
    expect(await lock.acquire(true, 20_000)).toBe(true);
    expect(lock.ownerDied).toBe(true);
    lock.release();
  });
});
