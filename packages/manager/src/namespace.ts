import { repr } from './internal/repr.js';

/**
 * A bag of named values (Python's `multiprocessing.managers.Namespace`): what
 * `manager.Namespace()` creates on the server. Its repr lists its public attributes sorted:
 * `Namespace(a=1, b='x')`.
 *
 * @example
 * ```ts
 * import { Namespace } from 'multiprocess';
 *
 * const ns = new Namespace({ a: 1, b: 'x' });
 * console.log(String(ns)); // Namespace(a=1, b='x')
 * ```
 */
export class Namespace {
  [name: string]: unknown;

  constructor(init?: Record<string, unknown> | null) {
    if (init !== undefined && init !== null) Object.assign(this, init);
  }

  /** Python's repr: `Namespace(a=1, b='x')` (names starting with `_` are left out). */
  toString(): string {
    const items = Object.entries(this)
      .filter(([name]) => !name.startsWith('_'))
      .map(([name, value]) => `${name}=${repr(value)}`)
      .sort();
    return `${this.constructor.name}(${items.join(', ')})`;
  }
}
