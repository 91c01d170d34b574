// B4: Condition ping-pong between main and a child (mp_benchmarks.py's test_conditionspeed):
// each side notifies then waits; waits/s counts both sides.

/** The child: take the lock, wake main, then answer each notify with a notify. */
const pong = async (c, n) => {
  await c.acquire();
  c.notify();
  for (let i = 0; i < n; i++) {
    await c.wait();
    c.notify();
  }
  c.release();
};

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const py = await ctx.python('condition');

  /** @param {'thread' | 'spawn'} method */
  const ours = (method) =>
    ctx.ours(['getContext', 'Process', 'Condition'], async (mp, defer) => {
      const c = mp.getContext(method);
      const cond = c.Condition();
      /** @type {any} */
      let current = null;
      defer(() => current?.isAlive?.() && current.terminate());
      const iterations = await ctx.rate(async (n) => {
        await cond.acquire();
        const p = c.Process({ target: pong, args: [cond, n] });
        current = p;
        await p.start();
        await cond.wait();
        const t0 = ctx.now();
        for (let i = 0; i < n; i++) {
          cond.notify();
          await cond.wait();
        }
        const elapsed = ctx.now() - t0;
        cond.release();
        await p.join();
        return elapsed;
      }, { start: 64, warmupMs: ctx.duration / 4 });
      return iterations === null ? null : 2 * iterations;
    }, { what: `Condition ${method}` });
  const thread = await ours('thread');
  const spawn = await ours('spawn');

  const r = { unit: 'waits/s', kind: 'throughput', anchor: py, anchorName: 'python multiprocessing' };
  return [
    { ...r, name: 'Condition ping-pong thread vs Python Condition', ours: thread, goal: 4 },
    { ...r, name: 'Condition ping-pong spawn vs Python Condition', ours: spawn, goal: 1 },
  ];
}

export default { id: 'B4', title: 'Condition ping-pong', run };
