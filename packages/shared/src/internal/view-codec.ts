/**
 * Typed arrays over our segments (RawArray results, getObj() views) cross to other isolates as
 * views of the same memory, never as copies: they are sent as (owner object, type, byte offset,
 * length), and the owner travels as the handle it is (shared by the sidecar to a thread child,
 * registered with the broker otherwise).
 *
 * - In an isolate of the root process (the main thread, thread children, also through queues
 *   and pipes), the view is rebuilt on the same SharedArrayBuffer: same type, offset and length.
 * - In a spawned process, it becomes a live stand-in (remote-view.ts): indexing and length work,
 *   through the broker.
 */
import { registerReducer } from '@mp/serialize';
import { SharedMemoryUnavailableError } from '../errors.js';
import { type AnyTypedArray, type Code, canonical, codeOfView } from './codes.js';
import { RAW_VALUE, VALUE } from './kinds.js';
import { cellsOf, views } from './registry.js';
import { type Extras, remoteView, remoteViews } from './remote-view.js';

interface ViewData {
  /** The public object whose segment this is. */
  a: object;
  t: Code;
  b: number;
  n: number;
  /** 1 when it is the owner's own getObj()/RawArray view (it keeps `.value`/`.raw`). */
  o: 0 | 1;
}

function isOurView(v: unknown): boolean {
  if (ArrayBuffer.isView(v)) return !(v instanceof DataView) && views.owners.has(v.buffer as SharedArrayBuffer);
  return typeof v === 'object' && v !== null && remoteViews.has(v);
}

/** A stand-in (in a spawned process) sent on: the same description as the view it stands for. */
function reduceStandIn(proxy: object): ViewData {
  const info = remoteViews.get(proxy)!;
  const c = info.cells;
  return { a: c.owner!, t: c.info.code, b: info.start * c.info.bytes, n: info.length, o: info.own ? 1 : 0 };
}

registerReducer<AnyTypedArray | object>(
  'mp:shared.view',
  isOurView,
  (value) => {
    if (!ArrayBuffer.isView(value)) return reduceStandIn(value);
    const view = value as AnyTypedArray;
    const owner = views.owners.get(view.buffer as SharedArrayBuffer)!;
    const code = codeOfView(view);
    if (code === null) throw new TypeError(`a ${view.constructor.name} over shared memory of @mp/shared cannot be sent: use one of the typecodes' typed arrays`);
    const data: ViewData = { a: owner, t: code, b: view.byteOffset, n: view.length, o: cellsOf(owner).objIfAny === view ? 1 : 0 };
    return data;
  },
  (raw): object => {
    const data = raw as ViewData;
    const c = cellsOf(data.a);
    if (data.o === 1) return ownView(data.a);
    if (c.handle.local) {
      const view = canonical(data.t).view(c.handle.sab, data.b, data.n);
      views.owners.set(c.handle.sab, data.a);
      return view;
    }
    if (data.t !== c.info.code || data.b % c.info.bytes !== 0) {
      throw new SharedMemoryUnavailableError(
        `a ${canonical(data.t).ctype} view of a ${c.info.ctype} shared array cannot be used in a spawned process (it cannot map the memory). Use the 'thread' start method.`,
      );
    }
    return remoteView(c, data.b / c.info.bytes, data.n, null) as object;
  },
);

let ownViewOf: (owner: object) => unknown = () => null;

/** How view-codec gets an owner's own view (set by raw-array.ts, which knows the classes). */
export function setOwnView(fn: (owner: object) => unknown): void {
  ownViewOf = fn;
}

function ownView(owner: object): object {
  const c = cellsOf(owner);
  if (c.handle.local) return ownViewOf(owner) as object;
  const kind = c.handle.kind.kind;
  const extras: Extras = kind === VALUE.kind || kind === RAW_VALUE.kind ? 'value' : c.info.family === 'byte' ? 'bytes' : null;
  return remoteView(c, 0, c.length, extras) as object;
}
