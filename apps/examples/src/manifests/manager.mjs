// @mp/manager examples (see run.mjs for the expect format).
export const examples = [
  {
    name: 'manager-readme',
    file: 'manager-readme.ts',
    expect: {
      ordered: ['[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]', /^<ListProxy object, typeid 'list' at 0x[0-9a-f]+>$/],
      lineCount: 2,
    },
  },
  {
    name: 'manager-server-process',
    file: 'manager-server-process.ts',
    expect: {
      ordered: ["{1: '1', '2': 2, 0.25: null}", '[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]'],
      lineCount: 2,
    },
  },
  {
    name: 'manager-remote',
    file: 'manager-remote.ts',
    expect: {
      ordered: [
        'server: listening on a TCP port with an authkey',
        'client: a wrong key is refused (AuthenticationError)',
        'client: read greeting = hello from the server',
        'client: keys are greeting, visits, client',
        'server: the client exited with code 0',
        'server: state is now {"greeting":"hello from the server","visits":1,"client":"was here"}',
      ],
      lineCount: 6,
    },
  },
];
