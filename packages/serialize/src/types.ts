/**
 * Values that travel beside the bytes when posting to a worker thread: `postMessage({ bytes,
 * shared }, transfer)`. SharedArrayBuffers in `shared` stay the same memory on the other side;
 * `transfer` holds transferables (MessagePorts...) for postMessage's transfer list.
 *
 * @example
 * ```ts
 * import { encode, decode } from '@mp/serialize/spi';
 * const { bytes, sidecar } = encode(value, { sidecar: true });
 * worker.postMessage({ bytes, sidecar }, sidecar.transfer as Transferable[]);
 * // in the worker: decode(msg.bytes, msg.sidecar)
 * ```
 */
export interface Sidecar {
  /** SharedArrayBuffers the value refers to: post them as they are, they stay the same memory. */
  shared: SharedArrayBuffer[];
  /** Transferables (MessagePorts, socket handles...): put them in postMessage's transfer list. */
  transfer: unknown[];
}

/**
 * Given to a registered reducer's `reduce` (see `registerReducer`).
 *
 * @example
 * ```ts
 * registerReducer<Counter>('my-lib:Counter', (v) => v instanceof Counter,
 *   (c, ctx) => {
 *     const i = ctx.share(c.sab); // -1 without a sidecar: then send the buffer itself (copied)
 *     return i >= 0 ? { shared: i } : { copy: c.sab };
 *   },
 *   (data, ctx) => {
 *     const d = data as { shared?: number; copy?: SharedArrayBuffer };
 *     return new Counter(d.shared !== undefined ? ctx.shared(d.shared)! : d.copy!);
 *   });
 * ```
 */
export interface ReduceContext {
  /** Where the value being reduced is, e.g. `args[0].lock` (computed when read: use it for errors). */
  readonly path: string;
  /** Put a SharedArrayBuffer in the sidecar: its index there, or -1 when encoding without sidecar. */
  share(sab: SharedArrayBuffer): number;
  /** Put a transferable (MessagePort...) in the sidecar: its index there, or -1 without sidecar. */
  transfer(obj: object): number;
}

/**
 * Given to a registered reducer's `revive` (see `registerReducer`).
 *
 * @example
 * ```ts
 * const revive = (data: unknown, ctx: ReviveContext) =>
 *   new Counter(ctx.shared((data as { shared: number }).shared)!);
 * ```
 */
export interface ReviveContext {
  /** The SharedArrayBuffer that the sender's `ctx.share()` returned `index` for. */
  shared(index: number): SharedArrayBuffer | undefined;
  /** The object that the sender's `ctx.transfer()` returned `index` for. */
  transferred(index: number): unknown;
}

/**
 * What `loads`/`decode` accept: any bytes view (any offset), a Buffer, or an ArrayBuffer.
 *
 * @example
 * ```ts
 * const bytes: BytesLike = frame.subarray(4); // no copy needed
 * loads(bytes);
 * ```
 */
export type BytesLike = Uint8Array | ArrayBufferView | ArrayBuffer;
