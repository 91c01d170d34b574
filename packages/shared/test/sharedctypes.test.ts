// Python's _TestSharedCTypes (test_sharedctypes, test_synchronize, test_copy), on both start
// methods: a struct-like object of several Values, an array and a string, doubled by a child.
import { afterAll, describe, expect, it } from 'vitest';
import { SharedArray, Value } from '@mp/shared';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
import { run } from './run.js';

interface Shared {
  x: { value: number };
  y: { value: number };
  z: { value: bigint };
  foo: { x: { value: number }; y: { value: number } };
  arr: { length: number; get(i: number): number; set(i: number, v: number): void };
  string: { value: Buffer };
}

function double(s: Shared): void {
  s.x.value *= 2;
  s.y.value *= 2;
  s.z.value *= 2n;
  s.foo.x.value *= 2;
  s.foo.y.value *= 2;
  s.string.value = Buffer.concat([s.string.value, s.string.value]);
  for (let i = 0; i < s.arr.length; i++) s.arr.set(i, s.arr.get(i) * 2);
}

describe.each(METHODS)('shared ctypes in a %s child', (method) => {
  for (const lock of [false, true]) {
    it(`${lock ? 'test_synchronize' : 'test_sharedctypes'}: a child doubles every value (lock: ${lock})`, async () => {
      const shared: Shared = {
        x: new Value('i', 7, { lock }),
        y: new Value('d', 1 / 3, { lock }),
        z: new Value('q', 2n ** 33n, { lock }),
        // Python's _Foo structure (x: c_int, y: c_double): a struct of shared values.
        foo: { x: new Value('i', 3, { lock }), y: new Value('d', 2, { lock }) },
        arr: new SharedArray('d', Array.from({ length: 10 }, (_, i) => i), { lock }),
        string: new SharedArray('c', 20, { lock }),
      };
      shared.string.value = Buffer.from('hello');
      const code = await run(method, double, [shared]);
      expect(code).toBe(0);
      expect(shared.x.value).toBe(14);
      expect(shared.y.value).toBeCloseTo(2 / 3);
      expect(shared.z.value).toBe(2n ** 34n);
      expect(shared.foo.x.value).toBe(6);
      expect(shared.foo.y.value).toBe(4);
      for (let i = 0; i < 10; i++) expect(shared.arr.get(i)).toBeCloseTo(i * 2);
      expect(shared.string.value).toEqual(Buffer.from('hellohello'));
    });
  }
});

describe('copies', () => {
  it('test_copy: a copy of shared contents does not follow the original', () => {
    const foo = { x: new Value('i', 2), y: new Value('d', 5), z: new Value('q', 2n ** 33n) };
    const bar = { x: new Value('i', foo.x.value), y: new Value('d', foo.y.value), z: new Value('q', foo.z.value) };
    foo.x.value = 0;
    foo.y.value = 0;
    foo.z.value = 0n;
    expect(bar.x.value).toBe(2);
    expect(bar.y.value).toBeCloseTo(5);
    expect(bar.z.value).toBe(2n ** 33n);

    const arr = new SharedArray('i', [1, 2, 3]);
    const copy = new SharedArray('i', arr); // a SharedArray is an iterable initializer
    arr.set(0, 100);
    expect(copy.toArray()).toEqual([1, 2, 3]);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
