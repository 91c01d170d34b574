// Python's _TestValue (test_value, test_rawvalue, test_getobj_getlock), on both start methods.
import { afterAll, describe, expect, it } from 'vitest';
import { getContext } from '@mp/context';
import { RawValue, SharedMemoryUnavailableError, Value, type Typecode } from '@mp/shared';
import { Lock, RLock } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
import { run } from './run.js';

type Sample = readonly [Typecode, unknown, unknown];
const CODES_VALUES: readonly Sample[] = [
  ['i', 4343, 24234],
  ['d', 3.625, -4.25],
  ['h', -232, 234],
  ['q', 2n ** 33n, 2n ** 34n],
  ['c', Buffer.from('x'), Buffer.from('y')],
];

/** Every typecode with a value to start with and one for the child to write. */
const EVERY_CODE: readonly Sample[] = [
  ['b', -5, 7],
  ['B', 250, 3],
  ['h', -30000, 30000],
  ['H', 65000, 1],
  ['i', -2_000_000_000, 2_000_000_000],
  ['I', 4_000_000_000, 17],
  ['l', -7, 2_147_483_647],
  ['L', 4_294_967_295, 0],
  ['q', -(2n ** 62n), 2n ** 62n],
  ['Q', 2n ** 64n - 1n, 5n],
  ['f', 0.5, -1.25],
  ['d', Math.PI, -Math.E],
  ['c', Buffer.from('a'), Buffer.from('z')],
  ['int8', -1, 1],
  ['uint8', 255, 0],
  ['int16', -2, 2],
  ['uint16', 2, 3],
  ['int32', -3, 3],
  ['uint32', 3, 4],
  ['bigint64', -4n, 4n],
  ['biguint64', 4n, 5n],
  ['float32', 1.5, 2.5],
  ['float64', 1 / 3, 2 / 3],
  ['c_int', 6, 7],
  ['c_double', 0.25, 0.75],
  ['c_longlong', 9n, 10n],
  ['c_char', 'q', 'r'],
];

function asBytes(v: unknown): unknown {
  return typeof v === 'string' ? Buffer.from(v) : v;
}

describe.each(METHODS)('Value and RawValue in a %s child', (method) => {
  for (const raw of [false, true]) {
    it(`${raw ? 'RawValue' : 'Value'}: the child's writes are seen by the parent (test_${raw ? 'rawvalue' : 'value'})`, async () => {
      const values = CODES_VALUES.map(([code, value]) => (raw ? new RawValue(code, value as never) : new Value(code, value as never)));
      values.forEach((sv, i) => expect(sv.value).toEqual(CODES_VALUES[i]![1]));
      const code = await run(
        method,
        (vs: Array<{ value: unknown }>, cvs: Sample[]) => {
          vs.forEach((sv, i) => {
            sv.value = cvs[i]![2];
          });
        },
        [values, CODES_VALUES],
      );
      expect(code).toBe(0);
      values.forEach((sv, i) => expect(sv.value).toEqual(CODES_VALUES[i]![2]));
    });
  }

  it('every typecode round-trips through the child', async () => {
    const values = EVERY_CODE.map(([code, value]) => new Value(code, value as never));
    values.forEach((sv, i) => expect(sv.value).toEqual(asBytes(EVERY_CODE[i]![1])));
    const code = await run(
      method,
      (vs: Array<{ value: unknown }>, cvs: Sample[], expected: unknown[]) => {
        vs.forEach((sv, i) => {
          const seen = sv.value;
          const want = expected[i];
          const same = want instanceof Uint8Array ? Buffer.from(want).equals(seen as Buffer) : Object.is(seen, want);
          if (!same) throw new Error(`${cvs[i]![0]}: child saw ${String(seen)}, expected ${String(want)}`);
          sv.value = cvs[i]![2];
        });
      },
      [values, EVERY_CODE, EVERY_CODE.map(([, v]) => asBytes(v))],
    );
    expect(code).toBe(0);
    values.forEach((sv, i) => expect(sv.value).toEqual(asBytes(EVERY_CODE[i]![2])));
  });

  it('getObj() is the memory itself in a thread child, and an error that names thread in a spawn child', async () => {
    const v = new Value('i', 5);
    const code = await run(
      method,
      (val: Value<'i'>, m: string) => {
        if (m === 'thread') {
          const obj = val.getObj();
          if (!(obj instanceof Int32Array) || obj[0] !== 5) throw new Error(`getObj() gave ${String(obj)}`);
          obj[0] = 99;
          return;
        }
        try {
          val.getObj();
        } catch (e) {
          if (e instanceof SharedMemoryUnavailableError && /'thread'/.test(e.message)) {
            val.value = 99;
            return;
          }
          throw e;
        }
        throw new Error('getObj() did not throw in a spawn child');
      },
      [v, method],
    );
    expect(code).toBe(0);
    expect(v.value).toBe(99);
  });

  it('getLock() in the child is the same lock: the child holds it, the parent waits', async () => {
    const v = new Value('i', 0);
    const ready = new Value('b', 0);
    const p = getContext(method).Process({
      target: async (val: Value<'i'>, flag: Value<'b'>) => {
        await val.getLock().acquire();
        flag.value = 1;
        await new Promise((r) => setTimeout(r, 300));
        val.value = 42;
        val.getLock().release();
      },
      args: [v, ready],
    });
    await p.start();
    expect(await eventually(() => ready.value === 1, 20_000)).toBe(true);
    // Blocks until the child releases, then reads what it wrote under the lock.
    expect(v.value).toBe(42);
    await p.join(20_000);
    expect(p.exitCode).toBe(0);
  });
});

describe('Value: locks, objects and reprs (test_getobj_getlock)', () => {
  it('Value has a lock and an object; lock null is a new RLock; a given lock is used as is', () => {
    const val1 = new Value('i', 5);
    expect(val1.getLock()).toBeInstanceOf(RLock);
    const obj1 = val1.getObj();
    expect(obj1).toBeInstanceOf(Int32Array);
    expect(obj1[0]).toBe(5);
    expect(obj1.value).toBe(5);

    const val2 = new Value('i', 5, { lock: null });
    expect(val2.getLock()).toBeInstanceOf(RLock);
    expect(val2.getLock()).not.toBe(val1.getLock());
    expect(val2.getObj()[0]).toBe(5);

    const lock = new Lock();
    const val3 = new Value('i', 5, { lock });
    expect(val3.getLock()).toBe(lock);
    expect(val3.getObj()[0]).toBe(5);
  });

  it('lock: false and RawValue have neither getLock nor getObj; a non-lock is a TypeError', () => {
    const arr4 = new Value('i', 5, { lock: false });
    expect('getLock' in arr4).toBe(false);
    expect('getObj' in arr4).toBe(false);
    expect(arr4).toBeInstanceOf(RawValue);
    expect(arr4.value).toBe(5);
    expect(() => new Value('i', 5, { lock: 'navalue' as never })).toThrow(TypeError);
    const arr5 = new RawValue('i', 5);
    expect('getLock' in arr5).toBe(false);
    expect('getObj' in arr5).toBe(false);
  });

  it('getObj() is a view: writes through it are the value, and it is the same object each time', () => {
    const v = new Value('d', 2.5);
    const obj = v.getObj();
    expect(v.getObj()).toBe(obj);
    obj[0] = 7.25;
    expect(v.value).toBe(7.25);
    obj.value = 1.5;
    expect(v.value).toBe(1.5);
  });

  it('defaults to zero, Python style: Value("d", 3.5), Value("i"), Value("c")', () => {
    expect(new Value('d', 3.5).value).toBe(3.5);
    expect(new Value('i').value).toBe(0);
    expect(new Value('q').value).toBe(0n);
    expect(new Value('c').value).toEqual(Buffer.from([0]));
    expect(Value('i', 0).value).toBe(0); // callable without new, as Python's Value(...)
  });

  it('acquire/release/withLock are the lock\'s; withLock returns what fn returns', async () => {
    const v = new Value('i', 1);
    expect(await v.acquire()).toBe(true);
    v.value = 2;
    v.release();
    expect(await v.withLock(() => v.value + 1)).toBe(3);
    expect(v.withLockSync(() => (v.value = 10))).toBe(10);
    expect(v.acquireSync(false)).toBe(true);
    v.release();
    expect(String(v.getLock())).toBe('<RLock(None, 0)>');
  });

  it('reprs follow Python', () => {
    expect(String(new Value('i', 5))).toBe('<Synchronized wrapper for c_int(5)>');
    expect(String(new Value('d', 2.5))).toBe('<Synchronized wrapper for c_double(2.5)>');
    expect(String(new Value('d', 1))).toBe('<Synchronized wrapper for c_double(1.0)>');
    expect(String(new RawValue('i', 5))).toBe('c_int(5)');
    expect(String(new RawValue('c', 'x'))).toBe("c_char(b'x')");
    expect(String(new RawValue('q', 2n ** 33n))).toBe('c_longlong(8589934592)');
    expect(String(new RawValue('l', -3))).toBe('c_long(-3)');
    expect(String(new RawValue('d', 1e16))).toBe('c_double(1e+16)');
    expect(String(new RawValue('d', 1e-5))).toBe('c_double(1e-05)');
    expect(String(new RawValue('d', NaN))).toBe('c_double(nan)');
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
