/**
 * Registrations that make queues work across isolates: the shared kinds (so queues cross to any
 * child as live handles), the broker-side operations, the library exports (by-value functions may
 * use `Queue`, `Empty`, ... as free variables), and the context factories (`ctx.Queue()`, ...).
 */
import { callerSignal, Deadline, defineContextMethods, registerSharedClass, withAttaching } from '@mp/context/spi';
import { registerLibraryExports } from '@mp/serialize/spi';
import { Empty, Full } from './errors.js';
import { coreOf, JOINABLE_KIND, QUEUE_KIND, SIMPLE_KIND } from './internal/kinds.js';
import { LocalCore } from './internal/local-core.js';
import { awaitOn } from './internal/waiting.js';
import { JoinableQueue } from './joinable-queue.js';
import { Queue } from './queue.js';
import { SimpleQueue } from './simple-queue.js';

// Subclasses first: a reducer matches with instanceof, in registration order.
registerSharedClass(JoinableQueue, JOINABLE_KIND, (q) => coreOf(q).handle, (h) => withAttaching(h, () => new JoinableQueue()));
registerSharedClass(SimpleQueue, SIMPLE_KIND, (q) => coreOf(q).handle, (h) => withAttaching(h, () => new SimpleQueue()));
registerSharedClass(Queue, QUEUE_KIND, (q) => coreOf(q).handle, (h) => withAttaching(h, () => new Queue()));

/** The broker-side instance's core (these methods run only in the broker thread). */
function local(queue: object): LocalCore {
  const core = coreOf(queue);
  if (!(core instanceof LocalCore)) throw new TypeError('queue broker operations run only where the segment is mapped');
  return core;
}

/** A timeout from a remote caller: 0 = do not wait, null = forever. */
function deadlineOf(timeoutMs: number | null): Deadline {
  return new Deadline(timeoutMs);
}

/**
 * Operations the broker runs for spawn children (by name, on its own instance of the queue).
 * Their names start with `queue:` so they stay off the public types.
 */
const brokerOperations: Record<string, (this: object, ...args: never[]) => unknown> = {
  'queue:put'(this: object, bytes: Uint8Array): void {
    local(this).broker.put(bytes);
  },
  'queue:putFrames'(this: object, frames: Uint8Array, count: number): void {
    local(this).broker.putFrames(frames, count);
  },
  'queue:accept'(this: object, frames: Uint8Array, count: number): void {
    local(this).broker.accept(frames, count);
  },
  'queue:acceptBig'(this: object, item: Uint8Array): void {
    local(this).broker.acceptBig(item);
  },
  async 'queue:putBounded'(this: object, bytes: Uint8Array, timeoutMs: number | null): Promise<void> {
    const core = local(this);
    const seg = core.seg;
    const deadline = deadlineOf(timeoutMs);
    const signal = callerSignal();
    for (;;) {
      const r = seg.reserve();
      if (r === true) break;
      if (deadline.expired()) throw new Full();
      if (signal?.aborted) throw signal.reason;
      await awaitOn(seg, r, deadline);
    }
    if (core.handle.meta.joinable) seg.addUnfinished();
    core.broker.put(bytes, true);
  },
  'queue:get'(this: object, timeoutMs: number | null): Promise<Uint8Array> {
    return local(this).getBytes(timeoutMs !== 0, deadlineOf(timeoutMs), callerSignal());
  },
  'queue:qsize'(this: object): number {
    return local(this).size();
  },
  'queue:taskDone'(this: object): void {
    local(this).taskDone();
  },
  'queue:join'(this: object): Promise<void> {
    return local(this).join();
  },
};
for (const cls of [Queue, SimpleQueue]) {
  for (const [name, fn] of Object.entries(brokerOperations)) {
    Object.defineProperty(cls.prototype, name, { value: fn, writable: false, enumerable: false, configurable: true });
  }
}

registerLibraryExports(import.meta.url, { Queue, JoinableQueue, SimpleQueue, Empty, Full });

defineContextMethods({
  Queue(maxsize?: number) {
    return new Queue(maxsize);
  },
  JoinableQueue(maxsize?: number) {
    return new JoinableQueue(maxsize);
  },
  SimpleQueue() {
    return new SimpleQueue();
  },
});

declare module '@mp/context' {
  interface BaseContext {
    /**
     * A {@link Queue} (Python's `ctx.Queue(maxsize)`).
     *
     * @example
     * ```ts
     * const q = getContext('spawn').Queue<number>();
     * ```
     */
    Queue<T = unknown>(maxsize?: number): Queue<T>;
    /**
     * A {@link JoinableQueue} (Python's `ctx.JoinableQueue(maxsize)`).
     *
     * @example
     * ```ts
     * const q = getContext().JoinableQueue<string>();
     * ```
     */
    JoinableQueue<T = unknown>(maxsize?: number): JoinableQueue<T>;
    /**
     * A {@link SimpleQueue} (Python's `ctx.SimpleQueue()`).
     *
     * @example
     * ```ts
     * const q = getContext('thread').SimpleQueue<number>();
     * ```
     */
    SimpleQueue<T = unknown>(): SimpleQueue<T>;
  }
}
