import { registerLibraryExports } from '@mp/serialize/spi';
import { Client } from './client.js';
import { Connection } from './connection.js';
import { Listener } from './listener.js';
import { Pipe } from './pipe.js';
import { wait } from './wait.js';

export { AuthenticationError, BufferTooShort, EOFError, OSError, ProcessError, TimeoutError } from './errors.js';
export { Client } from './client.js';
export { Connection } from './connection.js';
export { type Address, type Family, FAMILIES as families } from './internal/address.js';
export { answerChallenge, deliverChallenge, type BytesConnection, type FrameIO } from './internal/auth.js';
export { Listener } from './listener.js';
export { Pipe, type PipeOptions } from './pipe.js';
export { wait } from './wait.js';

// By-value functions sent to children may use these names freely, and a child imports this
// module (registering the Connection reducer) before it decodes its arguments.
registerLibraryExports(import.meta.url, { Pipe, Connection, Listener, Client, wait });
