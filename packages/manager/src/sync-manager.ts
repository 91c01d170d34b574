import type { BaseContext } from '@mp/context';
import { defineContextMethods } from '@mp/context/spi';
import { BaseManager, type BaseManagerOptions } from './base-manager.js';
import { BaseProxy, type ProxyClass } from './proxies/base-proxy.js';
import { type DictInit, DictProxy } from './proxies/dict-proxy.js';
import { IteratorProxy } from './proxies/iterator-proxy.js';
import { ListProxy } from './proxies/list-proxy.js';
import { NamespaceProxy } from './proxies/namespace-proxy.js';
import { QueueProxy } from './proxies/queue-proxy.js';
import { AcquirerProxy, BarrierProxy, ConditionProxy, EventProxy, SemaphoreProxy } from './proxies/sync-proxies.js';
import { ArrayProxy, ValueProxy } from './proxies/value-proxy.js';

/**
 * The manager of `Manager()` (Python's `SyncManager`): a server holding lists, dicts,
 * namespaces, queues, locks and the other primitives, shared by every process that has a proxy.
 * Each factory is async and resolves a proxy.
 *
 * @example
 * ```ts
 * import { SyncManager } from 'multiprocess';
 *
 * const manager = await new SyncManager().start();
 * const d = await manager.dict({ a: 1 });
 * const q = await manager.Queue<number>(10);
 * await q.put(await d.get('a') as number);
 * await manager.shutdown();
 * ```
 */
export class SyncManager extends BaseManager {
  /** A shared dict (a Map on the server): from a Map, an array of pairs, an object, or a copy of another dict of this manager. */
  dict<K = unknown, V = unknown>(init?: DictInit<K, V> | DictProxy<K, V> | null): Promise<DictProxy<K, V>> {
    return this._create('dict', init ?? null);
  }
  /** A shared list: from any iterable, or a copy of another list (or Array) of this manager. */
  list<T = unknown>(init?: Iterable<T> | ListProxy<T> | null): Promise<ListProxy<T>> {
    if (init === undefined || init === null) return this._create('list', null);
    return this._create('list', Array.isArray(init) || init instanceof BaseProxy ? init : Array.from(init as Iterable<T>));
  }
  /** A shared Namespace (optionally with initial attributes). */
  Namespace(init?: Record<string, unknown> | null): Promise<NamespaceProxy> {
    return this._create('Namespace', init ?? null);
  }
  /** A queue on the server (`maxsize` 0 = unbounded). */
  Queue<T = unknown>(maxsize = 0): Promise<QueueProxy<T>> {
    return this._create('Queue', maxsize);
  }
  /** A queue with `taskDone()`/`join()` (the same type as `Queue` on the server, as in Python). */
  JoinableQueue<T = unknown>(maxsize = 0): Promise<QueueProxy<T>> {
    return this._create('JoinableQueue', maxsize);
  }
  /** A Lock on the server (released by the process that holds it). */
  Lock(): Promise<AcquirerProxy> {
    return this._create('Lock');
  }
  /** A reentrant lock on the server: the process that holds it may acquire it again. */
  RLock(): Promise<AcquirerProxy> {
    return this._create('RLock');
  }
  /** A Semaphore on the server, starting at `value`. */
  Semaphore(value = 1): Promise<SemaphoreProxy> {
    return this._create('Semaphore', value);
  }
  /** A BoundedSemaphore on the server: releasing above `value` is an error. */
  BoundedSemaphore(value = 1): Promise<SemaphoreProxy> {
    return this._create('BoundedSemaphore', value);
  }
  /** A Condition over a new RLock, or over `lock` (a Lock or RLock of this manager). */
  Condition(lock?: AcquirerProxy | null): Promise<ConditionProxy> {
    return this._create('Condition', lock ?? null);
  }
  /** An Event on the server, initially clear. */
  Event(): Promise<EventProxy> {
    return this._create('Event');
  }
  /** A Barrier for `parties`; `action` (by source) runs on the server when a round completes; `timeout` in ms is the default for `wait()`. */
  Barrier(parties: number, action?: (() => unknown) | null, timeout?: number | null): Promise<BarrierProxy> {
    return this._create('Barrier', parties, action ?? null, timeout ?? null);
  }
  /** A shared value (any serializable value; `typecode` is kept for Python's sake, not checked). */
  Value<T = unknown>(typecode: string, value: T, _lock = true): Promise<ValueProxy<T>> {
    return this._create('Value', typecode, value);
  }
  /** A shared typed array (Python's `array` typecodes: `b B h H i I l L q Q f d`). */
  Array<T extends number | bigint = number>(typecode: string, sequence: Iterable<NoInfer<T>> | number, _lock = true): Promise<ArrayProxy<T>> {
    return this._create('Array', typecode, typeof sequence === 'number' ? sequence : Array.from(sequence));
  }
}

const BUILTIN_TYPES: Array<[string, ProxyClass]> = [
  ['Queue', QueueProxy],
  ['JoinableQueue', QueueProxy],
  ['Event', EventProxy],
  ['Lock', AcquirerProxy],
  ['RLock', AcquirerProxy],
  ['Semaphore', SemaphoreProxy],
  ['BoundedSemaphore', SemaphoreProxy],
  ['Condition', ConditionProxy],
  ['Barrier', BarrierProxy],
  ['list', ListProxy],
  ['dict', DictProxy],
  ['Value', ValueProxy],
  ['Array', ArrayProxy],
  ['Namespace', NamespaceProxy],
];
for (const [typeid, proxytype] of BUILTIN_TYPES) SyncManager.register(typeid, { builtin: typeid }, { proxytype, createMethod: false });
SyncManager.register('Iterator', null, { proxytype: IteratorProxy, createMethod: false });

/**
 * Starts a manager and resolves it (Python's `multiprocess.Manager()`): a `SyncManager` whose
 * server runs in a new process of the default start method (a `thread` child, unless
 * `setStartMethod('spawn')`; or `{ ctx: 'spawn' }` for a separate Node process). Shut it down
 * with `shutdown()` or `await using`; it also stops when this process exits.
 *
 * @example
 * ```ts
 * import { Manager } from 'multiprocess';
 *
 * await using manager = await Manager();
 * const l = await manager.list(Array.from({ length: 10 }, (_, i) => i));
 * await l.reverse();
 * console.log(await l.str()); // [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
 * console.log(String(l));     // <ListProxy object, typeid 'list' at 0x1>
 * ```
 */
export function Manager(options?: BaseManagerOptions): Promise<SyncManager> {
  return new SyncManager(options).start();
}

defineContextMethods({
  Manager(this: BaseContext, options?: BaseManagerOptions) {
    return new SyncManager({ ...options, ctx: options?.ctx ?? this }).start();
  },
});

declare module '@mp/context' {
  interface BaseContext {
    /**
     * A started {@link SyncManager} (Python's `ctx.Manager()`). The server's start method is
     * this context's (for the default context, the default start method).
     *
     * @example
     * ```ts
     * await using manager = await getContext('spawn').Manager();
     * ```
     */
    Manager(options?: BaseManagerOptions): Promise<SyncManager>;
  }
}
