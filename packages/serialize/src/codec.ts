import { SerializationError } from './errors.js';
import { decodeGeneral } from './internal/decoder.js';
import { Encoder } from './internal/encoder.js';
import { isCloneSafe, readFast, writeFast } from './internal/fast-path.js';
import { asBytes, readGeneral, readModules, TAG_FAST, TAG_GENERAL } from './internal/frame.js';
import { loadModule } from './internal/library.js';
import type { BytesLike, Sidecar } from './types.js';

/**
 * Options of {@link encode}.
 *
 * @example
 * ```ts
 * const options: EncodeOptions = { root: 'args', sidecar: true };
 * encode([lock, handler], options); // errors say `args[1]...`
 * ```
 */
export interface EncodeOptions {
  /** How the value is named in error paths (`args` gives `args[1].handler`). Default `'value'`. */
  root?: string;
  /**
   * Put SharedArrayBuffers (and what reducers `share`/`transfer`) in the returned sidecar instead
   * of copying them into the bytes: for `postMessage` to a worker thread, where they stay shared.
   * `{ shared: false, transfer: true }` takes only transferables (e.g. socket handles that a
   * spawned child receives over IPC, which cannot map shared memory).
   */
  sidecar?:
    | boolean
    | {
        /** Put SharedArrayBuffers in `sidecar.shared` (default `true`). */
        shared?: boolean;
        /** Put transferables in `sidecar.transfer` (default `true`). */
        transfer?: boolean;
      };
}

/**
 * What {@link encode} returns.
 *
 * @example
 * ```ts
 * const { bytes, sidecar }: Encoded = encode(value, { sidecar: true });
 * ```
 */
export interface Encoded {
  /** The serialized value: give it to {@link decode} (or `loads`) on the other side. */
  bytes: Uint8Array;
  /** What travels beside the bytes (empty unless encoded with `sidecar`). */
  sidecar: Sidecar;
}

/**
 * Serialize a value (SPI; `dumps` is `encode(value).bytes`).
 *
 * Plain structured-clone-safe data goes through V8's serializer (fast path); anything else
 * (functions, class instances, errors, symbols, Buffers, shared buffers, reducer-handled
 * objects) through devalue with binary attachments (general path).
 *
 * @param value - anything serializable (see the package README).
 * @param options - `root`: the label of the value in error paths; `sidecar`: see {@link EncodeOptions}.
 * @returns the bytes, and the sidecar (empty unless `sidecar: true` and the value had shared memory).
 * @throws SerializationError naming the path (and the variable) of what cannot be sent.
 * @example
 * ```ts
 * import { encode, decode } from '@mp/serialize/spi';
 * const sab = new SharedArrayBuffer(8);
 * const { bytes, sidecar } = encode({ counter: new Int32Array(sab) }, { root: 'args', sidecar: true });
 * worker.postMessage({ bytes, sidecar });           // sidecar.shared[0] === sab
 * // worker: const { counter } = decode(msg.bytes, msg.sidecar);  // same memory
 * ```
 */
export function encode(value: unknown, options: EncodeOptions = {}): Encoded {
  const sidecar: Sidecar = { shared: [], transfer: [] };
  if (isCloneSafe(value)) {
    try {
      return { bytes: writeFast(value), sidecar };
    } catch {
      // e.g. a Proxy: let the general path explain or handle it
    }
  }
  const wanted = options.sidecar;
  const share = wanted === true || (typeof wanted === 'object' && wanted.shared !== false);
  const transfer = wanted === true || (typeof wanted === 'object' && wanted.transfer !== false);
  const bytes = new Encoder(value, options.root ?? 'value', share || transfer ? sidecar : undefined, share, transfer).run();
  return { bytes, sidecar };
}

function invalid(error: unknown): SerializationError {
  return new SerializationError(
    `Cannot deserialize: the bytes are not a valid @mp/serialize payload (${(error as Error).message}). Pass exactly the bytes that dumps()/encode() produced.`,
    'value',
    { cause: error },
  );
}

/**
 * Deserialize bytes made by {@link encode} or `dumps` (SPI; `loads` is `decode(bytes)`).
 * Synchronous: a library module or ref module that the payload needs must already be loaded in
 * this isolate (or be loadable with `require`); otherwise use {@link decodeAsync}.
 *
 * **Security**: this runs code carried by the bytes. Never decode bytes from an untrusted peer.
 *
 * @param bytes - the payload (any view, offset, Buffer or ArrayBuffer).
 * @param sidecar - the sidecar `encode` returned, when it was encoded with `sidecar: true`.
 * @example
 * ```ts
 * import { encode, decode } from '@mp/serialize/spi';
 * const { bytes } = encode(new Map([[1, 'a']]));
 * decode<Map<number, string>>(bytes).get(1); // 'a'
 * ```
 */
export function decode<T = unknown>(bytes: BytesLike, sidecar?: Partial<Sidecar>): T {
  const view = asBytes(bytes);
  if (view.length === 0) throw invalid(new Error('empty input'));
  switch (view[0]) {
    case TAG_FAST:
      try {
        return readFast(view) as T;
      } catch (error) {
        throw invalid(error);
      }
    case TAG_GENERAL: {
      let payload;
      try {
        payload = readGeneral(view);
      } catch (error) {
        throw invalid(error);
      }
      try {
        return decodeGeneral(payload, sidecar) as T;
      } catch (error) {
        if (error instanceof SerializationError) throw error;
        throw invalid(error);
      }
    }
    default:
      throw invalid(new Error(`unknown format byte 0x${(view[0] ?? 0).toString(16)}`));
  }
}

/**
 * Like {@link decode}, but first imports every module the payload needs (library modules whose
 * exports by-value functions use, and `ref()` modules), so ESM-only modules work.
 *
 * @example
 * ```ts
 * import { decodeAsync } from '@mp/serialize/spi';
 * const { target, args } = await decodeAsync<{ target: Function; args: unknown[] }>(bytes);
 * ```
 */
export async function decodeAsync<T = unknown>(bytes: BytesLike, sidecar?: Partial<Sidecar>): Promise<T> {
  const view = asBytes(bytes);
  let modules: string[] = [];
  try {
    modules = readModules(view);
  } catch {
    // decode() reports the malformed input
  }
  // A module that fails to import is reported by decode() (libraries) or when called (refs).
  await Promise.all(modules.map((url) => loadModule(url).catch(() => undefined)));
  return decode<T>(view, sidecar);
}
