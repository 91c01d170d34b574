import fs from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { currentProcess } from '@mp/context';
import { Event, Lock, NotAcquiredError, RLock } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS, reap, tempDir } from '@mp/testing';
import { joinAll, run, start, started } from './helpers.js';

afterEach(() => reap(started));
afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

describe('Lock and RLock in one process', () => {
  it('a Lock is acquired once; a non-blocking second acquire fails; release of an unheld lock throws', async () => {
    const lock = new Lock();
    expect(await lock.acquire()).toBe(true);
    expect(await lock.acquire(false)).toBe(false);
    expect(lock.acquireSync(false)).toBe(false);
    expect(lock.release()).toBeUndefined();
    expect(() => lock.release()).toThrow(NotAcquiredError);
    expect(() => lock.release()).toThrow(/release unlocked lock/);
    expect(lock.acquireSync()).toBe(true);
    lock.release();
  });

  it('an RLock is reentrant and needs as many releases; one more throws', async () => {
    const lock = new RLock();
    expect(await lock.acquire()).toBe(true);
    expect(await lock.acquire()).toBe(true);
    expect(lock.acquireSync()).toBe(true);
    expect(String(lock)).toBe('<RLock(MainProcess, 3)>');
    lock.release();
    lock.release();
    expect(String(lock)).toBe('<RLock(MainProcess, 1)>');
    lock.release();
    expect(() => lock.release()).toThrow(/cannot release un-acquired lock/);
    expect(() => lock.release()).toThrow(NotAcquiredError);
  });

  it('reprs follow Python', async () => {
    const lock = new Lock();
    expect(String(lock)).toBe('<Lock(owner=None)>');
    await lock.acquire();
    expect(String(lock)).toBe('<Lock(owner=MainProcess)>');
    lock.release();
    const rlock = new RLock();
    expect(String(rlock)).toBe('<RLock(None, 0)>');
    await rlock.acquire();
    expect(`${rlock}`).toBe('<RLock(MainProcess, 1)>');
    rlock.release();
  });

  it('withLock returns what fn returns and releases on throw (sync and async fn)', async () => {
    for (const lock of [new Lock(), new RLock()]) {
      expect(await lock.withLock(() => 42)).toBe(42);
      expect(await lock.withLock(async () => 'async')).toBe('async');
      await expect(lock.withLock(() => Promise.reject(new RangeError('boom')))).rejects.toThrow('boom');
      await expect(
        lock.withLock(() => {
          throw new TypeError('sync boom');
        }),
      ).rejects.toThrow(TypeError);
      expect(lock.withLockSync(() => 7)).toBe(7);
      expect(() =>
        lock.withLockSync(() => {
          throw new Error('x');
        }),
      ).toThrow('x');
      expect(await lock.acquire(false)).toBe(true);
      lock.release();
    }
  });

  it('timeouts: a held lock is given up after the timeout; negative means 0', async () => {
    const lock = new Lock();
    await lock.acquire();
    expect(await lock.acquire(true, 50)).toBe(false);
    expect(lock.acquireSync(true, 50)).toBe(false);
    expect(await lock.acquire(true, -1)).toBe(false);
    expect(lock.acquireSync(true, 0)).toBe(false);
    // blocking = false ignores the timeout (as Python's SemLock)
    expect(await lock.acquire(false, 1000)).toBe(false);
    await expect(lock.acquire(true, Number.NaN)).rejects.toThrow(TypeError);
    lock.release();
    expect(lock.ownerDied).toBe(false);
  });

  it('async waiters are woken in turn by releases', async () => {
    const lock = new Lock();
    await lock.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3].map((i) =>
      lock.acquire(true, 10_000).then((ok) => {
        order.push(i);
        expect(ok).toBe(true);
        lock.release();
      }),
    );
    lock.release();
    await Promise.all(waiters);
    expect(order.sort()).toEqual([1, 2, 3]);
  });
});

describe.each(METHODS)('Lock and RLock with %s children', (method) => {
  it('reprs name the holder: the child itself, or SomeOtherProcess', async () => {
    const lock = new Lock();
    const rlock = new RLock();
    const held = new Event();
    const go = new Event();
    const p = await start(
      method,
      async (l: Lock, r: RLock, heldEvent: Event, goEvent: Event) => {
        const me = currentProcess().name;
        if (String(l) !== '<Lock(owner=None)>') throw new Error(`free lock: ${String(l)}`);
        await l.acquire();
        if (String(l) !== `<Lock(owner=${me})>`) throw new Error(`own lock: ${String(l)}`);
        r.acquireSync();
        await r.acquire();
        if (String(r) !== `<RLock(${me}, 2)>`) throw new Error(`own rlock: ${String(r)}`);
        heldEvent.set();
        await goEvent.wait(10_000);
        r.release();
        r.release();
        l.release();
      },
      [lock, rlock, held, go],
    );
    expect(await held.wait(15_000)).toBe(true);
    expect(String(lock)).toBe('<Lock(owner=SomeOtherProcess)>');
    expect(String(rlock)).toBe('<RLock(SomeOtherProcess, nonzero)>');
    go.set();
    expect(await joinAll([p])).toEqual([0]);
    expect(String(lock)).toBe('<Lock(owner=None)>');
    expect(String(rlock)).toBe('<RLock(None, 0)>');
  });

  it('a lock held by the parent times out in the child, then is acquired once released', async () => {
    const lock = new Lock();
    const tried = new Event();
    await lock.acquire();
    const p = await start(
      method,
      async (l: Lock, triedEvent: Event) => {
        if (await l.acquire(true, 50)) throw new Error('acquired a held lock');
        if (l.acquireSync(true, 20)) throw new Error('acquireSync got a held lock');
        if (await l.acquire(false)) throw new Error('non-blocking acquire got a held lock');
        triedEvent.set();
        if (!(await l.acquire(true, 20_000))) throw new Error('never got the lock');
        l.release();
        if (!l.acquireSync(true, 20_000)) throw new Error('acquireSync never got the lock');
        l.release();
      },
      [lock, tried],
    );
    expect(await tried.wait(15_000)).toBe(true);
    lock.release();
    expect(await joinAll([p])).toEqual([0]);
    expect(await lock.acquire(false)).toBe(true);
    lock.release();
  });

  it('a Lock may be released by another process (as in Python); an RLock only by its owner', async () => {
    const lock = new Lock();
    const rlock = new RLock();
    await lock.acquire();
    await rlock.acquire();
    const code = await run(
      method,
      (l: Lock, r: RLock) => {
        l.release();
        try {
          r.release();
        } catch (error) {
          if (!(error instanceof NotAcquiredError) || !/cannot release un-acquired lock/.test(error.message)) throw error;
          try {
            l.release();
          } catch (again) {
            if (again instanceof NotAcquiredError && /release unlocked lock/.test(again.message)) return;
            throw again;
          }
          throw new Error('released an unlocked lock');
        }
        throw new Error('released an RLock held by another process');
      },
      [lock, rlock],
    );
    expect(code).toBe(0);
    expect(await lock.acquire(false)).toBe(true);
    lock.release();
    expect(String(rlock)).toBe('<RLock(MainProcess, 1)>');
    rlock.release();
  });

  it('gives mutual exclusion: two children increment a counter file under the lock', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.file('counter');
      fs.writeFileSync(file, '0');
      const lock = new Lock();
      const work = async (l: Lock, path: string, n: number) => {
        const { readFileSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
        const bump = () => writeFileSync(path, String(Number(readFileSync(path, 'utf8')) + 1));
        for (let i = 0; i < n; i++) {
          l.acquireSync();
          bump();
          l.release();
          await l.withLock(bump);
        }
      };
      const children = [await start(method, work, [lock, file, 40]), await start(method, work, [lock, file, 40])];
      await work(lock, file, 20);
      expect(await joinAll(children)).toEqual([0, 0]);
      expect(fs.readFileSync(file, 'utf8')).toBe('200');
    } finally {
      tmp.cleanup();
    }
  });

  it('withLock in a child returns values and releases on throw', async () => {
    const lock = new RLock();
    const code = await run(
      method,
      async (l: RLock) => {
        if ((await l.withLock(() => 5)) !== 5) throw new Error('value');
        const e = await l.withLock(() => Promise.reject(new RangeError('inner'))).catch((x: unknown) => x);
        if (!(e instanceof RangeError)) throw new Error(`error: ${String(e)}`);
        if (l.withLockSync(() => 'sync') !== 'sync') throw new Error('sync value');
        if (String(l) !== '<RLock(None, 0)>') throw new Error(`still held: ${String(l)}`);
      },
      [lock],
    );
    expect(code).toBe(0);
    expect(await lock.acquire(false)).toBe(true);
    lock.release();
  });
});
