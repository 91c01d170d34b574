// The umbrella check, run from umbrella.mjs (ESM) and umbrella.cjs (CommonJS): the pool worker
// entry, shared values and locks, and a manager server, from the packaged files.
'use strict';

/** @param {typeof import('multiprocess')} lib @param {'esm' | 'cjs'} tag */
module.exports = async function check(lib, tag) {
  const { currentProcess, getContext, Lock, Manager, Process, Value } = lib;
  for (const method of ['thread', 'spawn']) {
    const ctx = getContext(method);
    const pool = ctx.Pool(2);
    const squares = await pool.map((x) => x * x, [1, 2, 3]);
    const inWorker = await pool.apply(() => currentProcess().name.includes('PoolWorker'));
    await pool.terminate();
    console.log(`${tag} ${method} pool ${JSON.stringify(squares)} inWorker=${inWorker}`);

    const counter = new Value('i', 0);
    const lock = new Lock();
    const children = [0, 1].map(() =>
      ctx.Process({
        target: (counter, lock) => {
          for (let i = 0; i < 50; i++) {
            lock.acquireSync();
            counter.value += 1;
            lock.release();
          }
        },
        args: [counter, lock],
      }),
    );
    for (const p of children) await p.start();
    for (const p of children) await p.join(20_000);
    console.log(`${tag} ${method} value ${counter.value} exitCodes=${children.map((p) => p.exitCode).join(',')}`);
  }

  const manager = await Manager();
  const dict = await manager.dict({ a: 1 });
  const list = await manager.list([1, 2]);
  const p = new Process({
    target: async (dict, list) => {
      await dict.set('b', 2);
      await list.append(3);
    },
    args: [dict, list],
  });
  await p.start();
  await p.join(20_000);
  console.log(`${tag} manager ${JSON.stringify(await dict.items())} ${JSON.stringify(await list.toArray())} exitCode=${p.exitCode}`);
  await manager.shutdown();
};
