// B10: scaling. Pool.map of a CPU-bound task (a loop of ITERS iterations, ~15 ms warm in V8)
// over TASKS = 4 × cores items, chunksize 1, with 1..N workers; speed-up(w) = time(1) / time(w),
// the two pools timed alternately (3 rounds, 2 with --quick; the load of this shared machine drifts). Goal: speed-up
// ≥ 0.9 × w (ratio to linear ≥ 0.9). For information: Python's speed-up on the same shape (a
// 2M-iteration loop, as its loop is ~50× slower) and piscina's on the same task file.
import { peers } from '../lib/peers.mjs';

const ITERS = 50_000_000;

/** The task, by value. */
const spin = (n) => {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + i) | 0;
  return s;
};

/**
 * time(1 worker) / time(w workers), alternating the two pools `rounds` times.
 * @param {import('../lib/context.mjs').Ctx} ctx
 * @param {{ make: (w: number) => any, map: (pool: any, items: number[]) => Promise<unknown>, destroy: (pool: any) => unknown }} kind
 * @param {number} w @param {number[]} input @param {(c: () => unknown) => void} defer
 */
async function speedup(ctx, kind, w, input, defer) {
  const one = kind.make(1);
  defer(() => kind.destroy(one));
  const many = kind.make(w);
  defer(() => kind.destroy(many));
  await kind.map(one, input.slice(0, 2)); // workers up, code warm
  await kind.map(many, input.slice(0, 2 * w));
  const t1 = [];
  const tw = [];
  for (let i = 0; i < (ctx.quick ? 2 : Math.max(3, ctx.repeat)); i++) {
    let t0 = ctx.now();
    await kind.map(one, input);
    t1.push(ctx.now() - t0);
    t0 = ctx.now();
    await kind.map(many, input);
    tw.push(ctx.now() - t0);
  }
  return /** @type {number} */ (ctx.median(t1)) / /** @type {number} */ (ctx.median(tw));
}

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const TASKS = 4 * ctx.cpus;
  const input = Array.from({ length: TASKS }, () => ITERS);
  const counts = [];
  for (let w = 2; w <= ctx.cpus; w++) counts.push(w);
  if (counts.length === 0) counts.push(1);

  const piscina = {
    make: (w) => peers.piscina.make(w, 'spin'),
    map: (pool, items) => Promise.all(items.map((n) => pool.run(n))),
    destroy: (pool) => pool.destroy(),
  };
  const rows = [];
  for (const w of counts) {
    const py = await ctx.python('pool_scaling', { workers: w, tasks: TASKS, iters: 2_000_000 });
    const pisc = await ctx.anchor(`piscina spin ×${TASKS}, 1 vs ${w} workers`, (defer) => speedup(ctx, piscina, w, input, defer));
    const ours = await ctx.ours(['Pool'], (mp, defer) => {
      const kind = {
        make: (n) => new mp.Pool(n),
        map: (pool, items) => pool.map(spin, items, 1),
        destroy: (pool) => pool.terminate(),
      };
      return speedup(ctx, kind, w, input, defer);
    }, { what: `Pool scaling with ${w} workers` });
    const r = { unit: '×', kind: 'throughput', ours };
    rows.push(
      { ...r, name: `Pool.map CPU-bound, ${w} workers: speed-up vs linear`, anchor: w, anchorName: `linear (${w}×)`, goal: 0.9 },
      { ...r, name: `Pool.map CPU-bound, ${w} workers: speed-up vs Python Pool`, anchor: py, anchorName: 'python multiprocessing speed-up', goal: null },
      { ...r, name: `Pool.map CPU-bound, ${w} workers: speed-up vs piscina`, anchor: pisc, anchorName: 'piscina speed-up', goal: null },
    );
  }
  return rows;
}

export default { id: 'B10', title: 'Pool scaling, CPU-bound', run };
