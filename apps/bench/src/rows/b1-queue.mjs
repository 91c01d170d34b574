// B1: Queue. A child puts 256-byte strings, main gets them (mp_benchmarks.py's
// test_queuespeed): ours on both start methods and through a Manager queue, next to Python's
// Queue / manager Queue and the raw Node floors.
import { ipcFloor, postMessageFloor, unixSocketFloor } from '../lib/floors.mjs';

/**
 * The child of every variant: READY, n strings, STOP. By value (its source crosses).
 * @param {any} q @param {number} n
 */
const producer = async (q, n) => {
  const a = '0'.repeat(256);
  await q.put('READY');
  for (let i = 0; i < n; i++) await q.put(a);
  await q.put('STOP');
};

/**
 * items/s that main gets from a queue fed by a child of context `c` (a new child per run, as
 * Python does; its start is not timed).
 * @param {import('../lib/context.mjs').Ctx} ctx @param {any} c @param {any} q @param {(f: () => unknown) => void} defer
 */
function consume(ctx, c, q, defer) {
  /** @type {any} */
  let current = null;
  defer(() => current?.isAlive?.() && current.terminate());
  return ctx.rate(async (n) => {
    const p = c.Process({ target: producer, args: [q, n] });
    current = p;
    await p.start();
    if ((await q.get()) !== 'READY') throw new Error('expected READY first');
    const t0 = ctx.now();
    while ((await q.get()) !== 'STOP');
    const elapsed = ctx.now() - t0;
    await p.join();
    return elapsed;
  }, { start: 256, warmupMs: ctx.duration / 4 });
}

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const pyQueue = await ctx.python('queue');
  const pyManager = await ctx.python('manager_queue');
  const pm = await ctx.anchor('floor postMessage', (defer) => postMessageFloor(ctx, defer));
  const ipc = await ctx.anchor('floor child_process IPC', (defer) => ipcFloor(ctx, defer));
  const sock = await ctx.anchor('floor framed Unix socket', (defer) => unixSocketFloor(ctx, defer));

  /** @param {'thread' | 'spawn'} method */
  const ours = (method) =>
    ctx.ours(['getContext', 'Process', 'Queue'], (mp, defer) => {
      const c = mp.getContext(method);
      const q = c.Queue();
      defer(() => q.close());
      return consume(ctx, c, q, defer);
    }, { what: `Queue ${method}` });
  const thread = await ours('thread');
  const spawn = await ours('spawn');
  const manager = await ctx.ours(['getContext', 'Manager'], async (mp, defer) => {
    const m = await mp.Manager();
    defer(() => m.shutdown());
    const q = await m.Queue();
    return consume(ctx, mp.getContext('thread'), q, defer);
  }, { what: 'Manager Queue (thread child)' });

  const r = { unit: 'items/s', kind: 'throughput' };
  const py = 'python multiprocessing';
  return [
    { ...r, name: 'Queue thread vs Python Queue', ours: thread, anchor: pyQueue, anchorName: py, goal: 10 },
    { ...r, name: 'Queue spawn vs Python Queue', ours: spawn, anchor: pyQueue, anchorName: py, goal: 2 },
    { ...r, name: 'Manager queue vs Python manager queue', ours: manager, anchor: pyManager, anchorName: py, goal: 2 },
    { ...r, name: 'Queue thread vs raw postMessage (floor)', ours: thread, anchor: pm, anchorName: 'raw worker postMessage', goal: null },
    { ...r, name: 'Queue spawn vs raw child_process IPC', ours: spawn, anchor: ipc, anchorName: 'raw child_process IPC', goal: null },
    { ...r, name: 'Queue spawn vs framed Unix socket (floor)', ours: spawn, anchor: sock, anchorName: 'raw framed Unix socket', goal: null },
  ];
}

export default { id: 'B1', title: 'Queue: child puts, main gets', run };
