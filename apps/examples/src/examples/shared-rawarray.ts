// RawArray: a typed array on shared memory. Two thread children fill one half each of a
// million doubles; the parent reads their writes in its own Float64Array, with no copy and no
// message. (Typed-array access to the memory itself needs the 'thread' start method; a spawn
// child would get a live stand-in, one broker round trip per element.)
import { getContext, RawArray } from 'multiprocess';

const n = 1_000_000;
const data = RawArray('d', n); // Float64Array on a SharedArrayBuffer

function fill(a: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) a[i] = i / 2;
}

const ctx = getContext('thread');
const halves = [ctx.Process({ target: fill, args: [data, 0, n / 2] }), ctx.Process({ target: fill, args: [data, n / 2, n] })];
for (const p of halves) await p.start();
for (const p of halves) await p.join();

let sum = 0;
for (const x of data) sum += x;
console.log(data.constructor.name, data.length);
console.log(`sum = ${sum}`); // (n - 1) * n / 4
