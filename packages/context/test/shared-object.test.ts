import { afterAll, describe, expect, it } from 'vitest';
import { getContext, Process } from '@mp/context';
import { ref } from '@mp/serialize';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';
// @ts-expect-error a plain JS fixture
import { Counter } from './fixtures/counter.mjs';

interface CounterLike {
  local: boolean;
  add(n: number): Promise<number>;
  addSync(n: number): number;
  bump(): void;
  getSync(): number;
  claimSync(): number;
  ownerAliveSync(): boolean;
  failing(): Promise<never>;
  viaBroker(n: number): Promise<[number, boolean]>;
  sendViaBroker(n: number): void;
  echoSync(value: unknown): unknown;
  echo(value: unknown): Promise<unknown>;
}

const counterModule = new URL('./fixtures/counter.mjs', import.meta.url).href;

async function run(method: 'thread' | 'spawn', target: (...args: never[]) => unknown, args: unknown[]): Promise<number | null> {
  const p = getContext(method).Process({ target, args } as never) as Process;
  await p.start();
  await p.join(20_000);
  return p.exitCode;
}

describe.each(METHODS)('shared objects in a %s child', (method) => {
  it('a root object is live in the child, sync, async and fire-and-forget', async () => {
    const c = new Counter(10) as CounterLike;
    expect(c.local).toBe(true);
    const code = await run(
      method,
      async (counter: CounterLike, expectLocal: boolean) => {
        if (counter.local !== expectLocal) throw new Error(`local is ${counter.local}`);
        counter.addSync(5);
        await counter.add(100);
        for (let i = 0; i < 50; i++) counter.bump();
        if (counter.getSync() !== 165) throw new Error(`saw ${counter.getSync()}`);
      },
      [c, method === 'thread'],
    );
    expect(code).toBe(0);
    expect(c.getSync()).toBe(165);
  });

  it('an object created in the child is reachable by its parent through a grandchild', async () => {
    const code = await run(
      method,
      async (modUrl: string) => {
        const { Counter: C } = await import(modUrl);
        const mine = new C(1) as CounterLike;
        const child = getContext('spawn').Process({ target: (x: CounterLike) => x.addSync(41), args: [mine] });
        await child.start();
        await child.join();
        if (mine.getSync() !== 42) throw new Error(`saw ${mine.getSync()}`);
      },
      [counterModule],
    );
    expect(code).toBe(0);
  });

  it('an error thrown by a remote operation keeps its class', async () => {
    const c = new Counter(0) as CounterLike;
    const code = await run(
      method,
      async (counter: CounterLike) => {
        const error = await counter.failing().catch((e: unknown) => e);
        if (!(error instanceof RangeError) || error.message !== 'counter out of range') throw new Error(`got ${String(error)}`);
      },
      [c],
    );
    expect(code).toBe(0);
  });

  it('values cross to the object and back exactly, small and large, sync and async', async () => {
    const c = new Counter(0) as CounterLike;
    const code = await run(
      method,
      async (counter: CounterLike) => {
        const { isDeepStrictEqual } = await import('node:util');
        const values: unknown[] = [
          -0, 0, 1.5, -7, NaN, Infinity, undefined, null, true, false, 12345678901234567890n,
          '', 'é\u{1F600}\uD800 "quoted" \\ \n', [1, , 3], Object.assign([1, 2], { extra: true }), [[1, [2, [3, [4, [5, [6]]]]]]],
          { a: 1, b: [undefined] }, new Date(0), 'x'.repeat(200_000), Array.from({ length: 20_000 }, (_, i) => i),
        ];
        for (let round = 0; round < 3; round++) {
          for (const value of values) {
            const sync = counter.echoSync(value);
            if (!isDeepStrictEqual(sync, value)) throw new Error(`echoSync changed ${String(value).slice(0, 40)} into ${String(sync).slice(0, 40)}`);
            const async_ = await counter.echo(value);
            if (!isDeepStrictEqual(async_, value)) throw new Error(`echo changed ${String(value).slice(0, 40)} into ${String(async_).slice(0, 40)}`);
          }
        }
      },
      [c],
    );
    expect(code).toBe(0);
  });

  it('a holder that dies leaves a dead token behind', async () => {
    const c = new Counter(0) as CounterLike;
    const p = getContext(method).Process({
      target: (counter: CounterLike) => {
        counter.claimSync();
        return new Promise(() => setInterval(() => {}, 1000));
      },
      args: [c],
    });
    await p.start();
    expect(await eventually(() => c.ownerAliveSync())).toBe(true);
    p.kill();
    await p.join(10_000);
    expect(await eventually(() => !c.ownerAliveSync())).toBe(true);
  });
});

describe('calls that run in the broker', () => {
  it('callInBroker runs on the broker-side instance, from the main thread and from children', async () => {
    const c = new Counter(0) as CounterLike;
    expect(await c.viaBroker(2)).toEqual([2, true]);
    c.sendViaBroker(3);
    expect(await c.viaBroker(0)).toEqual([5, true]);
    for (const method of METHODS) {
      const code = await run(
        method,
        async (counter: CounterLike) => {
          const [, inBroker] = await counter.viaBroker(10);
          if (!inBroker) throw new Error('did not run in the broker');
        },
        [c],
      );
      expect(code).toBe(0);
    }
    expect(c.getSync()).toBe(25);
  });
});

describe('shared objects through a ref() target', () => {
  it('many spawn children add concurrently without losing updates', async () => {
    const c = new Counter(0) as CounterLike;
    const children = Array.from({ length: 3 }, () =>
      getContext('spawn').Process({
        target: async (counter: CounterLike) => {
          for (let i = 0; i < 200; i++) counter.addSync(1);
          for (let i = 0; i < 200; i++) await counter.add(1);
        },
        args: [c],
      }),
    );
    await Promise.all(children.map((p) => p.start()));
    await Promise.all(children.map((p) => p.join(30_000)));
    expect(children.map((p) => p.exitCode)).toEqual([0, 0, 0]);
    expect(c.getSync()).toBe(1200);
    expect(ref).toBeTypeOf('function');
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
