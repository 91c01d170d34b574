export { Barrier } from './barrier.js';
export { Condition } from './condition.js';
export { BrokenBarrierError, NotAcquiredError, TooManyReleasesError } from './errors.js';
export { Event } from './event.js';
export { Lock } from './lock.js';
export { RLock } from './rlock.js';
export { BoundedSemaphore, Semaphore } from './semaphore.js';
export { SharedLock } from './shared-lock.js';
