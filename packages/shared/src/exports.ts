export type { ArrayObj, BytesObj, SliceOf } from './array-base.js';
export { RawSharedArray, type RawSharedArrayConstructor } from './raw-shared-array.js';
export {
  SharedArray,
  SharedArray as Array,
  type SharedArrayConstructor,
  type SharedArrayOptions,
} from './shared-array.js';
export { SharedMemoryUnavailableError } from './errors.js';
export type { LockLike } from './lock-like.js';
export { RawArray, type RawArrayFunction } from './raw-array.js';
export type { ArrayInitializer, ElementOf, InputOf, Typecode, TypecodeInfo, TypecodeTable, TypedArrayOf, ValueOf } from './typecodes.js';
export { RawValue, type RawValueConstructor } from './raw-value.js';
export { Value, type ValueConstructor, type ValueObj, type ValueOptions } from './value.js';
