// @mp/shared examples (seed 003: Value and Array, sharing state between processes).
// expect.lines: each must appear (any order); expect.ordered: must appear in this order;
// expect.lineCount: exact number of non-empty stdout lines; expect.custom(lines) → problem or null.
export const examples = [
  {
    name: 'shared-value-array',
    file: 'shared-value-array.ts',
    expect: { ordered: ['3.1415927', '[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]'], lineCount: 2 },
  },
  {
    name: 'shared-counter',
    file: 'shared-counter.ts',
    expect: { ordered: ['counter = 1000', '<Synchronized wrapper for c_int(1000)>'], lineCount: 2 },
  },
  {
    name: 'shared-rawarray',
    file: 'shared-rawarray.ts',
    expect: { ordered: ['Float64Array 1000000', `sum = ${(999_999 * 1_000_000) / 4}`], lineCount: 2 },
  },
];
