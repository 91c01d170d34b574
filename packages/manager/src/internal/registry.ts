/**
 * Type registries: what `BaseManager.register(typeid, callable, options)` records, per manager
 * class, and the part of it a server needs (`TypeSpec`: how to make the object and what may be
 * called on it; the proxy class stays with the client).
 */
import type { ProxyClass } from '../proxies/base-proxy.js';
import type { AdapterKind } from './referents/index.js';

/**
 * A callable that makes a shared object: a function, or a class (constructed with `new`).
 *
 * @example
 * ```ts
 * const make: Callable = (start: number) => ({ value: start });
 * MyManager.register('Box', make);
 * ```
 */
export type Callable = ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown);

/**
 * A built-in type of the server, by name (plain data, so it crosses to the server process):
 * how `SyncManager` registers `list`, `dict`, `Queue`... A user type registers a {@link Callable}.
 *
 * @example
 * ```ts
 * const list: BuiltinCallable = { builtin: 'list' };
 * ```
 */
export interface BuiltinCallable {
  /** The name of the built-in type. */
  readonly builtin: string;
}

/** What the server knows of a typeid. */
export interface TypeSpec {
  readonly callable: Callable | BuiltinCallable | null;
  readonly exposed: readonly string[] | null;
  readonly methodToTypeid: Readonly<Record<string, string>> | null;
  readonly adapter: AdapterKind | null;
}

/** One registration (Python's registry tuple `(callable, exposed, method_to_typeid, proxytype)`). */
export interface TypeEntry extends TypeSpec {
  readonly typeid: string;
  /** null: an AutoProxy made from the exposed methods the server reports. */
  readonly proxytype: ProxyClass | null;
  readonly createMethod: boolean;
}

export type Registry = Map<string, TypeEntry>;

/** Symbol-keyed static of the built-in proxy classes: which adapter their referent needs. */
export const ADAPTER: unique symbol = Symbol.for('@mp/manager.adapter') as never;

export function isBuiltin(callable: TypeSpec['callable']): callable is BuiltinCallable {
  return typeof callable === 'object' && callable !== null && typeof (callable as BuiltinCallable).builtin === 'string';
}

/** The server's part of a registry. */
export function specsOf(registry: Registry): Map<string, TypeSpec> {
  const specs = new Map<string, TypeSpec>();
  for (const [typeid, entry] of registry) {
    specs.set(typeid, { callable: entry.callable, exposed: entry.exposed, methodToTypeid: entry.methodToTypeid, adapter: entry.adapter });
  }
  return specs;
}

/** Python's `public_methods(obj)`: names of callable attributes not starting with `_`. */
export function publicMethods(obj: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = obj; p !== null && p !== Object.prototype && p !== Function.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name === 'constructor' || name.startsWith('_') || names.has(name)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(p, name);
      if (descriptor !== undefined && typeof descriptor.value === 'function') names.add(name);
    }
  }
  return [...names].sort();
}

/** True for a class (its source starts with `class`): such callables are built with `new`. */
export function isClass(fn: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/** Calls a registered callable (with `new` for a class). */
export function invokeCallable(callable: Callable, args: readonly unknown[]): unknown {
  if (isClass(callable)) return new (callable as new (...a: unknown[]) => unknown)(...args);
  return (callable as (...a: unknown[]) => unknown)(...args);
}
