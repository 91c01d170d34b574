/**
 * `@mp/shared`: shared memory values for multiprocess: Value, RawValue, SharedArray (also
 * exported as Array), RawArray, as Python's `multiprocessing.sharedctypes`.
 */
import './register.js';

export * from './exports.js';
