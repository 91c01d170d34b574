/**
 * The authkey handshake, as Python's `multiprocessing.connection` does it, with HMAC-SHA256:
 * the listener challenges the client, then the client challenges the listener. Until both have
 * passed, frames are capped at {@link AUTH_MAX_FRAME} bytes and nothing is deserialized: the
 * handshake only ever compares raw bytes.
 */
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';

// node:crypto loads ~40 internal modules (~10 ms): only a handshake needs it, not every process
// that imports this module (a spawn child's start-up, measured in B7).
let crypto: typeof import('node:crypto') | undefined;
const loadCrypto = (): typeof import('node:crypto') => (crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
import { AuthenticationError } from '../errors.js';

/**
 * The largest frame accepted before authentication.
 *
 * @example
 * ```ts
 * const io = new FramedSocket(socket, AUTH_MAX_FRAME);
 * ```
 */
export const AUTH_MAX_FRAME = 256;

/** What a challenge starts with (Python's `_CHALLENGE`, with the digest named as Python 3.12 does). Internal. */
export const CHALLENGE = Buffer.from('#CHALLENGE#{sha256}');
const WELCOME = Buffer.from('#WELCOME#');
const FAILURE = Buffer.from('#FAILURE#');
const NONCE_BYTES = 40;

/**
 * The transport the handshake runs over: frames out, frames in.
 *
 * @example
 * ```ts
 * const io: FrameIO = { write: (frame) => socket.write(encodeFrame(frame)), read: () => framed.read() };
 * await deliverChallenge(io, key);
 * ```
 */
export interface FrameIO {
  /** Sends one frame (its payload: the transport adds the length prefix). */
  write(frame: Uint8Array): unknown;
  /** The payload of the next frame received; rejects when the transport ends. */
  read(): Promise<Buffer>;
}

/**
 * A connection-like object, as Python's `deliver_challenge(connection, authkey)` takes:
 * `sendBytes` and `recvBytes(maxlength)` (sync or async).
 *
 * @example
 * ```ts
 * const fake: BytesConnection = { sendBytes: () => {}, recvBytes: () => Buffer.from('bogus') };
 * await deliverChallenge(fake, 'abc'); // rejects with AuthenticationError
 * ```
 */
export interface BytesConnection {
  /** Sends one message of bytes. */
  sendBytes(buf: Uint8Array): unknown;
  /** The next message of bytes; one longer than `maxlength` is an error. */
  recvBytes(maxlength?: number): Uint8Array | Promise<Uint8Array>;
}

function asIO(io: FrameIO | BytesConnection): FrameIO {
  if (typeof (io as FrameIO).read === 'function' && typeof (io as FrameIO).write === 'function') return io as FrameIO;
  const conn = io as BytesConnection;
  if (typeof conn.recvBytes !== 'function' || typeof conn.sendBytes !== 'function') {
    throw new TypeError('the handshake needs a connection (sendBytes/recvBytes) or a frame transport (read/write)');
  }
  return {
    write: (frame) => conn.sendBytes(frame),
    read: async () => {
      const bytes = await conn.recvBytes(AUTH_MAX_FRAME);
      return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}

function digest(authkey: Uint8Array, message: Uint8Array): Buffer {
  return loadCrypto().createHmac('sha256', authkey).update(message).digest();
}

/**
 * Sends a challenge and checks the answer (Python's `deliver_challenge`); throws
 * AuthenticationError on a wrong key.
 *
 * @example
 * ```ts
 * await deliverChallenge(conn, Buffer.from('secret')); // the peer runs answerChallenge
 * ```
 */
export async function deliverChallenge(connection: FrameIO | BytesConnection, authkey: Uint8Array | string): Promise<void> {
  const io = asIO(connection);
  const key = toAuthkey(authkey);
  const message = Buffer.concat([CHALLENGE, loadCrypto().randomBytes(NONCE_BYTES)]);
  io.write(message);
  const response = await io.read();
  const expected = digest(key, message.subarray(CHALLENGE.byteLength));
  if (response.byteLength === expected.byteLength && loadCrypto().timingSafeEqual(response, expected)) {
    io.write(WELCOME);
    return;
  }
  io.write(FAILURE);
  throw new AuthenticationError('digest received was wrong: the peer does not have the same authkey');
}

/**
 * Answers the peer's challenge (Python's `answer_challenge`); throws AuthenticationError if the
 * peer rejects our digest or does not send a challenge.
 *
 * @example
 * ```ts
 * await answerChallenge(conn, Buffer.from('secret')); // the peer runs deliverChallenge
 * ```
 */
export async function answerChallenge(connection: FrameIO | BytesConnection, authkey: Uint8Array | string): Promise<void> {
  const io = asIO(connection);
  const key = toAuthkey(authkey);
  const message = await io.read();
  if (message.byteLength <= CHALLENGE.byteLength || !message.subarray(0, CHALLENGE.byteLength).equals(CHALLENGE)) {
    throw new AuthenticationError('protocol error: expected an authentication challenge from the peer (does it use an authkey?)');
  }
  io.write(digest(key, message.subarray(CHALLENGE.byteLength)));
  const verdict = await io.read();
  if (!verdict.equals(WELCOME)) {
    throw new AuthenticationError('digest sent was rejected: the peer has a different authkey');
  }
}

/**
 * Normalizes an authkey given as string or bytes; TypeError for anything else.
 *
 * @example
 * ```ts
 * toAuthkey('secret'); // <Buffer 73 65 63 72 65 74>
 * ```
 */
export function toAuthkey(key: string | Uint8Array): Uint8Array {
  if (typeof key === 'string') return Buffer.from(key);
  if (key instanceof Uint8Array) return key;
  throw new TypeError(`authkey must be bytes (Buffer/Uint8Array) or a string, not ${key === null ? 'null' : typeof key}`);
}
