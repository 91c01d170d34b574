/** AsyncResult: the handle `applyAsync`, `mapAsync` and `starmapAsync` return at once. */
import { TimeoutError } from '@mp/connection';
import { ValueError } from '@mp/context';
import { checkMs } from './options.js';

const PENDING = 0;
const OK = 1;
const FAILED = 2;

/** @internal The dispatcher settles a result through this symbol (not part of the API). */
export const kSettle = Symbol('multiprocess.pool.settle');

/** Reports an exception thrown by a user callback: printed, never lost, never fatal to the pool. */
export function reportCallbackError(what: string, error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  process.stderr.write(`Exception in Pool ${what} (the result is still delivered):\n${text}\n`);
}

/**
 * The result of a task submitted with `applyAsync`, `mapAsync` or `starmapAsync` (Python's
 * `AsyncResult`). Returned at once; the callbacks given at submission run in the calling
 * process, before `get()`/`wait()` resolve.
 *
 * @example
 * ```ts
 * import { Pool } from 'multiprocess';
 * await using pool = new Pool(4);
 * const result = pool.mapAsync((x: number) => x * x, [0, 1, 2, 3]);
 * console.log(result.ready());          // false (most likely)
 * console.log(await result.get(1000));  // [0, 1, 4, 9]
 * console.log(result.successful());     // true
 * ```
 */
export class AsyncResult<T> {
  #state: typeof PENDING | typeof OK | typeof FAILED = PENDING;
  #value: unknown = undefined;
  #callback: ((value: T) => void) | null;
  #errorCallback: ((error: unknown) => void) | null;
  /** Made on the first wait, shared by every `get()`; settled with the outcome. */
  #promise: Promise<T> | null = null;
  #resolve: ((value: T) => void) | null = null;
  #reject: ((error: unknown) => void) | null = null;

  /** @internal Made by the Pool. */
  constructor(callback: ((value: T) => void) | null = null, errorCallback: ((error: unknown) => void) | null = null) {
    this.#callback = callback;
    this.#errorCallback = errorCallback;
  }

  /**
   * The result: resolves with the value, or rejects with the task's error. With a `timeout` (ms)
   * it rejects with a TimeoutError if the result is not ready by then (the task goes on; call
   * `get()` again to wait more).
   */
  get(timeout?: number | null): Promise<T> {
    if (this.#state === OK) return Promise.resolve(this.#value as T);
    if (this.#state === FAILED) return Promise.reject(this.#value);
    let ms: number | null;
    try {
      ms = checkMs(timeout, 'timeout');
    } catch (error) {
      return Promise.reject(error);
    }
    if (ms === null) return this.#outcome();
    return this.#within(ms).then((ready) => {
      if (!ready) throw new TimeoutError(`the result was not ready within ${ms} ms (the task goes on: call get() again to wait longer)`);
      return this.#outcome();
    });
  }

  /** Waits until the result is ready, or `timeout` ms pass. Resolves either way (check `ready()`). */
  async wait(timeout?: number | null): Promise<void> {
    if (this.#state !== PENDING) return;
    const ms = checkMs(timeout, 'timeout');
    await (ms === null ? this.#outcome().then(noop, noop) : this.#within(ms));
  }

  /** True once the task has finished, successfully or not. */
  ready(): boolean {
    return this.#state !== PENDING;
  }

  /** True if the task finished without an error. Throws a ValueError if it has not finished. */
  successful(): boolean {
    if (this.#state === PENDING) throw new ValueError(`${this.toString()} not ready: call successful() after get() or wait() (or check ready() first)`);
    return this.#state === OK;
  }

  /** `<AsyncResult pending>`, `<AsyncResult successful>` or `<AsyncResult failed>`. */
  toString(): string {
    const state = this.#state === PENDING ? 'pending' : this.#state === OK ? 'successful' : 'failed';
    return `<AsyncResult ${state}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** @internal Settles once; later calls are ignored. Callbacks run before waiters wake. */
  [kSettle](ok: boolean, value: unknown): boolean {
    if (this.#state !== PENDING) return false;
    this.#state = ok ? OK : FAILED;
    this.#value = value;
    const callback = ok ? this.#callback : this.#errorCallback;
    this.#callback = this.#errorCallback = null;
    if (callback !== null) {
      try {
        callback(value as never);
      } catch (error) {
        reportCallbackError(ok ? 'callback' : 'errorCallback', error);
      }
    }
    if (ok) this.#resolve?.(value as T);
    else this.#reject?.(value);
    this.#resolve = this.#reject = null;
    return true;
  }

  /** The promise of the outcome (one per result; a rejection nobody awaits is not reported). */
  #outcome(): Promise<T> {
    if (this.#promise === null) {
      if (this.#state === OK) return Promise.resolve(this.#value as T);
      if (this.#state === FAILED) return Promise.reject(this.#value);
      this.#promise = new Promise<T>((resolve, reject) => {
        this.#resolve = resolve;
        this.#reject = reject;
      });
      this.#promise.catch(noop);
    }
    return this.#promise;
  }

  /** True once settled, false if `ms` pass first. */
  #within(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(this.#state !== PENDING), ms);
    });
    const settled = this.#outcome().then(yes, yes);
    return Promise.race([settled, expired]).finally(() => clearTimeout(timer));
  }
}

function noop(): void {}
function yes(): true {
  return true;
}
