/**
 * Functions are sent to each worker once, not once per task: the pool gives every function an
 * id, encodes it once, and remembers which worker has which id. Inline lambdas made anew for
 * each call (`pool.apply((x) => x * 2, [i])` in a loop) are new objects with the same bytes, so
 * they are also looked up by their bytes. The table is bounded: evicted ids are dropped from
 * the workers (`OP_DROP_FN`), and sent again if used again.
 */
import { encode, type Sidecar } from '@mp/serialize/spi';

export interface FnEntry {
  readonly id: number;
  readonly bytes: Uint8Array;
  /** Shared memory the function's scope holds (thread workers only). */
  readonly sidecar: Sidecar | null;
}

const LIMIT = 256;

export class FnTable {
  readonly #byFunction = new WeakMap<Function, FnEntry>();
  readonly #byBytes = new Map<string, FnEntry>();
  readonly #shared: boolean;
  readonly #onEvict: (entry: FnEntry) => void;
  #next = 1;

  constructor(method: 'thread' | 'spawn', onEvict: (entry: FnEntry) => void) {
    this.#shared = method === 'thread';
    this.#onEvict = onEvict;
  }

  /** The entry of `fn`, encoding it on first use. Throws SerializationError for what cannot be sent. */
  entry(fn: Function): FnEntry {
    const known = this.#byFunction.get(fn);
    if (known !== undefined) return known;
    const { bytes, sidecar } = encode(fn, { root: 'fn', sidecar: this.#shared });
    const hasSidecar = sidecar.shared.length > 0 || sidecar.transfer.length > 0;
    if (sidecar.transfer.length > 0) {
      throw new TypeError('a pool task function cannot capture a MessagePort or another transferable (it is sent to every worker); pass it to the tasks as an argument of one task instead');
    }
    let entry: FnEntry | undefined;
    const key = hasSidecar ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (key !== null) {
      entry = this.#byBytes.get(key);
      if (entry !== undefined) {
        // refresh its place in the LRU order
        this.#byBytes.delete(key);
        this.#byBytes.set(key, entry);
      }
    }
    if (entry === undefined) {
      entry = { id: this.#next++, bytes, sidecar: hasSidecar ? sidecar : null };
      if (key !== null) {
        this.#byBytes.set(key, entry);
        if (this.#byBytes.size > LIMIT) {
          const [oldestKey, oldest] = this.#byBytes.entries().next().value as [string, FnEntry];
          this.#byBytes.delete(oldestKey);
          this.#onEvict(oldest);
        }
      }
    }
    this.#byFunction.set(fn, entry);
    return entry;
  }
}
