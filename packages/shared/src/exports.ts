export {
  type ArrayObj,
  type BytesObj,
  RawSharedArray,
  type RawSharedArrayConstructor,
  SharedArray,
  SharedArray as Array,
  type SharedArrayConstructor,
  type SharedArrayOptions,
  type SliceOf,
} from './array.js';
export { SharedMemoryUnavailableError } from './errors.js';
export type { LockLike } from './lock-like.js';
export { RawArray, type RawArrayFunction } from './raw-array.js';
export type { ArrayInitializer, ElementOf, InputOf, Typecode, TypecodeTable, TypedArrayOf, ValueOf } from './typecodes.js';
export { RawValue, type RawValueConstructor, Value, type ValueConstructor, type ValueObj, type ValueOptions } from './value.js';
