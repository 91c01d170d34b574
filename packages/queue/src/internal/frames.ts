/**
 * A FIFO of items stored as ring frames (`[u32 length][payload][pad to 4]`, layout.ts) in one
 * growable byte array. Producers buffer into it without an allocation per item, a run of frames
 * goes into the ring with one or two copies, and a whole buffer is one message to the broker.
 */
import { writeStringItem } from './item.js';
import { frameBytes } from './layout.js';

const INITIAL_BYTES = 4096;

export class FrameBuffer {
  #bytes: Uint8Array;
  #view: DataView;
  /** `#bytes` as a Buffer (for UTF-8 writes), made when first needed. */
  #buffer: Buffer | null = null;
  #start = 0;
  #end = 0;
  #count = 0;

  /** A buffer over existing frames (a message from a producer), or an empty one. */
  constructor(frames?: Uint8Array, count = 0) {
    this.#bytes = frames ?? new Uint8Array(INITIAL_BYTES);
    this.#view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.byteLength);
    if (frames !== undefined) {
      this.#end = frames.length;
      this.#count = count;
    }
  }

  /** Frames held. */
  get count(): number {
    return this.#count;
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.#end - this.#start;
  }

  #room(payload: number): number {
    const need = frameBytes(payload);
    if (this.#end + need > this.#bytes.length) {
      const size = this.#end - this.#start;
      if (size + need <= this.#bytes.length >> 1) {
        // Mostly drained: move the rest to the front instead of allocating.
        this.#bytes.copyWithin(0, this.#start, this.#end);
      } else {
        let capacity = this.#bytes.length;
        while (capacity < size + need) capacity *= 2;
        const next = new Uint8Array(capacity);
        next.set(this.#bytes.subarray(this.#start, this.#end));
        this.#bytes = next;
        this.#view = new DataView(next.buffer);
        this.#buffer = null;
      }
      this.#start = 0;
      this.#end = size;
    }
    const at = this.#end;
    this.#view.setUint32(at, payload, true);
    this.#end += need;
    this.#count++;
    return at + 4;
  }

  push(item: Uint8Array): void {
    const at = this.#room(item.length);
    this.#bytes.set(item, at);
  }

  pushString(item: string, byteLength: number): void {
    const at = this.#room(byteLength + 1);
    const bytes = this.#bytes;
    writeStringItem((this.#buffer ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), at, item, byteLength);
  }

  /** Payload length of the first frame. */
  firstLength(): number {
    return this.#view.getUint32(this.#start, true);
  }

  /** The payload of the first frame. */
  first(): Uint8Array {
    const length = this.firstLength();
    return this.#bytes.subarray(this.#start + 4, this.#start + 4 + length);
  }

  /**
   * The longest run of whole frames from the start that fits in `free` bytes, each at most
   * `maxFrame` bytes: `[end offset, frames]` (0 frames when the first does not qualify).
   */
  run(free: number, maxFrame: number): number {
    let at = this.#start;
    let frames = 0;
    const limit = Math.min(this.#end, this.#start + free);
    while (at < limit) {
      const size = frameBytes(this.#view.getUint32(at, true));
      if (size > maxFrame || at + size > limit) break;
      at += size;
      frames++;
    }
    this.#runEnd = at;
    return frames;
  }

  #runEnd = 0;

  /** The bytes of the last {@link run}. */
  runBytes(): Uint8Array {
    return this.#bytes.subarray(this.#start, this.#runEnd);
  }

  /** Drops the first `frames` frames, which end at `offset` (from run()), or the first frame. */
  consume(frames: number, offset = this.#start + frameBytes(this.firstLength())): void {
    this.#start = offset;
    this.#count -= frames;
    if (this.#count === 0) {
      this.#start = 0;
      this.#end = 0;
    }
  }

  /** Drops the last run(). */
  consumeRun(frames: number): void {
    this.consume(frames, this.#runEnd);
  }

  /** All frames, as one message (a copy), and empties the buffer. */
  take(): Uint8Array {
    const out = this.#bytes.slice(this.#start, this.#end);
    this.#start = 0;
    this.#end = 0;
    this.#count = 0;
    return out;
  }

  clear(): void {
    this.#start = 0;
    this.#end = 0;
    this.#count = 0;
  }
}
