/**
 * Building blocks for other multiprocess packages (the broker in @mp/context uses them):
 * length-prefixed framing, a framed socket, and the authkey handshake. Public and semver-covered,
 * but aimed at package authors rather than applications.
 */
export { FRAME_HEADER, MAX_FRAME, FrameDecoder, FrameError, encodeFrame, frameHeader } from './internal/frame.js';
export { FramedSocket } from './internal/framed-socket.js';
export { AUTH_MAX_FRAME, answerChallenge, deliverChallenge, toAuthkey } from './internal/auth.js';
export type { FrameIO } from './internal/auth.js';
export { WAITABLE, isWaitable } from './internal/waitable.js';
export type { Waitable, WaitHandle } from './internal/waitable.js';
export { defaultStartMethod, setDefaultStartMethodResolver, type PipeMethod } from './internal/start-method.js';
