/**
 * Waiting on a word of shared memory, the two ways every primitive needs:
 * - `waitSync`: spin a little, then `Atomics.wait` (allowed on Node's main thread too);
 * - `waitAsync`: spin a little, then `Atomics.waitAsync`, holding the event loop while pending
 *   ({@link holdLoop}), because on Node 20 a pending waitAsync does not keep it alive (a program
 *   that awaits only a waitAsync would exit mid-wait; measured here).
 *
 * Why spin: a futex sleep+wake costs ~13 µs per hop on these machines; a partner that answers
 * within a few µs is caught by a spin of ~1000 loads. Measured ping-pong between two threads:
 * 48k round trips/s without spinning, 2.2M/s with a 1000-load spin.
 *
 * Both return Atomics' results: 'ok' (woken), 'not-equal' (the word had already changed) or
 * 'timed-out'. Callers loop on their own condition; spurious wake-ups are allowed.
 */

/**
 * What {@link waitSync} and {@link waitAsync} return, as `Atomics.wait`: `'ok'` (woken),
 * `'not-equal'` (the word had already changed) or `'timed-out'`.
 *
 * @example
 * ```ts
 * const result: WaitResult = waitSync(state, 0, LOCKED, deadline.remaining());
 * if (result === 'timed-out') return false;
 * ```
 */
export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

/**
 * Loads to spin before sleeping (a futex sleep+wake costs ~13 µs; a spin catches a partner that
 * answers within a few µs).
 *
 * @example
 * ```ts
 * for (let i = 0; i < SPIN; i++) if (Atomics.load(state, 0) !== LOCKED) break;
 * ```
 */
export const SPIN = 1000;

/**
 * A timeout in milliseconds turned into a deadline (Python: None = forever, negative = 0).
 *
 * @example
 * ```ts
 * import { Deadline, waitSync } from '@mp/context/spi';
 * const deadline = new Deadline(timeout); // undefined/null: forever
 * while (Atomics.load(state, 0) === LOCKED) {
 *   if (deadline.expired()) return false;
 *   waitSync(state, 0, LOCKED, deadline.remaining());
 * }
 * ```
 */
export class Deadline {
  readonly #end: number;

  constructor(timeoutMs?: number | null) {
    if (timeoutMs === undefined || timeoutMs === null) this.#end = Infinity;
    else if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs)) throw new TypeError(`timeout must be a number of milliseconds, not ${String(timeoutMs)}`);
    else this.#end = performance.now() + Math.max(0, timeoutMs);
  }

  /** Milliseconds left (Infinity when there is no timeout, 0 when expired). */
  remaining(): number {
    return this.#end === Infinity ? Infinity : Math.max(0, this.#end - performance.now());
  }

  /** True once the time is up (never without a timeout). */
  expired(): boolean {
    return this.remaining() === 0;
  }

  /** The time to wait next: the remaining time, capped by `sliceMs` (for periodic checks). */
  slice(sliceMs: number): number {
    return Math.min(this.remaining(), sliceMs);
  }
}

function spin(array: Int32Array, index: number, value: number): boolean {
  for (let i = 0; i < SPIN; i++) if (Atomics.load(array, index) !== value) return true;
  return false;
}

/**
 * Blocks until `array[index] !== value`, a notify, or `timeoutMs` (Infinity = no limit). Spins
 * {@link SPIN} loads first. Never call it in the broker (see `inBroker()`).
 *
 * @example
 * ```ts
 * import { waitSync } from '@mp/context/spi';
 * while (Atomics.compareExchange(state, 0, 0, 1) !== 0) waitSync(state, 0, 1);
 * ```
 */
export function waitSync(array: Int32Array, index: number, value: number, timeoutMs = Infinity): WaitResult {
  if (spin(array, index, value)) return 'not-equal';
  return Atomics.wait(array, index, value, timeoutMs);
}

/**
 * Keeps this isolate's event loop alive while at least one holder needs it: on Node 20 a pending
 * `Atomics.waitAsync` does not (a program awaiting only such a wait exits mid-wait, exit code 13).
 * One shared interval, ref'd while the count is above zero, instead of a timer per wait (measured
 * in the B4 ping-pong: ~13k vs ~10k waits/s). Call {@link releaseLoop} once per holdLoop(), after
 * the wait has settled.
 *
 * @example
 * ```ts
 * import { holdLoop, releaseLoop } from '@mp/context/spi';
 * const result = Atomics.waitAsync(state, 0, 1);
 * if (result.async) {
 *   holdLoop();
 *   try { await result.value; } finally { releaseLoop(); }
 * }
 * ```
 */
export function holdLoop(): void {
  if (holders++ > 0) return;
  keepAlive ??= setInterval(noop, 2 ** 30);
  keepAlive.ref();
}

/**
 * Ends one {@link holdLoop}: the event loop may exit again once no holder is left.
 *
 * @example
 * ```ts
 * holdLoop();
 * try { await pending; } finally { releaseLoop(); }
 * ```
 */
export function releaseLoop(): void {
  if (--holders === 0) keepAlive?.unref();
}

let holders = 0;
let keepAlive: ReturnType<typeof setInterval> | null = null;
function noop(): void {}

/**
 * Resolves when `array[index] !== value`, on a notify, or after `timeoutMs` (Infinity = no
 * limit). Spins {@link SPIN} loads first and keeps the event loop alive while pending.
 *
 * @example
 * ```ts
 * import { waitAsync } from '@mp/context/spi';
 * while (Atomics.compareExchange(state, 0, 0, 1) !== 0) await waitAsync(state, 0, 1);
 * ```
 */
export async function waitAsync(array: Int32Array, index: number, value: number, timeoutMs = Infinity): Promise<WaitResult> {
  if (spin(array, index, value)) return 'not-equal';
  const result = Atomics.waitAsync(array, index, value, timeoutMs);
  if (!result.async) return result.value;
  holdLoop();
  try {
    return await result.value;
  } finally {
    releaseLoop();
  }
}

/**
 * Wakes up to `count` waiters of `array[index]` (all when omitted); returns how many woke.
 *
 * @example
 * ```ts
 * import { notify } from '@mp/context/spi';
 * Atomics.store(state, 0, 0); // unlock
 * notify(state, 0, 1);        // wake one waiter
 * ```
 */
export function notify(array: Int32Array, index: number, count = Infinity): number {
  return Atomics.notify(array, index, count);
}
