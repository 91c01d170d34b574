/** Pool: Python's `multiprocessing.Pool` on worker threads (`thread`) or Node processes (`spawn`). */
import { type BaseContext, cpuCount, getContext, ValueError } from '@mp/context';
import { registerReducer } from '@mp/serialize';
import { AsyncResult, kSettle } from './async-result.js';
import { PoolTerminatedError } from './errors.js';
import { IMapIterator } from './imap-iterator.js';
import type { FnEntry } from './internal/fn-table.js';
import { IMapJob } from './internal/imap-job.js';
import { ApplyJob, MapJob } from './internal/jobs.js';
import { isPlain } from './internal/plain.js';
import { KIND_APPLY, KIND_MAP, KIND_STARMAP, type Kind } from './internal/protocol.js';
import { processFactory } from './internal/launcher.js';
import { Supervisor } from './internal/supervisor.js';
import type { ProcessLike } from './internal/worker-handle.js';
import {
  checkCallback,
  checkChunksize,
  checkFunction,
  checkMs,
  checkOptions,
  type CheckedOptions,
  defaultChunksize,
  type IMapOptions,
  isIterable,
  isOptionsObject,
  type MapOptions,
  type PoolOptions,
  positionalOptions,
  type TaskOptions,
} from './options.js';
import type { TaskContext } from './task-context.js';

/**
 * A task function: called with the task's arguments, `this` being the task's context (its
 * AbortSignal); it may be async (its result is awaited in the worker).
 *
 * @example
 * ```ts
 * const fetchStatus: TaskFunction<[string], number> = async function (url) {
 *   return (await fetch(url, { signal: this.signal })).status;
 * };
 * await pool.map(fetchStatus, urls, 1, { timeout: 10_000 });
 * ```
 */
export type TaskFunction<A extends readonly unknown[], R> = (this: TaskContext, ...args: A) => R | PromiseLike<R>;

/**
 * The `callback` of `applyAsync`/`mapAsync`/`starmapAsync`: called in the calling process with
 * the result once it is ready (not called on failure). `null`/`undefined`: none.
 *
 * @example
 * ```ts
 * const onResult: ResultCallback<number[]> = (squares) => console.log('done:', squares);
 * pool.mapAsync((x: number) => x * x, [1, 2, 3], undefined, onResult);
 * ```
 */
export type ResultCallback<T> = ((value: T) => void) | null | undefined;

/**
 * The `errorCallback` of `applyAsync`/`mapAsync`/`starmapAsync`: called in the calling process
 * with the error when the task fails. `null`/`undefined`: none.
 *
 * @example
 * ```ts
 * const onError: ErrorCallback = (error) => console.error('task failed:', error);
 * pool.applyAsync(() => { throw new Error('boom'); }, [], null, onError);
 * ```
 */
export type ErrorCallback = ((error: unknown) => void) | null | undefined;

/**
 * What the map methods take as input: any iterable (arrays, Sets, strings, generators...) or
 * async iterable. `imap`/`imapUnordered` read it lazily; the other methods read it at once.
 *
 * @example
 * ```ts
 * async function* lines(): AsyncGenerator<string> { yield 'a'; yield 'b'; }
 * const input: TaskInput<string> = lines();
 * for await (const n of pool.imap((s: string) => s.length, input)) console.log(n);
 * ```
 */
export type TaskInput<T> = Iterable<T> | AsyncIterable<T>;

/** Stands for a task function that could not be serialized (its imap fails before any task). */
const NO_FUNCTION: FnEntry = { id: 0, bytes: new Uint8Array(0), sidecar: null };

/**
 * A pool of worker processes (Python's `multiprocessing.Pool`): `thread` workers (the default;
 * worker threads, each its own V8 isolate) or `spawn` workers (Node processes), per the context.
 * Functions are sent once per worker (by source, or by `ref()`), tasks and results in batches
 * over one channel per worker. A task error rejects that task only; a worker that dies fails
 * only the task it was running (WorkerDiedError) and is replaced; nothing ever hangs.
 *
 * @example
 * ```ts
 * import { Pool } from 'multiprocess';
 *
 * await using pool = new Pool(4);           // terminated at the end of the block
 * const result = pool.mapAsync((x: number) => x * x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * console.log(await result.get(1000));      // [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]
 * console.log(await pool.map((x: number) => ((y: number) => y ** 2)(x) + x, [0, 1, 2, 3])); // [0, 2, 6, 12]
 * ```
 */
export class Pool {
  readonly #sup: Supervisor;
  readonly #processes: number;
  readonly #imaps = new Set<IMapJob>();

  /**
   * `new Pool(processes?)`, `new Pool({ processes, initializer, initargs, maxTasksPerChild, context, ... })`,
   * or Python's positional form `new Pool(processes, initializer, initargs, maxTasksPerChild, context)`.
   * Workers start at once. Throws a ValueError for `processes < 1` or a bad `maxTasksPerChild`.
   */
  constructor(options?: PoolOptions | number | null);
  constructor(
    processes: number | null | undefined,
    initializer?: ((...args: never[]) => unknown) | null,
    initargs?: readonly unknown[] | null,
    maxTasksPerChild?: number | null,
    context?: BaseContext | null,
  );
  constructor(...args: unknown[]) {
    const first = args[0];
    const options: PoolOptions = isOptionsObject(first) ? (first as PoolOptions) : positionalOptions(args);
    const processes = options.processes ?? cpuCount();
    if (typeof processes !== 'number' || !Number.isInteger(processes)) throw new TypeError(`processes must be an integer, not ${String(processes)}`);
    if (processes < 1) throw new ValueError('Number of processes must be at least 1');
    const maxTasks = options.maxTasksPerChild ?? null;
    if (maxTasks !== null && (typeof maxTasks !== 'number' || !Number.isInteger(maxTasks) || maxTasks <= 0)) {
      throw new ValueError('maxtasksperchild must be a positive int or None (maxTasksPerChild: a positive integer, or null for no limit)');
    }
    const initializer = options.initializer ?? null;
    if (initializer !== null && typeof initializer !== 'function') throw new TypeError('initializer must be a callable');
    const initargs = options.initargs ?? [];
    if (!Array.isArray(initargs)) throw new TypeError('initargs must be an array of arguments for the initializer');
    const maxHeapMb = checkMs(options.maxHeapMb, 'maxHeapMb');
    const context = options.context ?? getContext();
    const method = typeof context.getStartMethod === 'function' ? (context.getStartMethod() ?? 'thread') : 'thread';
    this.#processes = processes;
    this.#sup = new Supervisor({
      processes,
      method: method === 'spawn' ? 'spawn' : 'thread',
      makeProcess: processFactory(context),
      initializer: initializer as ((...args: never[]) => unknown) | null,
      initargs,
      maxTasksPerChild: maxTasks,
      maxHeapMb,
      idleTimeout: checkMs(options.idleTimeout, 'idleTimeout'),
      grace: checkMs(options.abortGrace, 'abortGrace') ?? 1000,
    });
    this.#sup.feeding = () => {
      for (const job of this.#imaps) if (job.feeding) return true;
      return false;
    };
    this.#sup.onBroken((error) => {
      for (const job of this.#imaps) job.stop({ error });
    });
  }

  #checkRunning(): void {
    if (this.#sup.state !== 'RUN') throw new ValueError('Pool not running: it was closed or terminated; make a new Pool to submit more work');
  }

  /** Runs `fn(...args)` in a worker and resolves with its result (Python's `apply`). */
  async apply<A extends readonly unknown[], R>(fn: TaskFunction<A, R>, args?: A, options?: TaskOptions): Promise<R> {
    return this.applyAsync(fn, args, undefined, undefined, options).get();
  }

  /**
   * Submits `fn(...args)` and returns its AsyncResult at once. `callback(result)` or
   * `errorCallback(error)` runs in this process when it finishes. Throws if the pool is closed.
   */
  applyAsync<A extends readonly unknown[], R>(fn: TaskFunction<A, R>, args?: A, callback?: ResultCallback<R> | TaskOptions, errorCallback?: ErrorCallback | TaskOptions, options?: TaskOptions): AsyncResult<R> {
    if (isOptionsObject(callback)) [callback, options] = [undefined, callback];
    else if (isOptionsObject(errorCallback)) [errorCallback, options] = [undefined, errorCallback];
    this.#checkRunning();
    checkFunction(fn, 'applyAsync');
    if (args !== undefined && args !== null && !Array.isArray(args)) throw new TypeError(`Pool.applyAsync() args must be an array of arguments, not ${typeof args}`);
    const opts = checkOptions(options);
    const result = new AsyncResult<R>(checkCallback<R>(callback, 'callback'), checkCallback<unknown>(errorCallback, 'errorCallback'));
    if (this.#rejectEarly(result, opts)) return result;
    const job = new ApplyJob(result, KIND_APPLY, opts, this.#sup.dispatcher);
    try {
      job.submit(this.#sup.dispatcher.fns.entry(fn), args ?? [], 0, 1);
    } catch (error) {
      job.failed(null, error);
    }
    return result;
  }

  /** Settles `result` at once when the pool cannot run it (broken) or the signal already fired. */
  #rejectEarly<T>(result: AsyncResult<T>, opts: CheckedOptions): boolean {
    if (this.#sup.broken !== null) return result[kSettle](false, this.#sup.broken);
    if (opts.signal?.aborted === true) return result[kSettle](false, opts.signal.reason);
    return false;
  }

  /** `fn` applied to every item, in order (Python's `map`): one task per chunk of `chunksize` items. */
  async map<T, R>(fn: TaskFunction<[T], R>, iterable: TaskInput<T>, chunksize?: number | null | MapOptions, options?: MapOptions): Promise<R[]> {
    return this.mapAsync(fn, iterable, chunksize, undefined, undefined, options).get();
  }

  /** Like `map`, returning its AsyncResult at once; `callback` receives the whole list. */
  mapAsync<T, R>(fn: TaskFunction<[T], R>, iterable: TaskInput<T>, chunksize?: number | null | MapOptions, callback?: ResultCallback<R[]> | MapOptions, errorCallback?: ErrorCallback | MapOptions, options?: MapOptions): AsyncResult<R[]> {
    return this.#mapAsync(KIND_MAP, 'mapAsync', fn, iterable, chunksize, callback, errorCallback, options);
  }

  /** `fn(...args)` for every `args` of `iterable`, in order (Python's `starmap`). */
  async starmap<A extends readonly unknown[], R>(fn: TaskFunction<A, R>, iterable: TaskInput<A>, chunksize?: number | null | MapOptions, options?: MapOptions): Promise<R[]> {
    return this.starmapAsync(fn, iterable, chunksize, undefined, undefined, options).get();
  }

  /** Like `starmap`, returning its AsyncResult at once. */
  starmapAsync<A extends readonly unknown[], R>(fn: TaskFunction<A, R>, iterable: TaskInput<A>, chunksize?: number | null | MapOptions, callback?: ResultCallback<R[]> | MapOptions, errorCallback?: ErrorCallback | MapOptions, options?: MapOptions): AsyncResult<R[]> {
    return this.#mapAsync(KIND_STARMAP, 'starmapAsync', fn, iterable, chunksize, callback, errorCallback, options);
  }

  #mapAsync<R>(kind: Kind, method: string, fn: unknown, iterable: unknown, chunksize: unknown, callback: unknown, errorCallback: unknown, options: unknown): AsyncResult<R[]> {
    if (isOptionsObject(chunksize)) [chunksize, options] = [undefined, chunksize];
    else if (isOptionsObject(callback)) [callback, options] = [undefined, callback];
    else if (isOptionsObject(errorCallback)) [errorCallback, options] = [undefined, errorCallback];
    this.#checkRunning();
    checkFunction(fn, method);
    if (!isIterable(iterable)) throw new TypeError(`Pool.${method}() needs an iterable (an array, a generator, an async iterable), not ${typeof iterable}`);
    const size = checkChunksize(chunksize);
    const opts = checkOptions(options);
    const result = new AsyncResult<R[]>(checkCallback<R[]>(callback, 'callback'), checkCallback<unknown>(errorCallback, 'errorCallback'));
    if (this.#rejectEarly(result, opts)) return result;
    const submit = (items: unknown[]): void => {
      if (this.#sup.broken !== null) return void result[kSettle](false, this.#sup.broken);
      if (this.#sup.state === 'TERMINATE') return void result[kSettle](false, new PoolTerminatedError());
      const cs = size ?? defaultChunksize(items.length, this.#processes);
      const job = new MapJob<R>(result, kind, opts, this.#sup.dispatcher, items.length, cs);
      try {
        const entry = this.#sup.dispatcher.fns.entry(fn as Function);
        const star = kind === KIND_STARMAP;
        const plain = star ? null : isPlain(items);
        for (let i = 0; i < items.length && !job.finished; i += cs) {
          const size = Math.min(cs, items.length - i);
          if (star) {
            const chunk = items.slice(i, i + size).map((args) => (Array.isArray(args) ? args : Array.from(args as Iterable<unknown>)));
            job.submit(entry, chunk, i, size);
          } else job.submit(entry, null, i, size, items, plain);
        }
      } catch (error) {
        job.failed(null, error);
      }
    };
    if (typeof (iterable as Iterable<unknown>)[Symbol.iterator] === 'function') {
      let items: unknown[];
      try {
        items = Array.isArray(iterable) ? iterable : Array.from(iterable as Iterable<unknown>);
      } catch (error) {
        result[kSettle](false, error);
        return result;
      }
      submit(items);
    } else {
      void (async () => {
        const items: unknown[] = [];
        for await (const item of iterable as AsyncIterable<unknown>) items.push(item);
        return items;
      })().then(submit, (error: unknown) => void result[kSettle](false, error));
    }
    return result;
  }

  /**
   * `fn` applied to every item, results in input order as they are ready (Python's `imap`), with
   * the input read lazily (at most `options.maxInFlight` chunks ahead). Throws if the pool is closed.
   */
  imap<T, R>(fn: TaskFunction<[T], R>, iterable: TaskInput<T>, chunksize?: number | IMapOptions, options?: IMapOptions): IMapIterator<R> {
    return this.#imap(true, 'imap', fn, iterable, chunksize, options);
  }

  /** Like `imap`, but results come in the order they finish (Python's `imap_unordered`). */
  imapUnordered<T, R>(fn: TaskFunction<[T], R>, iterable: TaskInput<T>, chunksize?: number | IMapOptions, options?: IMapOptions): IMapIterator<R> {
    return this.#imap(false, 'imapUnordered', fn, iterable, chunksize, options);
  }

  #imap<R>(ordered: boolean, method: string, fn: unknown, iterable: unknown, chunksize: unknown, options: unknown): IMapIterator<R> {
    if (isOptionsObject(chunksize)) [chunksize, options] = [undefined, chunksize];
    this.#checkRunning();
    checkFunction(fn, method);
    if (!isIterable(iterable)) throw new TypeError(`Pool.${method}() needs an iterable (an array, a generator, an async iterable), not ${typeof iterable}`);
    const size = checkChunksize(chunksize) ?? 1;
    const opts = checkOptions(options);
    const window = opts.maxInFlight ?? Math.max(8, 4 * this.#processes);
    const dispatcher = this.#sup.dispatcher;
    let entry: FnEntry | null = null;
    let failure: unknown = null;
    try {
      entry = dispatcher.fns.entry(fn as Function);
    } catch (error) {
      failure = error;
    }
    const job = new IMapJob(KIND_MAP, opts, dispatcher, entry ?? NO_FUNCTION, iterable as TaskInput<unknown>, size, ordered, window, (j) => {
      if (!j.feeding) this.#imaps.delete(j);
      this.#sup.finishIfDone();
    });
    if (job.feeding) this.#imaps.add(job);
    if (entry === null) job.stop({ error: failure });
    else if (this.#sup.broken !== null) job.stop({ error: this.#sup.broken });
    else if (opts.signal?.aborted === true) job.stop({ error: opts.signal.reason });
    else job.pump();
    return new IMapIterator<R>(job);
  }

  /** No more tasks may be submitted; the workers exit once the submitted work is done. */
  close(): void {
    this.#sup.close();
    for (const job of this.#imaps) job.eager();
  }

  /** Stops the workers now; tasks not finished reject with PoolTerminatedError. Resolves when the workers have exited. */
  async terminate(): Promise<void> {
    for (const job of this.#imaps) job.stop({ error: new PoolTerminatedError() });
    this.#imaps.clear();
    await this.#sup.terminate(() => new PoolTerminatedError());
  }

  /** Waits for the workers to exit. Call `close()` or `terminate()` first (else a ValueError). */
  async join(): Promise<void> {
    if (this.#sup.state === 'RUN' && this.#sup.broken === null) throw new ValueError('Pool is still running: call close() (let the work finish) or terminate() before join()');
    await this.#sup.joined();
    if (this.#sup.broken !== null && this.#sup.state !== 'TERMINATE') throw this.#sup.broken;
  }

  /** `await using pool = new Pool()`: terminates the pool at the end of the block (Python's `with Pool() as p`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }

  /** Python's repr: `<Pool state=RUN pool_size=4>`. */
  toString(): string {
    return `<Pool state=${this.#sup.state} pool_size=${this.#processes}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Python's `Pool._pool`: the worker Process objects that currently serve the pool. */
  get _pool(): ProcessLike[] {
    return this.#sup.workers.filter((w) => w.state !== 'gone' && !w.retire && !w.killed).map((w) => w.process);
  }

  /** Python's `Pool._processes`: the number of workers. */
  get _processes(): number {
    return this.#processes;
  }

  /** Python's `Pool._repopulate_pool()`: starts the workers that are missing now. */
  _repopulatePool(): void {
    this.#sup.needWorkers();
  }
}

registerReducer<Pool>(
  'mp:Pool',
  (value) => value instanceof Pool,
  () => {
    throw new Error('pool objects cannot be passed between processes or pickled: make the Pool in the process that uses it');
  },
  () => undefined as never,
);
