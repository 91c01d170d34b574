/**
 * The default start method, as @mp/context decides it. This package sits below @mp/context, so
 * context installs the resolver when it loads; without it (no processes at all) pipes are
 * thread pipes (MessageChannel).
 */
/**
 * The kind of children a Pipe's ends are for.
 *
 * @example
 * ```ts
 * const method: PipeMethod = 'spawn';
 * Pipe(true, { method });
 * ```
 */
export type PipeMethod = 'thread' | 'spawn';

const KEY = Symbol.for('@mp/connection.defaultStartMethod');
type Holder = typeof globalThis & { [KEY]?: () => PipeMethod };

/**
 * Installs how Pipe() finds the default start method (@mp/context calls it when it loads).
 *
 * @example
 * ```ts
 * setDefaultStartMethodResolver(() => 'spawn');
 * ```
 */
export function setDefaultStartMethodResolver(resolver: () => PipeMethod): void {
  (globalThis as Holder)[KEY] = resolver;
}

/**
 * The default start method as the installed resolver says (`'thread'` without one).
 *
 * @example
 * ```ts
 * defaultStartMethod(); // 'thread'
 * ```
 */
export function defaultStartMethod(): PipeMethod {
  return (globalThis as Holder)[KEY]?.() ?? 'thread';
}
