// The server's life: it stops with shutdown() / await using, with its owner (no orphan server
// when the owner is killed), and a client that dies gives its references back.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { getContext, type Process } from '@mp/context';
import { Queue } from '@mp/queue';
import { type ListProxy, Manager, type SyncManager } from '@mp/manager';
import { childProcessesOfThisProcess, eventually, METHODS, reap } from '@mp/testing';
import { eventuallyAsync, gc } from './helpers.js';

const processes: Process[] = [];
afterEach(() => reap(processes));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(['thread', 'spawn'] as const)('stopping a %s server', (ctx) => {
  it('shutdown() stops the server process (exit code 0) and its proxies', async () => {
    const manager = await Manager({ ctx });
    const server = manager._process!;
    const l = await manager.list([1]);
    expect(server.isAlive()).toBe(true);
    if (ctx === 'spawn') expect(alive(server.pid!)).toBe(true);
    await manager.shutdown();
    expect(server.exitCode).toBe(0);
    expect(server.isAlive()).toBe(false);
    if (ctx === 'spawn') expect(alive(server.pid!)).toBe(false);
    await expect(l.len()).rejects.toThrow(/shut down|lost/);
  });

  it('await using shuts it down', async () => {
    let server: Process | null = null;
    {
      await using manager = await Manager({ ctx });
      server = manager._process!;
      expect(await (await manager.list([1, 2])).len()).toBe(2);
    }
    expect(server.isAlive()).toBe(false);
    if (ctx === 'spawn') expect(alive(server.pid!)).toBe(false);
  });
});

describe('the owner of a server', () => {
  it('the default Manager() runs its server in a thread of this process (the default start method)', async () => {
    await using manager = await Manager();
    expect(manager._process!.pid).toBe(process.pid);
  });

  it('a killed owner takes its server down with it (no orphan server)', async () => {
    const report = new Queue<number>();
    const owner = getContext('spawn').Process({
      target: async (q: Queue<number>) => {
        const manager = await Manager({ ctx: 'spawn' });
        await q.put(manager._process!.pid!);
        await new Promise(() => setInterval(() => {}, 1000)); // run until killed
      },
      args: [report],
    });
    processes.push(owner);
    await owner.start();
    const serverPid = await report.get(true, 40_000);
    expect(alive(serverPid)).toBe(true);
    owner.kill();
    await owner.join(10_000);
    expect(await eventually(() => !alive(serverPid), 15_000)).toBe(true);
  }, 90_000);
});

describe.each(METHODS)('a %s child that exits', (method) => {
  let manager: SyncManager;
  afterAll(async () => {
    await manager?.shutdown();
  });

  it('gives back the references of the proxies it received', async () => {
    manager ??= await Manager();
    await gc();
    const before = await manager._numberOfObjects();
    const shared = await manager.list<unknown>([]);
    const p = getContext(method).Process({
      target: async (l: ListProxy<unknown>) => {
        await l.append('child was here');
      },
      args: [shared],
    });
    processes.push(p);
    await p.start();
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
    expect(await shared.toArray()).toEqual(['child was here']);
    // the child's reference to `shared` went away with its connection: only ours is left
    expect(await manager._debugInfo()).toMatch(/refcount=1\n {4}list \['child was here'\]/);
    expect(await eventuallyAsync(async () => (await manager._numberOfObjects()) === before + 1)).toBe(true);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
