/**
 * `@mp/shared`: shared memory values for multiprocess: Value, RawValue, SharedArray (also
 * exported as Array), RawArray, as Python's `multiprocessing.sharedctypes`.
 *
 * @module
 */
import './register.js';

export * from './exports.js';
