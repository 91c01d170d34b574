// Python's _TestConnection, on both start methods: an echo child, bytes and objects, sizes,
// closing, one-way pipes, bad input.
import { describe, expect, it } from 'vitest';
import { BufferTooShort, type Connection, EOFError, OSError } from '@mp/connection';
import { getContext, type Process } from '@mp/context';
import { dumps, SerializationError } from '@mp/serialize';
import { METHODS, trackedChildren } from '@mp/testing';

/** Python's `_echo`: echoes byte messages until an empty one. */
async function echo(conn: Connection): Promise<void> {
  for (;;) {
    const msg = await conn.recvBytes();
    if (msg.byteLength === 0) break;
    conn.sendBytes(msg);
  }
  conn.close();
}

const started = trackedChildren<Process>();

describe.each(METHODS)('Connection (%s)', (method) => {
  const ctx = getContext(method);

  async function startEcho(): Promise<[Connection, Process]> {
    const [conn, childConn] = ctx.Pipe();
    const p = ctx.Process({ target: echo, args: [childConn], daemon: true });
    started.push(p);
    await p.start();
    childConn.close(); // the end moved to the child: closing it here is harmless
    return [conn, p];
  }

  it('echoes objects, bytes, typed arrays and a 16 MiB message through a child (test_connection)', async () => {
    const [conn, p] = await startEcho();
    const seq = [1, 2.25, null];
    conn.sendBytes(dumps(seq));
    expect(await conn.recv()).toEqual(seq);
    conn.send(seq);
    expect(await conn.recv()).toEqual(seq);

    const msg = Buffer.from('hello world');
    conn.sendBytes(msg);
    expect(await conn.recvBytes()).toEqual(msg);

    const arr = new Int32Array([0, 1, 2, 3]);
    let buffer = new Int32Array(10);
    conn.sendBytes(arr);
    expect(await conn.recvBytesInto(buffer)).toBe(arr.byteLength);
    expect([...buffer]).toEqual([0, 1, 2, 3, 0, 0, 0, 0, 0, 0]);

    buffer = new Int32Array(10);
    conn.sendBytes(arr);
    expect(await conn.recvBytesInto(buffer, 3 * buffer.BYTES_PER_ELEMENT)).toBe(arr.byteLength);
    expect([...buffer]).toEqual([0, 0, 0, 0, 1, 2, 3, 0, 0, 0]);

    const longmsg = Buffer.from('hello world'.repeat(10));
    conn.sendBytes(longmsg);
    const tooShort = await conn.recvBytesInto(Buffer.alloc(40)).catch((e: unknown) => e);
    expect(tooShort).toBeInstanceOf(BufferTooShort);
    expect(Buffer.from((tooShort as BufferTooShort).data)).toEqual(longmsg);

    expect(await conn.poll()).toBe(false);
    expect(await conn.poll(-1)).toBe(false);
    expect(await conn.poll(100)).toBe(false);
    conn.send(null);
    expect(await conn.poll(5000)).toBe(true);
    expect(await conn.recv()).toBe(null);

    const big = Buffer.alloc(16 * 1024 * 1024, 'X');
    conn.sendBytes(big);
    expect((await conn.recvBytes()).equals(big)).toBe(true);

    conn.sendBytes(Buffer.alloc(0)); // tells the child to quit
    expect(conn.readable).toBe(true);
    expect(conn.writable).toBe(true);
    await expect(conn.recv()).rejects.toBeInstanceOf(EOFError);
    await expect(conn.recvBytes()).rejects.toBeInstanceOf(EOFError);
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
  });

  it('the end given to a child can be closed here at once (test_spawn_close)', async () => {
    const [conn, childConn] = ctx.Pipe();
    const p = ctx.Process({ target: echo, args: [childConn], daemon: true });
    started.push(p);
    void p.start();
    childConn.close();
    conn.sendBytes(Buffer.from('hello'));
    expect((await conn.recvBytes()).toString()).toBe('hello');
    conn.sendBytes(Buffer.alloc(0));
    conn.close();
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
  });

  it('keeps message boundaries: many small messages, empty ones, never merged', async () => {
    const [conn] = await startEcho();
    const sizes = [1, 0, 3, 65_536, 7, 0, 16_385, 2, 100_000, 5];
    // (an empty message would stop the echo, so echo only the non-empty ones)
    const nonEmpty = sizes.filter((n) => n > 0);
    for (const [i, n] of nonEmpty.entries()) conn.sendBytes(Buffer.alloc(n, i + 1));
    for (const [i, n] of nonEmpty.entries()) expect(await conn.recvBytes()).toEqual(Buffer.alloc(n, i + 1));
    for (let i = 0; i < 2000; i++) conn.send(`message ${i}`);
    for (let i = 0; i < 2000; i++) expect(await conn.recv()).toBe(`message ${i}`);
    conn.sendBytes(Buffer.alloc(0));
  });

  it('round-trips values @mp/serialize knows, functions included', async () => {
    const [conn] = await startEcho();
    const values: unknown[] = ['', 'é ü 漢字 🎉', 'x'.repeat(5000), 0, -0, NaN, 2n ** 70n, undefined, [1, [2, [3]]], new Map([[1, { a: new Set([2]) }]])];
    for (const v of values) conn.send(v);
    for (const v of values) expect(await conn.recv()).toEqual(v);
    conn.send((x: number) => x * 7);
    expect(((await conn.recv()) as (x: number) => number)(6)).toBe(42);
    conn.send(new RangeError('out of range'));
    const error = await conn.recv();
    expect(error).toBeInstanceOf(RangeError);
    conn.sendBytes(Buffer.alloc(0));
  });
});

describe.each(METHODS)('Pipe in one process (%s)', (method) => {
  const ctx = getContext(method);

  it('sendBytes offset and size as Python (test_sendbytes)', async () => {
    const msg = Buffer.from('abcdefghijklmnopqrstuvwxyz');
    const [a, b] = ctx.Pipe();
    a.sendBytes(msg);
    expect(await b.recvBytes()).toEqual(msg);
    a.sendBytes(msg, 5);
    expect(await b.recvBytes()).toEqual(msg.subarray(5));
    a.sendBytes(msg, 7, 8);
    expect(await b.recvBytes()).toEqual(msg.subarray(7, 15));
    a.sendBytes(msg, 26);
    expect((await b.recvBytes()).byteLength).toBe(0);
    a.sendBytes(msg, 26, 0);
    expect((await b.recvBytes()).byteLength).toBe(0);
    expect(() => a.sendBytes(msg, 27)).toThrow(/buffer length < offset/);
    expect(() => a.sendBytes(msg, 22, 5)).toThrow(/buffer length < offset \+ size/);
    expect(() => a.sendBytes(msg, 26, 1)).toThrow(RangeError);
    expect(() => a.sendBytes(msg, -1)).toThrow(/offset is negative/);
    expect(() => a.sendBytes(msg, 4, -1)).toThrow(/size is negative/);
    a.close();
    b.close();
  });

  it('a one-way pipe refuses the wrong direction (test_duplex_false)', async () => {
    const [reader, writer] = ctx.Pipe(false);
    writer.send(1);
    expect(await reader.recv()).toBe(1);
    expect([reader.readable, reader.writable, writer.readable, writer.writable]).toEqual([true, false, false, true]);
    expect(() => reader.send(2)).toThrow(OSError);
    expect(() => reader.send(2)).toThrow(/read-only/);
    await expect(writer.recv()).rejects.toThrow(/write-only/);
    await expect(writer.poll()).rejects.toThrow(OSError);
    reader.close();
    writer.close();
  });

  it('closes with using / await using, then everything says it is closed (test_context)', async () => {
    const [a, b] = ctx.Pipe();
    {
      using x = a;
      await using y = b;
      x.send(1729);
      expect(await y.recv()).toBe(1729);
      expect(a.closed || b.closed).toBe(false);
    }
    expect(a.closed && b.closed).toBe(true);
    await expect(a.recv()).rejects.toBeInstanceOf(EOFError);
    await expect(b.recvBytes()).rejects.toThrow(/closed/);
    expect(() => a.send(1)).toThrow(/closed/);
    expect(() => b.sendBytes(Buffer.from('x'))).toThrow(OSError);
    await expect(a.poll()).rejects.toThrow(/closed/);
    a.close(); // idempotent
  });

  it('the other end sees EOF only after every message sent before close()', async () => {
    const [a, b] = ctx.Pipe();
    a.send('one');
    a.sendBytes(Buffer.alloc(0));
    a.send('two');
    a.close();
    expect(await b.recv()).toBe('one');
    expect((await b.recvBytes()).byteLength).toBe(0);
    expect(await b.poll()).toBe(true);
    expect(await b.recv()).toBe('two');
    expect(await b.poll()).toBe(true); // at EOF a receive does not wait
    await expect(b.recv()).rejects.toBeInstanceOf(EOFError);
    expect(() => b.send('x')).toThrow(OSError);
    b.close();
  });

  it('a reader waiting when the other end closes gets EOFError', async () => {
    const [a, b] = ctx.Pipe();
    const pending = b.recv();
    setTimeout(() => a.close(), 20);
    await expect(pending).rejects.toBeInstanceOf(EOFError);
    b.close();
  });

  it('close() while a receive waits rejects it with a closed error', async () => {
    const [a, b] = ctx.Pipe();
    const pending = b.recv();
    b.close();
    await expect(pending).rejects.toThrow(/closed/);
    a.close();
  });

  it('recvBytes(maxlength): a longer message is an error and closes the connection', async () => {
    const [a, b] = ctx.Pipe();
    a.sendBytes(Buffer.from('short'));
    a.sendBytes(Buffer.from('a longer message'));
    expect((await b.recvBytes(5)).toString()).toBe('short');
    await expect(b.recvBytes(5)).rejects.toThrow(/bad message length/);
    expect(b.closed).toBe(true);
    await expect(b.recvBytes(-1)).rejects.toThrow(/closed/);
    const [c, d] = ctx.Pipe();
    await expect(d.recvBytes(-1)).rejects.toThrow(/negative maxlength/);
    await expect(d.recvBytesInto(Buffer.alloc(4), -1)).rejects.toThrow(/negative offset/);
    await expect(d.recvBytesInto(Buffer.alloc(4), 5)).rejects.toThrow(/offset too large/);
    for (const x of [a, c, d]) x.close();
  });

  it('refuses bad input with clear errors', async () => {
    const [a, b] = ctx.Pipe();
    expect(() => a.sendBytes('text' as never)).toThrow(TypeError);
    expect(() => a.sendBytes('text' as never)).toThrow(/Buffer.from/);
    expect(() => a.sendBytes(123 as never)).toThrow(/bytes-like/);
    expect(() => a.sendBytes(Buffer.from('x'), 0.5)).toThrow(TypeError);
    let counter = 0;
    expect(() => a.send(() => counter++)).toThrow(SerializationError);
    expect(() => a.send(Symbol('unique'))).toThrow(SerializationError);
    await expect(b.recvBytesInto('no' as never)).rejects.toThrow(TypeError);
    await expect(b.poll('soon' as never)).rejects.toThrow(TypeError);
    // nothing half-sent: the pipe still works
    a.send('fine');
    expect(await b.recv()).toBe('fine');
    expect(counter).toBe(0);
    a.close();
    b.close();
  });

  it('a connection cannot be serialized where no handle can travel', () => {
    const [a, b] = ctx.Pipe();
    expect(() => dumps({ conn: a })).toThrow(SerializationError);
    expect(() => dumps({ conn: a })).toThrow(/Process argument/);
    expect(String(a)).toMatch(/^<Connection /);
    a.close();
    b.close();
  });
});
