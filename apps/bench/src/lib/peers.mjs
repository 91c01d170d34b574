// Node pool peers of B6/B10 (devDependencies of apps/bench only): piscina, tinypool, workerpool.
// Each peer: { make(workers, task) → pool, call(pool, x), destroy(pool) }; tasks are the files
// in src/fixtures/ (`double` = x * 2, `spin` = the B10 loop).
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Tinypool } from 'tinypool';
import workerpool from 'workerpool';

const fixture = (name) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/**
 * @typedef {{ name: string, make: (workers: number, task: 'double' | 'spin') => any,
 *   call: (pool: any, x: number) => Promise<unknown>, destroy: (pool: any) => Promise<unknown> }} Peer
 */

/** @type {Record<string, Peer>} */
export const peers = {
  piscina: {
    name: 'piscina run',
    make: (workers, task) => new Piscina({ filename: fixture(`${task}.mjs`), minThreads: workers, maxThreads: workers }),
    call: (pool, x) => pool.run(x),
    destroy: (pool) => pool.destroy(),
  },
  tinypool: {
    name: 'tinypool run',
    make: (workers, task) => new Tinypool({ filename: fixture(`${task}.mjs`), minThreads: workers, maxThreads: workers }),
    call: (pool, x) => pool.run(x),
    destroy: (pool) => pool.destroy(),
  },
  workerpoolThread: {
    name: 'workerpool exec (thread)',
    make: (workers) => workerpool.pool(fixture('workerpool-double.cjs'), { minWorkers: workers, maxWorkers: workers, workerType: 'thread' }),
    call: (pool, x) => pool.exec('double', [x]),
    destroy: (pool) => pool.terminate(),
  },
  workerpoolProcess: {
    name: 'workerpool exec (process)',
    make: (workers) => workerpool.pool(fixture('workerpool-double.cjs'), { minWorkers: workers, maxWorkers: workers, workerType: 'process' }),
    call: (pool, x) => pool.exec('double', [x]),
    destroy: (pool) => pool.terminate(),
  },
};

/**
 * Tasks/s of a peer running n separate tasks awaited together (its natural way, also for a
 * map). The pool is created and warmed before timing.
 * @param {import('./context.mjs').Ctx} ctx
 * @param {Peer} peer
 * @param {number} n
 * @param {(c: () => unknown) => void} defer
 * @param {{ repeat?: number }} [o]
 */
export async function peerTasksPerSec(ctx, peer, n, defer, o = {}) {
  const pool = peer.make(ctx.cpus, 'double');
  defer(() => peer.destroy(pool));
  const batch = (k) => Promise.all(Array.from({ length: k }, (_, i) => peer.call(pool, i)));
  await batch(Math.min(n, 1000)); // workers up, code warm
  const ms = await ctx.time(async () => {
    const out = await batch(n);
    if (out[n - 1] !== (n - 1) * 2) throw new Error(`${peer.name}: wrong result ${out[n - 1]}`);
  }, { warmup: 0, repeat: o.repeat ?? ctx.repeat });
  return (n / ms) * 1000;
}
