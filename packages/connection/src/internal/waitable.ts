/**
 * The protocol behind `wait(objects, timeout)`: anything that can become ready (a Connection with
 * data, a Process sentinel that fires at exit) exposes `[WAITABLE]()`, so `wait` needs to know no
 * concrete class and packages above @mp/connection can add their own waitables.
 */
export const WAITABLE: unique symbol = Symbol.for('@mp/connection.waitable');

export interface WaitHandle {
  /** True if the object is ready now. */
  ready(): boolean;
  /** Calls `listener` when the object may have become ready; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export interface Waitable {
  [WAITABLE](): WaitHandle;
}

export function isWaitable(value: unknown): value is Waitable {
  return typeof value === 'object' && value !== null && typeof (value as Partial<Waitable>)[WAITABLE] === 'function';
}
