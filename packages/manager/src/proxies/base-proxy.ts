/**
 * BaseProxy: the client-side stand-in for an object that lives in a manager's server (Python's
 * `multiprocessing.managers.BaseProxy`). Every method call is a message to the server; every
 * method is async.
 *
 * A proxy's state is kept on a symbol-keyed property rather than in `#private` fields, so that
 * subclasses may wrap an instance in a JavaScript Proxy (NamespaceProxy does) and methods still
 * find it through the wrapper.
 */
import { inspect } from 'node:util';
import { type Address, addressKey } from '../internal/address.js';
import { PROXY_ID } from '../internal/equality.js';
import { GETVALUE, REPR } from '../internal/protocol.js';

/** Where a proxy sends its calls: a connection to the server, or (inside the server) the server itself. */
export interface ProxyChannel {
  /** True when the object lives in this very isolate (a proxy revived inside its own server). */
  readonly local: boolean;
  call(oid: number, method: string, args: readonly unknown[], registry: ProxyRegistry | null): Promise<unknown>;
  send(oid: number, method: string, args: readonly unknown[]): void;
}

/** typeid → proxy class, from the manager class that made a proxy (for results that are new objects). */
export type ProxyRegistry = ReadonlyMap<string, { readonly proxytype: ProxyClass | null }>;

/**
 * The identity of a shared object (Python's `Token`): its type, its server's address, its id there.
 *
 * @example
 * ```ts
 * const { typeid, address, id }: Token = proxy._token;
 * ```
 */
export interface Token {
  /** The registered type of the object (`'list'`, `'dict'`, `'Counter'`...). */
  readonly typeid: string;
  /** The address of the manager's server that holds the object. */
  readonly address: Address;
  /** The object's id in that server. */
  readonly id: number;
}

/** @internal */
export interface ProxyState extends Token {
  readonly exposed: readonly string[] | null;
  readonly channel: ProxyChannel;
  readonly registry: ProxyRegistry | null;
  readonly authkey: Uint8Array | null;
  /** The class sent along when the proxy is serialized (null: rebuild an AutoProxy from `exposed`). */
  readonly wireType: ProxyClass | null;
  released: boolean;
  /** Drops this proxy's reference on the server now (set by whoever took the reference). */
  release: (() => void) | null;
}

/**
 * A proxy class: BaseProxy or a subclass, with optional Python-style statics.
 *
 * @example
 * ```ts
 * const cls: ProxyClass = class CounterProxy extends BaseProxy { static _exposed_ = ['increment']; };
 * ```
 */
export interface ProxyClass<P extends BaseProxy = BaseProxy> {
  new (init: ProxyInit): P;
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  readonly _exposed_?: readonly string[] | undefined;
  /** Methods whose results come back as proxies of the given typeids (Python's `_method_to_typeid_`). */
  readonly _methodToTypeid_?: Readonly<Record<string, string>> | undefined;
  /** For `instanceof`. */
  readonly prototype: P;
}

const kInit = Symbol('@mp/manager.proxyInit');
/**
 * What a manager hands a proxy class's constructor. Opaque: proxies are made by managers.
 *
 * @example
 * ```ts
 * class MyProxy extends BaseProxy {
 *   constructor(init: ProxyInit) { super(init); }
 * }
 * ```
 */
export interface ProxyInit {
  /** @internal */
  readonly [kInit]: ProxyState;
}

/** @internal */
export const kState: unique symbol = Symbol.for('@mp/manager.proxyState') as never;

/** @internal */
export function proxyInit(state: ProxyState): ProxyInit {
  return { [kInit]: state };
}

/** @internal The state of a proxy (undefined for anything else). */
export function stateOf(value: unknown): ProxyState | undefined {
  return (value as { [kState]?: ProxyState } | null)?.[kState];
}

function released(state: ProxyState): Error {
  return new ReferenceError(
    `this proxy of ${state.typeid} object ${state.id} was released (with [Symbol.dispose]()); ask the manager or another proxy for the object again`,
  );
}

/**
 * The base class of all proxies (Python's `BaseProxy`). Subclass it to give a registered type a
 * typed proxy: list the methods the server may run in `static _exposed_`, and call them with
 * `this._callMethod(name, args)`.
 *
 * Proxies can be passed to child processes (thread and spawn) as Process arguments, put in
 * queues, or stored inside other shared objects; they arrive live and keep the object alive on
 * the server. When no proxy of an object is left anywhere, the server frees it.
 *
 * @example
 * ```ts
 * import { BaseManager, BaseProxy } from 'multiprocess';
 *
 * class Counter { n = 0; increment() { return ++this.n; } }
 * class CounterProxy extends BaseProxy {
 *   static _exposed_ = ['increment'];
 *   increment(): Promise<number> { return this._callMethod('increment'); }
 * }
 * class MyManager extends BaseManager {}
 * MyManager.register('Counter', Counter, { proxytype: CounterProxy });
 *
 * await using manager = await new MyManager().start();
 * const counter = (await manager._create('Counter')) as CounterProxy;
 * console.log(await counter.increment()); // 1
 * ```
 */
export class BaseProxy {
  /** @internal */
  declare readonly [kState]: ProxyState;

  constructor(init: ProxyInit) {
    const state = (init as Partial<ProxyInit> | null | undefined)?.[kInit];
    if (state === undefined) {
      throw new TypeError('a proxy is made by a manager (await manager.list(), await manager.Foo(), ...) or arrives as an argument; it cannot be built with new');
    }
    Object.defineProperty(this, kState, { value: state, enumerable: false, configurable: true });
    Object.defineProperty(this, PROXY_ID, { value: `${addressKey(state.address)}#${state.id}`, enumerable: false, configurable: true });
  }

  /**
   * Calls `methodname(...args)` on the object in the server (Python's `_callmethod`). Rejects
   * with a RemoteError if the method is not exposed, and with the method's own error (its class
   * and name kept, also `instanceof RemoteError`) if it throws.
   *
   * @example
   * ```ts
   * const l = await manager.list([3, 1, 2]);
   * await l._callMethod('sort');
   * console.log(await l._callMethod('toArray')); // [ 1, 2, 3 ]
   * ```
   */
  _callMethod<R = unknown>(methodname: string, args: readonly unknown[] = []): Promise<R> {
    const state = this[kState];
    if (state.released) return Promise.reject(released(state));
    if (!Array.isArray(args)) return Promise.reject(new TypeError(`_callMethod(name, args): args must be an array, not ${typeof args}`));
    return state.channel.call(state.id, methodname, args, state.registry) as Promise<R>;
  }

  /**
   * A copy of the object itself (Python's `_getvalue()`): the array of a list, the Map of a
   * dict, the attributes of a namespace...
   *
   * @example
   * ```ts
   * const d = await manager.dict({ a: 1 });
   * console.log(await d._getValue()); // Map(1) { 'a' => 1 }
   * ```
   */
  _getValue<R = unknown>(): Promise<R> {
    return this._callMethod<R>(GETVALUE);
  }

  /**
   * The object's own text, as Python's `str(proxy)` (e.g. `[9, 8, 7]` for a list). Async:
   * the text comes from the server. (`toString()` is the proxy's repr.)
   *
   * @example
   * ```ts
   * const l = await manager.list([1, 2]);
   * console.log(await l.str()); // [1, 2]
   * ```
   */
  str(): Promise<string> {
    return this._callMethod<string>(REPR);
  }

  /**
   * Which object this proxy refers to (Python's `_token`): typeid, server address, id.
   *
   * @example
   * ```ts
   * console.log(l._token.typeid); // 'list'
   * ```
   */
  get _token(): Token {
    const { typeid, address, id } = this[kState];
    return { typeid, address, id };
  }

  /**
   * Python's repr of a proxy: `<ListProxy object, typeid 'list' at 0x1f>` (the hex number is the
   * object's id in its server). Synchronous; for the object's contents use `await proxy.str()`.
   *
   * @example
   * ```ts
   * console.log(String(l)); // <ListProxy object, typeid 'list' at 0x3>
   * ```
   */
  toString(): string {
    const state = this[kState];
    return `<${this.constructor.name} object, typeid '${state.typeid}' at 0x${state.id.toString(16)}>`;
  }

  /** Node's `util.inspect` (and so `console.log`) shows the Python repr of {@link BaseProxy.toString}. */
  [inspect.custom](): string {
    return this.toString();
  }

  /**
   * Drops this proxy's reference to the object now, instead of when it is garbage-collected
   * (`using l = await manager.list()`). Later calls through it reject.
   *
   * @example
   * ```ts
   * {
   *   using tmp = await manager.list([1, 2]);
   *   console.log(await tmp.len()); // 2
   * } // the server may free the list here
   * ```
   */
  [Symbol.dispose](): void {
    const state = this[kState];
    if (state.released) return;
    state.released = true;
    const release = state.release;
    state.release = null;
    release?.();
  }
}
