// The shared-memory path between a server in a thread and client threads of the same process
// (src/internal/shared-link.ts): messages larger than a ring, rings that fill up in either
// direction, order across both, a server that dies under a waiting call, sends that a thread
// makes right before it exits, and a server served by the main thread for a thread child.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getContext, type Process } from '@mp/context';
import { BaseManager, DictProxy, type ListProxy, Manager, type NamespaceProxy, type SyncManager } from '@mp/manager';
import { childProcessesOfThisProcess, eventually, METHODS, reap } from '@mp/testing';
import { eventuallyAsync, range } from './helpers.js';

let manager: SyncManager;
const processes: Process[] = [];

beforeAll(async () => {
  manager = await Manager({ ctx: 'thread' });
});
afterEach(() => reap(processes));
afterAll(async () => {
  await manager.shutdown();
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});

async function run(method: 'thread' | 'spawn', target: (...args: never[]) => unknown, args: unknown[]): Promise<Process> {
  const p = getContext(method).Process({ target, args, daemon: true } as never) as Process;
  processes.push(p);
  await p.start();
  await p.join(60_000);
  expect(p.exitCode).toBe(0);
  return p;
}

describe('messages of every size', () => {
  it('arguments and results larger than a ring (text and binary) arrive whole', async () => {
    const l = await manager.list<unknown>();
    const text = 'é'.repeat(70_000) + 'end';
    const bytes = new Float64Array(20_000).map((_, i) => i / 3);
    const map = new Map(range(5000).map((i) => [i, `v${i}`]));
    await l.append(text);
    await l.append(bytes);
    await l.append(map);
    expect(await l.get(0)).toBe(text);
    expect(await l.get(1)).toEqual(bytes);
    expect(await l.get(2)).toEqual(map);
    expect(((await l.toArray()) as unknown[]).length).toBe(3);
  });

  it('small and large messages sent without waiting keep their order', async () => {
    const l = await manager.list<unknown>();
    const item = (i: number): unknown => (i % 7 === 0 ? `${i}:`.padEnd(40_000, 'x') : i % 5 === 0 ? new Map([[i, i]]) : i);
    const calls = range(300).map((i) => l.append(item(i)));
    await Promise.all(calls);
    const got = (await l.toArray()) as unknown[];
    expect(got).toEqual(range(300).map(item));
  });

  it('thousands of calls in flight fill both rings and every one is answered, in order', async () => {
    const l = await manager.list<string>();
    const n = 6000;
    const word = (i: number): string => `item-${i}-`.padEnd(60, '.');
    // requests of ~90 bytes each: several times a ring
    await Promise.all(range(n).map((i) => l.append(word(i))));
    expect(await l.len()).toBe(n);
    // replies of ~70 bytes each, all asked for before any is read
    const replies = await Promise.all(range(n).map((i) => l.get(i)));
    expect(replies).toEqual(range(n).map(word));
  });
});

describe('calls that wait on the server', () => {
  it('many waits made together are all answered when they end', async () => {
    const event = await manager.Event();
    const waits = range(200).map(() => event.wait(30_000));
    const q = await manager.Queue<number>();
    const gets = range(50).map(() => q.get(true, 30_000));
    await event.set();
    for (let i = 0; i < 50; i++) await q.put(i);
    expect(await Promise.all(waits)).toEqual(range(200).map(() => true));
    expect((await Promise.all(gets)).sort((a, b) => a - b)).toEqual(range(50));
  });
});

describe.each(METHODS)('a %s child of this process', (method) => {
  it('uses the proxies it is given, with results larger than a ring', async () => {
    const l = await manager.list<unknown>([1, 2, 3]);
    const d = await manager.dict<string, unknown>();
    await run(method, async (list: ListProxy<unknown>, dict: DictProxy<string, unknown>) => {
      await Promise.all(Array.from({ length: 2000 }, (_, i) => dict.set(`k${i}`, i)));
      await list.append('y'.repeat(50_000));
      await list.append((await list.get(3)) === 'y'.repeat(50_000));
    }, [l, d]);
    expect(await d.len()).toBe(2000);
    expect(await d.get('k1999')).toBe(1999);
    expect(await l.get(4)).toBe(true);
  });

  it('sends made right before it exits are not lost', async () => {
    const ns = await manager.Namespace();
    const l = await manager.list<number>();
    await run(method, async (n: NamespaceProxy, list: ListProxy<number>) => {
      await list.len(); // connected: what follows is sent at once (more than a ring holds)
      for (let i = 0; i < 3000; i++) void list.append(i);
      (n as unknown as Record<string, unknown>).done = 'yes';
    }, [ns, l]);
    expect(await eventuallyAsync(async () => (await l.len()) === 3000, 10_000)).toBe(true);
    expect(await ns.get('done')).toBe('yes');
    expect(await l.toArray()).toEqual(range(3000));
  });
});

describe('the end of a server', () => {
  it('a call waiting in a server that dies rejects', async () => {
    const m = await Manager({ ctx: 'thread' });
    const q = await m.Queue();
    const waiting = q.get();
    m._process!.kill();
    await expect(waiting).rejects.toThrow(/lost|shut down|closed/);
    await m.shutdown();
  });
});

class MainServed extends BaseManager {}
const state = new Map<string, unknown>([['n', 0]]);
MainServed.register('getState', () => state, { proxytype: DictProxy });

describe('a server served by the main thread', () => {
  it('serves a thread child (shared memory) and a spawn child (socket)', async () => {
    const server = new MainServed({ authkey: 'main-served' }).getServer();
    void server.serveForever();
    await server.ready;
    const address = server.address;
    // BaseManager and DictProxy are provided in the child (names that multiprocess exports).
    const work = async (where: unknown, key: string): Promise<void> => {
      class Client extends BaseManager {}
      Client.register('getState', null, { proxytype: DictProxy });
      const m = await new Client({ address: where as string, authkey: 'main-served' }).connect();
      const d = await m._create<DictProxy<string, number>>('getState');
      for (let i = 0; i < 200; i++) await d.set(key, ((await d.get(key, 0)) as number) + 1);
      await m.shutdown();
    };
    try {
      await run('thread', work, [address, 'thread']);
      await run('spawn', work, [address, 'spawn']);
      expect(state.get('thread')).toBe(200);
      expect(state.get('spawn')).toBe(200);
    } finally {
      server.close();
    }
  });
});
