/**
 * The fast path: values made only of structured-clone-safe data are written with V8's own
 * ValueSerializer (`v8.serialize`'s engine), which is several times faster than any JS walk that
 * builds JSON (see the README for the measurements).
 *
 * `isCloneSafe` is the quick walk that decides it. It accepts primitives (not symbols), plain
 * objects (prototype `Object.prototype`, no symbol keys), arrays, Map, Set, Date, RegExp with
 * `lastIndex` 0, ArrayBuffers and typed arrays/DataViews that each cover a whole ArrayBuffer of
 * their own (V8 copies a view's visible bytes only, so shared or partial buffers go the general
 * way, which keeps them shared and keeps offsets). Anything else — functions, class instances,
 * errors, symbols, Buffers, SharedArrayBuffers, null-prototype objects, values a registered
 * reducer claims — sends the whole value down the general path.
 */
import { Buffer } from 'node:buffer';
import * as v8 from 'node:v8';
import { registry } from './registry.js';
import { TAG_FAST } from './frame.js';

const OBJECT_PROTO = Object.prototype;
const resizable = (b: ArrayBufferLike): boolean => (b as { resizable?: boolean }).resizable === true;
const ARRAY_PROTO = Array.prototype;
const TYPED_PROTOS = new Set<object>(
  [
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
  ].map((c) => c.prototype),
);

export function isCloneSafe(root: unknown): boolean {
  const t = typeof root;
  if (t !== 'object') return t !== 'symbol' && t !== 'function';
  if (root === null) return true;
  const reducers = registry.reducers;
  const nReducers = reducers.length;
  const seen = new Set<object>();
  const buffers = new Set<ArrayBufferLike>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    const type = typeof v;
    if (type !== 'object') {
      if (type === 'symbol' || type === 'function') return false;
      continue;
    }
    if (v === null) continue;
    const o = v as object;
    if (seen.has(o)) continue;
    seen.add(o);
    for (let i = 0; i < nReducers; i++) if (reducers[i]!.test(o)) return false;
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === OBJECT_PROTO) {
      const rec = o as Record<string, unknown>;
      for (const k in rec) stack.push(rec[k]);
      if (Object.getOwnPropertySymbols(o).length > 0) return false;
    } else if (proto === ARRAY_PROTO) {
      const a = o as unknown[];
      for (let i = 0, n = a.length; i < n; i++) stack.push(a[i]);
    } else if (proto === Map.prototype) {
      for (const [k, x] of o as Map<unknown, unknown>) stack.push(k, x);
    } else if (proto === Set.prototype) {
      for (const x of o as Set<unknown>) stack.push(x);
    } else if (proto === Date.prototype) {
      // nothing inside
    } else if (proto === RegExp.prototype) {
      if ((o as RegExp).lastIndex !== 0) return false;
    } else if (proto === ArrayBuffer.prototype) {
      if (buffers.has(o as ArrayBuffer) || resizable(o as ArrayBuffer)) return false;
      buffers.add(o as ArrayBuffer);
    } else if (proto !== null && TYPED_PROTOS.has(proto)) {
      const view = o as ArrayBufferView;
      const buf = view.buffer;
      if (!(buf instanceof ArrayBuffer) || resizable(buf) || buffers.has(buf)) return false;
      if (view.byteOffset !== 0 || view.byteLength !== buf.byteLength) return false;
      buffers.add(buf);
    } else {
      return false;
    }
  }
  return true;
}

/** The v8 type indexes of Node's DefaultSerializer (lib/v8.js); 10 is Buffer. */
const VIEW_TYPES: (new (buffer: ArrayBuffer) => ArrayBufferView)[] = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, DataView, Uint8Array, BigInt64Array, BigUint64Array,
];

/**
 * Node's DefaultDeserializer returns typed arrays that are views *into the input bytes*; the input
 * may be a reused frame or ring buffer, so each one is copied into its own ArrayBuffer.
 */
class CopyingDeserializer extends v8.DefaultDeserializer {
  _readHostObject(): ArrayBufferView {
    const typeIndex = this.readUint32();
    const byteLength = this.readUint32();
    const src = this.readRawBytes(byteLength);
    const Ctor = VIEW_TYPES[typeIndex];
    if (!Ctor) throw new Error(`unknown host object type ${typeIndex}`);
    const copy = new ArrayBuffer(byteLength);
    new Uint8Array(copy).set(src);
    return typeIndex === 10 ? Buffer.from(copy) : new Ctor(copy);
  }
}

const TAG = new Uint8Array([TAG_FAST]);

export function writeFast(value: unknown): Uint8Array {
  const ser = new v8.DefaultSerializer();
  ser.writeRawBytes(TAG);
  ser.writeHeader();
  ser.writeValue(value);
  const out = ser.releaseBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export function readFast(bytes: Uint8Array): unknown {
  const des = new CopyingDeserializer(bytes.subarray(1));
  des.readHeader();
  return des.readValue();
}
