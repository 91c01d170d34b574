/**
 * The server-side object behind a ListProxy: a JavaScript array with Python's list methods
 * (negative indexes, IndexError as RangeError, ValueError for a missing item).
 */
import { pyEquals } from '../equality.js';
import { indexError, ValueError } from '../py-errors.js';
import { repr } from '../repr.js';
import { pyCompare } from './compare.js';

/**
 * Options of `sort()`, as Python's `list.sort(key=None, reverse=False)`.
 *
 * @example
 * ```ts
 * await l.sort({ key: (s: string) => s.length, reverse: true });
 * ```
 */
export interface SortOptions<T = unknown> {
  /** Sorts by `key(item)` instead of the items (Python's `key=`); runs on the server, so it is sent by source. */
  key?: ((item: T) => unknown) | null | undefined;
  /** Sorts in descending order. */
  reverse?: boolean | undefined;
}

function toIndex(i: unknown, what: string): number {
  if (typeof i === 'bigint') return Number(i);
  if (typeof i !== 'number' || !Number.isInteger(i)) throw new TypeError(`${what} indices must be integers, not ${typeof i}`);
  return i;
}

function toArray(values: unknown, what: string): unknown[] {
  if (Array.isArray(values)) return values;
  if (values !== null && typeof values === 'object' && typeof (values as Iterable<unknown>)[Symbol.iterator] === 'function') return [...(values as Iterable<unknown>)];
  throw new TypeError(`${what} expects an array or an iterable, not ${repr(values)}`);
}

export class ListReferent {
  readonly items: unknown[];

  constructor(init?: unknown) {
    this.items = init === undefined || init === null ? [] : Array.isArray(init) ? init : toArray(init, 'list()');
  }

  #at(i: unknown, message: string): number {
    let index = toIndex(i, 'list');
    const n = this.items.length;
    if (index < 0) index += n;
    if (index < 0 || index >= n) throw indexError(message);
    return index;
  }

  get(i: number): unknown {
    return this.items[this.#at(i, 'list index out of range')];
  }
  set(i: number, value: unknown): void {
    this.items[this.#at(i, 'list assignment index out of range')] = value;
  }
  delete(i: number): void {
    this.items.splice(this.#at(i, 'list assignment index out of range'), 1);
  }
  len(): number {
    return this.items.length;
  }
  append(value: unknown): void {
    this.items.push(value);
  }
  extend(values: unknown): void {
    for (const v of toArray(values, 'extend()')) this.items.push(v);
  }
  insert(i: number, value: unknown): void {
    let index = toIndex(i, 'list');
    const n = this.items.length;
    if (index < 0) index = Math.max(0, index + n);
    this.items.splice(Math.min(index, n), 0, value);
  }
  pop(i?: number | null): unknown {
    if (this.items.length === 0) throw indexError('pop from empty list');
    const index = this.#at(i ?? -1, 'pop index out of range');
    return this.items.splice(index, 1)[0];
  }
  remove(value: unknown): void {
    const index = this.items.findIndex((v) => pyEquals(v, value));
    if (index < 0) throw new ValueError('list.remove(x): x not in list');
    this.items.splice(index, 1);
  }
  index(value: unknown, start?: number | null, stop?: number | null): number {
    const n = this.items.length;
    const norm = (x: number | null | undefined, d: number): number => (x === undefined || x === null ? d : x < 0 ? Math.max(0, x + n) : Math.min(x, n));
    for (let i = norm(start, 0), end = norm(stop, n); i < end; i++) if (pyEquals(this.items[i], value)) return i;
    throw new ValueError(`${repr(value)} is not in list`);
  }
  count(value: unknown): number {
    let c = 0;
    for (const v of this.items) if (pyEquals(v, value)) c++;
    return c;
  }
  has(value: unknown): boolean {
    return this.items.some((v) => pyEquals(v, value));
  }
  reverse(): void {
    this.items.reverse();
  }
  sort(options?: SortOptions | ((a: unknown, b: unknown) => number) | null): void {
    if (typeof options === 'function') {
      this.items.sort(options);
      return;
    }
    const key = options?.key ?? null;
    const keyed = this.items.map((v) => [key === null ? v : key(v), v] as const);
    keyed.sort((a, b) => pyCompare(a[0], b[0]));
    if (options?.reverse) keyed.reverse();
    for (let i = 0; i < keyed.length; i++) this.items[i] = keyed[i]![1];
  }
  slice(start?: number | null, end?: number | null): unknown[] {
    return this.items.slice(start ?? undefined, end ?? undefined);
  }
  toArray(): unknown[] {
    return this.items.slice();
  }
  /** Python's `list + other`: a new array. */
  concat(other: unknown): unknown[] {
    return this.items.concat(toArray(other, 'concat()'));
  }
  /** Python's `list * n`: a new array. */
  mul(n: number): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < toIndex(n, 'repeat count'); i++) out.push(...this.items);
    return out;
  }
  /** Python's `list *= n`, in place. */
  imul(n: number): void {
    const copy = this.items.slice();
    this.items.length = 0;
    for (let i = 0; i < toIndex(n, 'repeat count'); i++) this.items.push(...copy);
  }
  toString(): string {
    return repr(this.items);
  }
}
