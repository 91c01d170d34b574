/**
 * AutoProxy (Python's `AutoProxy`): a proxy class made at run time from the list of methods the
 * server exposes for a type, for types registered without a `proxytype`. Classes are cached per
 * (typeid, exposed).
 */
import { BaseProxy, type ProxyClass } from './base-proxy.js';

const cache = new Map<string, ProxyClass>();

/** Names that must stay BaseProxy's own (and `then`, which would make proxies thenable). */
const RESERVED = new Set(['then', 'constructor', 'toString', '_callMethod', '_getValue', '_token', 'str']);

/**
 * The proxy class for `typeid` objects exposing `exposed`: one async method per name, each
 * calling `_callMethod(name, args)`. Its name is Python's: `AutoProxy[Foo]`.
 *
 * @example
 * ```ts
 * const FooProxy = AutoProxy('Foo', ['f', 'g']);
 * ```
 */
export function AutoProxy(typeid: string, exposed: readonly string[]): ProxyClass {
  const key = `${typeid}\0${exposed.join('\0')}`;
  let cls = cache.get(key);
  if (cls !== undefined) return cls;
  const made = class extends BaseProxy {
    static readonly _exposed_ = [...exposed];
  };
  Object.defineProperty(made, 'name', { value: `AutoProxy[${typeid}]` });
  for (const name of exposed) {
    if (RESERVED.has(name)) continue;
    Object.defineProperty(made.prototype, name, {
      value: function (this: BaseProxy, ...args: unknown[]): Promise<unknown> {
        return this._callMethod(name, args);
      },
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  cls = made as ProxyClass;
  cache.set(key, cls);
  return cls;
}
