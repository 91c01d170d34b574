/**
 * `@mp/connection`: `Pipe`, `Connection`, `Listener`, `Client` (with HMAC authkeys) and `wait`, as
 * Python's `multiprocessing.connection`.
 *
 * @module \@mp/connection
 */
import { registerLibraryExports } from '@mp/serialize/spi';
import * as api from './exports.js';

export * from './exports.js';

// By-value functions sent to children may use these names freely (Listener, Client, EOFError...),
// and a child imports this module (registering the Connection reducer) before it decodes its
// arguments.
registerLibraryExports(import.meta.url, api);
