// The synchronization primitives and queues of a manager, as Python's _TestLock, _TestSemaphore,
// _TestCondition, _TestEvent, _TestBarrier and _TestQueue run them for the 'manager' type.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getContext, type Process, RuntimeError, ValueError } from '@mp/context';
import { Empty, Full } from '@mp/queue';
import { BrokenBarrierError, TooManyReleasesError } from '@mp/sync';
import { type BarrierProxy, type ConditionProxy, Manager, type QueueProxy, type SemaphoreProxy, type SyncManager, type ValueProxy } from '@mp/manager';
import { childProcessesOfThisProcess, eventually, reap } from '@mp/testing';
import { eventuallyAsync, range, sleep } from './helpers.js';

let manager: SyncManager;
const processes: Process[] = [];

beforeAll(async () => {
  manager = await Manager();
});
afterEach(() => reap(processes));
afterAll(async () => {
  await manager.shutdown();
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

async function start(method: 'thread' | 'spawn', target: (...args: never[]) => unknown, args: unknown[]): Promise<Process> {
  const p = getContext(method).Process({ target, args, daemon: true } as never) as Process;
  processes.push(p);
  await p.start();
  return p;
}

describe('locks and semaphores', () => {
  it('Lock: acquire, non-blocking acquire, release, release unlocked', async () => {
    const lock = await manager.Lock();
    expect(await lock.acquire()).toBe(true);
    expect(await lock.acquire(false)).toBe(false);
    expect(await lock.acquire(true, 50)).toBe(false);
    expect(await lock.release()).toBeUndefined();
    const error = await lock.release().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as Error).message).toMatch(/release unlocked lock/);
    expect(String(lock)).toMatch(/^<AcquirerProxy object, typeid 'Lock' at 0x[0-9a-f]+>$/);
    expect(await lock.str()).toBe('<Lock(owner=None)>');
  });

  it('RLock: recursive, owned by its caller', async () => {
    const lock = await manager.RLock();
    for (let i = 0; i < 3; i++) expect(await lock.acquire()).toBe(true);
    expect(await lock.str()).toBe('<RLock(MainProcess, 3)>');
    for (let i = 0; i < 3; i++) expect(await lock.release()).toBeUndefined();
    await expect(lock.release()).rejects.toThrow(RuntimeError);
    await lock.acquire();
    const p = await start('thread', async (l: typeof lock) => {
      if (await l.acquire(false)) throw new Error('acquired an RLock held by the parent');
      await l.release().then(
        () => {
          throw new Error('released an RLock held by the parent');
        },
        () => {},
      );
    }, [lock]);
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
    await lock.release();
  });

  it('Semaphore and BoundedSemaphore: values, non-blocking, timeout, over-release', async () => {
    const sem = await manager.Semaphore(2);
    expect(await sem.getValue()).toBe(2);
    expect(await sem.acquire()).toBe(true);
    expect(await sem.getValue()).toBe(1);
    expect(await sem.acquire()).toBe(true);
    expect(await sem.acquire(false)).toBe(false);
    expect(await sem.acquire(true, 30)).toBe(false);
    await sem.release();
    await sem.release();
    await sem.release();
    expect(await sem.getValue()).toBe(3);
    const bounded = await manager.BoundedSemaphore(2);
    await bounded.acquire();
    await bounded.release();
    const error = await bounded.release().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyReleasesError);
    expect(error).toBeInstanceOf(RangeError);
    expect(await bounded.str()).toBe('<BoundedSemaphore(value=2, maxvalue=2)>');
  });

  it('a waiter blocked in acquire() does not hold up other calls, and is woken by a release from a child', async () => {
    const sem = await manager.Semaphore(0);
    const waiting = sem.acquire(true, 20_000);
    expect(await sem.getValue()).toBe(0); // served while acquire() waits
    const p = await start('spawn', async (s: SemaphoreProxy) => s.release(), [sem]);
    expect(await waiting).toBe(true);
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
  });

  it('increments under a manager Lock from thread and spawn children lose no update', async () => {
    const lock = await manager.Lock();
    const counter = await manager.Value('i', 0);
    const work = async (l: typeof lock, c: ValueProxy<number>): Promise<void> => {
      for (let i = 0; i < 50; i++) await l.withLock(async () => c.set((await c.get()) + 1));
    };
    const children = [await start('thread', work, [lock, counter]), await start('spawn', work, [lock, counter]), await start('spawn', work, [lock, counter])];
    await work(lock, counter);
    for (const p of children) {
      await p.join(60_000);
      expect(p.exitCode).toBe(0);
    }
    expect(await counter.get()).toBe(200);
  });

  it('withLock runs a function under the lock and releases it after an error', async () => {
    const lock = await manager.Lock();
    expect(await lock.withLock(() => 42)).toBe(42);
    await expect(lock.withLock(() => {
      throw new Error('inside');
    })).rejects.toThrow('inside');
    expect(await lock.acquire(false)).toBe(true);
    await lock.release();
  });
});

describe('conditions', () => {
  const sleeper = async (cond: ConditionProxy, sleeping: SemaphoreProxy, woken: SemaphoreProxy, timeout: number | null): Promise<void> => {
    await cond.acquire();
    await sleeping.release();
    await cond.wait(timeout);
    await woken.release();
    await cond.release();
  };

  it('test_notify / test_notify_all: one thread and one spawn child', async () => {
    const cond = await manager.Condition();
    const sleeping = await manager.Semaphore(0);
    const woken = await manager.Semaphore(0);
    await start('thread', sleeper, [cond, sleeping, woken, null]);
    await start('spawn', sleeper, [cond, sleeping, woken, null]);
    await sleeping.acquire();
    await sleeping.acquire();
    await sleep(100);
    expect(await woken.getValue()).toBe(0);
    await cond.withLock(() => cond.notify());
    expect(await eventuallyAsync(async () => (await woken.getValue()) === 1)).toBe(true);
    await sleep(100);
    expect(await woken.getValue()).toBe(1);
    await cond.withLock(() => cond.notifyAll());
    expect(await eventuallyAsync(async () => (await woken.getValue()) === 2)).toBe(true);
    await expect(cond.notify()).rejects.toThrow(/cannot notify on un-acquired lock/);
    await expect(cond.wait()).rejects.toThrow(/cannot wait on un-acquired lock/);
  });

  it('test_notify_n and a timed-out wait', async () => {
    const cond = await manager.Condition();
    const sleeping = await manager.Semaphore(0);
    const woken = await manager.Semaphore(0);
    for (let i = 0; i < 3; i++) await start('thread', sleeper, [cond, sleeping, woken, null]);
    for (let i = 0; i < 3; i++) await sleeping.acquire();
    await cond.withLock(() => cond.notify(2));
    expect(await eventuallyAsync(async () => (await woken.getValue()) === 2)).toBe(true);
    await cond.withLock(() => cond.notify(5));
    expect(await eventuallyAsync(async () => (await woken.getValue()) === 3)).toBe(true);
    await cond.acquire();
    expect(await cond.wait(50)).toBe(false);
    await cond.release();
  });

  it('test_waitfor: waitFor with an async predicate over a shared Value', async () => {
    const cond = await manager.Condition();
    const state = await manager.Value('i', -1);
    const p = await start('spawn', async (c: ConditionProxy, s: ValueProxy<number>) => {
      await c.acquire();
      await s.set(0);
      await c.notify();
      const result = await c.waitFor(async () => (await s.get()) === 4, 30_000);
      await c.release();
      if (!result || (await s.get()) !== 4) throw new Error('waitFor');
    }, [cond, state]);
    await cond.acquire();
    expect(await cond.waitFor(async () => (await state.get()) === 0, 30_000)).toBe(true);
    await cond.release();
    for (let i = 0; i < 4; i++) {
      await sleep(10);
      await cond.withLock(async () => {
        await state.set((await state.get()) + 1);
        await cond.notify();
      });
    }
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
    await cond.acquire();
    expect(await cond.waitFor(async () => false, 50)).toBe(false);
    await cond.release();
  });

  it('a Condition over a Lock of the same manager', async () => {
    const lock = await manager.Lock();
    const cond = await manager.Condition(lock);
    await cond.acquire();
    expect(await lock.acquire(false)).toBe(false); // the condition's lock is that Lock
    expect(await cond.wait(20)).toBe(false);
    await cond.release();
    expect(await lock.acquire(false)).toBe(true);
    await lock.release();
  });
});

describe('events and barriers', () => {
  it('test_event', async () => {
    const event = await manager.Event();
    expect(await event.isSet()).toBe(false);
    expect(await event.wait(0)).toBe(false);
    expect(await event.wait(30)).toBe(false);
    await event.set();
    expect(await event.isSet()).toBe(true);
    expect(await event.wait()).toBe(true);
    expect(await event.wait(30)).toBe(true);
    await event.clear();
    expect(await event.isSet()).toBe(false);
    await start('spawn', async (e: typeof event) => {
      await new Promise((r) => setTimeout(r, 50));
      await e.set();
    }, [event]);
    expect(await event.wait(30_000)).toBe(true);
  });

  it('a Barrier across this process and two children; abort breaks it; reset mends it', async () => {
    const barrier = await manager.Barrier(3, null, 30_000);
    const results = await manager.list<number>();
    const party = async (b: BarrierProxy, r: typeof results): Promise<void> => {
      await r.append(await b.wait());
    };
    const children = [await start('thread', party, [barrier, results]), await start('spawn', party, [barrier, results])];
    await results.append(await barrier.wait());
    for (const p of children) await p.join(30_000);
    expect((await results.toArray()).sort()).toEqual([0, 1, 2]);
    expect([await barrier.parties, await barrier.nWaiting, await barrier.broken]).toEqual([3, 0, false]);

    const waiting = barrier.wait().catch((e: unknown) => e);
    expect(await eventuallyAsync(async () => (await barrier.nWaiting) === 1)).toBe(true);
    await barrier.abort();
    expect(await waiting).toBeInstanceOf(BrokenBarrierError);
    expect(await barrier.broken).toBe(true);
    await expect(barrier.wait()).rejects.toThrow(BrokenBarrierError);
    await barrier.reset();
    expect(await barrier.broken).toBe(false);
    await expect(barrier.wait(20)).rejects.toThrow(BrokenBarrierError); // a timeout breaks it
  });

  it('a Barrier action runs on the server once per round', async () => {
    const barrier = await manager.Barrier(2, () => {
      (globalThis as unknown as Record<string, number>).rounds = ((globalThis as unknown as Record<string, number>).rounds ?? 0) + 1;
    });
    const [a, b] = await Promise.all([barrier.wait(), barrier.wait()]);
    expect([a, b].sort()).toEqual([0, 1]);
  });
});

describe('queues', () => {
  it('put/get with block and timeout; Empty and Full', async () => {
    const q = await manager.Queue<number>(2);
    expect([await q.empty(), await q.full(), await q.qsize()]).toEqual([true, false, 0]);
    await q.put(1);
    await q.putNowait(2);
    expect([await q.empty(), await q.full(), await q.qsize()]).toEqual([false, true, 2]);
    await expect(q.putNowait(3)).rejects.toThrow(Full);
    await expect(q.put(3, false)).rejects.toThrow(Full);
    await expect(q.put(3, true, 30)).rejects.toThrow(Full);
    expect(await q.get()).toBe(1);
    expect(await q.getNowait()).toBe(2);
    await expect(q.getNowait()).rejects.toThrow(Empty);
    await expect(q.get(false)).rejects.toThrow(Empty);
    const error = await q.get(true, 30).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Empty);
    expect(error).toBeInstanceOf((await import('@mp/manager')).RemoteError);
  });

  it('a blocked put continues when a child gets; FIFO order is kept', async () => {
    const q = await manager.Queue<number>(1);
    await q.put(0);
    const blocked = q.put(1);
    const p = await start('spawn', async (queue: QueueProxy<number>) => {
      const got = [await queue.get(), await queue.get(), await queue.get()];
      if (got.join() !== '0,1,2') throw new Error(`got ${got.join()}`);
    }, [q]);
    await blocked;
    await q.put(2);
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
  });

  it('JoinableQueue: taskDone and join with a consumer child', async () => {
    const q = await manager.JoinableQueue<number>();
    for (const i of range(10)) await q.put(i);
    const p = await start('thread', async (queue: QueueProxy<number>) => {
      for (let i = 0; i < 10; i++) {
        await queue.get();
        await queue.taskDone();
      }
    }, [q]);
    await q.join();
    expect(await q.qsize()).toBe(0);
    await expect(q.taskDone()).rejects.toThrow(ValueError);
    await p.join(30_000);
  });
});
