/**
 * A queue object in an isolate of the root process: every operation runs on the shared segment.
 *
 * Producers never wait for room (Python's feeder thread): an item goes straight into the ring
 * when it fits and nothing of this object is waiting before it; otherwise it joins this object's
 * buffer, which an async feeder (and every later put) drains into the ring as readers make room.
 * The buffer is handed to the broker (the root's broker thread, which outlives any child) when it
 * grows past HANDOVER_BYTES, when an item is too big for one frame, before this thread blocks in
 * a `…Sync` call of a queue, and at exit. While the broker holds items (`OVERFLOW > 0`) producers
 * keep theirs buffered, so the items of each producer enter the ring in the order they were put.
 */
import { Deadline, type LocalHandle, sendToBroker } from '@mp/context/spi';
import { ValueError } from '@mp/context';
import { Empty, Full } from '../errors.js';
import { BrokerSide } from './broker-side.js';
import { type Core, type QueueMeta, TASK_DONE_TOO_MANY } from './core.js';
import { setBuffered } from './exit.js';
import { FrameBuffer } from './frames.js';
import { decodeItem, decodeItemAsync, encodeItem } from './item.js';
import { frameBytes, OVERFLOW, OVERFLOW_WAITERS, WLOCK } from './layout.js';
import { DECODED, ReadOp, readStep, releaseRead } from './reader.js';
import { Segment, type Wait } from './segment.js';
import { awaitOn, blockOn, idleOn } from './waiting.js';

/** Buffered bytes past which a producer hands its buffer to the broker. */
const HANDOVER_BYTES = 16 << 20;
const FEEDER_SLICE_MS = 50;

/** Every LocalCore of this isolate with buffered items: flushed before a blocking call. */
const withBuffer = new Set<LocalCore>();

function flushBeforeBlocking(): void {
  for (const core of [...withBuffer]) core.flush();
}

export class LocalCore implements Core {
  readonly handle: LocalHandle<QueueMeta>;
  readonly seg: Segment;
  readonly #joinable: boolean;
  readonly #pending = new FrameBuffer();
  #feeding = false;
  /** In `withBuffer` and the exit hook's set. */
  #marked = false;
  #cancelled = false;
  #broker: BrokerSide | null = null;

  constructor(handle: LocalHandle<QueueMeta>) {
    this.handle = handle;
    this.seg = new Segment(handle.sab, handle.meta.capacity, handle.meta.maxsize);
    this.#joinable = handle.meta.joinable;
  }

  /** The broker's side of this queue (only used in the broker thread). */
  get broker(): BrokerSide {
    return (this.#broker ??= new BrokerSide(this.seg, this.#joinable));
  }

  // ---- producing ---------------------------------------------------------------------------

  putNow(item: unknown): void {
    const seg = this.seg;
    if (typeof item === 'string') {
      const byteLength = Buffer.byteLength(item, 'utf8');
      if (frameBytes(byteLength + 1) <= seg.maxInline) {
        seg.countPut(this.#joinable);
        // The common case, without intermediate bytes: UTF-8 straight into the ring (or the buffer).
        if (this.#pending.count === 0 && seg.overflow() === 0 && seg.lock(WLOCK) === true) {
          const written = seg.writeString(item, byteLength);
          seg.unlock(WLOCK);
          if (written) return;
        }
        this.#pending.pushString(item, byteLength);
        this.#buffered();
        return;
      }
    }
    const bytes = encodeItem(item);
    seg.countPut(this.#joinable);
    this.#enqueue(bytes);
  }

  async putBounded(bytes: Uint8Array, block: boolean, deadline: Deadline): Promise<void> {
    for (;;) {
      const r = this.seg.reserve();
      if (r === true) break;
      if (!block || deadline.expired()) throw new Full();
      await awaitOn(this.seg, r, deadline);
    }
    this.#reserved(bytes);
  }

  putBoundedSync(bytes: Uint8Array, block: boolean, deadline: Deadline): void {
    for (let first = true; ; first = false) {
      const r = this.seg.reserve();
      if (r === true) break;
      if (!block || deadline.expired()) throw new Full();
      if (first) flushBeforeBlocking();
      blockOn(this.seg, r, deadline);
    }
    this.#reserved(bytes);
  }

  #reserved(bytes: Uint8Array): void {
    if (this.#joinable) this.seg.addUnfinished();
    this.#enqueue(bytes);
  }

  /** An item already counted: into the ring if nothing of ours waits before it, else buffered. */
  #enqueue(bytes: Uint8Array): void {
    const seg = this.seg;
    const big = frameBytes(bytes.length) > seg.maxInline;
    if (!big && this.#pending.count === 0 && seg.overflow() === 0 && seg.lock(WLOCK) === true) {
      const written = seg.writeOne(bytes);
      seg.unlock(WLOCK);
      if (written) return;
    }
    if (big) {
      // Too big for one frame: the broker writes it in fragments. Its own message: no extra copy.
      this.#handover();
      this.#toBroker('queue:acceptBig', [bytes], 1);
      return;
    }
    this.#pending.push(bytes);
    this.#buffered();
  }

  /** After buffering: hand the buffer over, or write what fits and let the feeder do the rest. */
  #buffered(): void {
    if (this.#pending.byteLength > HANDOVER_BYTES) {
      this.#handover();
      return;
    }
    this.#pump();
    if (this.#pending.count > 0) {
      this.#markBuffered(true);
      if (!this.#feeding) void this.#feed();
    }
  }

  /** Writes the buffered frames that fit now (never waits); false if the ring could not be used. */
  #pump(): boolean {
    const seg = this.seg;
    const pending = this.#pending;
    if (pending.count === 0) return true;
    if (seg.overflow() > 0 || seg.lock(WLOCK) !== true) return false;
    const n = pending.run(seg.free(), seg.maxInline);
    if (n > 0) seg.writeRun(pending.runBytes());
    seg.unlock(WLOCK);
    pending.consumeRun(n);
    if (pending.count === 0) this.#markBuffered(false);
    return n > 0;
  }

  #markBuffered(has: boolean): void {
    if (has === this.#marked) return;
    this.#marked = has;
    if (has) withBuffer.add(this);
    else withBuffer.delete(this);
    setBuffered(this, has);
  }

  /** The feeder: drains the buffer into the ring as room appears (does not keep the program alive). */
  async #feed(): Promise<void> {
    this.#feeding = true;
    const seg = this.seg;
    try {
      while (this.#pending.count > 0) {
        const overflow = seg.overflow();
        if (overflow > 0) {
          const wait: Wait = { index: OVERFLOW, value: overflow, waiters: OVERFLOW_WAITERS, slice: FEEDER_SLICE_MS, flag: -1 };
          await idleOn(seg, wait, FEEDER_SLICE_MS);
          continue;
        }
        const space = seg.spaceWait();
        if (this.#pump()) continue;
        const locked = seg.lock(WLOCK);
        if (locked !== true) await idleOn(seg, locked, FEEDER_SLICE_MS);
        else {
          seg.unlock(WLOCK);
          await idleOn(seg, space, FEEDER_SLICE_MS * 20);
        }
      }
    } finally {
      this.#feeding = false;
    }
  }

  /** Gives every buffered item to the broker, in order. */
  #handover(): void {
    const count = this.#pending.count;
    if (count === 0) return;
    const frames = this.#pending.take();
    this.#markBuffered(false);
    this.#toBroker('queue:accept', [frames, count], count);
  }

  /** Sends items to the broker, counted in OVERFLOW first (so no producer writes past them). */
  #toBroker(method: string, args: unknown[], count: number): void {
    this.seg.addOverflow(count);
    try {
      sendToBroker(this.handle, method, args);
    } catch (error) {
      this.seg.subOverflow(count);
      throw error;
    }
  }

  flush(): void {
    this.#pump();
    this.#handover();
  }

  exitFlush(): void {
    if (this.#cancelled) {
      this.seg.uncount(this.#pending.count, this.#joinable);
      this.#pending.clear();
      this.#markBuffered(false);
      return;
    }
    this.flush();
  }

  cancelJoinThread(): void {
    this.#cancelled = true;
  }

  // ---- consuming ---------------------------------------------------------------------------

  getSync(block: boolean, deadline: Deadline): unknown {
    const seg = this.seg;
    // This object's own buffered items come first (a thread that puts, then gets).
    if (this.#pending.count > 0) this.#pump();
    const op = new ReadOp(true);
    try {
      for (let first = true; ; first = false) {
        const r = readStep(seg, op);
        if (r === DECODED) return op.value;
        if (r instanceof Uint8Array) return decodeItem(r);
        if (!op.holding && (!block || deadline.expired())) throw new Empty();
        if (first) flushBeforeBlocking();
        blockOn(seg, r, op.holding ? forever : deadline);
      }
    } finally {
      releaseRead(seg, op);
    }
  }

  async get(block: boolean, deadline: Deadline): Promise<unknown> {
    if (this.#pending.count > 0) this.#pump();
    const op = new ReadOp(true);
    const r = readStep(this.seg, op);
    if (r === DECODED) return op.value;
    if (r instanceof Uint8Array) return decodeItemAsync(r);
    const bytes = await this.#getSlow(op, r, block, deadline);
    return bytes === null ? op.value : decodeItemAsync(bytes);
  }

  /** The broker's get for a remote caller: the item's bytes (never decoded here). */
  async getBytes(block: boolean, deadline: Deadline, signal?: AbortSignal): Promise<Uint8Array> {
    const op = new ReadOp(false);
    const bytes = await this.#getSlow(op, null, block, deadline, signal);
    return bytes!;
  }

  /** Waits for an item: its bytes, or null when it was decoded in place (op.value). */
  async #getSlow(op: ReadOp, first: Wait | null, block: boolean, deadline: Deadline, signal?: AbortSignal): Promise<Uint8Array | null> {
    const seg = this.seg;
    try {
      for (let r = first ?? readStep(seg, op); ; r = readStep(seg, op)) {
        if (r === DECODED) return null;
        if (r instanceof Uint8Array) return r;
        if (!op.holding && (!block || deadline.expired())) throw new Empty();
        await awaitOn(seg, r, op.holding ? forever : deadline);
        if (signal?.aborted && !op.holding) throw signal.reason;
      }
    } finally {
      releaseRead(seg, op);
    }
  }

  size(): number {
    return this.seg.size();
  }

  taskDone(): void {
    if (!this.seg.taskDone()) throw new ValueError(TASK_DONE_TOO_MANY);
  }

  async join(): Promise<void> {
    for (;;) {
      const r = this.seg.joinStep();
      if (r === true) return;
      await awaitOn(this.seg, r, forever);
    }
  }

  joinSync(): void {
    flushBeforeBlocking();
    for (;;) {
      const r = this.seg.joinStep();
      if (r === true) return;
      blockOn(this.seg, r, forever);
    }
  }
}

const forever = new Deadline(null);
