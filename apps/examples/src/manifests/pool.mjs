// @mp/pool examples (the Pool part of the seed 003 README, plus what Python's pool cannot do).
// expect.lines: each must appear (any order); expect.ordered: must appear in this order;
// expect.lineCount: exact number of non-empty stdout lines; expect.custom(lines) → problem or null.
export const examples = [
  {
    name: 'pool-readme-map-async',
    file: 'pool-readme-map-async.ts',
    expect: { lines: ['[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]'], lineCount: 1 },
  },
  {
    name: 'pool-readme-lambda',
    file: 'pool-readme-lambda.ts',
    expect: { lines: ['[0, 2, 6, 12, 20, 30, 42, 56, 72, 90]'], lineCount: 1 },
  },
  {
    name: 'pool-progress',
    file: 'pool-progress.ts',
    expect: {
      ordered: ['primes below 2,000,000: 148933', /^60 tasks on \d+ workers in \d+\.\d s$/],
      lineCount: 2,
      // the bar goes to stderr: one line per finished chunk when stderr is not a terminal
      custom: (_lines, result) => (/\[#{30}\] 60\/60/.test(result.stderr) ? null : 'no complete progress bar on stderr'),
    },
  },
  {
    name: 'pool-resilience',
    file: 'pool-resilience.ts',
    expect: {
      ordered: ['result 10', 'result 20', 'worker died: exit code 42, task apply #0', 'result 40', 'timed out after 200 ms', 'pool still works: 42'],
      lineCount: 6,
    },
  },
  {
    name: 'pool-imap-lazy',
    file: 'pool-imap-lazy.ts',
    expect: {
      ordered: ['first number needing more than 200 Collatz steps: 2463 (208 steps)', 'the input was read at most 100 numbers ahead'],
      lineCount: 2,
    },
  },
];
