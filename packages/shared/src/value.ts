import { RLock } from '@mp/sync';
import type { Cells } from './internal/cells.js';
import { callable } from './internal/callable.js';
import type { AnyTypedArray } from './internal/codes.js';
import { toElement } from './internal/convert.js';
import { attachedCells, newCells, registerClass, setCells, VALUE } from './internal/kinds.js';
import { lockOption } from './internal/options.js';
import { pyElement } from './internal/repr.js';
import type { LockLike } from './lock-like.js';
import { checkedInitial, type RawValue, RawValueImpl, read } from './raw-value.js';
import type { InputOf, Typecode, TypedArrayOf, ValueOf } from './typecodes.js';

const inspect = Symbol.for('nodejs.util.inspect.custom');

/**
 * The options of {@link Value} and {@link SharedArray}: `lock` is `true` (default: a new RLock),
 * `false` (no lock: you get a {@link RawValue} / {@link RawSharedArray}), or an existing
 * `Lock`/`RLock` to use (Python's `lock=existing_lock`).
 *
 * @example
 * ```ts
 * const lock = new RLock();
 * const a = new Value('i', 0, { lock });
 * const b = new Value('i', 0, { lock }); // a and b share one lock
 * ```
 */
export interface ValueOptions {
  /** `true`/omitted: a new RLock; `false`: no lock (a RawValue); or the lock-like to use. */
  lock?: boolean | LockLike | null;
}

/**
 * The typed array of a Value's `getObj()`: one element, plus an unsynchronized `.value`.
 *
 * @example
 * ```ts
 * const obj: ValueObj<'d'> = new Value('d', 1.5).getObj();
 * obj[0] === obj.value; // true
 * ```
 */
export type ValueObj<T extends Typecode> = TypedArrayOf<T> & {
  /** The element at index 0: the value, read and written without a lock. */
  value: ValueOf<T>;
};

/** Implementation of {@link Value} (see there); Python's `Synchronized`. */
class Synchronized<T extends Typecode = Typecode> {
  // Not assigned when the constructor returns a RawValue instead ({ lock: false }).
  readonly #c!: Cells;
  readonly #lock!: LockLike;

  constructor(typecode: T, initial?: InputOf<T> | null, options?: ValueOptions | boolean | LockLike) {
    let c = attachedCells();
    if (c === null) {
      const [info, v] = checkedInitial(typecode, initial);
      const lockOpt = lockOptionOf(options);
      if (lockOpt === false) return new RawValueImpl(typecode, initial) as unknown as Synchronized<T>;
      const lock = lockOpt === true ? new RLock() : lockOpt;
      c = newCells(VALUE, info, 1, lock);
      if (v !== null) c.set(0, v, true);
    }
    this.#c = c;
    this.#lock = c.lock!;
    setCells(this, c);
  }

  /**
   * The value, read or written while holding the lock (a broker round trip in a spawned
   * process). `v.value += 1` is a read and a write: two critical sections, as in Python — hold
   * the lock around both with {@link withLock} to make it atomic.
   *
   * @example
   * ```ts
   * const v = new Value('i', 7);
   * v.value = 14;
   * ```
   */
  get value(): ValueOf<T> {
    const c = this.#c;
    return read(c, c.get(0));
  }

  /** Writes the value while holding the lock (a number, a bigint for `q`/`Q`, or a boolean). */
  set value(v: InputOf<T>) {
    this.#c.set(0, v);
  }

  /**
   * The canonical typecode (`'i'` for `'int32'` or `'c_int'`).
   *
   * @example
   * ```ts
   * new Value('c_double').typecode; // 'd'
   * ```
   */
  get typecode(): string {
    return this.#c.info.code;
  }

  /**
   * The lock that synchronizes this value (the RLock made for it, or the one given).
   *
   * @example
   * ```ts
   * const v = new Value('i', 0);
   * await v.getLock().withLock(() => { v.value += 1; });
   * ```
   */
  getLock(): LockLike {
    return this.#lock;
  }

  /**
   * The unsynchronized object: a one-element typed array on the shared memory itself (also with
   * a `.value`), where this isolate can map it (the root process and its thread children);
   * a {@link SharedMemoryUnavailableError} in a spawned process.
   *
   * @example
   * ```ts
   * const v = new Value('d', 2.5);
   * const raw = v.getObj(); // Float64Array [ 2.5 ]
   * raw[0] = 3; // v.value === 3
   * ```
   */
  getObj(): ValueObj<T> {
    const c = this.#c;
    return c.obj('Value.getObj()', (view) => decorateValue(c, view)) as ValueObj<T>;
  }

  /**
   * Acquires the lock (see `Lock.acquire`).
   *
   * @example
   * ```ts
   * await v.acquire();
   * try { v.value += 1; } finally { v.release(); }
   * ```
   */
  acquire(blocking = true, timeout?: number | null): Promise<boolean> {
    return this.#lock.acquire(blocking, timeout);
  }

  /**
   * Acquires the lock, blocking this thread (see `Lock.acquireSync`).
   *
   * @example
   * ```ts
   * v.acquireSync();
   * try { v.value += 1; } finally { v.release(); }
   * ```
   */
  acquireSync(blocking = true, timeout?: number | null): boolean {
    return this.#lock.acquireSync(blocking, timeout);
  }

  /**
   * Releases the lock.
   *
   * @example
   * ```ts
   * v.acquireSync();
   * v.release();
   * ```
   */
  release(): void {
    this.#lock.release();
  }

  /**
   * Python's `with v.get_lock():` — runs `fn` (sync or async) holding the lock.
   *
   * @example
   * ```ts
   * await counter.withLock(() => { counter.value += 1; });
   * ```
   */
  withLock<R>(fn: () => R | PromiseLike<R>): Promise<Awaited<R>> {
    return this.#lock.withLock(fn);
  }

  /**
   * The blocking twin of {@link withLock}, for a synchronous `fn`.
   *
   * @example
   * ```ts
   * counter.withLockSync(() => { counter.value += 1; });
   * ```
   */
  withLockSync<R>(fn: () => R): R {
    this.#lock.acquireSync();
    try {
      return fn();
    } finally {
      this.#lock.release();
    }
  }

  /**
   * Python's repr: `<Synchronized wrapper for c_int(5)>` (reads the value without the lock, as
   * Python does).
   *
   * @example
   * ```ts
   * String(new Value('d', 2.5)); // '<Synchronized wrapper for c_double(2.5)>'
   * ```
   */
  toString(): string {
    const c = this.#c;
    return `<Synchronized wrapper for ${c.info.ctype}(${pyElement(c.info, c.get(0, true))})>`;
  }

  /** Node's `util.inspect` (and so `console.log`) shows {@link toString}'s Python repr. */
  [inspect](): string {
    return this.toString();
  }
}

function decorateValue(c: Cells, view: AnyTypedArray): void {
  const cells = view as unknown as Array<number | bigint>;
  Object.defineProperty(view, 'value', {
    get: () => read(c, cells[0]!),
    set: (v: unknown) => {
      cells[0] = toElement(c.info, v);
    },
    enumerable: false,
  });
}

function lockOptionOf(options: unknown): boolean | LockLike {
  return lockOption(options, 'Value');
}

registerClass(Synchronized, VALUE, () => new Synchronized('i'));

/**
 * A value in shared memory, synchronized by a lock (Python's `multiprocessing.Value`, whose type
 * is `Synchronized`). See {@link Value}.
 *
 * @example
 * ```ts
 * function bump(v: Value<'i'>) { return v.withLock(() => { v.value += 1; }); }
 * ```
 */
export interface Value<T extends Typecode = Typecode> extends Synchronized<T> {}

/**
 * The type of {@link Value}: constructible with `new`, callable without; `{ lock: false }`
 * gives a {@link RawValue}.
 *
 * @example
 * ```ts
 * const make: ValueConstructor = Value;
 * const a = new make('i', 1);          // Value<'i'>
 * const b = make('i', 1, { lock: false }); // RawValue<'i'>
 * ```
 */
export interface ValueConstructor {
  new <T extends Typecode>(typecode: T, initial: InputOf<T> | null | undefined, options: { lock: false }): RawValue<T>;
  new <T extends Typecode>(typecode: T, initial?: InputOf<T> | null, options?: { lock?: true | LockLike | null } | LockLike): Value<T>;
  new <T extends Typecode>(typecode: T, initial?: InputOf<T> | null, options?: ValueOptions | boolean | LockLike): Value<T> | RawValue<T>;
  <T extends Typecode>(typecode: T, initial: InputOf<T> | null | undefined, options: { lock: false }): RawValue<T>;
  <T extends Typecode>(typecode: T, initial?: InputOf<T> | null, options?: { lock?: true | LockLike | null } | LockLike): Value<T>;
  <T extends Typecode>(typecode: T, initial?: InputOf<T> | null, options?: ValueOptions | boolean | LockLike): Value<T> | RawValue<T>;
  /** For `instanceof Value`. */
  readonly prototype: Value;
}

/**
 * A value in shared memory, synchronized by a lock: Python's `Value(typecode, initial, lock=True)`.
 * `.value` reads and writes it synchronously, holding the lock (a new RLock, or `options.lock`).
 * With `{ lock: false }` you get a {@link RawValue} instead, as in Python.
 *
 * It lives in the root process: threads read and write the memory directly; spawned processes
 * go through the root's broker (one round trip per access), with the same API. Pass it to
 * children as a Process argument (or through a queue): it arrives live.
 *
 * @example
 * ```ts
 * import { Process, Value } from 'multiprocess';
 *
 * const counter = new Value('i', 0);
 * const work = async (n: Value<'i'>) => {
 *   for (let i = 0; i < 1000; i++) await n.withLock(() => { n.value += 1; });
 * };
 * const ps = [1, 2, 3, 4].map(() => new Process({ target: work, args: [counter] }));
 * for (const p of ps) await p.start();
 * for (const p of ps) await p.join();
 * console.log(counter.value); // 4000
 * ```
 */
export const Value = callable(Synchronized) as ValueConstructor;
