// registerLibraryExports: names a by-value function may use freely, values sent by reference, and
// how the receiver loads the module (decodeAsync imports it; sync loads needs it loaded/require-able).
import { afterEach, describe, expect, it } from 'vitest';
import { SerializationError, dumps, loads } from '@mp/serialize';
import { registerLibraryExports } from '@mp/serialize/spi';
import { helperTwice, Tally } from './fixtures/fake-lib.mjs';
import { tlaHelper } from './fixtures/tla-lib.mjs';
import { startThread, type Runner } from './helpers.js';

describe('library exports', () => {
  let runner: Runner | undefined;
  afterEach(async () => {
    await runner?.close();
    runner = undefined;
  });

  it('sends library functions and classes found as values by reference', () => {
    const bytes = dumps({ helperTwice, Tally });
    expect(bytes.length).toBeLessThan(300); // (url, name) pairs, not sources
    const back = loads<{ helperTwice: unknown; Tally: unknown }>(bytes);
    expect(back.helperTwice).toBe(helperTwice);
    expect(back.Tally).toBe(Tally);
  });

  it('revives an instance of a library class as an instance of the receiver’s class', async () => {
    runner = await startThread();
    const result = await runner.call({ fn: (t: Tally) => [t instanceof Tally, t.add(1).count], args: [new Tally(41)] });
    expect(result).toEqual([true, 42]);
  });

  it('decodeAsync imports an ESM-only (top-level await) library module; sync loads explains it cannot', async () => {
    runner = await startThread();
    const fn = (x: number) => tlaHelper(x);
    await expect(runner.call({ fn, args: [1] })).resolves.toBe('tla:1');
    const fresh = await startThread();
    try {
      const err = await fresh.call({ fn, args: [1] }, { sync: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SerializationError);
      expect((err as Error).message).toMatch(/tla-lib\.mjs.*decodeAsync\(\)/);
    } finally {
      await fresh.close();
    }
  });

  it('lets a global win over a library export of the same name, as documented', () => {
    registerLibraryExports('file:///nonexistent/lib.mjs', { Array: class SharedArrayLike {} });
    const back = loads<() => unknown>(dumps(() => Array.from([1, 2])));
    expect(back()).toEqual([1, 2]);
  });
});
