/**
 * `@mp/serialize/spi`: plumbing for the other `@mp/*` packages (and library authors). Public and
 * semver-covered, but users normally need only the main entry.
 *
 * @module \@mp/serialize/spi
 */
export { decode, decodeAsync, encode, type EncodeOptions, type Encoded } from './codec.js';
export { libraryModules, registerLibraryExports } from './library-exports.js';
export { isRef, resolveRef, type AnyFunction, type RefFunction, type UnknownFunction } from './ref.js';
export { refInfo, type RefInfo } from './internal/ref-info.js';
export type { BytesLike, ReduceContext, ReviveContext, Sidecar } from './types.js';
