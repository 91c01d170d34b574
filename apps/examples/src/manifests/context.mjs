// Every example, what it must print, and on which start methods it runs (default: both).
// expect.lines: each must appear (any order); expect.ordered: must appear in this order;
// expect.lineCount: exact number of non-empty stdout lines; expect.custom(lines) → problem or null.
export const examples = [
  {
    name: 'process-basic',
    file: 'process-basic.ts',
    expect: {
      ordered: [/^parent MainProcess pid \d+$/, /^child Process-1 says hello, parent MainProcess$/, 'exit code 0'],
      lineCount: 3,
    },
  },
];
