// B10: scaling. Pool.map of a CPU-bound task (a loop of ITERS iterations, ~15 ms warm in V8)
// over TASKS = 4 × cores items, chunksize 1, with 1..N workers; speed-up(w) = time(1) / time(w).
// Goal: speed-up ≥ 0.9 × w (ratio to linear ≥ 0.9). For information: Python's speed-up on the
// same shape (a 2M-iteration loop, as its loop is ~50× slower) and piscina's on ours.
import { peers } from '../lib/peers.mjs';

const ITERS = 50_000_000;

/** The task, by value. */
const spin = (n) => {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + i) | 0;
  return s;
};

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const TASKS = 4 * ctx.cpus;
  const input = Array.from({ length: TASKS }, () => ITERS);
  const counts = [];
  for (let w = 2; w <= ctx.cpus; w++) counts.push(w);
  if (counts.length === 0) counts.push(1);

  /** median ms of one map with a pool of w workers, warmed first */
  const oursTime = (mp, w, defer) => async () => {
    const pool = new mp.Pool(w);
    defer(() => pool.terminate());
    await pool.map(spin, input.slice(0, 2 * w), 1);
    const ms = await ctx.time(() => pool.map(spin, input, 1), { warmup: 0 });
    await pool.terminate();
    return ms;
  };
  const piscinaTime = async (w, defer) => {
    const pool = peers.piscina.make(w, 'spin');
    defer(() => pool.destroy());
    const all = (k) => Promise.all(input.slice(0, k).map((n) => pool.run(n)));
    await all(2 * w);
    const ms = await ctx.time(() => all(TASKS), { warmup: 0 });
    await pool.destroy();
    return ms;
  };
  const piscina1 = await ctx.anchor(`piscina spin ×${TASKS}, 1 worker`, (defer) => piscinaTime(1, defer));

  const rows = [];
  for (const w of counts) {
    const py = await ctx.python('pool_scaling', { workers: w, tasks: TASKS, iters: 2_000_000 });
    const pw = await ctx.anchor(`piscina spin ×${TASKS}, ${w} workers`, (defer) => piscinaTime(w, defer));
    const piscinaSpeedup = piscina1 && pw ? piscina1 / pw : null;
    const ours = await ctx.ours(['Pool'], async (mp, defer) => {
      const t1 = await oursTime(mp, 1, defer)();
      const tw = w === 1 ? t1 : await oursTime(mp, w, defer)();
      return t1 / tw;
    }, { what: `Pool scaling with ${w} workers` });
    const r = { unit: '×', kind: 'throughput', ours };
    rows.push(
      { ...r, name: `Pool.map CPU-bound, ${w} workers: speed-up vs linear`, anchor: w, anchorName: `linear (${w}×)`, goal: 0.9 },
      { ...r, name: `Pool.map CPU-bound, ${w} workers: speed-up vs Python Pool`, anchor: py, anchorName: 'python multiprocessing speed-up', goal: null },
      { ...r, name: `Pool.map CPU-bound, ${w} workers: speed-up vs piscina`, anchor: piscinaSpeedup, anchorName: 'piscina speed-up', goal: null },
    );
  }
  return rows;
}

export default { id: 'B10', title: 'Pool scaling, CPU-bound', run };
