/**
 * The three shared kinds (one segment layout, see layout.ts) and the per-object cores.
 */
import { createHandle, type Handle, type SharedKind, takeAttaching } from '@mp/context/spi';
import type { Core, QueueMeta } from './core.js';
import { CAPACITY, DEFAULT_CAPACITY, FLAG_JOINABLE, FLAGS, HEADER_BYTES, MAGIC, MAGIC_VALUE, MAXSIZE } from './layout.js';
import { LocalCore } from './local-core.js';
import { RemoteCore } from './remote-core.js';

function kind(name: string): SharedKind<QueueMeta> {
  return {
    kind: name,
    module: import.meta.url,
    byteLength: (meta) => HEADER_BYTES + meta.capacity,
    init: (sab, meta) => {
      const i32 = new Int32Array(sab, 0, HEADER_BYTES >> 2);
      i32[MAGIC] = MAGIC_VALUE;
      i32[CAPACITY] = meta.capacity;
      i32[MAXSIZE] = meta.maxsize;
      i32[FLAGS] = meta.joinable ? FLAG_JOINABLE : 0;
    },
  };
}

export const QUEUE_KIND = kind('queue.Queue');
export const JOINABLE_KIND = kind('queue.JoinableQueue');
export const SIMPLE_KIND = kind('queue.SimpleQueue');

const kindsByClass = new Map<Function, SharedKind<QueueMeta>>();

/** Records the kind that instances of `cls` (and of its subclasses) create. */
export function setKind(cls: Function, kind: SharedKind<QueueMeta>): void {
  kindsByClass.set(cls, kind);
}

/** The kind for `new cls()`: the nearest registered class in its chain (default: Queue). */
export function kindFor(cls: Function): SharedKind<QueueMeta> {
  for (let c: unknown = cls; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    const kind = kindsByClass.get(c as Function);
    if (kind !== undefined) return kind;
  }
  return QUEUE_KIND;
}

/** The core of every queue object of this isolate (the broker-side methods find it here). */
const cores = new WeakMap<object, Core>();

export function coreOf(queue: object): Core {
  const core = cores.get(queue);
  if (core === undefined) throw new TypeError('not a queue made by @mp/queue');
  return core;
}

/** Python's rule: maxsize <= 0 means unbounded. */
export function checkMaxsize(maxsize: unknown): number {
  if (maxsize === undefined || maxsize === null) return 0;
  if (typeof maxsize !== 'number' || !Number.isInteger(maxsize)) {
    throw new TypeError(`maxsize must be an integer (0 or less for an unbounded queue), not ${String(maxsize)}`);
  }
  return maxsize > 0 ? Math.min(maxsize, 0x3fff_ffff) : 0;
}

/**
 * The core of a new queue object: attached to an existing queue (a revived handle, or the
 * broker's instance) or a new queue of `kind`.
 */
export function attachOrCreate(owner: object, kind: SharedKind<QueueMeta>, maxsize: number): Core {
  const handle =
    takeAttaching<QueueMeta>() ??
    createHandle(kind, {
      maxsize,
      capacity: DEFAULT_CAPACITY,
      joinable: kind === JOINABLE_KIND,
      simple: kind === SIMPLE_KIND,
    });
  const core = makeCore(handle);
  cores.set(owner, core);
  return core;
}

function makeCore(handle: Handle<QueueMeta>): Core {
  const { capacity } = handle.meta;
  if (!Number.isInteger(capacity) || capacity < 64 || (capacity & (capacity - 1)) !== 0) {
    throw new RangeError(`a queue's ring size must be a power of two, not ${capacity}`);
  }
  return handle.local ? new LocalCore(handle) : new RemoteCore(handle);
}
