// Our own examples: why someone would pick this library (see also pool-progress, manager-remote).
export const examples = [
  {
    name: 'pipeline',
    file: 'pipeline.ts',
    expect: {
      ordered: ['all 60 jobs done', 'results: 60, distinct ids: 60', 'inconsistent reads: 0', 'exit codes 0 0 0 0'],
      lineCount: 4,
    },
  },
];
