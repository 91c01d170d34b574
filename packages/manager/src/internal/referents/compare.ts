/** Python's ordering for `list.sort()` without a key: numbers numerically, strings by code point, arrays lexicographically. */

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'Date';
  const t = typeof v;
  return t === 'bigint' || t === 'boolean' ? 'number' : t;
}

export function pyCompare(a: unknown, b: unknown): number {
  const ka = kind(a);
  const kb = kind(b);
  if (ka !== kb) {
    throw new TypeError(`'<' not supported between instances of '${ka}' and '${kb}': pass sort({ key }) or a compare function`);
  }
  switch (ka) {
    case 'number': {
      const x = typeof a === 'boolean' ? Number(a) : (a as number | bigint);
      const y = typeof b === 'boolean' ? Number(b) : (b as number | bigint);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'string':
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 'Date':
      return (a as Date).getTime() - (b as Date).getTime();
    case 'array': {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = pyCompare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    default:
      throw new TypeError(`'<' not supported between instances of '${ka}' and '${kb}': pass sort({ key }) or a compare function`);
  }
}
