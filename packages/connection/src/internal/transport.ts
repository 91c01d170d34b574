/**
 * What a Connection runs over, one class per kind (as tinypool's workers implement one
 * interface): a MessagePort (thread pipes) or stream sockets (spawn pipes, Listener/Client).
 */
import type { ReduceContext, Sidecar } from '@mp/serialize/spi';

/** How a transport reports what it receives. */
export interface TransportEvents {
  /** One whole message. */
  frame(frame: Uint8Array, sidecar?: Sidecar): void;
  /** Nothing more will arrive: `null` for a clean end of stream, else the cause. */
  end(error: Error | null): void;
}

/** The serialized form of a transport handed to another process (see reducer in connection.ts). */
export type TransportData =
  | { t: 'port'; port: number }
  | { t: 'socket'; input: number; output: number; partial: Uint8Array | null };

export interface Transport {
  readonly kind: 'port' | 'socket';
  /** Queues one message (batched). `owned`: the bytes are ours and will not change. */
  send(payload: Uint8Array, owned: boolean): void;
  /** Queues an ASCII string in `dumps` layout; false when the shortcut does not apply. */
  sendString(text: string): boolean;
  /** Sends a message whose SharedArrayBuffers/ports travel beside it (ports only). */
  sendWithSidecar(payload: Uint8Array, sidecar: Sidecar): void;
  /** Why sending is impossible (the other end is gone), or null. */
  sendError(): Error | null;
  /** Starts receiving if not yet, and moves already-arrived messages in synchronously if it can. */
  pull(): void;
  /** Someone waits for a message (keep the event loop alive), or nobody does. */
  demand(wanted: boolean): void;
  /** Sends what is batched, then closes; data already sent is still delivered. */
  close(): void;
  /** Resolves once everything sent so far was handed to the operating system (or the peer). */
  drained(): Promise<void>;
  /** Sends what is batched now. */
  flush(): void;
  /**
   * Gives the underlying port/sockets to `ctx` (a child's transfer list). Returns null when the
   * destination cannot take them (no transfer possible). Afterwards this transport is inert.
   */
  handOver(ctx: ReduceContext): TransportData | null;
}
