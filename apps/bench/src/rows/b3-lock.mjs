// B3: Lock acquire+release, uncontended, in a loop: in the main thread (shared memory) and in a
// spawn child (through the broker), next to Python's Lock / manager Lock and a raw Atomics lock.
import { rateInSpawnChild, rawAtomicsLock } from '../lib/child.mjs';

/** In a spawn child: await acquire() + release() for each duration; sends the rates. */
const lockChild = async (lock, conn, durations) => {
  const rates = [];
  for (const d of durations) {
    let n = 0;
    let e = 0;
    const t0 = performance.now();
    do {
      for (let i = 0; i < 16; i++) {
        await lock.acquire();
        lock.release();
      }
      n += 16;
      e = performance.now() - t0;
    } while (e < d);
    rates.push((n / e) * 1000);
  }
  conn.send(rates);
};

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const pyLock = await ctx.python('lock');
  const pyManagerLock = await ctx.python('manager_lock');
  const raw = await ctx.anchor('floor Atomics lock', () => {
    const l = rawAtomicsLock();
    return ctx.rate((n) => {
      for (let i = 0; i < n; i++) {
        l.acquire();
        l.release();
      }
    }, { start: 1024 });
  });

  const sync = await ctx.ours(['Lock'], (mp) => {
    const l = new mp.Lock();
    return ctx.rate((n) => {
      for (let i = 0; i < n; i++) {
        l.acquireSync();
        l.release();
      }
    }, { start: 1024 });
  }, { what: 'Lock acquireSync+release' });
  const async_ = await ctx.ours(['Lock'], (mp) => {
    const l = new mp.Lock();
    return ctx.rate(async (n) => {
      for (let i = 0; i < n; i++) {
        await l.acquire();
        l.release();
      }
    }, { start: 1024 });
  }, { what: 'Lock await acquire+release' });
  const spawn = await ctx.ours(['getContext', 'Process', 'Pipe', 'Lock'], (mp, defer) =>
    rateInSpawnChild(ctx, mp, defer, lockChild, [mp.getContext('spawn').Lock()]),
  { what: 'Lock in a spawn child' });

  const r = { unit: 'pairs/s', kind: 'throughput' };
  const py = 'python multiprocessing';
  return [
    { ...r, name: 'Lock acquireSync+release (main thread) vs Python Lock', ours: sync, anchor: pyLock, anchorName: py, goal: 2 },
    { ...r, name: 'Lock await acquire()+release (main thread) vs Python Lock', ours: async_, anchor: pyLock, anchorName: py, goal: null },
    { ...r, name: 'Lock in a spawn child vs Python manager Lock', ours: spawn, anchor: pyManagerLock, anchorName: py, goal: 3 },
    { ...r, name: 'Lock acquireSync+release vs raw Atomics lock (floor)', ours: sync, anchor: raw, anchorName: 'raw Atomics CAS lock', goal: null },
  ];
}

export default { id: 'B3', title: 'Lock acquire+release, uncontended', run };
