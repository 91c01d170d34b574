// B2: Pipe. A child sends 256-byte strings, main receives (mp_benchmarks.py's
// test_pipespeed), on both start methods, next to Python's Pipe and the raw Node floors.
import { ipcFloor, postMessageFloor, unixSocketFloor } from '../lib/floors.mjs';

/** @param {any} conn @param {number} n */
const sender = (conn, n) => {
  const a = '0'.repeat(256);
  conn.send('READY');
  for (let i = 0; i < n; i++) conn.send(a);
  conn.send('STOP');
};

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const pyPipe = await ctx.python('pipe');
  const pm = await ctx.anchor('floor postMessage', (defer) => postMessageFloor(ctx, defer));
  const ipc = await ctx.anchor('floor child_process IPC', (defer) => ipcFloor(ctx, defer));
  const sock = await ctx.anchor('floor framed Unix socket', (defer) => unixSocketFloor(ctx, defer));

  /** @param {'thread' | 'spawn'} method */
  const ours = (method) =>
    ctx.ours(['getContext', 'Process', 'Pipe'], (mp, defer) => {
      const c = mp.getContext(method);
      /** @type {any} */
      let current = null;
      defer(() => current?.isAlive?.() && current.terminate());
      return ctx.rate(async (n) => {
        // a fresh Pipe per child: an end handed to a thread child may be transferred away
        const [mine, theirs] = c.Pipe();
        try {
          const p = c.Process({ target: sender, args: [theirs, n] });
          current = p;
          await p.start();
          if ((await mine.recv()) !== 'READY') throw new Error('expected READY first');
          const t0 = ctx.now();
          while ((await mine.recv()) !== 'STOP');
          const elapsed = ctx.now() - t0;
          await p.join();
          return elapsed;
        } finally {
          mine.close();
          try {
            theirs.close();
          } catch {}
        }
      }, { start: 256, warmupMs: ctx.duration / 4 });
    }, { what: `Pipe ${method}` });
  const thread = await ours('thread');
  const spawn = await ours('spawn');

  const r = { unit: 'msgs/s', kind: 'throughput' };
  const py = 'python multiprocessing';
  return [
    { ...r, name: 'Pipe thread vs Python Pipe', ours: thread, anchor: pyPipe, anchorName: py, goal: 4 },
    { ...r, name: 'Pipe spawn vs Python Pipe', ours: spawn, anchor: pyPipe, anchorName: py, goal: 3 },
    { ...r, name: 'Pipe thread vs raw postMessage (floor)', ours: thread, anchor: pm, anchorName: 'raw worker postMessage', goal: null },
    { ...r, name: 'Pipe spawn vs raw child_process IPC', ours: spawn, anchor: ipc, anchorName: 'raw child_process IPC', goal: null },
    { ...r, name: 'Pipe spawn vs framed Unix socket (floor)', ours: spawn, anchor: sock, anchorName: 'raw framed Unix socket', goal: null },
  ];
}

export default { id: 'B2', title: 'Pipe: child sends, main receives', run };
