/**
 * Functions and classes that exist in every Node isolate without being sent: the globals
 * (`parseInt`, `Map`), their static and prototype methods (`Math.max`, `Array.prototype.map`,
 * `Object.keys`), and the exports of common `node:` modules (`EventEmitter`, `path.join`). They are
 * serialized by reference (a global path, or a `node:` module and export name) instead of by
 * source, which they mostly do not have.
 */
import { createRequire } from 'node:module';
import { createContext, runInContext } from 'node:vm';
import type { ExportRef } from './registry.js';

export type BuiltinRef = { readonly global: string } | ExportRef;

const NODE_MODULES = [
  'events', 'stream', 'buffer', 'util', 'url', 'path', 'os', 'fs', 'fs/promises', 'timers',
  'timers/promises', 'worker_threads', 'child_process', 'net', 'crypto', 'zlib', 'string_decoder',
  'perf_hooks', 'async_hooks', 'assert', 'readline',
];

let index: Map<unknown, BuiltinRef> | undefined;
const indexedModules = new Set<string>();
let loadListLength = -1;

function ownValues(obj: object): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const k of Object.getOwnPropertyNames(obj)) {
    const d = Object.getOwnPropertyDescriptor(obj, k);
    if (d && 'value' in d) out.push([k, d.value]);
  }
  return out;
}

/** Globals that Node defines in every isolate (beyond ECMAScript's, which a fresh context lists). */
const NODE_GLOBALS = [
  'process', 'Buffer', 'console', 'global', 'performance', 'navigator', 'crypto', 'URL', 'URLSearchParams',
  'AbortController', 'AbortSignal', 'EventTarget', 'Event', 'CustomEvent', 'TextEncoder', 'TextDecoder',
  'MessageChannel', 'MessagePort', 'MessageEvent', 'BroadcastChannel', 'Blob', 'File', 'DOMException',
  'structuredClone', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval',
  'clearImmediate', 'queueMicrotask', 'atob', 'btoa', 'fetch', 'Headers', 'Request', 'Response', 'FormData',
  'WebSocket', 'Crypto', 'CryptoKey', 'SubtleCrypto', 'ReadableStream', 'WritableStream', 'TransformStream',
  'CompressionStream', 'DecompressionStream', 'TextEncoderStream', 'TextDecoderStream', 'Performance',
  'PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure', 'PerformanceObserver', 'Navigator',
];

/**
 * Only built-in globals are sent by reference: a global that the program itself defined
 * (`globalThis.helper = ...`) does not exist in a fresh child, so it is sent by source.
 */
function builtinGlobalNames(): Set<string> {
  const names = new Set<string>(NODE_GLOBALS);
  try {
    for (const n of runInContext('Object.getOwnPropertyNames(globalThis)', createContext()) as string[]) names.add(n);
  } catch {
    // no vm: fall back to the list above
  }
  return names;
}

function build(): Map<unknown, BuiltinRef> {
  const map = new Map<unknown, BuiltinRef>();
  const add = (v: unknown, ref: BuiltinRef) => {
    if (typeof v === 'function' && !map.has(v)) map.set(v, ref);
  };
  const globals: [string, unknown][] = [];
  for (const k of builtinGlobalNames()) {
    try {
      // read through accessors too: Node defines `process`, `Buffer`, `crypto`... as getters
      if (k in globalThis) globals.push([k, (globalThis as Record<string, unknown>)[k]]);
    } catch {
      // a throwing getter: not indexed
    }
  }
  for (const [k, v] of globals) add(v, { global: k });
  for (const [k, v] of globals) {
    if ((typeof v !== 'function' && typeof v !== 'object') || v === null || v === globalThis) continue;
    for (const [m, f] of ownValues(v)) add(f, { global: `${k}.${m}` });
    const proto = (v as { prototype?: unknown }).prototype;
    if (typeof v === 'function' && proto && typeof proto === 'object') {
      for (const [m, f] of ownValues(proto)) if (m !== 'constructor') add(f, { global: `${k}.prototype.${m}` });
    }
  }
  return map;
}

/** Internal modules loaded so far (a function of a module that was never loaded cannot be in a value). */
function loadList(): readonly string[] | undefined {
  return (process as unknown as { moduleLoadList?: string[] }).moduleLoadList;
}

const nodeRequire = createRequire(import.meta.url);

function addModules(map: Map<unknown, BuiltinRef>): void {
  const add = (v: unknown, ref: BuiltinRef) => {
    if (typeof v === 'function' && !map.has(v)) map.set(v, ref);
  };
  const list = loadList();
  loadListLength = list?.length ?? 0;
  const loaded = list ? new Set(list) : undefined;
  for (const mod of NODE_MODULES) {
    if (indexedModules.has(mod)) continue;
    if (loaded && !loaded.has(`NativeModule ${mod}`)) continue;
    indexedModules.add(mod);
    let ns: unknown;
    try {
      ns = nodeRequire(`node:${mod}`);
    } catch {
      continue;
    }
    if (typeof ns === 'function') add(ns, { url: `node:${mod}`, name: 'default' });
    if (ns && (typeof ns === 'object' || typeof ns === 'function')) {
      for (const [k, v] of ownValues(ns)) if (k !== 'default') add(v, { url: `node:${mod}`, name: k });
    }
  }
}

/** The builtin reference of a function, if it is one. */
export function builtinRef(fn: Function): BuiltinRef | undefined {
  if (!index) {
    index = build();
    addModules(index);
  }
  const found = index.get(fn);
  if (found || (loadList()?.length ?? 0) === loadListLength) return found;
  addModules(index); // more built-in modules were loaded since the index was built
  return index.get(fn);
}

/** Look up a global path such as `Math.max` or `Array.prototype.map` in this isolate. */
export function resolveGlobal(path: string): unknown {
  let v: unknown = globalThis;
  for (const part of path.split('.')) {
    if (v === null || v === undefined) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}
