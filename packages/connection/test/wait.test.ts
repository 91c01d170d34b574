// Python's TestWait, on both start methods.
import { describe, expect, it } from 'vitest';
import { type Connection, EOFError, wait } from '@mp/connection';
import { getContext, type Process } from '@mp/context';
import { METHODS, trackedChildren } from '@mp/testing';

async function childTestWait(w: Connection, slow: boolean, tag: number): Promise<void> {
  for (let i = 0; i < 10; i++) {
    if (slow) await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
    w.send([i, tag]);
  }
  w.close();
}

const started = trackedChildren<Process>();

describe.each(METHODS)('wait (%s)', (method) => {
  const ctx = getContext(method);

  it.each([false, true])('collects everything from 4 children until EOF, slow=%s (test_wait)', async (slow) => {
    const readers: Connection[] = [];
    for (let tag = 0; tag < 4; tag++) {
      const [r, w] = ctx.Pipe(false);
      const p = ctx.Process({ target: childTestWait, args: [w, slow, tag], daemon: true });
      started.push(p);
      await p.start();
      w.close();
      readers.push(r);
    }
    const messages: Array<[number, number]> = [];
    while (readers.length > 0) {
      for (const r of await wait(readers, 20_000)) {
        try {
          messages.push(await r.recv<[number, number]>());
        } catch (error) {
          expect(error).toBeInstanceOf(EOFError);
          readers.splice(readers.indexOf(r), 1);
          r.close();
        }
      }
    }
    const key = ([i, tag]: [number, number]) => tag * 100 + i;
    messages.sort((x, y) => key(x) - key(y));
    expect(messages).toEqual([0, 1, 2, 3].flatMap((tag) => Array.from({ length: 10 }, (_, i) => [i, tag])));
  });

  it('times out with nothing ready, then sees the ready one (test_wait_timeout)', async () => {
    const [a, b] = ctx.Pipe();
    expect(await wait([a, b], 300)).toEqual([]);
    b.send(null);
    const res = await wait([a, b], 20_000);
    expect(res).toEqual([a]);
    expect(res[0]).toBe(a);
    a.close();
    b.close();
  });

  it('waits on a process sentinel with connections (test_wait_integer)', async () => {
    const [a, b] = ctx.Pipe();
    const p = ctx.Process({ target: () => new Promise((resolve) => setTimeout(resolve, 300)) });
    started.push(p);
    await p.start();
    const sentinel = p.sentinel;
    expect(p.sentinel).toBe(sentinel); // one object per process, so results compare
    let res = await wait([a, p.sentinel, b], 20_000);
    expect(res).toEqual([p.sentinel]);
    expect(res[0]).toBe(sentinel);
    a.send(null);
    res = await wait([a, sentinel, b], 20_000);
    expect(res).toHaveLength(2);
    expect(res[0]).toBe(sentinel);
    expect(res[1]).toBe(b);
    b.send(null);
    res = await wait([a, sentinel, b], 20_000);
    expect(res).toHaveLength(3);
    await p.join(10_000);
    a.close();
    b.close();
  });
});

describe('wait arguments', () => {
  it('a negative timeout is 0 (test_neg_timeout)', async () => {
    const [a, b] = getContext('thread').Pipe();
    expect(await wait([a], -1)).toEqual([]);
    a.close();
    b.close();
  });

  it('an empty list resolves empty after the timeout', async () => {
    expect(await wait([], 20)).toEqual([]);
  });

  it('a closed end is the end of the stream, for wait as for recv', async () => {
    const [a, b] = getContext('spawn').Pipe();
    b.close();
    expect(await wait([a], 20_000)).toEqual([a]);
    a.close();
    await expect(wait([a], 0)).rejects.toThrow(/closed/);
  });

  it('refuses what it cannot wait on', async () => {
    await expect(wait([{}], 0)).rejects.toThrow(TypeError);
    await expect(wait([42 as never], 0)).rejects.toThrow(/sentinel/);
  });
});
