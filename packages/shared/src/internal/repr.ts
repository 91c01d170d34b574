/**
 * Python's reprs: `c_int(5)`, `c_double(2.5)`, `c_char(b'x')`,
 * `<Synchronized wrapper for c_int(5)>`,
 * `<SynchronizedArray wrapper for <multiprocess.sharedctypes.c_int_Array_10 object at 0x7f…>>`.
 */
import type { Handle } from '@mp/context/spi';
import type { CodeInfo } from './codes.js';

/** Python's `repr(float)`: shortest round-trip digits, `.0` on integers, `1e+16`, `inf`, `nan`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e >= -4 && e < 16) {
    const fixed = String(x);
    return fixed.includes('.') || fixed.includes('e') ? fixed : `${fixed}.0`;
  }
  const sign = e < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Python's `repr(bytes)`: `b'hello\x00'`. */
export function pyBytes(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x27 && quote === "'") out += "\\'";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `b${quote}${out}${quote}`;
}

/** One element as Python prints it inside `c_int(...)`. */
export function pyElement(info: CodeInfo, v: number | bigint): string {
  if (info.family === 'float') return pyFloat(v as number);
  if (info.family === 'byte') return pyBytes(Uint8Array.of(v as number));
  return String(v);
}

/** Python-style `0x…` identity: stable per object (derived from its id). */
export function reprId(h: Handle<unknown>): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < h.id.length; i++) hash = Math.imul(hash ^ h.id.charCodeAt(i), 0x01000193);
  return `0x7f${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

/** `<multiprocess.sharedctypes.c_int_Array_10 object at 0x7f…>` */
export function pyArrayObject(info: CodeInfo, length: number, h: Handle<unknown>): string {
  return `<multiprocess.sharedctypes.${info.ctype}_Array_${length} object at ${reprId(h)}>`;
}
