// B7: Process start → join of an empty target, on both start methods, next to the raw Node
// floors (an empty Worker / an empty child_process.fork, start → exit) and Python's spawn.
// The machine is shared and its load drifts, so once our Process is available the raw floor and
// ours are timed alternately (raw, ours, raw, ours, …) and each side keeps its median.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const count = ctx.quick ? 3 : 10; // starts per figure (median)
  const empty = ctx.fixture('empty.mjs');
  const raw = {
    thread: async () => {
      const t0 = ctx.now();
      const w = new Worker(empty);
      await once(w, 'exit');
      return ctx.now() - t0;
    },
    spawn: async () => {
      const t0 = ctx.now();
      const c = fork(empty, [], { stdio: 'ignore' });
      await once(c, 'exit');
      return ctx.now() - t0;
    },
  };
  // alone, for when our side is missing
  const rawWorker = await ctx.anchor('raw Worker start→exit', () => ctx.time(raw.thread, { repeat: count }));
  const rawFork = await ctx.anchor('raw fork start→exit', () => ctx.time(raw.spawn, { repeat: count }));
  const python = await ctx.python('process_start', { count });

  /** @param {'thread' | 'spawn'} method */
  const ours = (method) =>
    ctx.ours(['getContext', 'Process'], async (mp, defer) => {
      const c = mp.getContext(method);
      /** @type {any} */
      let current = null;
      defer(() => current?.isAlive?.() && current.terminate());
      const start = async () => {
        const t0 = ctx.now();
        const p = c.Process({ target: () => {} });
        current = p;
        await p.start();
        await p.join();
        if (p.exitCode !== 0) throw new Error(`child exited with ${p.exitCode}`);
        return ctx.now() - t0;
      };
      await raw[method]();
      await start(); // warm-up
      const mine = [];
      const theirs = [];
      for (let i = 0; i < count; i++) {
        theirs.push(await raw[method]());
        mine.push(await start());
      }
      return { value: ctx.median(mine), raw: ctx.median(theirs) };
    }, { what: `Process(${method}) start→join` });

  const thread = await ours('thread');
  const spawn = await ours('spawn');
  const row = { unit: 'ms', kind: 'time' };
  return [
    { ...row, name: 'Process thread start→join vs raw new Worker', ours: thread, anchor: thread.raw ?? rawWorker, anchorName: 'raw worker_threads Worker', goal: 0.77 },
    { ...row, name: 'Process spawn start→join vs raw child_process.fork', ours: spawn, anchor: spawn.raw ?? rawFork, anchorName: 'raw child_process.fork', goal: 0.77 },
    { ...row, name: 'Process thread start→join vs Python spawn Process', ours: thread, anchor: python, anchorName: 'python multiprocessing (spawn)', goal: null },
    { ...row, name: 'Process spawn start→join vs Python spawn Process', ours: spawn, anchor: python, anchorName: 'python multiprocessing (spawn)', goal: null },
  ];
}

export default { id: 'B7', title: 'Process start → join', run };
