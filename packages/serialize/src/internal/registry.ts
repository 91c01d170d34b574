/**
 * Per-isolate state of @mp/serialize, kept on `globalThis[Symbol.for('@mp/serialize')]` so that
 * the ESM and CJS builds (and the separate bundles of `.` and `./spi`) loaded in one isolate share
 * one set of registrations and caches (the dual-package hazard).
 */

/** A reducer registered with `registerReducer` (or by a library through it). */
export interface ReducerEntry {
  readonly name: string;
  readonly test: (value: unknown) => boolean;
  readonly reduce: (value: never, ctx: never) => unknown;
  readonly revive: (data: unknown, ctx: never) => unknown;
  /** The module that registers it: named in payloads that use it, for `decodeAsync`. */
  readonly module?: string;
}

/** A value that is an export of a registered library module or of a Node built-in module. */
export interface ExportRef {
  readonly url: string;
  readonly name: string;
}

/** What the receiver compiled for one function source + bound names (see internal/compile.ts). */
export type Factory = () => [((values: unknown[]) => void) | undefined, () => unknown];

export interface Registry {
  /** Registered classes, by wire name and back. */
  readonly classesByName: Map<string, Function>;
  readonly namesByClass: Map<Function, string>;
  /** Every reducer ever registered, in order (a name registered again keeps its old test). */
  readonly reducers: ReducerEntry[];
  /** The newest reducer of each name: used to revive. */
  readonly reducersByName: Map<string, ReducerEntry>;
  /** Library module URL → its exports (a module registers itself when it is imported). */
  readonly libraryModules: Map<string, Record<string, unknown>>;
  /** Export name → first module URL that registered it. */
  readonly libraryNames: Map<string, string>;
  /** Library export value (functions and classes) → where it comes from. */
  readonly libraryValues: Map<unknown, ExportRef>;
  /** Modules imported for `ref()` / `decodeAsync`, by URL. */
  readonly importedModules: Map<string, Record<string, unknown>>;
  /** Receiver: compiled factories by generated code. */
  readonly factories: Map<string, Factory>;
  /** Receiver: classes revived by source, so instances of one class share it. */
  readonly classes: Map<string, { values: unknown[]; cls: unknown; bind: (values: unknown[]) => void }[]>;
  /** Sender: functions marked by `withScope`. */
  readonly scopes: WeakMap<Function, Readonly<Record<string, unknown>>>;
}

const KEY = Symbol.for('@mp/serialize');

function create(): Registry {
  return {
    classesByName: new Map(),
    namesByClass: new Map(),
    reducers: [],
    reducersByName: new Map(),
    libraryModules: new Map(),
    libraryNames: new Map(),
    libraryValues: new Map(),
    importedModules: new Map(),
    factories: new Map(),
    classes: new Map(),
    scopes: new WeakMap(),
  };
}

const holder = globalThis as unknown as Record<symbol, Registry | undefined>;

/** The one registry of this isolate. */
export const registry: Registry = (holder[KEY] ??= create());

/** Bound the receiver caches: a long-lived worker fed endless distinct sources must not grow forever. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, limit = 5000): V {
  if (map.size >= limit) map.clear();
  map.set(key, value);
  return value;
}
