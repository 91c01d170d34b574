// Python's TestSyncManagerTypes: each type's proxy is made here, used in a child (thread and
// spawn), and the child's changes are seen here.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getContext, type Process, RuntimeError } from '@mp/context';
import {
  type AcquirerProxy,
  type ArrayProxy,
  type BarrierProxy,
  type ConditionProxy,
  type DictProxy,
  type EventProxy,
  type ListProxy,
  Manager,
  type NamespaceProxy,
  type QueueProxy,
  type SemaphoreProxy,
  type SyncManager,
  type ValueProxy,
} from '@mp/manager';
import { childProcessesOfThisProcess, eventually, METHODS, reap } from '@mp/testing';

describe.each(METHODS)('manager types used from a %s child (Python TestSyncManagerTypes)', (method) => {
  let manager: SyncManager;
  const processes: Process[] = [];

  beforeAll(async () => {
    manager = await Manager();
  });
  afterEach(() => reap(processes));
  afterAll(async () => {
    await manager.shutdown();
  });

  async function runWorker<T>(worker: (obj: T) => Promise<void>, obj: T): Promise<void> {
    const p = getContext(method).Process({ target: worker, args: [obj], daemon: true } as never) as Process;
    processes.push(p);
    await p.start();
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
  }

  it('Event', async () => {
    const o = await manager.Event();
    await o.set();
    await runWorker(async (obj: EventProxy) => {
      if (!(await obj.isSet())) throw new Error('the event is not set in the child');
      await obj.wait();
      await obj.clear();
      await obj.wait(1);
    }, o);
    expect(await o.isSet()).toBe(false);
    expect(await o.wait(1)).toBe(false);
  });

  it('Lock: acquired by the child, released here; releasing again fails', async () => {
    const o = await manager.Lock();
    await runWorker(async (obj: AcquirerProxy) => {
      await obj.acquire();
    }, o);
    await o.release();
    await expect(o.release()).rejects.toThrow(RuntimeError);
  });

  it('RLock', async () => {
    const o = await manager.RLock();
    await runWorker(async (obj: AcquirerProxy) => {
      await obj.acquire();
      await obj.release();
    }, o);
    expect(await o.acquire(false)).toBe(true);
    await o.release();
  });

  it.each(['Semaphore', 'BoundedSemaphore'] as const)('%s', async (kind) => {
    const o = await manager[kind]();
    await runWorker(async (obj: SemaphoreProxy) => {
      await obj.acquire();
    }, o);
    expect(await o.getValue()).toBe(0);
    await o.release();
    expect(await o.getValue()).toBe(1);
  });

  it('Condition', async () => {
    const o = await manager.Condition();
    await runWorker(async (obj: ConditionProxy) => {
      await obj.acquire();
      await obj.release();
    }, o);
    expect(await o.acquire(false)).toBe(true);
    await o.release();
  });

  it('Barrier', async () => {
    const o = await manager.Barrier(5);
    await runWorker(async (obj: BarrierProxy) => {
      if ((await obj.parties) !== 5) throw new Error('parties');
      await obj.reset();
    }, o);
    expect(await o.broken).toBe(false);
  });

  it.each(['Queue', 'JoinableQueue'] as const)('%s', async (kind) => {
    const o = await manager[kind]<number>(2);
    await o.put(5);
    await o.put(6);
    await runWorker(async (obj: QueueProxy<number>) => {
      const check = (ok: boolean, what: string): void => {
        if (!ok) throw new Error(what);
      };
      check((await obj.qsize()) === 2, 'qsize');
      check(await obj.full(), 'full');
      check(!(await obj.empty()), 'not empty');
      check((await obj.get()) === 5, 'get 5');
      check(!(await obj.empty()), 'not empty after one get');
      check((await obj.get()) === 6, 'get 6');
      check(await obj.empty(), 'empty');
    }, o);
    expect(await o.empty()).toBe(true);
    expect(await o.full()).toBe(false);
  });

  it('list', async () => {
    const o = await manager.list<number>();
    await o.append(5);
    await runWorker(async (obj: ListProxy<number>) => {
      const check = (ok: boolean, what: string): void => {
        if (!ok) throw new Error(what);
      };
      check((await obj.get(0)) === 5, 'get');
      check((await obj.count(5)) === 1, 'count');
      check((await obj.index(5)) === 0, 'index');
      await obj.sort();
      await obj.reverse();
      for await (const _ of obj);
      check((await obj.len()) === 1, 'len');
      check((await obj.pop(0)) === 5, 'pop');
    }, o);
    expect(await o.len()).toBe(0);
  });

  it('dict', async () => {
    const o = await manager.dict<string, number>();
    await o.set('foo', 5);
    await runWorker(async (obj: DictProxy<string, number>) => {
      const same = (a: unknown, b: unknown, what: string): void => {
        if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: ${JSON.stringify(a)}`);
      };
      same(await obj.len(), 1, 'len');
      same(await obj.get('foo'), 5, 'get');
      same(await obj.items(), [['foo', 5]], 'items');
      same(await obj.keys(), ['foo'], 'keys');
      same(await obj.values(), [5], 'values');
      same([...(await obj.copy())], [['foo', 5]], 'copy');
      same(await obj.popitem(), ['foo', 5], 'popitem');
    }, o);
    expect(await o.len()).toBe(0);
  });

  it('Value', async () => {
    const o = await manager.Value('i', 1);
    await runWorker(async (obj: ValueProxy<number>) => {
      if ((await obj.value) !== 1 || (await obj.get()) !== 1) throw new Error('value');
      await obj.set(2);
    }, o);
    expect(await o.value).toBe(2);
    expect(await o.get()).toBe(2);
  });

  it('Array', async () => {
    const o = await manager.Array('i', [0, 1]);
    await runWorker(async (obj: ArrayProxy) => {
      const items: number[] = [];
      for await (const x of obj) items.push(x);
      if ((await obj.get(0)) !== 0 || (await obj.get(1)) !== 1 || (await obj.len()) !== 2 || items.join() !== '0,1') throw new Error('array');
    }, o);
  });

  it('Namespace', async () => {
    const o = await manager.Namespace();
    o.x = 0;
    await o.set('y', 1);
    await runWorker(async (obj: NamespaceProxy) => {
      if ((await obj.x) !== 0 || (await obj.y) !== 1) throw new Error('namespace');
      obj.z = 2;
      await obj.get('z');
    }, o);
    expect(await o.z).toBe(2);
  });

  it('nested proxies reach the child as proxies, and the child can add new objects', async () => {
    const d = await manager.dict<string, unknown>({ inner: await manager.list([1]) });
    await runWorker(async (obj: DictProxy<string, unknown>) => {
      const inner = (await obj.get('inner')) as ListProxy<number>;
      await inner.append(2);
      const fresh = await (await obj.get('inner') as ListProxy<number>).concat([3]);
      await obj.set('copy', fresh);
    }, d);
    expect(await ((await d.get('inner')) as ListProxy<number>).toArray()).toEqual([1, 2]);
    expect(await d.get('copy')).toEqual([1, 2, 3]);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
