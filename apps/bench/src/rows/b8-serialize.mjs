// B8: dumps+loads of @mp/serialize on a mixed object graph and on a 1 MiB Float64Array, next to
// v8.serialize+deserialize (the goal), structuredClone, JSON and Python's pickle (information).
// The codecs of one payload are timed alternately (ours, v8, structuredClone, …, again), so that
// the load of this shared machine, which drifts, hits all of them alike.
import { isDeepStrictEqual } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { makeFloat64, makeGraph, makeJsonGraph } from '../lib/graph.mjs';

const FROM = ['@mp/serialize', 'multiprocess'];

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const graph = makeGraph();
  const jsonGraph = makeJsonGraph();
  const f64 = makeFloat64();
  const GB = f64.byteLength / 1e9; // GB moved per round trip
  const pyGraph = await ctx.python('dumps_loads');

  // Our codec, if it loads and round-trips (a mismatch is noted, a throw leaves ours out).
  const check = await ctx.ours(['dumps', 'loads'], (mp) => {
    const g = mp.loads(mp.dumps(graph));
    const f = mp.loads(mp.dumps(f64));
    if (!isDeepStrictEqual(g, graph)) ctx.note('ours: loads(dumps(graph)) is not deep-equal to the graph');
    if (!(f instanceof Float64Array) || !isDeepStrictEqual(f, f64)) ctx.note('ours: loads(dumps(Float64Array)) is not an equal Float64Array');
    return { value: 1, mp };
  }, { from: FROM, what: 'dumps+loads round trip' });
  /** @type {any} */
  const mp = check.value === null ? null : /** @type {any} */ (check).mp;

  /** @param {any} payload @param {boolean} withJson */
  const codecs = (payload, withJson) => ({
    ...(mp ? { ours: () => mp.loads(mp.dumps(payload)) } : {}),
    v8: () => deserialize(serialize(payload)),
    clone: () => structuredClone(payload),
    ...(withJson ? { json: () => JSON.parse(JSON.stringify(jsonGraph)) } : {}),
  });
  /** @param {string} what @param {() => Record<string, number | null>} measure */
  const measured = async (what, measure) => {
    const r = await ctx.guard(what, () => ({ value: 1, rates: measure() }));
    return /** @type {Record<string, number | null>} */ (r.value === null ? {} : /** @type {any} */ (r).rates);
  };
  ctx.log('graph: ours, v8, structuredClone, JSON alternately');
  const g = await measured('graph codecs', () => ctx.interleave(codecs(graph, true)));
  ctx.log('Float64Array: ours, v8, structuredClone alternately');
  const f = await measured('Float64Array codecs', () => ctx.interleave(codecs(f64, false)));
  const gbs = (x) => (typeof x === 'number' ? x * GB : null);

  const oursGraph = mp ? (g.ours ?? null) : check;
  const oursF64 = mp ? gbs(f.ours) : check;
  const o = { unit: 'ops/s', kind: 'throughput' };
  const b = { unit: 'GB/s', kind: 'throughput' };
  return [
    { ...o, name: 'dumps+loads mixed graph vs v8.serialize+deserialize', ours: oursGraph, anchor: g.v8, anchorName: 'v8.serialize+deserialize', goal: 0.33 },
    { ...o, name: 'dumps+loads mixed graph vs structuredClone', ours: oursGraph, anchor: g.clone, anchorName: 'structuredClone', goal: null },
    { ...o, name: 'dumps+loads mixed graph vs JSON (Map/Set/Date/bigint flattened)', ours: oursGraph, anchor: g.json, anchorName: 'JSON.stringify+parse', goal: null },
    { ...o, name: 'dumps+loads mixed graph vs Python pickle', ours: oursGraph, anchor: pyGraph, anchorName: 'python pickle.dumps+loads', goal: null },
    { ...b, name: 'dumps+loads Float64Array 1 MiB vs 1 GB/s target', ours: oursF64, anchor: 1, anchorName: '1 GB/s target', goal: 1 },
    { ...b, name: 'dumps+loads Float64Array 1 MiB vs v8.serialize+deserialize', ours: oursF64, anchor: gbs(f.v8), anchorName: 'v8.serialize+deserialize', goal: null },
    { ...b, name: 'dumps+loads Float64Array 1 MiB vs structuredClone', ours: oursF64, anchor: gbs(f.clone), anchorName: 'structuredClone', goal: null },
  ];
}

export default { id: 'B8', title: 'Serialization: dumps + loads', run };
