// B9: Manager proxies from the main process: list get(5), dict set+get, next to Python's
// Manager().list / Manager().dict.

/** @param {import('../lib/context.mjs').Ctx} ctx */
async function run(ctx) {
  const pyList = await ctx.python('manager_list_get');
  const pyDict = await ctx.python('manager_dict_set_get');

  const list = await ctx.ours(['Manager'], async (mp, defer) => {
    const m = await mp.Manager();
    defer(() => m.shutdown());
    const l = await m.list(Array.from({ length: 10 }, (_, i) => i));
    if ((await l.get(5)) !== 5) throw new Error('list.get(5) !== 5');
    return ctx.rate(async (n) => {
      for (let i = 0; i < n; i++) await l.get(5);
    }, { start: 16 });
  }, { what: 'Manager list get(5)' });
  const dict = await ctx.ours(['Manager'], async (mp, defer) => {
    const m = await mp.Manager();
    defer(() => m.shutdown());
    const d = await m.dict();
    return ctx.rate(async (n) => {
      for (let i = 0; i < n; i++) {
        await d.set('key', i);
        await d.get('key');
      }
    }, { start: 16 });
  }, { what: 'Manager dict set+get' });

  const py = 'python multiprocessing';
  return [
    { name: 'Manager list get(5) vs Python manager list', ours: list, anchor: pyList, anchorName: py, unit: 'reads/s', kind: 'throughput', goal: 2 },
    { name: 'Manager dict set+get vs Python manager dict', ours: dict, anchor: pyDict, anchorName: py, unit: 'pairs/s', kind: 'throughput', goal: 2 },
  ];
}

export default { id: 'B9', title: 'Manager list and dict proxies', run };
