export { AsyncResult } from './async-result.js';
export { MaybeEncodingError, PoolTerminatedError, RemoteTraceback, type TaskInfo, WorkerDiedError, type WorkerDiedDetails } from './errors.js';
export { IMapIterator } from './imap-iterator.js';
export type { IMapOptions, MapOptions, PoolOptions, TaskOptions } from './options.js';
export { type ErrorCallback, Pool, type ResultCallback, type TaskFunction, type TaskInput } from './pool.js';
export type { ProcessLike } from './internal/worker-handle.js';
export { type TaskContext, taskSignal } from './task-context.js';
