/**
 * `@mp/serialize`: dill's role in multiprocess. `dumps`/`loads` send functions by source, class
 * instances, errors, binary data and the live handles of this library.
 *
 * @module \@mp/serialize
 */
export { dumps, loads } from './dumps.js';
export { SerializationError } from './errors.js';
export { registerClass, type AnyClass } from './register-class.js';
export { registerReducer } from './register-reducer.js';
export { isRef, ref, resolveRef, type AnyFunction, type RefFunction, type UnknownFunction } from './ref.js';
export { withScope } from './with-scope.js';
export type { BytesLike, ReduceContext, ReviveContext, Sidecar } from './types.js';
