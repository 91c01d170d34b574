/**
 * Python-style `repr` of the values a manager holds, so that `await list.str()` prints what a
 * Python user expects: `[9, 8, 7]`, `{'a': 1, 2: 'b'}`, `Namespace(name='Bob')`. JavaScript
 * values keep their JavaScript spelling (`true`, `null`, `undefined`).
 */

/** Python's repr of a string: single quotes unless the text has ' and no ". */
export function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

function hasOwnToString(value: object): boolean {
  for (let p: object | null = value; p !== null && p !== Object.prototype && p !== Array.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, 'toString')) return true;
  }
  return false;
}

/** The repr of any value (cycles print as `[...]`/`{...}` as Python does). */
export function repr(value: unknown, seen: Set<object> = new Set()): string {
  switch (typeof value) {
    case 'string':
      return reprString(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return `<function ${value.name || '<anonymous>'}>`;
    default:
      break;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) return Array.isArray(obj) ? '[...]' : '{...}';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return `[${obj.map((v) => repr(v, seen)).join(', ')}]`;
    if (obj instanceof Map) return `{${[...obj].map(([k, v]) => `${repr(k, seen)}: ${repr(v, seen)}`).join(', ')}}`;
    if (obj instanceof Set) return obj.size === 0 ? 'set()' : `{${[...obj].map((v) => repr(v, seen)).join(', ')}}`;
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      return `${obj.constructor.name}(${repr(Array.from(obj as unknown as ArrayLike<unknown>), seen)})`;
    }
    if (obj instanceof Date) return `Date(${Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString()})`;
    if (obj instanceof Error) return `${obj.name}(${reprString(obj.message)})`;
    if (hasOwnToString(obj)) return String(obj);
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (proto === null || proto === Object.prototype) {
      return `{${Object.entries(obj).map(([k, v]) => `${reprString(k)}: ${repr(v, seen)}`).join(', ')}}`;
    }
    return `<${(proto as { constructor?: { name?: string } }).constructor?.name || 'Object'} object>`;
  } finally {
    seen.delete(obj);
  }
}
