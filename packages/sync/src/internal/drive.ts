/**
 * Every waiting algorithm is written once, as a generator that yields the waits it needs
 * (`WaitStep`), and is driven either synchronously (`Atomics.wait`, for the `…Sync` methods) or
 * asynchronously (`Atomics.waitAsync`, for the Promise methods and for the broker, which must
 * never block). Fast paths (an uncontended acquire) never get here: they are a CAS in the caller,
 * so they allocate nothing; generators are for the slow paths only.
 */
import { holdLoop, inBroker, releaseLoop, SPIN, waitSync, type WaitResult } from '@mp/context/spi';

/** One wait: until `array[index] !== value`, a notify, or `timeout` ms. */
export interface WaitStep {
  readonly array: Int32Array;
  readonly index: number;
  readonly value: number;
  readonly timeout: number;
}

export type Algorithm<T> = Generator<WaitStep, T, WaitResult>;

export function waitFor(array: Int32Array, index: number, value: number, timeout: number): WaitStep {
  return { array, index, value, timeout };
}

/** Thrown into an algorithm run by the broker when its remote caller went away. */
export class CallerGoneError extends Error {
  constructor() {
    super('the caller of this operation went away (its process or thread ended)');
    this.name = 'CallerGoneError';
  }
}

/** Runs `algorithm`, blocking this thread in `Atomics.wait`. */
export function runSync<T>(algorithm: Algorithm<T>): T {
  if (inBroker()) {
    algorithm.return(undefined as T);
    throw new Error('internal error: a blocking wait was asked of the multiprocess broker thread');
  }
  let next = algorithm.next();
  while (!next.done) {
    const s = next.value;
    next = algorithm.next(waitSync(s.array, s.index, s.value, s.timeout));
  }
  return next.value;
}

/**
 * Runs `algorithm` with `Atomics.waitAsync`. With a `signal` (the broker passes the remote
 * caller's), an abort is thrown into the algorithm at its next wait so it can undo what it did.
 */
export async function runAsync<T>(algorithm: Algorithm<T>, signal?: AbortSignal): Promise<T> {
  let next = algorithm.next();
  if (next.done) return next.value;
  holdLoop();
  try {
    while (!next.done) {
      const s = next.value;
      const result = await asyncWait(s.array, s.index, s.value, s.timeout);
      next = signal?.aborted === true ? algorithm.throw(new CallerGoneError()) : algorithm.next(result);
    }
    return next.value;
  } finally {
    releaseLoop();
  }
}

// holdLoop()/releaseLoop(): a pending Atomics.waitAsync does not keep Node's event loop alive,
// so the loop is held while any async wait of this isolate runs (one shared keep-alive).

/** Spin briefly (a partner that answers within microseconds is caught), then Atomics.waitAsync. */
function asyncWait(array: Int32Array, index: number, value: number, timeout: number): WaitResult | Promise<WaitResult> {
  for (let i = 0; i < SPIN; i++) if (Atomics.load(array, index) !== value) return 'not-equal';
  return Atomics.waitAsync(array, index, value, timeout).value;
}
