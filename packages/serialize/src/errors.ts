import { registry } from './internal/registry.js';

const BRAND = Symbol.for('@mp/serialize.SerializationError');

/**
 * Thrown by `dumps`/`loads` (and the SPI `encode`/`decode`) when a value cannot cross to another
 * process or thread, or when bytes cannot be turned back into a value.
 *
 * The message says what happened and what to do; {@link SerializationError.path} says where in
 * the value (`args[1].handler`, `value.items[3]`, `value.<Map value>`), and
 * {@link SerializationError.variable} names the free variable of a function when that was the cause.
 *
 * `instanceof SerializationError` holds across the ESM and CJS builds of this package.
 *
 * @example
 * ```ts
 * import { dumps, SerializationError } from '@mp/serialize';
 * let counter = 0;
 * try {
 *   dumps({ handler: () => counter++ });
 * } catch (e) {
 *   if (e instanceof SerializationError) console.log(e.path, e.variable); // value.handler counter
 * }
 * ```
 */
export class SerializationError extends Error {
  /** Where in the serialized value the problem is, e.g. `args[1].handler`. */
  readonly path: string;
  /** The free variable of a function that caused the error, when that was the cause. */
  readonly variable?: string;

  /**
   * @param message - the full, actionable message.
   * @param path - where in the value (`value` when unknown).
   * @param options - `variable`: the offending free variable; `cause`: an underlying error.
   */
  constructor(message: string, path = 'value', options: { variable?: string; cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'SerializationError';
    this.path = path;
    if (options.variable !== undefined) this.variable = options.variable;
  }

  /** `instanceof` that also recognizes instances made by another build (ESM/CJS) of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== SerializationError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

// The brand lives on the prototype, so instances revived without running the constructor have it.
Object.defineProperty(SerializationError.prototype, BRAND, { value: true });

// Errors raised in a child arrive as SerializationError instances (by registered name).
if (!registry.classesByName.has('SerializationError')) {
  registry.classesByName.set('SerializationError', SerializationError);
}
registry.namesByClass.set(SerializationError, 'SerializationError');
