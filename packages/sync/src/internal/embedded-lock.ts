/**
 * The RLock of a `new Condition()` lives in the Condition's own segment (its first LOCK_WORDS
 * words), so that a Condition is one object: it crosses to a `thread` child as one shared
 * segment (no broker involved), and its lock needs no registration of its own.
 *
 * The lock is an ordinary RLock built over a *view* handle: locally, the Condition's segment
 * (LockBase maps its words from offset 0); remotely, the Condition's remote handle with the
 * operation names prefixed (`mp:acquire` → `mp:lock.acquire`), which the Condition's broker-side
 * instance forwards to its own embedded RLock. The view is never serialized: only the Condition
 * is reachable.
 */
import { type Handle, type LocalHandle, type RemoteHandle, withAttaching } from '@mp/context/spi';
import type { LockMeta } from './lock-base.js';
import { RLock, RLOCK_KIND } from '../rlock.js';

const rename = (method: string): string => method.replace(/^mp:/, 'mp:lock.');

export function embeddedRLock(condition: Handle<unknown>): RLock {
  const view: Handle<LockMeta> = condition.local
    ? ({ local: true, id: condition.id, kind: RLOCK_KIND, sab: condition.sab, meta: {} } satisfies LocalHandle<LockMeta>)
    : ({
        local: false,
        id: condition.id,
        kind: RLOCK_KIND,
        meta: {},
        call: (method, args) => condition.call(rename(method), args),
        callSync: (method, args) => condition.callSync(rename(method), args),
        send: (method, args) => condition.send(rename(method), args),
      } satisfies RemoteHandle<LockMeta>);
  return withAttaching(view, () => new RLock());
}

/** The broker-side operations a Condition forwards to its embedded RLock. */
export const EMBEDDED_LOCK_OPS = ['ping', 'acquire', 'release', 'describe'] as const;
