// Python's _TestMyManager (register a class, exposed, a generator with an iterator proxy,
// methodToTypeid returning proxies) and TestInitializers (manager part), plus the manager's
// life cycle: start errors, a server in a thread, ctx.Manager().
import { afterAll, describe, expect, it } from 'vitest';
import { getContext, ProcessError, ValueError } from '@mp/context';
import { BaseManager, BaseProxy, IteratorProxy, type NamespaceProxy, Manager, RemoteError, SyncManager } from '@mp/manager';
import { childProcessesOfThisProcess, eventually } from '@mp/testing';
import { range } from './helpers.js';

class FooBar {
  f(): string {
    return 'f()';
  }
  g(): never {
    throw new ValueError('g() failed');
  }
  _h(): string {
    return '_h()';
  }
}

function* baz(): Generator<number> {
  for (let i = 0; i < 10; i++) yield i * i;
}

/** A user proxy type, as Python's test defines IteratorProxy. */
class SquaresProxy extends BaseProxy {
  static readonly _exposed_ = ['next'];
  async *[Symbol.asyncIterator](): AsyncGenerator<number> {
    for (;;) {
      const r = await this._callMethod<IteratorResult<number>>('next');
      if (r.done) return;
      yield r.value;
    }
  }
}

class Node {
  constructor(public readonly name: string) {}
  child(name: string): Node {
    return new Node(`${this.name}/${name}`);
  }
  path(): string {
    return this.name;
  }
}

class MyManager extends BaseManager {}
MyManager.register('Foo', FooBar);
MyManager.register('Bar', FooBar, { exposed: ['f', '_h'] });
MyManager.register('baz', baz, { proxytype: SquaresProxy });
MyManager.register('squares', baz, { proxytype: IteratorProxy });
MyManager.register('Node', Node, { methodToTypeid: { child: 'Node' } });

type Dyn = Record<string, (...args: unknown[]) => Promise<BaseProxy & Record<string, (...args: unknown[]) => Promise<unknown>>>>;

describe('a BaseManager subclass with registered types (Python _TestMyManager)', () => {
  it('exposed methods, errors, _callMethod, a generator, and a clean exit', async () => {
    const manager = await new MyManager().start();
    const m = manager as unknown as Dyn;
    const foo = await m.Foo!();
    const bar = await m.Bar!();
    const squares = (await m.baz!()) as unknown as SquaresProxy;

    const has = (p: object, name: string): boolean => typeof (p as Record<string, unknown>)[name] === 'function';
    expect(['f', 'g', '_h'].filter((n) => has(foo, n))).toEqual(['f', 'g']);
    expect(['f', 'g', '_h'].filter((n) => has(bar, n))).toEqual(['f', '_h']);

    expect(await foo.f!()).toBe('f()');
    const error = await foo.g!().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as Error).message).toBe('g() failed');
    expect(await foo._callMethod('f')).toBe('f()');
    await expect(foo._callMethod('_h')).rejects.toThrow(RemoteError);

    expect(await bar.f!()).toBe('f()');
    expect(await bar._h!()).toBe('_h()');
    expect(await bar._callMethod('f')).toBe('f()');
    expect(await bar._callMethod('_h')).toBe('_h()');

    const values: number[] = [];
    for await (const x of squares) values.push(x);
    expect(values).toEqual(range(10).map((i) => i * i));
    const it = await manager._create<IteratorProxy<number>>('squares');
    const again: number[] = [];
    for await (const x of it) again.push(x);
    expect(again).toEqual(values);

    expect(String(foo)).toMatch(/^<AutoProxy\[Foo\] object, typeid 'Foo' at 0x[0-9a-f]+>$/);
    await manager.shutdown();
    expect(manager._process?.exitCode).toBe(0);
  });

  it('methodToTypeid: a method whose result comes back as a proxy', async () => {
    await using manager = await new MyManager().start();
    const root = await manager._create('Node', 'root');
    const child = (await root._callMethod('child', ['a'])) as BaseProxy;
    expect(child).toBeInstanceOf(BaseProxy);
    expect(child._token.typeid).toBe('Node');
    const grandchild = (await child._callMethod('child', ['b'])) as BaseProxy;
    expect(await grandchild._callMethod('path')).toBe('root/a/b');
  });

  it('register is per class: a subclass registration does not reach its parent', () => {
    expect('Foo' in BaseManager.prototype).toBe(false);
    expect('Foo' in MyManager.prototype).toBe(true);
    class Child extends MyManager {}
    Child.register('Extra', FooBar);
    expect('Extra' in MyManager.prototype).toBe(false);
    expect('Foo' in Child.prototype).toBe(true);
    expect(() => MyManager.register('', FooBar)).toThrow(TypeError);
    expect(() => MyManager.register('X', 42 as never)).toThrow(TypeError);
  });

  it('an unknown typeid, or one without a callable on the server, is a RemoteError', async () => {
    class Client extends BaseManager {}
    Client.register('Missing');
    await using manager = await new Client().start();
    await expect((manager as unknown as Dyn).Missing!()).rejects.toThrow(/'Missing' was registered without a callable/);
    await expect(manager._create('Nope')).rejects.toThrow(RemoteError);
    await expect(manager._create('Nope')).rejects.toThrow(/no type 'Nope' is registered/);
  });
});

describe('manager life cycle', () => {
  it('start errors: twice, after shutdown, a bad initializer; using a manager never started', async () => {
    const m = new SyncManager();
    await expect(m.list()).rejects.toThrow(ProcessError);
    await expect(m.start(1 as never)).rejects.toThrow(TypeError);
    await m.start();
    expect(m._process?.name).toMatch(/^SyncManager-\d+$/);
    await expect(m.start()).rejects.toThrow('Already started server');
    await m.shutdown();
    await expect(m.start()).rejects.toThrow('Manager has shut down');
    await expect(m.list()).rejects.toThrow(/shut down/);
    await m.shutdown(); // idempotent
  });

  it('an initializer that fails makes start() reject with its error', async () => {
    const m = new SyncManager();
    await expect(m.start(() => {
      throw new RangeError('bad initializer');
    })).rejects.toThrow('bad initializer');
    expect(m._state).toBe('initial');
  });

  it('a server in a thread (ctx thread) and ctx.Manager()', async () => {
    await using a = await new SyncManager({ ctx: 'thread' }).start();
    // a large first request, right behind the authkey handshake
    expect(await (await a.list(range(2000))).len()).toBe(2000);
    const l = await a.list([1, 2]);
    expect(await l.len()).toBe(2);
    await using b = await getContext('thread').Manager();
    const d = await b.dict({ l });
    expect(await ((await d.get('l')) as typeof l).toArray()).toEqual([1, 2]);
    await using c = await getContext('spawn').Manager();
    expect(await (await c.Value('d', 1.5)).get()).toBe(1.5);
  });
});

describe('initializers (Python TestInitializers)', () => {
  it('the initializer runs in the server, with its arguments', async () => {
    await using mgr = await Manager();
    const ns = await mgr.Namespace();
    await ns.set('test', 0);
    const m = new SyncManager();
    await m.start(
      async (n: NamespaceProxy) => {
        await n.set('test', ((await n.get('test')) as number) + 1);
      },
      [ns],
    );
    expect(await ns.get('test')).toBe(1);
    await m.shutdown();
    await m.join();
    expect(m._process?.exitCode).toBe(0);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
