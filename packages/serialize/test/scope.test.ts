import { describe, expect, it } from 'vitest';
import { SerializationError, dumps, registerReducer, withScope } from '@mp/serialize';
import { encode } from '@mp/serialize/spi';
import { roundTrip } from './helpers.js';

class Gauge {
  constructor(public level: number) {}
}
registerReducer<Gauge>('test:Gauge', (v) => v instanceof Gauge, (g) => ({ level: g.level }), (d) => new Gauge((d as { level: number }).level * 10));

describe('withScope', () => {
  it('fixes a free-variable error by sending the value along', () => {
    let counter = 41;
    const handler = () => ++counter;
    expect(() => encode([0, { handler }], { root: 'args' })).toThrow(/args\[1\]\.handler.*`counter`/);
    const back = roundTrip([0, { handler: withScope(handler, { counter }) }]);
    expect((back[1] as { handler: () => number }).handler()).toBe(42);
    expect((back[1] as { handler: () => number }).handler()).toBe(43); // the child's own copy
    expect(counter).toBe(41);
  });

  it('returns the same function, still callable here', () => {
    const k = 2;
    const fn = (x: number) => x * k;
    expect(withScope(fn, { k })).toBe(fn);
    expect(fn(3)).toBe(6);
  });

  it('serializes scope values recursively: objects, functions, library objects', () => {
    const config = { base: 10, nested: { mult: 2 } };
    const helper = (x: number) => x + 1;
    const gauge = new Gauge(3);
    const fn = withScope((x: number) => helper(x * config.nested.mult) + config.base + gauge.level, { config, helper, gauge });
    expect(roundTrip(fn)(5)).toBe(11 + 10 + 30); // the gauge went through its reducer
  });

  it('keeps identity between scope values and the rest of the payload', () => {
    const shared = { hits: 0 };
    const bump = withScope(() => ++shared.hits, { shared });
    const back = roundTrip({ bump, shared });
    back.bump();
    back.bump();
    expect(back.shared.hits).toBe(2);
  });

  it('lets an arrow function call itself through its scope', () => {
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    withScope(fact, { fact });
    expect(roundTrip(fact)(10)).toBe(3_628_800);
  });

  it('sends only the scope names the function uses', () => {
    const used = 1;
    const fn = withScope(() => used, { used, unused: new WeakMap() });
    expect(roundTrip(fn)()).toBe(1);
  });

  it('gives a class its variables, including for its static initializers', () => {
    const unit = 'kg';
    const factor = 1000;
    class Weight {
      static unitName = unit;
      constructor(public grams: number) {}
      toString() {
        return `${this.grams / factor} ${unit}`;
      }
    }
    withScope(Weight, { unit, factor });
    const back = roundTrip(new Weight(2500));
    expect(String(back)).toBe('2.5 kg');
    expect((back.constructor as typeof Weight).unitName).toBe('kg');
  });

  it('reports an unserializable scope value at its path', () => {
    const bad = withScope(() => w, { w: new WeakMap() });
    const err = (() => {
      try {
        dumps({ bad });
      } catch (e) {
        return e as SerializationError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SerializationError);
    expect(err?.path).toBe('value.bad.<scope w>');
  });

  it('rejects names that are not identifiers', () => {
    expect(() => withScope(() => 1, { 'not valid': 1 })).toThrow(TypeError);
  });
});

declare const w: unknown;
