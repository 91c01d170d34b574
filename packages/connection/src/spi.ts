/**
 * Building blocks for other multiprocess packages (the broker in @mp/context uses them):
 * length-prefixed framing, a framed socket, the authkey handshake, the wait() protocol, and
 * the flush of pending writes before a child exits. Public and semver-covered, but aimed at
 * package authors rather than applications.
 *
 * @module \@mp/connection/spi
 */
export { FRAME_HEADER, MAX_FRAME, FrameDecoder, FrameError, encodeFrame, frameHeader } from './internal/frame.js';
export { FramedSocket } from './internal/framed-socket.js';
export { AUTH_MAX_FRAME, answerChallenge, deliverChallenge, toAuthkey } from './internal/auth.js';
export type { BytesConnection, FrameIO } from './internal/auth.js';
export { WAITABLE, isWaitable } from './internal/waitable.js';
export type { Waitable, WaitHandle } from './internal/waitable.js';
export { defaultStartMethod, setDefaultStartMethodResolver, type PipeMethod } from './internal/start-method.js';
export { flushPendingWrites } from './internal/pending-writes.js';
// The error classes again, for packages that need them without loading Pipe, Listener and Client
// (a spawn child's start-up: measured 26 ms of the 41 ms it takes to import the index).
export { AuthenticationError, BufferTooShort, EOFError, OSError, ProcessError, TimeoutError } from './errors.js';
