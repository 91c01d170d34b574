// Every primitive and method works wherever it is used: in a spawned process (through the root's
// broker), in a grandchild, in a thread started inside a spawned process, and when the primitive
// was created inside a spawned process.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { currentProcess, getContext } from '@mp/context';
import { Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Event, Lock, NotAcquiredError, RLock, Semaphore, SharedLock, TooManyReleasesError } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS, reap } from '@mp/testing';
import { joinAll, run, start, started } from './helpers.js';

afterEach(() => reap(started));
afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

interface Kit {
  lock: Lock;
  rlock: RLock;
  sem: Semaphore;
  bounded: BoundedSemaphore;
  event: Event;
  cond: Condition;
  barrier: Barrier;
  shared: SharedLock;
}

function makeKit(): Kit {
  return {
    lock: new Lock(),
    rlock: new RLock(),
    sem: new Semaphore(2),
    bounded: new BoundedSemaphore(1),
    event: new Event(),
    cond: new Condition(),
    barrier: new Barrier(1),
    shared: new SharedLock(),
  };
}

/**
 * Exercises every method of a fresh kit from one process; throws on any surprise. Sent by source
 * (so it only uses its parameters and library names).
 */
const exercise = async (k: Kit): Promise<void> => {
  const check = (ok: unknown, what: string) => {
    if (!ok) throw new Error(`${currentProcess().name}: ${what}`);
  };
  const throwsAs = async (fn: () => unknown, cls: new (...a: never[]) => Error, what: string) => {
    try {
      await fn();
    } catch (error) {
      check(error instanceof cls, `${what}: ${String(error)}`);
      return;
    }
    check(false, `${what} did not throw`);
  };
  const me = currentProcess().name;
  // Lock
  check(String(k.lock) === '<Lock(owner=None)>', `lock repr ${String(k.lock)}`);
  check(await k.lock.acquire(), 'lock acquire');
  check(String(k.lock) === `<Lock(owner=${me})>`, `lock repr held ${String(k.lock)}`);
  check(!(await k.lock.acquire(false)), 'lock acquire(false) while held');
  check(!k.lock.acquireSync(true, 10), 'lock acquireSync timeout while held');
  check(!k.lock.ownerDied, 'lock ownerDied');
  k.lock.release();
  await throwsAs(() => k.lock.release(), NotAcquiredError, 'lock release unlocked');
  check(k.lock.acquireSync(), 'lock acquireSync');
  k.lock.release();
  check((await k.lock.withLock(() => 'w')) === 'w', 'lock withLock');
  check(k.lock.withLockSync(() => 's') === 's', 'lock withLockSync');
  // RLock
  check(await k.rlock.acquire(), 'rlock acquire');
  check(k.rlock.acquireSync(), 'rlock acquireSync');
  check(String(k.rlock) === `<RLock(${me}, 2)>`, `rlock repr ${String(k.rlock)}`);
  k.rlock.release();
  k.rlock.release();
  await throwsAs(() => k.rlock.release(), NotAcquiredError, 'rlock over-release');
  // Semaphores
  check(k.sem.getValue() === 2 && String(k.sem) === '<Semaphore(value=2)>', `sem ${String(k.sem)}`);
  check((await k.sem.acquire()) && k.sem.acquireSync() && !(await k.sem.acquire(false)), 'sem acquires');
  check(!(await k.sem.acquire(true, 10)) && !k.sem.acquireSync(true, 10), 'sem timeouts');
  k.sem.release();
  k.sem.release();
  check(k.sem.getValue() === 2 && k.sem.reclaimed === 0, 'sem value after releases');
  check((await k.sem.withLock(() => k.sem.getValue())) === 1, 'sem withLock');
  check(await k.bounded.acquire(), 'bounded acquire');
  k.bounded.release();
  await throwsAs(() => k.bounded.release(), TooManyReleasesError, 'bounded over-release');
  check(String(k.bounded) === '<BoundedSemaphore(value=1, maxvalue=1)>', `bounded repr ${String(k.bounded)}`);
  // Event
  check(!k.event.isSet() && !(await k.event.wait(10)) && !k.event.waitSync(10), 'event unset');
  k.event.set();
  check(k.event.isSet() && (await k.event.wait()) && k.event.waitSync(), 'event set');
  check(/^<Event at 0x[0-9a-f]+ set>$/.test(String(k.event)), `event repr ${String(k.event)}`);
  k.event.clear();
  check(!k.event.isSet() && !(await k.event.wait(0)), 'event cleared');
  // Condition
  await throwsAs(() => k.cond.wait(10), NotAcquiredError, 'cond wait without lock');
  await throwsAs(() => k.cond.notify(), NotAcquiredError, 'cond notify without lock');
  check(await k.cond.acquire(), 'cond acquire');
  check(!(await k.cond.wait(10)) && !k.cond.waitSync(10), 'cond wait timeouts');
  k.cond.notify();
  k.cond.notifyAll();
  check((await k.cond.waitFor(() => 'yes')) === 'yes' && !(await k.cond.waitFor(() => false, 10)), 'cond waitFor');
  check(!k.cond.waitForSync(() => 0, 10), 'cond waitForSync');
  check(String(k.cond) === `<Condition(<RLock(${me}, 1)>), 0>`, `cond repr ${String(k.cond)}`);
  k.cond.release();
  check(k.cond.acquireSync(), 'cond acquireSync');
  k.cond.release();
  check((await k.cond.withLock(() => 1)) === 1 && k.cond.withLockSync(() => 2) === 2, 'cond withLock');
  // Barrier (of one party)
  check((await k.barrier.wait()) === 0 && k.barrier.waitSync() === 0, 'barrier waits');
  check(k.barrier.parties === 1 && k.barrier.nWaiting === 0 && !k.barrier.broken, 'barrier properties');
  k.barrier.abort();
  check(k.barrier.broken && /: broken>$/.test(String(k.barrier)), 'barrier abort');
  await throwsAs(() => k.barrier.wait(), BrokenBarrierError, 'broken barrier wait');
  k.barrier.reset();
  check(!k.barrier.broken && (await k.barrier.wait(1000)) === 0, 'barrier reset');
  // SharedLock
  check((await k.shared.acquire()) && k.shared.acquireSync(), 'shared acquires');
  check(!(await k.shared.acquireExclusive(false)) && !k.shared.acquireExclusiveSync(true, 10), 'exclusive while shared');
  k.shared.release();
  k.shared.release();
  await throwsAs(() => k.shared.release(), NotAcquiredError, 'shared over-release');
  check(await k.shared.acquireExclusive(), 'exclusive');
  check(String(k.shared) === `<SharedLock(shared=0, exclusive=${me}, waiting=0)>`, `shared repr ${String(k.shared)}`);
  k.shared.releaseExclusive();
  check(k.shared.acquireExclusiveSync(), 'exclusive sync');
  k.shared.releaseExclusive();
  check((await k.shared.withLock(() => 1)) === 1 && (await k.shared.exclusive(() => 2)) === 2, 'shared withLock/exclusive');
  check(k.shared.withLockSync(() => 3) === 3 && k.shared.exclusiveSync(() => 4) === 4, 'shared sync twins');
};

describe.each(METHODS)('every method in a %s child', (method) => {
  it('works on primitives made by the root', async () => {
    const kit = makeKit();
    expect(await run(method, exercise, [kit])).toBe(0);
    // and the root sees what the child left: everything free again
    expect(String(kit.lock)).toBe('<Lock(owner=None)>');
    expect(kit.sem.getValue()).toBe(2);
  });

  it('works on primitives made in the child, in its spawn grandchild and in a thread inside it', async () => {
    const code = await run(
      method,
      async (ex: (k: Kit) => Promise<void>, makeFresh: () => Kit) => {
        await ex(makeFresh());
        for (const inner of ['spawn', 'thread'] as const) {
          const p = getContext(inner).Process({ target: ex, args: [makeFresh()] });
          await p.start();
          await p.join(30_000);
          if (p.exitCode !== 0) throw new Error(`${inner} grandchild exited ${p.exitCode}`);
        }
      },
      [exercise, makeKit],
    );
    expect(code).toBe(0);
  });
});

describe('a primitive made in a spawned process is shared with its parent and its children', () => {
  it('a Barrier and an Event made in a spawn child coordinate the child, a thread inside it and a grandchild', async () => {
    const done = new Event();
    const code = await run(
      'spawn',
      async (finished: Event) => {
        const barrier = new Barrier(3);
        const go = new Event();
        const party = async (b: Barrier, g: Event) => {
          await g.wait(20_000);
          return b.wait(20_000);
        };
        const children = [getContext('thread').Process({ target: party, args: [barrier, go] }), getContext('spawn').Process({ target: party, args: [barrier, go] })];
        for (const c of children) await c.start();
        go.set();
        const index = await barrier.wait(20_000);
        for (const c of children) await c.join(30_000);
        if (children.some((c) => c.exitCode !== 0) || index < 0 || index > 2) throw new Error('barrier party failed');
        finished.set();
      },
      [done],
    );
    expect(code).toBe(0);
    expect(done.isSet()).toBe(true);
  });

  it('a Lock held by the root blocks a thread inside a spawn child until the root releases it', async () => {
    const lock = new Lock();
    const tried = new Event();
    await lock.acquire();
    const p = await start(
      'spawn',
      async (l: Lock, t: Event) => {
        const inner = getContext('thread').Process({
          target: async (ll: Lock, tt: Event) => {
            if (await ll.acquire(false)) throw new Error('got a held lock');
            tt.set();
            if (!(await ll.acquire(true, 20_000))) throw new Error('never got the lock');
            if (String(ll) !== `<Lock(owner=${currentProcess().name})>`) throw new Error(String(ll));
            ll.release();
          },
          args: [l, t],
        });
        await inner.start();
        await inner.join(30_000);
        if (inner.exitCode !== 0) throw new Error(`thread exited ${inner.exitCode}`);
      },
      [lock, tried],
    );
    expect(await tried.wait(20_000)).toBe(true);
    lock.release();
    expect(await joinAll([p])).toEqual([0]);
  });
});

describe('context factories', () => {
  it('ctx.Lock(), ctx.RLock(), ... make primitives on every context', async () => {
    for (const ctx of [getContext('thread'), getContext('spawn'), getContext()]) {
      expect(ctx.Lock()).toBeInstanceOf(Lock);
      expect(ctx.RLock()).toBeInstanceOf(RLock);
      expect(ctx.Semaphore(3).getValue()).toBe(3);
      expect(ctx.BoundedSemaphore(2)).toBeInstanceOf(BoundedSemaphore);
      expect(ctx.Event()).toBeInstanceOf(Event);
      expect(String(ctx.Condition(ctx.Lock()))).toBe('<Condition(<Lock(owner=None)>), 0>');
      expect(String(ctx.Condition())).toBe('<Condition(<RLock(None, 0)>), 0>');
      expect(ctx.Barrier(2, null, 1000).parties).toBe(2);
      expect(ctx.SharedLock()).toBeInstanceOf(SharedLock);
    }
    const lock: Lock = getContext('spawn').Lock();
    expect(await run('spawn', (l: Lock) => void l.acquireSync(), [lock])).toBe(0);
  });
});
