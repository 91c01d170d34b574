/**
 * multiprocess: Python's multiprocess (multiprocessing + dill) for TypeScript. This package
 * re-exports every @mp package; `default` is the default context.
 */
export * from '@mp/serialize';
export * from '@mp/connection';
export * from '@mp/context';
export * from '@mp/sync';
export * from '@mp/shared';
export * from '@mp/queue';
export * from '@mp/pool';
export * from '@mp/manager';
export { defaultContext as default } from '@mp/context';
