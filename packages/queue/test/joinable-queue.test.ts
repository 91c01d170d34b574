// CPython's _TestQueue.test_task_done and JoinableQueue semantics, on both start methods.
import { describe, expect, it } from 'vitest';
import { getContext, type Process, ValueError } from '@mp/context';
import { JoinableQueue, Queue } from '@mp/queue';
import { METHODS, trackedChildren } from '@mp/testing';
import { run, start } from './helpers.js';

const started = trackedChildren<Process>();

describe.each(METHODS)('JoinableQueue with %s children', (method) => {
  const ctx = getContext(method);

  it('join() waits until workers marked every item done (test_task_done)', async () => {
    const queue = ctx.JoinableQueue<number | null>();
    const workers: Process[] = [];
    for (let i = 0; i < 4; i++) {
      workers.push(
        await start(
          method,
          async (q: JoinableQueue<number | null>) => {
            for (let obj = await q.get(); obj !== null; obj = await q.get()) q.taskDone();
          },
          [queue],
          started,
        ),
      );
    }
    for (let i = 0; i < 10; i++) await queue.put(i);
    await queue.join();
    for (let i = 0; i < workers.length; i++) await queue.put(null);
    for (const p of workers) await p.join(10_000);
    expect(workers.map((p) => p.exitCode)).toEqual([0, 0, 0, 0]);
  });

  it('a child that calls taskDone() too many times gets a ValueError; join from a child', async () => {
    const queue = ctx.JoinableQueue<string>();
    const report = ctx.Queue<string>();
    await queue.put('job');
    const code = await run(
      method,
      async (q: JoinableQueue<string>, out: Queue<string>) => {
        await q.get();
        q.taskDone();
        await q.join(); // nothing unfinished: returns
        try {
          q.taskDone();
          await out.put('no error');
        } catch (error) {
          await out.put(`${(error as Error).name}: ${(error as Error).message}`);
        }
        await q.put('from child');
      },
      [queue, report],
      started,
    );
    expect(code).toBe(0);
    expect(await report.get(true, 5000)).toMatch(/^ValueError: task_done\(\) called too many times/);
    // The child's put is unfinished until someone marks it done.
    expect(await queue.get(true, 5000)).toBe('from child');
    let joined = false;
    const joining = queue.join().then(() => (joined = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(joined).toBe(false);
    queue.taskDone();
    await joining;
    expect(joined).toBe(true);
  });

  it('a child joins until the parent marks its items done', async () => {
    const queue = ctx.JoinableQueue<number>();
    const report = ctx.Queue<string>();
    const p = await start(
      method,
      async (q: JoinableQueue<number>, out: Queue<string>) => {
        for (let i = 0; i < 3; i++) await q.put(i);
        await q.join();
        await out.put('joined');
      },
      [queue, report],
      started,
    );
    for (let i = 0; i < 3; i++) {
      expect(await queue.get(true, 10_000)).toBe(i);
      queue.taskDone();
    }
    expect(await report.get(true, 10_000)).toBe('joined');
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
  });
});

describe('JoinableQueue in one process', () => {
  it('taskDone() more times than items throws ValueError', async () => {
    const q = new JoinableQueue<number>();
    expect(() => q.taskDone()).toThrow(ValueError);
    expect(() => q.taskDone()).toThrow(/task_done\(\) called too many times/);
    await q.put(1);
    await q.get();
    q.taskDone();
    expect(() => q.taskDone()).toThrow(ValueError);
  });

  it('join() resolves at once when nothing was put; joinSync() too', async () => {
    const q = new JoinableQueue<number>();
    await q.join();
    q.joinSync();
    q.putSync(1);
    q.getSync();
    q.taskDone();
    q.joinSync();
  });

  it('bounded: put() waits for get(), tasks count every put', async () => {
    const q = new JoinableQueue<number>(1);
    await q.put(1);
    const second = q.put(2, true, 5000);
    expect(await q.get()).toBe(1);
    await second;
    expect(await q.get()).toBe(2);
    q.taskDone();
    q.taskDone();
    await q.join();
    expect(q).toBeInstanceOf(Queue);
    expect(String(q)).toBe('<JoinableQueue(maxsize=1)>');
  });
});
