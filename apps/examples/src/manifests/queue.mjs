// @mp/queue examples (seed 001 "Inter-Process Communication" and the README of seed 003).
// expect.lines: each must appear (any order); expect.ordered: must appear in this order;
// expect.lineCount: exact number of non-empty stdout lines; expect.custom(lines) → problem or null.

/** Lines matching `re` in order of appearance, mapped through `pick`. */
const pickAll = (lines, re) => lines.map((l) => re.exec(l)).filter(Boolean).map((m) => m[1]);

export const examples = [
  {
    name: 'queue-readme',
    file: 'queue-readme.ts',
    expect: { lines: ['hello world'], lineCount: 1 },
  },
  {
    name: 'queue-basic',
    file: 'queue-basic.ts',
    expect: {
      lines: ['item1', 'item2', 'item3', 'item4'].flatMap((i) => [`Producing ${i}`, `Consuming ${i}`]),
      lineCount: 8,
      custom: (lines) => {
        const consumed = pickAll(lines, /^Consuming (.+)$/).join(',');
        return consumed === 'item1,item2,item3,item4' ? null : `consumed out of order: ${consumed}`;
      },
    },
  },
  {
    name: 'queue-joinable',
    file: 'queue-joinable.ts',
    expect: {
      lines: [0, 1, 2, 3, 4].map((i) => `Processing task-${i}`),
      lineCount: 6,
      custom: (lines) => (lines.at(-1) === 'All tasks completed' ? null : `"All tasks completed" is not last: ${lines.at(-1)}`),
    },
  },
  {
    name: 'queue-producers-consumers',
    file: 'queue-producers-consumers.ts',
    expect: {
      lines: [0, 1, 2].map((i) => `Consumer-${i} timed out, exiting`),
      lineCount: 23,
      custom: (lines) => {
        const items = [0, 1].flatMap((p) => [0, 1, 2, 3, 4].map((i) => `Producer-${p}-Item-${i}`));
        const produced = pickAll(lines, /^Produced: (.+)$/).sort();
        const consumed = pickAll(lines, /^Consumer-\d consumed: (.+)$/).sort();
        if (produced.join() !== [...items].sort().join()) return `produced: ${produced.join(' ')}`;
        if (consumed.join() !== [...items].sort().join()) return `consumed (each exactly once): ${consumed.join(' ')}`;
        return null;
      },
    },
  },
  {
    name: 'queue-serialization',
    file: 'queue-serialization.ts',
    expect: { lines: ['Worker result: [1, 4, 9, 16, 25]'], lineCount: 1 },
  },
];
