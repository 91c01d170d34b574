// Measures the two encoding paths of @mp/serialize against v8.serialize + v8.deserialize (BENCH
// row B8), to justify the hybrid format. Run after building: `node scripts/measure-format.mjs`.
// Each figure is the median of 7 timed rounds after a warm-up; ratios matter, not absolutes.
import * as v8 from 'node:v8';
import { parse, stringify } from 'devalue';
import { dumps, loads } from '@mp/serialize';

function mixedGraph(n) {
  const tags = ['red', 'green', 'blue', 'ünïcødé'];
  const owner = { name: 'shared owner', since: new Date(0) };
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push({
      id: i,
      name: `item-${i}`,
      score: i * 1.25 - 0.5,
      ok: i % 3 === 0,
      none: null,
      created: new Date(1_700_000_000_000 + i),
      tags: [tags[i % 4], tags[(i + 1) % 4]],
      nested: { depth: { value: i, big: BigInt(i) * 1000n } },
      owner, // shared reference
    });
  }
  return { rows, index: new Map(rows.slice(0, 100).map((r) => [r.name, r])), ids: new Set(rows.map((r) => r.id)) };
}

function time(fn, minMs = 150) {
  for (let i = 0; i < 3; i++) fn(); // warm-up
  const rounds = [];
  for (let r = 0; r < 7; r++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    let elapsed = 0;
    do {
      fn();
      n++;
      elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    } while (elapsed < minMs);
    rounds.push(elapsed / n);
  }
  rounds.sort((a, b) => a - b);
  return rounds[3]; // ms per call
}

const graph = mixedGraph(2000);
const forced = { ...graph, forceGeneral: Symbol.for('general path') }; // one symbol: general path
const f64 = new Float64Array((1 << 20) / 8).map((_, i) => i * 0.5);
const f64General = { f64, forceGeneral: Symbol.for('general path') };

const rows = [
  ['mixed graph: v8.serialize + deserialize', time(() => v8.deserialize(v8.serialize(graph)))],
  ['mixed graph: dumps + loads (fast path)', time(() => loads(dumps(graph)))],
  ['mixed graph: dumps + loads (general path, devalue)', time(() => loads(dumps(forced)))],
  ['mixed graph: devalue stringify + parse alone', time(() => parse(stringify(graph)))],
  ['1 MiB Float64Array: v8.serialize + deserialize', time(() => v8.deserialize(v8.serialize(f64)))],
  ['1 MiB Float64Array: dumps + loads (fast path)', time(() => loads(dumps(f64)))],
  ['1 MiB Float64Array: dumps + loads (general path, attachment)', time(() => loads(dumps(f64General)))],
  ['1 MiB Float64Array: devalue alone (base64)', time(() => parse(stringify(f64)))],
];
const base = rows[0][1];
const baseF = rows[4][1];
console.log(`node ${process.version}, ${graph.rows.length} rows in the mixed graph (${dumps(graph).length} bytes fast, ${dumps(forced).length} bytes general, ${v8.serialize(graph).length} bytes v8)`);
for (const [i, [name, ms]] of rows.entries()) {
  const ref = i < 4 ? base : baseF;
  const extra = i >= 4 ? `  ${(1 / 1024 / (ms / 1000)).toFixed(2)} GiB/s` : '';
  console.log(`${name.padEnd(62)} ${ms.toFixed(3).padStart(9)} ms  ×${(ms / ref).toFixed(2)} of v8${extra}`);
}
