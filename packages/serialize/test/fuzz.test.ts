// Random nested graphs (seeded, reproducible) round-trip equal, with the same sharing and cycles.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { dumps, loads } from '@mp/serialize';
import { sameGraph } from './helpers.js';

/** mulberry32: a small seeded PRNG, so a failure can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(seed: number, general: boolean): unknown {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const made: object[] = [];
  const primitives = [0, -0, 1.5, -7, NaN, Infinity, -Infinity, 2 ** 53, 'x', '', 'ünï©ødé ✓', '\u2028<', true, false, null, undefined, 12345678901234567890n];
  const leaf = (): unknown => {
    const k = r();
    if (k < 0.6 || !general) return pick(primitives);
    if (k < 0.7) return Symbol.for(`s${Math.floor(r() * 3)}`);
    if (k < 0.8) return Buffer.from([Math.floor(r() * 255)]);
    if (k < 0.9) return new Error(`e${Math.floor(r() * 9)}`);
    return Object.assign(Object.create(null) as object, { n: r() });
  };
  const node = (depth: number): unknown => {
    if (made.length > 0 && r() < 0.15) return pick(made); // shared or cyclic reference
    if (depth <= 0 || r() < 0.3) return leaf();
    const kind = Math.floor(r() * 8);
    let v: object;
    switch (kind) {
      case 0: {
        const arr: unknown[] = [];
        made.push(arr);
        const n = Math.floor(r() * 5);
        for (let i = 0; i < n; i++) arr.push(node(depth - 1));
        if (r() < 0.2) arr[n + 3] = node(depth - 1); // sparse
        return arr;
      }
      case 1: {
        const m = new Map<unknown, unknown>();
        made.push(m);
        for (let i = Math.floor(r() * 4); i > 0; i--) m.set(r() < 0.5 ? `k${i}` : node(depth - 1), node(depth - 1));
        return m;
      }
      case 2: {
        const s = new Set<unknown>();
        made.push(s);
        for (let i = Math.floor(r() * 4); i > 0; i--) s.add(node(depth - 1));
        return s;
      }
      case 3:
        v = new Date(Math.floor(r() * 1e12));
        break;
      case 4:
        v = new RegExp(`a${Math.floor(r() * 9)}`, pick(['', 'g', 'iu']));
        break;
      case 5:
        v = pick([new Float64Array([r(), -0, NaN]), new Int16Array([-3, 4]), new BigInt64Array([-1n]), new Uint8ClampedArray([300 as number])]);
        break;
      default: {
        const o: Record<string, unknown> = {};
        made.push(o);
        for (let i = Math.floor(r() * 5); i > 0; i--) o[pick(['a', 'b', 'c d', '0', 'ключ', 'constructor'])] = node(depth - 1);
        return o;
      }
    }
    made.push(v);
    return v;
  };
  return { root: node(5), extra: made.length ? pick(made) : null };
}

describe('fuzz', () => {
  it('uses a checker that notices lost sharing, lost cycles and changed values', () => {
    const shared = { a: 1 };
    expect(sameGraph({ x: shared, y: shared }, { x: { a: 1 }, y: { a: 1 } })).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(sameGraph(cyclic, { self: {} })).toBe(false);
    expect(sameGraph([0], [-0])).toBe(false);
    expect(sameGraph(new Map([[1, 2]]), new Map([[1, 3]]))).toBe(false);
    expect(sameGraph({ x: shared, y: shared }, structuredClone({ x: shared, y: shared }))).toBe(true);
  });

  it.each([false, true])('random graphs round-trip with their sharing and cycles (general-only kinds: %s)', (general) => {
    for (let seed = 1; seed <= 300; seed++) {
      const value = generate(seed, general);
      const bytes = dumps(value);
      if (!general) expect(bytes[0], `seed ${seed}`).toBe(0xd1);
      const back = loads(bytes);
      expect(sameGraph(value, back), `seed ${seed} (general=${general})`).toBe(true);
      expect(sameGraph(back, loads(dumps(back))), `seed ${seed} twice`).toBe(true);
    }
  });
});
