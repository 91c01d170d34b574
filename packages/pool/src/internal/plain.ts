/**
 * Plain batches: when every task payload (or every answer) of a batch is primitives, or arrays
 * of primitives, or arrays of such arrays (the args of starmap), the batch needs none of
 * @mp/serialize's powers, and skipping its general checks pays: a `thread` batch is posted as the
 * array itself (structured clone, in native code), a `spawn` batch is written with
 * `v8.serialize`. Measured on `map(x => x * 2, 100k ints)`: the walk @mp/serialize makes to
 * choose its fast path costs more than V8's own serialization of such arrays.
 *
 * Only what structured clone and `v8.serialize` carry exactly counts as plain: numbers (also
 * -0 and NaN), strings, booleans, null, undefined, bigints, and arrays whose prototype is
 * Array.prototype.
 */
function isPrimitive(value: unknown): boolean {
  const type = typeof value;
  return value === null || type === 'number' || type === 'string' || type === 'boolean' || type === 'undefined' || type === 'bigint';
}

function isPlainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/** A primitive, an array of primitives, or an array of arrays of primitives. */
export function isPlain(value: unknown): boolean {
  if (!isPlainArray(value)) return isPrimitive(value);
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (isPrimitive(item)) continue;
    if (!isPlainArray(item)) return false;
    for (let j = 0; j < item.length; j++) if (!isPrimitive(item[j])) return false;
  }
  return true;
}
