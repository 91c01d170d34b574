import { describe, expect, it } from 'vitest';
import { SerializationError, dumps, loads, withScope } from '@mp/serialize';
import { encode } from '@mp/serialize/spi';
import { roundTrip } from './helpers.js';

function failure(value: unknown, root = 'value'): SerializationError {
  try {
    encode(value, { root });
  } catch (e) {
    if (e instanceof SerializationError) return e;
    throw e;
  }
  throw new Error('expected a SerializationError');
}

describe('functions by source', () => {
  it('round-trips arrows, function expressions and declarations, keeping name and length', () => {
    function declared(a: number, b: number) {
      return a * b;
    }
    const back = roundTrip({ arrow: (x: number) => x + 1, expr: function named(x: number) { return x - 1; }, declared });
    expect(back.arrow(1)).toBe(2);
    expect(back.arrow.name).toBe('arrow');
    expect(back.expr(1)).toBe(0);
    expect(back.expr.name).toBe('named');
    expect(back.declared(3, 4)).toBe(12);
    expect(back.declared.length).toBe(2);
  });

  it('round-trips async functions, generators and async generators', async () => {
    const back = roundTrip({
      asyncFn: async (x: number) => x * 2,
      gen: function* (n: number) { for (let i = 0; i < n; i++) yield i; },
      agen: async function* () { yield 'a'; yield 'b'; },
    });
    await expect(back.asyncFn(21)).resolves.toBe(42);
    expect([...back.gen(3)]).toEqual([0, 1, 2]);
    const got: string[] = [];
    for await (const v of back.agen()) got.push(v);
    expect(got).toEqual(['a', 'b']);
  });

  it('round-trips method shorthand, getters, setters and computed-name methods', () => {
    const key = 'dynamic';
    const obj = {
      m(x: number) { return x + 1; },
      async am() { return 'async'; },
      *gm() { yield 1; },
      get g() { return 'got'; },
      set s(v: number) { (this as unknown as { seen: number }).seen = v; },
      [Symbol.iterator]() { return [7][Symbol.iterator](); },
      [key]() { return 'computed'; },
      'quoted name'() { return 'q'; },
      42() { return 42; },
    };
    const d = (k: string) => Object.getOwnPropertyDescriptor(obj, k)!;
    const back = roundTrip({ m: obj.m, am: obj.am, gm: obj.gm, g: d('g').get, s: d('s').set, it: obj[Symbol.iterator], c: obj[key], q: obj['quoted name'], n: obj[42] });
    expect(back.m(1)).toBe(2);
    expect(back.gm().next().value).toBe(1);
    expect(back.g!()).toBe('got');
    expect(back.g!.name).toBe('get g');
    const target = { seen: 0 };
    back.s!.call(target, 5);
    expect(target.seen).toBe(5);
    expect([...{ [Symbol.iterator]: back.it }]).toEqual([7]);
    expect(back.it.name).toBe('[Symbol.iterator]');
    expect(back.c()).toBe('computed');
    expect(back.c.name).toBe('dynamic');
    expect(back.q()).toBe('q');
    expect(back.n()).toBe(42);
    return expect(back.am()).resolves.toBe('async');
  });

  it('round-trips class methods, static methods and class constructors', () => {
    class Calc {
      static double(x: number) { return x * 2; }
      triple(x: number) { return x * 3; }
      get answer() { return 42; }
    }
    const back = roundTrip({ s: Calc.double, m: Calc.prototype.triple, C: Calc });
    expect(back.s(4)).toBe(8);
    expect(back.m(4)).toBe(12);
    expect(new back.C().answer).toBe(42);
    expect(back.C.double(1)).toBe(2);
  });

  it('keeps own properties set on a function object, including cycles through them', () => {
    const fn = Object.assign((x: number) => x, { meta: { version: 1 }, tags: ['a'] }) as ((x: number) => number) & { meta: object; tags: string[]; self?: unknown };
    fn.self = fn;
    const back = roundTrip(fn);
    expect(back.meta).toEqual({ version: 1 });
    expect(back.tags).toEqual(['a']);
    expect(back.self).toBe(back);
  });

  it('keeps identity of one function referenced twice', () => {
    const f = () => 1;
    const back = roundTrip([f, { f }]);
    expect(back[0]).toBe((back[1] as { f: unknown }).f);
  });

  it('lets a named function expression and a function declaration call themselves', () => {
    function fib(n: number): number {
      return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
    expect(roundTrip(fib)(15)).toBe(610);
  });

  it('sends globals, their methods and node: module exports by reference', async () => {
    const { join } = await import('node:path');
    const { EventEmitter } = await import('node:events');
    const back = roundTrip({ max: Math.max, parse: JSON.parse, map: Array.prototype.map, parseInt, join, EventEmitter, Map });
    expect(back.max).toBe(Math.max);
    expect(back.parse).toBe(JSON.parse);
    expect(back.map).toBe(Array.prototype.map);
    expect(back.parseInt).toBe(parseInt);
    expect(back.join).toBe(join);
    expect(back.EventEmitter).toBe(EventEmitter);
    expect(back.Map).toBe(Map);
  });

  it('refuses a bound function with a message that says what to pass instead', () => {
    const err = failure({ cb: function add(this: unknown, a: number) { return a; }.bind(null, 1) });
    expect(err.path).toBe('value.cb');
    expect(err.message).toContain('bound functions cannot be serialized');
    expect(err.message).toContain('Pass the unbound function and its arguments');
  });

  it('refuses a native function that is not a known global, naming it', () => {
    const sizeGetter = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get;
    const err = failure({ size: sizeGetter });
    expect(err.path).toBe('value.size');
    expect(err.message).toContain('native function get size');
  });

  it('compiles the same source once per process, however often it is received', () => {
    const state = (globalThis as unknown as Record<symbol, { factories: Map<string, unknown> }>)[Symbol.for('@mp/serialize')]!;
    const lambda = (x: number) => x * 7 + 0.123456;
    const bytes = dumps(lambda);
    loads(bytes);
    const size = state.factories.size;
    for (let i = 0; i < 10_000; i++) loads<(x: number) => number>(dumps(lambda));
    expect(state.factories.size).toBe(size);
    const a = loads<typeof lambda>(bytes);
    const b = loads<typeof lambda>(bytes);
    expect(a).not.toBe(b); // fresh closures, one compiled factory
    expect(a(1)).toBe(b(1));
  });
});

describe('the free-variable check', () => {
  it('names the variable and the path, and suggests withScope or ref', () => {
    let counter = 0;
    const err = failure([1, { handler: () => counter++ }], 'args');
    expect(err).toBeInstanceOf(SerializationError);
    expect(err.path).toBe('args[1].handler');
    expect(err.variable).toBe('counter');
    expect(err.message).toBe(
      'Cannot serialize args[1].handler: the function `handler` uses `counter`, a variable that will not exist in the child process. Pass it explicitly: withScope(handler, { counter }), or make it a module export and use ref().',
    );
  });

  it('finds free variables deep inside Maps, Sets, scopes and class instances', () => {
    const outer = 1;
    const fn = () => outer;
    expect(failure(new Map([['k', fn]])).path).toBe('value.<Map value>');
    expect(failure(new Set([fn])).path).toBe('value.<Set value>');
    expect(failure({ w: withScope(() => inner(), { inner: fn }) }).path).toBe('value.w.<scope inner>');
    class Holder { constructor(public cb: unknown) {} }
    expect(failure(new Holder(fn)).path).toBe('value.cb');
  });

  it('accepts what the function declares itself', () => {
    const ok = [
      (a: number, { b, c: [d = a] }: { b: number; c: number[] }, ...rest: number[]) => a + b + d + rest.length,
      function (this: unknown) { return [this, arguments.length]; },
      () => { try { throw new Error('x'); } catch (e) { return e; } },
      () => { outer: for (const x of [1]) { for (const y of [x]) { if (y) continue outer; break outer; } } return 1; },
      () => { hoisted(); function hoisted() { return v; } var v = 1; return v; },
      () => { { var fromBlock = 1; } return fromBlock; },
      () => { let total = 0; for (let i = 0; i < 3; i++) total += i; return total; },
      () => { switch (1) { case 1: { const z = 1; return z; } } return 0; },
      () => class Named { static make() { return new Named(); } },
      (o: { x: number }) => o.x + ({ x: 1 }).x,
      () => { const obj = { get v() { return 1; }, m() { return this.v; } }; return obj.m(); },
      () => [typeof Math, globalThis, undefined, NaN, Infinity, JSON.stringify({})],
      () => { const [a, , b = 2] = [1]; const { p = a, ...others } = { q: b }; return [p, others]; },
      () => { let x; ({ x } = { x: 1 }); [x] = [x]; return x; },
      () => `template ${1 + 1} ${String.raw`x`}`,
      async () => { for await (const chunk of [Promise.resolve(1)]) return chunk; return 0; },
      () => { label: { break label; } return 1; },
      function f() { return typeof new.target; },
      (x: number) => x ** 2,
    ];
    for (const fn of ok) expect(() => dumps(fn), fn.toString()).not.toThrow();
  });

  it('flags what the function only uses', () => {
    const a = 1;
    const b = { x: 1 };
    const cases: [Function, string][] = [
      [() => a, 'a'],
      [() => ({ a }), 'a'], // shorthand property is a reference
      [() => b.x, 'b'], // the object of a member is a reference, `.x` is not
      [(o: Record<string, number>) => o[a], 'a'],
      [() => { const { [a]: v } = { 1: 2 } as Record<number, number>; return v; }, 'a'],
      [(x = a) => x, 'a'],
      // @ts-expect-error an arrow has no `arguments` of its own: it is free here
      [() => arguments, 'arguments'],
      [() => { try { return 1; } catch { return a; } }, 'a'],
      [() => { for (const k in {}) return k; return a; }, 'a'],
      [() => { class K extends (b as unknown as typeof Object) {} return K; }, 'b'],
      [() => `${a}`, 'a'],
      [() => { { let scoped = 1; } return (globalThis as Record<string, unknown>).x ?? a; }, 'a'],
    ];
    for (const [fn, variable] of cases) {
      const err = failure(fn);
      expect(err.variable, fn.toString()).toBe(variable);
    }
  });

  it('treats test-runner-only globals as missing in the child', () => {
    const err = failure(() => (globalThis as unknown as { __vitest_worker__: unknown }).__vitest_worker__ ?? __vitest_index__);
    expect(err.variable).toBe('__vitest_index__');
  });

  it('accepts the helpers the receiver provides (require, dynamic import, __name)', () => {
    const fns = [
      () => require('node:path').sep,
      async () => (await import('node:os')).EOL,
      () => __name(() => 1, 'one'),
    ];
    for (const fn of fns) expect(() => dumps(fn)).not.toThrow();
    const named = roundTrip(() => __name(() => 1, 'one'))();
    expect(named.name).toBe('one');
  });
});

declare const __vitest_index__: unknown;
declare const inner: () => number;
declare function __name<T>(fn: T, name: string): T;
