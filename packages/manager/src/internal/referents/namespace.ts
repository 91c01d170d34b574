/** The server-side side of a NamespaceProxy: attribute access on any object (a Namespace by default). */
import { attributeError } from '../py-errors.js';
import { repr } from '../repr.js';

export class NamespaceReferent {
  readonly target: Record<string, unknown>;

  constructor(target: object) {
    this.target = target as Record<string, unknown>;
  }

  #owner(): string {
    return (Object.getPrototypeOf(this.target) as { constructor?: { name?: string } } | null)?.constructor?.name || 'object';
  }

  get(name: string): unknown {
    if (!(name in this.target)) throw attributeError(this.#owner(), name);
    return this.target[name];
  }
  set(name: string, value: unknown): void {
    if (typeof name !== 'string') throw new TypeError(`attribute name must be a string, not ${typeof name}`);
    this.target[name] = value;
  }
  delete(name: string): void {
    if (!Object.hasOwn(this.target, name)) throw attributeError(this.#owner(), name);
    delete this.target[name];
  }
  has(name: string): boolean {
    return name in this.target;
  }
  /** A copy of the attributes as a plain object. */
  toObject(): Record<string, unknown> {
    return { ...this.target };
  }
  toString(): string {
    return repr(this.target);
  }
}
