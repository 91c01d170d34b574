/**
 * Objects that are not plain data:
 *   ['C', name, props]                       instance of a registered class
 *   ['I', cls, props, baseKind, baseData]    instance of a class sent by value (or a library class);
 *                                            baseKind 'Map' | 'Set' | 'Array' | 'Date' | 0 for
 *                                            subclasses of those built-ins
 *   ['J', proto, props]                      object whose prototype is not a class's prototype
 *   ['O', nullProto, props]                  plain object with symbol keys
 * `props` is a flat [key, value, ...] list of own enumerable properties (symbol keys included).
 * Revived with Object.create(prototype) + props: the constructor is not run.
 */
import { types } from 'node:util';
import { builtinRef } from './builtins.js';
import { analysisOf } from './functions.js';
import { Failure } from './path.js';
import { registry } from './registry.js';
import { SerializationError } from '../errors.js';

const INDEX = /^(?:0|[1-9]\d*)$/;

export function ownProps(o: object, skipIndexes = false): unknown[] {
  const out: unknown[] = [];
  for (const k of Object.keys(o)) {
    if (skipIndexes && INDEX.test(k)) continue;
    out.push(k, (o as Record<string, unknown>)[k]);
  }
  for (const s of Object.getOwnPropertySymbols(o)) {
    if (Object.getOwnPropertyDescriptor(o, s)?.enumerable) out.push(s, (o as Record<symbol, unknown>)[s]);
  }
  return out;
}

export function hasEnumerableSymbols(o: object): boolean {
  const symbols = Object.getOwnPropertySymbols(o);
  for (let i = 0; i < symbols.length; i++) {
    if (Object.getOwnPropertyDescriptor(o, symbols[i]!)?.enumerable) return true;
  }
  return false;
}

/** A kind of object that cannot be sent: its name and the advice, or undefined. */
export function unsupportedKind(o: object): [kind: string, advice: string] | undefined {
  if (types.isPromise(o)) return ['a Promise', 'await it and send the result'];
  if (types.isWeakMap(o)) return ['a WeakMap', 'use a Map, or leave it out'];
  if (types.isWeakSet(o)) return ['a WeakSet', 'use a Set, or leave it out'];
  if (typeof WeakRef === 'function' && o instanceof WeakRef) return ['a WeakRef', 'send the object it refers to'];
  if (typeof FinalizationRegistry === 'function' && o instanceof FinalizationRegistry) return ['a FinalizationRegistry', 'leave it out'];
  if (types.isGeneratorObject(o)) return ['a generator object', 'send its values ([...gen]) or the generator function itself'];
  if (types.isMapIterator(o) || types.isSetIterator(o) || /Iterator\]$/.test(Object.prototype.toString.call(o))) {
    return ['an iterator', 'spread it into an array first'];
  }
  if (types.isModuleNamespaceObject(o)) return ['a module namespace object', "send its exports by reference with ref(url, 'name')"];
  if (types.isExternal(o)) return ['a native external value', 'leave it out'];
  if (types.isSymbolObject(o)) return ['a boxed Symbol', 'send the symbol itself'];
  return undefined;
}

function checkPrivate(o: object, cls: Function): void {
  for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (registry.namesByClass.has(c) || registry.libraryValues.has(c) || builtinRef(c)) return;
    const a = analysisOf(c);
    if (a.hasPrivate) {
      const name = c.name || '(anonymous)';
      throw new Failure(
        o,
        (path) =>
          `Cannot serialize ${path}: it is an instance of class \`${name}\`, which has #private members; they cannot be read from outside the class, so the instance cannot be rebuilt in the child. Use public fields, or registerReducer() for ${name} (reduce to plain data, revive with the constructor).`,
      );
    }
  }
}

export function instancePayload(o: object, proto: object): unknown[] {
  const ctor = Object.hasOwn(proto, 'constructor') ? (proto as { constructor: unknown }).constructor : undefined;
  if (typeof ctor !== 'function' || ctor.prototype !== proto) return ['J', proto, ownProps(o)];
  const registered = registry.namesByClass.get(ctor);
  if (registered !== undefined) return ['C', registered, ownProps(o)];
  if (!registry.libraryValues.has(ctor)) {
    if (builtinRef(ctor)) {
      throw new Failure(
        o,
        (path) =>
          `Cannot serialize ${path}: instances of the built-in class ${ctor.name} cannot be serialized (their state lives in native slots). Send the data it holds instead, or registerReducer() for ${ctor.name}.`,
      );
    }
    checkPrivate(o, ctor);
  }
  if (types.isMap(o)) {
    const entries: unknown[] = [];
    for (const [k, v] of o as Map<unknown, unknown>) entries.push(k, v);
    return ['I', ctor, ownProps(o), 'Map', entries];
  }
  if (types.isSet(o)) return ['I', ctor, ownProps(o), 'Set', [...(o as Set<unknown>)]];
  if (Array.isArray(o)) return ['I', ctor, ownProps(o, true), 'Array', Array.from(o)];
  if (types.isDate(o)) return ['I', ctor, ownProps(o), 'Date', (o as Date).getTime()];
  return ['I', ctor, ownProps(o), 0, 0];
}

const BASES: Record<string, new () => object> = { Map, Set, Array, Date };

function setProps(target: object, props: unknown[] | undefined): void {
  if (!props) return;
  for (let i = 0; i + 1 < props.length; i += 2) {
    const k = props[i] as string | symbol;
    const v = props[i + 1];
    if (k in target) Object.defineProperty(target, k, { value: v, writable: true, enumerable: true, configurable: true });
    else (target as Record<string | symbol, unknown>)[k] = v;
  }
}

function prototypeOf(cls: unknown): object | null {
  const proto = typeof cls === 'function' ? (cls as { prototype?: unknown }).prototype : cls;
  return proto !== null && (typeof proto === 'object' || typeof proto === 'function') ? proto : null;
}

export function createInstance(p: unknown[]): object {
  switch (p[0]) {
    case 'C': {
      const cls = registry.classesByName.get(p[1] as string);
      if (!cls) {
        throw new SerializationError(
          `Cannot deserialize an instance of class \`${String(p[1])}\`: no class is registered under that name in this process. Call registerClass(${String(p[1])}) here too (e.g. in the module that defines the class, so that importing it registers it), before loads().`,
        );
      }
      return Object.create(cls.prototype as object) as object;
    }
    case 'I': {
      const Base = typeof p[3] === 'string' ? BASES[p[3]] : undefined;
      if (Base && typeof p[1] === 'function') return Reflect.construct(Base, [], p[1]) as object;
      return Object.create(prototypeOf(p[1])) as object;
    }
    case 'J':
      return Object.create(prototypeOf(p[1])) as object;
    default: // 'O'
      return p[1] ? (Object.create(null) as object) : {};
  }
}

export function fillInstance(o: object, p: unknown[]): void {
  if (p[0] === 'I' || p[0] === 'J') {
    const proto = prototypeOf(p[1]);
    if (proto && Object.getPrototypeOf(o) !== proto) Object.setPrototypeOf(o, proto); // cycle through the class
  }
  setProps(o, p[2] as unknown[] | undefined);
  if (p[0] !== 'I' || !p[3]) return;
  const data = p[4];
  switch (p[3]) {
    case 'Map': {
      const m = o as Map<unknown, unknown>;
      m.clear();
      const e = (data ?? []) as unknown[];
      for (let i = 0; i + 1 < e.length; i += 2) m.set(e[i], e[i + 1]);
      break;
    }
    case 'Set': {
      const s = o as Set<unknown>;
      s.clear();
      for (const v of (data ?? []) as unknown[]) s.add(v);
      break;
    }
    case 'Array': {
      const a = o as unknown[];
      const src = (data ?? []) as unknown[];
      a.length = src.length;
      for (let i = 0; i < src.length; i++) if (i in src) a[i] = src[i];
      break;
    }
    case 'Date':
      (o as Date).setTime(data as number);
      break;
  }
}

