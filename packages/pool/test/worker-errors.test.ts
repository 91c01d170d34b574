// Python's _TestPoolWorkerErrors, TestInitializers (pool part) and TestPoolNotLeakOnFailure,
// plus what Python lacks: a pool whose workers cannot start fails fast instead of looping.
import { afterAll, describe, expect, it } from 'vitest';
import { getContext } from '@mp/context';
import { MaybeEncodingError, Pool, WorkerDiedError } from '@mp/pool';
import { childProcessesOfThisProcess, eventually, METHODS, tempDir } from '@mp/testing';

describe.each(METHODS)('worker errors on %s', (method) => {
  const ctx = getContext(method);

  it('errorCallback receives the task error, get() rejects with it', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const scratchpad: unknown[] = [];
    const res = p.applyAsync(
      () => {
        class KeyError extends Error {
          override name = 'KeyError';
        }
        throw new KeyError('key');
      },
      [],
      undefined,
      (e) => scratchpad.push(e),
    );
    await expect(res.get()).rejects.toThrow('key');
    expect(scratchpad).toHaveLength(1);
    expect((scratchpad[0] as Error).name).toBe('KeyError');
    expect(res.successful()).toBe(false);
    p.close();
    await p.join();
  });

  it('a result that cannot be sent back is a MaybeEncodingError, and no worker is lost', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const before = p._pool.map((w) => w.name);
    for (let i = 0; i < 20; i++) {
      const scratchpad: unknown[] = [];
      const res = p.applyAsync(() => new WeakMap(), [], undefined, (e) => scratchpad.push(e));
      await expect(res.get()).rejects.toThrow(MaybeEncodingError);
      const wrapped = scratchpad[0] as MaybeEncodingError;
      expect(wrapped).toBeInstanceOf(MaybeEncodingError);
      expect(wrapped.exc).toBeTruthy();
      expect(wrapped.value).toContain('WeakMap');
    }
    expect(p._pool.map((w) => w.name)).toEqual(before);
    p.close();
    await p.join();
  });

  it('initializer runs once per worker with initargs, before any task', async () => {
    const dir = tempDir();
    try {
      const p = new Pool({
        processes: 2,
        context: ctx,
        initializer: async (file: string, mark: string) => {
          const fs = await import('node:fs');
          fs.appendFileSync(file, `${mark}\n`);
          (globalThis as { initialized?: string }).initialized = mark;
        },
        initargs: [dir.file('init.txt'), 'ready'],
      });
      expect(await p.map(() => (globalThis as { initialized?: string }).initialized, [1, 2, 3, 4])).toEqual(['ready', 'ready', 'ready', 'ready']);
      p.close();
      await p.join();
      const fs = await import('node:fs');
      expect(fs.readFileSync(dir.file('init.txt'), 'utf8')).toBe('ready\nready\n');
    } finally {
      dir.cleanup();
    }
  });

  it('the initializer runs even when no task is submitted (Python positional form)', async () => {
    const dir = tempDir();
    try {
      const p = ctx.Pool(1, (file: string) => require('node:fs').writeFileSync(file, '1'), [dir.file('ns.txt')]);
      p.close();
      await p.join();
      expect(dir.read('ns.txt')).toBe(1);
    } finally {
      dir.cleanup();
    }
  });

  it('a non-callable initializer is a TypeError', () => {
    expect(() => new Pool({ initializer: 1 as never })).toThrow(TypeError);
  });

  it('workers that keep failing to start break the pool: tasks reject, nothing is left running', async () => {
    const p = new Pool({
      processes: 2,
      context: ctx,
      initializer: () => {
        throw new TypeError('cannot initialize');
      },
    });
    const error = await p.apply(() => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect((error as WorkerDiedError).message).toMatch(/keep dying.*initializer throws TypeError: cannot initialize/);
    expect((error as WorkerDiedError).task).toBeNull();
    await expect(p.map((x: number) => x, [1])).rejects.toBe(error);
    p.close();
    await expect(p.join()).rejects.toBe(error);
    expect(p._pool).toHaveLength(0);
  });

  it('workers that exit while starting break the pool too', async () => {
    const p = new Pool({ processes: 1, context: ctx, initializer: () => process.exit(4) });
    const error = (await p.apply(() => 1).catch((e: unknown) => e)) as WorkerDiedError;
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error.exitCode).toBe(4);
    await p.terminate();
  });
});

describe('a pool whose processes cannot be started (TestPoolNotLeakOnFailure)', () => {
  class FailingProcess {
    static willFailIn = 3;
    static made: FailingProcess[] = [];
    name = 'Fake Process';
    exitCode: number | null = null;
    pid: number | null = null;
    state: 'started' | 'stopping' | 'stopped' | null = null;
    constructor(_options: unknown) {
      FailingProcess.made.push(this);
    }
    start(): void {
      if (FailingProcess.willFailIn <= 0) throw new Error('Manually induced OSError');
      FailingProcess.willFailIn--;
      this.state = 'started';
    }
    terminate(): void {
      this.state = 'stopping';
    }
    kill(): void {
      this.state = 'stopping';
    }
    join(): void {
      if (this.state === 'stopping') this.state = 'stopped';
    }
    isAlive(): boolean {
      return this.state === 'started' || this.state === 'stopping';
    }
  }

  it('raises, and leaves no started process behind', () => {
    expect(() => {
      const p = new Pool({ processes: 5, context: { Process: FailingProcess } as never });
      p.close();
    }).toThrow('Manually induced OSError');
    expect(FailingProcess.made.some((p) => p.isAlive())).toBe(false);
    expect(FailingProcess.made.filter((p) => p.state === 'stopped')).toHaveLength(3);
  });

  it('a start() that rejects later breaks the pool with that error', async () => {
    class LateFailure extends FailingProcess {
      override start(): Promise<void> {
        this.state = 'started';
        return Promise.reject(new Error('could not spawn'));
      }
    }
    const p = new Pool({ processes: 2, context: { Process: LateFailure } as never });
    await expect(p.apply(() => 1)).rejects.toThrow('could not spawn');
    p.close();
    await expect(p.join()).rejects.toThrow('could not spawn');
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
