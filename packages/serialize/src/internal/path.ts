/**
 * Where in a value something is, for error messages (`args[1].handler`, `value.<Map value>`).
 *
 * The devalue walk does not expose its position to reducers, so the path is found only when it is
 * needed (an error, or a reducer reading `ctx.path`): a breadth-first search from the root over
 * the same edges the serializer follows, giving the shortest path.
 */
import { types } from 'node:util';
import { registry } from './registry.js';

/** An encoding failure that still needs its path: turned into a SerializationError by encode(). */
export class Failure extends Error {
  constructor(
    readonly culprit: unknown,
    readonly describe: (path: string) => string,
    readonly variable?: string,
  ) {
    super('serialization failure');
  }
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

export function keyLabel(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return IDENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

type Edge = [label: string, child: unknown];

function edges(v: unknown, extra: ReadonlyMap<object, Edge[]>): Edge[] {
  const out: Edge[] = [];
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return out;
  const recorded = extra.get(v);
  if (recorded) out.push(...recorded);
  if (ArrayBuffer.isView(v) || types.isAnyArrayBuffer(v)) return out;
  if (Array.isArray(v)) {
    for (const k of Object.keys(v)) out.push([/^\d+$/.test(k) ? `[${k}]` : keyLabel(k), (v as unknown[])[k as never]]);
    return out;
  }
  if (v instanceof Map) {
    for (const [k, x] of v) out.push(['.<Map key>', k], ['.<Map value>', x]);
  } else if (v instanceof Set) {
    for (const x of v) out.push(['.<Set value>', x]);
  }
  if (typeof v === 'function') {
    const scope = registry.scopes.get(v);
    if (scope) for (const k of Object.keys(scope)) out.push([`.<scope ${k}>`, scope[k]]);
    const base = Object.getPrototypeOf(v) as unknown;
    if (base !== Function.prototype) out.push(['.<extends>', base]);
    const proto = (v as { prototype?: unknown }).prototype;
    if (proto && typeof proto === 'object') {
      for (const k of Object.keys(proto)) out.push([`.prototype${keyLabel(k)}`, (proto as Record<string, unknown>)[k]]);
    }
  }
  if (v instanceof Error) {
    if (Object.hasOwn(v, 'cause')) out.push(['.cause', v.cause]);
    if (Object.hasOwn(v, 'errors')) out.push(['.errors', (v as { errors?: unknown }).errors]);
  }
  for (const k of Object.keys(v)) out.push([keyLabel(k), (v as Record<string, unknown>)[k]]);
  for (const s of Object.getOwnPropertySymbols(v)) {
    if (Object.getOwnPropertyDescriptor(v, s)?.enumerable) out.push([keyLabel(s), (v as Record<symbol, unknown>)[s]]);
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as { constructor?: unknown } | null;
    if (proto && proto !== Object.prototype && proto !== Array.prototype) {
      const ctor = Object.hasOwn(proto, 'constructor') ? proto.constructor : undefined;
      out.push(typeof ctor === 'function' ? ['.constructor', ctor] : ['.<prototype>', proto]);
    }
  }
  return out;
}

/**
 * The shortest path from `root` (labelled `rootLabel`) to `target`, or `rootLabel` + ` (somewhere)`.
 * `extra` adds edges the serializer created (data returned by registered reducers).
 */
export function findPath(root: unknown, rootLabel: string, target: unknown, extra: ReadonlyMap<object, Edge[]> = new Map()): string {
  if (Object.is(root, target)) return rootLabel;
  const seen = new Set<unknown>([root]);
  let frontier: Edge[] = [[rootLabel, root]];
  let budget = 1_000_000;
  while (frontier.length > 0 && budget > 0) {
    const next: Edge[] = [];
    for (const [path, v] of frontier) {
      let children: Edge[];
      try {
        children = edges(v, extra);
      } catch {
        continue; // a throwing getter: the serializer would have failed there first
      }
      for (const [label, child] of children) {
        if (Object.is(child, target)) return path + label;
        if ((typeof child === 'object' || typeof child === 'function') && child !== null && !seen.has(child)) {
          seen.add(child);
          next.push([path + label, child]);
        }
      }
      budget -= children.length + 1;
    }
    frontier = next;
  }
  return `${rootLabel} (somewhere inside)`;
}
