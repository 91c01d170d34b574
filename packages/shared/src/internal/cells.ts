/**
 * Cells: the state under every Value, RawValue, SharedArray and RawArray.
 *
 * State layout. One segment (a SharedArrayBuffer created in the root process) holds the
 * elements and nothing else: `n` elements of the typecode's size, packed from byte 0, in the
 * platform's byte order (what a typed array over it sees). The lock is not in the segment: it is
 * an ordinary @mp/sync lock (an RLock unless the user gave one), a shared object of its own, kept
 * serialized in the handle's metadata so that it travels with every handle.
 *
 *   meta = { t: canonical typecode, n: element count, lock: dumps(lock) | null }
 *   bytes [0, n * size)   element i at byte i * size
 *
 * Invariants.
 * - With a lock, every access through the object (get/set/slice/setAll/.value/.raw) holds the
 *   lock for exactly that access; reads of a whole range (slice, toArray, .raw, .value of 'c')
 *   are one critical section, so they never see half of a concurrent setAll. Without a lock
 *   (RawValue, RawArray, lock: false, getObj()), accesses are plain loads and stores on the
 *   shared memory, as ctypes' are: no atomicity beyond what the hardware gives one element.
 * - Root isolates (the main thread and thread children) access the segment directly. A spawned
 *   process has no view (`view === null`): each access is one broker round trip (`callSync`)
 *   to an `mp:*` operation that the broker runs on its own instance, as the caller (its
 *   liveness token), so an RLock the caller holds is re-entered, not waited for.
 * - The broker never blocks: its operations take the lock with a non-blocking try, and
 *   otherwise wait with the lock's Promise `acquire()` (Atomics.waitAsync underneath).
 * - A non-recursive Lock that the caller itself holds cannot be taken again for an access:
 *   Python deadlocks there; we throw a RuntimeError that says so instead.
 */
import { Buffer } from 'node:buffer';
import { currentProcess, RuntimeError } from '@mp/context';
import { loads } from '@mp/serialize';
import type { Handle, RemoteHandle } from '@mp/context/spi';
import { Lock } from '@mp/sync';
import { SharedMemoryUnavailableError } from '../errors.js';
import type { LockLike } from '../lock-like.js';
import { type AnyTypedArray, canonical, type Code, type CodeInfo } from './codes.js';
import { toBytes, toElement, toTypedArray } from './convert.js';
import { views } from './registry.js';


export interface CellsMeta {
  readonly t: Code;
  readonly n: number;
  /**
   * The lock, serialized (null: no lock). Meta must be plain data: the broker decodes it when
   * the object is registered, before it imports this package (or @mp/sync).
   */
  readonly lock: Uint8Array | null;
}

type Element = number | bigint;

const NO_VIEW = 'it lives in the root process and this spawned process reaches it through the broker';

export class Cells {
  readonly info: CodeInfo;
  readonly length: number;
  readonly handle: Handle<CellsMeta>;
  readonly lock: LockLike | null;
  /** The elements, where this isolate maps the segment; null in spawned processes. */
  readonly view: AnyTypedArray | null;
  #obj: AnyTypedArray | null = null;
  /** The public object (Value, SharedArray, ...) these cells belong to. */
  owner: object | null = null;

  /** `lock`: the lock object when the caller has it (at creation), else it is revived from the meta. */
  constructor(handle: Handle<CellsMeta>, lock?: LockLike | null) {
    this.handle = handle;
    this.info = canonical(handle.meta.t);
    this.length = handle.meta.n;
    this.lock = lock ?? (handle.meta.lock === null ? null : loads<LockLike>(handle.meta.lock));
    this.view = handle.local ? this.info.view(handle.sab, 0, this.length) : null;
  }

  get #remote(): RemoteHandle<CellsMeta> {
    return this.handle as RemoteHandle<CellsMeta>;
  }

  /** A valid element index (Python: negative counts from the end). */
  index(i: unknown): number {
    if (typeof i === 'number' && Number.isInteger(i)) {
      const j = i < 0 ? i + this.length : i;
      if (j >= 0 && j < this.length) return j;
      const valid = this.length === 0 ? 'it is empty' : `valid: ${-this.length} to ${this.length - 1}`;
      throw new RangeError(`index ${i} is out of range: this array has ${this.length} element${this.length === 1 ? '' : 's'} (${valid})`);
    }
    throw new TypeError(`an index must be an integer, not ${typeof i === 'number' ? i : typeof i}`);
  }

  // ------------------------------------------------------------------ locking (root isolates)

  /** Takes the lock for one access of this thread (blocking, as Python's `with lock`). */
  enter(): void {
    const lock = this.lock!;
    if (lock.acquireSync(false)) return;
    this.#refuseSelfDeadlock(lock);
    lock.acquireSync();
  }

  /** Runs `fn` under the lock without blocking the thread (the broker's way). */
  lockedAsync<T>(fn: () => T): T | Promise<T> {
    const lock = this.lock;
    if (lock === null) return fn();
    if (lock.acquireSync(false)) {
      try {
        return fn();
      } finally {
        lock.release();
      }
    }
    this.#refuseSelfDeadlock(lock);
    return lock.acquire().then(() => {
      try {
        return fn();
      } finally {
        lock.release();
      }
    });
  }

  #refuseSelfDeadlock(lock: LockLike): void {
    if (lock instanceof Lock && String(lock) === `<Lock(owner=${currentProcess().name})>`) {
      throw new RuntimeError(
        'this object is synchronized by a non-recursive Lock that the caller already holds: the access would wait for itself forever ' +
          '(Python deadlocks here). Create it with the default RLock (omit `lock`), or use getObj() for unsynchronized access while you hold the lock.',
      );
    }
  }

  #locked<T>(fn: () => T): T {
    if (this.lock === null) return fn();
    this.enter();
    try {
      return fn();
    } finally {
      this.lock.release();
    }
  }

  // ------------------------------------------------------------------ elements

  /** Element `i` (already a valid index), under the lock unless `raw`. */
  get(i: number, raw = false): Element {
    const view = this.view;
    if (view === null) return this.#remote.callSync('mp:get', [i, raw]) as Element;
    if (raw || this.lock === null) return view[i]!;
    this.enter();
    try {
      return view[i]!;
    } finally {
      this.lock.release();
    }
  }

  /** Stores `value` (checked) at `i` (already a valid index), under the lock unless `raw`. */
  set(i: number, value: unknown, raw = false): void {
    const v = toElement(this.info, value);
    const view = this.view as unknown as Element[] | null;
    if (view === null) {
      this.#remote.callSync('mp:set', [i, v, raw]);
      return;
    }
    if (raw || this.lock === null) {
      view[i] = v;
      return;
    }
    this.enter();
    try {
      view[i] = v;
    } finally {
      this.lock.release();
    }
  }

  /** A copy of elements [start, end) (valid, start <= end), in one critical section. */
  read(start: number, end: number): AnyTypedArray {
    const view = this.view;
    if (view === null) return this.#remote.callSync('mp:read', [start, end]) as AnyTypedArray;
    return this.#locked(() => copyRange(this.info, view, start, end));
  }

  /** Writes `values` (any iterable, checked first) at `offset`, in one critical section. */
  write(values: unknown, offset: number, what: string): number {
    const data = toTypedArray(this.info, values, what);
    if (offset + data.length > this.length) {
      throw new RangeError(`${what}: ${data.length} value(s) at offset ${offset} do not fit in ${this.length} element(s)`);
    }
    const view = this.view;
    if (view === null) this.#remote.callSync('mp:write', [data, offset]);
    else this.#locked(() => view.set(data as never, offset));
    return data.length;
  }

  // ------------------------------------------------------------------ 'c' arrays

  /** Python's `.value` of a char array: the bytes before the first NUL. */
  bytesValue(): Buffer {
    const view = this.view;
    if (view === null) return Buffer.from(this.#remote.callSync('mp:bytesValue', []) as Uint8Array);
    return this.#locked(() => untilNul(view as Uint8Array));
  }

  /** Python's `.value = b'...'`: the bytes, then a NUL if there is room. */
  setBytesValue(value: unknown): void {
    const bytes = this.#fitBytes(value, '.value');
    const view = this.view;
    if (view === null) this.#remote.callSync('mp:setBytesValue', [bytes]);
    else this.#locked(() => writeBytes(view as Uint8Array, bytes, true));
  }

  /** Python's `.raw = b'...'`: the bytes, no NUL. */
  setRaw(value: unknown): void {
    const bytes = this.#fitBytes(value, '.raw');
    const view = this.view;
    if (view === null) this.#remote.callSync('mp:write', [bytes, 0]);
    else this.#locked(() => writeBytes(view as Uint8Array, bytes, false));
  }

  #fitBytes(value: unknown, what: string): Uint8Array {
    const bytes = toBytes(value, what);
    if (bytes.length > this.length) {
      throw new RangeError(`byte string too long: ${bytes.length} bytes do not fit in this ${this.length}-byte 'c' array (${what})`);
    }
    return Buffer.from(bytes);
  }

  // ------------------------------------------------------------------ views

  /** The typed array over the segment (one per object); throws where there is none. */
  obj(what: string, decorate?: (view: AnyTypedArray) => void): AnyTypedArray {
    if (this.#obj !== null) return this.#obj;
    if (!this.handle.local) {
      throw new SharedMemoryUnavailableError(
        `${what} returns a typed array on the shared memory itself, which this spawned process cannot map (${NO_VIEW}). ` +
          "Use get()/set()/slice()/setAll()/.value (one round trip each), or start this process with the 'thread' start method (getContext('thread')) to share memory directly.",
      );
    }
    const view = this.info.view(this.handle.sab, 0, this.length);
    decorate?.(view);
    this.#obj = view;
    // Typed arrays over this segment cross to other isolates as views of it (see view-codec.ts).
    if (this.owner !== null) views.owners.set(this.handle.sab, this.owner);
    return view;
  }

  /** The view that obj() handed out, if any. */
  get objIfAny(): AnyTypedArray | null {
    return this.#obj;
  }

  /** The broker-side operations (methods named `mp:*` on each public class). */
  static readonly ops: Record<string, (this: Cells, ...args: never[]) => unknown> = {
    'mp:get'(this: Cells, i: number, raw: boolean) {
      const view = this.view!;
      const j = this.index(i);
      return raw ? view[j] : this.lockedAsync(() => view[j]);
    },
    'mp:set'(this: Cells, i: number, v: Element, raw: boolean) {
      const view = this.view as unknown as Element[];
      const j = this.index(i);
      const value = toElement(this.info, v);
      if (raw) view[j] = value;
      else return this.lockedAsync(() => ((view[j] = value), null));
      return null;
    },
    'mp:read'(this: Cells, start: number, end: number) {
      const view = this.view!;
      const s = Math.max(0, Math.min(start, this.length));
      const e = Math.max(s, Math.min(end, this.length));
      return this.lockedAsync(() => copyRange(this.info, view, s, e));
    },
    'mp:write'(this: Cells, data: AnyTypedArray, offset: number) {
      const view = this.view!;
      const values = toTypedArray(this.info, data, 'write');
      if (offset < 0 || offset + values.length > this.length) throw new RangeError(`${values.length} value(s) at offset ${offset} do not fit in ${this.length}`);
      return this.lockedAsync(() => (view.set(values as never, offset), null));
    },
    'mp:bytesValue'(this: Cells) {
      const view = this.view as Uint8Array;
      return this.lockedAsync(() => untilNul(view));
    },
    'mp:setBytesValue'(this: Cells, bytes: Uint8Array) {
      const view = this.view as Uint8Array;
      if (bytes.length > this.length) throw new RangeError('byte string too long');
      return this.lockedAsync(() => (writeBytes(view, bytes, true), null));
    },
  };
}

function copyRange(info: CodeInfo, view: AnyTypedArray, start: number, end: number): AnyTypedArray {
  const out = info.alloc(end - start);
  out.set(view.subarray(start, end) as never);
  return out;
}

function untilNul(view: Uint8Array): Buffer {
  const nul = view.indexOf(0);
  return Buffer.from(view.subarray(0, nul < 0 ? view.length : nul));
}

function writeBytes(view: Uint8Array, bytes: Uint8Array, terminate: boolean): void {
  view.set(bytes, 0);
  if (terminate && bytes.length < view.length) view[bytes.length] = 0;
}
