import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { currentProcess } from '@mp/context';
import { Event, NotAcquiredError, Semaphore, SharedLock } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS, reap } from '@mp/testing';
import { joinAll, run, start, started, startMany } from './helpers.js';

afterEach(() => reap(started));
afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

describe('SharedLock in one process', () => {
  it('shared holds add up and keep an exclusive acquire out; exclusive keeps everyone out', async () => {
    const lock = new SharedLock();
    expect(String(lock)).toBe('<SharedLock(shared=0, exclusive=None, waiting=0)>');
    expect(await lock.acquire()).toBe(true);
    expect(lock.acquireSync()).toBe(true);
    expect(String(lock)).toBe('<SharedLock(shared=2, exclusive=None, waiting=0)>');
    expect(await lock.acquireExclusive(false)).toBe(false);
    expect(await lock.acquireExclusive(true, 30)).toBe(false);
    lock.release();
    lock.release();
    expect(() => lock.release()).toThrow(NotAcquiredError);
    expect(() => lock.release()).toThrow(/cannot release un-acquired lock/);
    expect(await lock.acquireExclusive()).toBe(true);
    expect(String(lock)).toBe('<SharedLock(shared=0, exclusive=MainProcess, waiting=0)>');
    expect(await lock.acquire(false)).toBe(false);
    expect(lock.acquireSync(true, 20)).toBe(false);
    expect(lock.acquireExclusiveSync(false)).toBe(false);
    expect(() => lock.release()).toThrow(NotAcquiredError);
    lock.releaseExclusive();
    expect(() => lock.releaseExclusive()).toThrow(/cannot release un-acquired lock/);
    expect(lock.ownerDied).toBe(false);
  });

  it('withLock (shared) and exclusive(fn) return values and release on throw', async () => {
    const lock = new SharedLock();
    expect(await lock.withLock(() => 1)).toBe(1);
    expect(await lock.exclusive(async () => 2)).toBe(2);
    await expect(lock.exclusive(() => Promise.reject(new Error('w')))).rejects.toThrow('w');
    await expect(
      lock.withLock(() => {
        throw new Error('r');
      }),
    ).rejects.toThrow('r');
    expect(lock.withLockSync(() => 3)).toBe(3);
    expect(lock.exclusiveSync(() => 4)).toBe(4);
    expect(String(lock)).toBe('<SharedLock(shared=0, exclusive=None, waiting=0)>');
  });

  it('an async exclusive request waits for the shared holders and holds back new ones', async () => {
    const lock = new SharedLock();
    await lock.acquire();
    let written = false;
    const writer = lock.exclusive(() => {
      written = true;
    });
    await eventually(() => String(lock).endsWith('waiting=1)>'));
    expect(written).toBe(false);
    lock.release();
    await writer;
    expect(written).toBe(true);
  });
});

describe.each(METHODS)('SharedLock with %s children', (method) => {
  it('children hold it shared at once; an exclusive request waits for both', async () => {
    const lock = new SharedLock();
    const holding = new Semaphore(0);
    const go = new Event();
    const children = await startMany(
      method,
      2,
      async (l: SharedLock, h: Semaphore, g: Event) => {
        await l.acquire();
        h.release();
        await g.wait(20_000);
        l.release();
      },
      [lock, holding, go],
    );
    expect(await holding.acquire(true, 20_000)).toBe(true);
    expect(await holding.acquire(true, 20_000)).toBe(true);
    expect(String(lock)).toBe('<SharedLock(shared=2, exclusive=None, waiting=0)>');
    expect(await lock.acquireExclusive(true, 50)).toBe(false);
    const exclusive = lock.acquireExclusive(true, 20_000);
    go.set();
    expect(await exclusive).toBe(true);
    lock.releaseExclusive();
    expect(await joinAll(children)).toEqual([0, 0]);
  });

  it('a waiting exclusive request holds back new shared acquires: writers are not starved', async () => {
    const lock = new SharedLock();
    const wrote = new Event();
    await lock.acquire();
    const writer = await start(
      method,
      async (l: SharedLock, w: Event) => {
        if (!(await l.acquireExclusive(true, 20_000))) throw new Error('writer never got it');
        w.set();
        l.releaseExclusive();
      },
      [lock, wrote],
    );
    expect(await eventually(() => String(lock) === '<SharedLock(shared=1, exclusive=None, waiting=1)>', 20_000)).toBe(true);
    const reader = await run(
      method,
      async (l: SharedLock) => {
        if (await l.acquire(true, 100)) throw new Error('a reader overtook the waiting writer');
        if (l.acquireSync(false)) throw new Error('acquireSync(false) overtook the waiting writer');
      },
      [lock],
    );
    expect(reader).toBe(0);
    expect(wrote.isSet()).toBe(false);
    lock.release();
    expect(await wrote.wait(20_000)).toBe(true);
    expect(await joinAll([writer])).toEqual([0]);
    expect(await lock.acquire(true, 20_000)).toBe(true);
    lock.release();
  });

  it('an exclusive holder in a child keeps the parent out until it releases', async () => {
    const lock = new SharedLock();
    const held = new Event();
    const go = new Event();
    const p = await start(
      method,
      async (l: SharedLock, h: Event, g: Event) => {
        l.acquireExclusiveSync();
        if (String(l) !== `<SharedLock(shared=0, exclusive=${currentProcess().name}, waiting=0)>`) throw new Error(String(l));
        h.set();
        await g.wait(20_000);
        l.releaseExclusive();
        let error: unknown = null;
        try {
          l.releaseExclusive();
        } catch (e) {
          error = e;
        }
        if (!(error instanceof NotAcquiredError)) throw new Error(`second releaseExclusive: ${String(error)}`);
      },
      [lock, held, go],
    );
    expect(await held.wait(20_000)).toBe(true);
    expect(String(lock)).toBe('<SharedLock(shared=0, exclusive=SomeOtherProcess, waiting=0)>');
    expect(await lock.acquire(true, 50)).toBe(false);
    const shared = lock.acquire(true, 20_000);
    go.set();
    expect(await shared).toBe(true);
    lock.release();
    expect(await joinAll([p])).toEqual([0]);
  });
});
