/**
 * What a queue object does, behind its public class: `LocalCore` in the isolates of the root
 * process (shared memory), `RemoteCore` in spawn children and their threads (the broker).
 * Items are encoded (item.ts) before they reach the broker, which never decodes user data.
 */
import type { Deadline, Handle } from '@mp/context/spi';

/** Facts fixed when a queue is created; they travel with every handle. */
export interface QueueMeta {
  /** 0 = unbounded. */
  readonly maxsize: number;
  /** Ring bytes (a power of two). */
  readonly capacity: number;
  readonly joinable: boolean;
  /** SimpleQueue: every put from a spawn child is sent at once (no batching). */
  readonly simple: boolean;
}

export interface Core {
  readonly handle: Handle<QueueMeta>;
  /** An unbounded put (never waits); the item is serialized now. */
  putNow(item: unknown): void;
  /** A bounded put: waits for a free slot (throws Full when `deadline` expires or `block` is false). */
  putBounded(bytes: Uint8Array, block: boolean, deadline: Deadline): Promise<void>;
  putBoundedSync(bytes: Uint8Array, block: boolean, deadline: Deadline): void;
  /** The next item, decoded. */
  get(block: boolean, deadline: Deadline): Promise<unknown>;
  getSync(block: boolean, deadline: Deadline): unknown;
  size(): number;
  taskDone(): void;
  join(): Promise<void>;
  joinSync(): void;
  /** Moves this object's buffered items into the queue (ring or broker); never waits for a reader. */
  flush(): void;
  /** At exit (or joinThread): flush, or drop the buffer after cancelJoinThread(). */
  cancelJoinThread(): void;
}

export const TASK_DONE_TOO_MANY = 'task_done() called too many times: call taskDone() once per item taken with get()';
