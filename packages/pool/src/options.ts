/** Options of a Pool and of its submitting methods, and their checks. */
import type { BaseContext } from '@mp/context';
import { ValueError } from '@mp/context';

/**
 * Options of `new Pool({...})` (Python's `Pool(processes, initializer, initargs, maxtasksperchild, context)`,
 * plus the recycling policy and the abort grace period).
 *
 * @example
 * ```ts
 * const pool = new Pool({ processes: 4, initializer: (n: number) => { globalThis.n = n; }, initargs: [42], maxTasksPerChild: 100 });
 * ```
 */
export interface PoolOptions {
  /** Number of workers. Default `cpuCount()`. Must be at least 1. */
  processes?: number | null | undefined;
  /** Run once in each worker before its first task, with `initargs`. May be async. */
  initializer?: ((...args: never[]) => unknown) | null | undefined;
  /** Arguments of `initializer`. */
  initargs?: readonly unknown[] | null | undefined;
  /** A worker is replaced after this many tasks (a map chunk counts as one). Default: never. */
  maxTasksPerChild?: number | null | undefined;
  /** The context whose start method the workers use (`getContext('spawn')`). Default: the default context. */
  context?: BaseContext | null | undefined;
  /** A worker whose V8 heap in use passes this many MiB after a task is replaced. Default: no limit. */
  maxHeapMb?: number | null | undefined;
  /** A worker idle for this many milliseconds exits; the pool starts workers again when work comes. Default: never. */
  idleTimeout?: number | null | undefined;
  /** Milliseconds between a task's AbortSignal firing and its worker being killed if it is still running. Default 1000. */
  abortGrace?: number | null | undefined;
}

/**
 * The last argument of every submitting method: cancel or time out that call's tasks.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * const r = pool.applyAsync(work, [1], undefined, undefined, { signal: ac.signal, timeout: 5000 });
 * ac.abort();
 * ```
 */
export interface TaskOptions {
  /** Aborting it rejects the call with `signal.reason`, and aborts its tasks (see `taskSignal()`). */
  signal?: AbortSignal | null | undefined;
  /**
   * Milliseconds each task may run, counted from when it starts running (not while it waits in
   * the queue). Then the call rejects with a TimeoutError and the task is aborted.
   */
  timeout?: number | null | undefined;
}

/**
 * Options of `map`, `mapAsync`, `starmap`, `starmapAsync`, `imap` and `imapUnordered`.
 *
 * @example
 * ```ts
 * await pool.map(work, items, undefined, { onProgress: (done, total) => console.log(`${done}/${total}`) });
 * ```
 */
export interface MapOptions extends TaskOptions {
  /** Called in this process after each chunk: the items done so far, and the total. */
  onProgress?: ((done: number, total: number) => void) | null | undefined;
}

/**
 * Options of `imap` and `imapUnordered`.
 *
 * @example
 * ```ts
 * for await (const r of pool.imap(work, endless(), 10, { maxInFlight: 8 })) if (r > 100) break;
 * ```
 */
export interface IMapOptions extends TaskOptions {
  /** Called in this process after each chunk: the items done so far, and the total (undefined until the input is exhausted). */
  onProgress?: ((done: number, total: number | undefined) => void) | null | undefined;
  /** Chunks read from the input and not yet consumed, at most. Default `4 × processes` (at least 8). */
  maxInFlight?: number | null | undefined;
}

/** Checked task options (timeout in ms or null; signal or null). */
export interface CheckedOptions {
  readonly signal: AbortSignal | null;
  readonly timeout: number | null;
  readonly onProgress: ((done: number, total: number | undefined) => void) | null;
  readonly maxInFlight: number | null;
}

const NONE: CheckedOptions = { signal: null, timeout: null, onProgress: null, maxInFlight: null };

/** True for what can only be an options object (not an array, function, number or iterable). */
export function isOptionsObject(value: unknown): value is IMapOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(Symbol.iterator in value) && !(Symbol.asyncIterator in value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `${typeof value} ${String(value)}`;
}

/** Milliseconds from a user timeout: null/undefined = none, negative = 0. */
export function checkMs(value: unknown, what: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${what} must be a number of milliseconds (or null for none), not ${describe(value)}`);
  return Math.max(0, value);
}

export function checkOptions(options: unknown): CheckedOptions {
  if (options === undefined || options === null) return NONE;
  if (!isOptionsObject(options)) throw new TypeError(`the options argument must be an object like { signal, timeout }, not ${describe(options)}`);
  const o = options as IMapOptions;
  const signal = o.signal ?? null;
  if (signal !== null && (typeof signal !== 'object' || typeof signal.addEventListener !== 'function' || typeof signal.aborted !== 'boolean')) {
    throw new TypeError(`options.signal must be an AbortSignal, not ${describe(signal)}`);
  }
  const onProgress = o.onProgress ?? null;
  if (onProgress !== null && typeof onProgress !== 'function') throw new TypeError(`options.onProgress must be a function (done, total) => void, not ${describe(onProgress)}`);
  let maxInFlight: number | null = null;
  if (o.maxInFlight !== undefined && o.maxInFlight !== null) {
    if (!Number.isInteger(o.maxInFlight) || o.maxInFlight < 1) throw new ValueError(`options.maxInFlight must be a positive integer, not ${describe(o.maxInFlight)}`);
    maxInFlight = o.maxInFlight;
  }
  return { signal, timeout: checkMs(o.timeout, 'options.timeout'), onProgress, maxInFlight };
}

/** Python's chunksize check: a positive integer, or null/undefined for the default. */
export function checkChunksize(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`chunksize must be an integer, not ${describe(value)}`);
  if (value < 1) throw new ValueError(`Chunksize must be 1+, not ${value}`);
  return value;
}

/** Python's default chunksize: divmod(len, processes * 4), plus 1 if there is a remainder. */
export function defaultChunksize(length: number, processes: number): number {
  if (length === 0) return 0;
  const chunksize = Math.floor(length / (processes * 4));
  return length % (processes * 4) !== 0 ? chunksize + 1 : chunksize;
}

export function checkCallback<T>(value: unknown, what: string): ((value: T) => void) | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'function') throw new TypeError(`${what} must be a function, not ${describe(value)}`);
  return value as (value: T) => void;
}

export function checkFunction(fn: unknown, method: string): void {
  if (typeof fn !== 'function') {
    throw new TypeError(`Pool.${method}() needs a function as its first argument (a lambda, or ref(moduleUrl, exportName)), not ${describe(fn)}`);
  }
}

/** Python's names for the positional form `new Pool(processes, initializer, initargs, maxtasksperchild, context)`. */
export function positionalOptions(args: unknown[]): PoolOptions {
  const [processes, initializer, initargs, maxTasksPerChild, context] = args;
  return { processes, initializer, initargs, maxTasksPerChild, context } as PoolOptions;
}

/** Iterable or async iterable (a string too: as in Python, its characters are the items). */
export function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  if (typeof value === 'string') return true;
  return (
    value !== null &&
    value !== undefined &&
    (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function' || typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
  );
}
