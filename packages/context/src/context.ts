import os from 'node:os';
import { AuthenticationError, BufferTooShort, type Connection, Pipe, ProcessError, TimeoutError } from '@mp/connection';
import { activeChildren, currentProcess, parentProcess } from './current.js';
import { RuntimeError, ValueError } from './errors.js';
import { actualStartMethod } from './internal/default-method.js';
import { fallbackStartMethod, runtime } from './internal/runtime.js';
import { getLogger, logToStderr, type Logger } from './logger.js';
import { kMethod, Process, type ProcessOptions } from './process.js';

/**
 * `ctx.Process`: the Process class of a context, callable with or without `new`, and
 * subclassable.
 *
 * @example
 * ```ts
 * const SpawnProcess: ProcessFactory = getContext('spawn').Process;
 * const p = SpawnProcess({ target: () => console.log(process.pid) }); // or new SpawnProcess({...})
 * class Worker extends SpawnProcess { override run() { console.log('in', currentProcess().name); } }
 * ```
 */
export type ProcessFactory = typeof Process &
  (<A extends readonly unknown[] = never[]>(options?: ProcessOptions<A>) => Process<A>);
import { checkStartMethod, START_METHODS, type StartMethod } from './start-method.js';

/**
 * A class that can also be called without `new`, as `ctx.Process({...})` is in the API.
 *
 * @example
 * ```ts
 * declare const Factory: CallableClass<typeof Process>;
 * const a = Factory({ target: () => {} });
 * const b = new Factory({ target: () => {} }); // the same
 * ```
 */
export type CallableClass<C extends abstract new (...args: never[]) => unknown> = C &
  ((...args: ConstructorParameters<C>) => InstanceType<C>);

function callable<C extends new (...args: never[]) => unknown>(cls: C): CallableClass<C> {
  return new Proxy(cls, {
    apply: (target, _this, args: unknown[]) => Reflect.construct(target, args),
  }) as CallableClass<C>;
}

/**
 * The number of CPUs this process may use (`os.availableParallelism()`).
 *
 * @example
 * ```ts
 * const pool = new Pool(cpuCount());
 * ```
 */
export function cpuCount(): number {
  return os.availableParallelism();
}

/**
 * A context: the API of multiprocess bound to one start method (Python's `get_context`).
 * Every package adds its factories to it (`ctx.Queue()`, `ctx.Lock()`, `ctx.Pool()`, …).
 *
 * @example
 * ```ts
 * const ctx = getContext('spawn');
 * const p = ctx.Process({ target: () => console.log('in a new Node process') });
 * await p.start(); await p.join();
 * ```
 */
export abstract class BaseContext {
  /** The start method name, or null for the default context before it is fixed. */
  protected abstract get methodName(): StartMethod | null;

  /** Python's error classes, as attributes of every context. */
  readonly ProcessError = ProcessError;
  /** `ctx.BufferTooShort`: the error of `recvBytesInto` into a buffer too small for the message. */
  readonly BufferTooShort = BufferTooShort;
  /** `ctx.TimeoutError`: the error of a wait that timed out (`AsyncResult.get(timeout)`...). */
  readonly TimeoutError = TimeoutError;
  /** `ctx.AuthenticationError`: the error of a failed authkey handshake. */
  readonly AuthenticationError = AuthenticationError;

  /** `ctx.Process({...})` or `new ctx.Process({...})`: a Process using this context's start method. */
  abstract readonly Process: ProcessFactory;

  /** The number of CPUs this process may use (see {@link cpuCount}). */
  cpuCount(): number {
    return cpuCount();
  }

  /** The Process object of the caller (see {@link currentProcess}). */
  currentProcess(): Process {
    return currentProcess();
  }

  /** The parent of the caller, or null in the main process (see {@link parentProcess}). */
  parentProcess(): Process | null {
    return parentProcess();
  }

  /** The caller's children that are still alive (see {@link activeChildren}). */
  activeChildren(): Process[] {
    return activeChildren();
  }

  /** The context for `method`, or (no argument) this context (the default context returns its actual one). */
  getContext(method?: StartMethod | string | null): BaseContext {
    if (method === undefined || method === null) return this;
    return concreteContext(checkStartMethod(method));
  }

  /** The start method of this context (`'thread'` or `'spawn'`; see {@link getStartMethod}). */
  getStartMethod(_allowNone = false): StartMethod | null {
    return this.methodName;
  }

  /** Only the default context can change its start method; a concrete context throws (as Python's). */
  setStartMethod(_method: StartMethod | string | null, _force = false): void {
    throw new ValueError('cannot set start method of concrete context');
  }

  /** The start methods this platform supports (see {@link getAllStartMethods}). */
  getAllStartMethods(): StartMethod[] {
    return [...START_METHODS];
  }

  /** multiprocess's logger (see {@link getLogger}). */
  getLogger(): Logger {
    return getLogger();
  }

  /** Sends multiprocess's log records to stderr (see {@link logToStderr}). */
  logToStderr(level?: number): Logger {
    return logToStderr(level);
  }

  /** A no-op, kept for Python compatibility (Node programs are never frozen executables). */
  freezeSupport(): void {}

  /**
   * A pair of connected Connections whose ends suit this context's children: a MessageChannel
   * for `thread`, OS pipes for `spawn` (see @mp/connection's `Pipe`).
   */
  Pipe(duplex = true): [Connection, Connection] {
    return Pipe(duplex, { method: contextMethod(this) });
  }

  /** A no-op, kept for Python compatibility (connections are always transferable). */
  allowConnectionPickling(): void {}

  /** A no-op, kept for Python compatibility (there is no forkserver). */
  setForkserverPreload(_moduleNames: readonly string[]): void {}

  /** The Node.js binary used for `spawn` children (Python's `set_executable`). */
  setExecutable(executable: string): void {
    runtime().executable = executable;
  }

  /** The Node.js binary used for `spawn` children (Python's `get_executable`). */
  getExecutable(): string {
    return runtime().executable ?? process.execPath;
  }
}

/**
 * The `thread` context: children are worker threads with their own V8 isolates.
 *
 * @example
 * ```ts
 * const ctx = getContext('thread'); // a ThreadContext
 * const lock = ctx.Lock();
 * const p = ctx.Process({ target: (l: Lock) => l.withLock(() => console.log('held')), args: [lock] });
 * ```
 */
export class ThreadContext extends BaseContext {
  protected get methodName(): StartMethod {
    return 'thread';
  }
  readonly Process = threadProcess;
}

/**
 * The `spawn` context: children are new Node.js processes.
 *
 * @example
 * ```ts
 * const ctx = getContext('spawn'); // a SpawnContext
 * const q = ctx.Queue<number>();
 * const p = ctx.Process({ target: (q: Queue<number>) => q.put(process.pid), args: [q] });
 * await p.start();
 * console.log(await q.get() !== process.pid); // true: another process
 * ```
 */
export class SpawnContext extends BaseContext {
  protected get methodName(): StartMethod {
    return 'spawn';
  }
  readonly Process = spawnProcess;
}

/**
 * The default context, whose start method is fixed on first use (`thread` unless set with
 * `setStartMethod`, or by the environment variable `MULTIPROCESS_START_METHOD`).
 *
 * @example
 * ```ts
 * import mp from 'multiprocess'; // the DefaultContext
 * mp.setStartMethod('spawn');
 * const p = mp.Process({ target: () => console.log('spawned') });
 * ```
 */
export class DefaultContext extends BaseContext {
  protected get methodName(): StartMethod | null {
    return runtime().defaultMethod;
  }

  readonly Process = callable(Process) as unknown as ProcessFactory;

  override getContext(method?: StartMethod | string | null): BaseContext {
    if (method === undefined || method === null) return concreteContext(actualStartMethod());
    return super.getContext(method);
  }

  override getStartMethod(allowNone = false): StartMethod | null {
    const rt = runtime();
    if (rt.defaultMethod === null && allowNone) return null;
    return actualStartMethod();
  }

  override setStartMethod(method: StartMethod | string | null, force = false): void {
    const rt = runtime();
    if (rt.defaultMethod !== null && !force) {
      throw new RuntimeError('context has already been set (pass force = true to change it)');
    }
    if ((method === null || method === undefined) && force) {
      rt.defaultMethod = null;
      return;
    }
    rt.defaultMethod = checkStartMethod(method);
  }

  override getAllStartMethods(): StartMethod[] {
    const first = runtime().defaultMethod ?? fallbackStartMethod();
    return [first, ...START_METHODS.filter((m) => m !== first)];
  }
}

class ThreadProcess extends Process {
  static readonly [kMethod] = 'thread';
}
class SpawnProcess extends Process {
  static readonly [kMethod] = 'spawn';
}
/**
 * The Process class of the `thread` context (as Python's `SpawnProcess`, `ForkProcess`): a
 * Process whose child is a worker thread, whatever the default start method.
 *
 * @example
 * ```ts
 * const p = ThreadProcess({ target: () => console.log('a worker thread') });
 * await p.start(); await p.join();
 * ```
 */
const threadProcess = callable(ThreadProcess) as unknown as ProcessFactory;
/**
 * The Process class of the `spawn` context (Python's `SpawnProcess`): a Process whose child is
 * a new Node.js process, whatever the default start method.
 *
 * @example
 * ```ts
 * class Job extends SpawnProcess { override run() { console.log('pid', process.pid); } }
 * const p = new Job();
 * await p.start(); await p.join();
 * ```
 */
const spawnProcess = callable(SpawnProcess) as unknown as ProcessFactory;

export { threadProcess as ThreadProcess, spawnProcess as SpawnProcess };

const contexts = {
  thread: new ThreadContext(),
  spawn: new SpawnContext(),
};

function concreteContext(method: StartMethod): BaseContext {
  return contexts[method];
}

/**
 * The default context (what the top-level functions of multiprocess use); `multiprocess`
 * exports it as `default`.
 *
 * @example
 * ```ts
 * import mp from 'multiprocess';
 * mp === defaultContext; // true
 * const q = mp.Queue();
 * ```
 */
export const defaultContext = new DefaultContext();

/**
 * A context for `method` (`'thread'` or `'spawn'`), or the default context's actual one.
 * `'fork'` and `'forkserver'` throw a ValueError that explains why.
 *
 * @example
 * ```ts
 * const ctx = getContext('spawn');
 * const q = ctx.Queue();
 * ```
 */
export function getContext(method?: StartMethod | string | null): BaseContext {
  return defaultContext.getContext(method);
}

/**
 * Sets the default start method (Python's `set_start_method`). Throws a RuntimeError if it was
 * already fixed (by an earlier call, or by starting a child) unless `force` is true.
 *
 * @example
 * ```ts
 * setStartMethod('spawn');
 * ```
 */
export function setStartMethod(method: StartMethod | string | null, force = false): void {
  defaultContext.setStartMethod(method, force);
}

/**
 * The default start method; fixes it unless `allowNone` (then null while unset).
 *
 * @example
 * ```ts
 * getStartMethod(); // 'thread'
 * ```
 */
export function getStartMethod(allowNone = false): StartMethod | null {
  return defaultContext.getStartMethod(allowNone);
}

/**
 * The start methods this platform supports, the default first: `['thread', 'spawn']`.
 *
 * @example
 * ```ts
 * getAllStartMethods(); // ['thread', 'spawn']
 * ```
 */
export function getAllStartMethods(): StartMethod[] {
  return defaultContext.getAllStartMethods();
}

/**
 * Python's `freeze_support()`: a no-op here (Node programs are never frozen executables).
 *
 * @example
 * ```ts
 * freezeSupport(); // kept from a Python program; does nothing
 * ```
 */
export function freezeSupport(): void {}

/**
 * Sets the Node.js binary used to start `spawn` children (Python's `set_executable`).
 *
 * @example
 * ```ts
 * setExecutable('/usr/local/bin/node');
 * ```
 */
export function setExecutable(executable: string): void {
  defaultContext.setExecutable(executable);
}

/**
 * Adds methods to every context (`ctx.Queue()`, …). Packages call this with their factories and
 * declare the methods by augmenting `BaseContext` (`declare module '@mp/context'`).
 *
 * @example
 * ```ts
 * import { defineContextMethods } from '@mp/context/spi';
 * declare module '@mp/context' {
 *   interface BaseContext { Counter(start?: number): Counter }
 * }
 * defineContextMethods({
 *   Counter(this: BaseContext, start?: number) { return new Counter(start); },
 * });
 * getContext('spawn').Counter(5);
 * ```
 */
export function defineContextMethods(methods: Record<string, (this: BaseContext, ...args: never[]) => unknown>): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(BaseContext.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
}

/**
 * The start method of a context (for packages whose objects depend on it: Pipe, Pool, Manager);
 * with no context, the default context's actual method.
 *
 * @example
 * ```ts
 * import { contextMethod } from '@mp/context/spi';
 * contextMethod(getContext('spawn')); // 'spawn'
 * contextMethod(undefined);           // 'thread' unless the default was changed
 * ```
 */
export function contextMethod(ctx: BaseContext | null | undefined): StartMethod {
  return ctx?.getStartMethod() ?? actualStartMethod();
}

export { ValueError, RuntimeError };
