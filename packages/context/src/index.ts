/**
 * `@mp/context`: `Process` on two start methods (`thread`, `spawn`), contexts, process identity
 * (`currentProcess`, `parentProcess`, `activeChildren`), `local()` and the logger.
 *
 * @module \@mp/context
 */
import { setDefaultStartMethodResolver } from '@mp/connection/spi';
import { registerLibraryExports } from '@mp/serialize/spi';
import * as api from './exports.js';
import { actualStartMethod } from './internal/default-method.js';

export * from './exports.js';

// By-value functions sent to children may use these names freely (as dill provides modules).
registerLibraryExports(import.meta.url, api);

// Pipe() in @mp/connection follows the default context's start method.
setDefaultStartMethodResolver(actualStartMethod);
