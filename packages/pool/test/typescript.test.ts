// ref() to a .ts module works when the program runs under a TypeScript loader (tsx), on both start
// methods (spawn workers inherit `--import tsx`; thread workers register tsx themselves).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('a program run with node --import tsx maps a ref() to a .ts module', async () => {
  const program = fileURLToPath(new URL('./fixtures/ts-program.mts', import.meta.url));
  const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
  // a program of its own, not a child of this test's multiprocess runtime
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MULTIPROCESS_')));
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', program], { cwd: root, env, timeout: 90_000 }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    );
  });
  expect(stdout.trim().split('\n')).toEqual(['thread [3,7] ["n=1","n=2"]', 'spawn [3,7] ["n=1","n=2"]']);
}, 100_000);
