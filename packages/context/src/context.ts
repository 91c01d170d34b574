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
 */
export type ProcessFactory = typeof Process &
  (<A extends readonly unknown[] = never[]>(options?: ProcessOptions<A>) => Process<A>);
import { checkStartMethod, START_METHODS, type StartMethod } from './start-method.js';

/**
 * A class that can also be called without `new`, as `ctx.Process({...})` is in the API.
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
  readonly BufferTooShort = BufferTooShort;
  readonly TimeoutError = TimeoutError;
  readonly AuthenticationError = AuthenticationError;

  /** `ctx.Process({...})` or `new ctx.Process({...})`: a Process using this context's start method. */
  abstract readonly Process: ProcessFactory;

  cpuCount(): number {
    return cpuCount();
  }

  currentProcess(): Process {
    return currentProcess();
  }

  parentProcess(): Process | null {
    return parentProcess();
  }

  activeChildren(): Process[] {
    return activeChildren();
  }

  /** The context for `method`, or (no argument) this context (the default context returns its actual one). */
  getContext(method?: StartMethod | string | null): BaseContext {
    if (method === undefined || method === null) return this;
    return concreteContext(checkStartMethod(method));
  }

  getStartMethod(_allowNone = false): StartMethod | null {
    return this.methodName;
  }

  /** Only the default context can change its start method; a concrete context throws (as Python's). */
  setStartMethod(_method: StartMethod | string | null, _force = false): void {
    throw new ValueError('cannot set start method of concrete context');
  }

  getAllStartMethods(): StartMethod[] {
    return [...START_METHODS];
  }

  getLogger(): Logger {
    return getLogger();
  }

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

  getExecutable(): string {
    return runtime().executable ?? process.execPath;
  }
}

/** The `thread` context: children are worker threads with their own V8 isolates. */
export class ThreadContext extends BaseContext {
  protected get methodName(): StartMethod {
    return 'thread';
  }
  readonly Process = threadProcess;
}

/** The `spawn` context: children are new Node.js processes. */
export class SpawnContext extends BaseContext {
  protected get methodName(): StartMethod {
    return 'spawn';
  }
  readonly Process = spawnProcess;
}

/**
 * The default context, whose start method is fixed on first use (`thread` unless set with
 * `setStartMethod`, or by the environment variable `MULTIPROCESS_START_METHOD`).
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
const threadProcess = callable(ThreadProcess) as unknown as ProcessFactory;
const spawnProcess = callable(SpawnProcess) as unknown as ProcessFactory;

/** The Process classes of the thread and spawn contexts (Python's `SpawnProcess`, ...). */
export { threadProcess as ThreadProcess, spawnProcess as SpawnProcess };

const contexts = {
  thread: new ThreadContext(),
  spawn: new SpawnContext(),
};

function concreteContext(method: StartMethod): BaseContext {
  return contexts[method];
}

/** The default context (what the top-level functions of multiprocess use). */
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

/** Python's `freeze_support()`: a no-op here. */
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
 */
export function defineContextMethods(methods: Record<string, (this: BaseContext, ...args: never[]) => unknown>): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(BaseContext.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
}

/** The start method of a context (for packages whose objects depend on it: Pipe, Pool, Manager). */
export function contextMethod(ctx: BaseContext | null | undefined): StartMethod {
  return ctx?.getStartMethod() ?? actualStartMethod();
}

export { ValueError, RuntimeError };
