/**
 * How a primitive is used from a spawned process (a *remote* handle): every operation runs on
 * the root's broker, on the broker's own instance, as the remote caller (its liveness token).
 *
 * The broker-side operations are methods named `mp:<op>` defined on the prototypes (hidden from
 * the public types; the broker refuses names starting with `_`). They never block: waits there
 * are `Atomics.waitAsync`.
 *
 * Ordering. A spawned process has two channels to the broker: the sync channel (FIFO pair:
 * `callSync` and fire-and-forget `send`, in order) and the async channel (a socket: `call`).
 * The two are not ordered with each other. So:
 * - `release()`/`set()`/`notify()` of something this isolate is known to hold use `send` (no
 *   round trip: an acquire+release pair costs one round trip);
 * - every Promise method starts with a `callSync` (its non-blocking attempt), or, after a `send`,
 *   a `callSync('mp:ping')`, so that what this isolate sent before is applied before it waits.
 * - `notify()` with the lock held is deferred to the end of the current synchronous run (a
 *   microtask), or to this isolate's next operation, whichever comes first; a `wait()` on the
 *   same Condition right after it carries it (one round trip for `notify(); await wait()`, the
 *   ping-pong of B4). The notified waiter cannot return before the lock is released anyway.
 * - The broker runs the requests of one channel in order only for objects it has attached
 *   already (attaching is asynchronous: it may import a module). So the first operation of this
 *   isolate on an object is never a `send`: it is a `callSync`, after which the object is known
 *   attached.
 */
import { currentProcess, getLogger } from '@mp/context';
import type { Handle, RemoteHandle } from '@mp/context/spi';
import { ACQUIRED, type AcquireCode, NOT_ACQUIRED, TAKEN_OVER } from './lock-core.js';

interface RemoteState {
  /** A `send` happened since the last `callSync` of this isolate. */
  unflushed: boolean;
  /** Objects the broker is known to have attached (a call on them returned). */
  readonly attached: Set<string>;
  /** Locks this isolate holds, by object id (for fire-and-forget releases). */
  readonly held: Map<string, number>;
  /** A deferred notify (see above). */
  pending: { h: RemoteHandle<unknown>; n: number } | null;
}

const KEY = Symbol.for('@mp/sync.remote');
const state: RemoteState = ((globalThis as Record<symbol, unknown>)[KEY] ??= { unflushed: false, attached: new Set(), held: new Map(), pending: null }) as RemoteState;

export function callSync(h: RemoteHandle<unknown>, op: string, args: unknown[]): unknown {
  flushNotify();
  try {
    const result = h.callSync(`mp:${op}`, args);
    state.attached.add(h.id);
    return result;
  } finally {
    state.unflushed = false;
  }
}

/** Fire and forget (a round trip the first time, see above). */
export function send(h: RemoteHandle<unknown>, op: string, args: unknown[]): void {
  flushNotify();
  if (!state.attached.has(h.id)) {
    callSync(h, op, args);
    return;
  }
  h.send(`mp:${op}`, args);
  state.unflushed = true;
}

/** An async operation, applied after everything this isolate sent before. */
export async function call(h: RemoteHandle<unknown>, op: string, args: unknown[]): Promise<unknown> {
  flushNotify();
  if (state.unflushed) callSync(h, 'ping', []);
  const result = await h.call(`mp:${op}`, args);
  state.attached.add(h.id);
  return result;
}

/** Defers `notify(n)` of a Condition whose lock this isolate holds (see above). */
export function deferNotify(h: RemoteHandle<unknown>, n: number): void {
  const pending = state.pending;
  if (pending !== null && pending.h.id === h.id) {
    pending.n += n;
    return;
  }
  flushNotify();
  state.pending = { h, n };
  queueMicrotask(flushNotify);
}

/** Takes the deferred notify of `h` (0 if none), for a wait that carries it. */
export function takeNotify(h: RemoteHandle<unknown>): number {
  const pending = state.pending;
  if (pending === null || pending.h.id !== h.id) return 0;
  state.pending = null;
  return pending.n;
}

export function flushNotify(): void {
  const pending = state.pending;
  if (pending === null) return;
  state.pending = null;
  send(pending.h, 'notify', [pending.n]);
}

export function heldHere(h: RemoteHandle<unknown>): number {
  return state.held.get(h.id) ?? 0;
}

export function addHeld(h: RemoteHandle<unknown>, delta: number): void {
  const n = (state.held.get(h.id) ?? 0) + delta;
  if (n > 0) state.held.set(h.id, n);
  else state.held.delete(h.id);
}

/** Timeouts cross the wire as a number or null (forever). */
export function wireTimeout(timeout: number | null | undefined): number | null {
  return timeout === undefined || timeout === null ? null : timeout;
}

/** True when a Promise acquire with these arguments may need to wait. */
export function mayWait(blocking: boolean, timeout: number | null | undefined): boolean {
  return blocking && (timeout === undefined || timeout === null || timeout > 0 || Number.isNaN(timeout));
}

/** A remote acquire: one non-blocking attempt on the sync channel, then (if needed) an async wait. */
export async function remoteAcquire(
  h: RemoteHandle<unknown>,
  op: string,
  blocking: boolean,
  timeout: number | null | undefined,
  onTakenOver: () => void,
): Promise<boolean> {
  let code = callSync(h, op, [false, null]) as AcquireCode;
  if (code === NOT_ACQUIRED && mayWait(blocking, timeout)) code = (await h.call(`mp:${op}`, [true, wireTimeout(timeout)])) as AcquireCode;
  return acquired(h, code, onTakenOver);
}

export function remoteAcquireSync(
  h: RemoteHandle<unknown>,
  op: string,
  blocking: boolean,
  timeout: number | null | undefined,
  onTakenOver: () => void,
): boolean {
  return acquired(h, callSync(h, op, [blocking, wireTimeout(timeout)]) as AcquireCode, onTakenOver);
}

function acquired(h: RemoteHandle<unknown>, code: AcquireCode, onTakenOver: () => void): boolean {
  if (code === NOT_ACQUIRED) return false;
  addHeld(h, 1);
  if (code === TAKEN_OVER) onTakenOver();
  return code === ACQUIRED || code === TAKEN_OVER;
}

/** Logs that a lock (or units) came from a holder that died. */
export function warnTakenOver(what: string): void {
  getLogger().warning(
    '%s: its previous holder died without releasing it; it was taken over (check the state it protected: ownerDied is true until release)',
    what,
  );
}

export function warnReclaimed(what: string, units?: number): void {
  getLogger().warning('%s: %s held by a process or thread that died given back', what, units === undefined ? 'units' : `${units} unit(s)`);
}

/** The caller's process name for reprs (`MainProcess`, `Process-1`, ...). */
export function myName(): string {
  return currentProcess().name;
}

/** Python-style `0x…` identity for reprs: stable per object (derived from its id). */
export function reprId(h: Handle<unknown>): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < h.id.length; i++) hash = Math.imul(hash ^ h.id.charCodeAt(i), 0x01000193);
  return `0x7f${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

/** Defines the broker-side operations `mp:<name>` on a class's prototype (non-enumerable). */
export function defineBrokerOps(cls: { prototype: object }, ops: Record<string, (...args: never[]) => unknown>): void {
  for (const [name, fn] of Object.entries(ops)) {
    Object.defineProperty(cls.prototype, `mp:${name}`, { value: fn, writable: false, configurable: true, enumerable: false });
  }
}

/** Owner as Python's reprs name it: mine → my process name, 0 → None, else SomeOtherProcess. */
export const WHO_NONE = 0;
export const WHO_ME = 1;
export const WHO_OTHER = 2;
export function whoName(who: number): string {
  return who === WHO_ME ? myName() : who === WHO_NONE ? 'None' : 'SomeOtherProcess';
}
export function whoOf(owner: number, token: number): number {
  return owner === 0 ? WHO_NONE : owner === token ? WHO_ME : WHO_OTHER;
}
