// Bad input gets Python's error kinds with messages that say what to do.
import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeError } from '@mp/context';
import { RawArray, RawValue, SharedArray, Value } from '@mp/shared';
import { Lock } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
import { run } from './run.js';

describe('bad input', () => {
  it('an unknown typecode is a TypeError that lists the valid ones', () => {
    expect(() => new Value('z' as never)).toThrow(/unknown typecode "z".*b B h H i I l L q Q f d c/);
    expect(() => new SharedArray('x' as never, 3)).toThrow(TypeError);
    expect(() => RawArray('int128' as never, 3)).toThrow(TypeError);
    expect(() => new RawValue(5 as never)).toThrow(TypeError);
  });

  it('an index out of range is a RangeError; a non-integer index a TypeError', () => {
    const a = new SharedArray('i', 3);
    expect(() => a.get(3)).toThrow(RangeError);
    expect(() => a.get(-4)).toThrow(RangeError);
    expect(() => a.set(3, 1)).toThrow(RangeError);
    expect(() => a.get(1.5)).toThrow(TypeError);
    expect(() => a.get('1' as never)).toThrow(TypeError);
    expect(() => new SharedArray('i', 0).get(0)).toThrow(/out of range/);
  });

  it('a value of the wrong type is a TypeError (ctypes: no floats into integer types)', () => {
    const i = new Value('i', 0);
    expect(() => (i.value = 'abc' as never)).toThrow(TypeError);
    expect(() => (i.value = 1.5)).toThrow(/holds integers/);
    expect(() => (i.value = 3n as never)).toThrow(TypeError);
    expect(() => new Value('q', 5 as never)).toThrow(/write 5n/);
    expect(() => new Value('d', 1n as never)).toThrow(/Number\(x\)/);
    expect(() => new SharedArray('d', 2).set(0, 'x' as never)).toThrow(TypeError);
    expect(() => new SharedArray('i', [1, 2.5])).toThrow(/\[1\].*holds integers/);
    expect(() => new SharedArray('i', 'abc' as never)).toThrow(TypeError);
    expect(() => new Value('c', 'xy')).toThrow(TypeError);
    expect(() => new Value('c', 256)).toThrow(RangeError);
    expect(() => new SharedArray('i', [{}] as never)).toThrow(TypeError);
    // Python's True is 1; integers out of range wrap, as ctypes does.
    expect(new Value('i', true).value).toBe(1);
    expect(new Value('B', 257).value).toBe(1);
  });

  it('sizes: negative is a RangeError, fractional or missing a TypeError', () => {
    expect(() => new SharedArray('i', -1)).toThrow(RangeError);
    expect(() => new SharedArray('i', 2.5)).toThrow(TypeError);
    expect(() => new SharedArray('i', undefined as never)).toThrow(TypeError);
    expect(() => RawArray('i', null as never)).toThrow(TypeError);
  });

  it('more values than room is a RangeError and writes nothing', () => {
    const a = new SharedArray('i', [1, 2, 3]);
    expect(() => a.setAll([7, 8, 9, 10])).toThrow(RangeError);
    expect(() => a.setAll([7, 8], 2)).toThrow(RangeError);
    expect(() => a.setAll([7], -1)).toThrow(RangeError);
    expect(a.toArray()).toEqual([1, 2, 3]);
    const s = new SharedArray('c', 3);
    expect(() => (s.value = 'abcd')).toThrow(/byte string too long/);
    expect(() => (s.raw = Buffer.from('abcd'))).toThrow(RangeError);
    const view = RawArray('c', 2);
    expect(() => (view.value = Buffer.from('abc'))).toThrow(RangeError);
  });

  it('a lock that is not a lock is a TypeError', () => {
    expect(() => new Value('i', 0, { lock: 'navalue' as never })).toThrow(/has no method 'acquire'/);
    expect(() => new SharedArray('i', 1, { lock: {} as never })).toThrow(TypeError);
  });

  it('reading a Value whose non-recursive Lock the caller holds is a RuntimeError, not a deadlock', async () => {
    const lock = new Lock();
    const v = new Value('i', 1, { lock });
    await lock.withLock(() => {
      expect(() => v.value).toThrow(RuntimeError);
      expect(v.getObj()[0]).toBe(1);
    });
    expect(v.value).toBe(1);
  });
});

describe.each(METHODS)('errors in a %s child keep their class', (method) => {
  it('RangeError, TypeError and the Lock RuntimeError arrive as such', async () => {
    const lock = new Lock();
    const v = new Value('i', 1, { lock });
    const a = new SharedArray('q', 2);
    const code = await run(
      method,
      async (val: Value<'i'>, arr: SharedArray<'q'>) => {
        const kinds: string[] = [];
        const attempt = (fn: () => unknown): void => {
          try {
            fn();
            kinds.push('none');
          } catch (e) {
            kinds.push((e as Error).name);
          }
        };
        attempt(() => arr.get(2));
        attempt(() => arr.set(0, 1 as never));
        await val.getLock().acquire();
        attempt(() => val.value);
        val.getLock().release();
        if (kinds.join() !== 'RangeError,TypeError,RuntimeError') throw new Error(kinds.join());
      },
      [v, a],
    );
    expect(code).toBe(0);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
