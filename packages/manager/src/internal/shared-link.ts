/**
 * The shared-memory path between a manager's server and a client thread of the same process.
 *
 * Why: a proxy call is a request and a reply. Over a socket, each costs a write and a wake-up
 * of the other side's event loop (epoll); a raw Node ping-pong over a Unix socket is the floor
 * of that, about Python's own manager speed (see the README's design notes). When the server
 * runs in a thread of this process (the default `Manager()`, or `getServer()` served by another
 * thread), the two sides share memory: requests and replies go through two rings of a
 * SharedArrayBuffer (ring.ts), and a caller waits for its reply with `Atomics.wait` for a short
 * while (a futex wake, no event loop) before waiting asynchronously.
 *
 * How a connection gets here: it starts as usual over the socket (authkey handshake, hello).
 * The server's hello says where it runs (host, pid, thread) and names its lobby, a
 * BroadcastChannel; a client in another thread of the same process makes a SharedArrayBuffer,
 * posts it to the lobby with a random token, and sends `upgrade [token]` over the socket; the
 * server answers it over the socket, and from then on every message of that connection goes
 * through the rings. The socket stays open: its end tells either side that the other is gone,
 * and it carries the messages too large for a ring (a frame of kind ON_SOCKET in the ring
 * marks the place of each, so the order is kept).
 *
 * A ring frame is one byte of kind, then:
 * - TEXT: the message as JSON text (what `pack` makes of small plain messages);
 * - PARTS: `[u32 head length][head JSON][payload bytes]` (pack's `[head, bytes]`);
 * - ON_SOCKET: nothing; the message is the next one on the socket.
 * A frame that does not fit in the ring for now waits in `#outbox` (in order, before any later
 * one); the reader of a ring that finds its ROOM flag set rings the writer's bell after reading.
 */
import { Buffer } from 'node:buffer';
import { MAX_INLINE, Ring, ring, RING_BYTES, ROOM } from './ring.js';
import { unpack, unpackParts, type Unpacked } from './wire.js';

const TEXT = 0;
const PARTS = 1;
const ON_SOCKET = 2;
const MARKER = Uint8Array.of(ON_SOCKET);
/** Given to a reader waiting for a socket message when the socket ends (`unpack` refuses it). */
const SOCKET_ENDED = Symbol('socket ended');

/** What `pack` made of a message: JSON text, or [head JSON, payload bytes]. */
export type Packed = string | [string, Uint8Array];

/** Where a link's hello says its server runs, and the lobby to upgrade through. */
export interface LinkOffer {
  readonly host: string;
  readonly pid: number;
  readonly thread: number;
  readonly lobby: string;
}

/** The bytes both rings of a link take (the client makes them). */
export const LINK_BYTES = 2 * RING_BYTES;

function partsFrame(head: string, payload: Uint8Array): Uint8Array {
  const headBytes = Buffer.from(head, 'utf8');
  const frame = Buffer.allocUnsafe(5 + headBytes.byteLength + payload.byteLength);
  frame[0] = PARTS;
  frame.writeUInt32LE(headBytes.byteLength, 1);
  headBytes.copy(frame, 5);
  frame.set(payload, 5 + headBytes.byteLength);
  return frame;
}

function textFrame(text: string): Uint8Array {
  const bytes = Buffer.allocUnsafe(1 + Buffer.byteLength(text, 'utf8'));
  bytes[0] = TEXT;
  bytes.write(text, 1, 'utf8');
  return bytes;
}

/** One side of a link: writes `out`, reads `in`. */
export class Link {
  readonly sab: SharedArrayBuffer;
  readonly out: Ring;
  readonly in: Ring;
  readonly #outbox: Uint8Array[] = [];
  /** Socket messages that arrived before their ON_SOCKET frame was read. */
  readonly #socketMessages: unknown[] = [];
  /** An ON_SOCKET frame was read and its message has not arrived yet. */
  #socketWaiter: ((received: unknown) => void) | null = null;
  /** Set while a message is awaited (decoding, or its socket part): reading is paused until it settles. */
  #blocked: Promise<void> | null = null;
  /** The socket ended: no ON_SOCKET message will come any more. */
  #socketEnded = false;
  /** The message of the frame being read (set by #take). */
  #next: Unpacked | Promise<Unpacked> | typeof MARKER | null = null;
  readonly #take = (bytes: Buffer, start: number, end: number): void => {
    switch (bytes[start]) {
      case TEXT:
        this.#next = unpack(bytes.toString('utf8', start + 1, end));
        return;
      case PARTS: {
        const headEnd = start + 5 + bytes.readUInt32LE(start + 1);
        // The payload is copied: the ring's memory is reused once this frame is read.
        this.#next = unpackParts(bytes.toString('utf8', start + 5, headEnd), Uint8Array.prototype.slice.call(bytes, headEnd, end));
        return;
      }
      case ON_SOCKET:
        this.#next = MARKER;
        return;
      default:
        throw new TypeError('malformed manager link frame');
    }
  };

  /** `side`: the client writes the first ring and reads the second; the server the other way. */
  constructor(sab: SharedArrayBuffer, side: 'client' | 'server') {
    if (!(sab instanceof SharedArrayBuffer) || sab.byteLength !== LINK_BYTES) throw new TypeError('malformed manager link');
    this.sab = sab;
    const first = new Ring(sab, 0);
    const second = new Ring(sab, RING_BYTES);
    this.out = side === 'client' ? first : second;
    this.in = side === 'client' ? second : first;
  }

  /** The word this side sleeps on (bumped when a frame or room arrives for it). */
  get bell(): Int32Array {
    return this.in.i32;
  }

  /** True while frames wait for room in the other side's ring. */
  get backlogged(): boolean {
    return this.#outbox.length > 0;
  }

  /** True while reading waits for the socket part of an ON_SOCKET frame. */
  get awaitingSocket(): boolean {
    return this.#socketWaiter !== null;
  }

  /**
   * Sends a packed message, in order after every earlier one: through the ring, or (too large)
   * over the socket with `viaSocket` and an ON_SOCKET frame in its place.
   */
  send(packed: Packed, viaSocket: (packed: Packed) => void): void {
    if (typeof packed === 'string') {
      if (this.#outbox.length === 0) {
        const written = this.out.writeText(TEXT, packed);
        if (written === true) {
          ring(this.out.i32);
          return;
        }
        if (written === false && 3 * packed.length < MAX_INLINE) {
          this.#enqueue(textFrame(packed));
          return;
        }
      }
      const frame = textFrame(packed);
      if (frame.byteLength <= MAX_INLINE) {
        this.#enqueue(frame);
        return;
      }
    } else if (packed[1].byteLength + 3 * packed[0].length + 5 <= MAX_INLINE) {
      this.#enqueue(partsFrame(packed[0], packed[1]));
      return;
    }
    viaSocket(packed);
    this.#enqueue(MARKER);
  }

  #enqueue(frame: Uint8Array): void {
    if (this.#outbox.length === 0 && this.out.write([frame], frame.byteLength)) {
      ring(this.out.i32);
      return;
    }
    this.#outbox.push(frame);
    this.flush();
  }

  /** Moves waiting frames into the ring as room allows; asks the reader for a bell when some are left. */
  flush(): void {
    const outbox = this.#outbox;
    if (outbox.length === 0) return;
    let moved = 0;
    for (let attempt = 0; attempt < 2 && moved < outbox.length; attempt++) {
      while (moved < outbox.length && this.out.write([outbox[moved]!], outbox[moved]!.byteLength)) moved++;
      // Ask for a bell when room is made, then look again: the reader may have made room in between.
      if (moved < outbox.length && attempt === 0) Atomics.store(this.out.i32, ROOM, 1);
    }
    if (moved > 0) {
      outbox.splice(0, moved);
      ring(this.out.i32);
    }
  }

  /** A message that arrived on the socket (the part of an ON_SOCKET frame). */
  deliverSocket(received: unknown): void {
    if (received === SOCKET_ENDED && this.#socketWaiter === null) return;
    const waiter = this.#socketWaiter;
    if (waiter !== null) {
      this.#socketWaiter = null;
      waiter(received);
    } else {
      this.#socketMessages.push(received);
    }
  }

  /** The socket ended: a reader waiting for its part of an ON_SOCKET frame fails (as will later ones). */
  endSocket(): void {
    this.#socketEnded = true;
    this.deliverSocket(SOCKET_ENDED);
  }

  /**
   * Reads every waiting frame and gives each message to `handle`, in order. Returns null when
   * the ring is empty, or a Promise (never rejecting) when a message must be awaited first:
   * call `pump` again once it settles. Throws on a malformed frame (the link is then unusable).
   */
  pump(handle: (message: Unpacked) => void): Promise<void> | null {
    if (this.#blocked !== null) return this.#blocked;
    try {
      for (;;) {
        this.#next = null;
        if (!this.in.read(this.#take)) return null;
        let message = this.#next as Unpacked | Promise<Unpacked> | typeof MARKER | null;
        this.#next = null;
        if (message === MARKER) {
          const received = this.#socketMessages.shift();
          message =
            received !== undefined
              ? unpack(received)
              : this.#socketEnded
                ? Promise.reject(new TypeError('the socket of a manager link ended before a message it carried'))
                : new Promise<unknown>((resolve) => {
                    this.#socketWaiter = resolve;
                  }).then(unpack);
        }
        if (message instanceof Promise) {
          const blocked: Promise<void> = message.then(
            (settled) => {
              this.#blocked = null;
              handle(settled);
            },
            (error: unknown) => {
              this.#blocked = Promise.reject(error);
              this.#blocked.catch(() => {});
            },
          );
          this.#blocked = blocked;
          return blocked;
        }
        handle(message as Unpacked);
      }
    } finally {
      // Frames were read: wake a writer that waits for room.
      if (Atomics.load(this.in.i32, ROOM) !== 0) {
        Atomics.store(this.in.i32, ROOM, 0);
        ring(this.out.i32);
      }
    }
  }

  /** Wakes this side's own sleeper (to stop its loop). */
  wake(): void {
    ring(this.in.i32);
  }
}
