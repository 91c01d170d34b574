/**
 * Outgoing batching, shared by both transports. `send()` is synchronous and cheap: each message
 * becomes a length-prefixed frame copied into the current batch buffer, and the batch leaves once
 * per tick (a microtask) or as soon as it holds {@link MAX_BATCH} bytes. A loop of 100k sends
 * thus costs ~400 postMessage/write calls instead of 100k. Messages above {@link DIRECT_LIMIT}
 * go on their own, without the copy when the bytes are ours (a `dumps` result).
 *
 * Layout of a batch: `[u32 BE length][payload]` repeated, the same framing as the socket stream,
 * so a batch is just a chunk of that stream. Frames never span two batches.
 *
 * Every batch not yet handed to its sink is also in a per-isolate set, flushed synchronously on
 * `process.on('exit')`, so `send(x); process.exit()` still sends `x`.
 */
import { Buffer } from 'node:buffer';
import { FRAME_HEADER, MAX_FRAME } from './frame.js';
import { asciiFrameLength, tryWriteAscii } from './message-codec.js';

/** A batch is sent once it holds this many bytes. */
export const MAX_BATCH = 16 * 1024;
/** Payloads above this size are sent on their own. */
export const DIRECT_LIMIT = 16 * 1024;
const MIN_BATCH = 512;

/** Where batches go. The writer never touches a chunk again after handing it over. */
export interface FrameSink {
  /**
   * Whole frames. Returns true when the sink is done with the memory already (written to the OS
   * synchronously): the writer then reuses the buffer; otherwise the buffer is the sink's.
   */
  writeChunk(chunk: Uint8Array): boolean;
  /** One message on its own (no header). `owned`: the bytes are not the caller's, keep or transfer them. */
  writeLarge(payload: Uint8Array, owned: boolean): void;
}

const KEY = Symbol.for('@mp/connection.pendingWriters');
type Holder = typeof globalThis & { [KEY]?: Set<FrameWriter> };

function pendingWriters(): Set<FrameWriter> {
  const holder = globalThis as Holder;
  let set = holder[KEY];
  if (set === undefined) {
    const created = new Set<FrameWriter>();
    holder[KEY] = set = created;
    process.on('exit', () => {
      for (const writer of [...created]) writer.flush();
    });
  }
  return set;
}

export class FrameWriter {
  readonly #sink: FrameSink;
  #buf: Buffer | null = null;
  /** A buffer the sink gave back (written synchronously), reused for the next batch. */
  #spare: Buffer | null = null;
  #used = 0;
  #scheduled = false;
  /** Size of the last batch sent, to size the next one. */
  #lastBatch = 0;
  readonly #flush = (): void => this.flush();

  constructor(sink: FrameSink) {
    this.#sink = sink;
  }

  /** Sends the batch of every writer of this isolate now. */
  static flushAll(): void {
    for (const writer of [...pendingWriters()]) writer.flush();
  }

  /** True while a batch waits to be sent. */
  get pending(): boolean {
    return this.#used > 0;
  }

  /** Queues one message. `owned`: the bytes are ours (not the caller's) and will not change. */
  add(payload: Uint8Array, owned: boolean): void {
    const size = payload.byteLength;
    if (size > MAX_FRAME) throw new RangeError(`cannot send a message of ${size} bytes: the limit is ${MAX_FRAME} bytes`);
    if (size > DIRECT_LIMIT) {
      this.flush();
      this.#sink.writeLarge(payload, owned);
      return;
    }
    const at = this.#reserve(FRAME_HEADER + size);
    const buf = this.#buf!;
    buf.writeUInt32BE(size, at);
    buf.set(payload, at + FRAME_HEADER);
    this.#used = at + FRAME_HEADER + size;
  }

  /** Queues an ASCII string in `dumps` layout; false (nothing queued) when it is not ASCII or too long. */
  addString(text: string): boolean {
    if (text.length > DIRECT_LIMIT / 4) return false;
    const at = this.#reserve(FRAME_HEADER + asciiFrameLength(text.length) + 2 * text.length);
    const buf = this.#buf!;
    const size = tryWriteAscii(buf, at + FRAME_HEADER, text);
    if (size < 0) return false;
    buf.writeUInt32BE(size, at);
    this.#used = at + FRAME_HEADER + size;
    return true;
  }

  /** Sends the current batch now. */
  flush(): void {
    const buf = this.#buf;
    if (buf === null || this.#used === 0) {
      pendingWriters().delete(this);
      return;
    }
    const chunk = buf.subarray(0, this.#used);
    this.#lastBatch = this.#used;
    this.#buf = null;
    this.#used = 0;
    pendingWriters().delete(this);
    if (this.#sink.writeChunk(chunk)) this.#spare = buf;
  }

  /** Room for `need` bytes at the end of the batch; returns where they start. */
  #reserve(need: number): number {
    let buf = this.#buf;
    const used = this.#used;
    if (buf !== null && used + need <= buf.byteLength) return used;
    if (buf !== null && used + need > MAX_BATCH) {
      this.flush();
      buf = null;
    }
    if (buf === null) {
      const size = Math.max(need, Math.min(MAX_BATCH, Math.max(MIN_BATCH, this.#lastBatch * 2)));
      const spare = this.#spare;
      this.#spare = null;
      this.#buf = spare !== null && spare.byteLength >= size ? spare : Buffer.allocUnsafeSlow(size);
      this.#used = 0;
      if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(() => {
          this.#scheduled = false;
          this.#flush();
        });
      }
      pendingWriters().add(this);
      return 0;
    }
    // Grow within the batch limit: one copy of what is already batched.
    const grown = Buffer.allocUnsafeSlow(Math.max(used + need, Math.min(MAX_BATCH, buf.byteLength * 2)));
    buf.copy(grown, 0, 0, used);
    this.#buf = grown;
    return used;
  }
}
