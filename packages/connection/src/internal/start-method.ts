/**
 * The default start method, as @mp/context decides it. This package sits below @mp/context, so
 * context installs the resolver when it loads; without it (no processes at all) pipes are
 * thread pipes (MessageChannel).
 */
export type PipeMethod = 'thread' | 'spawn';

const KEY = Symbol.for('@mp/connection.defaultStartMethod');
type Holder = typeof globalThis & { [KEY]?: () => PipeMethod };

export function setDefaultStartMethodResolver(resolver: () => PipeMethod): void {
  (globalThis as Holder)[KEY] = resolver;
}

export function defaultStartMethod(): PipeMethod {
  return (globalThis as Holder)[KEY]?.() ?? 'thread';
}
