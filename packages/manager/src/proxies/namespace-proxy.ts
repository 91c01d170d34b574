import { registerBuiltinProxyType } from '../internal/factory.js';
import { ADAPTER } from '../internal/registry.js';
import { BaseProxy, type ProxyInit } from './base-proxy.js';

/**
 * Names that are never remote attributes: what JavaScript machinery probes on objects
 * (`then` makes a value thenable, `toJSON`, `constructor`, inspection hooks, test matchers).
 */
const LOCAL_NAMES = new Set(['then', 'catch', 'finally', 'toJSON', 'constructor', 'valueOf', 'asymmetricMatch', 'nodeType', 'tagName', 'inspect', 'prototype', 'length']);

function isRemoteName(name: string | symbol): name is string {
  return typeof name === 'string' && !LOCAL_NAMES.has(name) && !name.startsWith('_') && !name.startsWith('@') && !name.startsWith('$$');
}

/** A read of a namespace attribute that runs when awaited (`await ns.x`). */
class AttributeRead<T> implements PromiseLike<T> {
  readonly #proxy: NamespaceProxy;
  readonly #name: string;
  constructor(proxy: NamespaceProxy, name: string) {
    this.#proxy = proxy;
    this.#name = name;
  }
  then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.#proxy.get<T>(this.#name).then(onfulfilled, onrejected);
  }
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#proxy.get<T>(this.#name).catch(onrejected);
  }
}

/**
 * Proxy of a Namespace on a manager's server (Python's `NamespaceProxy`): named values shared
 * between processes.
 *
 * The explicit methods are `get(name)`, `set(name, value)`, `delete(name)`, `has(name)`,
 * `toObject()`. Property syntax works too, with JavaScript's limits:
 * - **reads** `await ns.x` (a property read returns a thenable that asks the server when
 *   awaited; a missing attribute rejects with an `AttributeError`);
 * - **writes** `ns.x = 1` and `delete ns.x` are sent at once and run on the server in order
 *   with this process's later calls (so `await ns.x` afterwards sees 1), but an assignment
 *   cannot be awaited: use `await ns.set('x', 1)` to know it is done (e.g. before another
 *   process reads it) or to catch its error;
 * - names starting with `_`, and names of the proxy's own methods (`get`, `set`, `str`...), are
 *   local properties: use `ns.get('get')` for such attributes.
 *
 * @example
 * ```ts
 * import { Manager } from 'multiprocess';
 *
 * await using manager = await Manager();
 * const ns = await manager.Namespace();
 * ns.name = 'Bob';
 * await ns.set('job', 'Builder');
 * console.log(await ns.name, await ns.get('job')); // Bob Builder
 * console.log(await ns.str()); // Namespace(job='Builder', name='Bob')
 * ```
 */
export class NamespaceProxy extends BaseProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = ['get', 'set', 'delete', 'has', 'toObject'];
  /** @internal The server-side adapter of this proxy type. */
  static readonly [ADAPTER] = 'namespace';
  [attribute: string]: unknown;

  constructor(init: ProxyInit) {
    super(init);
    // A constructor may return another object: the JavaScript Proxy that gives property syntax.
    return new Proxy(this, {
      get(target, name, receiver) {
        if (name in target || !isRemoteName(name)) return Reflect.get(target, name, receiver);
        return new AttributeRead(receiver as NamespaceProxy, name);
      },
      set(target, name, value, receiver) {
        if (name in target || !isRemoteName(name)) return Reflect.set(target, name, value, receiver);
        (receiver as NamespaceProxy)._callMethod('set', [name, value]).catch((error: unknown) => process.emitWarning(`namespace assignment of '${name}' failed: ${String(error)}`));
        return true;
      },
      deleteProperty(target, name) {
        if (name in target || !isRemoteName(name)) return Reflect.deleteProperty(target, name);
        target._callMethod('delete', [name]).catch((error: unknown) => process.emitWarning(`namespace deletion of '${name}' failed: ${String(error)}`));
        return true;
      },
    });
  }

  /** The value of attribute `name` (an AttributeError if it has none). */
  get<T = unknown>(name: string): Promise<T> {
    return this._callMethod('get', [name]);
  }
  /** Sets attribute `name`. */
  set(name: string, value: unknown): Promise<void> {
    return this._callMethod('set', [name, value]);
  }
  /** Deletes attribute `name` (an AttributeError if it has none). */
  delete(name: string): Promise<void> {
    return this._callMethod('delete', [name]);
  }
  /** Python's `hasattr(ns, name)`. */
  has(name: string): Promise<boolean> {
    return this._callMethod('has', [name]);
  }
  /** A copy of every attribute, as a plain object. */
  toObject(): Promise<Record<string, unknown>> {
    return this._callMethod('toObject');
  }
}

registerBuiltinProxyType('Namespace', NamespaceProxy);
