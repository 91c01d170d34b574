/**
 * Per-isolate runtime state. An "isolate" is what Python calls a process: the main thread of the
 * root process, a `thread` child (a worker thread with its own V8 isolate), or a `spawn` child.
 *
 * The state lives on `globalThis` under a registered symbol so that the ESM and CJS builds of
 * this package, if both are loaded in one isolate, share one runtime.
 */
import type { MessagePort } from 'node:worker_threads';
import { cryptoModule, workerThreadsModule } from './lazy.js';
import { LivenessTable } from './liveness.js';

/**
 * A start method: `'thread'` (worker threads, the default) or `'spawn'` (new Node.js processes).
 * Node.js cannot fork, so Python's `'fork'` and `'forkserver'` do not exist.
 *
 * @example
 * ```ts
 * const method: StartMethod = getStartMethod() ?? 'thread';
 * const ctx = getContext(method);
 * ```
 */
export type StartMethod = 'thread' | 'spawn';

/**
 * What a process knows about itself or its parent.
 *
 * @example
 * ```ts
 * import { runtime } from '@mp/context/spi';
 * const { name, pid, identity }: ProcessInfo = runtime().self; // 'Process-1', 1234, [1]
 * ```
 */
export interface ProcessInfo {
  /** The process's name (`'MainProcess'`, `'Process-1:2'`...). */
  readonly name: string;
  /** Its OS process id (a `thread` child reports its parent's). */
  readonly pid: number;
  /** Python's `_identity`: `[]` for the main process, `[1]` for Process-1, `[1, 2]` for Process-1:2. */
  readonly identity: readonly number[];
}

/** Links of an isolate of the root process (its main thread or one of its worker threads). */
export interface RootLink {
  readonly liveness: LivenessTable;
  /** Async messages to the broker thread (segment registration, thread attachment). */
  readonly brokerPort: MessagePort | null;
  /** Synchronous lookups: the broker answers here and bumps `syncFlag[0]`. */
  readonly syncPort: MessagePort | null;
  readonly syncFlag: Int32Array | null;
}

/** What a child receives from its parent before anything else runs. */
export interface BootInfo {
  readonly method: StartMethod;
  readonly self: ProcessInfo;
  readonly parent: ProcessInfo;
  readonly authkey: Uint8Array;
  /** The root's authkey for the broker (users may change their process authkey; this stays). */
  readonly brokerKey: Uint8Array;
  readonly daemon: boolean;
  readonly token: number;
  readonly defaultMethod: StartMethod | null;
  readonly executable: string | null;
  /** Directory of the root's broker (socket + rendezvous FIFO). */
  readonly brokerDir: string | null;
  readonly rootPid: number;
}

/**
 * The state of this isolate (what Python calls a process: the root's main thread, a `thread`
 * child, or a `spawn` child), as {@link runtime} returns it. Package authors read it; only
 * @mp/context writes it.
 *
 * @example
 * ```ts
 * import { runtime } from '@mp/context/spi';
 * const rt: Runtime = runtime();
 * console.log(rt.kind, rt.self.name, rt.parent?.name ?? 'no parent');
 * ```
 */
export interface Runtime {
  /** This process: name, pid and identity. */
  self: ProcessInfo;
  /** The parent process, or null in the root process. */
  parent: ProcessInfo | null;
  /** The process's authkey (`currentProcess().authkey`), inherited by its children. */
  authkey: Uint8Array;
  /** The root process's authkey, used to reach the broker (users may change `authkey`; this stays). */
  readonly brokerKey: Uint8Array;
  /** Whether this process is a daemon child. */
  daemon: boolean;
  /** How this isolate was started: 'main' for the root process's main thread. */
  readonly kind: 'main' | 'thread' | 'spawn' | 'foreign';
  /** Counter for the identities of this isolate's children. */
  childCounter: number;
  /** Liveness token of this isolate (see liveness.ts); 0 until known. */
  token: number;
  /**
   * @internal Set in isolates of the root process; null in spawn children and their threads
   * (use {@link inRootProcess}).
   */
  root: RootLink | null;
  /** The directory of the root's broker (its socket and rendezvous FIFO); null before it starts. */
  brokerDir: string | null;
  /** The pid of the root process (the first process of the program). */
  rootPid: number;
  /** The start method set for this isolate's default context; null = not set yet. */
  defaultMethod: StartMethod | null;
  /** The Node.js binary for `spawn` children set by `setExecutable()`; null = `process.execPath`. */
  executable: string | null;
  /** The Process object of this isolate (set by process.ts). */
  current: unknown;
  /** Started children that have not been seen to exit (Python's `_children`). */
  readonly children: Set<unknown>;
  /** Run before this isolate exits on its own (flush queues, join children). */
  readonly exitHooks: Array<() => unknown>;
}

const KEY = Symbol.for('@mp/context.runtime');
type Holder = typeof globalThis & { [KEY]?: Runtime };

/** Environment variable through which spawn children (and their own threads) find the broker. */
export const BROKER_ENV = 'MULTIPROCESS_BROKER_DIR';
/** Optional default start method for a whole program: `thread` or `spawn`. */
export const START_METHOD_ENV = 'MULTIPROCESS_START_METHOD';

function envStartMethod(): StartMethod | null {
  const value = process.env[START_METHOD_ENV];
  return value === 'thread' || value === 'spawn' ? value : null;
}

/**
 * The runtime of this isolate, created on first use.
 *
 * @example
 * ```ts
 * import { runtime } from '@mp/context/spi';
 * if (runtime().kind === 'spawn') console.log('a spawn child of', runtime().rootPid);
 * ```
 */
export function runtime(): Runtime {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= createDefault());
}

/** Installs the runtime of a child from its boot info (called once by the child entry). */
export function installChildRuntime(boot: BootInfo, root: RootLink | null): Runtime {
  const rt: Runtime = {
    self: boot.self,
    parent: boot.parent,
    authkey: boot.authkey,
    brokerKey: boot.brokerKey,
    daemon: boot.daemon,
    kind: boot.method,
    childCounter: 0,
    token: boot.token,
    root,
    brokerDir: boot.brokerDir,
    rootPid: boot.rootPid,
    defaultMethod: boot.defaultMethod,
    executable: boot.executable,
    current: null,
    children: new Set(),
    exitHooks: [],
  };
  if (boot.brokerDir !== null) process.env[BROKER_ENV] = boot.brokerDir;
  (globalThis as Holder)[KEY] = rt;
  return rt;
}

function createDefault(): Runtime {
  const brokerDir = process.env[BROKER_ENV] ?? null;
  // A worker thread that this library did not start ("foreign"): if the process is a spawn child
  // it can still reach the broker; if it is the root process, its objects stay thread-local.
  const kind = workerThreadsModule().isMainThread ? (brokerDir === null ? 'main' : 'foreign') : 'foreign';
  let root: RootLink | null = null;
  let token = 0;
  if (kind === 'main') {
    const liveness = new LivenessTable();
    token = liveness.allocate(0);
    root = { liveness, brokerPort: null, syncPort: null, syncFlag: null };
  }
  const authkey = new Uint8Array(cryptoModule().randomBytes(32));
  return {
    self: { name: 'MainProcess', pid: process.pid, identity: [] },
    parent: null,
    authkey,
    brokerKey: authkey,
    daemon: false,
    kind,
    childCounter: 0,
    token,
    root,
    brokerDir: kind === 'main' ? null : brokerDir,
    rootPid: process.pid,
    defaultMethod: null,
    executable: null,
    current: null,
    children: new Set(),
    exitHooks: [],
  };
}

/** The default start method when none was set: the environment's, else `thread`. */
export function fallbackStartMethod(): StartMethod {
  return envStartMethod() ?? 'thread';
}

/**
 * True in the main thread of the root process and in its worker threads: where segments are
 * local shared memory (elsewhere, shared objects go through the broker).
 *
 * @example
 * ```ts
 * import { inRootProcess } from '@mp/context/spi';
 * const where = inRootProcess() ? 'shared memory' : 'the broker';
 * ```
 */
export function inRootProcess(): boolean {
  return runtime().root !== null;
}
