// Runs a measuring loop inside a spawn child of OUR library (getContext('spawn').Process) and
// gets its rates back through a Pipe. The target is by value, so it must be self-contained;
// it receives (...args, conn, durations) and must `conn.send(rates)`, one rate per duration,
// the first duration being a warm-up.

/**
 * @param {import('./context.mjs').Ctx} ctx
 * @param {Record<string, any>} mp the `multiprocess` module
 * @param {(c: () => unknown) => void} defer
 * @param {Function} target
 * @param {unknown[]} args
 * @returns {Promise<number | null>} the median rate
 */
export async function rateInSpawnChild(ctx, mp, defer, target, args) {
  const c = mp.getContext('spawn');
  const [mine, theirs] = c.Pipe();
  defer(() => mine.close());
  const durations = [ctx.duration / 4, ...Array.from({ length: ctx.repeat }, () => ctx.duration)];
  const p = c.Process({ target, args: [...args, theirs, durations] });
  defer(() => p.isAlive?.() && p.terminate());
  await p.start();
  /** @type {number[]} */
  const rates = await mine.recv();
  await p.join();
  if (!Array.isArray(rates) || rates.length !== durations.length) throw new Error(`child sent ${JSON.stringify(rates)}`);
  return ctx.median(rates.slice(1));
}

/**
 * A raw uncontended lock over Atomics (the B3/B5 floor): CAS to acquire, store to release, and a
 * notify only when the waiter count says someone sleeps.
 * Layout (Int32Array): [0] state 0 = free / 1 = held; [1] number of waiters.
 */
export function rawAtomicsLock() {
  const s = new Int32Array(new SharedArrayBuffer(8));
  return {
    acquire() {
      if (Atomics.compareExchange(s, 0, 0, 1) === 0) return;
      Atomics.add(s, 1, 1);
      while (Atomics.compareExchange(s, 0, 0, 1) !== 0) Atomics.wait(s, 0, 1);
      Atomics.sub(s, 1, 1);
    },
    release() {
      Atomics.store(s, 0, 0);
      if (Atomics.load(s, 1) !== 0) Atomics.notify(s, 0, 1);
    },
  };
}
