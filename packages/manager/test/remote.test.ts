// Python's _TestRemoteManager (a manager at a TCP address used by another program that knows
// only the address and the authkey), _TestManagerRestart, and getServer().serveForever().
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError } from '@mp/connection';
import { getContext, type Process } from '@mp/context';
import { Queue } from '@mp/queue';
import { BaseManager, DictProxy, type QueueProxy } from '@mp/manager';
import { childProcessesOfThisProcess, eventually, METHODS, reap } from '@mp/testing';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Runs `node <file> ...args`; resolves with its exit code and output. */
function runNode(file: string, args: string[], onStdout?: (line: string, child: ChildProcess) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      for (const line of d.toString().split('\n')) if (line) onStdout?.(line, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

class QueueManager extends BaseManager {}
QueueManager.register('getQueue', () => ((globalThis as Record<string, unknown>).sharedQueue ??= new Queue()));
QueueManager.register('getState', () => ((globalThis as Record<string, unknown>).sharedState ??= new Map([['counter', 41]])), { proxytype: DictProxy });

class QueueManager2 extends BaseManager {}
QueueManager2.register('getQueue');

type WithQueue = { getQueue(): Promise<QueueProxy & { get(): Promise<unknown> }> };

const VALUES = ['hello world', null, true, 2.25, 'hall\u00e5 v\u00e4rlden', '\u043f\u0440\u0438\u0432\u0456\u0442 \u0441\u0432\u0456\u0442', Buffer.from('hall\u00e5 v\u00e4rlden', 'latin1')];

const processes: Process[] = [];
afterEach(() => reap(processes));

describe('a manager at a TCP address (Python _TestRemoteManager)', () => {
  it('test_remote: a separate node program with the address and authkey reads and writes shared state', async () => {
    const authkey = randomBytes(32).toString('hex');
    await using manager = await new QueueManager({ address: ['127.0.0.1', 0], authkey }).start();
    const [host, port] = manager.address as [string, number];
    expect(port).toBeGreaterThan(0);

    const result = await runNode(fixture('remote-client.mjs'), [host, String(port), authkey]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ before: 41, keys: ['counter', 'client'] });

    const manager2 = await new QueueManager2({ address: manager.address, authkey }).connect();
    const queue = await (manager2 as unknown as WithQueue).getQueue();
    expect(await queue.get()).toEqual(VALUES);
    const state = await (manager as unknown as { getState(): Promise<DictProxy<string, number>> }).getState();
    expect(await state.get('counter')).toBe(42);
    expect(typeof (await state.get('client'))).toBe('number');
  });

  it('a wrong authkey is refused with AuthenticationError, here and in another program', async () => {
    const authkey = randomBytes(16);
    await using manager = await new QueueManager({ address: ['127.0.0.1', 0], authkey }).start();
    await expect(new QueueManager2({ address: manager.address, authkey: 'wrong' }).connect()).rejects.toThrow(AuthenticationError);
    const [host, port] = manager.address as [string, number];
    const result = await runNode(fixture('remote-client.mjs'), [host, String(port), 'wrong']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/AuthenticationError/);
    // the server keeps serving the right key
    const ok = await new QueueManager2({ address: manager.address, authkey }).connect();
    const queue = await (ok as unknown as WithQueue).getQueue();
    expect(await queue.qsize()).toBe(0);
  });

  it.each(METHODS)('a %s child connects with only the address and the authkey (Python _putter)', async (method) => {
    const authkey = randomBytes(32);
    await using manager = await new QueueManager({ address: ['127.0.0.1', 0], authkey }).start();
    const p = getContext(method).Process({
      target: async (address: [string, number], key: Uint8Array, values: unknown[]) => {
        class Putter extends BaseManager {}
        Putter.register('getQueue');
        const m = await new Putter({ address, authkey: key }).connect();
        const q = (await (m as unknown as WithQueue).getQueue()) as QueueProxy;
        await q.put(values);
      },
      args: [manager.address as [string, number], authkey, VALUES],
      daemon: true,
    });
    processes.push(p);
    await p.start();
    const queue = await (manager as unknown as WithQueue).getQueue();
    expect(await queue.get()).toEqual(VALUES);
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
  });
});

describe('restart (Python _TestManagerRestart)', () => {
  it('test_rapid_restart: a new manager starts at the address of one that was shut down', async () => {
    const authkey = randomBytes(32);
    const manager = new QueueManager({ address: ['127.0.0.1', 0], authkey });
    const server = manager.getServer();
    await server.ready;
    const address = server.address;
    server.listener.close();
    await manager.start();
    try {
      const p = getContext('spawn').Process({
        target: async (addr: [string, number], key: Uint8Array) => {
          class Putter extends BaseManager {}
          Putter.register('getQueue');
          const m = await new Putter({ address: addr, authkey: key }).connect();
          await ((await (m as unknown as WithQueue).getQueue()) as QueueProxy).put('hello world');
        },
        args: [manager.address as [string, number], authkey],
      });
      processes.push(p);
      await p.start();
      await p.join(30_000);
      expect(p.exitCode).toBe(0);
      const queue = await (manager as unknown as WithQueue).getQueue();
      expect(await queue.get()).toBe('hello world');
    } finally {
      await manager.shutdown();
    }
    server.close();

    for (let round = 0; round < 2; round++) {
      await using again = await new QueueManager({ address, authkey }).start();
      expect(again.address).toEqual(address);
      const queue = await (again as unknown as WithQueue).getQueue();
      await queue.put(round);
      expect(await queue.get()).toBe(round);
    }
  });
});

describe('getServer().serveForever()', () => {
  it('serves from another program until a client shuts it down', async () => {
    const authkey = randomBytes(8).toString('hex');
    class RemoteManager extends BaseManager {}
    RemoteManager.register('getShared', null, { proxytype: DictProxy });
    RemoteManager.register('stop');
    let connected: Promise<void> | null = null;
    const result = await runNode(fixture('serve-forever.mjs'), [authkey], (line) => {
      if (connected !== null || !line.startsWith('[')) return;
      const address = JSON.parse(line) as [string, number];
      connected = (async () => {
        const m = await new RemoteManager({ address, authkey }).connect();
        const shared = await (m as unknown as { getShared(): Promise<DictProxy<string, string>> }).getShared();
        expect(await shared.get('greeting')).toBe('hello from the server process');
        await shared.set('client', 'was here');
        expect(shared).toBeInstanceOf(DictProxy);
        await m._create('getShared'); // the same Map again
        await m._create('stop');
      })();
    });
    await connected;
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/served; shared has 2 keys/);
    expect(result.code).toBe(0);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
