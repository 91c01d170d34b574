import { describe, expect, it } from 'vitest';
import { SerializationError, dumps, loads, registerClass } from '@mp/serialize';
import { roundTrip } from './helpers.js';

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

class Animal {
  constructor(public name: string) {}
  speak() {
    return `${this.name} makes a sound`;
  }
}
class Dog extends Animal {
  static kingdom = 'animalia';
  override speak() {
    return `${super.speak()}; ${this.name} barks`;
  }
}

class Vec {
  constructor(public x = 0, public y = 0) {}
  len() {
    return Math.hypot(this.x, this.y);
  }
}
registerClass(Vec, 'test:Vec');

describe('class instances', () => {
  it('round-trips the ComplexObject of the seed example, and its lambda runs', () => {
    const back = roundTrip(new ComplexObject((x) => x ** 2));
    expect(back.process()).toEqual([1, 4, 9, 16, 25]);
    expect(back.constructor.name).toBe('ComplexObject');
  });

  it('resolves `extends Base` from the prototype chain, with super calls and statics', () => {
    const back = roundTrip(new Dog('Rex'));
    expect(back.speak()).toBe('Rex makes a sound; Rex barks');
    expect(Object.getPrototypeOf(back.constructor).name).toBe('Animal');
    expect((back.constructor as typeof Dog).kingdom).toBe('animalia');
  });

  it('does not run the constructor on revival', () => {
    class Counted {
      static constructed = 0;
      value = 1;
      constructor() {
        Counted.constructed++;
      }
    }
    const back = roundTrip(new Counted());
    expect(back.value).toBe(1);
    expect(back).toBeInstanceOf(back.constructor);
    expect((back.constructor as typeof Counted).constructed).toBe(1); // the sender's count, not incremented
  });

  it('shares one class between instances of one payload and of successive payloads', () => {
    const [a, b] = roundTrip([new Animal('a'), new Animal('b')]);
    expect(a!.constructor).toBe(b!.constructor);
    const c = roundTrip(new Animal('c'));
    expect(c.constructor).toBe(a!.constructor);
    expect(c).toBeInstanceOf(a!.constructor);
    const dog = roundTrip(new Dog('d'));
    expect(dog).toBeInstanceOf(a!.constructor); // its revived base is the cached Animal
  });

  it('round-trips registered classes by name', () => {
    const back = roundTrip({ v: new Vec(3, 4), cls: Vec });
    expect(back.v).toBeInstanceOf(Vec);
    expect(back.v.len()).toBe(5);
    expect(back.cls).toBe(Vec);
  });

  it('explains how to fix an instance of a class that the receiver has not registered', () => {
    class Lonely {
      x = 1;
    }
    registerClass(Lonely, 'test:Lonely');
    const bytes = dumps(new Lonely());
    const state = (globalThis as unknown as Record<symbol, { classesByName: Map<string, unknown> }>)[Symbol.for('@mp/serialize')]!;
    state.classesByName.delete('test:Lonely'); // as in a process that never registered it
    try {
      expect(() => loads(bytes)).toThrow(SerializationError);
      expect(() => loads(bytes)).toThrow(/`test:Lonely`.*registerClass/);
    } finally {
      registerClass(Lonely, 'test:Lonely');
    }
  });

  it('a second name for a different class throws; a second copy of the same class (ESM + CJS builds) does not', () => {
    class Base {}
    class OtherBase {}
    const copyA = class Dual extends Base {
      m(): number {
        return 1;
      }
    };
    // the other build of the same module: same shape, different source text
    const copyB = class Dual extends Base {
      m(): number {
        return 1 + 0;
      }
    };
    const different = class Dual extends OtherBase {
      m(): number {
        return 2;
      }
    };
    const elsewhere = class Dual extends Base {
      n(): number {
        return 3;
      }
    };
    registerClass(copyA, 'test:Dual');
    expect(() => registerClass(copyB, 'test:Dual')).not.toThrow();
    expect(loads<{ m(): number }>(dumps(new copyA())).m()).toBe(1);
    expect(() => registerClass(different, 'test:Dual')).toThrow(/`test:Dual` is already registered for another class/);
    expect(() => registerClass(elsewhere, 'test:Dual')).toThrow(/already registered/);
  });

  it('keeps cycles between instances and their own properties', () => {
    const parent = new Animal('p') as Animal & { child?: unknown; self?: unknown };
    const child = new Animal('c') as Animal & { parent?: unknown };
    parent.child = child;
    child.parent = parent;
    parent.self = parent;
    const back = roundTrip(parent);
    expect(back.self).toBe(back);
    expect((back.child as typeof child).parent).toBe(back);
    expect(back).toBeInstanceOf((back.child as Animal).constructor);
  });

  it('round-trips subclasses of Map, Set, Array and Date with their contents', () => {
    class Registry extends Map<string, number> {
      total() {
        return [...this.values()].reduce((a, b) => a + b, 0);
      }
    }
    class Tags extends Set<string> {}
    class Stack extends Array<number> {
      top() {
        return this[this.length - 1];
      }
    }
    class Day extends Date {}
    const stack = new Stack();
    stack.push(1, 2, 3);
    const back = roundTrip({ r: new Registry([['a', 1], ['b', 2]]), t: new Tags(['x']), s: stack, d: new Day(86_400_000) });
    expect(back.r.total()).toBe(3);
    expect(back.r).toBeInstanceOf(Map);
    expect(back.t.has('x')).toBe(true);
    expect(back.s.top()).toBe(3);
    expect(Array.isArray(back.s)).toBe(true);
    expect(back.d.getTime()).toBe(86_400_000);
  });

  it('round-trips old-style constructor functions with prototype methods', () => {
    function Point(this: { x: number }, x: number) {
      this.x = x;
    }
    Point.prototype.double = function () {
      return (this as { x: number }).x * 2;
    };
    const p = new (Point as unknown as new (x: number) => { x: number; double(): number })(21);
    expect(roundTrip(p).double()).toBe(42);
  });

  it('round-trips objects made with Object.create(proto)', () => {
    const proto = { greet() { return `hi ${(this as unknown as { who: string }).who}`; } };
    const o = Object.create(proto) as { who: string; greet(): string };
    o.who = 'you';
    const [a, b] = roundTrip([o, Object.create(proto) as typeof o]);
    expect(a!.greet()).toBe('hi you');
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
  });

  it('refuses instances of classes with #private members, saying why and what to do', () => {
    class Secret {
      #hidden = 1;
      peek() {
        return this.#hidden;
      }
    }
    expect(() => dumps({ s: new Secret() })).toThrow(/value\.s: .*#private.*registerReducer/);
    expect(() => dumps(Secret)).not.toThrow(); // the class itself is fine
  });

  it('refuses instances of built-in classes that hold native state', () => {
    expect(() => dumps({ b: new Blob(['x']) })).toThrow(/value\.b: instances of the built-in class Blob/);
  });

  it('reports a free variable of a class at the instance path', () => {
    const suffix = '!';
    class Shout {
      say(s: string) {
        return s + suffix;
      }
    }
    expect(() => dumps([new Shout()])).toThrow(/value\[0\]\.constructor: the class `Shout` uses `suffix`.*withScope\(Shout, \{ suffix \}\).*registerClass\(Shout\)/);
  });
});
