// Functions and class instances decoded and run in a REAL fresh worker thread and a REAL child
// process (test/fixtures/runner-*.mjs), the way @mp/context sends targets.
import { afterEach, describe, expect, it } from 'vitest';
import { withScope } from '@mp/serialize';
import { startChild, startThread, type Runner } from './helpers.js';

class ComplexObject {
  func: (x: number) => number;
  data: number[];
  constructor(func: (x: number) => number) {
    this.func = func;
    this.data = [1, 2, 3, 4, 5];
  }
  process() {
    return this.data.map(this.func);
  }
}

class Shape {
  constructor(public sides: number) {}
  area() {
    return 0;
  }
}
class Square extends Shape {
  constructor(public side: number) {
    super(4);
  }
  override area() {
    return this.side ** 2;
  }
}

class RemoteFailure extends Error {
  constructor(public detail: string) {
    super(`failed: ${detail}`);
    this.name = 'RemoteFailure';
  }
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

  it('runs a lambda that uses await import("node:os") (rewritten by vitest)', async () => {
    runner = await start();
    const eol = await runner.call({ fn: async () => (await import('node:os')).EOL });
    expect(eol).toBe('\n');
  });

  it('runs a lambda whose source has a literal import()', async () => {
    runner = await start();
    const fn = (0, eval)('(async () => typeof (await import("node:os")).cpus)') as () => Promise<string>;
    expect(await runner.call({ fn })).toBe('function');
  });

  it('runs a lambda that uses require("node:path")', async () => {
    runner = await start();
    expect(await runner.call({ fn: (a: string, b: string) => require('node:path').join(a, b), args: ['x', 'y'] })).toBe('x/y');
  });

  it('runs an async function and a generator', async () => {
    runner = await start();
    expect(await runner.call({ fn: async (ms: number) => { await new Promise((r) => setTimeout(r, ms)); return 'slept'; }, args: [5] })).toBe('slept');
    expect(await runner.call({ fn: function* count(n: number) { for (let i = 0; i < n; i++) yield i * i; }, args: [4] })).toEqual([0, 1, 4, 9]);
    expect(await runner.call({ fn: async function* letters() { yield 'a'; yield 'b'; } })).toEqual(['a', 'b']);
  });

  it('calls methods of class instances sent by source (the ComplexObject seed example)', async () => {
    runner = await start();
    const obj = new ComplexObject((x) => x ** 2);
    expect(await runner.call({ fn: (o: ComplexObject) => o.process(), args: [obj] })).toEqual([1, 4, 9, 16, 25]);
    const result = await runner.call<[number, boolean, string]>({
      fn: (s: Square, base: Shape) => [s.area(), s instanceof base.constructor, Object.getPrototypeOf(s.constructor).name],
      args: [new Square(3), new Shape(0)],
    });
    expect(result).toEqual([9, true, 'Shape']);
  });

  it('binds withScope values in the child', async () => {
    runner = await start();
    const rates = new Map([['eur', 2]]);
    const convert = withScope((amount: number) => amount * rates.get('eur')!, { rates });
    expect(await runner.call({ fn: convert, args: [21] })).toBe(42);
  });

  it('sends an error thrown in the child back with its class, props and stack', async () => {
    runner = await start();
    const fail = withScope((d: string) => { throw new RemoteFailure(d); }, { RemoteFailure });
    const failure = await runner.call({ fn: fail, args: ['disk'] }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as RemoteFailure).name).toBe('RemoteFailure');
    expect((failure as RemoteFailure).detail).toBe('disk');
    expect((failure as Error).stack).toContain('failed: disk');
  });

  it('decodes synchronously with loads() too', async () => {
    runner = await start();
    expect(await runner.call({ fn: (o: ComplexObject) => o.process().length, args: [new ComplexObject((x) => x)] }, { sync: true })).toBe(5);
  });
});
