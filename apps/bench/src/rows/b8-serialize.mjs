// B8: dumps+loads of @mp/serialize on a mixed object graph and on a 1 MiB Float64Array, next to
// v8.serialize+deserialize (the goal), structuredClone, JSON and Python's pickle (information).
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

  // A fresh process runs its first second of 1 MiB round trips several times slower (external
  // memory pressure GCs while the heap grows): warm every codec up before measuring any.
  let mp = null;
  try {
    mp = await ctx.load(['dumps', 'loads'], FROM);
  } catch {}
  const warm = [() => deserialize(serialize(graph)), () => structuredClone(graph), () => deserialize(serialize(f64)), () => structuredClone(f64)];
  if (mp) warm.push(() => mp.loads(mp.dumps(graph)), () => mp.loads(mp.dumps(f64)));
  for (const t0 = ctx.now(); ctx.now() - t0 < Math.max(1000, ctx.duration);) {
    for (const fn of warm) {
      try {
        fn();
      } catch {}
    }
  }

  const v8Graph = await ctx.anchor('v8 graph', () => ctx.throughput(() => deserialize(serialize(graph))));
  const cloneGraph = await ctx.anchor('structuredClone graph', () => ctx.throughput(() => structuredClone(graph)));
  const jsonGraphOps = await ctx.anchor('JSON graph', () => ctx.throughput(() => JSON.parse(JSON.stringify(jsonGraph))));
  const pyGraph = await ctx.python('dumps_loads');
  const v8F64 = await ctx.anchor('v8 f64', async () => GB * (await ctx.throughput(() => deserialize(serialize(f64)))));
  const cloneF64 = await ctx.anchor('structuredClone f64', async () => GB * (await ctx.throughput(() => structuredClone(f64))));

  const oursGraph = await ctx.ours(['dumps', 'loads'], async (mp) => {
    const back = mp.loads(mp.dumps(graph));
    const value = await ctx.throughput(() => mp.loads(mp.dumps(graph)));
    return isDeepStrictEqual(back, graph) ? { value } : { value, note: 'ours: loads(dumps(graph)) is not deep-equal to the graph' };
  }, { from: FROM, what: 'dumps+loads graph' });
  const oursF64 = await ctx.ours(['dumps', 'loads'], async (mp) => {
    const back = mp.loads(mp.dumps(f64));
    const value = GB * (await ctx.throughput(() => mp.loads(mp.dumps(f64))));
    const ok = back instanceof Float64Array && isDeepStrictEqual(back, f64);
    return ok ? { value } : { value, note: 'ours: loads(dumps(Float64Array)) is not an equal Float64Array' };
  }, { from: FROM, what: 'dumps+loads Float64Array' });

  const g = { unit: 'ops/s', kind: 'throughput' };
  const f = { unit: 'GB/s', kind: 'throughput' };
  return [
    { ...g, name: 'dumps+loads mixed graph vs v8.serialize+deserialize', ours: oursGraph, anchor: v8Graph, anchorName: 'v8.serialize+deserialize', goal: 0.33 },
    { ...g, name: 'dumps+loads mixed graph vs structuredClone', ours: oursGraph, anchor: cloneGraph, anchorName: 'structuredClone', goal: null },
    { ...g, name: 'dumps+loads mixed graph vs JSON (Map/Set/Date/bigint flattened)', ours: oursGraph, anchor: jsonGraphOps, anchorName: 'JSON.stringify+parse', goal: null },
    { ...g, name: 'dumps+loads mixed graph vs Python pickle', ours: oursGraph, anchor: pyGraph, anchorName: 'python pickle.dumps+loads', goal: null },
    { ...f, name: 'dumps+loads Float64Array 1 MiB vs 1 GB/s target', ours: oursF64, anchor: 1, anchorName: '1 GB/s target', goal: 1 },
    { ...f, name: 'dumps+loads Float64Array 1 MiB vs v8.serialize+deserialize', ours: oursF64, anchor: v8F64, anchorName: 'v8.serialize+deserialize', goal: null },
    { ...f, name: 'dumps+loads Float64Array 1 MiB vs structuredClone', ours: oursF64, anchor: cloneF64, anchorName: 'structuredClone', goal: null },
  ];
}

export default { id: 'B8', title: 'Serialization: dumps + loads', run };
