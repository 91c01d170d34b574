// Python's _TestListener, _TestListenerClient and the authentication tests, with children
// on both start methods as servers and clients.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  answerChallenge,
  AuthenticationError,
  Client,
  deliverChallenge,
  EOFError,
  families,
  type Family,
  Listener,
  OSError,
  wait,
} from '@mp/connection';
import { getContext, type Process } from '@mp/context';
import { dumps } from '@mp/serialize';
import { METHODS, trackedChildren } from '@mp/testing';

const started = trackedChildren<Process>();

/** Python's `_test`: connect, say hello, close. */
async function sayHello(address: string | [string, number]): Promise<void> {
  const conn = await Client(address);
  conn.send('hello');
  conn.close();
}

/** A raw client that writes `bytes` and reads until the listener hangs up. */
function rawClient(address: string, bytes: Uint8Array): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(address, () => socket.end(bytes));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

function frame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.byteLength);
  return Buffer.concat([header, payload]);
}

describe('Listener', () => {
  it('families are AF_INET and AF_UNIX; a second Listener on a bound address fails (test_multiple_bind)', async () => {
    expect([...families].sort()).toEqual(['AF_INET', 'AF_UNIX']);
    for (const family of families) {
      await using l = new Listener(undefined, family);
      await l.ready;
      const again = new Listener(l.address, family);
      await expect(again.ready).rejects.toThrow(OSError);
      await expect(again.ready).rejects.toThrow(/already in use/);
      await expect(again.accept()).rejects.toThrow(/already in use/);
      again.close();
      // the first one still works (the failed one removed nothing of it)
      const c = await Client(l.address);
      const d = await l.accept();
      c.send(family);
      expect(await d.recv()).toBe(family);
      c.close();
      d.close();
    }
  });

  it('works as a disposable, and accept() after close rejects (test_context)', async () => {
    let kept: Listener;
    {
      await using l = new Listener();
      kept = l;
      await using c = await Client(l.address);
      await using d = await l.accept();
      c.send(1729);
      expect(await d.recv()).toBe(1729);
    }
    expect(kept.closed).toBe(true);
    await expect(kept.accept()).rejects.toThrow(OSError);
  });

  it('an empty authkey is an authkey (test_empty_authkey)', async () => {
    const l = new Listener(undefined, undefined, 1, Buffer.alloc(0));
    const client = Client(l.address, undefined, '');
    const d = await l.accept();
    (await client).send(1729);
    expect(await d.recv()).toBe(1729);
    l.close();
    await expect(l.accept()).rejects.toThrow(/closed/);
  });

  it('listens on a Linux abstract socket (test_abstract_socket)', async () => {
    if (process.platform !== 'linux') return;
    const l = new Listener(`\0mp-test-${process.pid}-${Date.now()}`);
    const c = await Client(l.address);
    const d = await l.accept();
    c.send(1729);
    expect(await d.recv()).toBe(1729);
    for (const x of [c, d, l]) x.close();
  });

  it('AF_INET: port 0 gives a real port at once, localhost works, lastAccepted is the peer', async () => {
    const l = new Listener(['localhost', 0]);
    expect(l.family).toBe('AF_INET');
    const [host, port] = l.address as [string, number];
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    await l.ready;
    expect(l.address).toEqual([host, port]);
    expect(l.lastAccepted).toBe(null);
    const c = await Client(['localhost', port]);
    const d = await l.accept();
    expect(l.lastAccepted?.[0]).toBe('127.0.0.1');
    expect(typeof l.lastAccepted?.[1]).toBe('number');
    d.send('hi');
    expect(await c.recv()).toBe('hi');
    for (const x of [c, d, l]) x.close();
  });

  it('a default AF_UNIX listener removes its socket and directory on close', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const l = new Listener();
    await l.ready;
    const address = l.address as string;
    expect(fs.existsSync(address)).toBe(true);
    l.close();
    expect(fs.existsSync(address)).toBe(false);
    expect(fs.existsSync(path.dirname(address))).toBe(false);
  });

  it('refuses bad arguments clearly', () => {
    expect(() => new Listener(['localhost', 0], 'AF_UNIX')).toThrow(/does not belong/);
    expect(() => new Listener(undefined, 'AF_PIPE' as Family)).toThrow(/AF_PIPE/);
    expect(() => new Listener(42 as never)).toThrow(/unrecognized/);
    expect(() => new Listener(undefined, undefined, 1, 42 as never)).toThrow(/authkey/);
  });

  it('Client to nothing rejects with an OSError that says so', async () => {
    const l = new Listener();
    await l.ready;
    const address = l.address;
    l.close();
    await expect(Client(address)).rejects.toThrow(/nothing is listening/);
  });

  it('wait() sees a connection waiting to be accepted', async () => {
    const l = new Listener();
    expect(await wait([l], 50)).toEqual([]);
    const c = await Client(l.address);
    expect(await wait([l], 5000)).toEqual([l]);
    const d = await l.accept();
    for (const x of [c, d, l]) x.close();
  });
});

describe.each(METHODS)('Listener and Client across processes (%s)', (method) => {
  const ctx = getContext(method);

  it('a child connects to each family (test_listener_client)', async () => {
    for (const family of families) {
      const l = new Listener(undefined, family);
      await l.ready;
      const p = ctx.Process({ target: sayHello, args: [l.address as string], daemon: true });
      started.push(p);
      await p.start();
      const conn = await l.accept();
      expect(await conn.recv()).toBe('hello');
      await p.join(10_000);
      expect(p.exitCode).toBe(0);
      conn.close();
      l.close();
    }
  });

  it('a client that connected, wrote and closed before accept() is still heard (test_issue14725)', async () => {
    const l = new Listener();
    const p = ctx.Process({ target: sayHello, args: [l.address as string], daemon: true });
    started.push(p);
    await p.start();
    await p.join(10_000);
    const conn = await l.accept();
    expect(await conn.recv()).toBe('hello');
    await expect(conn.recv()).rejects.toBeInstanceOf(EOFError);
    conn.close();
    l.close();
  });

  it('poll sees what the accepted end sent (test_issue16955)', async () => {
    for (const family of families) {
      const l = new Listener(undefined, family);
      const c = await Client(l.address);
      const a = await l.accept();
      a.sendBytes(Buffer.from('hello'));
      expect(await c.poll(1000)).toBe(true);
      for (const x of [a, c, l]) x.close();
    }
  });

  it('a child is the server, with an authkey; its real address comes back through a Pipe', async () => {
    const [here, there] = ctx.Pipe();
    const server = async (conn: typeof there, key: string) => {
      const listener = new Listener(['localhost', 0], 'AF_INET', 1, key);
      await listener.ready;
      conn.send(listener.address);
      const client = await listener.accept();
      for (;;) {
        const msg = await client.recv<string>();
        if (msg === 'quit') break;
        client.send(`Echo: ${msg}`);
      }
      client.close();
      listener.close();
      conn.send('done');
    };
    const p = ctx.Process({ target: server, args: [there, 'secret'] });
    started.push(p);
    await p.start();
    const address = await here.recv<[string, number]>();
    const conn = await Client(address, 'AF_INET', 'secret');
    conn.send('hello');
    expect(await conn.recv()).toBe('Echo: hello');
    conn.send('quit');
    expect(await here.recv()).toBe('done');
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    conn.close();
    here.close();
  });

  it('a child client with the wrong key fails, and so does the listener; the listener still works after', async () => {
    const l = new Listener(undefined, undefined, 1, 'right key');
    const wrong = async (address: string) => {
      const error = await Client(address, undefined, 'wrong key').catch((e: unknown) => e);
      if (!(error instanceof AuthenticationError)) throw new Error(`expected AuthenticationError, got ${String(error)}`);
    };
    const p = ctx.Process({ target: wrong, args: [l.address as string] });
    started.push(p);
    await p.start();
    await expect(l.accept()).rejects.toBeInstanceOf(AuthenticationError);
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    const good = Client(l.address, undefined, 'right key');
    const d = await l.accept();
    (await good).send('ok');
    expect(await d.recv()).toBe('ok');
    for (const x of [d, await good, l]) x.close();
  });
});

describe('authentication', () => {
  it('a big message sent right after the handshake arrives (it may share a read with the last handshake frame)', async () => {
    for (const family of ['AF_INET', 'AF_UNIX'] as const) {
      const l = new Listener(family === 'AF_INET' ? ['127.0.0.1', 0] : undefined, family, 1, 'key');
      await l.ready;
      for (let round = 0; round < 5; round++) {
        const accepted = l.accept();
        const client = await Client(l.address, family, 'key');
        const big = 'x'.repeat(10_000 + round);
        client.send(big);
        const server = await accepted;
        expect(await server.recv()).toBe(big);
        server.send(big);
        expect(await client.recv()).toBe(big);
        client.close();
        server.close();
      }
      l.close();
    }
  });

  it('an oversized frame before authentication still closes the connection with an error', async () => {
    const l = new Listener(['127.0.0.1', 0], 'AF_INET', 1, 'key');
    await l.ready;
    const accepted = l.accept();
    const [host, port] = l.address as [string, number];
    const raw = net.connect(port, host);
    await new Promise((resolve) => raw.once('connect', resolve));
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1_000_000);
    raw.write(header);
    await expect(accepted).rejects.toThrow();
    raw.destroy();
    l.close();
  });

  it('wrong key: AuthenticationError on both sides', async () => {
    const l = new Listener(['127.0.0.1', 0], 'AF_INET', 1, Buffer.from('abc'));
    const [accepted, client] = await Promise.allSettled([l.accept(), Client(l.address, 'AF_INET', Buffer.from('xyz'))]);
    expect(accepted.status === 'rejected' && accepted.reason).toBeInstanceOf(AuthenticationError);
    expect(client.status === 'rejected' && client.reason).toBeInstanceOf(AuthenticationError);
    l.close();
  });

  it('a client without a key fails against a listener with one (both when it sends and when it receives)', async () => {
    const l = new Listener(undefined, undefined, 1, 'key');
    const accept1 = l.accept();
    const c1 = await Client(l.address);
    c1.send(1729); // taken as its answer to the challenge: wrong
    await expect(accept1).rejects.toBeInstanceOf(AuthenticationError);
    const accept2 = l.accept();
    const c2 = await Client(l.address);
    await expect(c2.recv()).rejects.toThrow(/requires an authkey/); // the challenge is not decoded
    await expect(accept2).rejects.toBeInstanceOf(AuthenticationError);
    for (const x of [c1, c2, l]) x.close();
  });

  it('a client with a key fails against a listener without one', async () => {
    const l = new Listener();
    const client = Client(l.address, undefined, 'key');
    const d = await l.accept();
    d.send('not a challenge');
    await expect(client).rejects.toThrow(/expected an authentication challenge/);
    d.close();
    l.close();
  });

  it('deliverChallenge fails on a bogus answer (test_deliver_challenge_auth_failure)', async () => {
    const fake = { recvBytes: () => Buffer.from('something bogus'), sendBytes: () => {} };
    await expect(deliverChallenge(fake, Buffer.from('abc'))).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('answerChallenge fails on a bogus verdict (test_answer_challenge_auth_failure)', async () => {
    let count = 0;
    const fake = {
      recvBytes: () => {
        count += 1;
        if (count === 1) return Buffer.from(`#CHALLENGE#{sha256}${'x'.repeat(40)}`);
        if (count === 2) return Buffer.from('something bogus');
        return Buffer.alloc(0);
      },
      sendBytes: () => {},
    };
    await expect(answerChallenge(fake, Buffer.from('abc'))).rejects.toBeInstanceOf(AuthenticationError);
    const bare = { recvBytes: () => Buffer.from('#CHALLENGE#'), sendBytes: () => {} };
    await expect(answerChallenge(bare, 'abc')).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('an oversized, malformed or unauthenticated frame closes that connection only; nothing is decoded', async () => {
    const l = new Listener(undefined, undefined, 1, 'key');
    const address = l.address as string;
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(0x7fff_0000);
    const cases = [
      huge, // announces 2 GiB before authentication
      frame(Buffer.alloc(300, 1)), // over the pre-authentication cap
      frame(dumps({ evil: () => 'ran' })), // a payload as the answer: compared, never decoded
      Buffer.from([0, 0]), // then hangs up mid-header
      Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
    ];
    for (const bytes of cases) {
      const accepted = l.accept().catch((e: unknown) => e);
      const reply = await rawClient(address, bytes);
      expect(await accepted).toBeInstanceOf(AuthenticationError);
      expect(reply.subarray(4, 15).toString()).toBe('#CHALLENGE#'); // all it ever got
    }
    const good = Client(address, undefined, 'key');
    const d = await l.accept();
    (await good).send('still listening');
    expect(await d.recv()).toBe('still listening');
    for (const x of [d, await good, l]) x.close();
  });
});
