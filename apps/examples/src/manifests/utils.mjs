// Seed 002 (multiprocessing_utils: SharedLock and local()) and seed 003's Condition repr.
// expect.lines: each must appear (any order); expect.ordered: must appear in this order;
// expect.lineCount: exact number of non-empty stdout lines; expect.custom(lines) → problem or null.
export const examples = [
  {
    name: 'sync-condition-repr',
    file: 'sync-condition-repr.ts',
    expect: {
      ordered: ['<Condition(<RLock(None, 0)>), 0>', 'true', '<Condition(<RLock(MainProcess, 1)>), 0>', '<Condition(<RLock(None, 0)>), 0>'],
      lineCount: 4,
    },
  },
  {
    name: 'sync-shared-lock',
    file: 'sync-shared-lock.ts',
    expect: {
      lines: ['reader 0 done', 'reader 1 done', 'reader 2 done', 'readers were inside together: yes', 'exit codes 0 0 0 0 0'],
      lineCount: 9,
      custom: (lines) => {
        const writes = lines.filter((l) => l.startsWith('writer '));
        if (writes.length !== 4) return `${writes.length} writes, expected 4`;
        const bad = writes.filter((l) => !/^writer [01] writing, readers inside: 0$/.test(l));
        return bad.length > 0 ? `a writer shared the lock: ${bad.join(' | ')}` : null;
      },
    },
  },
  {
    name: 'context-local',
    file: 'context-local.ts',
    expect: { ordered: ['1', 'x not set', 'x not set'], lineCount: 3 },
  },
];
