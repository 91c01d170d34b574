/**
 * The four kinds of shared objects of this package (one per public class) and what they share:
 * creation, attachment and the broker-side operations.
 */
import { createHandle, type Handle, registerSharedClass, type SharedKind, takeAttaching, withAttaching } from '@mp/context/spi';
import { dumps } from '@mp/serialize';
import type { LockLike } from '../lock-like.js';
import { Cells, type CellsMeta } from './cells.js';
import { canonical, type CodeInfo } from './codes.js';
import { cellsOf, setCells } from './registry.js';

function kind(name: string): SharedKind<CellsMeta> {
  return { kind: name, module: import.meta.url, byteLength: (meta) => meta.n * canonical(meta.t).bytes };
}

export const VALUE = kind('shared.Value');
export const RAW_VALUE = kind('shared.RawValue');
export const ARRAY = kind('shared.Array');
export const RAW_ARRAY = kind('shared.RawArray');

/**
 * In a constructor: the Cells of an instance being revived (or built by the broker), else null.
 * Must run before the constructor creates any other shared object (such as its RLock).
 */
export function attachedCells(): Cells | null {
  const h = takeAttaching<CellsMeta>();
  return h === null ? null : new Cells(h);
}

/** A new segment of `length` elements of `info` (in the root process, wherever we run). */
export function newCells(k: SharedKind<CellsMeta>, info: CodeInfo, length: number, lock: LockLike | null): Cells {
  return new Cells(createHandle(k, { t: info.code, n: length, lock: lock === null ? null : dumps(lock) }), lock);
}

/**
 * Registers a public class: its instances cross to other processes as handles, and the broker
 * can run the `mp:*` operations on its own instance.
 */
export function registerClass<T extends object>(cls: abstract new (...args: never[]) => T, k: SharedKind<CellsMeta>, make: () => T): void {
  for (const [name, op] of Object.entries(Cells.ops)) {
    Object.defineProperty(cls.prototype, name, {
      value: function (this: object, ...args: never[]) {
        return op.apply(cellsOf(this), args);
      },
      writable: false,
      configurable: true,
      enumerable: false,
    });
  }
  registerSharedClass(cls, k, (instance) => cellsOf(instance).handle, (h: Handle<CellsMeta>) => withAttaching(h, make));
}

export { setCells };
