/**
 * Byte layout of a payload. Byte 0 says which path wrote it:
 *
 *   FAST (0xD1):    [0xD1][v8 ValueSerializer output (header + value)]
 *
 *   GENERAL (0xD2): offset  size
 *                   0       1      0xD2
 *                   1       3      0 (reserved)
 *                   4       4      J: byte length of the devalue JSON (u32 LE)
 *                   8       4      M: byte length of the module-URL list JSON (u32 LE; 0 = none)
 *                   12      4      A: number of binary attachments (u32 LE)
 *                   16      M      module URLs the payload needs (JSON array of strings), for decodeAsync
 *                   16+M    J      devalue JSON (UTF-8)
 *                   ...     0-7    zero padding to a multiple of 8
 *                   ...     8*A    attachment byte lengths (f64 LE each: may exceed 4 GiB)
 *                   ...            attachment bytes, each followed by zero padding to a multiple of 8
 *
 * Attachments carry the bytes of ArrayBuffers, typed arrays, DataViews and Buffers so that large
 * binary data is copied once instead of being base64-encoded into the JSON.
 */
import { Buffer } from 'node:buffer';

export const TAG_FAST = 0xd1;
export const TAG_GENERAL = 0xd2;
const HEADER = 16;

const pad8 = (n: number): number => (n + 7) & ~7;

/** View any accepted input as a Uint8Array, without copying. */
export function asBytes(input: Uint8Array | ArrayBufferView | ArrayBufferLike): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return new Uint8Array(input);
}

/** A Buffer over the same memory (for its fast UTF-8 methods). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Write a GENERAL payload: one allocation, each attachment copied once. */
export function writeGeneral(json: string, modules: readonly string[], attachments: readonly Uint8Array[]): Uint8Array {
  const modulesJson = modules.length ? JSON.stringify(modules) : '';
  const m = Buffer.byteLength(modulesJson, 'utf8');
  const j = Buffer.byteLength(json, 'utf8');
  const textEnd = HEADER + m + j;
  let total = pad8(textEnd) + 8 * attachments.length;
  for (const a of attachments) total += pad8(a.byteLength);
  // A zero-filled ArrayBuffer of its own (measured faster here than allocUnsafeSlow, whose
  // backing stores are slower to reclaim), so padding needs no filling.
  const out = Buffer.from(new ArrayBuffer(total));
  out.writeUInt32LE(TAG_GENERAL, 0);
  out.writeUInt32LE(j, 4);
  out.writeUInt32LE(m, 8);
  out.writeUInt32LE(attachments.length, 12);
  if (m) out.write(modulesJson, HEADER, m, 'utf8');
  out.write(json, HEADER + m, j, 'utf8');
  let pos = pad8(textEnd);
  for (const a of attachments) {
    out.writeDoubleLE(a.byteLength, pos);
    pos += 8;
  }
  for (const a of attachments) {
    out.set(a, pos);
    pos = pad8(pos + a.byteLength);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** A parsed GENERAL payload. Attachments are copied out on demand (the input may be reused). */
export interface GeneralPayload {
  readonly json: string;
  readonly modules: string[];
  /** Copy attachment `i` into a new ArrayBuffer. */
  attachment(i: number): ArrayBuffer;
  /** Copy attachment `i` into a new SharedArrayBuffer. */
  sharedAttachment(i: number): SharedArrayBuffer;
}

/** Only the module URLs a GENERAL payload needs (for decodeAsync), without parsing the rest. */
export function readModules(bytes: Uint8Array): string[] {
  const buf = asBuffer(bytes);
  if (buf.length < HEADER || buf[0] !== TAG_GENERAL) return [];
  const m = buf.readUInt32LE(8);
  return m ? (JSON.parse(buf.toString('utf8', HEADER, HEADER + m)) as string[]) : [];
}

export function readGeneral(bytes: Uint8Array): GeneralPayload {
  const buf = asBuffer(bytes);
  if (buf.length < HEADER) throw new RangeError('payload shorter than its header');
  const j = buf.readUInt32LE(4);
  const m = buf.readUInt32LE(8);
  const count = buf.readUInt32LE(12);
  const textEnd = HEADER + m + j;
  if (textEnd > buf.length) throw new RangeError('payload truncated (JSON)');
  const modules = m ? (JSON.parse(buf.toString('utf8', HEADER, HEADER + m)) as string[]) : [];
  const json = buf.toString('utf8', HEADER + m, textEnd);
  const starts: number[] = [];
  const lengths: number[] = [];
  let pos = pad8(textEnd);
  let data = pos + 8 * count;
  for (let i = 0; i < count; i++) {
    const len = buf.readDoubleLE(pos + 8 * i);
    starts.push(data);
    lengths.push(len);
    data = pad8(data + len);
  }
  if (count && (starts[count - 1] ?? 0) + (lengths[count - 1] ?? 0) > buf.length) {
    throw new RangeError('payload truncated (attachments)');
  }
  const region = (i: number): Uint8Array => {
    const start = starts[i];
    const len = lengths[i];
    if (start === undefined || len === undefined) throw new RangeError(`no attachment #${i}`);
    return bytes.subarray(start, start + len);
  };
  return {
    json,
    modules,
    attachment(i) {
      const src = region(i);
      const copy = new ArrayBuffer(src.byteLength);
      new Uint8Array(copy).set(src);
      return copy;
    },
    sharedAttachment(i) {
      const src = region(i);
      const copy = new SharedArrayBuffer(src.byteLength);
      new Uint8Array(copy).set(src);
      return copy;
    },
  };
}
