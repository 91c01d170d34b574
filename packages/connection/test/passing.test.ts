// Pipe ends passed to children and grandchildren, on both start methods: directly, in the same
// tick, after use, as a child's last act, and where they cannot go.
import { describe, expect, it } from 'vitest';
import { Client, type Connection, EOFError, Listener, Pipe } from '@mp/connection';
import { getContext, type Process } from '@mp/context';
import { SerializationError } from '@mp/serialize';
import { METHODS, trackedChildren } from '@mp/testing';

const started = trackedChildren<Process>();

function track(p: Process): Process {
  started.push(p);
  return p;
}

describe.each(METHODS)('ends passed on (%s)', (method) => {
  const ctx = getContext(method);

  it('a target that names nothing of the library still receives a live end (the child loads @mp/connection for it)', async () => {
    const [here, there] = ctx.Pipe();
    const p = track(ctx.Process({ target: (c: Connection) => c.send('from a plain target'), args: [there] }));
    await p.start();
    expect(await here.recv()).toBe('from a plain target');
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    here.close();
  });

  it('a grandchild uses the end its parent received, talking to the root directly', async () => {
    const [here, there] = ctx.Pipe();
    const child = async (conn: Connection, m: 'thread' | 'spawn') => {
      const g = getContext(m).Process({
        target: async (c: Connection) => {
          c.send(`grandchild got ${await c.recv<string>()}`);
          c.close();
        },
        args: [conn],
      });
      await g.start();
      await g.join();
      if (g.exitCode !== 0) throw new Error(`grandchild exited ${g.exitCode}`);
    };
    const p = track(ctx.Process({ target: child, args: [there, method] }));
    await p.start();
    here.send('ping');
    expect(await here.recv()).toBe('grandchild got ping');
    await expect(here.recv()).rejects.toBeInstanceOf(EOFError);
    await p.join(20_000);
    expect(p.exitCode).toBe(0);
    here.close();
  });

  it('both ends of one Pipe go to two children started in the same tick (the seed example)', async () => {
    const [parentConn, childConn] = ctx.Pipe();
    const sender = (conn: Connection, messages: string[]) => {
      for (const msg of messages) conn.send(msg);
      conn.send('DONE');
      conn.close();
    };
    const receiver = async (conn: Connection, out: Connection) => {
      const got: string[] = [];
      for (;;) {
        const msg = await conn.recv<string>();
        if (msg === 'DONE') break;
        got.push(msg);
      }
      out.send(got);
    };
    const [result, resultEnd] = ctx.Pipe();
    const p1 = track(ctx.Process({ target: sender, args: [parentConn, ['Hello', 'World', 'From', 'Pipe']] }));
    const p2 = track(ctx.Process({ target: receiver, args: [childConn, resultEnd] }));
    await Promise.all([p1.start(), p2.start()]);
    expect(await result.recv()).toEqual(['Hello', 'World', 'From', 'Pipe']);
    await Promise.all([p1.join(20_000), p2.join(20_000)]);
    expect([p1.exitCode, p2.exitCode]).toEqual([0, 0]);
    result.close();
  });

  it('an end passed after use takes its unread messages along, in order', async () => {
    const [a, b] = ctx.Pipe();
    a.send('one');
    a.send('two');
    expect(await b.poll(5000)).toBe(true); // pulls them into b here
    const child = async (conn: Connection) => {
      const got = [await conn.recv(), await conn.recv(), await conn.recv()];
      conn.send(got);
    };
    const p = track(ctx.Process({ target: child, args: [b] }));
    await p.start();
    a.send('three');
    expect(await a.recv()).toEqual(['one', 'two', 'three']);
    await p.join(20_000);
    expect(p.exitCode).toBe(0);
    // b moved to the child
    expect(() => b.send('x')).toThrow(/passed to another process/);
    b.close();
    a.close();
  });

  it('what a child sends as its last act arrives (1 MiB, then exit)', async () => {
    const [a, b] = ctx.Pipe();
    const p = track(ctx.Process({ target: (conn: Connection) => conn.sendBytes(Buffer.alloc(1 << 20, 7)), args: [b] }));
    await p.start();
    await p.join(20_000);
    const data = await a.recvBytes();
    expect(data.byteLength).toBe(1 << 20);
    expect(data[12345]).toBe(7);
    await expect(a.recv()).rejects.toBeInstanceOf(EOFError);
    a.close();
  });

  it('a killed child: the other end gets EOFError, without hanging', async () => {
    const [a, b] = ctx.Pipe();
    const p = track(ctx.Process({ target: (conn: Connection) => {
      conn.send('alive');
      return new Promise(() => setInterval(() => {}, 1000));
    }, args: [b] }));
    await p.start();
    expect(await a.recv()).toBe('alive');
    const pending = a.recv();
    p.kill();
    await expect(pending).rejects.toBeInstanceOf(EOFError);
    await p.join(10_000);
    expect(() => a.send('anyone?')).toThrow(/other end/);
    a.close();
  });

  it('an end can go to one process only', async () => {
    const [a, b] = ctx.Pipe();
    const p = track(ctx.Process({ target: (conn: Connection) => conn.close(), args: [b] }));
    await p.start();
    const q = ctx.Process({ target: (conn: Connection) => conn.close(), args: [b] });
    await expect(q.start()).rejects.toThrow(/already passed to another process/);
    await p.join(10_000);
    a.close();
  });
});

describe('socket connections to spawn children', () => {
  it('an accepted connection (TCP) and a Client connection (Unix) are passed to a spawn child', async () => {
    const echoOnce = async (conn: Connection) => {
      conn.send(`child says ${await conn.recv<string>()}`);
      conn.close();
    };
    for (const address of [['localhost', 0] as [string, number], undefined]) {
      const l = new Listener(address);
      const clientSide = Client(l.address);
      const serverSide = await l.accept();
      const client = await clientSide;
      client.send('before the hand-over'); // already read here when passed: travels along
      expect(await serverSide.poll(5000)).toBe(true);
      const p = track(getContext('spawn').Process({ target: echoOnce, args: [serverSide] }));
      await p.start();
      expect(await client.recv()).toBe('child says before the hand-over');
      await p.join(10_000);
      expect(p.exitCode).toBe(0);
      client.close();
      l.close();
    }
  });
});

describe('ends of one kind do not go to children of the other', () => {
  it('a thread pipe end to a spawn child, and a spawn pipe end to a thread child, are refused clearly', async () => {
    const [a, b] = Pipe(true, { method: 'thread' });
    await expect(getContext('spawn').Process({ target: (c: Connection) => c.close(), args: [b] }).start()).rejects.toThrow(/getContext\('spawn'\)\.Pipe\(\)/);
    const [c, d] = Pipe(true, { method: 'spawn' });
    await expect(getContext('thread').Process({ target: (x: Connection) => x.close(), args: [d] }).start()).rejects.toThrow(/cannot be used by a 'thread' child/);
    for (const x of [a, b, c, d]) x.close();
  });

  it('a thread pipe end travels inside a message on another thread pipe', async () => {
    const [carrierA, carrierB] = Pipe(true, { method: 'thread' });
    const [x, y] = Pipe(true, { method: 'thread' });
    carrierA.send({ end: y });
    const received = await carrierB.recv<{ end: Connection }>();
    x.send('through the carried end');
    expect(await received.end.recv()).toBe('through the carried end');
    const [s1, s2] = Pipe(true, { method: 'spawn' });
    expect(() => carrierA.send(s2)).toThrow(SerializationError);
    for (const c of [carrierA, carrierB, x, received.end, s1, s2]) c.close();
  });
});
