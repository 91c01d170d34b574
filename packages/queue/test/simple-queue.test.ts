// CPython's TestSimpleQueue, on both start methods.
import { describe, expect, it } from 'vitest';
import { getContext, type Process } from '@mp/context';
import { SimpleQueue } from '@mp/queue';
import { METHODS, trackedChildren } from '@mp/testing';
import { start } from './helpers.js';

const started = trackedChildren<Process>();

describe.each(METHODS)('SimpleQueue with a %s child', (method) => {
  const ctx = getContext(method);

  it('empty() sees the child\'s puts at once (test_empty)', async () => {
    const queue = ctx.SimpleQueue<boolean>();
    const childCanStart = ctx.SimpleQueue<boolean>();
    const parentCanContinue = ctx.SimpleQueue<boolean>();
    const p = await start(
      method,
      async (q: SimpleQueue<boolean>, go: SimpleQueue<boolean>, done: SimpleQueue<boolean>) => {
        await go.get();
        try {
          await q.put(q.empty());
          await q.put(q.empty());
        } finally {
          await done.put(true);
        }
      },
      [queue, childCanStart, parentCanContinue],
      started,
    );
    expect(queue.empty()).toBe(true);
    await childCanStart.put(true);
    await parentCanContinue.get();
    expect(queue.empty()).toBe(false);
    expect(await queue.get()).toBe(true);
    expect(await queue.get()).toBe(false);
    expect(queue.empty()).toBe(true);
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
  });

  it('sync twins work in a child', async () => {
    const queue = ctx.SimpleQueue<string>();
    const back = ctx.SimpleQueue<string>();
    const p = await start(
      method,
      (q: SimpleQueue<string>, out: SimpleQueue<string>) => {
        out.putSync(`got ${q.getSync()}`);
      },
      [queue, back],
      started,
    );
    queue.putSync('ping');
    expect(await back.get()).toBe('got ping');
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
  });
});

describe('SimpleQueue in one process', () => {
  it('close() twice does not fail (test_close); use after close throws', async () => {
    const queue = new SimpleQueue<number>();
    queue.close();
    queue.close();
    await expect(queue.put(1)).rejects.toThrow(/is closed/);
    await expect(queue.get()).rejects.toThrow(/is closed/);
    expect(() => queue.empty()).toThrow(/is closed/);
  });

  it('FIFO of any values', async () => {
    const queue = new SimpleQueue<unknown>();
    const values = ['a', 1, { b: [2] }, null, undefined, new Map([[1, 2]])];
    for (const v of values) await queue.put(v);
    for (const v of values) expect(await queue.get()).toEqual(v);
    expect(queue.empty()).toBe(true);
    expect(String(queue)).toBe('<SimpleQueue>');
  });
});
