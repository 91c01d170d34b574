import './internal/hand-over.js'; // registers how a Connection crosses to another process

export { AuthenticationError, BufferTooShort, EOFError, OSError, ProcessError, TimeoutError } from './errors.js';
export { Client } from './client.js';
export { Connection } from './connection.js';
export { type Address, type Family, FAMILIES as families } from './internal/address.js';
export { answerChallenge, deliverChallenge, type BytesConnection, type FrameIO } from './internal/auth.js';
export { Listener } from './listener.js';
export { Pipe, type PipeOptions } from './pipe.js';
export { wait } from './wait.js';
