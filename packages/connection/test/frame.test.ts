// The frame decoder under random, chunked, truncated and hostile byte streams (seeded PRNG),
// and the send() shortcut for strings against dumps().
import { describe, expect, it } from 'vitest';
import { Pipe } from '@mp/connection';
import { FrameDecoder, FrameError, encodeFrame, FRAME_HEADER } from '@mp/connection/spi';
import { dumps, loads, SerializationError } from '@mp/serialize';

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(rand: () => number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (rand() * 256) | 0;
  return b;
}

/** Splits `stream` into random chunks (sizes 0..max). */
function chunks(rand: () => number, stream: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  for (let pos = 0; pos < stream.length; ) {
    const n = Math.min(stream.length - pos, Math.floor(rand() * (max + 1)));
    out.push(stream.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}

function randomMessages(rand: () => number, count: number): Buffer[] {
  return Array.from({ length: count }, () => {
    const r = rand();
    const size = r < 0.2 ? 0 : r < 0.8 ? Math.floor(rand() * 64) : Math.floor(rand() * 5000);
    return randomBytes(rand, size);
  });
}

describe('FrameDecoder', () => {
  it('yields exactly the messages sent, however the stream is cut (2000 seeded streams)', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const rand = prng(seed);
      const messages = randomMessages(rand, 1 + Math.floor(rand() * 12));
      const stream = Buffer.concat(messages.map((m) => encodeFrame(m)));
      const decoder = new FrameDecoder();
      const got: Buffer[] = [];
      for (const chunk of chunks(rand, stream, seed % 3 === 0 ? 7 : 3000)) got.push(...decoder.push(chunk));
      expect(decoder.pending).toBe(0);
      decoder.end();
      expect(got.map((b) => b.toString('hex'))).toEqual(messages.map((b) => b.toString('hex')));
    }
  });

  it('a stream cut off mid-frame ends with a FrameError, and only whole frames came out before', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const rand = prng(seed);
      const messages = randomMessages(rand, 1 + Math.floor(rand() * 6));
      const stream = Buffer.concat(messages.map((m) => encodeFrame(m)));
      const cut = Math.floor(rand() * stream.length);
      const decoder = new FrameDecoder();
      const got: Buffer[] = [];
      for (const chunk of chunks(rand, stream.subarray(0, cut), 50)) got.push(...decoder.push(chunk));
      // whole frames only, a prefix of what was sent
      expect(got.map((b) => b.toString('hex'))).toEqual(messages.slice(0, got.length).map((b) => b.toString('hex')));
      const boundary = got.reduce((n, m) => n + FRAME_HEADER + m.length, 0) === cut;
      if (boundary) expect(() => decoder.end()).not.toThrow();
      else expect(() => decoder.end()).toThrow(FrameError);
    }
  });

  it('random garbage gives whole frames under the limit or a clean FrameError, nothing else (3000 streams)', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const rand = prng(seed);
      const maxFrame = [16, 256, 4096][seed % 3]!;
      const decoder = new FrameDecoder(maxFrame);
      const garbage = randomBytes(rand, Math.floor(rand() * 600));
      // mostly small lengths, so that some garbage frames do decode
      if (garbage.length >= 4 && rand() < 0.5) garbage.writeUInt32BE(Math.floor(rand() * 20), 0);
      let consumed = 0;
      try {
        for (const chunk of chunks(rand, garbage, 40)) {
          for (const frame of decoder.push(chunk)) {
            expect(frame.length).toBeLessThanOrEqual(maxFrame);
            consumed += FRAME_HEADER + frame.length;
          }
        }
        expect(consumed + decoder.pending).toBeLessThanOrEqual(garbage.length);
        try {
          decoder.end();
          expect(consumed).toBe(garbage.length);
        } catch (error) {
          expect(error).toBeInstanceOf(FrameError);
        }
      } catch (error) {
        expect(error).toBeInstanceOf(FrameError);
        expect((error as Error).message).toMatch(/above the limit/);
      }
    }
  });

  it('refuses a frame above the limit before buffering its payload', () => {
    const decoder = new FrameDecoder(100);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(0x7fff_ffff);
    expect(() => decoder.push(header)).toThrow(/above the limit of 100 bytes/);
  });

  it('remainder() hands over a half-read stream intact', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const rand = prng(seed);
      const messages = randomMessages(rand, 8);
      const stream = Buffer.concat(messages.map((m) => encodeFrame(m)));
      const cut = Math.floor(rand() * stream.length);
      const first = new FrameDecoder();
      const got = [...first.push(stream.subarray(0, cut))];
      const second = new FrameDecoder();
      got.push(...second.push(Buffer.concat([first.remainder(), stream.subarray(cut)])));
      expect(first.pending).toBe(0);
      second.end();
      expect(got.map((b) => b.toString('hex'))).toEqual(messages.map((b) => b.toString('hex')));
    }
  });
});

describe('message bytes', () => {
  it('send(text) puts exactly dumps(text) on the wire, ASCII or not (both transports)', async () => {
    const rand = prng(42);
    const alphabet = ['a', 'Z', '0', ' ', '~', '\n', 'é', 'ß', '€', '漢', '🎉', '\u0000', '\u007f', '\u0080'];
    for (const method of ['thread', 'spawn'] as const) {
      const [a, b] = Pipe(true, { method });
      const texts: string[] = ['', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(4096), 'w'.repeat(20_000)];
      for (let i = 0; i < 300; i++) {
        const ascii = rand() < 0.6;
        const n = Math.floor(rand() * 300);
        let text = '';
        for (let j = 0; j < n; j++) text += ascii ? String.fromCharCode(32 + ((rand() * 95) | 0)) : alphabet[(rand() * alphabet.length) | 0];
        texts.push(text);
      }
      for (const text of texts) a.send(text);
      for (const text of texts) expect(loads(await b.recvBytes())).toBe(text);
      for (const text of texts) a.send(text);
      for (const text of texts) expect(await b.recv()).toBe(text);
      a.close();
      b.close();
    }
  });

  it('recv() of bytes that are not a payload is a SerializationError, and the connection goes on', async () => {
    const rand = prng(7);
    const [a, b] = Pipe(true, { method: 'spawn' });
    const ascii = dumps('abc');
    for (let i = 0; i < 200; i++) {
      const junk = Buffer.from(ascii);
      // corrupt the length or a byte of a one-byte-string payload, or send random bytes
      if (rand() < 0.5) junk[4] = (rand() * 256) | 0;
      else junk[(rand() * junk.length) | 0] = (rand() * 256) | 0;
      a.sendBytes(rand() < 0.3 ? randomBytes(rand, 1 + ((rand() * 20) | 0)) : junk);
      a.send('sync');
      // some corruptions still decode to a value; the others must be clean SerializationErrors
      await b.recv().catch((error: unknown) => expect(error).toBeInstanceOf(SerializationError));
      expect(await b.recv()).toBe('sync');
    }
    a.close();
    b.close();
  });
});
