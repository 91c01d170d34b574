/**
 * Node modules that most children never use, loaded on first use: a `thread` child that starts
 * no process of its own should not pay for `node:child_process` at start-up, nor a child that
 * never talks to the broker for `node:crypto` (~40 internal modules, ~10 ms; measured in B7), nor
 * a spawn child that starts no thread for `node:worker_threads` (~6 ms).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let childProcess: typeof import('node:child_process') | undefined;

export function childProcessModule(): typeof import('node:child_process') {
  return (childProcess ??= require('node:child_process') as typeof import('node:child_process'));
}

let crypto: typeof import('node:crypto') | undefined;

export function cryptoModule(): typeof import('node:crypto') {
  return (crypto ??= require('node:crypto') as typeof import('node:crypto'));
}

let workerThreads: typeof import('node:worker_threads') | undefined;

export function workerThreadsModule(): typeof import('node:worker_threads') {
  return (workerThreads ??= require('node:worker_threads') as typeof import('node:worker_threads'));
}
