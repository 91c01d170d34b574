/**
 * The general path's revival: devalue's `parse` with the `$` reviver, the inverse of encoder.ts.
 *
 * devalue revives a custom payload only after its data is revived, so a value that is reachable
 * from its own payload (an instance whose property points back to it, a function in its own
 * scope, an error that is its own cause) is revived *again* from inside that cycle with partly
 * revived data. Every kind that can be in a cycle is therefore built in two steps: `create` makes
 * the object once per payload (memoized), `fill` (re)applies the data, and the last call — which
 * sees the complete data — wins.
 */
import { Buffer } from 'node:buffer';
import { parse } from 'devalue';
import { SerializationError } from '../errors.js';
import { ref } from '../ref.js';
import { resolveGlobal } from './builtins.js';
import { createFunction, fillFunction, type Revived } from './compile.js';
import { createError, fillError } from './error-codec.js';
import type { ReviveContext, Sidecar } from '../types.js';
import type { GeneralPayload } from './frame.js';
import { createInstance, fillInstance } from './instance-codec.js';
import { exportOf } from './library.js';
import { registry } from './registry.js';

const VIEWS: Record<string, new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
};

export function decodeGeneral(payload: GeneralPayload, sidecar: Partial<Sidecar> | undefined): unknown {
  const ctx: ReviveContext = {
    shared: (i) => sidecar?.shared?.[i],
    transferred: (i) => sidecar?.transfer?.[i],
  };
  const memo = new Map<unknown[], unknown>();

  const once = <T>(p: unknown[], create: () => T): T => {
    if (memo.has(p)) return memo.get(p) as T;
    const made = create();
    memo.set(p, made);
    return made;
  };

  const revive = (p: unknown[]): unknown => {
    switch (p[0]) {
      case 'y':
        return p[1] === 0 ? Symbol.for(p[2] as string) : (Symbol as unknown as Record<string, symbol>)[p[2] as string];
      case 'B':
        return payload.attachment(p[1] as number);
      case 'N':
        return Buffer.from(payload.attachment(p[1] as number));
      case 'H': {
        if (p[1] === 1) return payload.sharedAttachment(p[2] as number);
        const sab = ctx.shared(p[2] as number);
        if (!sab) {
          throw new SerializationError(
            `Cannot deserialize: the payload refers to SharedArrayBuffer #${String(p[2])} of its sidecar, which was not given. Pass the sidecar that encode() returned to decode(bytes, sidecar).`,
          );
        }
        return sab;
      }
      case 'V': {
        const View = VIEWS[p[1] as string];
        if (!View) throw new SerializationError(`Cannot deserialize: unknown view kind ${String(p[1])}.`);
        return new View(p[2] as ArrayBufferLike, p[3] as number, p[4] as number);
      }
      case 'X': {
        const re = new RegExp(p[1] as string, p[2] as string);
        re.lastIndex = p[3] as number;
        return re;
      }
      case 'T': {
        const obj = ctx.transferred(p[1] as number);
        if (obj === undefined) {
          throw new SerializationError(
            `Cannot deserialize: the payload refers to transferred object #${String(p[1])} of its sidecar, which was not given. Pass the sidecar to decode(bytes, sidecar).`,
          );
        }
        return obj;
      }
      case 'K': {
        const cls = registry.classesByName.get(p[1] as string);
        if (!cls) {
          throw new SerializationError(
            `Cannot deserialize class \`${String(p[1])}\`: no class is registered under that name in this process. Call registerClass(${String(p[1])}) here too (e.g. in the module that defines it), before loads().`,
          );
        }
        return cls;
      }
      case 'L':
        return exportOf(p[1] as string, p[2] as string);
      case 'G': {
        const v = resolveGlobal(p[1] as string);
        if (v === undefined) throw new SerializationError(`Cannot deserialize: the global ${String(p[1])} does not exist in this process.`);
        return v;
      }
      case 'P':
        return ref(p[1] as string, p[2] as string);
      case 'U':
        return once(p, () => {
          const entry = registry.reducersByName.get(p[1] as string);
          if (!entry) {
            throw new SerializationError(
              `Cannot deserialize a value reduced by \`${String(p[1])}\`: no reducer of that name is registered in this process. Import the module that calls registerReducer('${String(p[1])}', ...) before loads(), or use decodeAsync().`,
            );
          }
          return (entry.revive as (data: unknown, ctx: ReviveContext) => unknown)(p[2], ctx);
        });
      case 'F': {
        const r = once<Revived>(p, () => createFunction(p));
        fillFunction(r, p);
        return r.fn;
      }
      case 'E': {
        const err = once(p, () => createError(p));
        fillError(err, p);
        return err;
      }
      case 'C':
      case 'I':
      case 'J':
      case 'O': {
        const o = once(p, () => createInstance(p));
        fillInstance(o, p);
        return o;
      }
      default:
        throw new SerializationError(`Cannot deserialize: unknown payload kind ${JSON.stringify(p[0])}. Were the bytes made by another version of @mp/serialize?`);
    }
  };

  return parse(payload.json, { $: revive as (value: unknown) => unknown });
}
