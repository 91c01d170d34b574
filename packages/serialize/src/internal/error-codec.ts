/**
 * Errors: `['E', cls, baseName, message, stack, hasCause, cause, errors, props]`.
 *
 * `cls` is the error's class when the receiver can have it (a user class by source, a registered
 * class, a library export), else null and the nearest built-in (`baseName`) is used, with `name`
 * kept as an own property: an error must always be sendable, even when its class (e.g. one of
 * Node's internal error classes) is not. The receiver builds a real Error object
 * (`Reflect.construct(Base, [message], cls)`, so it prints and `instanceof`s as one) without
 * running `cls`'s constructor, then restores stack, cause, AggregateError's errors and own props.
 */
import { analysisOf, bindingsOf } from './functions.js';
import { Failure } from './path.js';
import { registry } from './registry.js';

const BUILTINS: Record<string, new (...args: never[]) => Error> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError,
};
const BUILTIN_BY_PROTO = new Map<object, string>(Object.entries(BUILTINS).map(([k, c]) => [c.prototype, k]));
const BUILTIN_CLASSES = new Set<unknown>(Object.values(BUILTINS));

function nearestBuiltin(err: object): string {
  for (let p = Object.getPrototypeOf(err) as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    const name = BUILTIN_BY_PROTO.get(p);
    if (name) return name;
    if (typeof DOMException === 'function' && p === DOMException.prototype) return 'DOMException';
  }
  return 'Error';
}

/** Can this error class (and its by-source bases) be sent? Never throws. */
function sendable(cls: Function): boolean {
  try {
    for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      if (BUILTIN_CLASSES.has(c) || registry.namesByClass.has(c) || registry.libraryValues.has(c)) return true;
      bindingsOf(c, analysisOf(c), new Set());
    }
    return true;
  } catch (error) {
    if (error instanceof Failure) return false;
    throw error;
  }
}

function ownValue(obj: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d && 'value' in d ? d.value : undefined;
}

export function errorPayload(err: Error): unknown[] {
  const baseName = nearestBuiltin(err);
  const proto = Object.getPrototypeOf(err) as { constructor?: unknown } | null;
  const ctor = proto && Object.hasOwn(proto, 'constructor') ? proto.constructor : undefined;
  let cls: Function | null = null;
  if (typeof ctor === 'function' && ctor.prototype === proto && !BUILTIN_CLASSES.has(ctor) && baseName !== 'DOMException') {
    if (sendable(ctor)) cls = ctor;
  }
  const props: unknown[] = [];
  for (const k of Object.keys(err)) props.push(k, (err as unknown as Record<string, unknown>)[k]);
  if (!cls && !Object.hasOwn(err, 'name') && err.name !== (BUILTINS[baseName]?.prototype.name ?? 'Error')) {
    props.push('name', err.name);
  }
  const hasCause = Object.hasOwn(err, 'cause');
  const errors = baseName === 'AggregateError' || Object.hasOwn(err, 'errors') ? ownValue(err, 'errors') : undefined;
  return ['E', cls, baseName, ownValue(err, 'message'), ownValue(err, 'stack'), hasCause ? 1 : 0, hasCause ? ownValue(err, 'cause') : undefined, errors, props];
}

function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable, configurable: true });
}

export function createError(p: unknown[]): Error {
  const [, cls, baseName, message] = p as [string, unknown, string, string | undefined];
  if (baseName === 'DOMException' && typeof DOMException === 'function') {
    const props = p[8] as unknown[] | undefined;
    const i = props ? props.indexOf('name') : -1;
    return new DOMException(message, i >= 0 && props ? String(props[i + 1]) : 'Error');
  }
  const Base = BUILTINS[baseName] ?? Error;
  const args = Base === AggregateError ? [[], message] : [message];
  const target = typeof cls === 'function' && cls.prototype instanceof Base ? cls : Base;
  return Reflect.construct(Base, args, target) as Error;
}

export function fillError(err: Error, p: unknown[]): void {
  const [, , , , stack, hasCause, cause, errors, props] = p as [string, unknown, string, unknown, unknown, number, unknown, unknown, unknown[] | undefined];
  if (typeof stack === 'string') define(err, 'stack', stack, false);
  if (hasCause) define(err, 'cause', cause, false);
  if (errors !== undefined) define(err, 'errors', errors, false);
  if (props) for (let i = 0; i + 1 < props.length; i += 2) define(err, String(props[i]), props[i + 1], true);
}
