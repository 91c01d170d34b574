// Python's _TestArray (test_array, test_array_from_size, test_rawarray, test_getobj_getlock_obj),
// on both start methods, plus the 'c' arrays' .value/.raw and the bulk operations.
import { afterAll, describe, expect, it } from 'vitest';
import { Array as MpArray, RawArray, RawSharedArray, SharedArray, SharedMemoryUnavailableError } from '@mp/shared';
import { Lock, RLock } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
import { run } from './run.js';

const SEQ = [680, 626, 934, 821, 150, 233, 548, 982, 714, 831];

/** Python's f: a running sum, in place (works on a SharedArray). */
function runningSum(seq: number[]): number[] {
  const out = [...seq];
  for (let i = 1; i < out.length; i++) out[i]! += out[i - 1]!;
  return out;
}

describe.each(METHODS)('SharedArray and RawArray in a %s child', (method) => {
  it('test_array: length, get, slice, setAll, then a running sum in the child', async () => {
    const seq = [...SEQ];
    const arr = new SharedArray('i', seq);
    expect(arr.length).toBe(seq.length);
    expect(arr.get(3)).toBe(seq[3]);
    expect(arr.slice(2, 7)).toEqual(seq.slice(2, 7));
    arr.setAll([1, 2, 3, 4], 4);
    seq.splice(4, 4, 1, 2, 3, 4);
    expect(arr.slice()).toEqual(seq);
    const code = await run(
      method,
      (a: SharedArray<'i'>) => {
        for (let i = 1; i < a.length; i++) a.set(i, a.get(i) + a.get(i - 1));
      },
      [arr],
    );
    expect(code).toBe(0);
    expect(arr.toArray()).toEqual(runningSum(seq));
  });

  it('test_array_from_size: zero-filled, then filled by the child in one setAll', async () => {
    const size = 10;
    for (const code of ['i', 'd', 'q', 'c'] as const) {
      const arr = new SharedArray(code, size);
      expect(arr.length).toBe(size);
      expect(arr.toArray()).toEqual(Array.from({ length: size }, () => (code === 'q' ? 0n : 0)));
    }
    const arr = new SharedArray('i', size);
    const exit = await run(
      method,
      (a: SharedArray<'i'>) => {
        a.setAll(Array.from({ length: a.length }, (_, i) => i * i));
      },
      [arr],
    );
    expect(exit).toBe(0);
    expect([...arr]).toEqual(Array.from({ length: size }, (_, i) => i * i));
  });

  it('test_rawarray: a RawArray is the same memory in a thread child, a live stand-in in a spawn child', async () => {
    const seq = [...SEQ];
    const arr = RawArray('i', seq);
    expect(arr).toBeInstanceOf(Int32Array);
    expect(arr.length).toBe(seq.length);
    expect(arr[3]).toBe(seq[3]);
    expect(Array.from(arr.subarray(2, 7))).toEqual(seq.slice(2, 7));
    arr.set([1, 2, 3, 4], 4);
    seq.splice(4, 4, 1, 2, 3, 4);
    const code = await run(
      method,
      (a: Int32Array) => {
        for (let i = 1; i < a.length; i++) a[i] = a[i]! + a[i - 1]!;
      },
      [arr],
    );
    expect(code).toBe(0);
    expect(Array.from(arr)).toEqual(runningSum(seq));
  });

  it('a RawArray view keeps its type, offset and length in the child', async () => {
    const whole = RawArray('d', 8);
    const part = whole.subarray(2, 5);
    const code = await run(
      method,
      (p: Float64Array, m: string) => {
        if (p.length !== 3) throw new Error(`length ${p.length}`);
        if (m === 'thread' && (!(p instanceof Float64Array) || p.byteOffset !== 16)) throw new Error('not the same view');
        p[0] = 1.5;
        p[2] = 2.5;
      },
      [part, method],
    );
    expect(code).toBe(0);
    expect(Array.from(whole)).toEqual([0, 0, 1.5, 0, 2.5, 0, 0, 0]);
  });

  it('RawArray() and getObj() in a spawned process throw an error that names the thread method', async () => {
    const arr = new SharedArray('i', 4);
    const code = await run(
      method,
      (a: SharedArray<'i'>, m: string) => {
        if (m === 'thread') {
          const view = RawArray('i', 3);
          view[0] = 1;
          a.getObj()[0] = 7;
          return;
        }
        for (const attempt of [() => RawArray('i', 3), () => a.getObj()]) {
          try {
            attempt();
          } catch (e) {
            if (e instanceof SharedMemoryUnavailableError && /'thread'/.test(e.message)) continue;
            throw e;
          }
          throw new Error('did not throw');
        }
        a.set(0, 7);
      },
      [arr, method],
    );
    expect(code).toBe(0);
    expect(arr.get(0)).toBe(7);
  });

  it("'c' arrays: .value and .raw cross both ways, and slice() gives bytes", async () => {
    const s = new SharedArray('c', 10);
    s.value = Buffer.from('hello');
    const code = await run(
      method,
      (str: SharedArray<'c'>) => {
        if (str.value.toString() !== 'hello') throw new Error(`child saw ${str.value.toString()}`);
        str.value = Buffer.concat([str.value, Buffer.from('!!')]);
        if (str.raw.length !== 10) throw new Error('raw is not all bytes');
      },
      [s],
    );
    expect(code).toBe(0);
    expect(s.value).toEqual(Buffer.from('hello!!'));
    expect(s.slice(0, 5)).toEqual(Buffer.from('hello'));
    expect(s.raw).toEqual(Buffer.from('hello!!\0\0\0'));
  });

  it('bulk slice/setAll move whole ranges (100k doubles) both ways', async () => {
    const n = 100_000;
    const arr = new SharedArray('d', n);
    const code = await run(
      method,
      (a: SharedArray<'d'>) => {
        a.setAll(Float64Array.from({ length: a.length }, (_, i) => i / 2));
        const back = a.slice(a.length - 3);
        if (back.join() !== [49998.5, 49999, 49999.5].join()) throw new Error(`slice gave ${back.join()}`);
      },
      [arr],
    );
    expect(code).toBe(0);
    expect(arr.get(n - 1)).toBe((n - 1) / 2);
    expect(arr.toArray().reduce((x, y) => x + y, 0)).toBe(((n - 1) * n) / 4);
  });
});

describe('SharedArray: locks, objects and reprs (test_getobj_getlock_obj)', () => {
  it('synchronized arrays have a lock and an object; a given lock is used as is', () => {
    const arr1 = new SharedArray('i', Array.from({ length: 10 }, (_, i) => i));
    expect(arr1.getLock()).toBeInstanceOf(RLock);
    expect(arr1.getObj()).toBeInstanceOf(Int32Array);
    const arr2 = new SharedArray('i', [1, 2], { lock: null });
    expect(arr2.getLock()).toBeInstanceOf(RLock);
    const lock = new Lock();
    const arr3 = new SharedArray('i', [1, 2], { lock });
    expect(arr3.getLock()).toBe(lock);
    expect(arr3.getObj()[1]).toBe(2);
  });

  it('lock: false and RawArray have neither getLock nor getObj; a non-lock is a TypeError', () => {
    const arr4 = new SharedArray('i', [0, 1, 2], { lock: false });
    expect('getLock' in arr4).toBe(false);
    expect('getObj' in arr4).toBe(false);
    expect(arr4).toBeInstanceOf(RawSharedArray);
    expect(arr4.toArray()).toEqual([0, 1, 2]);
    expect(() => new SharedArray('i', [0, 1], { lock: 'notalock' as never })).toThrow(TypeError);
    const arr5 = RawArray('i', [0, 1, 2]);
    expect('getLock' in arr5).toBe(false);
    expect('getObj' in arr5).toBe(false);
  });

  it('Array is SharedArray (callable without new, as Python\'s Array(...))', () => {
    expect(MpArray).toBe(SharedArray);
    const a = MpArray('i', 3);
    expect(a).toBeInstanceOf(SharedArray);
    const r = new RawArray('i', 2);
    expect(r).toBeInstanceOf(Int32Array);
  });

  it('initializers: arrays, typed arrays, iterables, strings and bytes for c', () => {
    function* range(n: number): Generator<number> {
      for (let i = 0; i < n; i++) yield i;
    }
    expect(new SharedArray('i', range(5)).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(new SharedArray('d', new Float32Array([0.5, 1.5])).toArray()).toEqual([0.5, 1.5]);
    expect(new SharedArray('h', new Set([3, 1])).toArray()).toEqual([3, 1]);
    expect(new SharedArray('q', [1n, 2n]).toArray()).toEqual([1n, 2n]);
    expect(new SharedArray('c', 'abc').value).toEqual(Buffer.from('abc'));
    expect(new SharedArray('c', Buffer.from([1, 2, 0, 3])).raw).toEqual(Buffer.from([1, 2, 0, 3]));
    expect(new SharedArray('c', new Uint8Array([65, 66])).value.toString()).toBe('AB');
    expect(new SharedArray('i', 0).toArray()).toEqual([]);
    expect(RawArray('c', 'hi').value).toEqual(Buffer.from('hi'));
  });

  it("'c' arrays: .value stops at the first NUL, setting it writes a NUL if there is room", () => {
    const s = new SharedArray('c', 5);
    s.raw = 'abcde';
    expect(s.value.toString()).toBe('abcde');
    s.value = 'xy';
    expect(s.raw).toEqual(Buffer.from('xy\0de'));
    expect(s.value.toString()).toBe('xy');
    expect(() => (s.value = 'toolong')).toThrow(RangeError);
    expect(s.get(0)).toBe(0x78);
    s.set(0, 'z');
    expect(s.value.toString()).toBe('zy');
    expect(() => new SharedArray('i', 2).value).toThrow(TypeError);
  });

  it('get and set take negative indexes; slice behaves as Array.prototype.slice', () => {
    const a = new SharedArray('i', [1, 2, 3, 4, 5]);
    expect(a.get(-1)).toBe(5);
    a.set(-2, 40);
    expect(a.toArray()).toEqual([1, 2, 3, 40, 5]);
    expect(a.slice(-2)).toEqual([40, 5]);
    expect(a.slice(3, 1)).toEqual([]);
    expect(a.slice(1, 100)).toEqual([2, 3, 40, 5]);
  });

  it('withLock holds the array\'s lock', async () => {
    const a = new SharedArray('i', [1]);
    await a.withLock(() => a.set(0, a.get(0) + 1));
    expect(a.withLockSync(() => a.get(0))).toBe(2);
    expect(await a.acquire(false)).toBe(true);
    a.release();
  });

  it('reprs follow Python', () => {
    expect(String(new SharedArray('i', 10))).toMatch(/^<SynchronizedArray wrapper for <multiprocess\.sharedctypes\.c_int_Array_10 object at 0x[0-9a-f]+>>$/);
    expect(String(new SharedArray('c', 20))).toMatch(/^<SynchronizedString wrapper for <multiprocess\.sharedctypes\.c_char_Array_20 object at 0x[0-9a-f]+>>$/);
    expect(String(new SharedArray('d', 3, { lock: false }))).toMatch(/^<multiprocess\.sharedctypes\.c_double_Array_3 object at 0x[0-9a-f]+>$/);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
