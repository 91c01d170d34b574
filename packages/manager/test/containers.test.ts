// Python's _TestContainers (test_list, test_list_iter, test_list_proxy_in_list, test_dict,
// test_dict_iter, test_dict_proxy_nested, test_nested_queue, test_namespace), plus repr/str,
// errors and the reference counting of _TestZZZNumberOfObjects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError, ValueError } from '@mp/context';
import { type DictProxy, type ListProxy, Manager, type QueueProxy, RemoteError, type SyncManager } from '@mp/manager';
import { registerClass } from '@mp/serialize';
import { childProcessesOfThisProcess, eventually } from '@mp/testing';
import { eventuallyAsync, gc, range } from './helpers.js';

let manager: SyncManager;

beforeAll(async () => {
  manager = await Manager();
});

afterAll(async () => {
  await manager.shutdown();
  expect(manager._process?.exitCode).toBe(0);
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

describe('list proxies', () => {
  it('test_list: slices, extend, *=, +, nested proxies', async () => {
    const a = await manager.list<unknown>(range(10));
    expect(await a.slice()).toEqual(range(10));
    const b = await manager.list<number>();
    expect(await b.slice()).toEqual([]);
    await b.extend(range(5));
    expect(await b.slice()).toEqual(range(5));
    expect(await b.get(2)).toBe(2);
    expect(await b.slice(2, 10)).toEqual([2, 3, 4]);
    await b.imul(2);
    expect(await b.toArray()).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(await b.concat([5, 6])).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6]);
    expect(await a.slice()).toEqual(range(10));

    const e = await manager.list([a, b]);
    const contents: unknown[] = [];
    for await (const element of e) contents.push(await (element as ListProxy).slice());
    expect(contents).toEqual([range(10), [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]]);

    const copy = await manager.list(a); // Python's manager.list(a): a copy
    await copy.append('only in the copy');
    expect(await a.len()).toBe(10);
    const dcopy = await manager.dict(await manager.dict({ k: 1 }));
    expect(await dcopy.get('k')).toBe(1);

    const f = await manager.list([a]);
    await a.append('hello');
    expect(await ((await f.get(0)) as ListProxy).slice()).toEqual([...range(10), 'hello']);
  });

  it('test_list_iter: iteration reads live, item by item', async () => {
    const a = await manager.list(range(10));
    const seen: number[] = [];
    for await (const x of a) seen.push(x);
    expect(seen).toEqual(range(10));
    const it = a[Symbol.asyncIterator]();
    await a.set(0, 100);
    expect((await it.next()).value).toBe(100);
  });

  it('test_list_proxy_in_list: proxies inside a list stay proxies', async () => {
    const a = await manager.list(await Promise.all(range(3).map(() => manager.list(range(3)))));
    const inner = async (i: number): Promise<ListProxy<number>> => (await a.get(i)) as ListProxy<number>;
    expect(await Promise.all(range(3).map(async (i) => (await inner(i)).slice()))).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
    await (await inner(0)).set(-1, 55);
    expect(await (await inner(0)).slice()).toEqual([0, 1, 55]);
    for (const i of [1, 2]) expect(await (await inner(i)).slice()).toEqual([0, 1, 2]);
    expect(await (await inner(1)).pop()).toBe(2);
    expect(await (await inner(1)).len()).toBe(2);
    for (const i of [0, 2]) expect(await (await inner(i)).len()).toBe(3);

    const b = await manager.list<unknown>();
    await b.append(b); // a cycle: must not break anything
    expect(String(await b.get(0))).toBe(String(b));
  });

  it('python list methods: insert, pop, remove, index, count, sort, reverse, has, delete, mul', async () => {
    const l = await manager.list<number>([3, 1, 2]);
    await l.insert(0, 10);
    await l.insert(-1, 20);
    await l.insert(100, 30);
    expect(await l.toArray()).toEqual([10, 3, 1, 20, 2, 30]);
    expect(await l.pop()).toBe(30);
    expect(await l.pop(0)).toBe(10);
    await l.remove(20);
    expect(await l.index(2)).toBe(2);
    expect(await l.count(3)).toBe(1);
    expect(await l.has(3)).toBe(true);
    await l.append(10);
    await l.sort();
    expect(await l.toArray()).toEqual([1, 2, 3, 10]); // numeric, as Python (not JS's string order)
    await l.sort({ key: (x: number) => -x });
    expect(await l.toArray()).toEqual([10, 3, 2, 1]);
    await l.sort({ reverse: true });
    expect(await l.toArray()).toEqual([10, 3, 2, 1]);
    await l.reverse();
    await l.delete(0);
    expect(await l.toArray()).toEqual([2, 3, 10]);
    expect(await l.mul(2)).toEqual([2, 3, 10, 2, 3, 10]);
    expect(await l.index(10, -1)).toBe(2);
    await expect(l.remove(99)).rejects.toThrow(ValueError);
    await expect(l.index(99)).rejects.toThrow(/99 is not in list/);
  });

  it('an index out of range rejects with a RangeError that is also a RemoteError', async () => {
    const l = await manager.list([1, 2, 3]);
    const error = (await l.get(10).catch((e: unknown) => e)) as Error & { remoteStack?: string };
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('list index out of range');
    expect(error.remoteStack).toMatch(/ListReferent/);
    await expect(manager.list<number>().then((e) => e.pop())).rejects.toThrow('pop from empty list');
    // the server keeps serving
    expect(await l.len()).toBe(3);
  });

  it('the README example: reverse and print, repr', async () => {
    const l = await manager.list(range(10));
    await l.reverse();
    expect(await l.str()).toBe('[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]');
    expect(String(await l.toArray())).toBe('9,8,7,6,5,4,3,2,1,0');
    expect(String(l)).toMatch(/^<ListProxy object, typeid 'list' at 0x[0-9a-f]+>$/);
    expect(l._token.typeid).toBe('list');
    expect(await l._getValue()).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });
});

describe('dict proxies', () => {
  it('test_dict: copy, keys, values, items; number keys stay numbers', async () => {
    const d = await manager.dict<number, string>();
    const indices = range(5).map((i) => i + 65);
    for (const i of indices) await d.set(i, String.fromCharCode(i));
    expect(await d.copy()).toEqual(new Map(indices.map((i) => [i, String.fromCharCode(i)])));
    expect((await d.keys()).sort()).toEqual(indices);
    expect((await d.values()).sort()).toEqual(indices.map((i) => String.fromCharCode(i)));
    expect((await d.items()).sort()).toEqual(indices.map((i) => [i, String.fromCharCode(i)]));
    expect(await d.has(65)).toBe(true);
    expect(await d.has('65' as unknown as number)).toBe(false);
    expect(typeof (await d.keys())[0]).toBe('number');
  });

  it('test_dict_iter: live key iteration; a size change fails it', async () => {
    const d = await manager.dict<number, string>();
    const indices = range(5).map((i) => i + 65);
    for (const i of indices) await d.set(i, String.fromCharCode(i));
    const keys: number[] = [];
    for await (const k of d) keys.push(k);
    expect(keys).toEqual(indices);
    const it = d[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(65);
    await d.clear();
    await expect(it.next()).rejects.toThrow(RuntimeError);
  });

  it('test_dict_proxy_nested: proxies in dicts and lists stay proxies and stay alive', async () => {
    let pets: DictProxy<string, number> | null = await manager.dict({ ferrets: 2, hamsters: 4 });
    let supplies: DictProxy<string, number> | null = await manager.dict({ water: 10, feed: 3 });
    const d = await manager.dict<string, DictProxy<string, number>>({ pets, supplies });
    const get = async (k: string): Promise<DictProxy<string, number>> => (await d.get(k))!;

    expect(await supplies.get('water')).toBe(10);
    expect(await (await get('supplies')).get('water')).toBe(10);
    await (await get('supplies')).set('blankets', 5);
    expect(await supplies.get('blankets')).toBe(5);
    expect(await (await get('supplies')).get('blankets')).toBe(5);
    await (await get('supplies')).set('water', 7);
    expect(await supplies.get('water')).toBe(7);

    pets = null;
    supplies = null;
    await gc();
    expect(await (await get('pets')).get('ferrets')).toBe(2);
    await (await get('supplies')).set('blankets', 11);
    expect(await (await get('supplies')).get('blankets')).toBe(11);

    pets = await get('pets');
    supplies = await get('supplies');
    await pets.set('hamsters', 4);
    const l = await manager.list([pets, supplies]);
    await ((await l.get(0)) as DictProxy<string, number>).set('marmots', 1);
    expect(await pets.get('marmots')).toBe(1);
    pets = null;
    supplies = null;
    await gc();
    expect(await ((await l.get(0)) as DictProxy<string, number>).get('marmots')).toBe(1);

    const outer = await manager.list<unknown>([[88, 99], l]);
    expect(await outer.get(0)).toEqual([88, 99]); // a plain array, not a proxy
    const last = (await outer.get(-1)) as ListProxy<DictProxy<string, number>>;
    expect(await (await last.get(-1)).get('feed')).toBe(3);
  });

  it('python dict methods: get with default, pop, popitem, setdefault, update, delete, len', async () => {
    const d = await manager.dict<string, number>([['a', 1]]);
    expect(await d.get('zz')).toBeUndefined();
    expect(await d.get('zz', 7)).toBe(7);
    await d.update({ b: 2, c: 3 });
    await d.update(new Map([['d', 4]]));
    expect(await d.len()).toBe(4);
    expect(await d.pop('a')).toBe(1);
    expect(await d.pop('a', -1)).toBe(-1);
    const missing = (await d.pop('a').catch((e: unknown) => e)) as Error;
    expect(missing.name).toBe('KeyError');
    expect(missing).toBeInstanceOf(RemoteError);
    expect(await d.popitem()).toEqual(['d', 4]);
    expect(await d.setdefault('e', 5)).toBe(5);
    expect(await d.setdefault('e', 6)).toBe(5);
    await d.delete('e');
    await expect(d.delete('e')).rejects.toMatchObject({ name: 'KeyError' });
    expect(await d.str()).toBe("{'b': 2, 'c': 3}");
  });
});

describe('queues, namespaces, values inside containers', () => {
  it('test_nested_queue: a queue inside a list and a dict', async () => {
    const a = await manager.list<QueueProxy<number>>();
    await a.append(await manager.Queue());
    await (await a.get(0)).put(123);
    expect(await (await a.get(0)).get()).toBe(123);
    const b = await manager.dict<number, QueueProxy<number>>();
    await b.set(0, await manager.Queue());
    await (await b.get(0))!.put(456);
    expect(await (await b.get(0))!.get()).toBe(456);
  });

  it('test_namespace: attributes, private names, delete, repr', async () => {
    const n = await manager.Namespace();
    n.name = 'Bob';
    n.job = 'Builder';
    n._hidden = 'hidden';
    expect([await n.name, await n.job]).toEqual(['Bob', 'Builder']);
    delete n.job;
    expect(await n.str()).toBe("Namespace(name='Bob')");
    expect(await n.has('name')).toBe(true);
    expect(await n.has('job')).toBe(false);
    expect(n._hidden).toBe('hidden'); // local, never sent
    await expect(n.get('job')).rejects.toMatchObject({ name: 'AttributeError' });
    await expect(Promise.resolve(n.job)).rejects.toMatchObject({ name: 'AttributeError' });
    await n.set('x', [1, 2]);
    expect(await n.toObject()).toEqual({ name: 'Bob', x: [1, 2] });
    expect(String(n)).toMatch(/^<NamespaceProxy object, typeid 'Namespace' at 0x[0-9a-f]+>$/);
  });

  it('Value and Array proxies', async () => {
    const v = await manager.Value('i', 1);
    expect(await v.value).toBe(1);
    v.value = 5;
    expect(await v.get()).toBe(5);
    await v.set(7);
    expect(await v.str()).toBe("Value('i', 7)");
    const arr = await manager.Array('i', [0, 1]);
    expect([await arr.get(0), await arr.get(1), await arr.len()]).toEqual([0, 1, 2]);
    await arr.set(-1, 9);
    const items: number[] = [];
    for await (const x of arr) items.push(x);
    expect(items).toEqual([0, 9]);
    await expect(arr.get(2)).rejects.toThrow(RangeError);
    await expect(arr.set(0, 1.5)).rejects.toThrow(TypeError);
    await expect(arr.set(0, 2 ** 40)).rejects.toThrow(RangeError);
    await expect(manager.Array('z', [1])).rejects.toThrow(ValueError);
    const big = await manager.Array<bigint>('q', [1n, 2n]);
    expect(await big.toArray()).toEqual([1n, 2n]);
  });
});

describe('errors and exposure', () => {
  it('calling a method that is not exposed rejects with RemoteError; the server keeps serving', async () => {
    const l = await manager.list([1]);
    const error = (await l._callMethod('push', [2]).catch((e: unknown) => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.name).toBe('RemoteError');
    expect(error.message).toMatch(/method 'push' of list object is not in exposed=\[/);
    expect(await l._callMethod('len')).toBe(1);
    const manyCalls = await Promise.all(range(50).map((i) => l._callMethod(i % 2 ? 'nope' : 'len').catch((e: unknown) => (e as Error).name)));
    expect(new Set(manyCalls)).toEqual(new Set([1, 'RemoteError']));
  });

  it('arguments that cannot be serialized reject the call, not the connection', async () => {
    const l = await manager.list<unknown>();
    await expect(l.append(new WeakMap())).rejects.toThrow(/WeakMap/);
    await expect(l.append(() => missingVariable)).rejects.toThrow(/missingVariable/);
    // arguments that the server cannot decode fail that call only
    class OnlyHere {
      x = 1;
    }
    registerClass(OnlyHere, 'manager-test.OnlyHere'); // registered in this process only
    const error = await l.append(new OnlyHere()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as Error).message).toMatch(/could not be decoded on the manager's server/);
    expect(await l.len()).toBe(0);
  });
});
declare const missingVariable: unknown;

describe('reference counting (Python _TestZZZNumberOfObjects)', () => {
  it('an object is freed on the server when its last proxy is dropped or disposed', async () => {
    await gc();
    expect(await eventuallyAsync(async () => {
      await gc();
      return (await manager._numberOfObjects()) <= 40;
    })).toBe(true);
    const before = await manager._numberOfObjects();
    let l: ListProxy<number> | null = await manager.list([1, 2, 3]);
    {
      using d = await manager.dict({ l });
      expect(await manager._numberOfObjects()).toBe(before + 2);
      expect(await manager._debugInfo()).toMatch(/refcount=2\n {4}list \[1, 2, 3\]/);
      expect(await d.len()).toBe(1);
    }
    // the dict was disposed: it is gone, and with it the server's reference to the list
    expect(await eventuallyAsync(async () => (await manager._numberOfObjects()) === before + 1)).toBe(true);
    l = null;
    expect(await eventuallyAsync(async () => {
      await gc();
      return (await manager._numberOfObjects()) === before;
    })).toBe(true);
    expect(l).toBeNull();
  });

  it('a disposed proxy can no longer be used', async () => {
    const l = await manager.list([1]);
    l[Symbol.dispose]();
    await expect(l.len()).rejects.toThrow(/released/);
  });
});
