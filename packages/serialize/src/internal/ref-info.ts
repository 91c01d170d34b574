/** The mark of a `ref()` function, shared by every build of this package in the isolate. */
export const REF = Symbol.for('@mp/serialize.ref');

/** Where a `ref()` function points. */
export interface RefInfo {
  readonly moduleUrl: string;
  readonly exportName: string;
}

export function refInfo(v: unknown): RefInfo | undefined {
  if (typeof v !== 'function') return undefined;
  return (v as unknown as Record<symbol, RefInfo | undefined>)[REF];
}
