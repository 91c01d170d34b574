// The mixed object graph of B8 (~1000 nodes): nested objects, arrays, strings, numbers,
// booleans, null, a Map, a Set, Dates and a bigint. python/anchors.py `make_graph` builds the
// same one for pickle.

export function makeGraph() {
  const records = [];
  for (let i = 0; i < 50; i++) {
    records.push({
      id: i,
      name: `item-${i}`,
      score: i * 1.5,
      active: i % 2 === 0,
      tags: ['alpha', 'beta', `t${i % 7}`],
      created: new Date(Date.UTC(2024, 0, 1 + (i % 28))),
      dims: { w: i, h: i * 2, unit: 'cm' },
      nothing: null,
    });
  }
  return {
    title: 'mixed graph',
    version: 3,
    records,
    index: new Map(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])),
    ids: new Set(Array.from({ length: 50 }, (_, i) => i)),
    big: 2n ** 70n + 12345n,
    matrix: Array.from({ length: 10 }, (_, r) => Array.from({ length: 10 }, (_, c) => r * 10 + c)),
  };
}

/** The same graph with what JSON cannot hold turned into JSON values (for the JSON anchor). */
export function makeJsonGraph() {
  const g = makeGraph();
  return {
    ...g,
    records: g.records.map((r) => ({ ...r, created: r.created.toISOString() })),
    index: Object.fromEntries(g.index),
    ids: [...g.ids],
    big: g.big.toString(),
  };
}

/** Nodes of a value (every object, array, Map/Set entry and leaf counts one). */
export function countNodes(v) {
  if (v instanceof Map) return 1 + [...v].reduce((s, [k, x]) => s + countNodes(k) + countNodes(x), 0);
  if (v instanceof Set) return 1 + [...v].reduce((s, x) => s + countNodes(x), 0);
  if (Array.isArray(v)) return 1 + v.reduce((s, x) => s + countNodes(x), 0);
  if (v && typeof v === 'object' && !(v instanceof Date)) return 1 + Object.values(v).reduce((s, x) => s + countNodes(x), 0);
  return 1;
}

/** A 1 MiB Float64Array (131072 doubles). */
export function makeFloat64() {
  const a = new Float64Array((1024 * 1024) / 8);
  for (let i = 0; i < a.length; i++) a[i] = i * 0.5 + 0.25;
  return a;
}
