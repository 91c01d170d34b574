import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BoundedSemaphore, Event, Semaphore, TooManyReleasesError } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS, reap } from '@mp/testing';
import { joinAll, run, sleep, start, started } from './helpers.js';

afterEach(() => reap(started));
afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

/** Python's _test_semaphore. */
async function checkSemaphore(sem: Semaphore): Promise<void> {
  expect(sem.getValue()).toBe(2);
  expect(await sem.acquire()).toBe(true);
  expect(sem.getValue()).toBe(1);
  expect(sem.acquireSync()).toBe(true);
  expect(sem.getValue()).toBe(0);
  expect(await sem.acquire(false)).toBe(false);
  expect(sem.acquireSync(false)).toBe(false);
  expect(sem.getValue()).toBe(0);
  expect(sem.release()).toBeUndefined();
  expect(sem.getValue()).toBe(1);
  sem.release();
  expect(sem.getValue()).toBe(2);
}

describe('Semaphore and BoundedSemaphore in one process', () => {
  it('counts units (Python test_semaphore)', async () => {
    const sem = new Semaphore(2);
    await checkSemaphore(sem);
    sem.release();
    expect(sem.getValue()).toBe(3);
    sem.release();
    expect(sem.getValue()).toBe(4);
    expect(String(sem)).toBe('<Semaphore(value=4)>');
    expect(new Semaphore().getValue()).toBe(1);
  });

  it('a BoundedSemaphore refuses to go above its initial value', async () => {
    const sem = new BoundedSemaphore(2);
    await checkSemaphore(sem);
    expect(() => sem.release()).toThrow(TooManyReleasesError);
    expect(() => sem.release()).toThrow(RangeError);
    expect(() => sem.release()).toThrow(/Semaphore released too many times/);
    expect(sem.getValue()).toBe(2);
    expect(String(sem)).toBe('<BoundedSemaphore(value=2, maxvalue=2)>');
    expect(sem).toBeInstanceOf(Semaphore);
  });

  it('times out (Python test_timeout) and rejects bad initial values', async () => {
    const sem = new Semaphore(0);
    expect(await sem.acquire(false)).toBe(false);
    expect(await sem.acquire(false, null)).toBe(false);
    expect(await sem.acquire(false, 100)).toBe(false);
    expect(await sem.acquire(true, 50)).toBe(false);
    expect(sem.acquireSync(true, 50)).toBe(false);
    expect(await sem.acquire(undefined, 30)).toBe(false);
    expect(() => new Semaphore(-1)).toThrow(/must be an integer >= 0/);
    expect(() => new BoundedSemaphore(1.5)).toThrow(/must be an integer >= 0/);
  });

  it('withLock takes and gives back a unit', async () => {
    const sem = new BoundedSemaphore(1);
    expect(await sem.withLock(() => sem.getValue())).toBe(0);
    expect(sem.getValue()).toBe(1);
    await expect(sem.withLock(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(sem.withLockSync(() => 3)).toBe(3);
    expect(sem.getValue()).toBe(1);
  });

  it('a release wakes an async waiter', async () => {
    const sem = new Semaphore(0);
    const waiting = sem.acquire(true, 10_000);
    await sleep(20);
    sem.release();
    expect(await waiting).toBe(true);
    expect(sem.getValue()).toBe(0);
  });
});

describe('Event in one process', () => {
  it('set, clear, wait with timeouts (Python test_event)', async () => {
    const event = new Event();
    expect(event.isSet()).toBe(false);
    expect(await event.wait(0)).toBe(false);
    expect(await event.wait(50)).toBe(false);
    expect(event.waitSync(20)).toBe(false);
    event.set();
    expect(event.isSet()).toBe(true);
    expect(await event.wait()).toBe(true);
    expect(await event.wait(50)).toBe(true);
    expect(event.waitSync()).toBe(true);
    event.clear();
    expect(event.isSet()).toBe(false);
    expect(await event.wait(-5)).toBe(false);
  });

  it('repr is Python’s', () => {
    const event = new Event();
    expect(String(event)).toMatch(/^<Event at 0x[0-9a-f]+ unset>$/);
    event.set();
    expect(String(event)).toMatch(/^<Event at 0x[0-9a-f]+ set>$/);
  });
});

describe.each(METHODS)('Semaphore and Event with %s children', (method) => {
  it('a child releases what the parent waits for, and acquires what the parent releases', async () => {
    const toParent = new Semaphore(0);
    const toChild = new BoundedSemaphore(1);
    await toChild.acquire();
    const p = await start(
      method,
      async (up: Semaphore, down: BoundedSemaphore) => {
        up.release();
        if (!(await down.acquire(true, 20_000))) throw new Error('never got the unit');
        if (down.getValue() !== 0) throw new Error(`value ${down.getValue()}`);
        down.release();
        let error: unknown = null;
        try {
          down.release();
        } catch (e) {
          error = e;
        }
        if (!(error instanceof TooManyReleasesError)) throw new Error(`over-release gave ${String(error)}`);
        if (String(down) !== '<BoundedSemaphore(value=1, maxvalue=1)>') throw new Error(String(down));
        up.release();
        if (!up.acquireSync(true, 1000)) throw new Error('acquireSync');
        if (up.acquireSync(false)) throw new Error('acquireSync(false) got a unit');
        if (await up.acquire(true, 30)) throw new Error('acquire timed out with a unit');
      },
      [toParent, toChild],
    );
    expect(await toParent.acquire(true, 15_000)).toBe(true);
    toChild.release();
    expect(await joinAll([p])).toEqual([0]);
    expect(toChild.getValue()).toBe(1);
    expect(toParent.getValue()).toBe(0);
  });

  it('a semaphore of 2 lets two children in and keeps a third out', async () => {
    const sem = new BoundedSemaphore(2);
    const inside = new Semaphore(0);
    const leave = new Event();
    const hold = async (s: BoundedSemaphore, counter: Semaphore, go: Event) => {
      await s.withLock(async () => {
        counter.release();
        await go.wait(20_000);
      });
    };
    const children = [await start(method, hold, [sem, inside, leave]), await start(method, hold, [sem, inside, leave])];
    expect(await inside.acquire(true, 15_000)).toBe(true);
    expect(await inside.acquire(true, 15_000)).toBe(true);
    expect(sem.getValue()).toBe(0);
    const third = await run(method, async (s: BoundedSemaphore) => (await s.acquire(true, 50)) && process.exit(3), [sem]);
    expect(third).toBe(0);
    leave.set();
    expect(await joinAll(children)).toEqual([0, 0]);
    expect(sem.getValue()).toBe(2);
  });

  it('waiting children are woken by set(); wait() resolves with the flag', async () => {
    const event = new Event();
    const ready = new Semaphore(0);
    const waiter = async (e: Event, r: Semaphore) => {
      if (e.isSet()) throw new Error('set too early');
      if (await e.wait(10)) throw new Error('wait(10) returned true');
      if (e.waitSync(10)) throw new Error('waitSync(10) returned true');
      r.release();
      if (!(await e.wait())) throw new Error('wait() returned false');
      if (!e.waitSync(1000)) throw new Error('waitSync returned false');
      if (!e.isSet()) throw new Error('not set');
    };
    const children = [await start(method, waiter, [event, ready]), await start(method, waiter, [event, ready])];
    expect(await ready.acquire(true, 15_000)).toBe(true);
    expect(await ready.acquire(true, 15_000)).toBe(true);
    await sleep(50);
    event.set();
    expect(await joinAll(children)).toEqual([0, 0]);
  });

  it('a child sets and clears (Python test_event: wait() after a child sets it)', async () => {
    const event = new Event();
    const p = await start(
      method,
      async (e: Event) => {
        e.set();
        e.clear();
        if (e.isSet()) throw new Error('clear() not applied before isSet()');
        if (await e.wait(0)) throw new Error('wait(0) saw a cleared event');
        await new Promise((resolve) => setTimeout(resolve, 100));
        e.set();
        if (!(await e.wait(0))) throw new Error('wait(0) after set() was false');
      },
      [event],
    );
    expect(await event.wait(15_000)).toBe(true);
    expect(await joinAll([p])).toEqual([0]);
    expect(event.isSet()).toBe(true);
  });
});
