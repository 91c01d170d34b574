import { fallbackStartMethod, runtime, type StartMethod } from './runtime.js';

/**
 * The start method of the default context, fixing it on first use (Python's
 * `_default_context.get_context()`).
 */
export function actualStartMethod(): StartMethod {
  const rt = runtime();
  return (rt.defaultMethod ??= fallbackStartMethod());
}
