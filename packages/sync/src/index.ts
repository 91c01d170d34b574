/**
 * `@mp/sync`: synchronization primitives for multiprocess, on shared memory: Lock, RLock,
 * Semaphore, BoundedSemaphore, Event, Condition, Barrier and the reader/writer SharedLock.
 */
import './register.js';

export * from './exports.js';
