// B5: SharedArray('i', 10) with its lock: get(5) in the main thread, the raw view
// (getObj()[5]), and get(5) in a spawn child, next to Python's Array(lock=True) `arr[5]` and a
// raw Int32Array read under a raw Atomics lock.
import { rateInSpawnChild, rawAtomicsLock } from '../lib/child.mjs';

const TEN = Array.from({ length: 10 }, (_, i) => i);

/** In a spawn child: arr.get(5) for each duration (awaited if it returns a promise). */
const readChild = async (arr, conn, durations) => {
  const rates = [];
  let s = 0;
  for (const d of durations) {
    let n = 0;
    let e = 0;
    const t0 = performance.now();
    do {
      for (let i = 0; i < 64; i++) {
        let v = arr.get(5);
        if (v && typeof v.then === 'function') v = await v;
        s += v;
      }
      n += 64;
      e = performance.now() - t0;
    } while (e < d);
    rates.push((n / e) * 1000);
  }
  if (s < 0) rates.push(s); // keep the reads alive
  conn.send(rates);
};

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const py = await ctx.python('array_get');
  let sink = 0;
  const raw = await ctx.anchor('floor Int32Array read under Atomics lock', () => {
    const view = new Int32Array(new SharedArrayBuffer(40));
    view.set(TEN);
    const l = rawAtomicsLock();
    return ctx.rate((n) => {
      for (let i = 0; i < n; i++) {
        l.acquire();
        sink += view[5];
        l.release();
      }
    }, { start: 1024 });
  });

  const get = await ctx.ours(['SharedArray'], (mp) => {
    const arr = new mp.SharedArray('i', TEN);
    return ctx.rate((n) => {
      for (let i = 0; i < n; i++) sink += arr.get(5);
    }, { start: 1024 });
  }, { what: 'SharedArray get(5)' });
  const view = await ctx.ours(['SharedArray'], (mp) => {
    const v = new mp.SharedArray('i', TEN).getObj();
    return ctx.rate((n) => {
      for (let i = 0; i < n; i++) sink += v[5];
    }, { start: 1024 });
  }, { what: 'SharedArray getObj()[5]' });
  const spawn = await ctx.ours(['getContext', 'Process', 'Pipe', 'SharedArray'], (mp, defer) =>
    rateInSpawnChild(ctx, mp, defer, readChild, [mp.getContext('spawn').SharedArray('i', TEN)]),
  { what: 'SharedArray get(5) in a spawn child' });
  if (sink === -1) ctx.log(String(sink));

  const r = { unit: 'reads/s', kind: 'throughput' };
  const pyName = 'python Array(lock=True)';
  return [
    { ...r, name: 'SharedArray get(5) (main thread) vs Python Array(lock=True)', ours: get, anchor: py, anchorName: pyName, goal: 5 },
    { ...r, name: 'SharedArray raw view getObj()[5] vs Python Array(lock=True)', ours: view, anchor: py, anchorName: pyName, goal: null },
    { ...r, name: 'SharedArray get(5) in a spawn child vs Python Array(lock=True)', ours: spawn, anchor: py, anchorName: pyName, goal: null },
    { ...r, name: 'SharedArray get(5) vs raw Int32Array read under Atomics lock', ours: get, anchor: raw, anchorName: 'raw Atomics lock + Int32Array', goal: null },
  ];
}

export default { id: 'B5', title: 'SharedArray reads', run };
