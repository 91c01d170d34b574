// Python's _TestPoll, on both start methods.
import { describe, expect, it } from 'vitest';
import type { Connection } from '@mp/connection';
import { getContext, type Process } from '@mp/context';
import { METHODS, trackedChildren } from '@mp/testing';

const STRINGS = ['hello', '', 'a', 'b', '', 'bye', '', 'lop'];

async function childStrings(conn: Connection, strings: string[]): Promise<void> {
  for (const s of strings) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    conn.sendBytes(Buffer.from(s));
  }
  conn.close();
}

function childDontMerge(conn: Connection): void {
  conn.sendBytes(Buffer.from('a'));
  conn.sendBytes(Buffer.from('b'));
  conn.sendBytes(Buffer.from('cd'));
}

async function childBoundaries(conn: Connection): Promise<void> {
  // Polling may pull a message in; it must never pull half of one.
  await conn.poll(200);
}

const started = trackedChildren<Process>();

describe.each(METHODS)('poll (%s)', (method) => {
  const ctx = getContext(method);

  it('sees an empty message (test_empty_string)', async () => {
    const [a, b] = ctx.Pipe();
    expect(await a.poll()).toBe(false);
    b.sendBytes(Buffer.alloc(0));
    expect(await a.poll()).toBe(true);
    expect(await a.poll()).toBe(true);
    expect((await a.recvBytes()).byteLength).toBe(0);
    a.close();
    b.close();
  });

  it('sees each message of a slow child, empty ones included (test_strings)', async () => {
    const [a, b] = ctx.Pipe();
    const p = ctx.Process({ target: childStrings, args: [b, STRINGS] });
    started.push(p);
    await p.start();
    for (const s of STRINGS) {
      for (let i = 0; i < 200 && !(await a.poll(10)); i++);
      expect((await a.recvBytes()).toString()).toBe(s);
    }
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    a.close();
  });

  it('never merges messages, and they outlive their sender (test_dont_merge)', async () => {
    const [a, b] = ctx.Pipe();
    expect(await a.poll(0)).toBe(false);
    expect(await a.poll(100)).toBe(false);
    const p = ctx.Process({ target: childDontMerge, args: [b] });
    started.push(p);
    await p.start();
    expect((await a.recvBytes()).toString()).toBe('a');
    expect(await a.poll(1000)).toBe(true);
    expect(await a.poll(1000)).toBe(true);
    expect((await a.recvBytes()).toString()).toBe('b');
    expect(await a.poll(1000)).toBe(true);
    expect(await a.poll(1000)).toBe(true);
    expect(await a.poll(0)).toBe(true);
    expect((await a.recvBytes()).toString()).toBe('cd');
    await p.join(10_000);
    a.close();
  });

  it('a child that polls the reading end leaves the messages whole (test_boundaries)', async () => {
    const [r, w] = ctx.Pipe(false);
    const p = ctx.Process({ target: childBoundaries, args: [r] });
    started.push(p);
    await p.start();
    w.sendBytes(Buffer.from('first'));
    w.sendBytes(Buffer.from('second'));
    w.close();
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    // The reading end moved to the child (Python's parent keeps a copy of the descriptor).
    await expect(r.recvBytes()).rejects.toThrow(/passed to another process/);
  });

  it('poll(null) waits without limit, poll of a closed end throws', async () => {
    const [a, b] = ctx.Pipe();
    setTimeout(() => b.send('late'), 50);
    expect(await a.poll(null)).toBe(true);
    expect(await a.recv()).toBe('late');
    a.close();
    await expect(a.poll()).rejects.toThrow(/closed/);
    b.close();
  });
});
