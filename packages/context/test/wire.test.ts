import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, FrameCutter, frameMessage, isJsonExact } from '../src/internal/broker/wire.js';

const values: unknown[] = [
  0, -0, 1.5, -7, 2 ** 53, NaN, Infinity, -Infinity, undefined, null, true, false, 10n,
  '', 'plain', 'é\u{1F600}\uD800 "quoted" \\ \n\u0000', [1, , 3], Object.assign([1, 2], { extra: true }),
  [1, [2, [3, [4, [5, [6]]]]]], [1, 'two', [false, null]], { a: 1 }, [{ a: 1 }], new Date(0), [undefined],
];

describe('broker messages', () => {
  it('take the compact form only for values JSON gives back exactly', () => {
    expect(isJsonExact([7, 'call', '1.2', 'mp:acquire', [false, null]])).toBe(true);
    expect(isJsonExact([7, true, [1, 0]])).toBe(true);
    for (const bad of [-0, NaN, Infinity, undefined, 10n, [1, , 3], Object.assign([1], { x: 1 }), { a: 1 }, [undefined], new Date(0)]) {
      expect(isJsonExact(bad)).toBe(false);
    }
  });

  it('come back exactly as sent, compact or not, from a payload or a frame', () => {
    for (const value of values) {
      const message = [3, true, value];
      expect(isDeepStrictEqual(decodeMessage(encodeMessage(message)), message)).toBe(true);
      const frame = frameMessage(message);
      expect(frame.readUInt32BE(0)).toBe(frame.byteLength - 4);
      expect(isDeepStrictEqual(decodeMessage(frame.subarray(4), true), message)).toBe(true);
    }
  });

  it('are cut from reads of any size into a reused buffer, empty frames included', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let trial = 0; trial < 500; trial++) {
      const frames = Array.from({ length: 1 + random(8) }, () => Buffer.from(Array.from({ length: random(3) === 0 ? 0 : random(60) }, () => random(256))));
      const stream = Buffer.concat(frames.flatMap((f) => [Buffer.from([0, 0, 0, f.byteLength]), f]));
      const cutter = new FrameCutter();
      const got: Buffer[] = [];
      const reused = Buffer.alloc(16);
      for (let pos = 0; pos < stream.byteLength; ) {
        const n = Math.min(1 + random(16), stream.byteLength - pos);
        stream.copy(reused, 0, pos, pos + n);
        reused.fill(0xee, n);
        cutter.push(reused, n, (payload) => got.push(Buffer.from(payload)));
        pos += n;
      }
      expect(got).toEqual(frames);
    }
  });
});
