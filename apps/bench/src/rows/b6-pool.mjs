// B6: Pool. map(x => x * 2) over 100k ints with default chunking, and 10k separate applyAsync
// awaited together; next to Python's Pool.map / apply_async and the Node pool peers
// (piscina, tinypool, workerpool) doing the same task from a worker file.
// --quick: 20k ints and 2k tasks (5k for the peers' map).
import { peers, peerTasksPerSec } from '../lib/peers.mjs';

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const MAP_N = ctx.quick ? 20_000 : 100_000;
  const APPLY_N = ctx.quick ? 2_000 : 10_000;
  const items = Array.from({ length: MAP_N }, (_, i) => i);
  const double = (x) => x * 2;

  const pyMap = await ctx.python('pool_map', { n: MAP_N });
  const pyApply = await ctx.python('pool_apply_async', { n: APPLY_N });
  /** @type {Record<string, number | null>} */
  const apply = {};
  /** @type {Record<string, number | null>} */
  const map = {};
  for (const [key, peer] of Object.entries(peers)) {
    apply[key] = await ctx.anchor(`${peer.name} ${APPLY_N} tasks`, (defer) => peerTasksPerSec(ctx, peer, APPLY_N, defer));
  }
  for (const key of ['piscina', 'tinypool', 'workerpoolThread']) {
    const peer = peers[key];
    // one timed run: 100k separate tasks take seconds for a peer (--quick: 5k)
    const n = ctx.quick ? 5_000 : MAP_N;
    map[key] = await ctx.anchor(`${peer.name} map ${n}`, (defer) => peerTasksPerSec(ctx, peer, n, defer, { repeat: 1 }));
  }

  /**
   * @param {'thread' | 'spawn'} method
   * @param {(pool: any) => Promise<number>} measure
   * @param {string} what
   */
  const ours = (method, measure, what) =>
    ctx.ours(['getContext', 'Pool'], async (mp, defer) => {
      const pool = new mp.Pool({ processes: ctx.cpus, context: mp.getContext(method) });
      defer(() => pool.terminate());
      await pool.map(double, items.slice(0, 1000)); // workers up, code warm
      return measure(pool);
    }, { what });
  const oursMap = await ours('thread', async (pool) => {
    // Steady state, as a long-running program sees it: V8 needs a few full maps to optimize the
    // pool's paths and the task (measured: ~60 ms for the first maps of 100k, ~11 ms from the
    // fifth on); CPython has no JIT, so its anchor is steady from the first map.
    const ms = await ctx.time(async () => {
      const out = await pool.map(double, items);
      if (out.length !== MAP_N || out[MAP_N - 1] !== (MAP_N - 1) * 2) throw new Error('Pool.map: wrong result');
    }, { warmup: 5 });
    return (MAP_N / ms) * 1000;
  }, 'Pool.map');
  const applyOnce = async (pool) => {
    const t0 = ctx.now();
    const rs = [];
    for (let i = 0; i < APPLY_N; i++) rs.push(pool.applyAsync(double, [i]));
    const out = await Promise.all(rs.map((r) => r.get()));
    if (out[APPLY_N - 1] !== (APPLY_N - 1) * 2) throw new Error('applyAsync: wrong result');
    return ctx.now() - t0;
  };
  const applyAll = async (pool) => (APPLY_N / (await ctx.time(() => applyOnce(pool), { warmup: 0 }))) * 1000;
  // The goal row: ours and piscina timed alternately (the load of this shared machine drifts).
  /** @type {any} */
  const oursApply = await ours('thread', async (pool) => {
    const pisc = peers.piscina;
    const pp = pisc.make(ctx.cpus, 'double');
    try {
      const batch = async () => {
        const t0 = ctx.now();
        await Promise.all(Array.from({ length: APPLY_N }, (_, i) => pisc.call(pp, i)));
        return ctx.now() - t0;
      };
      await batch();
      const mine = [];
      const theirs = [];
      for (let i = 0; i < ctx.repeat; i++) {
        theirs.push(await batch());
        mine.push(await applyOnce(pool));
      }
      return { value: (APPLY_N / ctx.median(mine)) * 1000, piscina: (APPLY_N / ctx.median(theirs)) * 1000 };
    } finally {
      await pisc.destroy(pp);
    }
  }, 'Pool.applyAsync');
  const oursApplySpawn = await ours('spawn', applyAll, 'Pool(spawn).applyAsync');

  const r = { unit: 'tasks/s', kind: 'throughput' };
  const py = 'python multiprocessing';
  return [
    { ...r, name: 'Pool.map x*2 over ints vs Python Pool.map', ours: oursMap, anchor: pyMap, anchorName: py, goal: 1.5 },
    { ...r, name: 'Pool.applyAsync tasks vs piscina run', ours: oursApply, anchor: oursApply.piscina ?? apply.piscina, anchorName: peers.piscina.name, goal: 1.5 },
    { ...r, name: 'Pool.applyAsync tasks vs tinypool run', ours: oursApply, anchor: apply.tinypool, anchorName: peers.tinypool.name, goal: null },
    { ...r, name: 'Pool.applyAsync tasks vs workerpool exec (thread)', ours: oursApply, anchor: apply.workerpoolThread, anchorName: peers.workerpoolThread.name, goal: null },
    { ...r, name: 'Pool.applyAsync tasks vs Python apply_async', ours: oursApply, anchor: pyApply, anchorName: py, goal: null },
    { ...r, name: 'Pool(spawn).applyAsync tasks vs workerpool exec (process)', ours: oursApplySpawn, anchor: apply.workerpoolProcess, anchorName: peers.workerpoolProcess.name, goal: null },
    { ...r, name: 'Pool.map x*2 over ints vs piscina (one run per item)', ours: oursMap, anchor: map.piscina, anchorName: peers.piscina.name, goal: null },
    { ...r, name: 'Pool.map x*2 over ints vs tinypool (one run per item)', ours: oursMap, anchor: map.tinypool, anchorName: peers.tinypool.name, goal: null },
    { ...r, name: 'Pool.map x*2 over ints vs workerpool (one exec per item)', ours: oursMap, anchor: map.workerpoolThread, anchorName: peers.workerpoolThread.name, goal: null },
  ];
}

export default { id: 'B6', title: 'Pool map and applyAsync', run };
