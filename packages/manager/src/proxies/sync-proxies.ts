import { registerBuiltinProxyType } from '../internal/factory.js';
import { BaseProxy } from './base-proxy.js';

/**
 * Proxy of a manager's Lock or RLock (Python's `AcquirerProxy`). An RLock is owned by the thread
 * or process that acquired it (one connection per isolate); a Lock may be released by anyone.
 * Releasing an unheld lock rejects with a `NotAcquiredError` (a RuntimeError).
 *
 * @example
 * ```ts
 * const lock = await manager.Lock();
 * await lock.withLock(async () => {
 *   // ... only one process at a time here
 * });
 * console.log(await lock.acquire(false)); // true
 * await lock.release();
 * ```
 */
export class AcquirerProxy extends BaseProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = ['acquire', 'release'];

  /** Takes the lock; `blocking = false` returns false at once if it is taken; `timeout` in ms. */
  acquire(blocking = true, timeout?: number | null): Promise<boolean> {
    return this._callMethod('acquire', [blocking, timeout ?? null]);
  }
  /** Releases the server's lock (held by this process). */
  release(): Promise<void> {
    return this._callMethod('release');
  }
  /** Python's `with lock:`: acquire, run `fn`, release (also if it throws); returns its result. */
  async withLock<R>(fn: () => R | PromiseLike<R>): Promise<Awaited<R>> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }
}

/**
 * Proxy of a manager's Semaphore or BoundedSemaphore: an {@link AcquirerProxy} with `getValue()`
 * and `release(n)`. Over-releasing a BoundedSemaphore rejects with a `TooManyReleasesError` (a
 * RangeError).
 *
 * @example
 * ```ts
 * const sem = await manager.Semaphore(2);
 * await sem.acquire();
 * console.log(await sem.getValue()); // 1
 * ```
 */
export class SemaphoreProxy extends AcquirerProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static override readonly _exposed_: readonly string[] = ['acquire', 'release', 'getValue'];

  /** Releases the semaphore `n` times. */
  override release(n = 1): Promise<void> {
    return this._callMethod('release', n === 1 ? [] : [n]);
  }
  /** The semaphore's counter. */
  getValue(): Promise<number> {
    return this._callMethod('getValue');
  }
}

/**
 * Proxy of a manager's Condition (Python's `ConditionProxy`). `waitFor(predicate)` runs the
 * predicate here (it may be async, e.g. reading other proxies), waiting between checks.
 *
 * @example
 * ```ts
 * const cond = await manager.Condition();
 * await cond.acquire();
 * await cond.waitFor(async () => (await state.get()) === 4, 5000);
 * await cond.release();
 * ```
 */
export class ConditionProxy extends AcquirerProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static override readonly _exposed_: readonly string[] = ['acquire', 'release', 'wait', 'notify', 'notifyAll'];

  /** Releases the lock, waits for a notify (or `timeout` ms), re-acquires; false on timeout. */
  wait(timeout?: number | null): Promise<boolean> {
    return this._callMethod('wait', [timeout ?? null]);
  }
  /** Wakes up to `n` waiters (the caller must hold the lock). */
  notify(n = 1): Promise<void> {
    return this._callMethod('notify', [n]);
  }
  /** Wakes every process waiting on the condition (hold the lock). */
  notifyAll(): Promise<void> {
    return this._callMethod('notifyAll');
  }
  /** Waits until `predicate()` is truthy (checked after each notify) or `timeout` ms pass; returns its last result. */
  async waitFor<R>(predicate: () => R | PromiseLike<R>, timeout?: number | null): Promise<Awaited<R>> {
    let result = await predicate();
    const deadline = timeout === undefined || timeout === null ? null : performance.now() + Math.max(0, timeout);
    while (!result) {
      let wait: number | null = null;
      if (deadline !== null) {
        wait = deadline - performance.now();
        if (wait <= 0) break;
      }
      await this.wait(wait);
      result = await predicate();
    }
    return result;
  }
}

/**
 * Proxy of a manager's Event (Python's `EventProxy`).
 *
 * @example
 * ```ts
 * const ready = await manager.Event();
 * // in another process: await ready.set();
 * console.log(await ready.wait(1000)); // true once set, false after 1 s otherwise
 * ```
 */
export class EventProxy extends BaseProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = ['isSet', 'set', 'clear', 'wait'];

  /** True if the event is set. */
  isSet(): Promise<boolean> {
    return this._callMethod('isSet');
  }
  /** Sets the event: every waiter wakes. */
  set(): Promise<void> {
    return this._callMethod('set');
  }
  /** Clears the event. */
  clear(): Promise<void> {
    return this._callMethod('clear');
  }
  /** Waits until the flag is set, or `timeout` ms; resolves with the flag. */
  wait(timeout?: number | null): Promise<boolean> {
    return this._callMethod('wait', [timeout ?? null]);
  }
}

/**
 * Proxy of a manager's Barrier (Python's `BarrierProxy`). `parties`, `nWaiting` and `broken`
 * are read from the server, so they are Promises (`await b.parties`).
 *
 * @example
 * ```ts
 * const barrier = await manager.Barrier(2);
 * // each of two processes: const i = await barrier.wait(); // 0 or 1
 * console.log(await barrier.parties); // 2
 * ```
 */
export class BarrierProxy extends BaseProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = ['wait', 'reset', 'abort', 'getParties', 'getNWaiting', 'isBroken'];

  /** Waits for all parties; resolves with this party's index (a BrokenBarrierError if broken). */
  wait(timeout?: number | null): Promise<number> {
    return this._callMethod('wait', [timeout ?? null]);
  }
  /** Returns the barrier to its initial state (waiters get a BrokenBarrierError). */
  reset(): Promise<void> {
    return this._callMethod('reset');
  }
  /** Breaks the barrier: current and future waits reject with BrokenBarrierError. */
  abort(): Promise<void> {
    return this._callMethod('abort');
  }
  /** The number of parties the barrier waits for. */
  get parties(): Promise<number> {
    return this._callMethod('getParties');
  }
  /** How many parties wait now. */
  get nWaiting(): Promise<number> {
    return this._callMethod('getNWaiting');
  }
  /** True if the barrier is broken. */
  get broken(): Promise<boolean> {
    return this._callMethod('isBroken');
  }
}

registerBuiltinProxyType('Lock', AcquirerProxy);
registerBuiltinProxyType('RLock', AcquirerProxy);
registerBuiltinProxyType('Semaphore', SemaphoreProxy);
registerBuiltinProxyType('BoundedSemaphore', SemaphoreProxy);
registerBuiltinProxyType('Condition', ConditionProxy);
registerBuiltinProxyType('Event', EventProxy);
registerBuiltinProxyType('Barrier', BarrierProxy);
