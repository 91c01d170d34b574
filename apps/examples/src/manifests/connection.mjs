// @mp/connection examples (seed 001 "Inter-Process Communication": Pipe, Connection, wait,
// Listener/Client with authkey).
// expect.lines: each must appear (any order); expect.ordered: must appear in this order;
// expect.lineCount: exact number of non-empty stdout lines; expect.custom(lines) → problem or null.

const MESSAGES = ['Hello', 'World', 'From', 'Pipe'];

export const examples = [
  {
    name: 'conn-pipe',
    file: 'conn-pipe.ts',
    expect: {
      lines: [...MESSAGES.map((m) => `Sending: ${m}`), 'exit codes 0 0'],
      ordered: [...MESSAGES, 'DONE'].map((m) => `Received: ${m}`),
      lineCount: 10,
    },
  },
  {
    name: 'conn-ping-pong',
    file: 'conn-ping-pong.ts',
    expect: {
      // each process's lines in its order: ping sends then receives, pong receives then sends
      ordered: [0, 1, 2].flatMap((i) => [`Sent: ping-${i}`, `Received: pong-${i}`]),
      lines: [0, 1, 2].flatMap((i) => [`Received: ping-${i}`, `Sent: pong-${i}`]),
      lineCount: 12,
      custom: (lines) => {
        const pong = lines.filter((l) => /ping-\d$/.test(l) && l.startsWith('Received') || /pong-\d$/.test(l) && l.startsWith('Sent'));
        const want = [0, 1, 2].flatMap((i) => [`Received: ping-${i}`, `Sent: pong-${i}`]);
        return pong.join('|') === want.join('|') ? null : `pong out of order: ${pong.join(' | ')}`;
      },
    },
  },
  {
    name: 'conn-auth',
    file: 'conn-auth.ts',
    expect: {
      ordered: [
        'Server listening',
        'Connection accepted',
        'Server received: hello',
        'Server received: world',
        'Server received: quit',
        'Server refused a client: AuthenticationError',
        'exit codes 0 0',
      ],
      lines: ['Client received: Echo: hello', 'Client received: Echo: world', 'Client with a wrong key: AuthenticationError'],
      lineCount: 10,
    },
  },
  {
    name: 'conn-wait',
    file: 'conn-wait.ts',
    expect: {
      lines: [0, 1, 2].flatMap((id) => [0, 1, 2].map((i) => `worker ${id} result ${i}`)),
      lineCount: 10,
      custom: (lines) => {
        for (let id = 0; id < 3; id++) {
          const mine = lines.filter((l) => l.startsWith(`worker ${id} `)).join('|');
          if (mine !== [0, 1, 2].map((i) => `worker ${id} result ${i}`).join('|')) return `worker ${id} out of order: ${mine}`;
        }
        return lines.at(-1) === 'received 9 results' ? null : `last line: ${lines.at(-1)}`;
      },
    },
  },
];
