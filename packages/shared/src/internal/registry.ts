/**
 * Per-isolate bookkeeping of shared values: which Cells an instance wraps, and which public
 * object owns a SharedArrayBuffer that a typed array handed out by RawArray/getObj() views.
 */
import type { Cells } from './cells.js';

const cellsOfInstance = new WeakMap<object, Cells>();

export function setCells(instance: object, cells: Cells): void {
  cellsOfInstance.set(instance, cells);
  cells.owner ??= instance;
}

export function cellsOf(instance: object): Cells {
  const cells = cellsOfInstance.get(instance);
  if (cells === undefined) throw new TypeError('not a shared value or array of @mp/shared');
  return cells;
}

interface Views {
  /** segment → the public object (Value, SharedArray, ...) whose memory it is. */
  readonly owners: WeakMap<SharedArrayBuffer, object>;
}

// On globalThis: the ESM and CJS builds of this package in one isolate share it.
const KEY = Symbol.for('@mp/shared.views');
export const views: Views = ((globalThis as Record<symbol, unknown>)[KEY] ??= { owners: new WeakMap() }) as Views;
