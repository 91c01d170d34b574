/** The mark of a `ref()` function, shared by every build of this package in the isolate. */
export const REF = Symbol.for('@mp/serialize.ref');

/**
 * Where a `ref()` function points.
 *
 * @example
 * ```ts
 * const info: RefInfo | undefined = refInfo(target); // { moduleUrl, exportName }
 * ```
 */
export interface RefInfo {
  /** The module the child imports (`import.meta.url`, a package name or a `node:` module). */
  readonly moduleUrl: string;
  /** The name of the export that the child calls. */
  readonly exportName: string;
}

/**
 * Where a `ref()` function points, or undefined for anything else (SPI: e.g. to log a target).
 *
 * @example
 * ```ts
 * import { ref } from '@mp/serialize';
 * import { refInfo } from '@mp/serialize/spi';
 * refInfo(ref('node:path', 'join')); // { moduleUrl: 'node:path', exportName: 'join' }
 * refInfo(() => 1); // undefined
 * ```
 */
export function refInfo(v: unknown): RefInfo | undefined {
  if (typeof v !== 'function') return undefined;
  return (v as unknown as Record<symbol, RefInfo | undefined>)[REF];
}
