/**
 * The server-side object behind a DictProxy: a Map (so keys keep their type: 1 and '1' are two
 * keys) with Python's dict methods.
 */
import { RuntimeError } from '@mp/context';
import { keyError } from '../py-errors.js';
import { repr } from '../repr.js';

/** What `dict(init)` and `update(other)` accept: a Map, pairs, or a plain object. */
export function entriesOf(other: unknown, what: string): Iterable<[unknown, unknown]> {
  if (other === undefined || other === null) return [];
  if (other instanceof Map) return other.entries();
  if (Array.isArray(other)) {
    return other.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${what}: element #${i} of the sequence is not a [key, value] pair`);
      }
      return [pair[0], pair[1]] as [unknown, unknown];
    });
  }
  if (typeof other === 'object') return Object.entries(other) as Array<[unknown, unknown]>;
  throw new TypeError(`${what} expects a Map, an array of [key, value] pairs or an object, not ${repr(other)}`);
}

/** Iterates a Map's keys; fails as Python does if the dict changes size meanwhile. */
export class DictKeyIterator {
  readonly #map: Map<unknown, unknown>;
  readonly #keys: Iterator<unknown>;
  readonly #size: number;
  #done = false;

  constructor(map: Map<unknown, unknown>) {
    this.#map = map;
    this.#keys = map.keys();
    this.#size = map.size;
  }

  next(): IteratorResult<unknown> {
    if (this.#done) return { done: true, value: undefined };
    if (this.#map.size !== this.#size) {
      this.#done = true;
      throw new RuntimeError('dictionary changed size during iteration');
    }
    const r = this.#keys.next();
    if (r.done) this.#done = true;
    return r.done ? { done: true, value: undefined } : { done: false, value: r.value };
  }
}

export class DictReferent {
  readonly map: Map<unknown, unknown>;

  constructor(init?: unknown) {
    this.map = init instanceof Map ? init : new Map(entriesOf(init, 'dict()'));
  }

  get(key: unknown, fallback?: unknown): unknown {
    const v = this.map.get(key);
    return v === undefined && !this.map.has(key) ? fallback : v;
  }
  set(key: unknown, value: unknown): void {
    this.map.set(key, value);
  }
  delete(key: unknown): void {
    if (!this.map.delete(key)) throw keyError(key);
  }
  has(key: unknown): boolean {
    return this.map.has(key);
  }
  len(): number {
    return this.map.size;
  }
  keys(): unknown[] {
    return [...this.map.keys()];
  }
  values(): unknown[] {
    return [...this.map.values()];
  }
  items(): Array<[unknown, unknown]> {
    return [...this.map.entries()];
  }
  update(other?: unknown): void {
    for (const [k, v] of entriesOf(other, 'update()')) this.map.set(k, v);
  }
  pop(key: unknown, ...fallback: unknown[]): unknown {
    if (this.map.has(key)) {
      const v = this.map.get(key);
      this.map.delete(key);
      return v;
    }
    if (fallback.length > 0) return fallback[0];
    throw keyError(key);
  }
  popitem(): [unknown, unknown] {
    let last: [unknown, unknown] | undefined;
    for (const entry of this.map) last = entry;
    if (last === undefined) throw keyError(undefined, "'popitem(): dictionary is empty'");
    this.map.delete(last[0]);
    return last;
  }
  setdefault(key: unknown, fallback?: unknown): unknown {
    if (this.map.has(key)) return this.map.get(key);
    this.map.set(key, fallback);
    return fallback;
  }
  clear(): void {
    this.map.clear();
  }
  copy(): Map<unknown, unknown> {
    return new Map(this.map);
  }
  /** A live iterator over the keys (returned as an IteratorProxy). */
  iter(): DictKeyIterator {
    return new DictKeyIterator(this.map);
  }
  toString(): string {
    return repr(this.map);
  }
}
