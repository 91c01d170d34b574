// Code compiled by esbuild/tsx (which inject `__name`) and code written inside vitest tests (whose
// imports vite rewrites to `__vite_ssr_import_N__.name`) must work in the child.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SerializationError, dumps, withScope } from '@mp/serialize';
import { helperTwice, libName, Tally } from './fixtures/fake-lib.mjs';
import { localHelper } from './fixtures/plain-helpers.js';
import { fixture, startChild, startThread, withTimeout, type Runner } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mp-serialize-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function esbuildModule(source: string): Promise<Record<string, unknown>> {
  const { code } = transformSync(source, { loader: 'ts', format: 'esm', keepNames: true, target: 'node20' });
  expect(code).toContain('__name(');
  const file = join(tmp, `m${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function tsxPayload(): Uint8Array {
  const out = spawnSync(process.execPath, ['--import', 'tsx', fixture('tsx-sender.ts').pathname], { encoding: 'utf8', timeout: 30_000 });
  if (out.status !== 0) throw new Error(`tsx fixture failed: ${out.stderr}`);
  return new Uint8Array(Buffer.from(out.stdout, 'base64'));
}

describe.each([
  ['worker thread', startThread],
  ['child process', startChild],
])('in a real %s', (_, start) => {
  let runner: Runner | undefined;
  afterEach(async () => {
    await runner?.close();
    runner = undefined;
  });

  it('runs a function compiled by esbuild with keepNames (__name helper)', async () => {
    const mod = await esbuildModule(`
      export function score(values: number[]): [number, string] {
        const weight = (v: number): number => v * 2;
        function total(xs: number[]): number { return xs.map(weight).reduce((a, b) => a + b, 0); }
        return [total(values), weight.name];
      }
      export class Box { constructor(public w: number) {} area(): number { const sq = (n: number) => n * n; return sq(this.w); } }
    `);
    runner = await start();
    expect(await runner.call({ fn: mod['score'] as Function, args: [[1, 2, 3]] })).toEqual([12, 'weight']);
    const Box = mod['Box'] as new (w: number) => { area(): number };
    expect(await runner.call({ fn: (b: { area(): number }) => b.area(), args: [new Box(3)] })).toBe(9);
  });

  it('runs a function and class instance serialized by a program run with node --import tsx', async () => {
    const bytes = await withTimeout(Promise.resolve().then(tsxPayload), 30_000, 'tsx fixture');
    runner = await start();
    expect(await runner.call(bytes)).toEqual([25, '5 sides', 'square']);
  });

  it('provides registered library exports that a vitest test imported', async () => {
    runner = await start();
    const fn = (x: number) => [helperTwice(x), new Tally(1).add(x).count, libName];
    expect(fn.toString()).toMatch(/__vite_ssr_import_\d+__\.helperTwice/);
    expect(await runner.call({ fn, args: [20] })).toEqual([40, 21, 'fake-lib']);
    expect(await runner.call({ fn, args: [1] }, { sync: true })).toEqual([2, 2, 'fake-lib']);
  });

  it('provides a registered library export used as a plain free variable', async () => {
    runner = await start();
    const fn = (0, eval)('(x) => helperTwice(x) + 1') as (x: number) => number;
    expect(await runner.call({ fn, args: [4] })).toBe(9);
  });

  it('sends a class that extends an imported library class (its base goes by reference)', async () => {
    runner = await start();
    class DoubleTally extends Tally {
      override add(n: number) {
        return super.add(n * 2);
      }
    }
    const result = await runner.call({ fn: (t: DoubleTally) => [t.add(5).count, t instanceof Tally], args: [new DoubleTally(1)] });
    expect(result).toEqual([11, true]);
  });

  it('resolves an imported name from withScope when it is not a library export', async () => {
    runner = await start();
    const fn = withScope((x: number) => localHelper(x), { localHelper });
    expect(await runner.call({ fn, args: [1] })).toBe(101);
  });
});

describe('imports in vitest-written lambdas', () => {
  it('fail at dumps when the imported name is not a library export, naming it as written', () => {
    const fn = (x: number) => localHelper(x) * 2;
    let err: SerializationError | undefined;
    try {
      dumps({ job: fn });
    } catch (e) {
      err = e as SerializationError;
    }
    expect(err).toBeInstanceOf(SerializationError);
    expect(err!.variable).toBe('localHelper');
    expect(err!.path).toBe('value.job');
    expect(err!.message).toMatch(/`localHelper` \(imported from another module; vitest rewrote it as __vite_ssr_import_\d+__\.localHelper\)/);
    expect(err!.message).toContain('withScope(fn, { localHelper })');
  });
});
