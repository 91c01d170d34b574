// @mp/sync examples (seed 000 "Synchronization Primitives", usage examples).
// expect.lines: each must appear (any order); expect.ordered: must appear in this order;
// expect.lineCount: exact number of non-empty stdout lines; expect.custom(lines) → problem or null.
// Lines of different processes may interleave in any order, so checks are per process.

/** Problem if, for some id, the lines made by `steps(id)` do not appear in that order. */
function inOrderPerId(lines, ids, steps) {
  for (const id of ids) {
    const at = steps(id).map((s) => lines.indexOf(s));
    if (at.some((i) => i < 0)) return `missing one of: ${steps(id).join(' | ')}`;
    if (at.some((i, k) => k > 0 && i < at[k - 1])) return `out of order: ${steps(id).join(' | ')}`;
  }
  return null;
}

export const examples = [
  {
    name: 'sync-basic-lock',
    file: 'sync-basic-lock.ts',
    expect: {
      lineCount: 6,
      custom: (lines) => inOrderPerId(lines, [0, 1, 2], (i) => [`Worker ${i} acquired lock`, `Worker ${i} releasing lock`]),
    },
  },
  {
    name: 'sync-semaphore-pool',
    file: 'sync-semaphore-pool.ts',
    expect: {
      lineCount: 15,
      custom: (lines) =>
        inOrderPerId(lines, [0, 1, 2, 3, 4], (i) => [`Worker ${i} waiting for resource`, `Worker ${i} acquired resource`, `Worker ${i} released resource`]),
    },
  },
  {
    name: 'sync-event-signaling',
    file: 'sync-event-signaling.ts',
    expect: {
      lines: ['Setting event'],
      lineCount: 7,
      custom: (lines) => inOrderPerId(lines, [0, 1, 2], (i) => [`Waiter-${i} waiting for event`, `Waiter-${i} received event`]),
    },
  },
  {
    name: 'sync-condition',
    file: 'sync-condition.ts',
    expect: {
      ordered: [0, 1, 2, 3, 4].map((i) => `Produced item-${i}`),
      custom: (lines) => {
        const consumed = lines.filter((l) => /^Consumer \d consumed /.test(l)).sort();
        const items = consumed.map((l) => l.replace(/^Consumer \d consumed /, '')).sort();
        if (items.join(',') !== 'item-0,item-1') return `consumed ${items.join(',') || 'nothing'}, expected item-0 and item-1`;
        const who = consumed.map((l) => l.split(' ')[1]).sort();
        if (who.join(',') !== '0,1') return `consumers ${who.join(',')}, expected one item each`;
        const other = lines.filter((l) => !/^(Produced item-\d|Consumer \d consumed item-\d|Consumer \d waiting)$/.test(l));
        return other.length > 0 ? `unexpected lines: ${other.join(' | ')}` : null;
      },
    },
  },
  {
    name: 'sync-barrier',
    file: 'sync-barrier.ts',
    expect: {
      lines: ['All workers completed phase 1!'],
      lineCount: 13,
      custom: (lines) => {
        for (const i of [0, 1, 2]) {
          const work = lines.findIndex((l) => new RegExp(`^Worker ${i} working for 0\\.[1-4] seconds$`).test(l));
          if (work < 0) return `worker ${i} did not say how long it works`;
        }
        const problem = inOrderPerId(lines, [0, 1, 2], (i) => [
          `Worker ${i} finished phase 1, waiting at barrier`,
          `Worker ${i} starting phase 2`,
          `Worker ${i} completed phase 2`,
        ]);
        return problem;
      },
    },
  },
];
