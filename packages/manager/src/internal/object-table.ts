/**
 * The shared objects of one server and their reference counts.
 *
 * Table: id → { referent, typeid, exposed, methodToTypeid, refcount }. `refcount` is the sum of
 * the references held by the holders: each client connection (`refs`: id → count) and the server
 * itself (`serverRefs`: proxies revived inside the server, e.g. a list proxy stored in a dict).
 * Invariants: `refcount` = Σ over holders of their count for the id; an entry is removed exactly
 * when its refcount reaches 0 (or its last holder goes away), and then the server's own proxies
 * found inside it give their references back at once (as Python's refcounting would), so
 * freeing cascades without waiting for a garbage collection.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Namespace } from '../namespace.js';
import type { BaseProxy } from '../proxies/base-proxy.js';
import { adapt, plainValue } from './referents/index.js';
import { publicMethods, type TypeSpec } from './registry.js';
import { repr } from './repr.js';

export interface ObjectEntry {
  readonly id: number;
  readonly referent: object;
  readonly typeid: string;
  readonly exposed: ReadonlySet<string>;
  readonly exposedList: readonly string[];
  readonly methodToTypeid: Readonly<Record<string, string>> | null;
  refcount: number;
}

/** A failure of the manager machinery (sent to the client as a RemoteError). */
export class Failure extends Error {}

let collect: (() => void) | null | undefined;

/** A full garbage collection, so that proxies dropped inside the server give their references back. */
export function collectGarbage(): Promise<void> {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
  // FinalizationRegistry callbacks run in later tasks.
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export class ObjectTable {
  /** References held by the server itself. */
  readonly serverRefs = new Map<number, number>();
  readonly #specs: Map<string, TypeSpec>;
  readonly #isOwnProxy: (value: object) => boolean;
  readonly #exposedSets = new Map<string, ReadonlySet<string>>();
  readonly #objects = new Map<number, ObjectEntry>();
  #nextId = 1;

  /** `isOwnProxy`: true for a proxy of this server revived inside it (it holds a server reference). */
  constructor(specs: Map<string, TypeSpec>, isOwnProxy: (value: object) => boolean) {
    this.#specs = specs;
    this.#isOwnProxy = isOwnProxy;
  }

  get size(): number {
    return this.#objects.size;
  }
  get(id: number): ObjectEntry | undefined {
    return this.#objects.get(id);
  }
  spec(typeid: string): TypeSpec | undefined {
    return this.#specs.get(typeid);
  }

  /** Adds `value` as an object of `typeid` (adapted for a built-in proxy type), with no reference yet. */
  register(value: unknown, typeid: string): ObjectEntry {
    const spec = this.#specs.get(typeid);
    const referent = adapt(spec?.adapter ?? null, value);
    if ((typeof referent !== 'object' && typeof referent !== 'function') || referent === null) {
      throw new Failure(`the ${typeid} object is ${referent === null ? 'null' : `a ${typeof referent}`}: only objects can be shared through a proxy`);
    }
    let exposedList: readonly string[];
    let exposed: ReadonlySet<string>;
    if (spec?.exposed) {
      exposedList = spec.exposed;
      let set = this.#exposedSets.get(typeid);
      if (set === undefined) this.#exposedSets.set(typeid, (set = new Set(exposedList)));
      exposed = set;
    } else {
      exposedList = publicMethods(referent);
      exposed = new Set(exposedList);
    }
    const entry: ObjectEntry = { id: this.#nextId++, referent, typeid, exposed, exposedList, methodToTypeid: spec?.methodToTypeid ?? null, refcount: 0 };
    this.#objects.set(entry.id, entry);
    return entry;
  }

  /** One more reference from `refs`' holder; false if the object does not exist (anymore). */
  incref(refs: Map<number, number>, id: number): boolean {
    const entry = this.#objects.get(id);
    if (entry === undefined) return false;
    entry.refcount++;
    refs.set(id, (refs.get(id) ?? 0) + 1);
    return true;
  }

  /** One reference less from `refs`' holder (ignored if it holds none). */
  decref(refs: Map<number, number>, id: number): void {
    const held = refs.get(id);
    if (held === undefined) return;
    if (held <= 1) refs.delete(id);
    else refs.set(id, held - 1);
    const entry = this.#objects.get(id);
    if (entry !== undefined && --entry.refcount <= 0) this.#free(entry);
  }

  /** Gives back every reference of a holder that went away. */
  releaseAll(refs: Map<number, number>): void {
    for (const [id, count] of refs) {
      const entry = this.#objects.get(id);
      if (entry !== undefined && (entry.refcount -= count) <= 0) this.#free(entry);
    }
    refs.clear();
  }

  #free(entry: ObjectEntry): void {
    if (this.#objects.get(entry.id) !== entry) return;
    this.#objects.delete(entry.id);
    const seen = new Set<object>();
    const visit = (value: unknown, depth: number): void => {
      if (typeof value !== 'object' || value === null || depth > 16 || seen.has(value)) return;
      seen.add(value);
      if (this.#isOwnProxy(value)) {
        (value as BaseProxy)[Symbol.dispose]();
        return;
      }
      if (Array.isArray(value)) for (const item of value) visit(item, depth + 1);
      else if (value instanceof Map) for (const [k, v] of value) (visit(k, depth + 1), visit(v, depth + 1));
      else if (value instanceof Set) for (const item of value) visit(item, depth + 1);
      else if (value instanceof Namespace || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
        for (const v of Object.values(value)) visit(v, depth + 1);
      }
    };
    visit(plainValue(entry.referent), 0);
  }

  /** Python's `_debug_info()`: one line per live object. */
  debugInfo(): string {
    const lines: string[] = [];
    for (const entry of this.#objects.values()) {
      let text: string;
      try {
        text = repr(entry.referent);
      } catch {
        text = '<unprintable>';
      }
      if (text.length > 75) text = `${text.slice(0, 72)}...`;
      lines.push(`  ${entry.id}:       refcount=${entry.refcount}\n    ${entry.typeid} ${text}`);
    }
    return lines.join('\n');
  }
}
