// What Python's Pool cannot do: a worker that dies mid-task fails exactly its task, with a typed
// WorkerDiedError, is replaced, and never hangs map() or join().
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { currentProcess, getContext } from '@mp/context';
import { Pool, WorkerDiedError } from '@mp/pool';
import fs from 'node:fs';
import { childProcessesOfThisProcess, eventually, METHODS, tempDir } from '@mp/testing';
import { range, sqr } from './fixtures/helpers.js';

describe.each(METHODS)('a worker that dies on %s', (method) => {
  const ctx = getContext(method);

  it('process.exit() in a task: WorkerDiedError with the exit code and the task, then a replacement', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const error = (await p.apply(() => process.exit(3)).catch((e: unknown) => e)) as WorkerDiedError;
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error.exitCode).toBe(3);
    expect(error.signal).toBeNull();
    expect(error.task).toEqual({ kind: 'apply', index: 0, size: 1 });
    expect(error.worker).toMatch(/PoolWorker-\d+/);
    expect(error.message).toMatch(/exited with code 3 while running task 0 of apply\(\)/);
    expect(await p.apply(sqr, [4])).toBe(16);
    expect(await eventually(() => p._pool.length === 2)).toBe(true);
    p.close();
    await p.join();
  });

  it('only the task that was running fails; every other task settles once, with its result', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const outcomes: string[] = [];
    const results = range(12).map((i) =>
      p.applyAsync(
        (x: number) => {
          if (x === 5) process.exit(7);
          return x * 10;
        },
        [i],
        (v) => outcomes.push(`ok ${v}`),
        (e) => outcomes.push(`died ${(e as WorkerDiedError).exitCode}`),
      ),
    );
    const settled = await Promise.allSettled(results.map((r) => r.get()));
    expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(1);
    expect((settled[5] as PromiseRejectedResult).reason).toBeInstanceOf(WorkerDiedError);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'x'))).toEqual([0, 10, 20, 30, 40, 'x', 60, 70, 80, 90, 100, 110]);
    expect(outcomes).toHaveLength(12);
    expect(outcomes.filter((o) => o === 'died 7')).toHaveLength(1);
    p.close();
    await p.join();
  });

  it('a map whose task kills its worker rejects (never hangs), while other work completes', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const other = p.map(sqr, range(20), 1);
    const failing = p.map(
      (x: number) => {
        if (x === 4) process.exit(1);
        return x;
      },
      range(8),
      1,
    );
    const error = (await failing.catch((e: unknown) => e)) as WorkerDiedError;
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error.task).toEqual({ kind: 'map', index: 4, size: 1 });
    expect(await other).toEqual(range(20).map((x) => x * x));
    p.close();
    await p.join();
  });

  it('a worker killed from outside mid-task: SIGKILL, that task only', async () => {
    const p = new Pool({ processes: 2, context: ctx });
    const dir = tempDir();
    const slow = range(2).map((i) =>
      p.applyAsync(
        async (x: number, marker: string) => {
          require('node:fs').writeFileSync(marker, currentProcess().name);
          await new Promise((resolve) => setTimeout(resolve, 1500));
          return x;
        },
        [i, dir.file(`started-${i}`)],
      ),
    );
    // the first task is running: kill its worker
    expect(await eventually(() => fs.existsSync(dir.file('started-0')))).toBe(true);
    const running = fs.readFileSync(dir.file('started-0'), 'utf8');
    const victim = p._pool.find((w) => w.name === running)!;
    victim.kill();
    const settled = await Promise.allSettled(slow.map((r) => r.get()));
    const failed = settled.filter((s) => s.status === 'rejected') as PromiseRejectedResult[];
    dir.cleanup();
    expect(failed.map((f) => String(f.reason))).toHaveLength(1);
    const error = failed[0]!.reason as WorkerDiedError;
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error.signal).toBe('SIGKILL');
    expect(error.exitCode).toBe(-9);
    expect(error.worker).toBe(victim.name);
    expect(await p.map(sqr, [1, 2, 3])).toEqual([1, 4, 9]);
    p.close();
    await p.join();
  });

  it('an error thrown outside the task (from a timer) kills the worker: the running task fails', async () => {
    const p = new Pool({ processes: 1, context: ctx });
    const error = (await p
      .apply(
        () =>
          new Promise(() => {
            setTimeout(() => {
              throw new RangeError('escaped');
            }, 10);
          }),
      )
      .catch((e: unknown) => e)) as WorkerDiedError;
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error.exitCode).toBe(1);
    expect(await p.apply(() => 'replaced')).toBe('replaced');
    await p.terminate();
  });

  it('tasks queued behind a dying task run on the replacement', async () => {
    const p = new Pool({ processes: 1, context: ctx });
    const first = p.applyAsync(() => process.exit(2));
    const rest = range(5).map((i) => p.applyAsync(sqr, [i]));
    await expect(first.get()).rejects.toThrow(WorkerDiedError);
    expect(await Promise.all(rest.map((r) => r.get()))).toEqual([0, 1, 4, 9, 16]);
    p.close();
    await p.join();
  });
});

describe('a worker that runs out of memory', () => {
  it('fails its task with WorkerDiedError on both start methods (a child program with a 48 MB heap)', async () => {
    const program = fileURLToPath(new URL('./fixtures/out-of-memory.mjs', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      // (not as a child of this test's multiprocess runtime: drop its MULTIPROCESS_* variables)
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MULTIPROCESS_')));
      execFile(process.execPath, ['--max-old-space-size=48', program], { timeout: 90_000, env }, (error, out) => (error ? reject(error) : resolve(out)));
    });
    expect(stdout.trim().split('\n')).toEqual(['thread WorkerDiedError after', 'spawn WorkerDiedError SIGABRT after']);
  }, 100_000);
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
