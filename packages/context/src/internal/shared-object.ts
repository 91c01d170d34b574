/**
 * Shared objects: the mechanism under every primitive (Lock, Queue, Value, ...).
 *
 * The state of a shared object is a segment of SharedArrayBuffer that lives in the root process.
 * An object is reached through a handle:
 * - a **local** handle (isolates of the root process: its main thread and worker threads) holds
 *   the SharedArrayBuffer itself; algorithms run on it directly with Atomics;
 * - a **remote** handle (spawn children and their threads) holds the object's id; each operation
 *   is a round trip to the root's broker, which runs it on the segment on the caller's behalf.
 *
 * A package defines a kind once (`SharedKind`) and registers its class with
 * `registerSharedClass`; instances then cross to any child (as Process args, through queues, over
 * pipes) as a small handle and arrive live.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MessagePort } from 'node:worker_threads';
import { registerReducer } from '@mp/serialize';
import { workerThreadsModule } from './lazy.js';
import { decode, encode } from '@mp/serialize/spi';
import type { ObjectDescription } from './broker/protocol.js';
import type { CallMessage, CallReply } from './broker/server.js';
import { remoteClient } from './broker/client.js';
import { ensureBroker } from './broker/launch.js';
import { runtime } from './runtime.js';

/**
 * The description of one kind of shared object.
 *
 * @example
 * ```ts
 * const KIND: SharedKind<{ start: number }> = {
 *   kind: 'mypkg.Counter',   // unique
 *   module: import.meta.url, // the broker imports this module to run operations
 *   byteLength: () => 8,
 *   init: (sab, meta) => { new Int32Array(sab)[0] = meta.start; },
 * };
 * ```
 */
export interface SharedKind<M = unknown> {
  /** Unique name, `<package>.<Class>` (e.g. `sync.Lock`). */
  readonly kind: string;
  /** URL of the module that registers this kind (the broker imports it to run operations). */
  readonly module: string;
  /** Size of the segment for an object with this metadata. */
  byteLength(meta: M): number;
  /** Initializes a fresh segment. */
  init?(sab: SharedArrayBuffer, meta: M): void;
}

/**
 * A handle on an object whose segment this isolate can map.
 *
 * @example
 * ```ts
 * const h = createHandle(KIND, { start: 0 });
 * if (h.local) Atomics.add(new Int32Array(h.sab), 0, 1); // h is a LocalHandle here
 * ```
 */
export interface LocalHandle<M = unknown> {
  /** `true`: the segment is mapped here (`sab`). */
  readonly local: true;
  /** The object's id, unique in the program (the broker's key for it). */
  readonly id: string;
  /** The kind the object was created with. */
  readonly kind: SharedKind<M>;
  /** The object's segment: shared memory, run the algorithms on it with Atomics. */
  readonly sab: SharedArrayBuffer;
  /** Immutable, serializable facts fixed at creation (sizes, typecodes, a Barrier's action...). */
  readonly meta: M;
}

/**
 * A handle on an object that lives in the root process, reached through the broker.
 *
 * @example
 * ```ts
 * const h = createHandle(KIND, { start: 0 });
 * if (!h.local) await h.call('add', [1]); // a RemoteHandle (spawn child): the broker runs add(1)
 * ```
 */
export interface RemoteHandle<M = unknown> {
  /** `false`: the segment is in the root process; operations go through the broker. */
  readonly local: false;
  /** The object's id, unique in the program (the broker's key for it). */
  readonly id: string;
  /** The kind the object was created with. */
  readonly kind: SharedKind<M>;
  /** Immutable, serializable facts fixed at creation (sizes, typecodes, a Barrier's action...). */
  readonly meta: M;
  /** Runs `method(...args)` on the object in the root; resolves with its result. */
  call(method: string, args: unknown[]): Promise<unknown>;
  /** Same, blocking this thread until the result is back. */
  callSync(method: string, args: unknown[]): unknown;
  /** Same, without waiting for (or receiving) the result; ordered with `callSync`. */
  send(method: string, args: unknown[]): void;
}

/**
 * A handle on a shared object: local (the segment is mapped here) or remote (through the broker).
 * Test `handle.local` to tell them apart.
 *
 * @example
 * ```ts
 * const handles = new WeakMap<Counter, Handle<{ start: number }>>();
 * function add(c: Counter, n: number): number {
 *   const h = handles.get(c)!;
 *   return h.local ? Atomics.add(new Int32Array(h.sab), 0, n) + n : (h.callSync('add', [n]) as number);
 * }
 * ```
 */
export type Handle<M = unknown> = LocalHandle<M> | RemoteHandle<M>;

/**
 * Who is calling: the current isolate, or (in the broker) the remote isolate being served.
 *
 * @example
 * ```ts
 * const caller: Caller = { token: callerToken(), signal: AbortSignal.timeout(1000) };
 * ```
 */
export interface Caller {
  /** The caller's liveness token (see {@link isTokenAlive}). */
  readonly token: number;
  /** Aborted when the caller goes away. */
  readonly signal: AbortSignal;
}

interface ClassEntry {
  readonly kind: SharedKind<unknown>;
  readonly attach: (handle: Handle<unknown>) => object;
}

/**
 * Per-isolate state, on globalThis so that every copy of this module in an isolate (ESM and CJS
 * builds, or two builds during a rebuild) agrees — the broker's mode above all.
 */
interface Registry {
  readonly classes: Map<string, ClassEntry>;
  readonly buffers: Map<string, WeakRef<SharedArrayBuffer>>;
  readonly registered: Set<string>;
  counter: number;
  /** Nonzero in the broker thread: its own liveness token. */
  brokerToken: number;
  brokerLookup: ((id: string) => SharedArrayBuffer | undefined) | null;
  readonly callers: AsyncLocalStorage<Caller>;
}

const KEY = Symbol.for('@mp/context.sharedObjects');
const registry: Registry = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
  classes: new Map(),
  buffers: new Map(),
  registered: new Set(),
  counter: 0,
  brokerToken: 0,
  brokerLookup: null,
  callers: new AsyncLocalStorage<Caller>(),
} satisfies Registry) as Registry;

/** Called once by the broker thread. */
export function setBrokerMode(token: number, lookup?: (id: string) => SharedArrayBuffer | undefined): void {
  registry.brokerToken = token;
  registry.brokerLookup = lookup ?? null;
}

/**
 * The liveness token of whoever is calling (see {@link Caller}): the current thread, or in the
 * broker the remote thread being served. A lock stores it as its owner.
 *
 * @example
 * ```ts
 * import { callerToken, isTokenAlive } from '@mp/context/spi';
 * const owner = callerToken();
 * // later, maybe in the broker on another caller's behalf:
 * if (!isTokenAlive(owner)) console.log('the owner died: take over');
 * ```
 */
export function callerToken(): number {
  if (registry.brokerToken !== 0) return registry.callers.getStore()?.token ?? registry.brokerToken;
  return runtime().token;
}

/**
 * Aborted when the remote caller being served goes away (undefined outside the broker): a
 * broker-side wait on behalf of a spawn child that died should stop.
 *
 * @example
 * ```ts
 * import { callerSignal } from '@mp/context/spi';
 * async function waitForItem(this: Store) {
 *   const signal = callerSignal();
 *   while (this.empty()) {
 *     if (signal?.aborted) return undefined; // the caller is gone
 *     await this.changed();
 *   }
 *   return this.take();
 * }
 * ```
 */
export function callerSignal(): AbortSignal | undefined {
  return registry.brokerToken !== 0 ? registry.callers.getStore()?.signal : undefined;
}

/** Runs `fn` on behalf of `caller` (the broker uses this for every remote operation). */
export function runAsCaller<T>(caller: Caller, fn: () => T): T {
  return registry.callers.run(caller, fn);
}

/**
 * True while the isolate that holds `token` is alive. Outside the root process: always true.
 *
 * @example
 * ```ts
 * import { isTokenAlive } from '@mp/context/spi';
 * const owner = Atomics.load(state, OWNER);
 * if (owner !== 0 && !isTokenAlive(owner)) Atomics.compareExchange(state, OWNER, owner, 0); // free a dead owner's lock
 * ```
 */
export function isTokenAlive(token: number): boolean {
  const root = runtime().root;
  return root === null ? true : root.liveness.isAlive(token);
}

export function kindByName(name: string): SharedKind<unknown> | undefined {
  return registry.classes.get(name)?.kind;
}

/** Builds an instance over a local segment (the broker uses this). */
export function attachLocal(kind: SharedKind<unknown>, id: string, sab: SharedArrayBuffer, meta: unknown): object {
  const entry = registry.classes.get(kind.kind);
  if (entry === undefined) throw new TypeError(`the shared kind ${kind.kind} is not registered in this thread`);
  return entry.attach(localHandle(id, kind, sab, meta));
}

function localHandle<M>(id: string, kind: SharedKind<M>, sab: SharedArrayBuffer, meta: M): LocalHandle<M> {
  if (!registry.buffers.has(id)) registry.buffers.set(id, new WeakRef(sab));
  return { local: true, id, kind, sab, meta };
}

function remoteHandle<M>(id: string, kind: SharedKind<M>, meta: M): RemoteHandle<M> {
  return {
    local: false,
    id,
    kind,
    meta,
    call: (method, args) => remoteClient().call(['call', id, method, args]),
    callSync: (method, args) => remoteClient().callSync(['call', id, method, args]),
    send: (method, args) => remoteClient().send(['call', id, method, args]),
  };
}

/**
 * A new object of `kind`: a fresh segment in the root process, wherever the caller runs. In the
 * root process the handle is local; in a spawn child the broker makes the segment and the handle
 * is remote.
 *
 * @example
 * ```ts
 * import { createHandle, takeAttaching } from '@mp/context/spi';
 * class Counter {
 *   constructor(start = 0) { handles.set(this, takeAttaching() ?? createHandle(KIND, { start })); }
 * }
 * ```
 */
export function createHandle<M>(kind: SharedKind<M>, meta: M): Handle<M> {
  const rt = runtime();
  if (rt.root !== null || rt.brokerDir === null) {
    const sab = new SharedArrayBuffer(kind.byteLength(meta));
    kind.init?.(sab, meta);
    const id = `${(registry.brokerToken || rt.token).toString(36)}.${(++registry.counter).toString(36)}`;
    return localHandle(id, kind, sab, meta);
  }
  const description = remoteClient().callSync(['create', kind.module, kind.kind, meta]) as ObjectDescription;
  return remoteHandle(description.id, kind, description.meta as M);
}

/**
 * Makes the broker know a local object, so that isolates that receive only its id (spawn
 * children, or bytes read from a queue) can reach it. Idempotent.
 *
 * @example
 * ```ts
 * import { registerRootObject } from '@mp/context/spi';
 * if (h.local) registerRootObject(h); // before writing h.id where a spawn child will read it
 * ```
 */
export function registerRootObject(handle: LocalHandle<unknown>): void {
  if (registry.registered.has(handle.id)) return;
  registry.registered.add(handle.id);
  if (registry.brokerToken !== 0) return; // the broker's own objects are in its table already
  const rt = runtime();
  if (rt.root === null) return;
  const port = rt.root.brokerPort ?? (rt.kind === 'main' ? ensureBroker().brokerPort : null);
  port?.postMessage({
    t: 'register',
    id: handle.id,
    sab: handle.sab,
    module: handle.kind.module,
    kind: handle.kind.kind,
    meta: encode(handle.meta).bytes,
  });
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
const pendingCalls = new Map<number, PendingCall>();
let nextCall = 1;
let listening: MessagePort | null = null;

function brokerPortOf(): MessagePort {
  const rt = runtime();
  const port = rt.root?.brokerPort ?? (rt.kind === 'main' ? ensureBroker().brokerPort : null);
  if (!port) throw new ReferenceError('this thread has no link to the broker (it was not started by multiprocess)');
  if (listening !== port) {
    listening = port;
    port.on('message', (message: CallReply) => {
      if (message.t !== 'reply') return;
      const pending = pendingCalls.get(message.rid);
      if (!pending) return;
      pendingCalls.delete(message.rid);
      if (pendingCalls.size === 0) port.unref();
      const value = decode(message.value);
      if (message.ok) pending.resolve(value);
      else pending.reject(value);
    });
    port.unref();
  }
  return port;
}

/**
 * Runs `method(...args)` on the broker-side instance of a root object and resolves with its
 * result. For state that must outlive the calling thread (e.g. a queue's overflow store, which
 * a producer that exits must leave behind). From a remote isolate this is the same as
 * `handle.call`.
 *
 * @example
 * ```ts
 * import { callInBroker } from '@mp/context/spi';
 * // the broker's instance keeps the overflow even if this thread exits right after
 * await callInBroker(handle, 'storeOverflow', [bytes]);
 * ```
 */
export function callInBroker(handle: Handle<unknown>, method: string, args: unknown[]): Promise<unknown> {
  if (!handle.local) return handle.call(method, args);
  registerRootObject(handle);
  const port = brokerPortOf();
  const rid = nextCall++;
  return new Promise((resolve, reject) => {
    pendingCalls.set(rid, { resolve, reject });
    port.ref();
    port.postMessage({ t: 'call', rid, id: handle.id, method, args: encode(args).bytes, token: callerToken() } satisfies CallMessage);
  });
}

/**
 * Like {@link callInBroker} without a reply; calls of one thread run in the order sent.
 *
 * @example
 * ```ts
 * import { sendToBroker } from '@mp/context/spi';
 * sendToBroker(handle, 'storeOverflow', [bytes]); // fire and forget, in order
 * ```
 */
export function sendToBroker(handle: Handle<unknown>, method: string, args: unknown[]): void {
  if (!handle.local) return handle.send(method, args);
  registerRootObject(handle);
  brokerPortOf().postMessage({ t: 'call', rid: 0, id: handle.id, method, args: encode(args).bytes, token: callerToken() } satisfies CallMessage);
}

/**
 * True in the broker thread (where `callInBroker` targets and remote calls run). The broker must
 * never block: a method that waits must wait asynchronously there.
 *
 * @example
 * ```ts
 * import { inBroker } from '@mp/context/spi';
 * acquireSync(): boolean {
 *   if (inBroker()) throw new Error('acquireSync would block the broker: call acquire()');
 *   // ... Atomics.wait
 * }
 * ```
 */
export function inBroker(): boolean {
  return registry.brokerToken !== 0;
}

/** Finds the segment of `id` from a root isolate: local cache, then the broker (blocking). */
function lookupSegment(id: string): SharedArrayBuffer {
  const cached = registry.buffers.get(id)?.deref();
  if (cached) return cached;
  const fromBroker = registry.brokerLookup?.(id);
  if (fromBroker) return fromBroker;
  const rt = runtime();
  const root = rt.root;
  const link = root?.syncPort ? root : rt.kind === 'main' ? ensureBroker() : null;
  if (link === null || link.syncPort === null || link.syncFlag === null || link.brokerPort === null) {
    throw new ReferenceError(`the shared object ${id} cannot be reached from this thread (it was not started by multiprocess)`);
  }
  const before = Atomics.load(link.syncFlag, 0);
  link.brokerPort.postMessage({ t: 'lookup', id });
  const deadline = Date.now() + 15_000;
  while (Atomics.load(link.syncFlag, 0) === before) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(link.syncFlag, 0, before, left) === 'timed-out') break;
  }
  const reply = workerThreadsModule().receiveMessageOnPort(link.syncPort)?.message as { sab: SharedArrayBuffer } | null | undefined;
  if (!reply) throw new ReferenceError(`the shared object ${id} is unknown to the broker: it was closed, or belongs to another program`);
  registry.buffers.set(id, new WeakRef(reply.sab));
  return reply.sab;
}

interface HandleData {
  id: string;
  k: string;
  m: string;
  meta: unknown;
  s: number;
}

/**
 * Registers a class of shared objects: its instances serialize as handles and revive live in
 * any isolate. `handleOf` reads an instance's handle; `attach` builds an instance over a handle
 * (without creating a new object: see {@link withAttaching}).
 *
 * @example
 * ```ts
 * import { registerSharedClass, withAttaching } from '@mp/context/spi';
 * registerSharedClass(Counter, KIND, (c) => handles.get(c)!, (h) => withAttaching(h, () => new Counter()));
 * ```
 */
export function registerSharedClass<T extends object, M>(
  cls: abstract new (...args: never[]) => T,
  kind: SharedKind<M>,
  handleOf: (instance: T) => Handle<M>,
  attach: (handle: Handle<M>) => T,
): void {
  registry.classes.set(kind.kind, {
    kind: kind as SharedKind<unknown>,
    attach: attach as (handle: Handle<unknown>) => object,
  });
  registerReducer<T>(
    `mp:${kind.kind}`,
    (value) => value instanceof cls,
    (instance, ctx) => {
      const handle = handleOf(instance);
      let shared = -1;
      if (handle.local) {
        shared = ctx.share(handle.sab);
        if (shared < 0) registerRootObject(handle as LocalHandle<unknown>);
      }
      const data: HandleData = { id: handle.id, k: kind.kind, m: kind.module, meta: handle.meta, s: shared };
      return data;
    },
    (raw, ctx) => {
      const data = raw as HandleData;
      const rt = runtime();
      if (rt.root !== null || registry.brokerToken !== 0) {
        const sab = (data.s >= 0 ? ctx.shared(data.s) : undefined) ?? lookupSegment(data.id);
        return attach(localHandle(data.id, kind, sab, data.meta as M));
      }
      if (rt.brokerDir !== null) return attach(remoteHandle(data.id, kind, data.meta as M));
      throw new ReferenceError(`a ${kind.kind} arrived in a thread that multiprocess did not start and that cannot reach its owner`);
    },
    { module: kind.module },
  );
}

let attaching: Handle<unknown> | null = null;

/**
 * Builds `make()` (normally `new Cls(...)`) over an existing handle: inside, the constructor's
 * call to {@link takeAttaching} returns `handle` instead of null. This is how a revived or
 * broker-side instance gets its state without creating a new object.
 *
 * @example
 * ```ts
 * import { withAttaching } from '@mp/context/spi';
 * const attach = (h: Handle<{ start: number }>) => withAttaching(h, () => new Counter()); // no new segment
 * ```
 */
export function withAttaching<T>(handle: Handle<unknown>, make: () => T): T {
  const previous = attaching;
  attaching = handle;
  try {
    return make();
  } finally {
    attaching = previous;
  }
}

/**
 * In a constructor: the handle to attach to, or null to create a new object.
 *
 * @example
 * ```ts
 * import { createHandle, takeAttaching } from '@mp/context/spi';
 * constructor(start = 0) {
 *   handles.set(this, takeAttaching() ?? createHandle(KIND, { start }));
 * }
 * ```
 */
export function takeAttaching<M>(): Handle<M> | null {
  const handle = attaching;
  attaching = null;
  return handle as Handle<M> | null;
}
