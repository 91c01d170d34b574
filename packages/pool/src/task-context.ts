/**
 * What a task function sees of its task: an AbortSignal that fires when the task is cancelled
 * (its `signal` aborted, or its `timeout` passed). Reached as `this.signal` in a `function` task,
 * or with `taskSignal()` anywhere in the task (arrow functions have no `this`).
 */

/**
 * `this` of a task function.
 *
 * @example
 * ```ts
 * await pool.apply(async function (this: TaskContext, url: string) {
 *   return (await fetch(url, { signal: this.signal })).status;
 * }, ['https://example.com'], { timeout: 5000 });
 * ```
 */
export interface TaskContext {
  /** Aborted when the task is cancelled: its `signal` fired or its `timeout` passed. */
  readonly signal: AbortSignal;
}

interface TaskState {
  current: TaskContext | null;
}

const KEY = Symbol.for('@mp/pool.task');
const holder = globalThis as unknown as Record<symbol, TaskState | undefined>;
/** Per isolate, shared by the ESM and CJS builds (the worker runs one task at a time). */
const state: TaskState = (holder[KEY] ??= { current: null });

/** @internal Sets the task being run by this worker (null between tasks). */
export function setCurrentTask(context: TaskContext | null): void {
  state.current = context;
}

/**
 * The AbortSignal of the pool task running in this worker: it fires when the task's `signal`
 * is aborted or its `timeout` passes. Watch it to stop early; a task that ignores it is stopped
 * by killing its worker after a grace period. Throws outside a pool task.
 *
 * @example
 * ```ts
 * import { Pool, taskSignal } from 'multiprocess';
 * await using pool = new Pool(2);
 * const slow = () => new Promise((resolve, reject) => {
 *   const t = setTimeout(resolve, 60_000);
 *   taskSignal().addEventListener('abort', () => { clearTimeout(t); reject(taskSignal().reason); });
 * });
 * await pool.apply(slow, [], { timeout: 100 }).catch((e) => console.log(e.name)); // TimeoutError
 * ```
 */
export function taskSignal(): AbortSignal {
  const current = state.current;
  if (current === null) {
    throw new Error('taskSignal() was called outside a pool task: call it from a function that a Pool runs (or use `this.signal` in a `function` task)');
  }
  return current.signal;
}
