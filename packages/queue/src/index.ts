export { Empty, Full } from './errors.js';
export { JoinableQueue } from './joinable-queue.js';
export { Queue } from './queue.js';
export { SimpleQueue } from './simple-queue.js';
import './register.js';
