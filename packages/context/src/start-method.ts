import { ValueError } from './errors.js';
import type { StartMethod } from './internal/runtime.js';

export type { StartMethod };

/**
 * The start methods this platform offers (`getAllStartMethods()` puts the default first).
 *
 * @example
 * ```ts
 * START_METHODS.includes('spawn'); // true
 * START_METHODS.includes('fork' as StartMethod); // false: Node.js cannot fork
 * ```
 */
export const START_METHODS: readonly StartMethod[] = ['thread', 'spawn'];

/** Checks a start method name; `fork`/`forkserver` get an explanation. */
export function checkStartMethod(method: unknown): StartMethod {
  if (method === 'thread' || method === 'spawn') return method;
  if (method === 'fork' || method === 'forkserver') {
    throw new ValueError(
      `cannot find context for '${method}': Node.js cannot fork() a running process, so the 'fork' and 'forkserver' ` +
        `start methods do not exist here. Use 'thread' (a worker thread with its own V8 isolate and real shared memory; ` +
        `the default) or 'spawn' (a new Node.js process).`,
    );
  }
  throw new ValueError(`cannot find context for ${JSON.stringify(method)}: the start methods are 'thread' and 'spawn'`);
}
