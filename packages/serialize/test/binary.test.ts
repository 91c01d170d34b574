import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { dumps, loads } from '@mp/serialize';
import { decode, encode } from '@mp/serialize/spi';
import { roundTrip } from './helpers.js';

const KINDS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

function filled<T extends ArrayBufferView>(Kind: new (n: number) => T, n: number): T {
  const a = new Kind(n) as unknown as { [i: number]: number | bigint; length: number };
  const big = Kind === (BigInt64Array as unknown) || Kind === (BigUint64Array as unknown);
  for (let i = 0; i < n; i++) a[i] = big ? BigInt(i * 3) : (i * 37) % 200;
  return a as unknown as T;
}

describe('binary data', () => {
  it.each(KINDS.map((K) => [K.name, K] as const))('round-trips a %s on both paths', (_, Kind) => {
    const a = filled(Kind as unknown as new (n: number) => ArrayBufferView, 33);
    for (const wrap of [(x: unknown) => x, (x: unknown) => ({ x, general: Symbol.for('g') })]) {
      const back = roundTrip(wrap(a)) as ArrayBufferView | { x: ArrayBufferView };
      const got = 'x' in back ? back.x : back;
      expect(got.constructor).toBe(Kind);
      expect(Array.from(got as unknown as ArrayLike<unknown>)).toEqual(Array.from(a as unknown as ArrayLike<unknown>));
    }
  });

  it('round-trips DataView and ArrayBuffer', () => {
    const buf = new ArrayBuffer(12);
    new DataView(buf).setFloat64(4, Math.PI);
    const back = roundTrip({ dv: new DataView(buf, 4, 8), ab: new ArrayBuffer(3) });
    expect(back.dv).toBeInstanceOf(DataView);
    expect(back.dv.byteOffset).toBe(4);
    expect(back.dv.byteLength).toBe(8);
    expect(back.dv.getFloat64(0)).toBe(Math.PI);
    expect(back.ab).toBeInstanceOf(ArrayBuffer);
    expect(back.ab.byteLength).toBe(3);
  });

  it('gives back a Buffer for a Buffer, with only its visible bytes', () => {
    const pooled = Buffer.from('hello'); // a slice of Node's shared 8 KiB pool
    const back = roundTrip({ b: pooled });
    expect(Buffer.isBuffer(back.b)).toBe(true);
    expect(back.b.toString()).toBe('hello');
    expect(back.b.buffer.byteLength).toBe(5);
    expect(Buffer.isBuffer(roundTrip(pooled))).toBe(true);
  });

  it('keeps views of one ArrayBuffer sharing one buffer, with their offsets', () => {
    const buf = new ArrayBuffer(32);
    const bytes = new Uint8Array(buf, 0, 8);
    const floats = new Float64Array(buf, 8, 2);
    const ints = new Int32Array(buf, 24);
    floats[1] = 2.5;
    const back = roundTrip({ bytes, floats, ints, buf });
    expect(back.floats.buffer).toBe(back.bytes.buffer);
    expect(back.ints.buffer).toBe(back.buf);
    expect(back.floats.byteOffset).toBe(8);
    expect(back.ints.byteOffset).toBe(24);
    expect(back.ints.length).toBe(2);
    expect(back.floats[1]).toBe(2.5);
    back.bytes[7] = 0xff; // writes through to the shared buffer
    expect(new Uint8Array(back.buf)[7]).toBe(0xff);
  });

  it('carries binary data as raw attachments, not as text', () => {
    const big = new Float64Array(1 << 16).map((_, i) => i + 0.5);
    const bytes = dumps({ big, fn: () => 1 });
    expect(bytes[0]).toBe(0xd2);
    expect(bytes.length).toBeLessThan(big.byteLength + 1024);
    const back = loads<{ big: Float64Array }>(bytes);
    expect(back.big[65535]).toBe(65535.5);
    expect(back.big.byteOffset % 8).toBe(0);
  });

  it('lays attachments out length-prefixed and 8-byte aligned after the JSON', () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Float64Array([4.5]);
    const bytes = dumps({ a, b, s: Symbol.for('general') });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(bytes[0]).toBe(0xd2);
    const json = view.getUint32(4, true);
    const modules = view.getUint32(8, true);
    const count = view.getUint32(12, true);
    expect(count).toBe(2);
    const table = (16 + modules + json + 7) & ~7;
    const lengths = [view.getFloat64(table, true), view.getFloat64(table + 8, true)];
    expect(lengths.sort()).toEqual([3, 8]);
    let pos = table + 16;
    const starts: number[] = [];
    for (let i = 0; i < count; i++) {
      starts.push(pos);
      pos = (pos + view.getFloat64(table + 8 * i, true) + 7) & ~7;
    }
    expect(starts.every((s) => s % 8 === 0)).toBe(true);
    expect(pos).toBe(bytes.length);
  });

  it('stores one attachment per ArrayBuffer even when many views use it', () => {
    const buf = new ArrayBuffer(1 << 16);
    const views = Array.from({ length: 20 }, (_, i) => new Uint8Array(buf, i * 16, 16));
    expect(dumps(views).length).toBeLessThan(buf.byteLength + 4096);
  });

  it('decodes into memory of its own: reusing the input bytes does not change the value', () => {
    for (const value of [new Float64Array([1, 2, 3]), { f: new Float64Array([1, 2, 3]), g: () => 0 }]) {
      const bytes = dumps(value);
      const back = loads<Float64Array | { f: Float64Array }>(bytes);
      bytes.fill(0);
      const got = back instanceof Float64Array ? back : back.f;
      expect(Array.from(got)).toEqual([1, 2, 3]);
      expect(got.buffer).not.toBe(bytes.buffer);
    }
  });

  it('copies a SharedArrayBuffer into a new SharedArrayBuffer without a sidecar', () => {
    const sab = new SharedArrayBuffer(16);
    const view = new Int32Array(sab);
    view[1] = 7;
    const back = roundTrip({ sab, view });
    expect(back.sab).toBeInstanceOf(SharedArrayBuffer);
    expect(back.sab).not.toBe(sab);
    expect(back.view.buffer).toBe(back.sab);
    expect(back.view[1]).toBe(7);
  });

  it('puts a SharedArrayBuffer in the sidecar when asked, and finds it there', () => {
    const sab = new SharedArrayBuffer(16);
    const { bytes, sidecar } = encode({ a: new Int32Array(sab), b: new Uint8Array(sab, 4), sab }, { sidecar: true });
    expect(sidecar.shared).toEqual([sab]);
    const back = decode<{ a: Int32Array; b: Uint8Array; sab: SharedArrayBuffer }>(bytes, sidecar);
    expect(back.sab).toBe(sab);
    expect(back.a.buffer).toBe(sab);
    expect(back.b.byteOffset).toBe(4);
    expect(() => decode(bytes)).toThrow(/sidecar/);
  });
});
