/**
 * The authkey handshake, as Python's `multiprocessing.connection` does it, with HMAC-SHA256:
 * the listener challenges the client, then the client challenges the listener. Until both have
 * passed, frames are capped at {@link AUTH_MAX_FRAME} bytes and nothing is deserialized: the
 * handshake only ever compares raw bytes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '../errors.js';

/** The largest frame accepted before authentication. */
export const AUTH_MAX_FRAME = 256;

const CHALLENGE = Buffer.from('#CHALLENGE#{sha256}');
const WELCOME = Buffer.from('#WELCOME#');
const FAILURE = Buffer.from('#FAILURE#');
const NONCE_BYTES = 40;

/** The transport the handshake runs over: frames out, frames in. */
export interface FrameIO {
  write(frame: Uint8Array): unknown;
  read(): Promise<Buffer>;
}

function digest(authkey: Uint8Array, message: Uint8Array): Buffer {
  return createHmac('sha256', authkey).update(message).digest();
}

/** Sends a challenge and checks the answer; throws AuthenticationError on a wrong key. */
export async function deliverChallenge(io: FrameIO, authkey: Uint8Array): Promise<void> {
  const message = Buffer.concat([CHALLENGE, randomBytes(NONCE_BYTES)]);
  io.write(message);
  const response = await io.read();
  const expected = digest(authkey, message.subarray(CHALLENGE.byteLength));
  if (response.byteLength === expected.byteLength && timingSafeEqual(response, expected)) {
    io.write(WELCOME);
    return;
  }
  io.write(FAILURE);
  throw new AuthenticationError('digest received was wrong: the peer does not have the same authkey');
}

/** Answers the peer's challenge; throws AuthenticationError if the peer rejects our digest. */
export async function answerChallenge(io: FrameIO, authkey: Uint8Array): Promise<void> {
  const message = await io.read();
  if (message.byteLength <= CHALLENGE.byteLength || !message.subarray(0, CHALLENGE.byteLength).equals(CHALLENGE)) {
    throw new AuthenticationError('protocol error: expected an authentication challenge from the peer (does it use an authkey?)');
  }
  io.write(digest(authkey, message.subarray(CHALLENGE.byteLength)));
  const verdict = await io.read();
  if (!verdict.equals(WELCOME)) {
    throw new AuthenticationError('digest sent was rejected: the peer has a different authkey');
  }
}

/** Normalizes an authkey given as string or bytes. */
export function toAuthkey(key: string | Uint8Array): Uint8Array {
  return typeof key === 'string' ? Buffer.from(key) : key;
}
