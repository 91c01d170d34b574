/** Argument checks shared by Connection, Listener and wait(), with Python's error wording. */
import { Buffer } from 'node:buffer';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `a ${typeof value}`;
}

/** The bytes of a bytes-like value (no copy), or a TypeError that says what is accepted. */
export function bytesOf(value: unknown, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return new Uint8Array(value);
  throw new TypeError(
    `${what} needs a bytes-like object (Buffer, Uint8Array or another typed array, DataView, ArrayBuffer), not ${describe(value)}` +
      (typeof value === 'string' ? `; encode text first (Buffer.from(text)) or use send(text)` : ''),
  );
}

/** A Buffer over the same memory. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An integer argument, or a TypeError. */
export function integer(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer number of bytes, not ${describe(value)}${typeof value === 'number' ? ` (${value})` : ''}`);
  }
  return value;
}

/**
 * A timeout in milliseconds as the API defines it: `undefined`/`null` = forever (Infinity),
 * negative = 0.
 */
export function timeoutMs(value: unknown, name = 'timeout'): number {
  if (value === undefined || value === null) return Infinity;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number of milliseconds (or null for no limit), not ${describe(value)}`);
  }
  return Math.max(0, value);
}

/**
 * Resolves once the event loop has been through a whole poll phase, so I/O that is already
 * there (data in a socket buffer, a posted message) has been delivered. One setImmediate is not
 * enough: called from a poll-phase callback it runs before the next poll; two always have one
 * poll phase between them.
 */
export function oneTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** setTimeout for a timeout that may be huge (Node caps delays at 2^31-1 ms). */
export function timer(ms: number, fn: () => void): NodeJS.Timeout | undefined {
  if (ms === Infinity) return undefined;
  return setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
}
