import os from 'node:os';
import { WAITABLE, type WaitHandle } from '@mp/connection/spi';
import { registerReducer } from '@mp/serialize';
import { ProcessStateError, ValueError } from './errors.js';
import { startChild } from './internal/start-child.js';
import type { Popen } from './internal/popen/popen.js';
import { runtime, type StartMethod } from './internal/runtime.js';

/**
 * A function run in the child. It may be async: the child awaits it.
 *
 * @example
 * ```ts
 * const target: Target<[number, string]> = async (n, label) => console.log(label, n * 2);
 * new Process({ target, args: [21, 'answer'] });
 * ```
 */
export type Target<A extends readonly unknown[] = never[]> = (...args: A) => unknown;

/**
 * The arguments a target takes: its parameter list, or any arguments for a target whose
 * parameters are unknown (an untyped `ref()`).
 *
 * @example
 * ```ts
 * type A = ProcessArgs<[number, string]>; // [number, string]
 * type B = ProcessArgs<never[]>;          // readonly unknown[]
 * ```
 */
export type ProcessArgs<A extends readonly unknown[]> = A extends readonly never[]
  ? number extends A['length']
    ? readonly unknown[]
    : A
  : A;

/**
 * Options of `new Process(...)`, Python's `Process(group, target, name, args, kwargs, daemon)`.
 *
 * @example
 * ```ts
 * const options: ProcessOptions<[string]> = { target: (s) => console.log(s), args: ['hi'], name: 'greeter', daemon: true };
 * const p = new Process(options);
 * ```
 */
export interface ProcessOptions<A extends readonly unknown[] = never[]> {
  /** Run in the child with `args`. A function (sent by source) or `ref(moduleUrl, exportName)`. */
  target?: Target<A> | null | undefined;
  /** Arguments of `target`; any serializable values, including multiprocess objects (live). */
  args?: NoInfer<ProcessArgs<A>> | undefined;
  /** Default: `Process-N` (`Process-1:2` for the second child of Process-1). */
  name?: string | null | undefined;
  /** Daemon children are terminated when their parent ends; the parent waits for the others. */
  daemon?: boolean | null | undefined;
  /** Must be null (as in Python; reserved for thread groups). */
  group?: null | undefined;
}

/** @internal The state of a Process object (kept off the instance's enumerable properties). */
export interface ProcessState {
  target: ((...args: unknown[]) => unknown) | null;
  args: readonly unknown[];
  name: string;
  identity: readonly number[];
  daemon: boolean;
  authkey: Uint8Array;
  /** The start method fixed by the context that made this object, or null for the default one. */
  method: StartMethod | null;
  popen: Popen | null;
  closed: boolean;
  /** Liveness token of the isolate that created this object (only it may start/join it). */
  owner: number;
  parentPid: number;
  /** 'child' for normal objects; 'current' for the object of this isolate; 'parent' for parentProcess(). */
  role: 'child' | 'current' | 'parent';
  /** Liveness token given to the child, for marking it dead when it exits. */
  childToken: number;
}

export const kState = Symbol('multiprocess.process.state');
/** Static marker set by a context's Process class: the start method it uses. */
export const kMethod = Symbol.for('multiprocess.process.method');

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(os.constants.signals).map(([name, number]) => [-number, `-${name}`]),
);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : `a ${typeof value} (${String(value)})`;
}

function defaultName(cls: Function, identity: readonly number[]): string {
  const base = (cls as { [kMethod]?: StartMethod })[kMethod] !== undefined && Object.hasOwn(cls, kMethod) ? 'Process' : cls.name || 'Process';
  return `${base}-${identity.join(':')}`;
}

/**
 * A child process: Python's `multiprocessing.Process`, on the `thread` start method (a worker
 * thread with its own V8 isolate, the default) or `spawn` (a new Node.js process).
 *
 * The target and its arguments are serialized (functions by source, see @mp/serialize), so a
 * lambda works as a target; library objects passed as arguments (locks, queues, pipes, shared
 * values) arrive live. Subclass and override `run()` as in Python.
 *
 * @example
 * ```ts
 * import { Process, Queue } from 'multiprocess';
 *
 * const q = new Queue<string>();
 * const p = new Process({ target: (q) => q.put('hello world'), args: [q] });
 * await p.start();
 * console.log(await q.get()); // hello world
 * await p.join();
 * console.log(p.exitCode); // 0
 * ```
 */
export class Process<A extends readonly unknown[] = never[]> {
  /** @internal */
  declare readonly [kState]: ProcessState;

  constructor(options: ProcessOptions<A> = {}) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`new Process() takes an options object ({ target, args, name, daemon }), not ${describe(options)}`);
    }
    const { target = null, args = [], name = null, daemon = null, group = null } = options;
    if (group !== null) throw new ValueError('group argument must be null for now');
    if (target !== null && typeof target !== 'function') {
      throw new TypeError(`Process target must be a function (or ref(moduleUrl, exportName)), not ${describe(target)}`);
    }
    if (args === null || typeof (args as Iterable<unknown>)[Symbol.iterator] !== 'function' || typeof args === 'string') {
      throw new TypeError(`Process args must be an array of arguments, not ${describe(args)}`);
    }
    if (name !== null && typeof name !== 'string') throw new TypeError(`Process name must be a string, not ${describe(name)}`);
    const rt = runtime();
    const identity = [...rt.self.identity, ++rt.childCounter];
    const cls = new.target as { [kMethod]?: StartMethod };
    Object.defineProperty(this, kState, {
      value: {
        target: target as ProcessState['target'],
        args: Array.from(args as Iterable<unknown>),
        name: name ?? defaultName(new.target, identity),
        identity,
        daemon: daemon ?? rt.daemon,
        authkey: rt.authkey,
        method: cls[kMethod] ?? null,
        popen: null,
        closed: false,
        owner: rt.token,
        parentPid: process.pid,
        role: 'child',
        childToken: 0,
      } satisfies ProcessState,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }

  /**
   * The work of the process, run in the child. Calls `target(...args)`; override it in a subclass.
   */
  run(): unknown {
    const state = this[kState];
    if (state.target !== null) return state.target(...state.args);
    return undefined;
  }

  /**
   * Starts the child. Resolves once the child is running; `join()` works without awaiting it.
   * Rejects if the process was already started, or if its target or arguments cannot be
   * serialized (the error names the offending value's path, e.g. `args[1].handler`).
   */
  async start(): Promise<void> {
    const state = checkClosed(this);
    if (state.role !== 'child') throw new ProcessStateError('cannot start a process twice');
    if (state.popen !== null) throw new ProcessStateError('cannot start a process twice');
    const rt = runtime();
    if (state.owner !== rt.token) throw new ProcessStateError('can only start a process object created by current process');
    if (rt.daemon) throw new ProcessStateError('daemonic processes are not allowed to have children');
    const cls = this.constructor as { [kMethod]?: StartMethod };
    const subclass = Object.getPrototypeOf(this) !== Process.prototype && !Object.hasOwn(cls, kMethod);
    const popen = startChild(this as Process, state, subclass);
    state.popen = popen;
    // A daemon child is unref'd at once: keep this isolate alive until it has started.
    const keepAlive = setInterval(() => {}, 2 ** 30);
    try {
      await popen.started;
    } finally {
      clearInterval(keepAlive);
    }
  }

  /**
   * Waits until the child exits, or `timeout` milliseconds pass (then resolves anyway: check
   * `exitCode`, which stays null while the child runs). `null`/`undefined` waits forever.
   */
  async join(timeout?: number | null): Promise<void> {
    const state = checkClosed(this);
    if (state.role === 'current') throw new ProcessStateError('can only join a child process');
    if (state.role === 'parent') return joinParent(timeout);
    if (state.owner !== runtime().token) throw new ProcessStateError('can only join a child process');
    const popen = state.popen;
    if (popen === null) throw new ProcessStateError('can only join a started process');
    if (popen.exitCode !== null) return;
    // A daemon child is unref'd; whoever awaits its join still needs the event loop alive.
    const forever = timeout === undefined || timeout === null;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      popen.exited,
      new Promise<void>((resolve) => {
        timer = forever ? setInterval(() => {}, 2 ** 30) : setTimeout(resolve, Math.max(0, timeout));
      }),
    ]);
    clearTimeout(timer);
  }

  /** True from `start()` until the child has exited. */
  isAlive(): boolean {
    const state = checkClosed(this);
    if (state.role === 'current') return true;
    if (state.role === 'parent') return parentAlive();
    return state.popen !== null && state.popen.exitCode === null;
  }

  /** Asks the child to stop: SIGTERM for `spawn`, thread termination for `thread`. `exitCode` becomes -15. */
  terminate(): void {
    popenOf(this, 'terminate').terminate();
  }

  /** Stops the child at once: SIGKILL for `spawn`, thread termination for `thread`. `exitCode` becomes -9. */
  kill(): void {
    popenOf(this, 'kill').kill();
  }

  /**
   * Releases the process object. Throws if the child is still running; afterwards most methods
   * throw a ValueError saying the object is closed.
   */
  close(): void {
    const state = this[kState];
    if (state.closed) return;
    if (state.popen !== null && state.popen.exitCode === null) {
      throw new ValueError('Cannot close a process while it is still running. You should first call join() or terminate().');
    }
    state.closed = true;
    runtime().children.delete(this as Process);
  }

  /** `null` while running (or before start); 0 on success; 1 on an uncaught error; n for `process.exit(n)`; -N when killed by signal N. */
  get exitCode(): number | null {
    const state = checkClosed(this);
    return state.popen?.exitCode ?? null;
  }

  /** The child's process id (a `thread` child shares its parent's OS process). Null before start. */
  get pid(): number | null {
    const state = checkClosed(this);
    if (state.role !== 'child') return state.role === 'current' ? process.pid : state.parentPid;
    return state.popen?.pid ?? null;
  }

  /** Python's alias of `pid`. */
  get ident(): number | null {
    return this.pid;
  }

  /** The process's name: `Process-1`, `Process-1:2`... unless given; only a label. */
  get name(): string {
    return this[kState].name;
  }
  /** Renames the process (a string; in the child, `currentProcess().name = ...` renames it there). */
  set name(value: string) {
    if (typeof value !== 'string') throw new TypeError('name must be a string');
    this[kState].name = value;
    if (this[kState].role === 'current') runtime().self = { ...runtime().self, name: value };
  }

  /** A daemon child is terminated when its parent ends; the parent waits for the others. */
  get daemon(): boolean {
    return this[kState].daemon;
  }
  /** Sets the daemon flag; only before `start()` (after it: `ProcessStateError`). */
  set daemon(value: boolean) {
    if (this[kState].popen !== null) throw new ProcessStateError('process has already started');
    this[kState].daemon = Boolean(value);
  }

  /** The authentication key (inherited from the parent; used by Listener/Client and managers). */
  get authkey(): Uint8Array {
    return this[kState].authkey;
  }
  /** Sets the key (bytes, or a string as its UTF-8 bytes); the children started later inherit it. */
  set authkey(value: Uint8Array | string) {
    const key = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    this[kState].authkey = key;
    if (this[kState].role === 'current') runtime().authkey = key;
  }

  /**
   * Something `wait()` accepts that becomes ready when the child exits. The same object on every
   * access (as Python's integer sentinel compares equal), so `wait()`'s result can be compared.
   */
  get sentinel(): {
    /** The wait() protocol (`@mp/connection/spi`): ready once the child has exited. */
    readonly [WAITABLE]: () => WaitHandle;
  } {
    const state = checkClosed(this);
    const popen = state.popen;
    if (popen === null) throw new ValueError('process not started');
    const known = sentinels.get(popen);
    if (known !== undefined) return known;
    const sentinel: { readonly [WAITABLE]: () => WaitHandle } = {
      [WAITABLE]: () => ({
        ready: () => popen.exitCode !== null,
        subscribe: (listener) => {
          let active = true;
          void popen.exited.then(() => active && listener());
          return () => {
            active = false;
          };
        },
      }),
    };
    sentinels.set(popen, sentinel);
    return sentinel;
  }

  /** Python's repr: `<Process name='Process-1' pid=1234 parent=1200 started>`. */
  toString(): string {
    const state = this[kState];
    let status: string;
    let exitCode: number | null = null;
    if (state.role === 'current') status = 'started';
    else if (state.closed) status = 'closed';
    else if (state.owner !== runtime().token) status = 'unknown';
    else if (state.popen === null) status = 'initial';
    else {
      exitCode = state.popen.exitCode;
      status = exitCode === null ? 'started' : 'stopped';
    }
    const info = [this.constructor.name, `name='${state.name}'`];
    if (state.popen !== null) info.push(`pid=${state.popen.pid}`);
    info.push(`parent=${state.parentPid}`, status);
    if (exitCode !== null) info.push(`exitcode=${SIGNAL_NAMES.get(exitCode) ?? exitCode}`);
    if (state.daemon) info.push('daemon');
    return `<${info.join(' ')}>`;
  }

  /** Node's util.inspect shows the Python-style repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

}

/** One sentinel per started child. */
const sentinels = new WeakMap<Popen, { readonly [WAITABLE]: () => WaitHandle }>();

// Module functions rather than #private methods: current, parent and revived Process objects are
// built with Object.create and have no private brand.
function checkClosed(process: Process<never>): ProcessState {
  const state = process[kState];
  if (state.closed) throw new ValueError('process object is closed');
  return state;
}

function popenOf(process: Process<never>, action: string): Popen {
  const state = checkClosed(process);
  if (state.popen === null) throw new ProcessStateError(`can only ${action} a started process`);
  return state.popen;
}

function parentAlive(): boolean {
  return runtime().kind === 'spawn' ? process.connected === true : true;
}

async function joinParent(timeout?: number | null): Promise<void> {
  if (!parentAlive()) return;
  await new Promise<void>((resolve) => {
    const timer = timeout === undefined || timeout === null ? undefined : setTimeout(done, Math.max(0, timeout));
    function done(): void {
      clearTimeout(timer);
      process.off('disconnect', done);
      resolve();
    }
    if (runtime().kind === 'spawn') process.once('disconnect', done);
    else if (timer === undefined) return; // a thread's parent outlives it: wait forever
  });
}

/** Builds a Process object without running the constructor (current/parent objects, revived objects). */
export function makeProcessObject(proto: object, state: ProcessState, props: Record<string, unknown> = {}): Process {
  const object = Object.create(proto) as Process;
  Object.assign(object, props);
  Object.defineProperty(object, kState, { value: state, enumerable: false, writable: true, configurable: true });
  return object;
}

/** The serialized form of a Process (used for subclass instances sent to their child). */
interface ProcessData {
  cls: Function | null;
  props: Record<string, unknown>;
  target: ProcessState['target'];
  args: readonly unknown[];
  name: string;
  identity: readonly number[];
  daemon: boolean;
  method: StartMethod | null;
  parentPid: number;
}

registerReducer<Process>(
  'mp:Process',
  (value) => value instanceof Process,
  (p) => {
    const state = p[kState];
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(p)) props[key] = (p as unknown as Record<string, unknown>)[key];
    const cls = p.constructor as { [kMethod]?: StartMethod };
    const own = cls === Process || Object.hasOwn(cls, kMethod);
    const data: ProcessData = {
      cls: own ? null : (p.constructor as Function),
      props,
      target: state.target,
      args: state.args,
      name: state.name,
      identity: state.identity,
      daemon: state.daemon,
      method: state.method,
      parentPid: state.parentPid,
    };
    return data;
  },
  (raw) => {
    const data = raw as ProcessData;
    const proto = (data.cls?.prototype as object | undefined) ?? Process.prototype;
    return makeProcessObject(proto, {
      target: data.target,
      args: data.args,
      name: data.name,
      identity: data.identity,
      daemon: data.daemon,
      authkey: runtime().authkey,
      method: data.method,
      popen: null,
      closed: false,
      owner: -1,
      parentPid: data.parentPid,
      role: 'child',
      childToken: 0,
    }, data.props);
  },
  { module: import.meta.url },
);
