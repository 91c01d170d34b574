/**
 * The errors a Pool raises. Task errors themselves are the worker's own errors (their class and
 * message kept), with the worker-side stack attached as a {@link RemoteTraceback}.
 */
import { inspect } from 'node:util';
import { ProcessError } from '@mp/connection';

/**
 * Which task a {@link WorkerDiedError} is about.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof WorkerDiedError) console.log(e.task?.kind, e.task?.index); }
 * ```
 */
export interface TaskInfo {
  /** How it was submitted: `apply`/`applyAsync` → `'apply'`; `map`, `mapAsync`, `imap…` → `'map'`; `starmap…` → `'starmap'`. */
  readonly kind: 'apply' | 'map' | 'starmap';
  /** Index in the input of the task's first item (0 for `apply`). */
  readonly index: number;
  /** Items in the task: its chunk size (1 for `apply`). */
  readonly size: number;
}

/**
 * Fields of a {@link WorkerDiedError} (its constructor's second argument).
 *
 * @example
 * ```ts
 * const details: WorkerDiedDetails = { exitCode: -9, signal: 'SIGKILL', worker: 'SpawnPoolWorker-2', pid: 4242, task: { kind: 'apply', index: 0, size: 1 } };
 * throw new WorkerDiedError('pool worker SpawnPoolWorker-2 was stopped by SIGKILL', details);
 * ```
 */
export interface WorkerDiedDetails {
  /** The worker's exit code (`-N` when stopped by signal N), or null if unknown. */
  readonly exitCode: number | null;
  /** The signal that stopped the worker, or null. */
  readonly signal: NodeJS.Signals | null;
  /** The worker's process name. */
  readonly worker: string;
  /** The worker's pid, or null. */
  readonly pid: number | null;
  /** The task that was running, or null for a worker that never got to run one. */
  readonly task: TaskInfo | null;
  /** The underlying error (becomes the error's `cause`), if any. */
  readonly cause?: unknown;
}

/**
 * A pool worker died while it was running this task: the task called `process.exit()`, the
 * worker was killed or ran out of memory, or an error escaped the task (e.g. from a timer). Only
 * the task that was running fails; the pool starts a replacement and goes on. Also raised, with
 * `task === null`, when workers keep dying before they can take any task (a crash loop): then the
 * pool stops starting workers and fails what is left.
 *
 * @example
 * ```ts
 * import { Pool, WorkerDiedError } from 'multiprocess';
 * await using pool = new Pool(2);
 * try {
 *   await pool.apply(() => process.exit(3));
 * } catch (e) {
 *   if (e instanceof WorkerDiedError) console.log(e.exitCode, e.signal); // 3 null
 * }
 * console.log(await pool.apply(() => 'still working')); // still working
 * ```
 */
export class WorkerDiedError extends ProcessError {
  /** The worker's exit code (Python's convention: `-N` when stopped by signal N), or null if unknown. */
  readonly exitCode: number | null;
  /** The signal that stopped the worker (`'SIGKILL'`, ...), or null. */
  readonly signal: NodeJS.Signals | null;
  /** The worker's process name (`ThreadPoolWorker-3`, `SpawnPoolWorker-5`). */
  readonly worker: string;
  /** The worker's pid (a `thread` worker reports its process's pid). */
  readonly pid: number | null;
  /** The task that was running, or null for a worker that never got to run one. */
  readonly task: TaskInfo | null;

  constructor(message: string, details: WorkerDiedDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.worker = details.worker;
    this.pid = details.pid;
    this.task = details.task;
  }
}

function repr(value: unknown): string {
  try {
    const text = inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 100 });
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * A task's result could not be serialized back to the pool (Python's `MaybeEncodingError`). The
 * worker survives; `exc` is the serialization error and `value` a short description of the result.
 *
 * @example
 * ```ts
 * const r = pool.applyAsync(() => new WeakMap());
 * await r.get().catch((e) => console.log(e instanceof MaybeEncodingError, e.value)); // true [object WeakMap]
 * ```
 */
export class MaybeEncodingError extends ProcessError {
  /** Why the result could not be sent (usually a SerializationError). */
  readonly exc: unknown;
  /** A short description of the result that could not be sent. */
  readonly value: string;

  constructor(exc: unknown, value: unknown) {
    const text = typeof value === 'string' ? value : repr(value);
    super(`Error sending result: '${text}'. Reason: '${repr(exc)}'. Return plain data (or objects @mp/serialize can send) from pool tasks.`, { cause: exc });
    this.exc = exc;
    this.value = text;
  }

  /** @internal */
  static describe(value: unknown): string {
    return repr(value);
  }
}

/**
 * The worker-side stack of a task error, attached as its `cause` (Python's `RemoteTraceback`,
 * set as `__cause__`). `tb` is the stack text as printed in the worker.
 *
 * @example
 * ```ts
 * try { await pool.apply(() => { throw new RangeError('bad'); }); }
 * catch (e) { console.log((e as Error).cause instanceof RemoteTraceback); } // true
 * ```
 */
export class RemoteTraceback extends Error {
  /** The stack of the error in the worker. */
  readonly tb: string;

  constructor(tb: string, options?: ErrorOptions) {
    super(`\n"""\n${tb}\n"""`, options);
    this.name = 'RemoteTraceback';
    this.tb = tb;
  }
}

/**
 * The pool was terminated (`terminate()`, or leaving an `await using` block) before this task
 * finished.
 *
 * @example
 * ```ts
 * const r = pool.applyAsync(() => new Promise((res) => setTimeout(res, 10_000)));
 * await pool.terminate();
 * await r.get().catch((e) => console.log(e instanceof PoolTerminatedError)); // true
 * ```
 */
export class PoolTerminatedError extends ProcessError {
  constructor(message = 'the pool was terminated before this task finished; its result is lost (use close() then join() to let tasks finish)') {
    super(message);
  }
}

/**
 * Attaches the worker-side stack to an error that came back from a task: `cause` becomes a
 * RemoteTraceback (the error's own cause, if any, becomes the RemoteTraceback's cause).
 */
export function withRemoteTraceback(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const tb = typeof error.stack === 'string' ? error.stack : `${error.name}: ${error.message}`;
  const own = Object.prototype.hasOwnProperty.call(error, 'cause') ? { cause: error.cause } : undefined;
  try {
    Object.defineProperty(error, 'cause', { value: new RemoteTraceback(tb, own), writable: true, configurable: true, enumerable: false });
  } catch {
    // a frozen error keeps its own cause
  }
  return error;
}
