// The queue check, run from queue.mjs (ESM, `import`) and queue.cjs (CommonJS, `require`): a
// Queue used across a real child Process on each start method; items round-trip.
'use strict';

/** @param {typeof import('@mp/context') & typeof import('@mp/queue')} lib @param {'esm' | 'cjs'} tag */
module.exports = async function check(lib, tag) {
  const { currentProcess, getContext, Queue } = lib;
  async function roundTrip(method) {
    const ctx = getContext(method);
    const tasks = new Queue();
    const results = ctx.Queue(); // the factory @mp/queue adds to every context at import
    const p = ctx.Process({
      // By value: `currentProcess` is a free variable that the child provides (a library export).
      target: async (tasks, results) => {
        for (let item = tasks.getSync(true, 20_000); item !== null; item = tasks.getSync(true, 20_000)) {
          await results.put({ id: item.id, doubled: item.n * 2n, keys: [...item.map.keys()], by: currentProcess().name });
        }
      },
      args: [tasks, results],
    });
    await p.start();
    for (let id = 0; id < 3; id++) await tasks.put({ id, n: BigInt(id) + 10n, map: new Map([['a', 1], ['b', 2]]) });
    await tasks.put(null);
    const got = [];
    for (let i = 0; i < 3; i++) got.push(await results.get(true, 20_000));
    await p.join(20_000);
    const items = got.map((r) => `${r.id}:${r.doubled}:${r.keys.join('')}:${r.by}`).join(' ');
    console.log(`${tag} ${method} ${items} exitCode=${p.exitCode}`);
    tasks.close();
    results.close();
  }

  await roundTrip('thread');
  await roundTrip('spawn');
  console.log(`${tag} main ${currentProcess().name}`);
};
