/**
 * Receiver side of functions and classes by source.
 *
 * Each (source, bound names) pair compiles once per isolate into a *factory*:
 *
 *   "use strict"; let a, b;
 *   return [ function (v) { a = v[0]; b = v[1]; }, () => (SOURCE) ];
 *
 * Calling the factory and then the thunk makes a fresh closure cheaply (no parse, no compile), so
 * sending the same lambda 10k times compiles it once. Variables are bound before the source is
 * evaluated (a class's `extends` clause and static blocks, e.g. esbuild's
 * `static { __name(this, "X") }`, run at that moment), and can be bound again afterwards: that is
 * what lets a function reach itself through its bindings (recursion via withScope). devalue may
 * revive it from inside that cycle first, with incomplete bindings, and the final call binds the
 * complete ones.
 * Strict mode is tried first (ES modules and classes are strict); sloppy code that cannot compile
 * strict falls back to sloppy.
 * Classes (and old-style constructors with prototype members) are also cached by identity, keyed by
 * factory + bound values, so instances from one or many payloads share one class.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SerializationError } from '../errors.js';
import { CLASS_LIKE } from './functions.js';
import { exportOf } from './library.js';
import { registry, remember, type Factory } from './registry.js';

function specifier(spec: unknown): string {
  const s = String(spec);
  if (s.startsWith('./') || s.startsWith('../')) return pathToFileURL(resolve(process.cwd(), s)).href;
  if (isAbsolute(s)) return pathToFileURL(s).href;
  return s;
}

const nameHelper = (fn: unknown, value: unknown): unknown =>
  Object.defineProperty(fn as object, 'name', { value, configurable: true });
const dynamicImport = (spec: unknown): Promise<unknown> => import(specifier(spec));
let cwdRequire: { cwd: string; require: NodeJS.Require } | undefined;

function helper(name: string): unknown {
  switch (name) {
    case '__name':
      return nameHelper;
    case '__vite_ssr_dynamic_import__':
      return dynamicImport;
    case 'require': {
      const cwd = process.cwd();
      if (cwdRequire?.cwd !== cwd) cwdRequire = { cwd, require: createRequire(join(cwd, 'index.js')) };
      return cwdRequire.require;
    }
    default:
      return undefined;
  }
}

function factory(expr: string, names: readonly string[]): Factory {
  const body = names.length
    ? `let ${names.join(', ')};\nreturn [function (__mp_v) { ${names.map((n, i) => `${n} = __mp_v[${i}];`).join(' ')} }, () => ${expr}];`
    : `return [undefined, () => ${expr}];`;
  const cached = registry.factories.get(body);
  if (cached) return cached;
  let made: Factory;
  try {
    made = new Function(`"use strict";\n${body}`) as Factory;
  } catch {
    try {
      made = new Function(body) as Factory;
    } catch (error) {
      throw new SerializationError(
        `Cannot deserialize a function: its source does not compile in this process (${(error as Error).message}). Both processes must run a Node version that supports its syntax.`,
        'value',
        { cause: error },
      );
    }
  }
  return remember(registry.factories, body, made);
}

/** The value a binding provides (undefined while its data is still being revived). */
function bindingValue(name: string, b: unknown): unknown {
  if (!Array.isArray(b)) return undefined;
  switch (b[0]) {
    case 's':
      return b[1];
    case 'l':
      return exportOf(b[1] as string, b[2] as string);
    case 'h':
      return helper(name);
    case 'v': {
      const obj: Record<string, unknown> = {};
      for (const m of (b[1] ?? []) as unknown[][]) {
        if (Array.isArray(m)) obj[m[0] as string] = bindingValue(m[0] as string, m.slice(1));
      }
      return obj;
    }
    default:
      return undefined;
  }
}

/** What decides class identity: the bound values, with import objects compared member by member. */
function identityKey(bindings: unknown[], values: unknown[]): unknown[] {
  const key: unknown[] = [];
  bindings.forEach((b, i) => {
    if (Array.isArray(b) && b[0] === 'v') key.push(...Object.entries(values[i] as object).flat());
    else key.push(values[i]);
  });
  return key;
}

const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** A revived function and how to (re)bind it. */
export interface Revived {
  readonly fn: Function;
  readonly bind: (values: unknown[]) => void;
  readonly entry?: { values: unknown[] };
}

/** Payload ['F', expr, name, flags, names, bindings, props, protoProps] → function (not yet bound). */
export function createFunction(p: unknown[]): Revived {
  const expr = p[1] as string;
  const names = p[4] as string[];
  const run = factory(expr, names);
  const bindings = (p[5] ?? []) as unknown[];
  const values = names.map((n, i) => bindingValue(n, bindings[i]));
  const make = (): { fn: Function; bind: (values: unknown[]) => void } => {
    const [binder, evaluate] = run();
    const bind = binder ?? (() => {});
    bind(values);
    return { fn: evaluate() as Function, bind };
  };
  if (((p[3] as number) & CLASS_LIKE) !== 0) {
    const code = `${expr}\0${names.join(',')}`;
    const key = identityKey(bindings, values);
    const entries = registry.classes.get(code) ?? remember(registry.classes, code, [], 2000);
    const hit = entries.find((e) => same(e.values, key));
    if (hit) return { fn: hit.cls as Function, bind: hit.bind, entry: hit };
    const made = make();
    const entry = { values: key, cls: made.fn, bind: made.bind };
    entries.push(entry);
    return { ...made, entry };
  }
  return make();
}

function setOwn(target: object, props: unknown): void {
  if (!Array.isArray(props)) return;
  for (let i = 0; i + 1 < props.length; i += 2) {
    Object.defineProperty(target, props[i] as string | symbol, { value: props[i + 1], writable: true, enumerable: true, configurable: true });
  }
}

/** Bind the free variables and restore name and own properties (idempotent: may run twice). */
export function fillFunction(r: Revived, p: unknown[]): void {
  const names = p[4] as string[];
  const bindings = (p[5] ?? []) as unknown[];
  const values = names.map((n, i) => bindingValue(n, bindings[i]));
  r.bind(values);
  if (r.entry) r.entry.values = identityKey(bindings, values);
  const name = p[2] as string;
  if (r.fn.name !== name) Object.defineProperty(r.fn, 'name', { value: name, configurable: true });
  setOwn(r.fn, p[6]);
  const proto = (r.fn as { prototype?: unknown }).prototype;
  if (proto && typeof proto === 'object') setOwn(proto, p[7]);
}
