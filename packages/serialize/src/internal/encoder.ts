/**
 * The general path's walk: devalue's `stringify` with one reducer (`$`) that claims everything
 * devalue cannot do (or cannot do well) and returns a small tagged array, which devalue then
 * flattens recursively — so shared and cyclic references inside these payloads keep their
 * identity. Payload tags (first element):
 *
 *   'y' symbol            'B' ArrayBuffer        'H' SharedArrayBuffer  'V' typed array/DataView
 *   'N' Buffer            'X' RegExp+lastIndex   'F' function by source 'K' registered class
 *   'L' module export     'G' global path        'P' ref()              'C' 'I' 'J' 'O' objects
 *   'E' error             'U' registered reducer 'T' transferred object (sidecar)
 *
 * Binary data never goes into the JSON: 'B'/'N'/'H' hold the index of an attachment (see frame.ts).
 * A view holds its ArrayBuffer *object*, so views of one buffer share one attachment (devalue's
 * identity map dedupes it) and keep their offsets.
 */
import { Buffer } from 'node:buffer';
import { types } from 'node:util';
// The global MessagePort is node:worker_threads' own: no need to load that module to test for one.
const MessagePort = globalThis.MessagePort;
import { DevalueError, stringify } from 'devalue';
import { SerializationError } from '../errors.js';
import { builtinRef } from './builtins.js';
import { errorPayload } from './error-codec.js';
import { functionPayload } from './functions.js';
import { hasEnumerableSymbols, instancePayload, ownProps, unsupportedKind } from './instance-codec.js';
import { Failure, findPath } from './path.js';
import { refInfo } from './ref-info.js';
import { registry, type ReducerEntry } from './registry.js';
import { writeGeneral } from './frame.js';
import type { ReduceContext, Sidecar } from '../types.js';

export const WELL_KNOWN = new Map<symbol, string>(
  Object.getOwnPropertyNames(Symbol)
    .filter((k) => typeof (Symbol as unknown as Record<string, unknown>)[k] === 'symbol')
    .map((k) => [(Symbol as unknown as Record<string, symbol>)[k]!, k]),
);

const OBJECT_PROTO = Object.prototype;
const DEVALUE_PROTOS = new Set<object | null>([
  Array.prototype, Map.prototype, Set.prototype, Date.prototype, Number.prototype, String.prototype,
  Boolean.prototype, BigInt.prototype, URL.prototype, URLSearchParams.prototype,
]);
const VIEW_KINDS = new Map<object, string>(
  [
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
  ].map((c) => [c.prototype, c.name]),
);

function viewKind(v: ArrayBufferView): string {
  for (let p = Object.getPrototypeOf(v) as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    const kind = VIEW_KINDS.get(p);
    if (kind) return kind;
  }
  return 'Uint8Array';
}

export class Encoder {
  readonly attachments: Uint8Array[] = [];
  readonly modules = new Set<string>();
  readonly extraEdges = new Map<object, [string, unknown][]>();
  private readonly sharedIndex = new Map<SharedArrayBuffer, number>();
  private readonly transferIndex = new Map<object, number>();

  constructor(
    readonly value: unknown,
    readonly root: string,
    readonly sidecar: Sidecar | undefined,
    private readonly canShare = true,
    private readonly canTransfer = true,
  ) {}

  run(): Uint8Array {
    let json: string;
    try {
      json = stringify(this.value, { $: this.reduce });
    } catch (error) {
      throw this.convert(error);
    }
    return writeGeneral(json, [...this.modules], this.attachments);
  }

  pathTo(thing: unknown): string {
    return findPath(this.value, this.root, thing, this.extraEdges);
  }

  private convert(error: unknown): unknown {
    if (error instanceof Failure) {
      const path = this.pathTo(error.culprit);
      return new SerializationError(error.describe(path), path, error.variable === undefined ? {} : { variable: error.variable });
    }
    if (error instanceof DevalueError) {
      const culprit = (error as DevalueError & { value?: unknown }).value;
      const path = this.pathTo(culprit);
      return new SerializationError(`Cannot serialize ${path}: ${error.message}.`, path, { cause: error });
    }
    return error;
  }

  share(sab: SharedArrayBuffer): number {
    if (!this.sidecar || !this.canShare) return -1;
    let i = this.sharedIndex.get(sab);
    if (i === undefined) this.sharedIndex.set(sab, (i = this.sidecar.shared.push(sab) - 1));
    return i;
  }

  transfer(obj: object): number {
    if (!this.sidecar || !this.canTransfer) return -1;
    let i = this.transferIndex.get(obj);
    if (i === undefined) this.transferIndex.set(obj, (i = this.sidecar.transfer.push(obj) - 1));
    return i;
  }

  private attach(bytes: Uint8Array): number {
    return this.attachments.push(bytes) - 1;
  }

  /** The devalue reducer: a payload array for what we handle, undefined for what devalue does. */
  readonly reduce = (thing: unknown): unknown[] | undefined => {
    const t = typeof thing;
    if (t === 'object') return thing === null ? undefined : this.reduceObject(thing as object);
    if (t === 'function') return this.reduceFunction(thing as Function);
    if (t === 'symbol') return this.reduceSymbol(thing as symbol);
    return undefined;
  };

  private userReduce(r: ReducerEntry, v: object): unknown[] {
    if (r.module !== undefined) this.modules.add(r.module);
    const enc = this;
    const ctx: ReduceContext = {
      get path() {
        return enc.pathTo(v);
      },
      share: (sab) => enc.share(sab),
      transfer: (obj) => enc.transfer(obj),
    };
    const data = (r.reduce as (v: unknown, ctx: ReduceContext) => unknown)(v, ctx);
    if ((typeof data === 'object' && data !== null) || typeof data === 'function') {
      this.extraEdges.set(v, [[`.<${r.name} data>`, data]]);
    }
    return ['U', r.name, data];
  }

  private reduceObject(o: object): unknown[] | undefined {
    const reducers = registry.reducers;
    for (let i = 0; i < reducers.length; i++) if (reducers[i]!.test(o)) return this.userReduce(reducers[i]!, o);
    const lib = registry.libraryValues.get(o);
    if (lib) {
      this.modules.add(lib.url);
      return ['L', lib.url, lib.name];
    }
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === OBJECT_PROTO || proto === null) {
      return hasEnumerableSymbols(o) ? ['O', proto === null ? 1 : 0, ownProps(o)] : undefined;
    }
    if (DEVALUE_PROTOS.has(proto)) return undefined;
    if (proto === RegExp.prototype) {
      const re = o as RegExp;
      return re.lastIndex === 0 ? undefined : ['X', re.source, re.flags, re.lastIndex];
    }
    if (ArrayBuffer.isView(o)) {
      if (Buffer.isBuffer(o)) return ['N', this.attach(new Uint8Array(o.buffer, o.byteOffset, o.byteLength))];
      const kind = viewKind(o);
      const length = kind === 'DataView' ? o.byteLength : (o as Uint8Array).length;
      return ['V', kind, o.buffer, o.byteOffset, length];
    }
    if (types.isArrayBuffer(o)) return ['B', this.attach(new Uint8Array(o))];
    if (types.isSharedArrayBuffer(o)) {
      const i = this.share(o);
      return i >= 0 ? ['H', 0, i] : ['H', 1, this.attach(new Uint8Array(o))];
    }
    if (o instanceof Error || types.isNativeError(o)) return errorPayload(o as Error);
    const unsupported = unsupportedKind(o);
    if (unsupported) {
      const [kind, advice] = unsupported;
      throw new Failure(o, (path) => `Cannot serialize ${path}: it is ${kind}, which cannot be sent to another process; ${advice}.`);
    }
    if (o instanceof MessagePort) {
      const i = this.transfer(o);
      if (i < 0) {
        throw new Failure(o, (path) => `Cannot serialize ${path}: a MessagePort can only be transferred with postMessage; encode with { sidecar: true } and pass sidecar.transfer as the transfer list.`);
      }
      return ['T', i];
    }
    return instancePayload(o, proto);
  }

  private reduceFunction(fn: Function): unknown[] {
    const reducers = registry.reducers;
    for (let i = 0; i < reducers.length; i++) if (reducers[i]!.test(fn)) return this.userReduce(reducers[i]!, fn);
    const r = refInfo(fn);
    if (r) {
      this.modules.add(r.moduleUrl);
      return ['P', r.moduleUrl, r.exportName];
    }
    const registered = registry.namesByClass.get(fn);
    if (registered !== undefined) return ['K', registered];
    const lib = registry.libraryValues.get(fn);
    if (lib) {
      this.modules.add(lib.url);
      return ['L', lib.url, lib.name];
    }
    const builtin = builtinRef(fn);
    if (builtin) return 'global' in builtin ? ['G', builtin.global] : ['L', builtin.url, builtin.name];
    return functionPayload(fn, this.modules);
  }

  private reduceSymbol(s: symbol): unknown[] {
    const key = Symbol.keyFor(s);
    if (key !== undefined) return ['y', 0, key];
    const known = WELL_KNOWN.get(s);
    if (known) return ['y', 1, known];
    const desc = s.description ?? '';
    throw new Failure(
      s,
      (path) =>
        `Cannot serialize ${path}: ${s.toString()} is a unique Symbol, which has no identity in another process. Use a registered symbol, Symbol.for(${JSON.stringify(desc)}), instead.`,
    );
  }
}
