/**
 * The built-in types of a SyncManager's server (by typeid), and the adapters that let a user's
 * callable return a plain Array/Map/object/value for the built-in proxy types.
 */
import { Namespace } from '../../namespace.js';
import { type Caller } from '../caller.js';
import { BarrierReferent } from './barrier.js';
import { ConditionReferent, ForeignLock } from './condition.js';
import { DictReferent } from './dict.js';
import { EventReferent } from './event.js';
import { ListReferent } from './list.js';
import { LockReferent, RLockReferent, SemaphoreReferent, type ServerLockLike } from './locks.js';
import { NamespaceReferent } from './namespace.js';
import { QueueReferent } from './queue.js';
import { ArrayReferent, ValueReferent } from './value.js';

export { ListReferent, DictReferent, NamespaceReferent, ValueReferent, ArrayReferent, QueueReferent, LockReferent, RLockReferent, SemaphoreReferent, ConditionReferent, EventReferent, BarrierReferent };
export type { Caller };

/** Turns what a Condition was given into a server lock (`unwrap` resolves this server's own proxies). */
export function conditionLock(lock: unknown, unwrap: (value: unknown) => unknown): ServerLockLike | null {
  if (lock === undefined || lock === null) return null;
  const own = unwrap(lock);
  if (own instanceof LockReferent || own instanceof RLockReferent) return own;
  const candidate = own as { acquire?: unknown; release?: unknown };
  if (typeof candidate.acquire === 'function' && typeof candidate.release === 'function') {
    return new ForeignLock(candidate as ConstructorParameters<typeof ForeignLock>[0]);
  }
  throw new TypeError('Condition(lock): lock must be a Lock or RLock (e.g. await manager.RLock())');
}

export type Builtin = (args: readonly unknown[], unwrap: (value: unknown) => unknown) => object;

/** The contents of `init` when it is one of this server's own list/dict/array objects (a copy). */
function copyOwn(init: unknown, unwrap: (value: unknown) => unknown): unknown {
  const own = unwrap(init);
  if (own instanceof ListReferent) return own.items.slice();
  if (own instanceof ArrayReferent) return own.toArray();
  if (own instanceof DictReferent) return new Map(own.map);
  return init;
}

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  list: ([init], unwrap) => new ListReferent(copyOwn(init, unwrap)),
  dict: ([init], unwrap) => new DictReferent(copyOwn(init, unwrap)),
  Namespace: ([init]) => new NamespaceReferent(new Namespace(init as Record<string, unknown> | undefined)),
  Value: ([typecode, value]) => new ValueReferent(typecode, value),
  Array: ([typecode, sequence]) => new ArrayReferent(typecode, sequence),
  Queue: ([maxsize]) => new QueueReferent(maxsize),
  JoinableQueue: ([maxsize]) => new QueueReferent(maxsize),
  Lock: () => new LockReferent(),
  RLock: () => new RLockReferent(),
  Semaphore: ([value]) => new SemaphoreReferent(value),
  BoundedSemaphore: ([value]) => new SemaphoreReferent(value, true),
  Condition: ([lock], unwrap) => new ConditionReferent(conditionLock(lock, unwrap)),
  Event: () => new EventReferent(),
  Barrier: ([parties, action, timeout]) => new BarrierReferent(parties, action, timeout as number | null | undefined),
};

/** Adapter kinds: what a built-in proxy type needs its referent to be. */
export type AdapterKind = 'list' | 'dict' | 'namespace' | 'value';

/** Wraps a plain value for a built-in proxy type (sharing the Array/Map/object, not copying it). */
export function adapt(kind: AdapterKind | null, value: unknown): unknown {
  switch (kind) {
    case 'list':
      if (value instanceof ListReferent) return value;
      return new ListReferent(value);
    case 'dict':
      if (value instanceof DictReferent) return value;
      return new DictReferent(value);
    case 'namespace':
      if (value instanceof NamespaceReferent) return value;
      if (typeof value !== 'object' || value === null) throw new TypeError('a NamespaceProxy needs an object on the server');
      return new NamespaceReferent(value);
    case 'value':
      if (value instanceof ValueReferent) return value;
      return new ValueReferent(null, value);
    default:
      return value;
  }
}

/** What `proxy._getValue()` returns for a referent: the plain object behind an adapter. */
export function plainValue(referent: object): unknown {
  if (referent instanceof ListReferent) return referent.items;
  if (referent instanceof DictReferent) return referent.map;
  if (referent instanceof NamespaceReferent) return referent.target;
  if (referent instanceof ValueReferent) return referent.value;
  if (referent instanceof ArrayReferent) return referent.toArray();
  return referent;
}
