/**
 * Node modules that most children never use, loaded on first use: a `thread` child that starts
 * no process of its own should not pay for `node:child_process` at start-up.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let childProcess: typeof import('node:child_process') | undefined;

export function childProcessModule(): typeof import('node:child_process') {
  return (childProcess ??= require('node:child_process') as typeof import('node:child_process'));
}
