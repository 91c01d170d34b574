import { RuntimeError } from '@mp/context';
import { registerClass } from '@mp/serialize';

/**
 * A Barrier was broken (Python's `threading.BrokenBarrierError`): a party timed out, the barrier
 * was aborted or reset while parties waited, its action threw, or a party died while waiting.
 * Call `reset()` to use the barrier again.
 *
 * @example
 * ```ts
 * try {
 *   await barrier.wait(1000);
 * } catch (e) {
 *   if (e instanceof BrokenBarrierError) console.log('someone did not make it');
 * }
 * ```
 */
export class BrokenBarrierError extends RuntimeError {
  constructor(message = 'the barrier is broken (a party timed out, died, or called abort() or reset()); call reset() before using it again') {
    super(message);
    this.name = 'BrokenBarrierError';
  }
}

/**
 * A lock-like was released, waited on or notified by someone who does not hold it (Python's
 * `RuntimeError`/`ValueError` with the same words: "release unlocked lock", "cannot release
 * un-acquired lock", "cannot wait on un-acquired lock", "cannot notify on un-acquired lock").
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * try { lock.release(); } catch (e) { if (e instanceof NotAcquiredError) console.log(e.message); }
 * // release unlocked lock: ...
 * ```
 */
export class NotAcquiredError extends RuntimeError {
  constructor(message: string) {
    super(message);
    this.name = 'NotAcquiredError';
  }
}

/**
 * A BoundedSemaphore was released above its initial value (Python's `ValueError: Semaphore
 * released too many times`). A `RangeError`.
 *
 * @example
 * ```ts
 * const sem = new BoundedSemaphore(1);
 * try { sem.release(); } catch (e) { if (e instanceof TooManyReleasesError) console.log(e.message); }
 * ```
 */
export class TooManyReleasesError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'TooManyReleasesError';
  }
}

// Errors raised by the broker on behalf of a spawned process keep their class on arrival.
registerClass(BrokenBarrierError, 'mp.sync.BrokenBarrierError');
registerClass(NotAcquiredError, 'mp.sync.NotAcquiredError');
registerClass(TooManyReleasesError, 'mp.sync.TooManyReleasesError');
