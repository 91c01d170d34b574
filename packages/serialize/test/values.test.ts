import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { dumps, loads, SerializationError } from '@mp/serialize';
import { encode } from '@mp/serialize/spi';
import { roundTrip, sameGraph } from './helpers.js';

const FAST = 0xd1;
const GENERAL = 0xd2;

describe('plain values', () => {
  it('round-trips every JSON value', () => {
    const json = { s: 'héllo ✓ \u2028 "q" <tag>', n: 1.5, i: -7, t: true, f: false, z: null, a: [1, 'two', [3]], o: { nested: { deep: [] } } };
    expect(roundTrip(json)).toEqual(json);
    for (const v of ['', 0, 'x', null, true, [], {}]) expect(roundTrip(v)).toEqual(v);
  });

  it('round-trips undefined, NaN, ±Infinity and -0, at top level and nested', () => {
    for (const v of [undefined, NaN, Infinity, -Infinity, -0]) {
      expect(Object.is(roundTrip(v), v)).toBe(true);
      expect(Object.is(roundTrip([v])[0], v)).toBe(true);
      expect(Object.is(roundTrip({ v, sym: Symbol.for('force general path') }).v, v)).toBe(true);
    }
    expect(Object.hasOwn(roundTrip({ u: undefined }), 'u')).toBe(true);
  });

  it('round-trips bigints, dates (also invalid ones) and regexps with flags and lastIndex', () => {
    const re = /a(b)?c/dgimsuy;
    re.lastIndex = 3;
    const value = { big: 2n ** 100n, neg: -5n, d: new Date(1_700_000_000_123), bad: new Date(NaN), re, plain: /x/i };
    const back = roundTrip(value);
    expect(back.big).toBe(2n ** 100n);
    expect(back.neg).toBe(-5n);
    expect(back.d.getTime()).toBe(1_700_000_000_123);
    expect(Number.isNaN(back.bad.getTime())).toBe(true);
    expect(back.re.source).toBe(re.source);
    expect(back.re.flags).toBe(re.flags);
    expect(back.re.lastIndex).toBe(3);
    expect(back.plain.flags).toBe('i');
  });

  it('round-trips Map and Set, with object keys that keep their identity', () => {
    const key = { k: 1 };
    const value = { m: new Map<unknown, unknown>([[key, 'v'], ['s', key], [1, new Set([key, 2])]]), s: new Set([key]) };
    const back = roundTrip(value);
    const [bk] = [...back.m.keys()] as [{ k: number }];
    expect(bk).toEqual({ k: 1 });
    expect(back.m.get('s')).toBe(bk);
    expect([...back.s][0]).toBe(bk);
    expect((back.m.get(1) as Set<unknown>).has(bk)).toBe(true);
  });

  it('round-trips sparse arrays, keeping holes and length', () => {
    const sparse: unknown[] = [1, , 3];
    sparse[10] = 'end';
    const verySparse: unknown[] = [];
    verySparse[1_000_000] = 1;
    const back = roundTrip({ sparse, verySparse, s: Symbol.for('general') });
    expect(back.sparse.length).toBe(11);
    expect(1 in back.sparse).toBe(false);
    expect(back.sparse[10]).toBe('end');
    expect(back.verySparse.length).toBe(1_000_001);
    expect(Object.keys(back.verySparse)).toEqual(['1000000']);
    expect(roundTrip(sparse).length).toBe(11);
  });

  it('round-trips null-prototype objects', () => {
    const o = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, nested: Object.create(null) });
    const back = roundTrip(o);
    expect(Object.getPrototypeOf(back)).toBe(null);
    expect(Object.getPrototypeOf(back.nested)).toBe(null);
    expect(back.a).toBe(1);
  });

  it('round-trips boxed primitives, URL and URLSearchParams', () => {
    const back = roundTrip({ n: Object(1), s: Object('x'), u: new URL('https://a.example/p?q=1'), p: new URLSearchParams('a=1&b=2') });
    expect(back.n).toBeInstanceOf(Number);
    expect(back.s.valueOf()).toBe('x');
    expect(back.u.href).toBe('https://a.example/p?q=1');
    expect(back.p.get('b')).toBe('2');
  });

  it('keeps shared and cyclic references on the fast path and on the general path', () => {
    const shared = { id: 1 };
    const cyclic: Record<string, unknown> = { a: shared, b: shared, list: [shared] };
    cyclic['self'] = cyclic;
    (cyclic['list'] as unknown[]).push(cyclic);
    for (const extra of [undefined, Symbol.for('general path')]) {
      const back = roundTrip({ ...cyclic, extra, root: cyclic });
      const root = back.root as typeof cyclic;
      expect(root['a']).toBe(root['b']);
      expect(root['self']).toBe(root);
      expect((root['list'] as unknown[])[0]).toBe(root['a']);
      expect((root['list'] as unknown[])[1]).toBe(root);
      expect(sameGraph(back, { ...cyclic, extra, root: cyclic })).toBe(true);
    }
  });

  it('uses the v8 fast path only for structured-clone-safe data', () => {
    expect(dumps({ a: [1, 'x', new Map([[1, new Set([2])]])], d: new Date(0), f: new Float64Array(4) })[0]).toBe(FAST);
    for (const v of [{ f() {} }, { s: Symbol.for('x') }, { e: new Error('x') }, { b: Buffer.from('x') }, Object.create(null), new (class A {})(), { sab: new SharedArrayBuffer(8) }]) {
      expect(dumps(v)[0]).toBe(GENERAL);
    }
  });

  it('round-trips Symbol.for symbols and well-known symbols', () => {
    const back = roundTrip({ k: Symbol.for('app.key'), it: Symbol.iterator, ai: Symbol.asyncIterator, [Symbol.for('as.key')]: 1 });
    expect(back.k).toBe(Symbol.for('app.key'));
    expect(back.it).toBe(Symbol.iterator);
    expect(back.ai).toBe(Symbol.asyncIterator);
    expect(back[Symbol.for('as.key')]).toBe(1);
  });

  it('refuses a unique symbol, naming the path and suggesting Symbol.for', () => {
    const err = catchError(() => encode({ meta: { tag: Symbol('secret') } }, { root: 'args' }));
    expect(err).toBeInstanceOf(SerializationError);
    expect(err.path).toBe('args.meta.tag');
    expect(err.message).toContain('unique Symbol');
    expect(err.message).toContain('Symbol.for("secret")');
  });

  it.each([
    ['WeakMap', () => new WeakMap(), 'a WeakMap'],
    ['WeakSet', () => new WeakSet(), 'a WeakSet'],
    ['Promise', () => Promise.resolve(1), 'a Promise'],
    ['generator object', () => (function* g() {})(), 'a generator object'],
    ['iterator', () => new Map().keys(), 'an iterator'],
    ['WeakRef', () => new WeakRef({}), 'a WeakRef'],
  ])('refuses a %s, naming the kind and the path', (_, make, kind) => {
    const err = catchError(() => dumps({ items: [1, new Map([['k', make()]])] }));
    expect(err).toBeInstanceOf(SerializationError);
    expect(err.path).toBe('value.items[1].<Map value>');
    expect(err.message).toContain(kind);
  });

  it('accepts any bytes view: offset views, Buffers, ArrayBuffers, other views', () => {
    for (const value of [{ a: 1 }, { f: () => 1, b: Buffer.from('zz') }]) {
      const bytes = dumps(value);
      const padded = new Uint8Array(bytes.length + 5);
      padded.set(bytes, 3);
      const view = padded.subarray(3, 3 + bytes.length);
      expect(view.byteOffset).toBe(3);
      for (const input of [view, Buffer.from(view), bytes.buffer as ArrayBuffer, new DataView(bytes.buffer)]) {
        const back = loads<Record<string, unknown>>(input);
        expect(Object.keys(back)).toEqual(Object.keys(value));
      }
    }
  });

  it('rejects bytes it did not make with a SerializationError', () => {
    for (const bad of [new Uint8Array(0), new Uint8Array([1, 2, 3]), new Uint8Array([0xd2, 0, 0, 0, 99, 0, 0, 0]), new Uint8Array([0xd1, 255])]) {
      expect(() => loads(bad)).toThrow(SerializationError);
    }
  });

  it('returns standalone bytes that do not alias a pool', () => {
    const bytes = dumps({ small: 1, f: () => 2 });
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
  });

  it('round-trips a mixed graph of everything above', () => {
    const shared = new Map<string, unknown>([['x', 1n]]);
    const value: Record<string, unknown> = {
      shared, again: shared, date: new Date(5), re: /r/g, set: new Set([shared, -0, NaN]),
      nested: { arr: [undefined, null, Infinity, [shared]], sym: Symbol.for('s') }, bytes: new Uint16Array([1, 2]),
    };
    value['cycle'] = value;
    const back = roundTrip(value);
    expect(sameGraph(back, value)).toBe(true);
    expect(back['again']).toBe(back['shared']);
  });
});

function catchError(fn: () => unknown): SerializationError {
  try {
    fn();
  } catch (e) {
    return e as SerializationError;
  }
  throw new Error('expected an error');
}
